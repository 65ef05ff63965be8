"""What a table's columns hold, so the screening page can offer them as criteria and filters."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd

from engine.io.reader import display_path
from engine.screening.tables import (
    DEFAULT_CHUNK_ROWS,
    check_rows,
    iter_table,
    spooled,
    table_columns,
    table_rows,
    upload_limit,
)
from engine.text.messages import coded

# Distinct values up to which a text column is offered as a list of choices (filters).
MAX_CATEGORIES = 60
_PEEK = 1_000  # cells of a text column parsed before all of them


@dataclass(frozen=True)
class TableProfile:
    """The columns of a table as the screening page offers them for mapping.

    Attributes
    ----------
    source : str
    rows : int
    columns : tuple of str
        In table order.
    numeric : frozenset of str
        Columns whose every present value is a number (``true``/``false`` count as 1/0), as
        :func:`engine.screening.pipeline.prepare_chunk` reads a criterion.
    values : mapping of str to tuple of str
        Distinct values (sorted) of each other column with at most :data:`MAX_CATEGORIES` of
        them, for ``in`` filters.
    """

    source: str
    rows: int
    columns: tuple[str, ...]
    numeric: frozenset[str]
    values: Mapping[str, tuple[str, ...]]


def _all_numbers(values: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(values.dtype) or pd.api.types.is_numeric_dtype(values.dtype):
        return True
    # a text column usually shows itself in its first cells; parsing all of them is the slow part
    for part in (values.iloc[:_PEEK], values):
        coerced = pd.to_numeric(part, errors="coerce")
        if (coerced.isna() & part.notna()).any():
            return False
    return True


def profile_table(
    path: str | os.PathLike[str],
    *,
    name: str | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    max_rows: int | None = None,
) -> TableProfile:
    """Stream a table once: its rows, which columns are numeric, the values of the others.

    Raises InputError for a file that is no readable CSV or Parquet table, or that has more
    than ``max_rows`` rows (checked chunk by chunk, so a long file fails early).
    """
    source = name or display_path(path)
    columns = list(table_columns(path, name=name))
    if not columns:
        raise coded(source, "", "no_header")
    check_rows(source, table_rows(path, name=name), max_rows)
    numeric = dict.fromkeys(columns, True)
    seen: dict[str, set[str] | None] = {c: set() for c in columns}
    rows = 0
    for frame in iter_table(path, columns, chunk_rows, name=name):
        rows += len(frame)
        check_rows(source, rows, max_rows)
        for column in columns:
            values = frame[column]
            numeric[column] = numeric[column] and _all_numbers(values)
            distinct = seen[column]
            if distinct is not None:
                unique = values.dropna().unique()
                if len(unique) <= MAX_CATEGORIES:
                    distinct.update(str(v) for v in unique)
                if len(unique) > MAX_CATEGORIES or len(distinct) > MAX_CATEGORIES:
                    seen[column] = None
    return TableProfile(
        source=source,
        rows=rows,
        columns=tuple(columns),
        numeric=frozenset(c for c in columns if numeric[c]),
        values=MappingProxyType(
            {c: tuple(sorted(v)) for c, v in seen.items() if v is not None and not numeric[c]}
        ),
    )


def profile_upload(data: bytes, name: str, *, max_rows: int | None = None) -> TableProfile:
    """:func:`profile_table` of a table held in memory (default limit
    :data:`engine.screening.tables.MAX_UPLOAD_ROWS`, read when called)."""
    with spooled(data, name) as path:
        return profile_table(path, name=name, max_rows=upload_limit(max_rows))
