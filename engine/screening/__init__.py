"""Screening large candidate tables: a YAML spec maps columns to criteria; two streaming passes rank.

- :mod:`~engine.screening.spec`: the spec (load_spec, parse_spec, ScreenSpec);
- :mod:`~engine.screening.tables`: CSV/Parquet tables read in chunks, uploads and their row limit;
- :mod:`~engine.screening.pipeline`: the two passes (screen, screen_upload, screen_dask);
- :mod:`~engine.screening.profile`: which columns of a table are numeric, the values of the others;
- :mod:`~engine.screening.export`: the ranked rows as formula-safe CSV or Parquet;
- :mod:`~engine.screening.progress`: progress of a pass on a terminal or in a log.
"""

from engine.screening.export import result_bytes, write_result
from engine.screening.pipeline import ScreenResult, screen, screen_dask, screen_upload
from engine.screening.profile import TableProfile, profile_table, profile_upload
from engine.screening.progress import progress_stream
from engine.screening.spec import (
    MISSING_POLICIES,
    NORMALIZATIONS,
    SAMPLE_SPEC,
    SCREEN_METHODS,
    ScreenSpec,
    load_spec,
    parse_spec,
)
from engine.screening.tables import DEFAULT_CHUNK_ROWS, MAX_UPLOAD_ROWS, SAMPLE_TABLE, upload_limit

__all__ = [
    "DEFAULT_CHUNK_ROWS",
    "MAX_UPLOAD_ROWS",
    "MISSING_POLICIES",
    "NORMALIZATIONS",
    "SAMPLE_SPEC",
    "SAMPLE_TABLE",
    "SCREEN_METHODS",
    "ScreenResult",
    "ScreenSpec",
    "TableProfile",
    "load_spec",
    "parse_spec",
    "profile_table",
    "profile_upload",
    "progress_stream",
    "result_bytes",
    "screen",
    "screen_dask",
    "screen_upload",
    "upload_limit",
    "write_result",
]
