"""Ranked rows out: formula-safe CSV (engine.io.files) or Parquet, as bytes or an atomically written file."""

from __future__ import annotations

import io
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from engine.errors import InputError
from engine.io.files import to_csv, write_atomic
from engine.screening.pipeline import ScreenResult

_SUFFIX_FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


def result_bytes(result: ScreenResult, fmt: str) -> bytes:
    """The ranked rows as bytes, exactly as :func:`write_result` writes them.

    ``fmt`` is ``"csv"`` (UTF-8, cells a spreadsheet would run as formulas neutralised) or
    ``"parquet"``.
    """
    frame = result.ranked
    if fmt == "csv":
        rows = frame.itertuples(index=False, name=None)
        return to_csv(list(frame.columns), (_csv_row(r) for r in rows)).encode("utf-8")
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        buffer = io.BytesIO()
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer)
        return buffer.getvalue()
    raise InputError("format", "", f"expected csv or parquet, got {fmt!r}")


def write_result(result: ScreenResult, out: str | os.PathLike[str]) -> None:
    """Write the ranked rows to ``.csv`` (formula-safe cells) or ``.parquet``, atomically."""
    fmt = _SUFFIX_FORMATS.get(Path(out).suffix.lower())
    if fmt is None:
        raise InputError("--out", "", f"expected a .csv or .parquet file name, got {str(out)!r}")
    write_atomic(out, result_bytes(result, fmt))


def _csv_row(row: tuple[Any, ...]) -> list[Any]:
    """The cells of one row for to_csv: floats in full precision, NaN empty, numpy integers as int.

    Numbers stay numbers (csv writes a float with its shortest round-trip repr): turned into text
    first, a negative value such as -2328.7 would look like a formula to the neutraliser.
    """
    cells: list[Any] = []
    for value in row:
        if isinstance(value, float) and math.isnan(value):
            cells.append("")
        elif isinstance(value, np.floating | float):
            cells.append(float(value))
        elif isinstance(value, np.integer):
            cells.append(int(value))
        else:
            cells.append(value)
    return cells
