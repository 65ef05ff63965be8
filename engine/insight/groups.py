"""Several experts and stakeholder groups: their weights, their rankings and whose view decides.

Two aggregations (Forman & Peniwati 1998):

* ``"judgments"`` (AIJ): the experts' pairwise judgments are combined by weighted geometric mean
  and priorities derived from the combination, as if the experts were one decision maker
  (:func:`engine.hierarchy.combined_matrices`);
* ``"priorities"`` (AIP): every expert's global leaf weights are derived from their own judgments
  and then averaged with the expert weights (weighted arithmetic mean), as if each expert were a
  separate decision maker whose preferred weights are pooled.

Expert weights come from :func:`engine.hierarchy.expert_weights`: a group's weight is shared among
its experts, so with one expert every aggregate is that expert's view, and a group at weight 0 has
no influence at all (its experts are dropped before aggregating, so the removal is exact).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.hierarchy import expert_weights, judgment_matrix, synthesize
from engine.mcda.ahp import AHPMethod, aggregate_judgments, batch_priorities, priorities
from engine.mcda.registry import MethodResult, evaluate, get
from engine.model import Criteria, Problem, Text, frozen_array
from engine.panel.consensus import concordance
from engine.settings import AGGREGATIONS, Settings

__all__ = [
    "AGGREGATIONS",
    "GroupAnalysis",
    "GroupSweep",
    "StakeholderGroup",
    "View",
    "aggregate_weights",
    "analyse_groups",
    "expert_leaf_weights",
    "kendall_w",
    "share_weights",
    "stakeholder_groups",
    "sweep_group",
]


@dataclass(frozen=True)
class StakeholderGroup:
    """A group of experts with its weight; without declared groups every expert is its own."""

    id: str
    name: Text
    weight: float
    experts: tuple[str, ...]


@dataclass(frozen=True)
class View:
    """One expert's, one group's or everyone's weights and ranking.

    ``share`` is the view's effective weight in the overall aggregate (1 for the overall view).
    ``cr_max`` is the largest consistency ratio among the judgment matrices behind the view
    (the combined matrices for groups and the overall view under AIJ).
    """

    id: str
    kind: str  # "expert" | "group" | "all"
    name: Text
    share: float
    weights: NDArray[np.float64]
    scores: NDArray[np.float64]
    ranks: NDArray[np.int64]
    cr_max: float

    @property
    def leader(self) -> int:
        """Index of the first-ranked countermeasure (first in catalogue order on ties)."""
        return int(np.argmin(self.ranks))


@dataclass(frozen=True)
class GroupAnalysis:
    """Experts, groups and their aggregate side by side.

    Attributes
    ----------
    aggregation : str
        ``"judgments"`` (AIJ) or ``"priorities"`` (AIP).
    method : str
        Scoring method of the rankings.
    leaf_ids, alternative_ids : tuple of str
    experts, groups : tuple of View
    overall : View
        The aggregate of every expert with the (possibly overridden) group weights.
    mean, std, low, high : ndarray, shape (n,)
        Per criterion: the share-weighted mean and standard deviation of the experts' weights,
        and the smallest and largest weight any expert gives it.
    low_expert, high_expert : tuple of str
        Which expert gives the smallest / largest weight, per criterion.
    consensus : float
        Kendall's coefficient of concordance W of the experts' rankings, in [0, 1]: 1 when every
        expert ranks the countermeasures the same way (1 by definition for a single expert).
    """

    aggregation: str
    method: str
    leaf_ids: tuple[str, ...]
    alternative_ids: tuple[str, ...]
    experts: tuple[View, ...]
    groups: tuple[View, ...]
    overall: View
    mean: NDArray[np.float64]
    std: NDArray[np.float64]
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    low_expert: tuple[str, ...]
    high_expert: tuple[str, ...]
    consensus: float

    @property
    def cv(self) -> NDArray[np.float64]:
        """Coefficient of variation of each criterion's weight across experts (std / mean)."""
        return frozen_array(np.divide(self.std, self.mean, out=np.zeros_like(self.std), where=self.mean > 0))

    def to_dict(self) -> dict[str, Any]:
        def view(v: View) -> dict[str, Any]:
            order = np.lexsort((np.arange(len(v.ranks)), v.ranks))
            return {
                "id": v.id,
                "kind": v.kind,
                "share": v.share,
                "cr_max": v.cr_max,
                "weights": dict(zip(self.leaf_ids, map(float, v.weights), strict=True)),
                "ranking": [
                    {"rank": int(v.ranks[i]), "id": self.alternative_ids[i], "score": float(v.scores[i])}
                    for i in order
                ],
            }

        return {
            "aggregation": self.aggregation,
            "method": self.method,
            "overall": view(self.overall),
            "groups": [view(v) for v in self.groups],
            "experts": [view(v) for v in self.experts],
            "dispersion": [
                {
                    "criterion": leaf,
                    "mean": float(self.mean[j]),
                    "std": float(self.std[j]),
                    "cv": float(self.cv[j]),
                    "low": float(self.low[j]),
                    "low_expert": self.low_expert[j],
                    "high": float(self.high[j]),
                    "high_expert": self.high_expert[j],
                }
                for j, leaf in enumerate(self.leaf_ids)
            ],
            "consensus": {"kendall_w": self.consensus},
        }


@dataclass(frozen=True)
class GroupSweep:
    """How the ranking moves as one group's weight share t moves from 0 to 1.

    The group's experts share t and the other groups share 1 - t in their current proportions.

    Attributes
    ----------
    group : str
    t : ndarray, shape (T,)
    current : float
        The group's current share.
    weights : ndarray, shape (T, n)
    scores : ndarray, shape (T, m)
    ranks : ndarray of int, shape (T, m)
    leaders : ndarray of int, shape (T,)
        Index of the first-ranked countermeasure at each t.
    switches : tuple of (float, float, int, int)
        ``(t_before, t_after, old leader, new leader)`` for each change of the leader between
        neighbouring grid points.
    """

    group: str
    t: NDArray[np.float64]
    current: float
    weights: NDArray[np.float64]
    scores: NDArray[np.float64]
    ranks: NDArray[np.int64]
    leaders: NDArray[np.int64]
    switches: tuple[tuple[float, float, int, int], ...]

    @property
    def decisive(self) -> bool:
        """Whether this group's weight alone can change which countermeasure comes first."""
        return bool(self.switches)


# ---------------------------------------------------------------- weights of experts and groups


def stakeholder_groups(criteria: Criteria) -> tuple[StakeholderGroup, ...]:
    """The declared groups with their experts, or one group per expert when none is declared."""
    if not criteria.groups:
        return tuple(StakeholderGroup(e.id, e.name, e.weight, (e.id,)) for e in criteria.experts)
    return tuple(
        StakeholderGroup(g.id, g.name, g.weight, tuple(e.id for e in criteria.experts if e.group == g.id))
        for g in criteria.groups
    )


def _group_weight_map(criteria: Criteria, overrides: Mapping[str, float] | None) -> dict[str, float]:
    groups = stakeholder_groups(criteria)
    known = {g.id for g in groups}
    for group_id, weight in (overrides or {}).items():
        if group_id not in known:
            raise KeyError(f"unknown group {group_id!r} (known: {', '.join(g.id for g in groups)})")
        if not np.isfinite(weight) or weight < 0:
            raise ValueError(f"the weight of group {group_id!r} must be finite and >= 0, got {weight}")
    weights = {g.id: g.weight for g in groups}
    weights.update(overrides or {})
    return weights


def share_weights(
    criteria: Criteria,
    expert_ids: Sequence[str] | None = None,
    *,
    group_weights: Mapping[str, float] | None = None,
) -> NDArray[np.float64]:
    """Effective weight of each expert (summing to 1), groups' weights shared among their experts.

    Without declared groups, ``group_weights`` may name experts (each expert is a group).
    """
    ids = list(expert_ids) if expert_ids is not None else [e.id for e in criteria.experts]
    weights = _group_weight_map(criteria, group_weights)
    if criteria.groups:
        return expert_weights(criteria, ids, group_weights=weights)
    own = np.array([weights[e] for e in ids], dtype=float)
    if own.sum() <= 0:
        raise ValueError("the selected experts' weights sum to zero; give one of them a weight above 0")
    return own / own.sum()


def expert_leaf_weights(
    criteria: Criteria, expert_ids: Sequence[str], *, method: AHPMethod = "eigen"
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Every expert's own global leaf weights and worst CR.

    Returns
    -------
    weights : ndarray, shape (k, n)
    cr_max : ndarray, shape (k,)

    Notes
    -----
    One :func:`engine.mcda.ahp.batch_priorities` call per judged node on the stack of the experts'
    matrices, then :func:`engine.hierarchy.synthesize` with the expert axis as batch axis.
    """
    local: dict[str, np.ndarray] = {}
    worst = np.zeros(len(expert_ids))
    for node in criteria.judged_nodes:
        stack = np.stack([judgment_matrix(node, criteria.expert(e).judgments[node.id]) for e in expert_ids])
        local[node.id], cr = batch_priorities(stack, method=method)
        worst = np.maximum(worst, cr)
    return synthesize(criteria.goal, local), worst


def _aij(
    criteria: Criteria, expert_ids: Sequence[str], shares: NDArray[np.float64], method: AHPMethod
) -> tuple[NDArray[np.float64], float, dict[str, np.ndarray]]:
    keep = shares > 0
    ids = [e for e, k in zip(expert_ids, keep, strict=True) if k]
    lam = shares[keep]
    local: dict[str, np.ndarray] = {}
    matrices: dict[str, np.ndarray] = {}
    worst = 0.0
    for node in criteria.judged_nodes:
        stack = np.stack([judgment_matrix(node, criteria.expert(e).judgments[node.id]) for e in ids])
        matrices[node.id] = aggregate_judgments(stack, lam)
        result = priorities(matrices[node.id], method=method)
        local[node.id] = result.weights
        worst = max(worst, result.cr)
    return synthesize(criteria.goal, local), worst, matrices


def aggregate_weights(
    criteria: Criteria,
    expert_ids: Sequence[str] | None = None,
    *,
    aggregation: str = "judgments",
    method: AHPMethod = "eigen",
    group_weights: Mapping[str, float] | None = None,
) -> NDArray[np.float64]:
    """Global leaf weights of several experts, aggregated by judgments (AIJ) or priorities (AIP).

    Parameters
    ----------
    criteria : Criteria
    expert_ids : sequence of str, optional
        Default: every expert.
    aggregation : {"judgments", "priorities"}, optional
    method : {"eigen", "geometric"}, optional
    group_weights : mapping, optional
        Overrides of the declared group weights.

    Returns
    -------
    ndarray, shape (n,)
        Leaf weights summing to 1, leaves in depth-first order.

    Notes
    -----
    AIJ: :math:`a_{ij} = \\prod_k a^{(k)}_{ij}{}^{\\lambda_k}` per node, then the hierarchy.
    AIP: :math:`w = \\sum_k \\lambda_k w^{(k)}` over the experts' global weights. The arithmetic
    mean keeps the Pareto property (if every expert weighs criterion a above b, so does the
    group) and makes each expert's influence proportional to their weight.

    References
    ----------
    .. [1] Forman, E., & Peniwati, K. (1998). Aggregating individual judgments and priorities with
       the analytic hierarchy process. European Journal of Operational Research, 108(1), 165-169.
    """
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation {aggregation!r} (expected one of {', '.join(AGGREGATIONS)})")
    ids = list(expert_ids) if expert_ids is not None else [e.id for e in criteria.experts]
    shares = share_weights(criteria, ids, group_weights=group_weights)
    if aggregation == "judgments":
        return _aij(criteria, ids, shares, method)[0]
    keep = shares > 0
    weights, _ = expert_leaf_weights(
        criteria, [e for e, k in zip(ids, keep, strict=True) if k], method=method
    )
    return shares[keep] @ weights


# ---------------------------------------------------------------- rankings and consensus


def _evaluate(problem: Problem, settings: Settings, weights: NDArray[np.float64]) -> MethodResult:
    options = get(settings.method).configured(settings)
    return evaluate(settings.method, problem.matrix, weights, problem.directions, **options)


def kendall_w(scores: NDArray[np.float64], *, higher_is_better: bool = True) -> float:
    """Kendall's coefficient of concordance of k raters' scores of m items, shape (k, m).

    Notes
    -----
    :func:`engine.panel.consensus.concordance` (mid-ranks, tie correction), which also gives the
    chi-square test. One rater, or one item, gives 1 (there is nobody to disagree with).
    """
    s = np.atleast_2d(np.asarray(scores, dtype=np.float64))
    k, m = s.shape
    if k < 2 or m < 2:
        return 1.0
    return concordance(s, higher_is_better=higher_is_better).w


def _view(
    view_id: str,
    kind: str,
    name: Text,
    share: float,
    weights: NDArray[np.float64],
    result: MethodResult,
    row: int | None,
    cr_max: float,
) -> View:
    scores = result.scores if row is None else result.scores[row]
    ranks = result.ranks if row is None else result.ranks[row]
    return View(
        id=view_id,
        kind=kind,
        name=name,
        share=float(share),
        weights=frozen_array(weights),
        scores=frozen_array(scores),
        ranks=frozen_array(ranks, dtype=np.int64),
        cr_max=float(cr_max),
    )


def analyse_groups(problem: Problem, settings: Settings | None = None) -> GroupAnalysis:
    """Every expert's and group's weights and ranking, their aggregate, dispersion and consensus.

    Uses ``settings.aggregation``, ``settings.group_weights``, ``settings.experts`` (all when
    empty), ``settings.ahp_method`` and the scoring options of ``settings.method``. Judgment edits
    and preset or manual weights are not used: this is about the experts' own judgments.
    """
    settings = settings or Settings()
    criteria = problem.criteria
    ids = list(settings.experts) or [e.id for e in criteria.experts]
    overrides = dict(settings.group_weights)
    shares = share_weights(criteria, ids, group_weights=overrides)
    own, own_cr = expert_leaf_weights(criteria, ids, method=settings.ahp_method)
    per_expert = _evaluate(problem, settings, own)
    names = {e.id: e.name for e in criteria.experts}
    experts = tuple(
        _view(e, "expert", names[e], shares[k], own[k], per_expert, k, own_cr[k]) for k, e in enumerate(ids)
    )

    def aggregate(members: Sequence[str], lam: NDArray[np.float64]) -> tuple[NDArray[np.float64], float]:
        if settings.aggregation == "judgments":
            weights, worst, _ = _aij(criteria, members, lam, settings.ahp_method)
            return weights, worst
        index = [ids.index(e) for e in members]
        keep = lam > 0
        return (lam[keep] / lam[keep].sum()) @ own[index][keep], float(own_cr[index][keep].max())

    groups: list[View] = []
    group_rows: list[tuple[StakeholderGroup, NDArray[np.float64], float]] = []
    for group in stakeholder_groups(criteria):
        members = [e for e in group.experts if e in ids]
        if not members:
            continue
        lam = np.array([shares[ids.index(e)] for e in members])
        # a group at weight 0 still has a view of its own: its experts' own weights decide inside it
        inner = lam if lam.sum() > 0 else np.array([criteria.expert(e).weight for e in members])
        if inner.sum() <= 0:
            continue
        weights, worst = aggregate(members, inner / inner.sum())
        group_rows.append((group, weights, worst))
    if group_rows:
        batch = _evaluate(problem, settings, np.stack([w for _, w, _ in group_rows]))
        for row, (group, weights, worst) in enumerate(group_rows):
            share = float(sum(shares[ids.index(e)] for e in group.experts if e in ids))
            groups.append(_view(group.id, "group", group.name, share, weights, batch, row, worst))

    overall_weights, overall_cr = aggregate(ids, shares)
    overall_result = _evaluate(problem, settings, overall_weights)
    overall = _view(
        "all", "all", Text("全体", "Everyone"), 1.0, overall_weights, overall_result, None, overall_cr
    )

    mean = shares @ own
    std = np.sqrt(np.maximum(shares @ (own - mean) ** 2, 0.0))
    low_at, high_at = own.argmin(axis=0), own.argmax(axis=0)
    return GroupAnalysis(
        aggregation=settings.aggregation,
        method=settings.method,
        leaf_ids=problem.leaf_ids,
        alternative_ids=problem.alternative_ids,
        experts=experts,
        groups=tuple(groups),
        overall=overall,
        mean=frozen_array(mean),
        std=frozen_array(std),
        low=frozen_array(own.min(axis=0)),
        high=frozen_array(own.max(axis=0)),
        low_expert=tuple(ids[k] for k in low_at),
        high_expert=tuple(ids[k] for k in high_at),
        consensus=kendall_w(per_expert.scores, higher_is_better=per_expert.higher_is_better),
    )


# ---------------------------------------------------------------- whose view decides


def sweep_group(
    problem: Problem,
    group_id: str,
    settings: Settings | None = None,
    *,
    steps: int = 101,
) -> GroupSweep:
    """The ranking as ``group_id``'s share of the total weight moves from 0 to 1.

    Parameters
    ----------
    problem : Problem
    group_id : str
        A declared group (or an expert, when the file declares no groups).
    settings : Settings, optional
        Aggregation, experts, AHP method, group weights (which fix the other groups' proportions)
        and scoring method.
    steps : int, optional
        Grid points in [0, 1] (default 101).

    Returns
    -------
    GroupSweep

    Notes
    -----
    With :math:`\\lambda^{g}` the experts' shares inside group g and :math:`\\lambda^{-g}` the
    other experts' shares renormalised, the expert weights along the path are
    :math:`t \\lambda^{g} + (1 - t) \\lambda^{-g}`. Under AIP the leaf weights are linear in t;
    under AIJ every node's combined matrix :math:`\\exp(\\sum_k \\lambda_k(t) \\ln A_k)` is built for
    the whole grid at once and solved with one batched eigen-decomposition per node. The
    scoring method is then run once on the batch of T weight vectors.
    """
    settings = settings or Settings()
    criteria = problem.criteria
    if steps < 2:
        raise ValueError(f"steps must be at least 2, got {steps}")
    groups = {g.id: g for g in stakeholder_groups(criteria)}
    if group_id not in groups:
        raise KeyError(f"unknown group {group_id!r} (known: {', '.join(groups)})")
    ids = list(settings.experts) or [e.id for e in criteria.experts]
    shares = share_weights(criteria, ids, group_weights=dict(settings.group_weights))
    inside = np.array([e in groups[group_id].experts for e in ids])
    if not inside.any():
        raise ValueError(f"group {group_id!r} has none of the selected experts")
    if inside.all():
        raise ValueError(f"group {group_id!r} holds every selected expert; there is no other view to weigh")
    member_weights = np.array([criteria.expert(e).weight for e in ids])
    mine = np.where(inside, shares, 0.0)
    if mine.sum() <= 0:  # the group is switched off: its experts' own weights decide inside it
        mine = np.where(inside, member_weights, 0.0)
    rest = np.where(inside, 0.0, shares)
    if rest.sum() <= 0:
        raise ValueError(f"the groups other than {group_id!r} all have weight 0")
    mine, rest = mine / mine.sum(), rest / rest.sum()
    t = np.linspace(0.0, 1.0, steps)
    lam = t[:, None] * mine[None, :] + (1.0 - t)[:, None] * rest[None, :]

    if settings.aggregation == "priorities":
        own, _ = expert_leaf_weights(criteria, ids, method=settings.ahp_method)
        weights = lam @ own
    else:
        local = {}
        for node in criteria.judged_nodes:
            logs = np.log(
                np.stack([judgment_matrix(node, criteria.expert(e).judgments[node.id]) for e in ids])
            )
            upper = np.triu(np.einsum("tk,kij->tij", lam, logs), 1)
            local[node.id], _ = batch_priorities(
                np.exp(upper - np.swapaxes(upper, 1, 2)), method=settings.ahp_method
            )
        weights = synthesize(criteria.goal, local)
    result = _evaluate(problem, settings, weights)
    scores, ranks = np.asarray(result.scores), np.asarray(result.ranks)
    leaders = np.argmin(ranks, axis=1)
    change = np.flatnonzero(leaders[1:] != leaders[:-1])
    switches = tuple((float(t[c]), float(t[c + 1]), int(leaders[c]), int(leaders[c + 1])) for c in change)
    return GroupSweep(
        group=group_id,
        t=frozen_array(t),
        current=float(shares[inside].sum()),
        weights=frozen_array(weights),
        scores=frozen_array(scores),
        ranks=frozen_array(ranks, dtype=np.int64),
        leaders=frozen_array(leaders, dtype=np.int64),
        switches=switches,
    )
