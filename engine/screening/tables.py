"""Candidate tables: CSV or Parquet files read in chunks of rows, never whole, and the limits on uploads."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from engine.errors import InputError
from engine.io.reader import display_path
from engine.screening.spec import ScreenSpec, spec_place
from engine.shipped import ROOT
from engine.text.messages import coded

DEFAULT_CHUNK_ROWS = 250_000
# Rows of a table uploaded to the app (whose file size .streamlit/config.toml caps at 5 MB): the
# page reruns on every widget change, so larger tables go to `policyrank screen`, which streams.
# Read through upload_limit() at call time, so a test can lower it for every caller at once.
MAX_UPLOAD_ROWS = 200_000
SAMPLE_TABLE = ROOT / "data" / "firms_sample.csv"  # synthetic: see data/firms_sample.README.md
_NUMERIC_ARROW_TYPES = ("int", "uint", "float", "double", "bool", "decimal", "halffloat")


def table_format(path: str | os.PathLike[str], name: str | None = None) -> str:
    """The format, ``"csv"`` or ``"parquet"``, by the suffix of ``name`` (default: the path)."""
    suffix = Path(name or path).suffix.lower()
    if suffix in (".parquet", ".pq"):
        return "parquet"
    if suffix in (".csv", ".txt"):
        return "csv"
    raise coded(name or display_path(path), "", "table_format", suffix=repr(suffix or "no extension"))


def table_columns(path: str | os.PathLike[str], *, name: str | None = None) -> dict[str, str]:
    """Column names of a table and, for Parquet, their Arrow types ("" for CSV).

    ``name`` names the table in messages and decides its format (default: the path).
    """
    source = name or display_path(path)
    if not Path(path).is_file():
        raise coded(source, "", "file_not_found")
    if table_format(path, name) == "parquet":
        import pyarrow.parquet as pq

        try:
            schema = pq.read_schema(path)
        except Exception as exc:  # pyarrow raises several types for a broken file
            raise InputError(source, "", f"not a readable Parquet file ({exc})") from None
        return {column: str(schema.field(column).type) for column in schema.names}
    try:
        header = pd.read_csv(path, nrows=0, encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise coded(source, "", "csv_not_utf8", reason=str(exc), byte=exc.start) from None
    except (ValueError, pd.errors.ParserError) as exc:
        raise coded(source, "", "csv_unreadable", reason=str(exc)) from None
    return dict.fromkeys((str(c) for c in header.columns), "")


def table_rows(path: str | os.PathLike[str], *, name: str | None = None) -> int | None:
    """Row count when the format records it (Parquet), else None."""
    if table_format(path, name) == "parquet":
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    return None


def check_columns(spec: ScreenSpec, columns: dict[str, str], table: str) -> None:
    """Every column the spec names exists; criteria columns of a Parquet file are numeric.

    ``columns`` maps names to Arrow types as :func:`table_columns` gives them ("" when unknown).
    """
    known = ", ".join(list(columns)[:12]) + (", ..." if len(columns) > 12 else "")
    places = [(spec_place("criteria", i, "column"), c.column) for i, c in enumerate(spec.criteria)]
    places += [(spec_place("filters", i, "column"), f.column) for i, f in enumerate(spec.filters)]
    places += [("id", spec.id_column)] + [(spec_place("keep", i), k) for i, k in enumerate(spec.keep)]
    for place, column in places:
        if column not in columns:
            raise coded(spec.source, place, "unknown_column", column=column, table=table, known=known)
    for c in spec.criteria:
        kind = columns[c.column]
        if kind and not kind.startswith(_NUMERIC_ARROW_TYPES):
            raise coded(table, f"column {c.column!r}", "numeric_column", kind=kind)


def iter_table(
    path: str | os.PathLike[str], columns: Sequence[str], chunk_rows: int, *, name: str | None = None
) -> Iterator[pd.DataFrame]:
    """The table in chunks of about ``chunk_rows`` rows, only the named columns."""
    if table_format(path, name) == "parquet":
        import pyarrow.parquet as pq

        with pq.ParquetFile(path) as reader:
            for batch in reader.iter_batches(batch_size=chunk_rows, columns=list(columns)):
                yield batch.to_pandas()
        return
    source = name or display_path(path)
    try:
        with pd.read_csv(
            path, usecols=list(columns), chunksize=chunk_rows, encoding="utf-8-sig", low_memory=False
        ) as reader:
            yield from reader
    except UnicodeDecodeError as exc:
        raise coded(source, "", "csv_not_utf8", reason=str(exc), byte=exc.start) from None
    except pd.errors.ParserError as exc:
        raise coded(source, "", "csv_unreadable", reason=str(exc)) from None


def spec_chunks(
    path: str | os.PathLike[str], spec: ScreenSpec, chunk_rows: int, *, output: bool, name: str | None = None
) -> Iterator[tuple[int, pd.DataFrame]]:
    """(position of the chunk's first row, chunk) with the columns the spec needs (see needed_columns)."""
    first = 0
    for frame in iter_table(path, spec.needed_columns(output=output), chunk_rows, name=name):
        yield first, frame
        first += len(frame)


def check_rows(source: str, rows: int | None, max_rows: int | None) -> None:
    """Refuse a table with more than ``max_rows`` rows (no limit when None; unknown counts pass)."""
    if max_rows is not None and rows is not None and rows > max_rows:
        raise coded(source, "", "too_many_rows", limit=max_rows)


def upload_limit(max_rows: int | None = None) -> int:
    """The row limit of an upload: ``max_rows``, or :data:`MAX_UPLOAD_ROWS` as it is now."""
    return MAX_UPLOAD_ROWS if max_rows is None else max_rows


@contextmanager
def spooled(data: bytes, name: str) -> Iterator[Path]:
    """``data`` in a temporary file with the suffix of ``name``, so the path-based readers apply."""
    suffix = Path(name).suffix.lower()
    table_format(name, name)  # an unknown suffix fails here, before anything is written
    with tempfile.TemporaryDirectory(prefix="policyrank-") as folder:
        path = Path(folder) / f"table{suffix}"
        path.write_bytes(data)
        yield path
