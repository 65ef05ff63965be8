"""Weight stability intervals: how far one criterion's weight can move before the ranking changes.

For criterion j the weight is moved along the path :math:`w_j(t) = t`,
:math:`w_i(t) = w_i (1 - t) / (1 - w_j)` for :math:`i \\ne j` (the others keep their proportions),
:math:`t \\in [0, 1]`. The current weights sit at :math:`t = w_j`. For every criterion this module
reports the interval of t around the current weight in which the first-ranked alternative stays
first, in which the whole order stays the same, and in which each alternative keeps its position.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.mcda.arrays import as_directions, as_matrix, as_weights, readonly
from engine.mcda.normalization import normalize
from engine.mcda.ranking import order
from engine.mcda.registry import Method, get

__all__ = ["CriterionStability", "Stability", "stability_intervals", "weight_path"]

Array = NDArray[np.float64]
NONE = -1  # "no alternative" in integer result arrays


@dataclass(frozen=True)
class CriterionStability:
    """Stability of the ranking when one criterion's weight moves.

    Attributes
    ----------
    index : int
        The criterion (column of the decision matrix).
    weight : float
        Its current weight, the point t = w_j inside every interval.
    top_interval : tuple of float
        ``(low, high)``: for t in this interval the current first-ranked alternative stays first.
    top_successors : tuple of (int or None)
        The alternative that is first just below ``low`` and just above ``high``; None where the
        interval reaches 0 or 1 without a change.
    order_interval : tuple of float
        ``(low, high)``: the whole order stays the same.
    order_swaps : tuple of ((int, int) or None)
        At each end, ``(overtaken, overtaker)``: at the first position where the order just
        outside differs, the alternative that held it and the one that takes it.
    rank_intervals : ndarray, shape (m, 2)
        Per alternative, the interval in which it keeps its current position.
    rank_takers : ndarray of int, shape (m, 2)
        Per alternative and end, the alternative in its position just outside the interval
        (-1 where the interval reaches 0 or 1 without a change).
    """

    index: int
    weight: float
    top_interval: tuple[float, float]
    top_successors: tuple[int | None, int | None]
    order_interval: tuple[float, float]
    order_swaps: tuple[tuple[int, int] | None, tuple[int, int] | None]
    rank_intervals: Array
    rank_takers: NDArray[np.int64]

    @property
    def top_margin(self) -> float:
        """Smallest weight change of this criterion that changes the first place (inf if none)."""
        return _margin(self.weight, self.top_successors, self.top_interval)[0]

    def rank_margin(self, alternative: int) -> tuple[float, int]:
        """Smallest weight change that moves ``alternative`` from its position, and its side.

        Returns ``(distance, side)`` with side -1 (weight lowered), +1 (raised) or 0 (no change
        anywhere in [0, 1], distance inf).
        """
        takers = self.rank_takers[alternative]
        successors = (
            None if takers[0] == NONE else int(takers[0]),
            None if takers[1] == NONE else int(takers[1]),
        )
        low, high = self.rank_intervals[alternative]
        return _margin(self.weight, successors, (float(low), float(high)))


def _margin(
    weight: float, successors: tuple[int | None, int | None], interval: tuple[float, float]
) -> tuple[float, int]:
    """Distance from the current weight to the nearest end where something changes, and its side."""
    below = weight - interval[0] if successors[0] is not None else np.inf
    above = interval[1] - weight if successors[1] is not None else np.inf
    if not np.isfinite(min(below, above)):
        return float("inf"), 0
    return (float(below), -1) if below <= above else (float(above), 1)


@dataclass(frozen=True)
class Stability:
    """Weight stability intervals of every criterion.

    Attributes
    ----------
    method : str
    normalization : str or None
    weights : ndarray, shape (n,)
        The current weights (sum 1).
    order : ndarray of int, shape (m,)
        Current order, best first (ties keep input order).
    top : int
        The current first-ranked alternative.
    criteria : tuple of CriterionStability
        One per criterion, in column order.
    critical : int or None
        The criterion whose smallest weight change changes the first place; None if no single
        weight change anywhere in [0, 1] does.
    exact : bool
        True if the ends were solved in closed form (WSM), False if found by scan and bisection.
    grid : int
        Number of scan points per criterion (bisection path).
    xtol : float
        Accuracy of every interval end.
    """

    method: str
    normalization: str | None
    weights: Array
    order: NDArray[np.int64]
    top: int
    criteria: tuple[CriterionStability, ...]
    critical: int | None
    exact: bool
    grid: int
    xtol: float

    def critical_for(self, alternative: int) -> tuple[int, float, int] | None:
        """Criterion, weight threshold and side (-1 below, +1 above) that first move ``alternative``.

        None if no single weight change moves it from its position.
        """
        margins = [c.rank_margin(alternative) for c in self.criteria]
        best = int(np.argmin([m[0] for m in margins]))
        side = margins[best][1]
        if side == 0:
            return None
        low, high = self.criteria[best].rank_intervals[alternative]
        return best, float(low if side < 0 else high), side


def weight_path(weights: ArrayLike, criterion: ArrayLike, t: ArrayLike) -> Array:
    """Weight vectors along the one-criterion path, for many (criterion, t) pairs at once.

    Parameters
    ----------
    weights : array_like, shape (n,)
        Current weights (renormalised to sum 1).
    criterion : array_like of int, shape (b,)
        Which criterion moves, per row.
    t : array_like, shape (b,)
        Its new weight in [0, 1], per row.

    Returns
    -------
    ndarray, shape (b, n)
        Rows summing to 1: ``t`` for the moving criterion, the others scaled by
        ``(1 - t) / (1 - w_j)``.

    Notes
    -----
    If the moving criterion holds the whole weight (:math:`w_j = 1`) the others have no
    proportions to keep; they then share :math:`1 - t` equally.
    """
    w, _ = as_weights(weights, np.size(weights))
    w = w[0]
    j = np.asarray(criterion, dtype=np.int64)
    tt = np.asarray(t, dtype=np.float64)
    n = w.shape[0]
    rest = 1.0 - w[j]
    whole = rest <= 1e-12
    others = np.where(
        whole[:, None],
        1.0 / max(n - 1, 1),
        w[None, :] / np.where(whole, 1.0, rest)[:, None],
    )
    out = others * (1.0 - tt)[:, None]
    out[np.arange(j.shape[0]), j] = tt
    return out


def _positions(orders: NDArray[np.int64]) -> NDArray[np.int64]:
    """Position (0 = first) of every alternative, from orders (..., m)."""
    return np.argsort(orders, axis=-1)


class _Evaluator:
    """Orders of the alternatives at points (criterion, t) of the weight paths."""

    def __init__(self, method: Method, x: Array, w: Array, d: NDArray[np.int64], options: dict) -> None:
        self.method, self.x, self.w, self.d, self.options = method, x, w, d, options

    def orders(self, criterion: NDArray[np.int64], t: Array) -> NDArray[np.int64]:
        batch = weight_path(self.w, criterion, t)
        return order(self.method.utilities(self.x, batch, self.d, **self.options))


def _changed(
    positions: NDArray[np.int64], orders: NDArray[np.int64], pos0: NDArray[np.int64], order0
) -> NDArray[np.bool_]:
    """(..., m + 1): alternative i's position changed (i < m) or the order changed (last)."""
    alt = positions != pos0
    return np.concatenate([alt, np.any(orders != order0, axis=-1, keepdims=True)], axis=-1)


def _scan_brackets(ev: _Evaluator, w: Array, grid: int, pos0, order0) -> tuple[Array, Array, NDArray]:
    """Dense scan: for every (criterion, target, side) the last unchanged and first changed t.

    Returns ``t_in`` and ``t_out`` of shape (n, m + 1, 2) and a mask of brackets that hold a
    crossing (elsewhere ``t_out`` is the path end, 0 or 1).
    """
    n = w.shape[0]
    m = pos0.shape[0]
    base = np.linspace(0.0, 1.0, grid)
    ts = np.concatenate([np.broadcast_to(base, (n, grid)), w[:, None]], axis=1)
    sort = np.argsort(ts, axis=1, kind="stable")
    ts = np.take_along_axis(ts, sort, axis=1)
    at0 = np.argmax(sort == grid, axis=1)  # where the current weight landed, per criterion
    g = grid + 1
    criterion = np.repeat(np.arange(n), g)
    orders = ev.orders(criterion, ts.ravel()).reshape(n, g, m)
    changed = _changed(_positions(orders), orders, pos0, order0)  # (n, g, m + 1)
    idx = np.arange(g)[None, :, None]
    start = at0[:, None, None]
    right = np.where(changed & (idx > start), idx, g).min(axis=1)  # (n, m + 1)
    left = np.where(changed & (idx < start), idx, -1).max(axis=1)
    rows = np.arange(n)[:, None]
    t_in = np.stack([ts[rows, np.maximum(left + 1, 0)], ts[rows, np.minimum(right - 1, g - 1)]], axis=-1)
    t_out = np.stack([ts[rows, np.maximum(left, 0)], ts[rows, np.minimum(right, g - 1)]], axis=-1)
    crossing = np.stack([left >= 0, right < g], axis=-1)
    t_out = np.where(crossing, t_out, np.stack([np.zeros_like(left), np.ones_like(right)], -1))
    t_in = np.where(crossing, t_in, t_out)
    return t_in.astype(float), t_out.astype(float), crossing


def _bisect(ev: _Evaluator, t_in: Array, t_out: Array, crossing, pos0, order0, xtol: float):
    """Shrink every bracket with a crossing to width <= xtol / 100, all brackets at once."""
    n, q, _ = t_in.shape
    crit = np.broadcast_to(np.arange(n)[:, None, None], t_in.shape)[crossing]
    target = np.broadcast_to(np.arange(q)[None, :, None], t_in.shape)[crossing]
    lo, hi = t_in[crossing].copy(), t_out[crossing].copy()
    goal = xtol / 100.0
    width = np.abs(hi - lo).max(initial=0.0)
    steps = int(np.ceil(np.log2(width / goal))) if width > goal else 0
    for _ in range(steps):  # bisection steps (about 20), each evaluates every bracket at once
        mid = 0.5 * (lo + hi)
        orders = ev.orders(crit, mid)
        changed = _changed(_positions(orders), orders, pos0, order0)
        flip = changed[np.arange(mid.shape[0]), target]
        hi = np.where(flip, mid, hi)
        lo = np.where(flip, lo, mid)
    t_in, t_out = t_in.copy(), t_out.copy()
    t_in[crossing], t_out[crossing] = lo, hi
    return t_in, t_out


def _exact_wsm(x: Array, w: Array, d, options: dict, pos0):
    """Closed-form interval ends for WSM, whose scores are linear in t.

    Returns ``ends`` (n, m + 1, 2) and the crossing mask.
    """
    r = normalize(x, d, options.get("normalization") or "minmax")
    n = w.shape[0]
    rest = 1.0 - w
    whole = rest <= 1e-12
    total = r @ w  # (m,)
    # a_i: score of i from the other criteria, per unit of their total weight
    others = np.where(
        whole[None, :],
        (r.sum(axis=1, keepdims=True) - r) / max(n - 1, 1),
        (total[:, None] - r * w[None, :]) / np.where(whole, 1.0, rest)[None, :],
    ).T  # (n, m)
    own = r.T  # (n, m): r_ij
    # D_pl(t) = (1 - t) A + t B for "p ahead of l"; A, B of shape (n, m, m)
    a = others[:, :, None] - others[:, None, :]
    b = own[:, :, None] - own[:, None, :]
    slope = b - a
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.where(slope != 0, -a / slope, np.nan)
    ahead = pos0[:, None] < pos0[None, :]  # (m, m): p ahead of l now
    t0 = w[:, None, None]
    # p stays ahead of l for t >= root if the gap grows with t, for t <= root if it shrinks
    lower = np.where(ahead & (slope > 0) & (root > 0.0), np.minimum(root, t0), -np.inf)
    upper = np.where(ahead & (slope < 0) & (root < 1.0), np.maximum(root, t0), np.inf)
    # the position of q changes at the nearest crossing of a pair that involves q
    both_lo = np.fmax(lower, np.swapaxes(lower, 1, 2))
    both_hi = np.fmin(upper, np.swapaxes(upper, 1, 2))
    alt_lo = both_lo.max(axis=2)  # (n, m)
    alt_hi = both_hi.min(axis=2)
    ord_lo = lower.max(axis=(1, 2))[:, None]
    ord_hi = upper.min(axis=(1, 2))[:, None]
    lo = np.concatenate([alt_lo, ord_lo], axis=1)
    hi = np.concatenate([alt_hi, ord_hi], axis=1)
    crossing = np.stack([lo > -np.inf, hi < np.inf], axis=-1)
    ends = np.stack([np.clip(lo, 0.0, 1.0), np.clip(hi, 0.0, 1.0)], axis=-1)
    return ends, crossing


def stability_intervals(
    matrix: ArrayLike,
    weights: ArrayLike,
    directions: ArrayLike,
    *,
    method: str = "topsis",
    normalization: str | None = None,
    v: float = 0.5,
    grid: int = 1001,
    xtol: float = 1e-6,
    exact: bool | None = None,
) -> Stability:
    """Weight stability intervals of every criterion.

    Parameters
    ----------
    matrix : array_like, shape (m, n)
        Decision matrix.
    weights : array_like, shape (n,)
        Current weights (renormalised to sum 1).
    directions : array_like, shape (n,)
        +1 benefit, -1 cost.
    method : {"topsis", "wsm", "vikor", "promethee"}, optional
    normalization : str, optional
        For TOPSIS and WSM (default: the method's own).
    v : float, optional
        VIKOR's v.
    grid : int, optional
        Scan points per criterion on [0, 1] (default 1001; the current weight is added).
    xtol : float, optional
        Accuracy of the interval ends (default 1e-6).
    exact : bool, optional
        Solve WSM's ends in closed form (default: True for WSM, which is the only method it
        applies to).

    Returns
    -------
    Stability

    Notes
    -----
    Along the path of criterion j the weights are
    :math:`w(t) = (1 - t)\\, w_{-j} / (1 - w_j) + t\\, e_j`. All criteria are scanned at once:
    the ``n * (grid + 1)`` weight vectors form one batch for :mod:`engine.mcda.methods`. Each end is
    then bracketed between the last unchanged and the first changed scan point and refined by
    bisection, all brackets of all criteria in one batch per step, to a width of
    ``xtol / 100``; the reported end is the bracket's midpoint. A change and change back that
    both fall between two scan points (narrower than ``1 / (grid - 1)``) is not seen.

    WSM scores are linear in t: :math:`s_i(t) = (1 - t) a_i + t r_{ij}` with
    :math:`a_i = \\sum_{l \\ne j} w_l r_{il} / (1 - w_j)`. Two alternatives swap where
    :math:`s_p(t) = s_l(t)`, so every end is the nearest such root, computed in closed form.

    Ties are broken by input order (as :func:`engine.mcda.ranking.order` does). "Stays first" means
    the same alternative heads that order.

    References
    ----------
    .. [1] Triantaphyllou, E., & Sánchez, A. (1997). A sensitivity analysis approach for some
       deterministic multi-criteria decision-making methods. Decision Sciences, 28(1), 151-194.
    .. [2] Wolters, W. T. M., & Mareschal, B. (1995). Novel types of sensitivity analysis for
       additive MCDM methods. European Journal of Operational Research, 81(2), 281-290.
    """
    spec = get(method)
    x = as_matrix(matrix)
    m, n = x.shape
    d = as_directions(directions, n)
    w_batch, batched = as_weights(weights, n)
    if batched:
        raise ValueError(f"weights must be one vector (n,) here; got shape {np.shape(weights)}")
    w = w_batch[0]
    if isinstance(grid, bool) or not isinstance(grid, (int, np.integer)) or grid < 3:
        raise ValueError(f"grid must be an integer >= 3; got {grid!r}")
    if not (np.isfinite(xtol) and 0 < xtol < 0.1):
        raise ValueError(f"xtol must lie in (0, 0.1); got {xtol!r}")
    if exact is None:
        exact = method == "wsm"
    if exact and method != "wsm":
        raise ValueError(f"closed-form intervals exist only for WSM (scores linear in t); got {method!r}")
    norm = normalization if spec.normalization is not None else None
    options = spec.select(normalization=norm, v=v)
    ev = _Evaluator(spec, x, w, d, options)
    order0 = order(spec.utilities(x, w, d, **options))[0]
    pos0 = _positions(order0)
    top = int(order0[0])

    if n == 1:
        # one criterion: renormalisation makes every t > 0 the same problem
        ends = np.broadcast_to(np.array([0.0, 1.0]), (1, m + 1, 2)).copy()
        crossing = np.zeros((1, m + 1, 2), dtype=bool)
        outside = ends
    elif exact:
        ends, crossing = _exact_wsm(x, w, d, options, pos0)
        step = xtol / 100.0
        outside = np.clip(ends + np.array([-step, step]), 0.0, 1.0)
    else:
        t_in, t_out, crossing = _scan_brackets(ev, w, grid, pos0, order0)
        t_in, t_out = _bisect(ev, t_in, t_out, crossing, pos0, order0, xtol)
        ends = np.where(crossing, 0.5 * (t_in + t_out), t_out)
        outside = t_out

    # who is where just outside each end: one batch over (criterion, target, side)
    q = m + 1
    crit = np.broadcast_to(np.arange(n)[:, None, None], (n, q, 2)).ravel()
    out_orders = ev.orders(crit, outside.ravel()).reshape(n, q, 2, m) if n > 1 else None

    criteria = []
    for j in range(n):  # one small record per criterion (not a numeric loop)
        takers = np.full((m, 2), NONE, dtype=np.int64)
        order_swaps: list[tuple[int, int] | None] = [None, None]
        if out_orders is not None:
            alt_orders = out_orders[j, :m]  # (m, 2, m)
            taken = np.take_along_axis(alt_orders, np.broadcast_to(pos0[:, None, None], (m, 2, 1)), -1)[
                ..., 0
            ]
            takers = np.where(crossing[j, :m], taken, NONE)
            for side in (0, 1):
                if crossing[j, m, side]:
                    seq = out_orders[j, m, side]
                    diff = np.flatnonzero(seq != order0)
                    if diff.size:
                        p = int(diff[0])
                        order_swaps[side] = (int(order0[p]), int(seq[p]))
        successors = tuple(None if s == NONE else int(s) for s in takers[top])
        criteria.append(
            CriterionStability(
                index=j,
                weight=float(w[j]),
                top_interval=(float(ends[j, top, 0]), float(ends[j, top, 1])),
                top_successors=successors,  # type: ignore[arg-type]
                order_interval=(float(ends[j, m, 0]), float(ends[j, m, 1])),
                order_swaps=(order_swaps[0], order_swaps[1]),
                rank_intervals=readonly(ends[j, :m].copy()),
                rank_takers=readonly(takers.copy()),
            )
        )
    margins = np.array([c.top_margin for c in criteria])
    critical = int(np.argmin(margins)) if np.isfinite(margins).any() else None
    return Stability(
        method=method,
        normalization=norm if norm is not None else spec.normalization,
        weights=readonly(w.copy()),
        order=readonly(order0.copy()),
        top=top,
        criteria=tuple(criteria),
        critical=critical,
        exact=bool(exact),
        grid=int(grid),
        xtol=float(xtol),
    )
