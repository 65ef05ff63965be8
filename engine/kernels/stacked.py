"""Batch scorers: every method for a batch of weight vectors and, optionally, a stack of matrices.

:mod:`engine.mcda.methods` scores one decision matrix under many weight vectors. Robustness analysis
also needs many matrices at once: Monte Carlo samples of uncertain performance values, or the m
leave-one-out problems of a rank-reversal check. The scorers here accept a matrix (m, n) or a stack
(k, m, n) and return scores (k, m). Both go through the ``*_parts`` kernels of
:mod:`engine.mcda.methods`, which take a stack of one matrix or of one matrix per weight row, so the
mathematics is written once; only the validation and the column normalisation of a stack are
here. :mod:`engine.mcda.registry` names each method's batch scorer.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.mcda.arrays import as_directions, as_matrix, as_weights, describe_value, first_bad
from engine.mcda.methods import (
    check_vikor_v,
    promethee_parts,
    topsis,
    topsis_parts,
    vikor_parts,
    weighted_sums,
)
from engine.mcda.normalization import NormalizationName, normalize

__all__ = ["as_stack", "normalize_stack", "promethee_batch", "topsis_batch", "vikor_batch", "wsm_batch"]

Array = NDArray[np.float64]
Cost = Literal["flip", "reciprocal"]


def as_stack(
    matrix: ArrayLike, weights: ArrayLike, directions: ArrayLike
) -> tuple[Array, Array, NDArray[np.int64]]:
    """Validate a matrix (m, n) or a stack (k, m, n) with its weights and directions.

    Returns the stack (s, m, n) (s = 1 for one matrix), the weights (k, n) with rows summing to 1
    (one vector is used for every matrix of a stack) and the directions.
    """
    stacked = np.ndim(matrix) != 2
    if not stacked:
        x = as_matrix(matrix)[None]
    else:
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
            raise ValueError(
                f"matrix {s} of the stack has {describe_value(x[s, r, c])} at row {r}, column {c}"
            )
    k, _, n = x.shape
    d = as_directions(directions, n)
    w, batched = as_weights(weights, n)
    if stacked:
        if batched and w.shape[0] != k:
            raise ValueError(f"weights has {w.shape[0]} rows but the matrix stack has {k} matrices")
        w = np.broadcast_to(w, (k, n))
    return x, w, d


def normalize_stack(
    x: Array, d: NDArray[np.int64], method: NormalizationName, cost: Cost, bounds: ArrayLike | None
) -> Array:
    """Normalise every matrix of a stack (s, m, n) column by column.

    Each (matrix, criterion) pair is an independent column, so the stack is laid out as one wide
    matrix (m, s * n) and normalised in a single call: the formulas and degenerate cases stay
    those of :func:`engine.mcda.normalization.normalize`.
    """
    k, m, n = x.shape
    wide = x.transpose(1, 0, 2).reshape(m, k * n)
    wide_bounds = None if bounds is None else np.tile(np.asarray(bounds, dtype=np.float64), (k, 1))
    r = normalize(wide, np.tile(d, k), method, cost=cost, bounds=wide_bounds)
    return r.reshape(m, k, n).transpose(1, 0, 2)


def topsis_batch(
    matrix: ArrayLike,
    weights: ArrayLike,
    directions: ArrayLike,
    *,
    normalization: NormalizationName = "vector",
    cost: Cost = "flip",
    bounds: ArrayLike | None = None,
) -> Array:
    """TOPSIS closeness (k, m) of a matrix (m, n) or a stack (k, m, n) under weights (n,) or (k, n).

    One matrix goes through :func:`engine.mcda.methods.topsis`, which scores large matrices in
    cache-sized blocks; every matrix of a stack is normalised on its own columns.
    """
    if np.ndim(matrix) == 2:
        return np.atleast_2d(topsis(matrix, weights, directions, normalization, cost=cost, bounds=bounds))
    x, w, d = as_stack(matrix, weights, directions)
    return topsis_parts(normalize_stack(x, d, normalization, cost, bounds), w)["closeness"]


def wsm_batch(
    matrix: ArrayLike,
    weights: ArrayLike,
    directions: ArrayLike,
    *,
    normalization: NormalizationName = "minmax",
    cost: Cost = "flip",
    bounds: ArrayLike | None = None,
) -> Array:
    """WSM scores (k, m) of a matrix (m, n) or a stack (k, m, n) under weights (n,) or (k, n)."""
    x, w, d = as_stack(matrix, weights, directions)
    return weighted_sums(normalize_stack(x, d, normalization, cost, bounds), w)


def vikor_batch(matrix: ArrayLike, weights: ArrayLike, directions: ArrayLike, *, v: float = 0.5) -> Array:
    """VIKOR's Q (k, m) of a matrix (m, n) or a stack (k, m, n) under weights (n,) or (k, n)."""
    v = check_vikor_v(v)
    x, w, d = as_stack(matrix, weights, directions)
    return vikor_parts(x, w, d, v)["Q"]


def promethee_batch(
    matrix: ArrayLike,
    weights: ArrayLike,
    directions: ArrayLike,
    *,
    preference: str = "usual",
    p: ArrayLike | None = None,
    q: ArrayLike | None = None,
    s: ArrayLike | None = None,
) -> Array:
    """PROMETHEE II net flows (k, m) of a matrix (m, n) or a stack (k, m, n) under weights (n,) or (k, n)."""
    x, w, d = as_stack(matrix, weights, directions)
    return promethee_parts(x, w, d, preference, p, q, s)["net_flow"]
