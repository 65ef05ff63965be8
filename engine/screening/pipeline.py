"""The two streaming passes that rank a large table by a spec, chunk by chunk.

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

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from engine.errors import InputError
from engine.io.reader import display_path
from engine.kernels.blocked import ColumnStats, ScoringPlan, column_stats, moment_for, score, scoring_plan
from engine.mcda.ranking import rank
from engine.screening.progress import Progress
from engine.screening.spec import Array, ScreenSpec, spec_place
from engine.screening.tables import (
    DEFAULT_CHUNK_ROWS,
    check_columns,
    check_rows,
    spec_chunks,
    spooled,
    table_columns,
    table_rows,
    upload_limit,
)
from engine.text.messages import coded, shown

ROW = "_row"  # the 0-based table position of a candidate row, until the output numbers rows from 1
NO_ROWS_LEFT = "no rows left to rank after the spec's filters and missing-value policy"


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
    if pd.api.types.is_bool_dtype(values.dtype) or pd.api.types.is_numeric_dtype(values.dtype):
        return values.to_numpy(dtype=np.float64, na_value=np.nan)
    coerced = pd.to_numeric(values, errors="coerce")
    bad = coerced.isna().to_numpy() & values.notna().to_numpy()
    if bad.any():
        i = int(np.argmax(bad))
        raise coded(
            table,
            f"row {first_row + i + 1}, column {column!r}",
            "expected_number",
            got=shown(repr(values.iloc[i])),
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
                    spec_place("filters", i, f.op),
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
            raise coded(table, f"row {rows[i] + 1}, column {spec.criteria[j].column!r}", "missing_value")
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
        fail(bad, lambda v, _: f"expected a finite number, got {v:g}")
    if spec.normalization in ("max", "sum"):
        bad = matrix < 0
        if bad.any():
            fail(bad, lambda v, _: f"{spec.normalization!r} normalization needs values >= 0, got {v:g}")
    if spec.reciprocal.any():
        bad = (matrix <= 0) & spec.reciprocal
        if bad.any():
            fail(bad, lambda v, _: f"'sum' scores a cost criterion as 1/x and needs values > 0, got {v:g}")
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
        Where to report progress (e.g. ``sys.stderr``): a redrawn line on a terminal, plain
        lines elsewhere (see :class:`engine.screening.progress.Progress`).
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
    check_rows(source, total, max_rows)

    first_pass = Progress(progress, "pass 1/2", total)
    stats = ColumnStats.empty(len(spec.criteria), moment_for(spec.normalization))
    rows_read = dropped = kept = 0
    for first, frame in spec_chunks(table, spec, chunk_rows, output=False, name=name):
        check_rows(source, first + len(frame), max_rows)
        prepared = prepare_chunk(frame, spec, first, source)
        stats = stats.merge(chunk_stats(prepared, spec))
        rows_read, dropped, kept = first + len(frame), dropped + prepared.dropped, kept + len(prepared.rows)
        first_pass.update(rows_read)
    first_pass.finish(rows_read)
    if kept == 0:
        raise InputError(source, "", NO_ROWS_LEFT)
    plan, fill = make_plan(stats, spec)

    second_pass = Progress(progress, "pass 2/2", total)
    all_scores: list[Array] = []
    running: pd.DataFrame | None = None
    for first, frame in spec_chunks(table, spec, chunk_rows, output=top is not None, name=name):
        prepared = prepare_chunk(frame, spec, first, source)
        if top is None:
            all_scores.append(chunk_scores(prepared, plan, fill))
        else:
            part = chunk_top(frame, prepared, plan, fill, top, spec)
            running = part if running is None else merge_top([running, part], top)
        second_pass.update(first + len(frame))
    second_pass.finish(rows_read)

    if top is not None:
        assert running is not None
        ranked = _numbered(running)
    else:
        ranked = _all_rows(table, spec, chunk_rows, np.concatenate(all_scores), source, name)
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


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
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
    source: str,
    name: str | None,
) -> pd.DataFrame:
    """Every kept row in table order with its score and rank (a third pass for the output columns)."""
    ranks = rank(scores)
    pieces = []
    at = 0
    for first, frame in spec_chunks(table, spec, chunk_rows, output=True, name=name):
        prepared = prepare_chunk(frame, spec, first, source)
        count = len(prepared.rows)
        piece = _output_rows(frame, prepared, np.arange(count), scores[at : at + count], spec)
        piece.insert(0, "rank", ranks[at : at + count])
        pieces.append(piece)
        at += count
    out = pd.concat(pieces, ignore_index=True)
    out.insert(1, "row", out.pop(ROW) + 1)
    return out


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
        At most this many rows (default :data:`engine.screening.tables.MAX_UPLOAD_ROWS`, read
        when called).

    Notes
    -----
    The bytes go to a temporary file that :func:`screen` then streams, so an upload is read by
    exactly the code that reads a table on disk and its results equal :func:`screen`'s.
    """
    limit = upload_limit(max_rows)
    with spooled(data, name) as path:
        return screen(path, spec, top=top, method=method, chunk_rows=chunk_rows, name=name, max_rows=limit)


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
        raise InputError(source, "", NO_ROWS_LEFT)
    plan, fill = make_plan(stats, spec)

    def top_of(part: pd.DataFrame, first: int) -> pd.DataFrame:
        return chunk_top(part, prepare_chunk(part, spec, first, source), plan, fill, top, spec)

    tops = dask.compute(*[dask.delayed(top_of)(p, int(f)) for p, f in zip(parts, firsts, strict=True)])
    running = tops[0]
    for part in tops[1:]:
        running = merge_top([running, part], top)
    rows_read = int(np.sum(lengths))
    return ScreenResult(
        ranked=_numbered(running),
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
    """The Arrow-like type name check_columns expects: numeric columns pass, others are text."""
    return "double" if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype) else "string"
