"""Scores and ranks along one criterion's weight path, and the weights at which two alternatives swap.

The path is the one of the stability intervals (:func:`engine.robustness.stability.weight_path`):
criterion j's weight t runs from 0 to 1 and the other weights keep their proportions. Where the
stability intervals say how far the weight may move before the order changes, a sweep shows the
whole picture: every alternative's score and rank at every t, and each crossing (who overtakes
whom, at which weight, for which place).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.mcda.arrays import as_directions, as_matrix, as_weights, readonly
from engine.mcda.ranking import order, rank
from engine.mcda.registry import get
from engine.robustness.stability import weight_path

__all__ = ["Crossing", "WeightSweep", "weight_sweep", "weight_sweeps"]

Array = NDArray[np.float64]
TIE = 1e-12  # relative tolerance of a tie, as engine.mcda.ranking.rank uses


@dataclass(frozen=True)
class Crossing:
    """Two alternatives swap places at one weight of the swept criterion.

    Attributes
    ----------
    weight : float
        The weight t of the swept criterion at which their scores are equal.
    below : int
        The alternative ahead of the other for weights just below `weight`.
    above : int
        The alternative ahead just above `weight` (it overtakes `below` as the weight rises).
    place : int
        The better of the two places the pair holds next to the crossing (1 = first): a crossing
        with place 1 changes which alternative ranks first.
    """

    weight: float
    below: int
    above: int
    place: int

    def overtaker(self, start: float) -> tuple[int, int]:
        """``(overtaker, overtaken)`` for a weight moved from `start` across this crossing."""
        return (self.above, self.below) if start < self.weight else (self.below, self.above)


@dataclass(frozen=True)
class WeightSweep:
    """Every alternative's score and rank as one criterion's weight sweeps 0 -> 1.

    Attributes
    ----------
    criterion : int
        The swept criterion (column of the decision matrix).
    weight : float
        Its current weight, where today's ranking sits on the path.
    t : ndarray, shape (k,)
        The weights of the criterion at which scores were computed, 0 to 1 evenly spaced.
    scores : ndarray, shape (k, m)
        Each alternative's score at each t, as the method reports it.
    ranks : ndarray of int, shape (k, m)
        Competition ranks at each t (1 = best).
    method : str
    higher_is_better : bool
        The direction of `scores` (False for VIKOR's Q).
    crossings : tuple of Crossing
        Every swap of two alternatives on the path, by weight.
    """

    criterion: int
    weight: float
    t: Array
    scores: Array
    ranks: NDArray[np.int64]
    method: str
    higher_is_better: bool
    crossings: tuple[Crossing, ...]

    def nearest(self, *, place: int | None = None) -> tuple[Crossing | None, Crossing | None]:
        """The crossings closest to the current weight below and above it (None where there is none).

        With `place`, only crossings for that place count (``place=1``: the first changes of the
        leader, which bound the stability interval of the first place).
        """
        found = [c for c in self.crossings if place is None or c.place == place]
        below = [c for c in found if c.weight <= self.weight]
        above = [c for c in found if c.weight > self.weight]
        return (below[-1] if below else None, above[0] if above else None)

    @property
    def margin(self) -> float:
        """Distance from the current weight to the nearest change of the first place (inf if none)."""
        gaps = [abs(c.weight - self.weight) for c in self.nearest(place=1) if c is not None]
        return min(gaps, default=float("inf"))


def _signs(utility_gap: Array, scale: Array) -> NDArray[np.int64]:
    """-1, 0 or +1 per entry; gaps within the tie tolerance count as 0."""
    return np.where(np.abs(utility_gap) <= TIE * scale, 0, np.sign(utility_gap)).astype(np.int64)


def _pair_signs(utility: Array, first: NDArray[np.int64], second: NDArray[np.int64]) -> NDArray[np.int64]:
    """Sign of ``utility[..., first] - utility[..., second]`` for every pair, ties as 0."""
    a, b = utility[..., first], utility[..., second]
    return _signs(a - b, np.maximum(1.0, np.maximum(np.abs(a), np.abs(b))))


def weight_sweeps(
    matrix: ArrayLike,
    weights: ArrayLike,
    directions: ArrayLike,
    *,
    criteria: Sequence[int] | None = None,
    method: str = "topsis",
    options: Mapping[str, Any] | None = None,
    points: int = 201,
    xtol: float = 1e-6,
) -> tuple[WeightSweep, ...]:
    """Sweep each of `criteria` (default: every criterion) from 0 to 1 and find every crossing.

    Parameters
    ----------
    matrix : array_like, shape (m, n)
        Decision matrix.
    weights : array_like, shape (n,)
        Current weights (renormalised to sum 1).
    directions : array_like, shape (n,)
        +1 benefit, -1 cost.
    criteria : sequence of int, optional
        The columns to sweep, in the order of the result.
    method : str, optional
        A method of :mod:`engine.mcda.registry`.
    options : mapping, optional
        The method's options (normalisation, VIKOR's v, PROMETHEE's preference function ...),
        checked by the registry.
    points : int, optional
        Evenly spaced weights per criterion at which scores and ranks are reported (default 201).
    xtol : float, optional
        Accuracy of each crossing's weight (default 1e-6).

    Returns
    -------
    tuple of WeightSweep
        One per swept criterion.

    Notes
    -----
    Along the path of criterion j the weights are :math:`w(t) = (1 - t)\\, w_{-j} / (1 - w_j) + t\\,
    e_j` (:func:`engine.robustness.stability.weight_path`). The scores of all criteria at all
    points are one batch for the method's batch scorer. Two alternatives cross where the sign of
    their score difference changes between neighbouring points (a tie within the tolerance of
    :func:`engine.mcda.ranking.rank` does not count as a side); every such bracket is then halved
    until narrower than ``xtol``, all brackets in one batch per step, and the crossing is the
    bracket's midpoint. A swap and swap back that both fall between two points (closer than
    ``1 / (points - 1)``) is not seen; for WSM, whose scores are linear in t, none can be missed.
    The place of a crossing is read from the order just past it (ties in input order, as
    :func:`engine.mcda.ranking.order` breaks them).

    References
    ----------
    .. [1] Triantaphyllou, E., & Sánchez, A. (1997). A sensitivity analysis approach for some
       deterministic multi-criteria decision-making methods. Decision Sciences, 28(1), 151-194.
    """
    spec = get(method)
    checked = spec.check_options(options or {})
    x = as_matrix(matrix)
    m, n = x.shape
    d = as_directions(directions, n)
    w_batch, batched = as_weights(weights, n)
    if batched:
        raise ValueError(f"weights must be one vector (n,) here; got shape {np.shape(weights)}")
    w = w_batch[0]
    if n < 2:
        raise ValueError("a weight sweep needs at least two criteria: with one, every weight ranks alike")
    cols = np.arange(n) if criteria is None else np.asarray(criteria)
    if cols.ndim != 1 or cols.dtype.kind not in "iu" or np.any((cols < 0) | (cols >= n)):
        raise ValueError(f"criteria must be column numbers from 0 to {n - 1}; got {criteria!r}")
    if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or points < 3:
        raise ValueError(f"points must be an integer >= 3; got {points!r}")
    if not (np.isfinite(xtol) and 0 < xtol < 0.1):
        raise ValueError(f"xtol must lie in (0, 0.1); got {xtol!r}")

    c = cols.shape[0]
    t = np.linspace(0.0, 1.0, points)
    along = weight_path(w, np.repeat(cols, points), np.tile(t, c))
    scores = spec.batch_scores(x, along, d, **checked).reshape(c, points, m)
    utility = scores if spec.higher_is_better else -scores
    ranks = rank(scores.reshape(-1, m), higher_is_better=spec.higher_is_better).reshape(c, points, m)

    first, second = np.triu_indices(m, 1)
    signs = _pair_signs(utility, first, second)  # (c, points, pairs)
    # a tie at a grid point sits between its neighbours' sides: carry the last side forward
    steps = np.arange(points)[None, :, None]
    last = np.maximum.accumulate(np.where(signs != 0, steps, 0), axis=1)
    carried = np.take_along_axis(signs, last, axis=1)
    cross = (carried[:, :-1] != 0) & (signs[:, 1:] != 0) & (carried[:, :-1] != signs[:, 1:])
    which, step, pair = np.nonzero(cross)
    side = carried[which, step, pair]  # +1: `first` is ahead below the crossing
    lo = t[last[which, step, pair]]
    hi = t[step + 1]
    a, b = first[pair], second[pair]
    moving = cols[which]
    width = float((hi - lo).max(initial=0.0))
    halvings = int(np.ceil(np.log2(width / xtol))) if width > xtol else 0
    for _ in range(halvings):  # about 13 steps for 201 points; each scores every bracket at once
        mid = 0.5 * (lo + hi)
        u = spec.utilities(x, weight_path(w, moving, mid), d, **checked)
        rows = np.arange(mid.shape[0])
        now = _signs(
            u[rows, a] - u[rows, b],
            np.maximum(1.0, np.maximum(np.abs(u[rows, a]), np.abs(u[rows, b]))),
        )
        flipped = now == -side
        hi = np.where(flipped, mid, hi)
        lo = np.where(flipped, lo, mid)
    at = 0.5 * (lo + hi)
    below = np.where(side > 0, a, b)
    above = np.where(side > 0, b, a)
    if at.size:
        past = order(spec.utilities(x, weight_path(w, moving, hi), d, **checked))
        positions = np.argsort(past, axis=1)
        rows = np.arange(at.shape[0])
        place = np.minimum(positions[rows, a], positions[rows, b]) + 1
    else:
        place = np.zeros(0, dtype=np.int64)

    sweeps = []
    for k in range(c):  # one record per criterion; the numbers above are one batch
        mine = np.flatnonzero(which == k)
        mine = mine[np.argsort(at[mine], kind="stable")]
        sweeps.append(
            WeightSweep(
                criterion=int(cols[k]),
                weight=float(w[cols[k]]),
                t=readonly(t.copy()),
                scores=readonly(scores[k].copy()),
                ranks=readonly(ranks[k].copy()),
                method=spec.id,
                higher_is_better=spec.higher_is_better,
                crossings=tuple(
                    Crossing(
                        weight=float(at[i]), below=int(below[i]), above=int(above[i]), place=int(place[i])
                    )
                    for i in mine
                ),
            )
        )
    return tuple(sweeps)


def weight_sweep(
    matrix: ArrayLike,
    weights: ArrayLike,
    directions: ArrayLike,
    criterion: int,
    **kwargs: Any,
) -> WeightSweep:
    """:func:`weight_sweeps` of one criterion (keyword options as there)."""
    return weight_sweeps(matrix, weights, directions, criteria=[criterion], **kwargs)[0]
