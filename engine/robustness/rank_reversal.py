"""Rank reversal: does adding or removing a countermeasure reshuffle the others?

Methods that normalise by the alternatives present (TOPSIS's ideal point, min-max ranges, VIKOR's
best and worst values, PROMETHEE's pairwise flows) can change the order of A and B when C is
added or removed. Two tools address that:

* :func:`spotis`, a fixed-bounds mode: the ideal point comes from each criterion's declared scale
  (``Problem.bounds``), not from the alternatives, so every alternative's score depends on its own
  row only and no addition or removal can reorder the others (Dezert et al. 2020);
* :func:`leave_one_out`, a check that removes each alternative in turn and reports whether the
  order of the rest changes under the chosen method.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.mcda.arrays import as_directions, as_matrix, as_weights, readonly
from engine.mcda.methods import METHODS
from engine.mcda.ranking import order, rank
from engine.mcda.registry import get

__all__ = ["FIXED", "LeaveOneOut", "RankReversal", "leave_one_out", "rank_reversal", "spotis"]

Array = NDArray[np.float64]

#: The name of the fixed-bounds mode where a method name is expected.
FIXED = "spotis"


def spotis(matrix: ArrayLike, weights: ArrayLike, directions: ArrayLike, bounds: ArrayLike) -> Array:
    """SPOTIS distance to the ideal point taken from the declared bounds (lower is better).

    Parameters
    ----------
    matrix : array_like, shape (m, n) or (k, m, n)
    weights : array_like, shape (n,) or (k, n)
    directions : array_like, shape (n,)
    bounds : array_like, shape (n, 2)
        Declared ``[low, high]`` of every criterion; every value must lie inside.

    Returns
    -------
    ndarray, shape (k, m)
        :math:`d_i = \\sum_j w_j |x_{ij} - s^*_j| / (\\mathrm{high}_j - \\mathrm{low}_j)` with the
        ideal :math:`s^*_j` = high for a benefit and low for a cost criterion; in [0, 1].

    Notes
    -----
    With fixed-bounds min-max normalisation :math:`r_{ij}` (benefit-oriented, in [0, 1]) the
    distance is :math:`1 - \\sum_j w_j r_{ij}`: one minus WSM on the fixed-bounds matrix, which
    is how it is computed. Each :math:`d_i` involves row i only.

    References
    ----------
    .. [1] Dezert, J., Tchamova, A., Han, D., & Tacnet, J.-M. (2020). The SPOTIS rank reversal
       free method for multi-criteria decision-making support. FUSION 2020, 1-8.
    """
    return 1.0 - get("wsm").batch_scores(matrix, weights, directions, normalization="minmax", bounds=bounds)


@dataclass(frozen=True)
class LeaveOneOut:
    """The order of the rest after removing each alternative in turn.

    Attributes
    ----------
    method : str
        A method of :data:`engine.mcda.methods.METHODS` or ``"spotis"``.
    normalization : str or None
    changed : ndarray of bool, shape (m,)
        ``changed[i]``: removing i changes the order of the others.
    orders : ndarray of int, shape (m, m - 1)
        Row i: the remaining alternatives (original indices), best first, after removing i.
    swaps : tuple of tuple of (int, int)
        Row i: pairs ``(a, b)`` with a ahead of b in the full problem but b ahead of a (or tied)
        once i is removed.
    """

    method: str
    normalization: str | None
    changed: NDArray[np.bool_]
    orders: NDArray[np.int64]
    swaps: tuple[tuple[tuple[int, int], ...], ...]

    @property
    def reversal_free(self) -> bool:
        return not bool(self.changed.any())


@dataclass(frozen=True)
class RankReversal:
    """Rank-reversal check under the chosen method and the fixed-bounds scores.

    Attributes
    ----------
    chosen : LeaveOneOut
        The check under the analysis method.
    fixed : LeaveOneOut
        The same check under :func:`spotis` (reversal-free by construction; kept as evidence).
    fixed_scores : ndarray, shape (m,)
        SPOTIS distances under the current weights (lower is better).
    fixed_ranks : ndarray of int, shape (m,)
    bounds : ndarray, shape (n, 2)
    """

    chosen: LeaveOneOut
    fixed: LeaveOneOut
    fixed_scores: Array
    fixed_ranks: NDArray[np.int64]
    bounds: Array


def _utility(method: str, x: Array, w: Array, d: NDArray[np.int64], options: dict) -> Array:
    if method == FIXED:
        return -spotis(x, w, d, options["bounds"])
    spec = get(method)
    chosen = spec.select(normalization=options.get("normalization"), v=options.get("v"))
    return spec.utilities(x, w, d, **chosen)


def leave_one_out(
    matrix: ArrayLike,
    weights: ArrayLike,
    directions: ArrayLike,
    *,
    method: str = "topsis",
    normalization: str | None = None,
    v: float = 0.5,
    bounds: ArrayLike | None = None,
) -> LeaveOneOut:
    """Remove each alternative in turn and check whether the others keep their order.

    Parameters
    ----------
    matrix : array_like, shape (m, n)
    weights : array_like, shape (n,)
    directions : array_like, shape (n,)
    method : str, optional
        One of :data:`engine.mcda.methods.METHODS`, or ``"spotis"`` (needs `bounds`).
    normalization : str, optional
        For TOPSIS and WSM (default: the method's own).
    v : float, optional
        VIKOR's v.
    bounds : array_like, shape (n, 2), optional
        Declared scales, for ``"spotis"``.

    Returns
    -------
    LeaveOneOut

    Notes
    -----
    The m reduced problems form one stack (m, m - 1, n), built by fancy indexing, and are scored
    in one call of the method's batch scorer (:meth:`engine.mcda.registry.Method.utilities`), each
    re-normalised on its own alternatives as a user who deleted the row would see it. "Order of the
    rest" compares competition ranks among the remaining alternatives: a tie that appears or
    disappears counts as a change.
    """
    if method != FIXED and method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {(*METHODS, FIXED)}")
    if method == FIXED and bounds is None:
        raise ValueError("the fixed-bounds mode needs the criteria's declared bounds")
    x = as_matrix(matrix)
    m, n = x.shape
    d = as_directions(directions, n)
    w = as_weights(weights, n)[0][0]
    norm = None
    if method in METHODS and get(method).normalization is not None:
        norm = normalization or get(method).normalization
    options = {"normalization": norm, "v": v, "bounds": bounds}
    if m < 2:
        return LeaveOneOut(
            method=method,
            normalization=norm,
            changed=readonly(np.zeros(m, dtype=bool)),
            orders=readonly(np.zeros((m, 0), dtype=np.int64)),
            swaps=((),) * m,
        )
    full = _utility(method, x, w, d, options)[0]
    rest = np.arange(m - 1)[None, :]
    keep = rest + (rest >= np.arange(m)[:, None])  # (m, m - 1): every index but i
    reduced = _utility(method, x[keep], w, d, options)  # (m, m - 1)
    before = rank(full[keep])
    after = rank(reduced)
    changed = np.any(before != after, axis=1)
    ahead_before = before[:, :, None] < before[:, None, :]
    lost = ahead_before & ~(after[:, :, None] < after[:, None, :])  # (m, m - 1, m - 1)
    removed, a, b = np.nonzero(lost)
    pairs = np.stack([keep[removed, a], keep[removed, b]], axis=1)
    # np.nonzero lists the pairs grouped by removed alternative, in order
    groups = np.split(pairs, np.searchsorted(removed, np.arange(1, m)))
    swaps = tuple(tuple((int(p), int(q)) for p, q in group.tolist()) for group in groups)
    orders = np.take_along_axis(keep, order(reduced), axis=1)
    return LeaveOneOut(
        method=method,
        normalization=norm,
        changed=readonly(changed),
        orders=readonly(orders),
        swaps=swaps,
    )


def rank_reversal(
    matrix: ArrayLike,
    weights: ArrayLike,
    directions: ArrayLike,
    bounds: ArrayLike,
    *,
    method: str = "topsis",
    normalization: str | None = None,
    v: float = 0.5,
) -> RankReversal:
    """Leave-one-out check under the chosen method and under the fixed-bounds mode.

    Parameters
    ----------
    matrix, weights, directions :
        As in :func:`leave_one_out`.
    bounds : array_like, shape (n, 2)
        Declared scales of the criteria (``Problem.bounds``).
    method, normalization, v : optional
        The analysis method and its options.

    Returns
    -------
    RankReversal
    """
    chosen = leave_one_out(matrix, weights, directions, method=method, normalization=normalization, v=v)
    fixed = leave_one_out(matrix, weights, directions, method=FIXED, bounds=bounds)
    scores = spotis(matrix, weights, directions, bounds)[0]
    return RankReversal(
        chosen=chosen,
        fixed=fixed,
        fixed_scores=readonly(scores),
        fixed_ranks=readonly(rank(scores, higher_is_better=False)),
        bounds=readonly(np.array(bounds, dtype=np.float64)),
    )
