"""Screening large candidate tables: a YAML spec maps columns to criteria; two streaming passes rank.

The targeted-recruitment measure asks which R&D centres, regional headquarters and 专精特新 firms
of the tier-1 cities Wuhan should court. Candidate lists run to thousands or millions of rows, so
a table (CSV or Parquet) is read in chunks, never whole:

1. pass 1 filters each chunk, applies the missing-value policy and reduces it to
   :class:`engine.kernels.blocked.ColumnStats`;
2. pass 2 scores each chunk with the :class:`engine.kernels.blocked.ScoringPlan` made from the merged
   statistics and keeps a running top N (or every score).

The same per-chunk functions (:func:`prepare_chunk`, :func:`chunk_stats`, :func:`chunk_top`) run
on the partitions of a Dask dataframe (:func:`screen_dask`), so results do not depend on where the
chunks come from. The scores equal those of :func:`engine.mcda.methods.topsis` /
:func:`~engine.mcda.methods.wsm` on the filtered table in memory.
"""

from __future__ import annotations

import io
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, TextIO

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from engine.errors import InputError
from engine.io.files import safe_cell, to_csv, write_atomic
from engine.io.reader import Reader, display_path
from engine.io.safe_yaml import read_yaml
from engine.kernels.blocked import ColumnStats, ScoringPlan, column_stats, moment_for, score, scoring_plan
from engine.load import ROOT
from engine.mcda.ahp import AHPResult, pairwise_matrix, priorities
from engine.mcda.ranking import rank

__all__ = [
    "FILTER_OPS",
    "MAX_UPLOAD_ROWS",
    "MISSING_POLICIES",
    "SAMPLE_SPEC",
    "SAMPLE_TABLE",
    "Criterion",
    "Filter",
    "Prepared",
    "ScreenResult",
    "ScreenSpec",
    "TableProfile",
    "chunk_stats",
    "chunk_top",
    "iter_table",
    "load_spec",
    "parse_spec",
    "prepare_chunk",
    "profile_table",
    "profile_upload",
    "result_bytes",
    "screen",
    "screen_dask",
    "screen_upload",
    "table_columns",
    "write_result",
]

FILTER_OPS: tuple[str, ...] = ("in", "not_in", "min", "max", "equals")
MISSING_POLICIES: tuple[str, ...] = ("drop", "worst", "error")
SCREEN_METHODS: tuple[str, ...] = ("topsis", "wsm")
NORMALIZATIONS: tuple[str, ...] = ("vector", "minmax", "max", "sum")
DEFAULT_NORMALIZATION = {"topsis": "vector", "wsm": "minmax"}
DEFAULT_CHUNK_ROWS = 250_000
# Rows of a table uploaded to the app (whose file size .streamlit/config.toml caps at 5 MB): the
# page reruns on every widget change, so larger tables go to `policyrank screen`, which streams.
MAX_UPLOAD_ROWS = 200_000
# Distinct values up to which a text column is offered as a list of choices (filters).
MAX_CATEGORIES = 60
_PEEK = 1_000  # cells of a text column parsed before all of them
SAMPLE_TABLE = ROOT / "data" / "firms_sample.csv"  # synthetic: see data/firms_sample.README.md
SAMPLE_SPEC = ROOT / "data" / "screen_spec.yaml"
Array = NDArray[np.float64]


# ----------------------------------------------------------------------------------- the spec


@dataclass(frozen=True)
class Criterion:
    """One column used as a criterion."""

    column: str
    direction: int  # +1 benefit, -1 cost
    weight: float | None  # None when the weights come from judgments
    bounds: tuple[float, float] | None = None


@dataclass(frozen=True)
class Filter:
    """Keep a row only if ``column`` passes ``op`` with ``value``."""

    column: str
    op: str
    value: Any

    def describe(self) -> str:
        return f"{self.column} {self.op} {self.value!r}"


@dataclass(frozen=True)
class ScreenSpec:
    """A validated screening spec (see docs/formats.md, "Screening spec").

    Attributes
    ----------
    source : str
        The file it came from (used in messages).
    method : {"topsis", "wsm"}
    normalization : {"vector", "minmax", "max", "sum"}
    id_column : str
        Identifies a row in the output.
    keep : tuple of str
        Further columns copied to the output.
    missing : {"drop", "worst", "error"}
        Rows with a missing criterion value are dropped, get the column's worst observed value,
        or stop the run with a message naming the row.
    criteria : tuple of Criterion
    filters : tuple of Filter
        All must hold (AND).
    weights : ndarray, shape (n,)
        Sum 1: the given weights renormalised, or AHP priorities of the judgments.
    ahp : AHPResult or None
        Priorities and consistency when the weights come from pairwise judgments.
    """

    source: str
    method: str
    normalization: str
    id_column: str
    keep: tuple[str, ...]
    missing: str
    criteria: tuple[Criterion, ...]
    filters: tuple[Filter, ...]
    weights: Array
    ahp: AHPResult | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c.column for c in self.criteria)

    @property
    def directions(self) -> Array:
        return np.array([c.direction for c in self.criteria], dtype=np.float64)

    @property
    def reciprocal(self) -> NDArray[np.bool_]:
        """Cost columns under "sum": scored as 1/x benefit columns, as engine.mcda.normalization does."""
        return (self.directions < 0) & (self.normalization == "sum")

    @property
    def bounds(self) -> Array | None:
        """(n, 2) fixed bounds for "minmax", NaN where a criterion has none; None if none has."""
        if not any(c.bounds for c in self.criteria):
            return None
        return np.array([c.bounds or (np.nan, np.nan) for c in self.criteria], dtype=np.float64)

    def needed_columns(self, *, output: bool) -> list[str]:
        """Columns to read: criteria and filters, plus id and kept columns for the output."""
        names = [*self.columns, *(f.column for f in self.filters)]
        if output:
            names += [self.id_column, *self.keep]
        return list(dict.fromkeys(names))

    def with_method(self, method: str | None) -> ScreenSpec:
        if method is None or method == self.method:
            return self
        if method not in SCREEN_METHODS:
            raise InputError("--method", "", f"expected one of {', '.join(SCREEN_METHODS)}, got {method!r}")
        normalization = DEFAULT_NORMALIZATION[method] if self.bounds is None else "minmax"
        return replace(self, method=method, normalization=normalization)


def _place(*parts: str | int) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def parse_spec(document: Any, source: str) -> ScreenSpec:
    """Validate a parsed spec document; every problem raises InputError naming its place."""
    r = Reader(source)
    top = r.mapping(
        document,
        "",
        ("id", "criteria"),
        ("method", "normalization", "keep", "missing", "filters", "judgments", "ahp_method", "title"),
    )
    method = top.get("method", "topsis")
    if method not in SCREEN_METHODS:
        raise r.fail("method", f"expected one of {', '.join(SCREEN_METHODS)}, got {method!r}")
    id_column = r.string(top["id"], "id")
    keep = tuple(
        r.string(v, _place("keep", i))
        for i, v in enumerate(r.sequence(top.get("keep", []) or [], "keep", min_items=0))
    )
    missing = top.get("missing", "error")
    if missing not in MISSING_POLICIES:
        raise r.fail("missing", f"expected one of {', '.join(MISSING_POLICIES)}, got {missing!r}")

    criteria: list[Criterion] = []
    items = r.sequence(top["criteria"], "criteria")
    judged = "judgments" in top
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        place = _place("criteria", i)
        fields = r.mapping(item, place, ("column", "direction"), ("weight", "bounds", "name"))
        column = r.string(fields["column"], _place("criteria", i, "column"))
        if column in seen:
            raise r.fail(
                _place("criteria", i, "column"), f"column {column!r} is already criterion {seen[column]}"
            )
        seen[column] = i
        direction = fields["direction"]
        if direction not in ("benefit", "cost"):
            raise r.fail(_place("criteria", i, "direction"), f"expected benefit or cost, got {direction!r}")
        weight = None
        if "weight" in fields:
            if judged:
                raise r.fail(_place("criteria", i, "weight"), "give weights or judgments, not both")
            weight = r.number(fields["weight"], _place("criteria", i, "weight"), low=0)
        elif not judged:
            raise r.fail(place, "missing key 'weight' (or give pairwise judgments under 'judgments')")
        bounds = None
        if "bounds" in fields:
            pair = r.sequence(fields["bounds"], _place("criteria", i, "bounds"), min_items=2)
            if len(pair) != 2:
                raise r.fail(_place("criteria", i, "bounds"), f"expected [low, high], got {len(pair)} items")
            low = r.number(pair[0], _place("criteria", i, "bounds", 0))
            high = r.number(pair[1], _place("criteria", i, "bounds", 1))
            if not low < high:
                raise r.fail(_place("criteria", i, "bounds"), f"expected low < high, got [{low:g}, {high:g}]")
            bounds = (low, high)
        criteria.append(Criterion(column, 1 if direction == "benefit" else -1, weight, bounds))

    has_bounds = any(c.bounds for c in criteria)
    normalization = top.get("normalization", "minmax" if has_bounds else DEFAULT_NORMALIZATION[method])
    if normalization not in NORMALIZATIONS:
        raise r.fail("normalization", f"expected one of {', '.join(NORMALIZATIONS)}, got {normalization!r}")
    if has_bounds and normalization != "minmax":
        raise r.fail("normalization", f"fixed bounds need 'minmax', got {normalization!r}")

    ahp = None
    if judged:
        ahp = _judged_weights(
            r, top["judgments"], [c.column for c in criteria], top.get("ahp_method", "eigen")
        )
        weights = np.asarray(ahp.weights, dtype=np.float64)
    else:
        weights = np.array([c.weight for c in criteria], dtype=np.float64)
        if weights.sum() <= 0:
            raise r.fail("criteria", "the weights must not all be zero")
        weights = weights / weights.sum()

    filters = []
    for i, item in enumerate(r.sequence(top.get("filters", []) or [], "filters", min_items=0)):
        place = _place("filters", i)
        fields = r.mapping(item, place, ("column",), FILTER_OPS)
        column = r.string(fields["column"], _place("filters", i, "column"))
        ops = [op for op in FILTER_OPS if op in fields]
        if len(ops) != 1:
            raise r.fail(place, f"expected exactly one of {', '.join(FILTER_OPS)}, got {len(ops)}")
        op = ops[0]
        value = fields[op]
        if op in ("in", "not_in"):
            value = tuple(r.sequence(value, _place("filters", i, op)))
            for j, v in enumerate(value):
                if not isinstance(v, str | int | float | bool):
                    raise r.fail(
                        _place("filters", i, op, j), f"expected a text or a number, got {type(v).__name__}"
                    )
        elif op in ("min", "max"):
            value = r.number(value, _place("filters", i, op))
        elif not isinstance(value, str | int | float | bool):
            raise r.fail(
                _place("filters", i, op), f"expected a text, number or true/false, got {type(value).__name__}"
            )
        filters.append(Filter(column, op, value))

    return ScreenSpec(
        source=source,
        method=method,
        normalization=normalization,
        id_column=id_column,
        keep=keep,
        missing=missing,
        criteria=tuple(criteria),
        filters=tuple(filters),
        weights=weights,
        ahp=ahp,
    )


def _judged_weights(r: Reader, value: Any, columns: list[str], method: Any) -> AHPResult:
    if method not in ("eigen", "geometric"):
        raise r.fail("ahp_method", f"expected eigen or geometric, got {method!r}")
    index = {c: i for i, c in enumerate(columns)}
    pairs = []
    for k, item in enumerate(r.sequence(value, "judgments")):
        fields = r.mapping(item, _place("judgments", k), ("a", "b", "value"), ("why",))
        for key in ("a", "b"):
            if fields[key] not in index:
                raise r.fail(
                    _place("judgments", k, key),
                    f"expected one of the criteria's columns ({', '.join(columns)}), got {fields[key]!r}",
                )
        number = r.number(fields["value"], _place("judgments", k, "value"), low=1 / 9 - 1e-6, high=9 + 1e-6)
        pairs.append((index[fields["a"]], index[fields["b"]], number))
    try:
        matrix = pairwise_matrix(len(columns), pairs)
        return priorities(matrix, method)
    except ValueError as exc:
        raise r.fail("judgments", str(exc)) from None


def load_spec(path: str | os.PathLike[str]) -> ScreenSpec:
    source = display_path(path)
    document, _ = read_yaml(path, source)
    return parse_spec(document, source)


# ---------------------------------------------------------------------------------- the table


def _kind(path: str | os.PathLike[str], name: str | None = None) -> str:
    suffix = Path(name or path).suffix.lower()
    if suffix in (".parquet", ".pq"):
        return "parquet"
    if suffix in (".csv", ".txt"):
        return "csv"
    raise InputError(
        name or display_path(path), "", f"expected a .csv or .parquet table, got {suffix or 'no extension'!r}"
    )


def table_columns(path: str | os.PathLike[str], *, name: str | None = None) -> dict[str, str]:
    """Column names of a table and, for Parquet, their Arrow types ("" for CSV).

    ``name`` names the table in messages and decides its format (default: the path).
    """
    source = name or display_path(path)
    if not Path(path).is_file():
        raise InputError(source, "", "file not found")
    if _kind(path, name) == "parquet":
        import pyarrow.parquet as pq

        try:
            schema = pq.read_schema(path)
        except Exception as exc:  # pyarrow raises several types for a broken file
            raise InputError(source, "", f"not a readable Parquet file ({exc})") from None
        return {name: str(schema.field(name).type) for name in schema.names}
    try:
        header = pd.read_csv(path, nrows=0, encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(source, "", f"not a readable CSV file ({exc})") from None
    return dict.fromkeys((str(c) for c in header.columns), "")


def check_columns(spec: ScreenSpec, columns: dict[str, str], table: str) -> None:
    """Every column the spec names exists; criteria columns of a Parquet file are numeric."""
    known = ", ".join(list(columns)[:12]) + (", ..." if len(columns) > 12 else "")
    places = [(_place("criteria", i, "column"), c.column) for i, c in enumerate(spec.criteria)]
    places += [(_place("filters", i, "column"), f.column) for i, f in enumerate(spec.filters)]
    places += [("id", spec.id_column)] + [(_place("keep", i), k) for i, k in enumerate(spec.keep)]
    for place, column in places:
        if column not in columns:
            raise InputError(spec.source, place, f"column {column!r} is not in {table} (columns: {known})")
    for c in spec.criteria:
        kind = columns[c.column]
        if kind and not any(
            kind.startswith(p) for p in ("int", "uint", "float", "double", "bool", "decimal", "halffloat")
        ):
            raise InputError(table, f"column {c.column!r}", f"expected a numeric column, got {kind}")


def iter_table(
    path: str | os.PathLike[str], columns: Sequence[str], chunk_rows: int, *, name: str | None = None
) -> Iterator[pd.DataFrame]:
    """The table in chunks of about ``chunk_rows`` rows, only the named columns."""
    if _kind(path, name) == "parquet":
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
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(source, "", f"not a readable CSV file ({exc})") from None


def table_rows(path: str | os.PathLike[str], *, name: str | None = None) -> int | None:
    """Row count when the format records it (Parquet), else None."""
    if _kind(path, name) == "parquet":
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    return None


# ------------------------------------------------------------------------- per-chunk functions


@dataclass
class Prepared:
    """One chunk after filters and the missing-value policy.

    ``matrix`` (C-ordered float64, NaN = missing under "worst") holds the kept rows, ``rows``
    their positions in the table (0-based), ``dropped`` the rows removed for missing values.
    """

    matrix: Array
    rows: NDArray[np.int64]
    first_row: int
    dropped: int = 0


def _numeric(frame: pd.DataFrame, column: str, first_row: int, table: str) -> Array:
    values = frame[column]
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.to_numpy(dtype=np.float64, na_value=np.nan)
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.to_numpy(dtype=np.float64, na_value=np.nan)
    coerced = pd.to_numeric(values, errors="coerce")
    bad = coerced.isna().to_numpy() & values.notna().to_numpy()
    if bad.any():
        i = int(np.argmax(bad))
        raise InputError(
            table, f"row {first_row + i + 1}, column {column!r}", f"expected a number, got {values.iloc[i]!r}"
        )
    return coerced.to_numpy(dtype=np.float64, na_value=np.nan)


def _filter_mask(frame: pd.DataFrame, spec: ScreenSpec, table: str) -> NDArray[np.bool_] | None:
    if not spec.filters:
        return None
    mask = np.ones(len(frame), dtype=bool)
    for i, f in enumerate(spec.filters):
        values = frame[f.column]
        if f.op in ("in", "not_in"):
            hit = values.isin(list(f.value)).to_numpy()
            mask &= hit if f.op == "in" else ~hit
        elif f.op == "equals":
            mask &= (values == f.value).fillna(False).to_numpy(dtype=bool)
        else:
            if not (pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype)):
                raise InputError(
                    spec.source,
                    _place("filters", i, f.op),
                    f"{f.op} needs a numeric column; {f.column!r} in {table} holds text",
                )
            numbers = values.to_numpy(dtype=np.float64, na_value=np.nan)
            with np.errstate(invalid="ignore"):
                mask &= numbers >= f.value if f.op == "min" else numbers <= f.value
    return mask


def prepare_chunk(frame: pd.DataFrame, spec: ScreenSpec, first_row: int, table: str) -> Prepared:
    """Filter a chunk, check its values and apply the missing-value policy.

    Parameters
    ----------
    frame : DataFrame
        Rows ``first_row .. first_row + len(frame) - 1`` of the table (0-based).
    spec : ScreenSpec
    first_row : int
    table : str
        The table's name in messages.

    Raises
    ------
    InputError
        Text in a criterion column, an infinite value, a missing value under ``missing: error``,
        a value outside the spec's bounds, a negative value for "max"/"sum", or a non-positive
        value in a cost column under "sum" (it is scored as 1/x). Rows count from 1.
    """
    n = len(spec.criteria)
    matrix = np.empty((len(frame), n))
    for j, c in enumerate(spec.criteria):
        matrix[:, j] = _numeric(frame, c.column, first_row, table)
    rows = np.arange(first_row, first_row + len(frame), dtype=np.int64)
    mask = _filter_mask(frame, spec, table)
    if mask is not None:
        matrix, rows = matrix[mask], rows[mask]
    missing = np.isnan(matrix)
    dropped = 0
    if missing.any():
        if spec.missing == "error":
            i, j = (int(v) for v in np.argwhere(missing)[0])
            raise InputError(
                table,
                f"row {rows[i] + 1}, column {spec.criteria[j].column!r}",
                "missing value (the spec says missing: error; use drop or worst to allow gaps)",
            )
        if spec.missing == "drop":
            complete = ~missing.any(axis=1)
            dropped = int(len(rows) - complete.sum())
            matrix, rows = matrix[complete], rows[complete]
    with np.errstate(invalid="ignore"):
        _check_values(matrix, rows, spec, table)
        if spec.reciprocal.any():
            matrix[:, spec.reciprocal] = 1.0 / matrix[:, spec.reciprocal]
    return Prepared(np.ascontiguousarray(matrix), rows, first_row, dropped)


def _check_values(matrix: Array, rows: NDArray[np.int64], spec: ScreenSpec, table: str) -> None:
    def fail(bad: NDArray[np.bool_], expected: Callable[[float, int], str]) -> None:
        i, j = (int(v) for v in np.argwhere(bad)[0])
        raise InputError(
            table, f"row {rows[i] + 1}, column {spec.criteria[j].column!r}", expected(matrix[i, j], j)
        )

    bad = np.isinf(matrix)
    if bad.any():
        fail(bad, lambda v, j: f"expected a finite number, got {v:g}")
    if spec.normalization in ("max", "sum"):
        bad = matrix < 0
        if bad.any():
            fail(bad, lambda v, j: f"{spec.normalization!r} normalization needs values >= 0, got {v:g}")
    if spec.reciprocal.any():
        bad = (matrix <= 0) & spec.reciprocal
        if bad.any():
            fail(bad, lambda v, j: f"'sum' scores a cost criterion as 1/x and needs values > 0, got {v:g}")
    bounds = spec.bounds
    if bounds is not None:
        bad = (matrix < bounds[:, 0]) | (matrix > bounds[:, 1])
        if bad.any():
            fail(
                bad,
                lambda v, j: (
                    f"value {v:g} lies outside the spec's bounds [{bounds[j, 0]:g}, {bounds[j, 1]:g}]"
                ),
            )


def chunk_stats(prepared: Prepared, spec: ScreenSpec) -> ColumnStats:
    """Pass 1 on one prepared chunk."""
    return column_stats(prepared.matrix, moment=moment_for(spec.normalization))


def fill_values(stats: ColumnStats, spec: ScreenSpec) -> Array:
    """The worst observed value per column (in scored units), used by ``missing: worst``."""
    benefit = (spec.directions > 0) | spec.reciprocal
    worst = np.where(benefit, stats.low, stats.high)
    return np.where(np.isfinite(worst), worst, 0.0)


def make_plan(stats: ColumnStats, spec: ScreenSpec) -> tuple[ScoringPlan, Array]:
    """The scoring plan of merged statistics, and the fill values for missing cells."""
    fill = fill_values(stats, spec)
    if spec.missing == "worst":
        stats = stats.with_filled(fill)
    directions = np.where(spec.reciprocal, 1.0, spec.directions)
    bounds = spec.bounds
    if bounds is not None:
        observed = np.stack([stats.low, stats.high], axis=1)
        bounds = np.where(np.isnan(bounds), observed, bounds)
    plan = scoring_plan(
        stats, spec.weights, directions, method=spec.method, normalization=spec.normalization, bounds=bounds
    )
    return plan, fill


def chunk_scores(prepared: Prepared, plan: ScoringPlan, fill: Array) -> Array:
    """Pass 2 on one prepared chunk: a score per kept row."""
    matrix = prepared.matrix
    missing = np.isnan(matrix)
    if missing.any():
        matrix = np.where(missing, fill, matrix)
    return score(matrix, plan)


def _best(scores: Array, rows: NDArray[np.int64], top: int) -> NDArray[np.intp]:
    """Positions of the ``top`` best scores, best first; equal scores keep table order."""
    if len(scores) > top:
        cut = np.argpartition(-scores, top - 1)[:top]
        # everything equal to the cut-off score competes on row order
        threshold = scores[cut].min()
        cut = np.flatnonzero(scores >= threshold)
    else:
        cut = np.arange(len(scores))
    order = np.lexsort((rows[cut], -scores[cut]))[:top]
    return cut[order]


def chunk_top(
    frame: pd.DataFrame, prepared: Prepared, plan: ScoringPlan, fill: Array, top: int, spec: ScreenSpec
) -> pd.DataFrame:
    """Pass 2 with a running top N: the chunk's ``top`` best rows with their output columns."""
    scores = chunk_scores(prepared, plan, fill)
    best = _best(scores, prepared.rows, top)
    return _output_rows(frame, prepared, best, scores[best], spec)


def _output_rows(
    frame: pd.DataFrame, prepared: Prepared, best: NDArray[np.intp], scores: Array, spec: ScreenSpec
) -> pd.DataFrame:
    rows = prepared.rows[best]
    out = frame.iloc[rows - prepared.first_row][[spec.id_column, *spec.keep]].reset_index(drop=True)
    out.insert(0, ROW, rows)
    out["score"] = scores
    for j, c in enumerate(spec.criteria):
        values = prepared.matrix[best, j]
        out[c.column] = 1.0 / values if spec.reciprocal[j] else values
    return out


def merge_top(parts: Sequence[pd.DataFrame], top: int) -> pd.DataFrame:
    """The ``top`` best rows of several candidate frames (best first, ties in table order)."""
    filled = [p for p in parts if len(p)]
    frame = pd.concat(filled, ignore_index=True) if filled else parts[0]
    if len(frame) == 0:
        return frame
    best = _best(frame["score"].to_numpy(), frame[ROW].to_numpy(), top)
    return frame.iloc[best].reset_index(drop=True)


ROW = "_row"


# ------------------------------------------------------------------------------------ drivers


@dataclass(frozen=True)
class ScreenResult:
    """Outcome of :func:`screen`.

    Attributes
    ----------
    ranked : DataFrame
        The best rows, best first: ``rank`` (1 = best, ties share), ``row`` (1-based position in
        the table), the id and kept columns, ``score`` and the criteria values. With ``top=None``
        every kept row, in table order.
    spec : ScreenSpec
        The spec actually used (after ``method`` overrides).
    rows_read, rows_ranked, rows_filtered, rows_dropped : int
        Rows in the table, scored, removed by the filters, removed for missing values.
    stats : ColumnStats
        Column statistics of the ranked rows (after filling missing values).
    plan : ScoringPlan
    seconds : float
        Wall-clock time of both passes.
    """

    ranked: pd.DataFrame
    spec: ScreenSpec
    rows_read: int
    rows_ranked: int
    rows_filtered: int
    rows_dropped: int
    stats: ColumnStats
    plan: ScoringPlan
    seconds: float


class Progress:
    """A one-line progress display on a terminal stream (no dependency)."""

    def __init__(self, stream: TextIO | None, total: int | None) -> None:
        self.stream = stream
        self.total = total
        self.last = 0.0

    def update(self, label: str, done: int, *, final: bool = False) -> None:
        if self.stream is None:
            return
        now = time.monotonic()
        if not final and now - self.last < 0.1:
            return
        self.last = now
        if self.total:
            filled = int(30 * min(done / self.total, 1.0))
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {100 * done / self.total:5.1f}%"
        else:
            bar = ""
        self.stream.write(f"\r{label}: {bar} {done:,} rows")
        if final:
            self.stream.write("\n")
        self.stream.flush()


def _chunks(
    path: str | os.PathLike[str], spec: ScreenSpec, chunk_rows: int, *, output: bool, name: str | None = None
):
    first = 0
    for frame in iter_table(path, spec.needed_columns(output=output), chunk_rows, name=name):
        yield first, frame
        first += len(frame)


def screen(
    table: str | os.PathLike[str],
    spec: ScreenSpec,
    *,
    top: int | None = 20,
    method: str | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    progress: TextIO | None = None,
    name: str | None = None,
    max_rows: int | None = None,
) -> ScreenResult:
    """Rank the rows of a CSV or Parquet table by the spec, streaming it in chunks.

    Parameters
    ----------
    table : path
        A ``.csv`` (UTF-8, header row) or ``.parquet`` file.
    spec : ScreenSpec
    top : int or None, optional
        Keep the best ``top`` rows (default 20); None keeps every score (memory: two numbers
        per kept row, the output columns are re-read in a third pass).
    method : {"topsis", "wsm"}, optional
        Overrides the spec's method (and its default normalisation).
    chunk_rows : int, optional
        Rows read at once (default 250,000); results do not depend on it.
    progress : text stream, optional
        Where to draw a progress line (e.g. ``sys.stderr`` on a terminal).
    name : str, optional
        Names the table in messages and decides its format by its suffix (default: the path);
        :func:`screen_upload` passes the uploaded file's name.
    max_rows : int, optional
        Stop with an InputError as soon as pass 1 has read more rows (default: no limit).

    Returns
    -------
    ScreenResult

    Notes
    -----
    Pass 1 reads the criteria and filter columns and merges per-chunk
    :class:`~engine.kernels.blocked.ColumnStats`; pass 2 scores each chunk with the plan from the merged
    statistics and keeps the best rows of the chunk (``np.argpartition``) merged into a running
    top N. Ties keep table order. The scores equal those of :mod:`engine.mcda.methods` on the filtered
    table in memory, to rounding (about 1e-15).
    """
    source = name or display_path(table)
    if chunk_rows < 1:
        raise InputError("--chunk-rows", "", f"expected a positive number, got {chunk_rows}")
    if top is not None and top < 1:
        raise InputError("--top", "", f"expected a positive number, got {top}")
    spec = spec.with_method(method)
    check_columns(spec, table_columns(table, name=name), source)
    started = time.perf_counter()
    total = table_rows(table, name=name)
    _check_rows(source, total, max_rows)
    bar = Progress(progress, total)

    stats = ColumnStats.empty(len(spec.criteria), moment_for(spec.normalization))
    rows_read = dropped = kept = 0
    for first, frame in _chunks(table, spec, chunk_rows, output=False, name=name):
        _check_rows(source, first + len(frame), max_rows)
        prepared = prepare_chunk(frame, spec, first, source)
        stats = stats.merge(chunk_stats(prepared, spec))
        rows_read, dropped, kept = first + len(frame), dropped + prepared.dropped, kept + len(prepared.rows)
        bar.update("pass 1/2", rows_read)
    bar.update("pass 1/2", rows_read, final=True)
    if kept == 0:
        raise InputError(source, "", "no rows left to rank after the spec's filters and missing-value policy")
    plan, fill = make_plan(stats, spec)

    all_scores: list[Array] = []
    all_rows: list[NDArray[np.int64]] = []
    running: pd.DataFrame | None = None
    for first, frame in _chunks(table, spec, chunk_rows, output=top is not None, name=name):
        prepared = prepare_chunk(frame, spec, first, source)
        if top is None:
            all_scores.append(chunk_scores(prepared, plan, fill))
            all_rows.append(prepared.rows)
        else:
            part = chunk_top(frame, prepared, plan, fill, top, spec)
            running = part if running is None else merge_top([running, part], top)
        bar.update("pass 2/2", first + len(frame))
    bar.update("pass 2/2", rows_read, final=True)

    if top is not None:
        assert running is not None
        ranked = _finish(running, spec)
    else:
        scores, rows = np.concatenate(all_scores), np.concatenate(all_rows)
        ranked = _all_rows(table, spec, chunk_rows, scores, rows, source, name)
    return ScreenResult(
        ranked=ranked,
        spec=spec,
        rows_read=rows_read,
        rows_ranked=kept,
        rows_filtered=rows_read - kept - dropped,
        rows_dropped=dropped,
        stats=stats.with_filled(fill) if spec.missing == "worst" else stats,
        plan=plan,
        seconds=time.perf_counter() - started,
    )


def _finish(frame: pd.DataFrame, spec: ScreenSpec) -> pd.DataFrame:
    """Add ``rank`` and the 1-based ``row``; best first."""
    out = frame.copy()
    out.insert(0, "rank", rank(out["score"].to_numpy()) if len(out) else np.zeros(0, dtype=np.int64))
    out.insert(1, "row", out.pop(ROW) + 1)
    return out


def _all_rows(
    table: str | os.PathLike[str],
    spec: ScreenSpec,
    chunk_rows: int,
    scores: Array,
    rows: NDArray[np.int64],
    source: str,
    name: str | None,
) -> pd.DataFrame:
    """Every kept row in table order with its score and rank (a third pass for the output columns)."""
    ranks = rank(scores)
    pieces = []
    at = 0
    for first, frame in _chunks(table, spec, chunk_rows, output=True, name=name):
        prepared = prepare_chunk(frame, spec, first, source)
        count = len(prepared.rows)
        piece = _output_rows(frame, prepared, np.arange(count), scores[at : at + count], spec)
        piece.insert(0, "rank", ranks[at : at + count])
        pieces.append(piece)
        at += count
    out = pd.concat(pieces, ignore_index=True)
    out.insert(1, "row", out.pop(ROW) + 1)
    return out


def screen_dask(frame: Any, spec: ScreenSpec, *, top: int = 20, method: str | None = None) -> ScreenResult:
    """:func:`screen` on a Dask dataframe: each partition is one chunk, computed on the cluster.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        With the spec's columns (e.g. ``dask.dataframe.read_parquet(...)``).
    spec : ScreenSpec
    top : int, optional
    method : {"topsis", "wsm"}, optional

    Returns
    -------
    ScreenResult

    Notes
    -----
    The per-partition work (filters, checks, column statistics, scores and the partition's top
    N) is the very code :func:`screen` runs per chunk, shipped to the workers with
    ``dask.delayed``; only the small per-partition results travel back and are merged in
    partition order, so with partitions equal to :func:`screen`'s chunks the two agree bit for
    bit. Row numbers count over the whole dataframe.
    """
    import dask

    spec = spec.with_method(method)
    source = "dask dataframe"
    check_columns(spec, {str(c): _dask_kind(frame[c].dtype) for c in frame.columns}, source)
    started = time.perf_counter()
    lengths = frame.map_partitions(len).compute()
    firsts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(int)
    parts = frame[spec.needed_columns(output=True)].to_delayed()

    def stats_of(part: pd.DataFrame, first: int) -> tuple[ColumnStats, int, int]:
        prepared = prepare_chunk(part, spec, first, source)
        return chunk_stats(prepared, spec), prepared.dropped, len(prepared.rows)

    results = dask.compute(*[dask.delayed(stats_of)(p, int(f)) for p, f in zip(parts, firsts, strict=True)])
    stats = ColumnStats.empty(len(spec.criteria), moment_for(spec.normalization))
    for part_stats, _, _ in results:
        stats = stats.merge(part_stats)
    dropped = sum(r[1] for r in results)
    kept = sum(r[2] for r in results)
    if kept == 0:
        raise InputError(source, "", "no rows left to rank after the spec's filters and missing-value policy")
    plan, fill = make_plan(stats, spec)

    def top_of(part: pd.DataFrame, first: int) -> pd.DataFrame:
        return chunk_top(part, prepare_chunk(part, spec, first, source), plan, fill, top, spec)

    tops = dask.compute(*[dask.delayed(top_of)(p, int(f)) for p, f in zip(parts, firsts, strict=True)])
    running = tops[0]
    for part in tops[1:]:
        running = merge_top([running, part], top)
    rows_read = int(np.sum(lengths))
    return ScreenResult(
        ranked=_finish(running, spec),
        spec=spec,
        rows_read=rows_read,
        rows_ranked=kept,
        rows_filtered=rows_read - kept - dropped,
        rows_dropped=dropped,
        stats=stats.with_filled(fill) if spec.missing == "worst" else stats,
        plan=plan,
        seconds=time.perf_counter() - started,
    )


def _dask_kind(dtype: Any) -> str:
    return "double" if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype) else "string"


# ------------------------------------------------------------------------------------ uploads


def _check_rows(source: str, rows: int | None, max_rows: int | None) -> None:
    if max_rows is not None and rows is not None and rows > max_rows:
        raise InputError(
            source,
            "",
            f"more than {max_rows:,} rows; an upload may have at most {max_rows:,} "
            "(screen larger tables with policyrank screen --table FILE --spec FILE)",
        )


@contextmanager
def _spooled(data: bytes, name: str) -> Iterator[Path]:
    """``data`` in a temporary file with the suffix of ``name``, so the path-based readers apply."""
    suffix = Path(name).suffix.lower()
    _kind(name, name)  # an unknown suffix fails here, before anything is written
    with tempfile.TemporaryDirectory(prefix="policyrank-") as folder:
        path = Path(folder) / f"table{suffix}"
        path.write_bytes(data)
        yield path


def screen_upload(
    data: bytes,
    name: str,
    spec: ScreenSpec,
    *,
    top: int | None = 20,
    method: str | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    max_rows: int | None = None,
) -> ScreenResult:
    """:func:`screen` on a table held in memory (an upload), with a row limit.

    Parameters
    ----------
    data : bytes
        The file's content: CSV (UTF-8, header row) or Parquet.
    name : str
        The file's name: its suffix (``.csv``, ``.txt``, ``.parquet``, ``.pq``) gives the format
        and messages name the table by it.
    spec, top, method, chunk_rows
        As for :func:`screen`.
    max_rows : int, optional
        At most this many rows (default :data:`MAX_UPLOAD_ROWS`, read when called).

    Notes
    -----
    The bytes go to a temporary file that :func:`screen` then streams, so an upload is read by
    exactly the code that reads a table on disk and its results equal :func:`screen`'s.
    """
    limit = MAX_UPLOAD_ROWS if max_rows is None else max_rows
    with _spooled(data, name) as path:
        return screen(path, spec, top=top, method=method, chunk_rows=chunk_rows, name=name, max_rows=limit)


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
        :func:`prepare_chunk` reads a criterion.
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
        raise InputError(source, "", "expected a header row naming the columns, got none")
    _check_rows(source, table_rows(path, name=name), max_rows)
    numeric = dict.fromkeys(columns, True)
    seen: dict[str, set[str] | None] = {c: set() for c in columns}
    rows = 0
    for frame in iter_table(path, columns, chunk_rows, name=name):
        rows += len(frame)
        _check_rows(source, rows, max_rows)
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
    """:func:`profile_table` of a table held in memory (default limit :data:`MAX_UPLOAD_ROWS`)."""
    limit = MAX_UPLOAD_ROWS if max_rows is None else max_rows
    with _spooled(data, name) as path:
        return profile_table(path, name=name, max_rows=limit)


# ------------------------------------------------------------------------------------- output


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
    target = Path(out)
    suffix = target.suffix.lower()
    frame = result.ranked
    if suffix == ".csv":
        write_atomic(target, result_bytes(result, "csv"))
        return
    if suffix in (".parquet", ".pq"):
        import pyarrow as pa
        import pyarrow.parquet as pq

        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
        os.close(handle)
        try:
            pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), temporary)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return
    raise InputError("--out", "", f"expected a .csv or .parquet file name, got {str(out)!r}")


def _csv_row(row: tuple[Any, ...]) -> list[Any]:
    cells = []
    for value in row:
        if isinstance(value, float) and math.isnan(value):
            cells.append("")
        elif isinstance(value, np.floating | float):
            cells.append(repr(float(value)))
        elif isinstance(value, np.integer):
            cells.append(int(value))
        else:
            cells.append(safe_cell(value))
    return cells


def progress_stream(requested: bool) -> TextIO | None:
    """stderr when it is a terminal or progress was asked for, else None."""
    return sys.stderr if requested or sys.stderr.isatty() else None
