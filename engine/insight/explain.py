"""Why a countermeasure ranks where it does.

:func:`drivers` is the one definition of a countermeasure's strengths and weak spots, shared by
the memo and the app: the criteria on which its weighted normalised value lies furthest above
(below) the average of all countermeasures. :func:`contributions` places each countermeasure on
the declared scales instead (independent of the other countermeasures); :func:`attribute` and
:func:`counterfactual` explain the scores of the method in use and what would change the order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from engine.analysis import Analysis
from engine.mcda.registry import evaluate, get
from engine.model import frozen_array
from engine.robustness.stability import weight_path

__all__ = [
    "Attribution",
    "Counterfactual",
    "Drivers",
    "ScoreChange",
    "WeightChange",
    "attribute",
    "counterfactual",
    "drivers",
    "rank_changes",
]


# A criterion this close to the average is neither a strength nor a weak spot: the weighted values
# are at most 1, and a column of equal values can miss its own mean by a few ulps.
LEVEL = 1e-12


@dataclass(frozen=True)
class Drivers:
    """Each countermeasure's strongest and weakest criteria against the average countermeasure.

    Attributes
    ----------
    basis : str
        The method whose weighted normalised matrix is compared ("topsis" or "wsm").
    leaf_ids, alternative_ids : tuple of str
        Column and row labels; rows in catalogue order (``problem.alternative_ids``).
    advantage : ndarray, shape (m, n)
        Weighted advantage :math:`c_{ij}` of countermeasure i over the average on criterion j.
    strongest, weakest : ndarray of int, shape (m, top)
        Column indices of the ``top`` largest (smallest) advantages of each row, strongest
        (weakest) first; -1 where fewer than ``top`` criteria lie above (below) the average.
    strongest_advantage, weakest_advantage : ndarray, shape (m, top)
        Their advantages (positive, respectively negative); NaN where the index is -1.
    average : ndarray, shape (n,)
        The mean raw value of each criterion over all countermeasures, in its natural unit.
    """

    basis: str
    leaf_ids: tuple[str, ...]
    alternative_ids: tuple[str, ...]
    advantage: NDArray[np.float64]
    strongest: NDArray[np.int64]
    weakest: NDArray[np.int64]
    strongest_advantage: NDArray[np.float64]
    weakest_advantage: NDArray[np.float64]
    average: NDArray[np.float64]

    def strengths(self, row: int) -> tuple[int, ...]:
        """Column indices of the strengths of countermeasure ``row`` (catalogue order), strongest first."""
        return tuple(int(j) for j in self.strongest[row] if j >= 0)

    def weak_spots(self, row: int) -> tuple[int, ...]:
        """Column indices of the weak spots of countermeasure ``row``, weakest first."""
        return tuple(int(j) for j in self.weakest[row] if j >= 0)


def _extremes(advantage: NDArray[np.float64], top: int, sign: int) -> tuple[NDArray, NDArray]:
    """Indices and values of the ``top`` entries of each row furthest from zero on the ``sign`` side."""
    # stable sort: on ties the criterion listed first in the hierarchy wins, as in the memo's tables
    order = np.argsort(-sign * advantage, axis=1, kind="stable")[:, :top]
    values = np.take_along_axis(advantage, order, axis=1)
    beyond = sign * values > LEVEL
    return np.where(beyond, order, -1), np.where(beyond, values, np.nan)


def drivers(analysis: Analysis, *, top: int = 1) -> Drivers:
    """Strengths and weak spots of every countermeasure, relative to the average of all of them.

    Parameters
    ----------
    analysis : Analysis
        The result of :func:`engine.analysis.run`; nothing is re-scored.
    top : int, optional
        How many strengths and weak spots to keep per countermeasure (default 1).

    Returns
    -------
    Drivers

    Notes
    -----
    The advantage of countermeasure :math:`i` on criterion :math:`j` is

    .. math:: c_{ij} = w_j r_{ij} - \\frac{1}{m}\\sum_k w_j r_{kj},

    with :math:`r` the benefit-oriented normalised matrix of the method in use. Its strengths are
    the criteria with the largest positive :math:`c_{ij}`, its weak spots those with the most
    negative. Measuring against the average rather than by the size of :math:`w_j r_{ij}` alone
    keeps a heavily weighted criterion on which every countermeasure scores well from being
    everyone's "strength". For WSM the row sums of :math:`c` are exactly each score minus the
    mean score. TOPSIS is not additive, but its distances are built from the same
    :math:`w_j r_{ij}`. VIKOR and PROMETHEE II carry no normalised matrix; for them the
    normalised matrix of the WSM run is used (min-max, which is VIKOR's
    :math:`1 - (f^*_j - f_{ij})/(f^*_j - f^-_j)`).
    """
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"top must be a positive whole number, got {top!r}")
    problem, primary = analysis.problem, analysis.primary
    basis = primary.method if "weighted" in primary.details else "wsm"
    weighted = np.asarray(analysis.results[basis].details["weighted"], dtype=np.float64)
    advantage = weighted - weighted.mean(axis=0)
    strongest, strongest_advantage = _extremes(advantage, top, 1)
    weakest, weakest_advantage = _extremes(advantage, top, -1)
    return Drivers(
        basis=basis,
        leaf_ids=problem.leaf_ids,
        alternative_ids=problem.alternative_ids,
        advantage=frozen_array(advantage),
        strongest=frozen_array(strongest, dtype=np.int64),
        weakest=frozen_array(weakest, dtype=np.int64),
        strongest_advantage=frozen_array(strongest_advantage),
        weakest_advantage=frozen_array(weakest_advantage),
        average=frozen_array(problem.matrix.mean(axis=0)),
    )


def rank_changes(current: Analysis, baseline: Analysis) -> dict[str, int]:
    """Places each countermeasure moved from `baseline` to `current`: +2 means up two places.

    Both analyses must rank the same countermeasures (the same problem under other settings).
    """
    before = {entry.id: entry.rank for entry in baseline.ranking}
    if set(before) != {entry.id for entry in current.ranking}:
        raise ValueError("the two analyses rank different countermeasures")
    return {entry.id: before[entry.id] - entry.rank for entry in current.ranking}


# ---------------------------------------------------------------- attributions and counterfactuals

SCAN_POINTS = 257  # grid of the vectorised scans before bisection
_BISECTIONS = 60  # halves the bracket to ~1e-18 of its width: exact to float precision
# "overtakes" means ahead by more than this (relative to the scores), so that a reported change,
# re-run through the full method, ranks the challenger strictly first despite rounding, and well
# beyond engine.mcda.ranking.rank's tie tolerance of 1e-12
OVERTAKE_MARGIN = 1e-10


@dataclass(frozen=True)
class Attribution:
    """Which criteria pull each countermeasure up or down under one scoring method.

    Attributes
    ----------
    method : str
    leaf_ids, alternative_ids : tuple of str
    pull : ndarray, shape (m, n)
        Signed pull of criterion j on countermeasure i: positive lifts it, negative holds it back.
        TOPSIS: :math:`(v_{ij} - v^-_j)^2 - (v_{ij} - v^+_j)^2`, its squared weighted distance
        from the anti-ideal minus that from the ideal on criterion j. WSM: :math:`w_j (r_{ij} -
        \\bar r_j)`, its weighted score against the average countermeasure. VIKOR: minus the
        centred share of group regret :math:`w_j (f^*_j - f_{ij})/(f^*_j - f^-_j)`. PROMETHEE II:
        the weighted single-criterion net flow, which sums to the net flow exactly.
    to_ideal, to_anti : ndarray, shape (m, n)
        TOPSIS only: per-criterion terms of the squared distances to the ideal and the
        anti-ideal (their row sums are ``d_plus**2`` and ``d_minus**2``); zeros otherwise.
    weighted : ndarray, shape (m, n)
        WSM: :math:`w_j r_{ij}` (row sums are the scores); TOPSIS: the weighted normalised
        matrix; VIKOR: the regret terms; PROMETHEE: the pulls.
    """

    method: str
    leaf_ids: tuple[str, ...]
    alternative_ids: tuple[str, ...]
    pull: NDArray[np.float64]
    to_ideal: NDArray[np.float64]
    to_anti: NDArray[np.float64]
    weighted: NDArray[np.float64]

    def strongest(self, alternative: int, *, k: int = 3) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The (up to) ``k`` criteria pulling ``alternative`` up most and down most."""
        row = self.pull[alternative]
        order = np.argsort(-row, kind="stable")
        up = tuple(self.leaf_ids[j] for j in order[:k] if row[j] > 1e-12)
        down = tuple(self.leaf_ids[j] for j in order[::-1][:k] if row[j] < -1e-12)
        return up, down


@dataclass(frozen=True)
class ScoreChange:
    """What the challenger's score on one criterion must become for it to overtake the leader.

    ``needed`` is in the criterion's natural unit, inside its declared scale; None when no value
    in the scale suffices. ``change`` is ``needed - current`` (negative for cost criteria).
    """

    criterion: str
    current: float
    needed: float | None
    change: float | None
    bound: float  # the end of the scale in the improving direction


@dataclass(frozen=True)
class WeightChange:
    """The weight of one criterion at which the challenger overtakes the leader.

    The other weights keep their proportions (the path of :mod:`engine.robustness.stability`). ``needed``
    is the swap point nearest to the current weight; None when no weight in [0, 1] swaps them.
    """

    criterion: str
    current: float
    needed: float | None
    change: float | None


@dataclass(frozen=True)
class Counterfactual:
    """What ``challenger`` needs to overtake ``leader`` under the analysis' primary method."""

    method: str
    leader: str
    challenger: str
    gap: float  # leader's advantage in score, in the better direction (>= 0)
    scores: tuple[ScoreChange, ...]
    weights: tuple[WeightChange, ...]


def _higher_better(analysis: Analysis) -> NDArray[np.float64]:
    primary = analysis.primary
    return np.asarray(primary.scores) * (1 if primary.higher_is_better else -1)


def attribute(analysis: Analysis) -> Attribution:
    """Per-criterion pulls of every countermeasure under the analysis' primary method.

    Notes
    -----
    The decompositions are exact: for TOPSIS the row sums of ``to_ideal`` and ``to_anti`` are the
    squared distances :math:`(d^+)^2, (d^-)^2` in ``MethodResult.details``; for WSM and PROMETHEE
    the row sums of ``weighted`` / ``pull`` are the scores (up to a constant for WSM's centring).
    """
    problem, primary = analysis.problem, analysis.primary
    form = get(primary.method).separable
    x, d, w = problem.matrix, problem.directions, np.asarray(primary.weights)
    terms = form.terms(x, d, w, primary.normalization)
    zeros = np.zeros_like(x)
    # TOPSIS' terms are distances; its weighted matrix is the one its result carries
    weighted = terms["sum"] if "sum" in terms else np.asarray(primary.details["weighted"])
    return Attribution(
        method=primary.method,
        leaf_ids=problem.leaf_ids,
        alternative_ids=problem.alternative_ids,
        pull=frozen_array(form.pull(terms)),
        to_ideal=frozen_array(terms.get("plus", zeros)),
        to_anti=frozen_array(terms.get("minus", zeros)),
        weighted=frozen_array(weighted),
    )


def _variant_scores(analysis: Analysis, row: int, values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Scores (n, g, m), higher better, when ``x[row, j]`` is set to ``values[j, g]``."""
    problem, primary = analysis.problem, analysis.primary
    form = get(primary.method).separable
    x, d, w = problem.matrix, problem.directions, np.asarray(primary.weights)
    m, n = x.shape
    g = values.shape[1]
    base = form.terms(x, d, w, primary.normalization)
    # one wide matrix whose columns are every variant of every column, normalised in one call
    wide = np.repeat(x, g, axis=1)
    wide[row] = values.reshape(-1)
    variant = form.terms(wide, np.repeat(d, g), np.repeat(w, g), primary.normalization)
    totals = {}
    for key, part in variant.items():
        part = part.reshape(m, n, g).transpose(1, 2, 0)  # (n, g, m)
        totals[key] = base[key].sum(axis=1)[None, None, :] - base[key].T[:, None, :] + part
    regret = None
    if form.regret:
        own = base["sum"]
        masked = np.where(np.eye(n, dtype=bool)[:, None, :], -np.inf, own[None, :, :])  # (n, m, n)
        others = masked.max(axis=2)  # (n, m): largest regret term without column j
        part = variant["sum"].reshape(m, n, g).transpose(1, 2, 0)
        regret = np.maximum(others[:, None, :], part)
    return form.combine(totals, analysis.settings.vikor_v, regret)


def _overtakes(challenger: NDArray[np.float64], leader: NDArray[np.float64]) -> NDArray[np.bool_]:
    scale = np.maximum(1.0, np.maximum(np.abs(challenger), np.abs(leader)))
    return challenger - leader > OVERTAKE_MARGIN * scale


def _first_crossing(ahead: NDArray[np.bool_]) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
    found = np.asarray(ahead.any(axis=1), dtype=np.bool_)  # an array, as ahead is 2-D
    return found, np.argmax(ahead, axis=1)


def _score_changes(analysis: Analysis, leader: int, challenger: int) -> tuple[ScoreChange, ...]:
    problem = analysis.problem
    x, d, bounds = problem.matrix, problem.directions, problem.bounds
    current = x[challenger]
    target = np.where(d > 0, bounds[:, 1], bounds[:, 0])
    steps = np.linspace(0.0, 1.0, SCAN_POINTS)
    grid = current[:, None] + (target - current)[:, None] * steps[None, :]

    def ahead(values: NDArray[np.float64]) -> NDArray[np.bool_]:
        scores = _variant_scores(analysis, challenger, values)
        return _overtakes(scores[..., challenger], scores[..., leader])

    found, first = _first_crossing(ahead(grid))
    found &= first > 0  # at step 0 nothing changed; the challenger is not ahead there
    rows = np.arange(len(current))
    lo = grid[rows, np.maximum(first - 1, 0)]
    hi = grid[rows, first]
    for _ in range(_BISECTIONS):
        mid = (lo + hi) / 2
        now = ahead(mid[:, None])[:, 0]
        hi, lo = np.where(now, mid, hi), np.where(now, lo, mid)
    return tuple(
        ScoreChange(
            criterion=leaf,
            current=float(current[j]),
            needed=float(hi[j]) if found[j] else None,
            change=float(hi[j] - current[j]) if found[j] else None,
            bound=float(target[j]),
        )
        for j, leaf in enumerate(problem.leaf_ids)
    )


def _path(weights: NDArray[np.float64], j: NDArray[np.int64], t: NDArray[np.float64]) -> NDArray:
    """Weights with criterion ``j`` set to ``t`` and the others rescaled in proportion: the path
    of the stability analysis (:func:`engine.robustness.stability.weight_path`)."""
    return weight_path(weights, j, t)


def _weight_changes(analysis: Analysis, leader: int, challenger: int) -> tuple[WeightChange, ...]:
    problem, primary, settings = analysis.problem, analysis.primary, analysis.settings
    w = np.asarray(primary.weights)
    n = w.shape[0]
    sign = 1 if primary.higher_is_better else -1
    options = get(primary.method).configured(settings)

    def ahead(j: NDArray[np.int64], t: NDArray[np.float64]) -> NDArray[np.bool_]:
        result = evaluate(
            primary.method,
            problem.matrix,
            _path(w, j, t),
            problem.directions,
            **options,
        )
        scores = np.asarray(result.scores) * sign
        return _overtakes(scores[:, challenger], scores[:, leader])

    t = np.linspace(0.0, 1.0, SCAN_POINTS)
    j = np.repeat(np.arange(n), t.size)
    flags = ahead(j, np.tile(t, n)).reshape(n, t.size)
    distance = np.where(flags, np.abs(t[None, :] - w[:, None]), np.inf)
    found = np.asarray(np.isfinite(distance).any(axis=1), dtype=np.bool_)  # one flag per criterion
    nearest = np.argmin(distance, axis=1)
    # bracket between the nearest swapped grid point and its neighbour towards the current weight
    inside = t[nearest]
    step = np.where(inside > w, -1, 1)
    outside = np.clip(t[np.clip(nearest + step, 0, t.size - 1)], 0, 1)
    outside = np.where(np.abs(outside - inside) > np.abs(w - inside), w, outside)
    columns = np.arange(n)
    for _ in range(_BISECTIONS):
        mid = (inside + outside) / 2
        now = ahead(columns, mid)
        inside, outside = np.where(now, mid, inside), np.where(now, outside, mid)
    return tuple(
        WeightChange(
            criterion=leaf,
            current=float(w[k]),
            needed=float(inside[k]) if found[k] else None,
            change=float(inside[k] - w[k]) if found[k] else None,
        )
        for k, leaf in enumerate(problem.leaf_ids)
    )


def counterfactual(
    analysis: Analysis, challenger: str | None = None, leader: str | None = None
) -> Counterfactual:
    """What ``challenger`` (default: ranked second) needs to overtake ``leader`` (default: the one
    ranked directly above the challenger, or first).

    Returns
    -------
    Counterfactual
        Per criterion, (a) the smallest change of the challenger's own score, in natural units
        within the declared scale, after which it scores strictly better than the leader, every
        other score unchanged; (b) the weight of the criterion, the others rescaled in
        proportion, at which it does.

    Notes
    -----
    (a) scans every criterion at once (each a column of candidate values, normalised together
    in one call; the methods are column-separable, so the scores follow exactly), then bisects
    the first bracket in which the order flips, for all criteria together. Normalisation is
    redone with the changed value (the column norm, minimum or maximum move with it), as a
    re-run of the analysis would. (b) evaluates the method on a batch of weight vectors along
    the proportional path and bisects likewise. A reported change makes the challenger score
    strictly higher; a change smaller by the bisection tolerance does not.
    """
    ids = analysis.problem.alternative_ids
    order = [ids.index(entry.id) for entry in analysis.ranking]
    if len(order) < 2:
        raise ValueError("a counterfactual needs at least two countermeasures")
    for name in (challenger, leader):
        if name is not None and name not in ids:
            raise KeyError(f"unknown countermeasure {name!r} (known: {', '.join(ids)})")
    c = ids.index(challenger) if challenger else order[1]
    if leader:
        lead = ids.index(leader)
    else:
        position = order.index(c)
        lead = order[position - 1] if position > 0 else order[1]
    if lead == c:
        raise ValueError("the leader and the challenger must differ")
    scores = _higher_better(analysis)
    return Counterfactual(
        method=analysis.primary.method,
        leader=ids[lead],
        challenger=ids[c],
        gap=float(scores[lead] - scores[c]),
        scores=_score_changes(analysis, lead, c),
        weights=_weight_changes(analysis, lead, c),
    )
