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
    if criteria.groups:
        groups = [_group_of(expert) for expert in experts]
        group_total = {g: sum(w for w, h in zip(own, groups, strict=True) if h == g) for g in set(groups)}
        share = np.array(
            [
                declared[g] * w / group_total[g] if group_total[g] > 0 else 0.0
                for w, g in zip(own, groups, strict=True)
            ]
        )
    else:
        share = own
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
