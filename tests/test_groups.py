"""Experts and stakeholder groups: AIJ and AIP, exactness at the edges, consensus, weight sweeps."""

from __future__ import annotations

import json

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.stats import spearmanr

from engine.analysis import run
from engine.cli.main import main
from engine.errors import InputError
from engine.insight.groups import (
    aggregate_weights,
    analyse_groups,
    expert_leaf_weights,
    kendall_w,
    share_weights,
    stakeholder_groups,
    sweep_group,
)
from engine.load import DEFAULT_DATA, load_problem, problem_from_documents
from engine.settings import Settings
from tests.conftest import ROOT

THREE = ROOT / "tests" / "fixtures" / "three_experts" / "criteria.yaml"
AGGREGATIONS = ("judgments", "priorities")


@pytest.fixture(scope="module")
def problem():
    return load_problem(THREE, DEFAULT_DATA)


def test_groups_of_the_fixture(problem):
    groups = stakeholder_groups(problem.criteria)
    assert [(g.id, g.experts) for g in groups] == [
        ("think_tank", ("hu", "lin")),
        ("development_reform", ("zhao",)),
    ]
    # two equal groups: the think tank's half is shared by its two experts
    assert_allclose(share_weights(problem.criteria), [0.25, 0.25, 0.5])
    assert_allclose(share_weights(problem.criteria, group_weights={"think_tank": 3}), [0.375, 0.375, 0.25])


@pytest.mark.parametrize("aggregation", AGGREGATIONS)
def test_one_expert_is_aggregated_to_exactly_their_own_weights(problem, aggregation):
    own, _ = expert_leaf_weights(problem.criteria, ["lin"])
    alone = aggregate_weights(problem.criteria, ["lin"], aggregation=aggregation)
    assert_array_equal(alone, own[0])
    result = analyse_groups(problem, Settings(experts=("lin",), aggregation=aggregation))
    assert_array_equal(result.overall.weights, own[0])
    assert result.consensus == 1.0


@pytest.mark.parametrize("aggregation", AGGREGATIONS)
def test_a_group_at_weight_zero_has_exactly_no_influence(problem, aggregation):
    off = aggregate_weights(
        problem.criteria, aggregation=aggregation, group_weights={"development_reform": 0}
    )
    without = aggregate_weights(problem.criteria, ["hu", "lin"], aggregation=aggregation)
    assert_array_equal(off, without)
    result = analyse_groups(
        problem, Settings(aggregation=aggregation, group_weights=(("development_reform", 0),))
    )
    assert_array_equal(result.overall.weights, without)
    zhao = next(v for v in result.experts if v.id == "zhao")
    assert zhao.share == 0
    # the switched-off group still shows its own view
    reform = next(v for v in result.groups if v.id == "development_reform")
    assert_array_equal(reform.weights, zhao.weights)


@pytest.mark.parametrize("aggregation", AGGREGATIONS)
def test_overall_view_is_what_the_analysis_ranks_with(problem, aggregation):
    settings = Settings(aggregation=aggregation)
    analysis = run(problem, settings)
    result = analyse_groups(problem, settings)
    assert_allclose(result.overall.weights, analysis.weights, atol=1e-15)
    assert_array_equal(result.overall.ranks, analysis.primary.ranks)


def test_aip_is_the_share_weighted_mean_of_each_experts_own_analysis(problem):
    own = np.stack([run(problem, Settings(experts=(e,))).weights for e in ("hu", "lin", "zhao")])
    expected = np.array([0.25, 0.25, 0.5]) @ own
    assert_allclose(aggregate_weights(problem.criteria, aggregation="priorities"), expected, atol=1e-14)
    # and differs from AIJ on these deliberately disagreeing experts
    assert not np.allclose(aggregate_weights(problem.criteria, aggregation="judgments"), expected)


def test_expert_views_match_single_expert_analyses(problem):
    result = analyse_groups(problem, Settings(method="vikor"))
    for view in result.experts:
        alone = run(problem, Settings(experts=(view.id,), method="vikor"))
        assert_allclose(view.weights, alone.weights, atol=1e-14)
        assert_allclose(view.scores, alone.primary.scores, atol=1e-12)
        cr = max(c.result.cr for c in alone.consistency if c.expert_id == view.id)
        assert view.cr_max == pytest.approx(cr)


def test_dispersion_is_consistent_with_the_expert_views(problem):
    result = analyse_groups(problem)
    weights = np.stack([v.weights for v in result.experts])
    shares = np.array([v.share for v in result.experts])
    assert_allclose(result.mean, shares @ weights)
    assert_allclose(result.std, np.sqrt(shares @ (weights - result.mean) ** 2))
    assert_array_equal(result.low, weights.min(axis=0))
    assert_array_equal(result.high, weights.max(axis=0))
    by_id = {v.id: v.weights for v in result.experts}
    for j in range(len(result.leaf_ids)):
        assert by_id[result.low_expert[j]][j] == result.low[j]
        assert by_id[result.high_expert[j]][j] == result.high[j]
    assert np.all(result.cv >= 0)


def test_kendall_w_bounds_and_spearman_identity():
    identical = np.tile([0.9, 0.5, 0.1, 0.3], (3, 1))
    assert kendall_w(identical) == pytest.approx(1.0)
    assert kendall_w(np.array([[1.0, 2, 3, 4], [4, 3, 2, 1]])) == pytest.approx(0.0)
    assert kendall_w(np.array([[1.0, 2, 3]])) == 1.0
    rng = np.random.default_rng(7)
    for k in (2, 3, 5):
        scores = rng.random((k, 7))
        rho = np.atleast_2d(spearmanr(scores.T).statistic)
        pairs = np.triu_indices(k, 1)
        mean_rho = rho[0, 0] if k == 2 else rho[pairs].mean()
        # without ties, W = ((k - 1) mean pairwise Spearman + 1) / k
        assert kendall_w(scores) == pytest.approx(((k - 1) * mean_rho + 1) / k)
    # lower-is-better scores are ranked the other way round
    assert kendall_w(np.array([[1.0, 2, 3], [3, 2, 1]]), higher_is_better=False) == pytest.approx(0.0)


def test_kendall_w_with_ties_applies_the_correction():
    # two raters, ties in the first: mid-ranks (1.5, 1.5, 3) and (1, 2, 3)
    w = kendall_w(np.array([[3.0, 3.0, 1.0], [3.0, 2.0, 1.0]]))
    totals = np.array([2.5, 3.5, 6.0])
    spread = np.sum((totals - 4) ** 2)
    assert w == pytest.approx(12 * spread / (4 * 24 - 2 * 6))


@pytest.mark.parametrize("aggregation", AGGREGATIONS)
def test_sweep_passes_through_the_current_view_and_ends_at_each_side(problem, aggregation):
    settings = Settings(aggregation=aggregation)
    sweep = sweep_group(problem, "think_tank", settings, steps=101)
    result = analyse_groups(problem, settings)
    assert sweep.current == pytest.approx(0.5)
    assert_allclose(sweep.weights[50], result.overall.weights, atol=1e-12)
    views = {v.id: v for v in result.groups}
    assert_allclose(sweep.weights[-1], views["think_tank"].weights, atol=1e-12)
    assert_allclose(sweep.weights[0], views["development_reform"].weights, atol=1e-12)
    assert_allclose(sweep.weights.sum(axis=1), 1.0)
    for lo, hi, before, after in sweep.switches:
        i = round(lo * 100)
        assert sweep.t[i] == pytest.approx(lo) and sweep.t[i + 1] == pytest.approx(hi)
        assert sweep.leaders[i] == before and sweep.leaders[i + 1] == after
    assert sweep.decisive == (len(set(sweep.leaders.tolist())) > 1)


def test_sweep_follows_the_other_groups_weight_override(problem):
    base = sweep_group(problem, "development_reform", Settings(group_weights=(("think_tank", 3.0),)))
    assert base.current == pytest.approx(0.25)


def test_sweep_rejects_what_cannot_be_swept(problem):
    with pytest.raises(KeyError, match="unknown group 'nobody'"):
        sweep_group(problem, "nobody")
    with pytest.raises(ValueError, match="holds every selected expert"):
        sweep_group(problem, "think_tank", Settings(experts=("hu", "lin")))
    with pytest.raises(ValueError, match="none of the selected experts"):
        sweep_group(problem, "development_reform", Settings(experts=("hu", "lin")))
    with pytest.raises(ValueError, match="at least 2"):
        sweep_group(problem, "think_tank", steps=1)


def test_without_declared_groups_every_expert_is_a_group(mini_docs):
    criteria = mini_docs["criteria"]
    del criteria["groups"]
    for expert in criteria["experts"]:
        del expert["group"]
    criteria["experts"][1]["weight"] = 3
    problem = problem_from_documents(
        (criteria, "c.yaml"), (mini_docs["catalogue"], "d.yaml"), (mini_docs["evidence"], "e.yaml")
    )
    assert [g.id for g in stakeholder_groups(problem.criteria)] == ["first", "second"]
    assert_allclose(share_weights(problem.criteria), [0.25, 0.75])
    sweep = sweep_group(problem, "first", steps=5)
    assert sweep.current == pytest.approx(0.25)


def test_unknown_or_bad_group_weights(problem):
    with pytest.raises(KeyError, match="unknown group 'nobody'"):
        share_weights(problem.criteria, group_weights={"nobody": 1})
    with pytest.raises(ValueError, match="finite and >= 0"):
        share_weights(problem.criteria, group_weights={"think_tank": -1})
    with pytest.raises(ValueError, match="unknown aggregation"):
        aggregate_weights(problem.criteria, aggregation="votes")


def test_settings_carry_the_aggregation():
    settings = Settings(aggregation="priorities")
    assert settings.to_mapping()["aggregation"] == "priorities"
    assert Settings.from_mapping(settings.to_mapping(), "s.yaml") == settings
    assert "aggregation" not in Settings().to_mapping()
    with pytest.raises(ValueError, match="unknown aggregation 'votes'"):
        Settings(aggregation="votes")
    with pytest.raises(
        InputError, match=r"s.yaml: settings.aggregation: expected one of judgments, priorities"
    ):
        Settings.from_mapping({"aggregation": "votes"}, "s.yaml")


def test_judgment_edits_need_aggregated_judgments(problem):
    edits = (("retention", (("firm_retention", "talent", 2.0),)),)
    with pytest.raises(InputError, match="judgment_edits: judgment edits change the combined judgments"):
        run(problem, Settings(aggregation="priorities", judgment_edits=edits))


def test_cli_table_json_and_errors(capsys):
    argv = ["group", "--criteria", str(THREE), "--data", str(DEFAULT_DATA)]
    assert main([*argv, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Consensus (Kendall's W)" in out and "Whose view decides" in out
    assert (
        main([*argv, "--format", "json", "--aggregation", "priorities", "--group-weight", "think_tank=2"])
        == 0
    )
    payload = json.loads(capsys.readouterr().out)
    assert payload["aggregation"] == "priorities"
    assert payload["settings"]["group_weights"] == {"think_tank": 2.0}
    assert {s["group"] for s in payload["sweeps"]} == {"think_tank", "development_reform"}
    assert [e["id"] for e in payload["experts"]] == ["hu", "lin", "zhao"]
    for bad, message in (
        ("nobody=1", "unknown group 'nobody'"),
        ("think_tank", "expected GROUP=WEIGHT"),
        ("think_tank=-1", "expected a finite number >= 0"),
    ):
        assert main([*argv, "--group-weight", bad]) == 2
        assert message in capsys.readouterr().err
    assert main([*argv, "--experts", "hu,nobody"]) == 2
    assert "unknown expert 'nobody'" in capsys.readouterr().err
