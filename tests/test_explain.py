"""Contributions on the declared scales and the strongest criterion per countermeasure."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine.analysis import run
from engine.explain import contributions, rank_changes, strongest_criteria
from engine.load import load_problem
from engine.settings import Settings
from tests.conftest import MINI


@pytest.fixture(scope="module")
def mini():
    return load_problem(MINI / "criteria.yaml", MINI / "countermeasures.yaml")


def test_contributions_use_the_declared_scales(mini):
    # jobs and output on 1..9 (benefit), cost on 0..100 (cost); values from the fixture file
    expected_utility = np.array(
        [
            [(8 - 1) / 8, (5 - 1) / 8, (100 - 40) / 100],
            [(5 - 1) / 8, (8 - 1) / 8, (100 - 20) / 100],
            [(3 - 1) / 8, (3 - 1) / 8, (100 - 10) / 100],
        ]
    )
    weights = np.array([0.5, 0.3, 0.2])
    assert_allclose(contributions(mini, weights), expected_utility * weights)


def test_contributions_are_read_only(mini):
    with pytest.raises(ValueError, match="read-only"):
        contributions(mini, [1 / 3] * 3)[0, 0] = 1.0


def test_strongest_criterion_follows_the_weights(mini):
    assert strongest_criteria(mini, [1 / 3] * 3) == ("jobs", "output", "cost")
    assert strongest_criteria(mini, [0.1, 0.1, 0.8]) == ("cost", "cost", "cost")
    # gamma: jobs 0.8 * 2/8 = 0.2 beats cost 0.1 * 0.9 = 0.09
    assert strongest_criteria(mini, [0.8, 0.1, 0.1]) == ("jobs", "jobs", "jobs")


def test_weights_of_the_wrong_length_are_rejected(mini):
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        contributions(mini, [0.5, 0.5])


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
