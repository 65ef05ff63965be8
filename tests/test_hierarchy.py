"""Hierarchic composition and expert weighting."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine.hierarchy import combined_matrices, expert_weights, synthesize
from engine.load import load_problem
from engine.model import Node, Text
from tests.conftest import MINI


def _node(node_id: str, *children: Node) -> Node:
    return Node(id=node_id, name=Text(node_id, node_id), description=Text("", ""), children=children)


def test_global_weight_is_the_product_along_the_path():
    tree = _node("goal", _node("a", _node("a1"), _node("a2")), _node("b"))
    local = {"goal": np.array([0.6, 0.4]), "a": np.array([0.25, 0.75])}
    assert_allclose(synthesize(tree, local), [0.15, 0.45, 0.4])


def test_single_child_passes_its_weight_on():
    tree = _node("goal", _node("a", _node("a1")), _node("b"))
    assert_allclose(synthesize(tree, {"goal": np.array([0.7, 0.3])}), [0.7, 0.3])


def test_batch_axes_are_kept():
    tree = _node("goal", _node("a", _node("a1"), _node("a2")), _node("b"))
    rng = np.random.default_rng(3)
    top = rng.dirichlet([1, 1], size=5)
    sub = rng.dirichlet([1, 1], size=5)
    batch = synthesize(tree, {"goal": top, "a": sub})
    assert batch.shape == (5, 3)
    for k in range(5):
        assert_allclose(batch[k], synthesize(tree, {"goal": top[k], "a": sub[k]}))
    assert_allclose(batch.sum(axis=1), 1.0)


def test_group_weight_is_shared_not_multiplied():
    problem = load_problem(MINI / "criteria.yaml", MINI / "countermeasures.yaml")
    criteria = problem.criteria
    assert_allclose(expert_weights(criteria, ["first", "second"]), [0.5, 0.5])
    assert_allclose(expert_weights(criteria, ["first", "second"], group_weights={"ndrc": 3}), [0.25, 0.75])
    assert_allclose(expert_weights(criteria, ["first", "second"], group_weights={"ndrc": 0}), [1.0, 0.0])
    with pytest.raises(ValueError, match="sum to zero"):
        expert_weights(criteria, ["second"], group_weights={"ndrc": 0})


def test_an_expert_without_a_group_is_named_when_the_criteria_declare_groups():
    criteria = load_problem(MINI / "criteria.yaml", MINI / "countermeasures.yaml").criteria
    stray = replace(criteria.expert("first"), group=None)
    built = replace(criteria, experts=(stray, *(e for e in criteria.experts if e.id != "first")))
    with pytest.raises(ValueError, match="expert 'first' has no group"):
        expert_weights(built, ["first", "second"])


def test_opposed_experts_combine_to_the_geometric_mean():
    problem = load_problem(MINI / "criteria.yaml", MINI / "countermeasures.yaml")
    combined = combined_matrices(problem.criteria, ["first", "second"])
    # 3 and 1/3 with equal weight: the geometric mean is 1, i.e. indifference
    assert_allclose(combined["goal"], np.ones((2, 2)))
    only_first = combined_matrices(problem.criteria, ["first"])
    assert_allclose(only_first["goal"], [[1, 3], [1 / 3, 1]])
