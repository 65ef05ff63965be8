"""TOPSIS and WSM in two passes over blocks of rows: column statistics, then scores.

A decision matrix too large for one array operation (or for memory) is scored in two passes:

1. :func:`column_stats` reduces each block of rows to a :class:`ColumnStats` (count, minimum,
   maximum and one scaled power sum per column). Statistics of separate blocks merge exactly
   (:meth:`ColumnStats.merge`), so the blocks may come from a file read in chunks, from the
   partitions of a Dask array, or from one array in memory.
2. :func:`scoring_plan` turns the merged statistics, the weights and the directions into a
   :class:`ScoringPlan`: per column a reference point and a slope. :func:`score` then scores
   any block with the plan alone; its rows never need another row.

Every normalisation of :mod:`engine.mcda.normalization` except ``"sum"`` on cost columns is affine
per column, :math:`r_{ij} = a_j x_{ij} + b_j`, so TOPSIS needs neither the normalised nor the
weighted matrix:

.. math:: (D_i^\\pm)^2 = \\sum_j w_j^2 a_j^2 (x_{ij} - t_j^\\pm)^2,

with :math:`t_j^+` the column's maximum for a benefit and its minimum for a cost criterion
(the other way round for :math:`t_j^-`). Per block of rows that is two subtractions, two squares
and one matrix product with the (n, k) matrix :math:`(w_j a_j)^2` of a whole weight batch. The
differences are taken before squaring, so no precision is lost to cancellation.

The block functions work in place in buffers sized to the L2 cache, with the per-column
constants tiled to the block so that every ufunc runs over one contiguous stretch of memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.mcda.arrays import as_directions, as_weights, readonly

__all__ = [
    "AFFINE_NORMALIZATIONS",
    "ColumnStats",
    "ScoringPlan",
    "block_rows",
    "column_stats",
    "dask_scores",
    "fast_topsis",
    "moment_for",
    "normalization_slopes",
    "score",
    "scoring_plan",
]

Array = NDArray[np.float64]
Method = Literal["topsis", "wsm"]

AFFINE_NORMALIZATIONS: tuple[str, ...] = ("vector", "minmax", "max", "sum")

# Columns whose largest magnitude lies outside this range are summed in units of that magnitude,
# so squares of values near 1e308 cannot overflow and squares near 1e-308 cannot vanish.
_SAFE_LOW, _SAFE_HIGH = 1e-100, 1e100
# Rows folded side by side when reducing minima and maxima: the reduction then runs over long
# contiguous rows instead of rows of n values.
_FOLD = 64
# Bytes of one block buffer: a few of them fit the L2 cache of current x86 and ARM cores.
_BLOCK_BYTES = 1 << 19
# Smallest matrix (elements) worth the blocked TOPSIS in engine.mcda.methods.topsis.
FAST_MIN_SIZE = 1 << 15


def block_rows(n: int) -> int:
    """Rows per block for an n-column matrix: about 512 KiB, a multiple of 64 rows."""
    rows = _BLOCK_BYTES // (8 * max(n, 1))
    return max(_FOLD, rows - rows % _FOLD)


def moment_for(normalization: str) -> int:
    """The power sum a normalisation needs: 2 for "vector", 1 for "sum", 0 otherwise."""
    return {"vector": 2, "sum": 1}.get(normalization, 0)


# ------------------------------------------------------------------- pass 1: column statistics


@dataclass(frozen=True)
class ColumnStats:
    """What one normalisation needs to know about each column, over the rows seen so far.

    Attributes
    ----------
    rows : int
        Rows seen.
    count : ndarray of int64, shape (n,)
        Values that are not NaN (NaN marks a missing value).
    low, high : ndarray, shape (n,)
        Minimum and maximum of those values (+inf and -inf when there is none).
    moment : int
        0 (no power sum), 1 (sum) or 2 (sum of squares).
    scale : ndarray, shape (n,)
        Unit of `total`: 1, or the column's largest magnitude when that lies outside
        [1e-100, 1e100] (0 before any row).
    total : ndarray, shape (n,)
        :math:`\\sum_i (x_{ij} / s_j)^p` over the non-missing values, p = `moment`
        (zeros when `moment` is 0).

    Notes
    -----
    Merging is exact for counts, minima and maxima; the power sums are added in the unit of the
    larger scale (as in LAPACK's ``dlassq``), so neither overflows.
    """

    rows: int
    count: NDArray[np.int64]
    low: Array
    high: Array
    moment: int
    scale: Array
    total: Array

    @property
    def n(self) -> int:
        return int(self.count.shape[0])

    @property
    def missing(self) -> NDArray[np.int64]:
        """Missing values per column."""
        return self.rows - self.count

    @classmethod
    def empty(cls, n: int, moment: int) -> ColumnStats:
        return cls(
            rows=0,
            count=np.zeros(n, dtype=np.int64),
            low=np.full(n, np.inf),
            high=np.full(n, -np.inf),
            moment=moment,
            scale=np.zeros(n),
            total=np.zeros(n),
        )

    def merge(self, other: ColumnStats) -> ColumnStats:
        """Statistics of the rows of both."""
        if other.moment != self.moment or other.n != self.n:
            raise ValueError(
                f"cannot merge statistics of {other.n} columns (moment {other.moment}) into "
                f"{self.n} columns (moment {self.moment})"
            )
        scale = np.maximum(self.scale, other.scale)
        p = self.moment
        unit = np.where(scale > 0, scale, 1.0)  # scale 0: no rows yet
        total = self.total * (self.scale / unit) ** p + other.total * (other.scale / unit) ** p
        return ColumnStats(
            rows=self.rows + other.rows,
            count=self.count + other.count,
            low=np.minimum(self.low, other.low),
            high=np.maximum(self.high, other.high),
            moment=p,
            scale=scale,
            total=total,
        )

    def with_filled(self, fill: Array) -> ColumnStats:
        """Statistics after every missing value of column j is replaced by ``fill[j]``."""
        missing = self.missing
        has = missing > 0
        magnitude = np.where(has, np.abs(fill), 0.0)
        sign = np.divide(fill, magnitude, out=np.zeros(self.n), where=magnitude > 0)
        filled = ColumnStats(
            rows=0,
            count=missing,
            low=np.where(has, fill, np.inf),
            high=np.where(has, fill, -np.inf),
            moment=self.moment,
            scale=magnitude if self.moment else np.zeros(self.n),
            total=missing * sign**self.moment if self.moment else np.zeros(self.n),
        )
        return self.merge(filled)

    def value(self) -> Array:
        """The power sums in plain units (may overflow to inf for extreme columns)."""
        return self.total * self.scale**self.moment


def _fold_reduce(block: Array, ufunc: np.ufunc) -> Array:
    """Column-wise reduction of a C-contiguous (b, n) block, fast for small n."""
    b, n = block.shape
    folded = b - b % _FOLD
    parts = []
    if folded:
        wide = block[:folded].reshape(folded // _FOLD, _FOLD * n)
        parts.append(ufunc.reduce(ufunc.reduce(wide, axis=0).reshape(_FOLD, n), axis=0))
    if folded < b:
        parts.append(ufunc.reduce(block[folded:], axis=0))
    return parts[0] if len(parts) == 1 else ufunc(parts[0], parts[1])


def _plain_stats(x: Array, moment: int, rows: int) -> ColumnStats | None:
    """Statistics of a matrix without NaN and without extreme magnitudes; None otherwise.

    The optimistic path: per block two folded reductions and one fused power sum, nothing else.
    NaN propagates into the minima and an extreme magnitude shows in them too, so both are
    detected once at the end, and the caller then takes the careful path.
    """
    m, n = x.shape
    nblocks = -(-m // rows)
    lows = np.empty((nblocks, n))
    highs = np.empty((nblocks, n))
    total = np.zeros(n)
    for index, start in enumerate(range(0, m, rows)):
        block = x[start : start + rows]
        lows[index] = _fold_reduce(block, np.minimum)
        highs[index] = _fold_reduce(block, np.maximum)
        if moment == 2:
            # einsum fuses the square into the column sums: no temporary block
            total += np.einsum("ij,ij->j", block, block)
        elif moment == 1:
            total += block.sum(axis=0)
    low, high = lows.min(axis=0), highs.max(axis=0)
    if np.isnan(low).any() or np.isnan(high).any():
        return None
    magnitude = np.maximum(np.abs(low), np.abs(high))
    if moment and (np.any(magnitude > _SAFE_HIGH) or np.any((magnitude < _SAFE_LOW) & (magnitude > 0))):
        return None
    return ColumnStats(
        rows=m,
        count=np.full(n, m, dtype=np.int64),
        low=low,
        high=high,
        moment=moment,
        scale=np.ones(n),
        total=total if moment else np.zeros(n),
    )


def _careful_stats(x: Array, moment: int, rows: int) -> ColumnStats:
    """Statistics skipping NaN (counted as missing) and summing extreme columns scaled."""
    m, n = x.shape
    stats = ColumnStats.empty(n, moment)
    for start in range(0, m, rows):
        block = x[start : start + rows]
        valid = ~np.isnan(block)
        low = np.fmin.reduce(block, axis=0, initial=np.inf)
        high = np.fmax.reduce(block, axis=0, initial=-np.inf)
        scale = np.ones(n)
        total = np.zeros(n)
        if moment:
            magnitude = np.fmax(np.abs(low), np.abs(high))
            extreme = (magnitude > _SAFE_HIGH) | ((magnitude < _SAFE_LOW) & (magnitude > 0))
            scale = np.where(extreme & np.isfinite(magnitude), magnitude, 1.0)
            total = np.sum(np.where(valid, block / scale, 0.0) ** moment, axis=0)
        part = ColumnStats(
            rows=block.shape[0],
            count=valid.sum(axis=0),
            low=low,
            high=high,
            moment=moment,
            scale=scale,
            total=total,
        )
        stats = stats.merge(part)
    return stats


def _blocks(m: int, rows: int):
    return ((start, min(start + rows, m)) for start in range(0, m, rows))


def column_stats(matrix: ArrayLike, *, moment: int = 2, rows: int | None = None) -> ColumnStats:
    """Column statistics of a matrix, computed block by block.

    Parameters
    ----------
    matrix : array_like, shape (m, n)
        Values; NaN marks a missing value (skipped and counted). Infinite values are kept and
        show up in `low`/`high`, for the caller to reject.
    moment : {0, 1, 2}, optional
        Which power sum to accumulate (see :func:`moment_for`); default 2.
    rows : int, optional
        Rows per block (default :func:`block_rows`).

    Returns
    -------
    ColumnStats

    Notes
    -----
    Minima and maxima are reduced over 64 rows laid side by side, the power sums by a product
    with a vector of ones; both read every block once while it is in cache.
    """
    x = np.ascontiguousarray(matrix, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"matrix must be 2-D; got shape {x.shape}")
    if moment not in (0, 1, 2):
        raise ValueError(f"moment must be 0, 1 or 2; got {moment!r}")
    rows = rows or block_rows(x.shape[1])
    if x.shape[0] == 0:
        return ColumnStats.empty(x.shape[1], moment)
    stats = _plain_stats(x, moment, rows)
    return stats if stats is not None else _careful_stats(x, moment, rows)


# ------------------------------------------------------------------------- pass 2: the plan


@dataclass(frozen=True)
class ScoringPlan:
    """Everything pass 2 needs, for one method, normalisation and weight batch.

    Attributes
    ----------
    method : {"topsis", "wsm"}
    normalization : str
    weights : ndarray, shape (k, n)
        Weight rows, each summing to 1.
    prescale : ndarray, shape (n,) or None
        Factor applied to every block first (1 / the column's magnitude) when some column
        holds magnitudes outside [1e-100, 1e100]; None otherwise.
    reference : ndarray, shape (2, n) or (1, n)
        TOPSIS: the rows :math:`t^+` and :math:`t^-` (in prescaled units). WSM: the point
        subtracted before the product (the lower bound under minmax, else 0).
    coefficients : ndarray, shape (n, k)
        TOPSIS: :math:`(w_j a_j)^2`; WSM: :math:`w_j a_j`, with :math:`a_j` the signed slope
        of the normalisation in prescaled units.
    offset : ndarray, shape (k,)
        WSM: the score of a row equal to `reference` (0 for TOPSIS).
    batched : bool
        Whether the weights came as a batch (scores (k, m)) or one vector (scores (m,)).
    """

    method: str
    normalization: str
    weights: Array
    prescale: Array | None
    reference: Array
    coefficients: Array
    offset: Array
    batched: bool
    _tiles: dict = field(default_factory=dict, repr=False, compare=False)

    def tiled(self, rows: int) -> Array:
        """`reference` repeated for `rows` rows, flat: (p, rows * n), cached per size."""
        tile = self._tiles.get(rows)
        if tile is None:
            tile = np.tile(self.reference, (1, rows))
            self._tiles.clear()
            self._tiles[rows] = tile
        return tile


def normalization_slopes(
    stats: ColumnStats, d: NDArray[np.int64], normalization: str, bounds: Array | None
) -> tuple[Array, Array]:
    """Per column the slope magnitude g (r changes by g per unit of x) and the zero point.

    The zero point is where a column normalises to 0 under "minmax" (its low end for a benefit,
    its high end for a cost criterion; 0 under the other normalisations).
    """
    low, high = stats.low, stats.high
    n = stats.n
    zero_point = np.zeros(n)
    if normalization == "vector":
        # norm = scale * sqrt(total); a zero column normalises to 0
        norm = stats.scale * np.sqrt(stats.total)
        g = np.divide(1.0, norm, out=np.zeros(n), where=norm > 0)
    elif normalization == "minmax":
        lo, hi = (low, high) if bounds is None else (bounds[:, 0], bounds[:, 1])
        span = hi - lo
        g = np.divide(1.0, span, out=np.zeros(n), where=span > 0)
        zero_point = np.where(d > 0, lo, hi)
    elif normalization == "max":
        g = np.divide(1.0, high, out=np.zeros(n), where=high > 0)
    elif normalization == "sum":
        if np.any(d < 0):
            raise ValueError("the affine 'sum' normalisation takes benefit columns only (use 1/x for costs)")
        total = stats.scale * stats.total
        g = np.divide(1.0, total, out=np.zeros(n), where=total > 0)
    else:
        raise ValueError(f"unknown normalization {normalization!r}; choose one of {AFFINE_NORMALIZATIONS}")
    return g, zero_point


def scoring_plan(
    stats: ColumnStats,
    weights: ArrayLike,
    directions: ArrayLike,
    *,
    method: Method = "topsis",
    normalization: str = "vector",
    bounds: ArrayLike | None = None,
) -> ScoringPlan:
    """Turn merged column statistics into the constants of the scoring pass.

    Parameters
    ----------
    stats : ColumnStats
        Of every row that will be scored (missing values already filled or dropped), with the
        moment :func:`moment_for` gives for `normalization`.
    weights : array_like, shape (n,) or (k, n)
        Renormalised to sum 1 per row.
    directions : array_like, shape (n,)
        +1 benefit, -1 cost.
    method : {"topsis", "wsm"}, optional
    normalization : {"vector", "minmax", "max", "sum"}, optional
        "sum" needs benefit columns only (turn a cost column x into 1/x first).
    bounds : array_like, shape (n, 2), optional
        Fixed [low, high] per column for "minmax".

    Returns
    -------
    ScoringPlan

    Notes
    -----
    The slopes :math:`a_j` are those of :func:`engine.mcda.normalization.normalize` with
    ``cost="flip"``: :math:`\\pm 1/\\|x_j\\|_2` (vector), :math:`\\pm 1/(\\max - \\min)` or
    :math:`\\pm 1/(h_j - l_j)` with bounds (minmax), :math:`\\pm 1/\\max` (max),
    :math:`1/\\sum` (sum); a column without information (zero norm, zero span) has slope 0,
    as it normalises to a constant there.
    """
    if method not in ("topsis", "wsm"):
        raise ValueError(f"method must be 'topsis' or 'wsm'; got {method!r}")
    n = stats.n
    d = as_directions(directions, n)
    w, batched = as_weights(weights, n)
    if moment_for(normalization) != stats.moment:
        raise ValueError(
            f"{normalization!r} needs statistics with moment {moment_for(normalization)}; got {stats.moment}"
        )
    b = None if bounds is None else np.asarray(bounds, dtype=np.float64).reshape(n, 2)
    g, zero_point = normalization_slopes(stats, d, normalization, b)
    low, high = stats.low, stats.high
    magnitude = np.maximum(np.abs(low), np.abs(high))
    if b is not None:
        magnitude = np.maximum(magnitude, np.abs(b).max(axis=1))
    extreme = (magnitude > _SAFE_HIGH) | ((magnitude < _SAFE_LOW) & (magnitude > 0))
    prescale = None
    unit = np.ones(n)
    if extreme.any():
        unit = np.where(magnitude > 0, magnitude, 1.0)
        prescale = 1.0 / unit
    if method == "topsis":
        best = np.where(d > 0, high, low)
        worst = np.where(d > 0, low, high)
        reference = np.stack([best, worst]) / unit
        coefficients = ((w * (g * unit)) ** 2).T
        offset = np.zeros(w.shape[0])
    else:
        slope = np.where(d > 0, g, -g) * unit
        reference = (zero_point / unit)[None, :]
        # normalised value at the reference point: 0 for benefit and minmax, 1 for a flipped cost
        at_reference = np.where((d < 0) & (normalization != "minmax") & (g > 0), 1.0, 0.0)
        coefficients = (w * slope).T
        offset = w @ at_reference
    return ScoringPlan(
        method=method,
        normalization=normalization,
        weights=readonly(w),
        prescale=prescale,
        reference=readonly(np.ascontiguousarray(reference)),
        coefficients=readonly(np.ascontiguousarray(coefficients)),
        offset=readonly(offset),
        batched=batched,
    )


def score(matrix: ArrayLike, plan: ScoringPlan, *, rows: int | None = None) -> Array:
    """Scores of every row of `matrix` under `plan`, block by block.

    Parameters
    ----------
    matrix : array_like, shape (m, n)
        Finite values (missing values filled), the columns of the statistics.
    plan : ScoringPlan
    rows : int, optional
        Rows per block (default :func:`block_rows`).

    Returns
    -------
    ndarray, shape (m,) or (k, m)
        TOPSIS closeness (0.5 where the distances to both ideal points are 0) or WSM score.
    """
    x = np.ascontiguousarray(matrix, dtype=np.float64)
    m, n = x.shape
    if n != plan.coefficients.shape[0]:
        raise ValueError(f"matrix has {n} columns but the plan was made for {plan.coefficients.shape[0]}")
    k = plan.coefficients.shape[1]
    rows = rows or block_rows(n)
    rows = min(rows, max(m, 1))
    out = np.empty((m, k))
    p = plan.reference.shape[0]
    work = np.empty((p, rows * n))
    # the plan's column prescale tiled over a block, and the buffer its products go to
    prescaling = None if plan.prescale is None else (np.tile(plan.prescale, rows), np.empty(rows * n))
    reference = plan.tiled(rows)
    flat = x.reshape(-1)
    subtract = plan.method == "topsis" or bool(np.any(plan.reference))
    with np.errstate(invalid="ignore"):
        for start, stop in _blocks(m, rows):
            b = stop - start
            block = flat[start * n : stop * n]
            if prescaling is not None:
                prescale, scaled = prescaling
                block = np.multiply(block, prescale[: b * n], out=scaled[: b * n])
            if plan.method == "topsis":
                w = work[:, : b * n]
                np.subtract(block, reference[:, : b * n], out=w)
                np.square(w, out=w)
                dist = np.matmul(w.reshape(2, b, n), plan.coefficients)  # (2, b, k)
                np.sqrt(dist, out=dist)
                target = out[start:stop]
                np.add(dist[0], dist[1], out=target)
                # 0 / 0 (at both ideal points at once) gives NaN, set to 0.5 below
                np.divide(dist[1], target, out=target)
            else:
                if subtract:
                    w = work[0, : b * n]
                    np.subtract(block, reference[0, : b * n], out=w)
                    block = w
                np.matmul(block.reshape(b, n), plan.coefficients, out=out[start:stop])
    if plan.method == "topsis":
        out[np.isnan(out)] = 0.5
    else:
        out += plan.offset
    return out.T.copy() if plan.batched else out[:, 0]


# ------------------------------------------------------------ engine.mcda.methods.topsis fast path


def fast_topsis(
    matrix: ArrayLike,
    weights: ArrayLike,
    directions: ArrayLike,
    normalization: str,
    *,
    cost: str,
    bounds: ArrayLike | None,
) -> Array | None:
    """Blocked TOPSIS for a large, clean float64 matrix; None where the reference path must run.

    The reference path in :mod:`engine.mcda.methods` validates every input and names each defect;
    this one returns None for anything unusual (a list, another dtype, NaN or inf, a value
    outside the bounds, negative values for "max"/"sum", "sum" with cost columns, magnitudes
    outside [1e-100, 1e100], ``cost="reciprocal"``), so errors and edge cases behave exactly
    as there. Its results equal the reference path's to about 1e-15.
    """
    if not isinstance(matrix, np.ndarray) or matrix.dtype != np.float64 or matrix.ndim != 2:
        return None
    if matrix.size < FAST_MIN_SIZE or cost != "flip" or normalization not in AFFINE_NORMALIZATIONS:
        return None
    n = matrix.shape[1]
    try:
        d = as_directions(directions, n)
        as_weights(weights, n)
    except ValueError:
        return None
    if normalization == "sum" and np.any(d < 0):
        return None
    if bounds is not None and normalization != "minmax":
        return None
    stats = column_stats(matrix, moment=moment_for(normalization))
    low, high = stats.low, stats.high
    if np.any(stats.missing) or not (np.all(np.isfinite(low)) and np.all(np.isfinite(high))):
        return None  # NaN or inf: let the reference path name the cell
    magnitude = np.maximum(np.abs(low), np.abs(high))
    if np.any(magnitude > _SAFE_HIGH) or np.any((magnitude < _SAFE_LOW) & (magnitude > 0)):
        return None
    if normalization in ("max", "sum") and np.any(low < 0):
        return None
    if bounds is not None:
        b = np.asarray(bounds, dtype=np.float64)
        if (
            b.shape != (n, 2)
            or not np.all(np.isfinite(b))
            or np.any(b[:, 1] <= b[:, 0])
            or np.any(low < b[:, 0])
            or np.any(high > b[:, 1])
        ):
            return None
    plan = scoring_plan(stats, weights, d, method="topsis", normalization=normalization, bounds=bounds)
    return score(matrix, plan)


# ------------------------------------------------------------------------------- Dask arrays


def dask_scores(
    matrix: Any,
    weights: ArrayLike,
    directions: ArrayLike,
    *,
    method: Method = "topsis",
    normalization: str = "vector",
    bounds: ArrayLike | None = None,
) -> Any:
    """Scores of a Dask array (m, n), by the same two passes on its row blocks.

    Parameters
    ----------
    matrix : dask.array.Array, shape (m, n)
        Finite values; rechunked to hold every column in one block if it does not already.
    weights : array_like, shape (n,)
    directions, method, normalization, bounds :
        As in :func:`scoring_plan`.

    Returns
    -------
    dask.array.Array, shape (m,)
        Lazy scores, one block per row block of `matrix`.

    Notes
    -----
    Pass 1 runs :func:`column_stats` on every block on the workers; the small statistics come
    back and are merged in block order on the client, so the plan is the one a sequential pass
    over the same blocks makes, and every score equals that of :func:`score` on the same block
    bit for bit. Pass 2 is ``map_blocks(score, plan)``.
    """
    import dask

    if np.ndim(weights) != 1:
        raise ValueError("dask_scores takes one weight vector (n,)")
    x = matrix.rechunk({1: -1}) if len(matrix.chunks[1]) > 1 else matrix
    moment = moment_for(normalization)
    blocks = x.to_delayed().ravel()
    parts = dask.compute(*[dask.delayed(column_stats)(block, moment=moment) for block in blocks])
    stats = ColumnStats.empty(x.shape[1], moment)
    for part in parts:
        stats = stats.merge(part)
    plan = scoring_plan(stats, weights, directions, method=method, normalization=normalization, bounds=bounds)
    return x.map_blocks(score, plan, drop_axis=1, dtype=np.float64)
