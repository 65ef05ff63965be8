"""The panel's weights (AIJ, AIP), scores with their ranges, and Delphi feedback."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal

from engine.hierarchy import group_shares
from engine.insight.groups import aggregate_weights
from engine.load import DEFAULT_DATA, load_problem
from engine.mcda.ahp import priorities
from engine.panel.aggregate import (
    aggregate_scores,
    answer_shares,
    feedback,
    judgment_stack,
    panel_weights,
    upper_judgments,
    weighted_median,
)
from engine.robustness.smaa import smaa
from tests.conftest import ROOT

THREE = ROOT / "tests" / "fixtures" / "three_experts" / "criteria.yaml"


@pytest.fixture(scope="module")
def criteria():
    return load_problem(THREE, DEFAULT_DATA).criteria


@pytest.fixture(scope="module")
def panel(criteria):
    ids = [e.id for e in criteria.experts]
    matrices = {
        node.id: judgment_stack(node, [criteria.expert(e).judgments[node.id] for e in ids])
        for node in criteria.judged_nodes
    }
    return {
        "matrices": matrices,
        "own": [criteria.expert(e).weight for e in ids],
        "groups": [criteria.expert(e).group for e in ids],
        "group_weights": {g.id: g.weight for g in criteria.groups},
        "ids": ids,
    }


def independent_aij(criteria, panel, lam):
    """Weighted geometric mean of every judgment, eigenvector priorities, products down the tree,
    written out expert by expert and leaf by leaf."""
    local = {}
    for node in criteria.judged_nodes:
        stack = panel["matrices"][node.id]
        c = len(node.children)
        combined = np.ones((c, c))
        for i in range(c):
            for j in range(c):
                combined[i, j] = np.prod([stack[e, i, j] ** lam[e] for e in range(len(lam))])
        local[node.id] = dict(zip([ch.id for ch in node.children], priorities(combined).weights, strict=True))
    weights = []
    for leaf in criteria.leaves:
        path = criteria.path_to(leaf.id)
        w = 1.0
        for parent, child in itertools.pairwise(path):
            if len(parent.children) >= 2:
                w *= local[parent.id][child.id]
        weights.append(w)
    return np.array(weights)


@pytest.mark.parametrize("aggregation", ["judgments", "priorities"])
def test_panel_weights_equal_the_groups_module_on_the_same_experts(criteria, panel, aggregation):
    result = panel_weights(
        criteria.goal,
        panel["matrices"],
        panel["own"],
        groups=panel["groups"],
        group_weights=panel["group_weights"],
        aggregation=aggregation,
    )
    assert_allclose(result.weights, aggregate_weights(criteria, aggregation=aggregation), atol=1e-14)
    assert result.weights.sum() == pytest.approx(1.0)
    assert result.aggregation == aggregation
    assert result.answered.all()


def test_aij_equals_an_independent_computation(criteria, panel):
    lam = group_shares(panel["own"], panel["groups"], panel["group_weights"])
    result = panel_weights(
        criteria.goal,
        panel["matrices"],
        panel["own"],
        groups=panel["groups"],
        group_weights=panel["group_weights"],
    )
    assert_allclose(result.weights, independent_aij(criteria, panel, lam), atol=1e-12)
    assert result.mean == "geometric"
    for node_id, cr in result.cr.items():
        assert cr == pytest.approx(priorities(result.matrices[node_id]).cr)


def test_expert_weights_are_each_experts_own(criteria, panel):
    result = panel_weights(criteria.goal, panel["matrices"])
    for row in range(len(panel["ids"])):
        alone = {node_id: stack[row : row + 1] for node_id, stack in panel["matrices"].items()}
        assert_allclose(result.expert_weights[row], panel_weights(criteria.goal, alone).weights, atol=1e-14)


def test_aip_geometric_mean_of_priorities(criteria, panel):
    result = panel_weights(criteria.goal, panel["matrices"], aggregation="priorities", mean="geometric")
    g = np.exp(np.log(result.expert_weights).mean(axis=0))
    assert_allclose(result.weights, g / g.sum())


def test_an_unanswered_node_gives_the_groups_weight_to_its_answering_expert(criteria, panel):
    node = criteria.judged_nodes[0].id
    lin = panel["ids"].index("lin")
    hu = panel["ids"].index("hu")
    partial = {k: v.copy() for k, v in panel["matrices"].items()}
    partial[node][lin] = np.nan
    result = panel_weights(
        criteria.goal, partial, panel["own"], groups=panel["groups"], group_weights=panel["group_weights"]
    )
    column = result.node_ids.index(node)
    assert result.shares[lin, column] == 0.0
    assert result.shares[hu, column] == pytest.approx(0.5)  # the think tank's whole half
    assert np.isnan(result.expert_weights[lin]).all()
    assert np.isnan(result.expert_cr[lin, column])
    # AIP leaves the incomplete expert out and renormalises the rest by the same group rule
    aip = panel_weights(
        criteria.goal,
        partial,
        panel["own"],
        groups=panel["groups"],
        group_weights=panel["group_weights"],
        aggregation="priorities",
    )
    assert_allclose(
        aip.shares[:, 0], [0.5 if e == "hu" else 0.0 if e == "lin" else 0.5 for e in panel["ids"]]
    )


def test_panel_weights_refuse_bad_stacks(criteria, panel):
    node = criteria.judged_nodes[0].id
    half = {k: v.copy() for k, v in panel["matrices"].items()}
    half[node][0, 0, 1] = np.nan
    with pytest.raises(ValueError, match="partly empty"):
        panel_weights(criteria.goal, half)
    nobody = {k: np.full_like(v, np.nan) if k == node else v for k, v in panel["matrices"].items()}
    with pytest.raises(ValueError, match="nobody"):
        panel_weights(criteria.goal, nobody)
    with pytest.raises(ValueError, match="no judgment matrices"):
        panel_weights(criteria.goal, {})
    with pytest.raises(ValueError, match="aggregation"):
        panel_weights(criteria.goal, panel["matrices"], aggregation="votes")  # type: ignore[arg-type]


# ---------------------------------------------------------------- shares


def test_answer_shares_are_group_shares_when_everyone_answers():
    own = np.array([1.0, 2.0, 1.0, 0.5])
    groups = ["a", "a", "b", "c"]
    weights = {"a": 2.0, "b": 1.0, "c": 1.0}
    shares = answer_shares(own, np.ones((4, 3), dtype=bool), groups=groups, group_weights=weights)
    assert_allclose(shares, np.repeat(group_shares(own, groups, weights)[:, None], 3, axis=1))


@settings(max_examples=100, deadline=None)
@given(
    arrays(np.float64, (5,), elements=st.floats(0.1, 10)),
    arrays(np.bool_, (5, 4)),
    st.lists(st.sampled_from("xyz"), min_size=5, max_size=5),
)
def test_answer_shares_sum_to_one_where_anyone_answered(own, answered, groups):
    shares = answer_shares(own, answered, groups=groups, group_weights={"x": 1.0, "y": 2.0, "z": 0.5})
    assert_array_equal(shares[~answered], 0.0)
    assert_allclose(shares.sum(axis=0), answered.any(axis=0).astype(float))


# ---------------------------------------------------------------- scores


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 8), st.integers(1, 4)), elements=st.integers(1, 9)))
def test_weighted_median_with_equal_weights_is_the_median(values):
    assert_allclose(weighted_median(values, np.ones(values.shape[0])), np.median(values, axis=0))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 9), st.integers(0, 4)), min_size=1, max_size=8))
def test_weighted_median_with_whole_weights_is_the_median_of_repeated_values(pairs):
    values = np.array([v for v, _ in pairs], dtype=float)
    weights = np.array([w for _, w in pairs], dtype=float)
    repeated = np.repeat(values, weights.astype(int))
    result = weighted_median(values, weights)
    if repeated.size == 0:
        assert np.isnan(result)
    else:
        assert result == pytest.approx(np.median(repeated))


def test_scores_by_median_and_quartiles():
    rng = np.random.default_rng(5)
    scores = rng.integers(1, 10, size=(7, 4, 3)).astype(float)
    scores[2, 1, 0] = np.nan
    scores[:, 3, 2] = np.nan
    result = aggregate_scores(scores)
    scored = ~np.isnan(scores).all(axis=0)
    assert_array_equal(result.value[scored], np.nanmedian(scores[:, scored], axis=0))
    assert np.isnan(result.value[3, 2]) and np.isnan(result.low[3, 2]) and np.isnan(result.high[3, 2])
    assert result.count[1, 0] == 6 and result.count[3, 2] == 0
    q1, q3 = np.nanquantile(scores[:, :3, :2], [0.25, 0.75], axis=0)
    assert_allclose(result.low[:3, :2], np.minimum(q1, result.value[:3, :2]))
    assert_allclose(result.high[:3, :2], np.maximum(q3, result.value[:3, :2]))
    assert (result.statistic, result.spread) == ("median", "quartiles")


def test_scores_by_weighted_geometric_mean_and_range():
    scores = np.array([[[2.0, 8.0]], [[8.0, 2.0]], [[4.0, np.nan]]])
    result = aggregate_scores(scores, [1.0, 1.0, 2.0], statistic="geometric", spread="range")
    assert result.value[0, 0] == pytest.approx(2**0.25 * 8**0.25 * 4**0.5)
    assert result.value[0, 1] == pytest.approx(4.0)  # the third expert's share goes to the others
    assert_array_equal(result.low, [[2.0, 2.0]])
    assert_array_equal(result.high, [[8.0, 8.0]])
    with pytest.raises(ValueError, match="positive scores"):
        aggregate_scores(-scores, statistic="geometric")


@settings(max_examples=100, deadline=None)
@given(
    arrays(np.float64, (5, 3, 2), elements=st.floats(0.5, 9)),
    arrays(np.float64, (5,), elements=st.floats(0, 3)),
    st.sampled_from(["median", "geometric"]),
    st.sampled_from(["range", "quartiles"]),
)
def test_the_value_always_lies_in_its_range(scores, weights, statistic, spread):
    weights[0] = 1.0
    result = aggregate_scores(scores, weights, statistic=statistic, spread=spread)
    assert np.all(result.low <= result.value) and np.all(result.value <= result.high)
    assert np.all(result.low >= scores.min(axis=0) - 1e-12) and np.all(
        result.high <= scores.max(axis=0) + 1e-12
    )


def test_score_ranges_are_what_the_robustness_study_takes():
    rng = np.random.default_rng(11)
    scores = rng.uniform(1, 9, size=(6, 4, 3))
    result = aggregate_scores(scores, spread="range")
    summary = smaa(
        result.value,
        [1, 1, -1],
        low=result.low,
        high=result.high,
        samples=2_000,
        confidence_samples=200,
        seed=1,
    )
    assert summary.performance == "triangular"
    assert_allclose(summary.acceptability.sum(axis=1), 1.0)


# ---------------------------------------------------------------- feedback


def test_feedback_shows_the_groups_median_quartiles_and_where_each_expert_stands():
    answers = np.array([[1.0, 5], [2, 5], [3, np.nan], [4, 4], [9, 5]])
    result = feedback(answers)
    assert_allclose(result.median, [3.0, 5.0])
    assert_allclose(result.q1, [2.0, 4.75])
    assert_allclose(result.q3, [4.0, 5.0])
    assert_array_equal(result.position[:, 0], [-1, 0, 0, 0, 1])
    assert_array_equal(result.position[:, 1], [0, 0, 0, -1, 0])
    assert not result.answered[2, 1] and np.isnan(result.deviation[2, 1])
    assert_allclose(result.deviation[:, 0], answers[:, 0] - 3.0)
    assert_array_equal(result.outside[:, 0], [True, False, False, False, True])


def test_ratio_feedback_treats_a_judgment_and_its_reciprocal_alike(criteria, panel):
    result = feedback([[1 / 3], [1.0], [3.0]], scale="ratio")
    assert result.median[0] == pytest.approx(1.0)
    assert result.q1[0] * result.q3[0] == pytest.approx(1.0)
    node = criteria.judged_nodes[0]
    rows, _, values = upper_judgments(panel["matrices"][node.id])
    assert values.shape == (3, len(rows))
    assert_array_equal(feedback(values, scale="ratio").count, 3)
    with pytest.raises(ValueError, match="positive"):
        feedback([[0.0]], scale="ratio")
