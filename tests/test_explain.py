"""Strengths and weak spots against the average, rank changes, attributions and counterfactuals."""

from __future__ import annotations

import json

import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine.analysis import run
from engine.insight.explain import drivers, rank_changes
from engine.load import load_problem
from engine.settings import Settings
from tests.conftest import MINI


@pytest.fixture(scope="module")
def mini():
    return load_problem(MINI / "criteria.yaml", MINI / "countermeasures.yaml")


MINI_WEIGHTS = {"jobs": 0.5, "output": 0.3, "cost": 0.2}
# The mini catalogue (jobs, output on 1..9; cost in 亿元, lower is better):
#   alpha (8, 5, 40), beta (5, 8, 20), gamma (3, 3, 10).
# Min-max normalised, benefit-oriented, by hand:
#   jobs (x - 3)/5 = (1, 2/5, 0); output (x - 3)/5 = (2/5, 1, 0); cost (40 - x)/30 = (0, 2/3, 1).
# Weighted: alpha (1/2, 3/25, 0), beta (1/5, 3/10, 2/15), gamma (0, 0, 1/5);
# column means (7/30, 7/50, 1/9); advantage = weighted - mean:
HAND_ADVANTAGE = np.array(
    [
        [1 / 2 - 7 / 30, 3 / 25 - 7 / 50, 0 - 1 / 9],
        [1 / 5 - 7 / 30, 3 / 10 - 7 / 50, 2 / 15 - 1 / 9],
        [0 - 7 / 30, 0 - 7 / 50, 1 / 5 - 1 / 9],
    ]
)


@pytest.mark.parametrize("method", ["wsm", "vikor", "promethee"])
def test_drivers_by_hand(mini, method):
    # VIKOR and PROMETHEE carry no normalised matrix and fall back on the WSM run (min-max)
    analysis = run(mini, Settings(method=method).with_manual_weights(MINI_WEIGHTS))
    found = drivers(analysis, top=2)
    assert found.basis == "wsm"
    assert found.alternative_ids == ("alpha", "beta", "gamma")
    assert_allclose(found.advantage, HAND_ADVANTAGE, atol=1e-15)
    jobs, output, cost = 0, 1, 2
    # alpha: only jobs above average; beta: output then cost; gamma: cost only
    assert found.strongest.tolist() == [[jobs, -1], [output, cost], [cost, -1]]
    assert found.weakest.tolist() == [[cost, output], [jobs, -1], [jobs, output]]
    assert [found.strengths(i) for i in range(3)] == [(jobs,), (output, cost), (cost,)]
    assert [found.weak_spots(i) for i in range(3)] == [(cost, output), (jobs,), (jobs, output)]
    assert_allclose(found.strongest_advantage[:, 0], [8 / 30, 4 / 25, 4 / 45], atol=1e-15)
    assert_allclose(found.weakest_advantage[:, 0], [-1 / 9, -1 / 30, -7 / 30], atol=1e-15)
    assert np.isnan(found.strongest_advantage[0, 1]) and np.isnan(found.weakest_advantage[1, 1])
    assert_allclose(found.average, [16 / 3, 16 / 3, 70 / 3])
    # top=1 keeps the first column of the same answer
    one = drivers(analysis)
    assert one.strongest.tolist() == [[jobs], [output], [cost]]
    assert one.weakest.tolist() == [[cost], [jobs], [jobs]]


def test_drivers_do_not_crown_a_heavy_criterion_that_is_large_for_most(mini):
    # weights (0.8, 0.1, 0.1), min-max: weighted alpha (0.8, 0.04, 0), beta (0.32, 0.1, 1/15),
    # gamma (0, 0, 0.1); jobs is the largest weighted value of alpha and beta, but beta is below
    # the jobs average (0.32 < 0.3733) and above the output average (0.1 > 0.0467)
    weights = {"jobs": 0.8, "output": 0.1, "cost": 0.1}
    analysis = run(mini, Settings(method="wsm").with_manual_weights(weights))
    assert np.argmax(np.asarray(analysis.primary.details["weighted"]), axis=1).tolist() == [0, 0, 2]
    found = drivers(analysis)
    assert found.strongest[:, 0].tolist() == [0, 1, 2]
    assert found.weakest[:, 0].tolist() == [2, 0, 0]


def test_drivers_of_topsis_use_its_weighted_matrix(mini):
    analysis = run(mini, Settings(method="topsis").with_manual_weights(MINI_WEIGHTS))
    found = drivers(analysis)
    assert found.basis == "topsis"
    # vector normalisation: jobs x/||x||, output x/||x||, cost 1 - x/||x||
    x = mini.matrix
    norms = np.sqrt((x**2).sum(axis=0))
    r = np.column_stack([x[:, 0] / norms[0], x[:, 1] / norms[1], 1 - x[:, 2] / norms[2]])
    v = r * np.array([0.5, 0.3, 0.2])
    assert_allclose(found.advantage, v - v.mean(axis=0), atol=1e-15)


def test_a_criterion_level_with_the_average_is_neither(mini):
    # every countermeasure equal on a criterion: no strength or weak spot there, whatever rounding does
    analysis = run(
        mini, Settings(method="wsm").with_manual_weights({"jobs": 0.0, "output": 0.0, "cost": 1.0})
    )
    found = drivers(analysis, top=3)
    assert set(found.strongest.ravel()) <= {2, -1} and set(found.weakest.ravel()) <= {2, -1}


def test_drivers_are_read_only_and_top_is_checked(mini):
    found = drivers(run(mini))
    with pytest.raises(ValueError, match="read-only"):
        found.advantage[0, 0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        found.strongest[0, 0] = 1
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="top must be a positive whole number"):
            drivers(run(mini), top=bad)


def test_rank_changes_count_places_moved_up(mini):
    baseline = run(mini, Settings().with_manual_weights({"jobs": 1, "output": 0, "cost": 0}))
    current = run(mini, Settings().with_manual_weights({"jobs": 0, "output": 0, "cost": 1}))
    # jobs alone: alpha 8 > beta 5 > gamma 3; cost alone (lower is better): gamma 10 < beta 20 < alpha 40
    assert [e.id for e in baseline.ranking] == ["alpha", "beta", "gamma"]
    assert [e.id for e in current.ranking] == ["gamma", "beta", "alpha"]
    assert rank_changes(current, baseline) == {"gamma": 2, "beta": 0, "alpha": -2}
    assert rank_changes(baseline, baseline) == {"alpha": 0, "beta": 0, "gamma": 0}


def test_rank_changes_refuse_different_countermeasures(mini):
    with pytest.raises(ValueError, match="different countermeasures"):
        rank_changes(run(mini), run(load_problem()))


# ---------------------------------------------------------------- attributions and counterfactuals

from engine.cli.main import main  # noqa: E402
from engine.insight.explain import _path, attribute, counterfactual  # noqa: E402
from engine.mcda.methods import METHODS  # noqa: E402
from engine.mcda.registry import evaluate  # noqa: E402


@pytest.fixture(scope="module")
def shipped():
    return load_problem()


def _ranks_after(analysis, matrix=None, weights=None):
    primary = analysis.primary
    options = {"v": analysis.settings.vikor_v} if primary.method == "vikor" else {}
    return evaluate(
        primary.method,
        analysis.problem.matrix if matrix is None else matrix,
        primary.weights if weights is None else weights,
        analysis.problem.directions,
        normalization=primary.normalization,
        **options,
    ).ranks


@pytest.mark.parametrize("method", METHODS)
def test_attributions_add_up_to_the_methods_own_quantities(shipped, method):
    analysis = run(shipped, Settings(method=method))
    found = attribute(analysis)
    details = analysis.primary.details
    if method == "topsis":
        assert_allclose(found.to_ideal.sum(axis=1), np.asarray(details["d_plus"]) ** 2, atol=1e-14)
        assert_allclose(found.to_anti.sum(axis=1), np.asarray(details["d_minus"]) ** 2, atol=1e-14)
        assert_allclose(found.pull, found.to_anti - found.to_ideal)
    elif method == "wsm":
        assert_allclose(found.weighted.sum(axis=1), analysis.primary.scores, atol=1e-14)
        assert_allclose(found.pull.sum(axis=0), 0, atol=1e-14)
    elif method == "vikor":
        assert_allclose(found.weighted.sum(axis=1), details["S"], atol=1e-14)
        assert_allclose(found.weighted.max(axis=1), details["R"], atol=1e-14)
    else:
        assert_allclose(found.pull.sum(axis=1), analysis.primary.scores, atol=1e-14)
    up, down = found.strongest(0)
    assert all(found.pull[0, shipped.leaf_ids.index(j)] > 0 for j in up)
    assert all(found.pull[0, shipped.leaf_ids.index(j)] < 0 for j in down)


def test_topsis_pull_is_positive_above_the_column_midpoint(shipped):
    analysis = run(shipped, Settings(method="topsis"))
    r = np.asarray(analysis.primary.details["normalized"])
    middle = (r.max(axis=0) + r.min(axis=0)) / 2
    pull = attribute(analysis).pull
    informative = np.asarray(analysis.weights) > 0
    assert np.array_equal((pull > 1e-15)[:, informative], (r > middle + 1e-12)[:, informative])


@pytest.mark.slow
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("preset", [None, "talent_first"])
def test_every_reported_counterfactual_flips_the_order_and_a_smaller_one_does_not(shipped, method, preset):
    settings = Settings(method=method)
    if preset and any(p.id == preset for p in shipped.presets):
        settings = settings.with_preset(preset)
    analysis = run(shipped, settings)
    ids = shipped.alternative_ids
    checked = 0
    for entry in analysis.ranking[1:]:
        found = counterfactual(analysis, entry.id)
        lead, chal = ids.index(found.leader), ids.index(found.challenger)
        assert _ranks_after(analysis)[chal] >= _ranks_after(analysis)[lead]
        for j, change in enumerate(found.scores):
            x = np.array(shipped.matrix)
            if change.needed is None:
                x[chal, j] = change.bound
                assert _ranks_after(analysis, matrix=x)[chal] >= _ranks_after(analysis, matrix=x)[lead]
                continue
            low, high = sorted(shipped.bounds[j])
            assert low <= change.needed <= high
            x[chal, j] = change.needed
            ranks = _ranks_after(analysis, matrix=x)
            assert ranks[chal] < ranks[lead], (entry.id, change)
            smaller = change.current + change.change * (1 - 1e-4)
            if smaller == change.needed:  # a step (PROMETHEE): any change beyond the tie is enough
                smaller = np.nextafter(change.needed, change.current)
            x[chal, j] = smaller
            ranks = _ranks_after(analysis, matrix=x)
            assert ranks[chal] >= ranks[lead], (entry.id, change)
            checked += 1
        w = np.asarray(analysis.primary.weights)
        for j, change in enumerate(found.weights):
            if change.needed is None:
                continue
            assert 0 <= change.needed <= 1
            moved = _path(w, np.array([j]), np.array([change.needed]))[0]
            ranks = _ranks_after(analysis, weights=moved)
            assert ranks[chal] < ranks[lead], (entry.id, change)
            closer = _path(w, np.array([j]), np.array([change.current + change.change * (1 - 1e-4)]))[0]
            ranks = _ranks_after(analysis, weights=closer)
            assert ranks[chal] >= ranks[lead], (entry.id, change)
            checked += 1
    assert checked > 0


def test_weight_path_keeps_proportions(shipped):
    w = np.array([0.5, 0.3, 0.2])
    moved = _path(w, np.array([0, 2]), np.array([0.2, 0.6]))
    assert_allclose(moved.sum(axis=1), 1)
    assert_allclose(moved[0], [0.2, 0.3 * 0.8 / 0.5, 0.2 * 0.8 / 0.5])
    assert_allclose(moved[1, :2] / moved[1, :2].sum(), [0.5 / 0.8, 0.3 / 0.8])


def test_counterfactual_defaults_and_errors(shipped):
    analysis = run(shipped)
    first, second = analysis.ranking[0].id, analysis.ranking[1].id
    default = counterfactual(analysis)
    assert (default.leader, default.challenger) == (first, second)
    assert default.gap >= 0
    assert counterfactual(analysis, first).leader == second  # the first is compared with the second
    with pytest.raises(KeyError, match="unknown countermeasure 'nothing'"):
        counterfactual(analysis, "nothing")
    with pytest.raises(ValueError, match="must differ"):
        counterfactual(analysis, first, first)


def test_cli_explain(capsys):
    assert main(["explain", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Pulled up by" in out and "to overtake" in out
    assert main(["explain", "--format", "json", "--method", "wsm", "--measure", "talent_strategy"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["method"] == "wsm"
    assert payload["counterfactual"]["challenger"] == "talent_strategy"
    assert main(["explain", "--measure", "nothing"]) == 2
    assert "--measure: unknown countermeasure 'nothing'" in capsys.readouterr().err
