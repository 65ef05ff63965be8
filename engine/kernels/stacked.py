"""Scores of every method for a batch of weight vectors and, optionally, a stack of matrices.

:mod:`engine.mcda.methods` scores one decision matrix under many weight vectors. Robustness analysis
also needs many matrices at once: Monte Carlo samples of uncertain performance values, or the m
leave-one-out problems of a rank-reversal check. :func:`batch_scores` accepts a matrix (m, n) or a
stack (k, m, n) and evaluates the whole stack with array operations; with a single matrix it
defers to :mod:`engine.mcda.methods`, so both paths give the same numbers.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.mcda.arrays import as_directions, as_weights, describe_value, first_bad
from engine.mcda.methods import (
    DEFAULT_NORMALIZATION,
    HIGHER_IS_BETTER,
    METHODS,
    promethee_ii,
    topsis,
    vikor,
    wsm,
)
from engine.mcda.normalization import NORMALIZATIONS, normalize

__all__ = ["batch_scores", "utilities"]

Array = NDArray[np.float64]


def _as_stack(matrix: ArrayLike) -> Array:
    try:
        x = np.array(matrix, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"matrix must be numeric: {exc}") from None
    if x.ndim != 3:
        raise ValueError(f"a matrix stack must have shape (k, m, n); got {x.shape}")
    if 0 in x.shape:
        raise ValueError(f"a matrix stack must not be empty; got shape {x.shape}")
    bad = ~np.isfinite(x)
    if bad.any():
        s, r, c = first_bad(bad)
        raise ValueError(f"matrix {s} of the stack has {describe_value(x[s, r, c])} at row {r}, column {c}")
    return x


def _normalize_stack(
    x: Array, d: NDArray[np.int64], method: str, cost: str, bounds: ArrayLike | None
) -> Array:
    """Normalise every matrix of a stack (k, m, n) column by column.

    Each (matrix, criterion) pair is an independent column, so the stack is laid out as one wide
    matrix (m, k * n) and normalised in a single call: the formulas and degenerate cases stay
    those of :func:`engine.mcda.normalization.normalize`.
    """
    k, m, n = x.shape
    wide = x.transpose(1, 0, 2).reshape(m, k * n)
    wide_bounds = None if bounds is None else np.tile(np.asarray(bounds, dtype=np.float64), (k, 1))
    r = normalize(wide, np.tile(d, k), method, cost=cost, bounds=wide_bounds)  # type: ignore[arg-type]
    return r.reshape(m, k, n).transpose(1, 0, 2)


def _stack_topsis(r: Array, w: Array) -> Array:
    v = w[:, None, :] * r
    dp = np.sqrt(np.sum((v - v.max(axis=1, keepdims=True)) ** 2, axis=-1))
    dm = np.sqrt(np.sum((v - v.min(axis=1, keepdims=True)) ** 2, axis=-1))
    total = dp + dm
    return np.divide(dm, total, out=np.full(total.shape, 0.5), where=total > 0)


def _stack_vikor(x: Array, w: Array, d: NDArray[np.int64], v: float) -> Array:
    # as in engine.mcda.methods: scale each column by its largest magnitude so that hi - lo stays
    # finite for values near +-1e308 (the ratios below do not change)
    magnitude = np.abs(x).max(axis=1, keepdims=True, initial=0.0)
    x = x / np.where(magnitude > 0, magnitude, 1.0)
    hi, lo = x.max(axis=1, keepdims=True), x.min(axis=1, keepdims=True)
    best = np.where(d > 0, hi, lo)
    span = np.broadcast_to(hi - lo, x.shape)
    dist = np.divide(np.abs(best - x), span, out=np.zeros_like(x), where=span > 0)
    weighted = w[:, None, :] * dist
    s, r = weighted.sum(axis=-1), weighted.max(axis=-1)

    def scaled(a: Array) -> Array:
        low = a.min(axis=-1, keepdims=True)
        rng = np.broadcast_to(a.max(axis=-1, keepdims=True) - low, a.shape)
        return np.divide(a - low, rng, out=np.zeros_like(a), where=rng > 0)

    return v * scaled(s) + (1.0 - v) * scaled(r)


def _stack_promethee(x: Array, w: Array, d: NDArray[np.int64]) -> Array:
    m = x.shape[1]
    # usual preference function: P = 1 where the difference favours a, else 0; halves keep the
    # difference of values near +-1e308 finite
    half = 0.5 * x
    pref = ((half[:, :, None, :] - half[:, None, :, :]) * d > 0).astype(np.float64)
    pi = np.einsum("kabj,kj->kab", pref, w)
    denom = max(m - 1, 1)
    return (pi.sum(axis=-1) - pi.sum(axis=-2)) / denom


def batch_scores(
    method: str,
    matrix: ArrayLike,
    weights: ArrayLike,
    directions: ArrayLike,
    *,
    normalization: str | None = None,
    v: float = 0.5,
    cost: Literal["flip", "reciprocal"] = "flip",
    bounds: ArrayLike | None = None,
) -> Array:
    """Scores of a method for a batch of weights and a matrix or a stack of matrices.

    Parameters
    ----------
    method : {"topsis", "wsm", "vikor", "promethee"}
    matrix : array_like, shape (m, n) or (k, m, n)
        One decision matrix, or one per weight vector.
    weights : array_like, shape (n,) or (k, n)
        Renormalised to sum 1 per row. With a stack, one vector (n,) is used for every matrix.
    directions : array_like, shape (n,)
        +1 benefit, -1 cost.
    normalization : str, optional
        For TOPSIS and WSM (default: the method's textbook default); VIKOR and PROMETHEE work on
        raw values and ignore it.
    v : float, optional
        VIKOR's weight of group utility (default 0.5).
    cost, bounds : optional
        As in :func:`engine.mcda.normalization.normalize` (TOPSIS and WSM only).

    Returns
    -------
    ndarray, shape (k, m)
        TOPSIS closeness, WSM score, VIKOR Q or PROMETHEE II net flow (usual preference
        function), one row per weight vector / matrix. A single matrix and a single weight vector
        give shape (1, m).

    Notes
    -----
    The stack path repeats the mathematics of :mod:`engine.mcda.methods` along a leading axis: every
    matrix is normalised on its own (its own column norms, minima and maxima), so the result for
    matrix ``s`` equals ``engine.mcda.methods.<method>(matrix[s], weights[s], directions)``.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {METHODS}")
    norm = normalization if normalization is not None else DEFAULT_NORMALIZATION[method]
    if DEFAULT_NORMALIZATION[method] is None:
        norm = None
    elif norm not in NORMALIZATIONS:
        raise ValueError(f"unknown normalization {norm!r}; choose one of {NORMALIZATIONS}")
    if np.ndim(matrix) == 2:
        if method == "topsis":
            out = topsis(matrix, weights, directions, norm, cost=cost, bounds=bounds)  # type: ignore[arg-type]
        elif method == "wsm":
            out = wsm(matrix, weights, directions, norm, cost=cost, bounds=bounds)  # type: ignore[arg-type]
        elif method == "vikor":
            out = vikor(matrix, weights, directions, v=v)[2]
        else:
            out = promethee_ii(matrix, weights, directions)
        return np.atleast_2d(out)

    x = _as_stack(matrix)
    k, _, n = x.shape
    d = as_directions(directions, n)
    w, batched = as_weights(weights, n)
    if batched and w.shape[0] != k:
        raise ValueError(f"weights has {w.shape[0]} rows but the matrix stack has {k} matrices")
    w = np.broadcast_to(w, (k, n))
    if method == "topsis":
        return _stack_topsis(_normalize_stack(x, d, norm, cost, bounds), w)  # type: ignore[arg-type]
    if method == "wsm":
        return np.einsum("kmn,kn->km", _normalize_stack(x, d, norm, cost, bounds), w)  # type: ignore[arg-type]
    if method == "vikor":
        if not 0.0 <= v <= 1.0:
            raise ValueError(f"v must lie in [0, 1] (weight of the group utility S); got {v}")
        return _stack_vikor(x, w, d, float(v))
    return _stack_promethee(x, w, d)


def utilities(
    method: str,
    matrix: ArrayLike,
    weights: ArrayLike,
    directions: ArrayLike,
    **options: object,
) -> Array:
    """:func:`batch_scores` oriented so that higher is always better (VIKOR's Q negated)."""
    scores = batch_scores(method, matrix, weights, directions, **options)  # type: ignore[arg-type]
    return scores if HIGHER_IS_BETTER[method] else -scores
