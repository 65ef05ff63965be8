"""From pairwise judgments on a criteria tree to global leaf weights.

Local priorities come from :func:`engine.mcda.ahp.priorities` at each judged node; the global weight of
a leaf is the product of the local weights on its path from the goal (Saaty's hierarchic
composition). Several experts are combined by the weighted geometric mean of their individual
judgments (AIJ), the aggregation that preserves reciprocity (Aczél & Saaty 1983).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from engine.mcda.ahp import aggregate_judgments, pairwise_matrix
from engine.model import Criteria, Expert, Judgment, Node


def judgment_matrix(node: Node, judgments: Sequence[Judgment]) -> np.ndarray:
    """The reciprocal matrix of one node's judgments, rows and columns in child order."""
    index = {child.id: position for position, child in enumerate(node.children)}
    return pairwise_matrix(len(node.children), [(index[j.a], index[j.b], j.value) for j in judgments])


def _group_of(expert: Expert) -> str:
    if expert.group is None:  # engine.load asks every expert for a group once the file declares groups
        raise ValueError(f"expert {expert.id!r} has no group, but the criteria declare groups")
    return expert.group


def expert_weights(
    criteria: Criteria,
    expert_ids: Sequence[str],
    *,
    group_weights: Mapping[str, float] | None = None,
) -> np.ndarray:
    """Effective weight of each named expert, summing to 1.

    A group's weight is shared among its selected experts in proportion to their own weights, so
    adding a third analyst to a group does not give that group more say. Without declared groups
    the experts' own weights are used. ``group_weights`` overrides the file's group weights.
    """
    experts = [criteria.expert(expert_id) for expert_id in expert_ids]
    declared = {group.id: group.weight for group in criteria.groups}
    declared.update(group_weights or {})
    own = np.array([expert.weight for expert in experts], dtype=float)
    groups = [_group_of(expert) for expert in experts] if criteria.groups else None
    return group_shares(own, groups, declared)


def group_shares(
    own_weights: np.ndarray | Sequence[float],
    groups: Sequence[str] | None,
    group_weights: Mapping[str, float],
) -> np.ndarray:
    """Effective weight of each expert, summing to 1, from their own weights and their groups'.

    A group's weight is shared among its experts in proportion to their own weights (a group
    whose experts all weigh 0 passes nothing on); without groups (``groups`` None) the own
    weights are used. This is the rule of :func:`expert_weights`, on plain arrays, for experts
    that do not come from a criteria file (an expert panel).
    """
    own = np.asarray(own_weights, dtype=float)
    if groups is None:
        share = own
    else:
        names, member = np.unique(np.asarray(list(groups), dtype=str), return_inverse=True)
        group_total = np.bincount(member, weights=own, minlength=names.size)
        weight_of = np.array([group_weights[name] for name in names], dtype=float)
        safe_total = np.where(group_total > 0, group_total, 1.0)
        share = np.where(group_total[member] > 0, weight_of[member] * own / safe_total[member], 0.0)
    total = share.sum()
    if total <= 0:
        raise ValueError("the selected experts' weights sum to zero; give one of them a weight above 0")
    return share / total


def combined_matrices(
    criteria: Criteria,
    expert_ids: Sequence[str],
    *,
    group_weights: Mapping[str, float] | None = None,
) -> dict[str, np.ndarray]:
    """For every judged node, the experts' judgment matrices combined by weighted geometric mean."""
    weights = expert_weights(criteria, expert_ids, group_weights=group_weights)
    combined = {}
    for node in criteria.judged_nodes:
        stack = np.stack([judgment_matrix(node, criteria.expert(e).judgments[node.id]) for e in expert_ids])
        combined[node.id] = aggregate_judgments(stack, weights)
    return combined


def synthesize(goal: Node, local_weights: Mapping[str, np.ndarray]) -> np.ndarray:
    """Global leaf weights from local weights, leaves in depth-first order.

    ``local_weights[node.id]`` holds the weights of the node's children along the last axis; any
    leading axes are a batch (e.g. Monte Carlo samples) and are kept, so the result has shape
    ``(..., number of leaves)``. A node with a single child passes its whole weight on.
    """
    batch_shape = np.broadcast_shapes(*(np.shape(w)[:-1] for w in local_weights.values()))
    columns: list[np.ndarray] = []

    def descend(node: Node, carried: np.ndarray) -> None:
        if node.is_leaf:
            columns.append(carried)
            return
        if len(node.children) == 1:
            descend(node.children[0], carried)
            return
        local = np.asarray(local_weights[node.id], dtype=float)
        for position, child in enumerate(node.children):
            descend(child, carried * local[..., position])

    descend(goal, np.ones(batch_shape))
    return np.stack(columns, axis=-1)
