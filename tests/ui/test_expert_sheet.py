"""The questionnaire page's logic without Streamlit: screens, consistency per node, the revision to
consider first, where an expert who comes back starts."""

from __future__ import annotations

import numpy as np
import pytest

from engine.mcda.ahp import priorities
from engine.store.panel import Item, asked_items
from ui.expert_sheet import consistency, first_open_step, judged_node, node_matrix, steps


def test_screens_follow_the_questionnaire_order(problem):
    items = asked_items(problem, "both", 1)
    found = steps(items)
    nodes = [node.id for node in problem.criteria.judged_nodes]
    assert [s.id for s in found[: len(nodes)]] == nodes
    assert [s.id for s in found[len(nodes) : len(nodes) + len(problem.leaf_ids)]] == list(problem.leaf_ids)
    assert [s.kind for s in found[-2:]] == ["rating", "submit"]
    assert sum(len(s.items) for s in found) == len(items)
    assert [s.kind for s in steps(asked_items(problem, "judgments", 2))] == ["node"] * len(nodes) + ["submit"]


def values_of(node, matrix) -> dict[str, float]:
    ids = [child.id for child in node.children]
    return {
        Item.judgment(node.id, a, b).key: float(matrix[i, j])
        for i, a in enumerate(ids)
        for j, b in enumerate(ids)
        if i < j
    }


def test_a_consistent_node_has_cr_zero_and_no_hint(problem):
    node = judged_node(problem, "ecosystem")
    w = np.array([5.0, 4.0, 3.0, 2.0, 1.0])
    matrix = w[:, None] / w[None, :]
    found = consistency(node, values_of(node, matrix))
    assert found.complete and found.cr == pytest.approx(0.0, abs=1e-9) and found.hint is None
    assert found.consistent


def test_an_open_pair_leaves_the_node_unchecked(problem):
    node = judged_node(problem, "goal")
    values = {Item.judgment("goal", "retention", "ecosystem").key: 3.0}
    found = consistency(node, values)
    assert (found.answered, found.pairs, found.cr, found.hint) == (1, 3, None, None)
    assert node_matrix(node, values) is None


def test_the_hint_names_one_judgment_whose_change_lowers_cr(problem):
    node = judged_node(problem, "goal")
    matrix = np.array([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    found = consistency(node, values_of(node, matrix))
    assert found.cr is not None and found.cr >= 0.10 and not found.consistent
    hint = found.hint
    assert hint is not None and hint.cr_after < found.cr
    revised = values_of(node, matrix) | {Item.judgment("goal", hint.a, hint.b).key: hint.proposed}
    assert priorities(node_matrix(node, revised)).cr == pytest.approx(hint.cr_after)


def test_an_expert_who_comes_back_starts_at_the_first_open_screen(problem):
    items = asked_items(problem, "judgments", 1)
    found = steps(items)
    assert first_open_step(found, {}) == 0
    goal = {item.key: 1.0 for item in found[0].items}
    assert first_open_step(found, goal) == 1
    every = {item.key: 1.0 for item in items}
    assert found[first_open_step(found, every)].kind == "submit"
