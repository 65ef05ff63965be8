"""From many experts' answers to the panel's: weights, scores and the feedback of a Delphi round.

* :func:`panel_weights`: the panel's leaf weights from every expert's pairwise judgments, by
  aggregating individual judgments (AIJ, weighted geometric mean per node) or individual
  priorities (AIP, weighted arithmetic or geometric mean of each expert's leaf weights), with
  the experts' weights shared inside stakeholder groups as :func:`engine.hierarchy.group_shares`
  does for the experts of a criteria file;
* :func:`aggregate_scores`: the panel's score per countermeasure and criterion (weighted median
  or weighted geometric mean) and its spread as the ``low``/``high`` ranges that
  :func:`engine.robustness.smaa.smaa` samples;
* :func:`feedback`: what round k + 1 shows each expert beside each answer: the group's median
  and quartiles, and where the expert stands.

Experts need not answer everything: a judged node whose matrix is all NaN, or a score that is
NaN, was not answered. A stakeholder group's weight then goes to those of its experts who did
answer (in proportion to their own weights), and a group none of whose experts answered passes
its weight to the other groups, so a half-finished panel gives the answer a finished panel of
those experts would.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.hierarchy import group_shares, judgment_matrix, synthesize
from engine.mcda.ahp import AHPMethod, aggregate_judgments, batch_priorities
from engine.mcda.arrays import describe_value, first_bad, readonly
from engine.model import Judgment, Node
from engine.panel.consensus import QuantileMethod, quartiles

__all__ = [
    "Feedback",
    "PanelScores",
    "PanelWeights",
    "aggregate_scores",
    "answer_shares",
    "feedback",
    "judgment_stack",
    "panel_weights",
    "upper_judgments",
    "weighted_median",
]

Array = NDArray[np.float64]
Aggregation = Literal["judgments", "priorities"]
Mean = Literal["arithmetic", "geometric"]
ScoreStatistic = Literal["median", "geometric"]
Spread = Literal["range", "quartiles"]
Scale = Literal["linear", "ratio"]

# cumulative weights within this of 1/2 count as exactly half (equal weights of 1/6 add up to
# 0.49999999999999994)
_HALF_SLACK = 1e-9


# ---------------------------------------------------------------- expert weights


def answer_shares(
    expert_weights: ArrayLike,
    answered: ArrayLike,
    *,
    groups: Sequence[str] | None = None,
    group_weights: Mapping[str, float] | None = None,
) -> Array:
    """Each expert's weight in each answered item, the items' weights summing to 1.

    Parameters
    ----------
    expert_weights : array_like, shape (k,)
        The experts' own weights (>= 0).
    answered : array_like of bool, shape (k, ...)
        Which expert answered which item (a judged node, a score cell).
    groups : sequence of str, shape (k,), optional
        Each expert's stakeholder group. Without groups the own weights are used.
    group_weights : mapping, optional
        Weight of every group named in ``groups`` (required with ``groups``).

    Returns
    -------
    ndarray, shape (k, ...)
        Zero where the expert did not answer; every item somebody with a positive share answered
        sums to 1 over the experts, an item nobody answered is all zero.

    Notes
    -----
    When everyone answers, the shares are :func:`engine.hierarchy.group_shares`: a group's
    weight is shared among its experts in proportion to their own weights. Where some did not
    answer, each group's weight goes to its answering experts in the same proportions, and
    the shares are renormalised over the groups that answered.
    """
    own = np.array(expert_weights, dtype=np.float64)
    k = own.shape[0] if own.ndim == 1 else -1
    if own.ndim != 1 or k == 0:
        raise ValueError(f"expert_weights must be a non-empty vector (k,); got shape {own.shape}")
    bad = ~np.isfinite(own) | (own < 0)
    if bad.any():
        (i,) = first_bad(bad)
        raise ValueError(
            f"expert_weights must be finite and >= 0; got {describe_value(own[i])} for expert {i}"
        )
    mask = np.asarray(answered, dtype=bool)
    if mask.ndim < 1 or mask.shape[0] != k:
        raise ValueError(f"answered must have one row per expert ({k}); got shape {mask.shape}")
    if groups is not None:
        if len(groups) != k:
            raise ValueError(f"groups must name one group per expert ({k}); got {len(groups)}")
        if group_weights is None:
            raise ValueError("group_weights are required with groups")
        missing = sorted(set(groups) - set(group_weights))
        if missing:
            raise ValueError(f"no weight for group(s) {', '.join(map(repr, missing))}")
    base = group_shares(own, groups, group_weights or {})
    flat = mask.reshape(k, -1).astype(np.float64)
    if groups is None:
        raw = base[:, None] * flat
    else:
        _, member = np.unique(np.asarray(list(groups), dtype=str), return_inverse=True)
        one_hot = (member[None, :] == np.arange(member.max() + 1)[:, None]).astype(np.float64)
        group_own = one_hot @ own
        # the share of each group's own weight that answered each item
        present = (one_hot @ (own[:, None] * flat)) / np.where(group_own > 0, group_own, 1.0)[:, None]
        scale = present[member]
        raw = np.where(scale > 0, base[:, None] * flat / np.where(scale > 0, scale, 1.0), 0.0)
    total = raw.sum(axis=0)
    shares = raw / np.where(total > 0, total, 1.0)
    return shares.reshape(mask.shape)


# ---------------------------------------------------------------- weights: AIJ and AIP


@dataclass(frozen=True)
class PanelWeights:
    """The panel's criterion weights and every expert's own.

    Attributes
    ----------
    weights : ndarray, shape (n,)
        The panel's global leaf weights (depth-first leaf order), summing to 1.
    aggregation : {"judgments", "priorities"}
        AIJ or AIP.
    mean : {"geometric", "arithmetic"}
        The mean used: always "geometric" for AIJ; as chosen for AIP.
    method : {"eigen", "geometric"}
        Priority method at every node.
    node_ids : tuple of str
        The judged nodes, depth-first.
    local : Mapping[str, ndarray]
        AIJ: the local weights derived from each node's combined matrix. AIP: the
        share-weighted mean of the included experts' local weights (for display; the leaf
        weights are the mean of the experts' leaf weights, not a composition of these).
    matrices : Mapping[str, ndarray]
        AIJ: each node's combined (weighted geometric mean) matrix; AIP: empty.
    cr : Mapping[str, float]
        AIJ: consistency ratio of each combined matrix; AIP: empty.
    expert_weights : ndarray, shape (k, n)
        Every expert's own global leaf weights; NaN rows for experts who left a node unanswered.
    expert_cr : ndarray, shape (k, len(node_ids))
        Every expert's consistency ratio per node; NaN where unanswered.
    answered : ndarray of bool, shape (k, len(node_ids))
    shares : ndarray, shape (k, len(node_ids))
        The experts' weights in each node's aggregate (AIJ), or the same row of weights for
        every node (AIP: only experts who answered every node are included).
    """

    weights: Array
    aggregation: Aggregation
    mean: Mean
    method: AHPMethod
    node_ids: tuple[str, ...]
    local: Mapping[str, Array]
    matrices: Mapping[str, Array]
    cr: Mapping[str, float]
    expert_weights: Array
    expert_cr: Array
    answered: NDArray[np.bool_]
    shares: Array

    @property
    def included(self) -> NDArray[np.bool_]:
        """Experts whose answers count in at least one node."""
        return readonly(np.asarray((self.shares > 0).any(axis=1)))


def judgment_stack(node: Node, judgments: Sequence[Sequence[Judgment] | None]) -> Array:
    """The experts' judgment matrices of one node, (k, c, c); NaN for an expert who gave none.

    Each expert's judgments must cover every pair of the node's children once (see
    :func:`engine.mcda.ahp.pairwise_matrix`); None stands for an expert who has not answered.
    """
    c = len(node.children)
    stack = np.full((len(judgments), c, c), np.nan)
    for position, given in enumerate(judgments):  # parsing the experts' triples, not arithmetic
        if given is not None:
            stack[position] = judgment_matrix(node, given)
    return stack


def _node_stacks(
    goal: Node, matrices: Mapping[str, ArrayLike]
) -> tuple[tuple[Node, ...], list[Array], NDArray[np.bool_]]:
    nodes = tuple(node for node in goal.walk() if len(node.children) >= 2)
    if not nodes:
        raise ValueError("the criteria tree has no node with two or more children to judge")
    stacks: list[Array] = []
    for node in nodes:
        if node.id not in matrices:
            raise ValueError(f"no judgment matrices for node {node.id!r}")
        stack = np.array(matrices[node.id], dtype=np.float64)
        c = len(node.children)
        if stack.ndim != 3 or stack.shape[1:] != (c, c):
            raise ValueError(
                f"node {node.id!r}: expected a stack of {c} x {c} matrices (k, {c}, {c}); got {stack.shape}"
            )
        if stacks and stack.shape[0] != stacks[0].shape[0]:
            raise ValueError(
                f"node {node.id!r} has {stack.shape[0]} experts' matrices but node {nodes[0].id!r} has "
                f"{stacks[0].shape[0]}"
            )
        missing = np.isnan(stack)
        partial = np.asarray(missing.any(axis=(1, 2)) & ~missing.all(axis=(1, 2)))
        if partial.any():
            (e,) = first_bad(partial)
            raise ValueError(f"node {node.id!r}: expert {e}'s matrix is partly empty; give all of it or none")
        stacks.append(stack)
    answered = np.stack([~np.isnan(stack[:, 0, 0]) for stack in stacks], axis=1)
    return nodes, stacks, answered


def panel_weights(
    goal: Node,
    matrices: Mapping[str, ArrayLike],
    expert_weights: ArrayLike | None = None,
    *,
    groups: Sequence[str] | None = None,
    group_weights: Mapping[str, float] | None = None,
    aggregation: Aggregation = "judgments",
    mean: Mean = "arithmetic",
    method: AHPMethod = "eigen",
) -> PanelWeights:
    """The panel's leaf weights from the experts' pairwise judgments.

    Parameters
    ----------
    goal : Node
        The criteria tree.
    matrices : Mapping[str, array_like]
        For every node with two or more children, the stack (k, c, c) of the k experts'
        judgment matrices in child order (:func:`judgment_stack` builds it from triples); an
        all-NaN matrix is an expert who has not answered that node.
    expert_weights : array_like, shape (k,), optional
        The experts' own weights (default: equal).
    groups, group_weights : optional
        Stakeholder group of every expert and the groups' weights; a group's weight is shared
        among its answering experts (:func:`answer_shares`).
    aggregation : {"judgments", "priorities"}, optional
        "judgments" (AIJ, default): per node, the weighted geometric mean of the matrices, then
        priorities and hierarchic composition. "priorities" (AIP): every expert's own leaf
        weights, then their weighted mean over the experts who answered every node.
    mean : {"arithmetic", "geometric"}, optional
        For AIP: weighted arithmetic mean (default) or normalised weighted geometric mean of the
        experts' leaf weights. AIJ always uses the geometric mean of judgments.
    method : {"eigen", "geometric"}, optional
        Priorities of each matrix.

    Returns
    -------
    PanelWeights

    Notes
    -----
    AIJ: :math:`a^G_{ij} = \\prod_k (a^{(k)}_{ij})^{\\lambda_k}` per node
    (:func:`engine.mcda.ahp.aggregate_judgments`), local priorities by
    :func:`engine.mcda.ahp.priorities`, leaf weights by :func:`engine.hierarchy.synthesize`. The
    geometric mean is the only aggregation of judgments that keeps reciprocity and unanimity
    (Aczél & Saaty 1983), and AIJ suits a panel that acts as one decision maker.

    AIP: :math:`w = \\sum_k \\lambda_k w^{(k)}` (arithmetic) or
    :math:`w \\propto \\prod_k (w^{(k)})^{\\lambda_k}` (geometric), for a panel of individuals
    whose preferred weights are pooled (Forman & Peniwati 1998). Both agree with
    :func:`engine.insight.groups.aggregate_weights` on the same experts and weights.

    References
    ----------
    .. [1] Aczél, J., & Saaty, T. L. (1983). Procedures for synthesizing ratio judgements. Journal
       of Mathematical Psychology, 27(1), 93-102.
    .. [2] Forman, E., & Peniwati, K. (1998). Aggregating individual judgments and priorities with
       the analytic hierarchy process. European Journal of Operational Research, 108(1), 165-169.
    """
    if aggregation not in ("judgments", "priorities"):
        raise ValueError(f"aggregation must be 'judgments' or 'priorities'; got {aggregation!r}")
    if mean not in ("arithmetic", "geometric"):
        raise ValueError(f"mean must be 'arithmetic' or 'geometric'; got {mean!r}")
    nodes, stacks, answered = _node_stacks(goal, matrices)
    k = answered.shape[0]
    own = np.ones(k) if expert_weights is None else expert_weights
    node_ids = tuple(node.id for node in nodes)

    # every expert's own priorities: one batch per node over the experts who answered it
    expert_local: dict[str, Array] = {}
    expert_cr = np.full((k, len(nodes)), np.nan)
    for column, (node, stack) in enumerate(zip(nodes, stacks, strict=True)):  # nodes, not experts
        rows = answered[:, column]
        local = np.full((k, len(node.children)), np.nan)
        if rows.any():
            local[rows], expert_cr[rows, column] = batch_priorities(stack[rows], method)
        expert_local[node.id] = local
    expert_leaves = synthesize(goal, expert_local)

    if aggregation == "judgments":
        shares = answer_shares(own, answered, groups=groups, group_weights=group_weights)
        combined: dict[str, Array] = {}
        local_weights: dict[str, Array] = {}
        crs: dict[str, float] = {}
        for column, (node, stack) in enumerate(zip(nodes, stacks, strict=True)):  # nodes, not experts
            use = shares[:, column] > 0
            if not use.any():
                raise ValueError(f"nobody with a weight above 0 has answered node {node.id!r}")
            combined[node.id] = readonly(aggregate_judgments(stack[use], shares[use, column]))
            w, cr = batch_priorities(combined[node.id][None], method)
            local_weights[node.id] = readonly(w[0])
            crs[node.id] = float(cr[0])
        weights = synthesize(goal, local_weights)
        return PanelWeights(
            weights=readonly(weights),
            aggregation=aggregation,
            mean="geometric",
            method=method,
            node_ids=node_ids,
            local=local_weights,
            matrices=combined,
            cr=crs,
            expert_weights=readonly(expert_leaves),
            expert_cr=readonly(expert_cr),
            answered=readonly(answered),
            shares=readonly(shares),
        )

    complete = answered.all(axis=1)
    lam = answer_shares(own, complete, groups=groups, group_weights=group_weights)
    if not (lam > 0).any():
        raise ValueError("no expert with a weight above 0 has answered every node, which AIP needs")
    use = lam > 0
    if mean == "arithmetic":
        weights = lam[use] @ expert_leaves[use]
        local_mean = {node.id: readonly(lam[use] @ expert_local[node.id][use]) for node in nodes}
    else:
        weights = _normalised_geometric_mean(expert_leaves[use], lam[use])
        local_mean = {
            node.id: readonly(_normalised_geometric_mean(expert_local[node.id][use], lam[use]))
            for node in nodes
        }
    return PanelWeights(
        weights=readonly(weights),
        aggregation=aggregation,
        mean=mean,
        method=method,
        node_ids=node_ids,
        local=local_mean,
        matrices={},
        cr={},
        expert_weights=readonly(expert_leaves),
        expert_cr=readonly(expert_cr),
        answered=readonly(answered),
        shares=readonly(np.repeat(lam[:, None], len(nodes), axis=1)),
    )


def _normalised_geometric_mean(rows: Array, lam: Array) -> Array:
    g = np.exp(lam @ np.log(rows))
    return np.asarray(g / g.sum())


# ---------------------------------------------------------------- scores


@dataclass(frozen=True)
class PanelScores:
    """The panel's scores of the countermeasures, with ranges for the robustness study.

    Attributes
    ----------
    value : ndarray, shape (m, n)
        The panel's score of each countermeasure (row) on each criterion (column); NaN where
        nobody scored it (the catalogue's score stands there).
    low, high : ndarray, shape (m, n)
        The spread of the experts' scores, widened where needed so that
        ``low <= value <= high``; NaN where nobody scored. Pass them as ``low``/``high`` to
        :func:`engine.robustness.smaa.smaa` (after filling the NaN cells of ``value`` with the
        catalogue's scores: a NaN bound means "no range" there).
    count : ndarray of int, shape (m, n)
        How many experts scored each cell.
    statistic : {"median", "geometric"}
    spread : {"range", "quartiles"}
    quantile_method : str
    """

    value: Array
    low: Array
    high: Array
    count: NDArray[np.int64]
    statistic: ScoreStatistic
    spread: Spread
    quantile_method: str


def weighted_median(values: ArrayLike, weights: ArrayLike) -> Array:
    """Weighted median along axis 0; NaN values and zero weights are left out.

    Parameters
    ----------
    values : array_like, shape (k, ...)
    weights : array_like, shape (k, ...) or (k,)
        Non-negative.

    Returns
    -------
    ndarray, shape values.shape[1:]
        The smallest value at which the cumulative weight (values sorted ascending) reaches half
        the total; where it is exactly half, the mean of that value and the next. With equal
        weights this is the ordinary median. NaN where nothing is left.
    """
    x = np.array(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim == 1:
        w = w.reshape((-1,) + (1,) * (x.ndim - 1))
    try:
        w = np.broadcast_to(w, x.shape)
    except ValueError:
        raise ValueError(f"weights of shape {w.shape} do not match values of shape {x.shape}") from None
    if (w < 0).any() or not np.isfinite(w).all():
        raise ValueError("weights must be finite and >= 0")
    keep = ~np.isnan(x) & (w > 0)
    x = np.where(keep, x, np.nan)
    w = np.where(keep, w, 0.0)
    order = np.argsort(x, axis=0, kind="stable")  # NaN last
    xs = np.take_along_axis(x, order, axis=0)
    total = w.sum(axis=0)
    cum = np.cumsum(np.take_along_axis(w, order, axis=0), axis=0) / np.where(total > 0, total, 1.0)
    at = np.argmax(cum >= 0.5 - _HALF_SLACK, axis=0)[None]
    value = np.take_along_axis(xs, at, axis=0)[0]
    half = np.abs(np.take_along_axis(cum, at, axis=0)[0] - 0.5) <= _HALF_SLACK
    # exactly half the weight lies at or below ``value``: the next kept value shares the median
    following = np.take_along_axis(xs, np.minimum(at + 1, x.shape[0] - 1), axis=0)[0]
    value = np.where(half & ~np.isnan(following), (value + following) / 2.0, value)
    return np.where(total > 0, value, np.nan)


def aggregate_scores(
    scores: ArrayLike,
    expert_weights: ArrayLike | None = None,
    *,
    groups: Sequence[str] | None = None,
    group_weights: Mapping[str, float] | None = None,
    statistic: ScoreStatistic = "median",
    spread: Spread = "quartiles",
    quantile_method: QuantileMethod = "linear",
) -> PanelScores:
    """The panel's score per countermeasure and criterion, with its spread as a score range.

    Parameters
    ----------
    scores : array_like, shape (k, m, n)
        Each expert's scores of m countermeasures on n criteria, on each criterion's own scale;
        NaN where the expert gave none.
    expert_weights : array_like, shape (k,), optional
        The experts' own weights (default: equal).
    groups, group_weights : optional
        Stakeholder groups, as in :func:`panel_weights`; shares follow :func:`answer_shares`
        cell by cell.
    statistic : {"median", "geometric"}, optional
        "median" (default): the weighted median (:func:`weighted_median`), robust to one
        extreme expert and meaningful on any scale. "geometric": the weighted geometric mean
        :math:`\\prod_k x_k^{\\lambda_k}`, for positive ratio-scale scores.
    spread : {"quartiles", "range"}, optional
        The range handed to the robustness study: the experts' first and third quartiles
        (default, by ``quantile_method``; the middle half of the panel, not moved by one
        outlier) or their minimum and maximum. Unweighted: it describes how the experts
        disagree, whatever their say in the central value.
    quantile_method : str, optional
        As in :func:`engine.panel.consensus.dispersion`.

    Returns
    -------
    PanelScores

    Notes
    -----
    The quartiles need not contain a weighted central value, nor the geometric mean; the range
    is then widened to reach it, because the robustness study samples around the value within
    its range (triangular law with its mode at the value).
    """
    x = np.array(scores, dtype=np.float64)
    if x.ndim != 3 or 0 in x.shape:
        raise ValueError(f"scores must be 3-D (experts x countermeasures x criteria); got shape {x.shape}")
    if np.isinf(x).any():
        e, i, j = first_bad(np.isinf(x))
        raise ValueError(
            f"scores has {describe_value(x[e, i, j])} for expert {e}, countermeasure {i}, criterion {j}"
        )
    if statistic not in ("median", "geometric"):
        raise ValueError(f"statistic must be 'median' or 'geometric'; got {statistic!r}")
    if spread not in ("range", "quartiles"):
        raise ValueError(f"spread must be 'range' or 'quartiles'; got {spread!r}")
    k = x.shape[0]
    answered = ~np.isnan(x)
    shares = answer_shares(
        np.ones(k) if expert_weights is None else expert_weights,
        answered,
        groups=groups,
        group_weights=group_weights,
    )
    used = shares > 0
    if statistic == "geometric":
        bad = used & (x <= 0)
        if bad.any():
            e, i, j = first_bad(bad)
            raise ValueError(
                f"the geometric mean needs positive scores; expert {e} gave {x[e, i, j]:g} to "
                f"countermeasure {i} on criterion {j} (use the median)"
            )
        logs = np.where(used, np.log(np.where(used, x, 1.0)), 0.0)
        value = np.exp((shares * logs).sum(axis=0))
    else:
        value = weighted_median(x, shares)
    scored = used.any(axis=0)
    value = np.where(scored, value, np.nan)
    if spread == "quartiles":
        q1, _, q3 = quartiles(x.reshape(k, -1), quantile_method)
        low, high = q1.reshape(value.shape), q3.reshape(value.shape)
    else:
        low, high = np.where(answered, x, np.inf).min(axis=0), np.where(answered, x, -np.inf).max(axis=0)
    low = np.where(scored, np.fmin(low, value), np.nan)
    high = np.where(scored, np.fmax(high, value), np.nan)
    return PanelScores(
        value=readonly(value),
        low=readonly(low),
        high=readonly(high),
        count=readonly(answered.sum(axis=0).astype(np.int64)),
        statistic=statistic,
        spread=spread,
        quantile_method=quantile_method,
    )


# ---------------------------------------------------------------- Delphi feedback


@dataclass(frozen=True)
class Feedback:
    """What an expert sees beside each answer in the next Delphi round.

    Attributes
    ----------
    median, q1, q3 : ndarray, shape (n,)
        The group's median and quartiles of each item (NaN for an item nobody answered).
    count : ndarray of int, shape (n,)
        How many experts answered each item.
    position : ndarray of int8, shape (k, n)
        Where each expert's answer stands: -1 below the group's first quartile, 0 within the
        interquartile range, +1 above the third quartile, 0 where the expert did not answer
        (see ``answered``).
    deviation : ndarray, shape (k, n)
        The answer minus the group's median ("linear" scale), or ln(answer / median) ("ratio"
        scale: 0.69 is twice the median); NaN where the expert did not answer.
    answered : ndarray of bool, shape (k, n)
    scale : {"linear", "ratio"}
    quantile_method : str
    """

    median: Array
    q1: Array
    q3: Array
    count: NDArray[np.int64]
    position: NDArray[np.int8]
    deviation: Array
    answered: NDArray[np.bool_]
    scale: Scale
    quantile_method: str

    @property
    def outside(self) -> NDArray[np.bool_]:
        """Answers outside the group's interquartile range: the ones a Delphi round asks the
        expert to confirm or revise with a reason."""
        return readonly(np.asarray(self.position != 0))


def feedback(
    answers: ArrayLike, *, scale: Scale = "linear", quantile_method: QuantileMethod = "linear"
) -> Feedback:
    """The group's median and quartiles of every item, and where each expert stands.

    Parameters
    ----------
    answers : array_like, shape (k, n)
        One row per expert, one column per item (a score, a criterion weight, a pairwise
        judgment); NaN = not answered.
    scale : {"linear", "ratio"}, optional
        "ratio" for pairwise judgments (positive; 3 and 1/3 are equally far from 1): the
        statistics are taken of the logarithms and brought back, so the median of 1/3, 1 and 3
        is 1 and the quartiles are symmetric about it.
    quantile_method : str, optional
        As in :func:`engine.panel.consensus.dispersion`.

    Returns
    -------
    Feedback

    Notes
    -----
    The median and quartiles are the statistics the Delphi method feeds back between rounds
    (Dalkey & Helmer 1963; Linstone & Turoff 1975): an expert outside the interquartile range
    is asked to reconsider or to give a reason, and the group's statistics are shown without
    names.

    References
    ----------
    .. [1] Dalkey, N., & Helmer, O. (1963). An experimental application of the Delphi method to
       the use of experts. Management Science, 9(3), 458-467.
    .. [2] Linstone, H. A., & Turoff, M. (Eds.) (1975). The Delphi Method: Techniques and
       Applications. Addison-Wesley.
    """
    x = np.array(answers, dtype=np.float64)
    if x.ndim != 2 or 0 in x.shape:
        raise ValueError(f"answers must be 2-D (experts x items); got shape {x.shape}")
    if np.isinf(x).any():
        e, j = first_bad(np.isinf(x))
        raise ValueError(f"answers has {describe_value(x[e, j])} for expert {e}, item {j}")
    if scale not in ("linear", "ratio"):
        raise ValueError(f"scale must be 'linear' or 'ratio'; got {scale!r}")
    answered = ~np.isnan(x)
    if scale == "ratio":
        bad = answered & (x <= 0)
        if bad.any():
            e, j = first_bad(bad)
            raise ValueError(f"ratio answers must be positive; expert {e} gave {x[e, j]:g} for item {j}")
        x = np.log(np.where(answered, x, np.nan))
    q1, median, q3 = quartiles(x, quantile_method)
    position = np.where(x < q1, -1, np.where(x > q3, 1, 0))  # NaN compares False: 0 where unanswered
    deviation = np.where(answered, x - median, np.nan)
    if scale == "ratio":
        q1, median, q3 = np.exp(q1), np.exp(median), np.exp(q3)
    return Feedback(
        median=readonly(median),
        q1=readonly(q1),
        q3=readonly(q3),
        count=readonly(answered.sum(axis=0).astype(np.int64)),
        position=readonly(position.astype(np.int8)),
        deviation=readonly(deviation),
        answered=readonly(answered),
        scale=scale,
        quantile_method=quantile_method,
    )


def upper_judgments(stack: ArrayLike) -> tuple[NDArray[np.intp], NDArray[np.intp], Array]:
    """A node's judgments as items for :func:`feedback`: rows, columns and values (k, pairs).

    ``values[:, p]`` holds every expert's judgment of child ``rows[p]`` over child ``cols[p]``
    (rows < cols), NaN for experts who did not answer; pass it with ``scale="ratio"``.
    """
    a = np.asarray(stack, dtype=np.float64)
    if a.ndim != 3 or a.shape[1] != a.shape[2]:
        raise ValueError(f"stack must be (k, c, c); got shape {a.shape}")
    rows, cols = np.triu_indices(a.shape[1], 1)
    return rows, cols, a[:, rows, cols]
