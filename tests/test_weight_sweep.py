"""Weight sweeps: scores from the registry's batch scorer, crossings against a fine brute-force grid."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from engine.mcda.methods import METHODS
from engine.mcda.ranking import order, rank
from engine.mcda.registry import get
from engine.robustness.stability import stability_intervals, weight_path
from engine.robustness.sweep import Crossing, weight_sweep, weight_sweeps

BRUTE = 20_001  # brute-force grid: spacing 5e-5


def _problem(seed: int, m: int = 6, n: int = 5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 9.0, (m, n))
    d = np.where(np.arange(n) < n - 2, 1, -1)
    w = rng.dirichlet(np.ones(n))
    return x, d, w


def _utilities(method: str, x: np.ndarray, weights: np.ndarray, d: np.ndarray) -> np.ndarray:
    return get(method).utilities(x, weights, d)


@pytest.mark.parametrize("method", METHODS)
def test_scores_and_ranks_are_the_registry_scores_along_the_path(method):
    x, d, w = _problem(1)
    found = weight_sweep(x, w, d, 2, method=method, points=11)
    path = weight_path(w, np.full(11, 2), found.t)
    scores = get(method).batch_scores(x, path, d)
    assert_allclose(found.t, np.linspace(0.0, 1.0, 11))
    assert_allclose(found.scores, scores)
    assert_array_equal(found.ranks, rank(scores, higher_is_better=get(method).higher_is_better))
    assert found.weight == pytest.approx(w[2])
    assert found.higher_is_better is get(method).higher_is_better


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", [3, 7])
def test_crossings_are_every_swap_of_a_fine_scan(method, seed):
    x, d, w = _problem(seed)
    m = x.shape[0]
    for found in weight_sweeps(x, w, d, method=method):
        ts = np.linspace(0.0, 1.0, BRUTE)
        u = _utilities(method, x, weight_path(w, np.full(BRUTE, found.criterion), ts), d)
        ahead = u[:, :, None] > u[:, None, :]  # (t, p, l): p strictly ahead of l
        swaps = []
        for p in range(m):
            for q in range(p + 1, m):
                side = ahead[:, p, q].astype(int) - ahead[:, q, p].astype(int)
                nonzero = np.flatnonzero(side)
                changes = nonzero[1:][side[nonzero[1:]] != side[nonzero[:-1]]]
                swaps += [(ts[k], {p, q}) for k in changes]
        assert len(found.crossings) == len(swaps)
        for crossing, (t, pair) in zip(found.crossings, sorted(swaps, key=lambda s: s[0]), strict=True):
            assert crossing.weight == pytest.approx(t, abs=1e-4)
            assert {crossing.below, crossing.above} == pair


@pytest.mark.parametrize("method", METHODS)
def test_each_crossing_swaps_its_pair_within_xtol(method):
    x, d, w = _problem(5)
    for found in weight_sweeps(x, w, d, method=method, xtol=1e-7):
        for crossing in found.crossings:
            near = np.array([crossing.weight - 1e-6, crossing.weight + 1e-6])
            u = _utilities(method, x, weight_path(w, np.full(2, found.criterion), near), d)
            assert u[0, crossing.below] > u[0, crossing.above]
            assert u[1, crossing.above] > u[1, crossing.below]
            past = order(u[1:])[0]
            pair = [int(np.flatnonzero(past == i)[0]) for i in (crossing.below, crossing.above)]
            assert crossing.place == min(pair) + 1


def test_wsm_crossings_are_the_roots_of_linear_score_gaps():
    x, d, w = _problem(11)
    found = weight_sweep(x, w, d, 0, method="wsm", xtol=1e-9)
    ends = get("wsm").batch_scores(x, weight_path(w, [0, 0], [0.0, 1.0]), d)
    for crossing in found.crossings:
        a, b = crossing.below, crossing.above
        gap0, gap1 = ends[0, a] - ends[0, b], ends[1, a] - ends[1, b]
        assert crossing.weight == pytest.approx(gap0 / (gap0 - gap1), abs=1e-8)


@pytest.mark.parametrize("method", METHODS)
def test_first_place_crossings_bound_the_stability_interval_of_the_leader(method):
    x, d, w = _problem(4, m=7, n=6)
    stability = stability_intervals(x, w, d, method=method)
    for found, criterion in zip(weight_sweeps(x, w, d, method=method), stability.criteria, strict=True):
        low, high = found.nearest(place=1)
        assert (low.weight if low else 0.0) == pytest.approx(criterion.top_interval[0], abs=1e-5)
        assert (high.weight if high else 1.0) == pytest.approx(criterion.top_interval[1], abs=1e-5)
        assert found.margin == pytest.approx(criterion.top_margin, abs=1e-5)


def test_options_reach_the_scorer():
    x, d, w = _problem(2)
    vector = weight_sweep(x, w, d, 1, method="topsis", options={"normalization": "vector"}, points=5)
    minmax = weight_sweep(x, w, d, 1, method="topsis", options={"normalization": "minmax"}, points=5)
    path = weight_path(w, np.full(5, 1), vector.t)
    assert_allclose(minmax.scores, get("topsis").batch_scores(x, path, d, normalization="minmax"))
    assert not np.allclose(vector.scores, minmax.scores)


def test_identical_alternatives_never_cross():
    x, d, w = _problem(6)
    x[1] = x[0]
    for found in weight_sweeps(x, w, d, method="promethee"):
        assert all({0, 1} != {c.below, c.above} for c in found.crossings)


def test_overtaker_depends_on_the_side_the_weight_comes_from():
    crossing = Crossing(weight=0.3, below=2, above=5, place=1)
    assert crossing.overtaker(0.1) == (5, 2)
    assert crossing.overtaker(0.6) == (2, 5)


def test_sweeps_follow_the_requested_criteria():
    x, d, w = _problem(8)
    found = weight_sweeps(x, w, d, criteria=[3, 0])
    assert [s.criterion for s in found] == [3, 0]
    assert found[0].scores.shape == (201, x.shape[0])
    with pytest.raises(ValueError):
        found[0].scores[0, 0] = 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"criteria": [5]}, "criteria must be column numbers from 0 to 4"),
        ({"criteria": [0.5]}, "criteria must be column numbers"),
        ({"points": 2}, "points must be an integer >= 3"),
        ({"xtol": 0.5}, r"xtol must lie in \(0, 0.1\)"),
        ({"method": "electre"}, "electre"),
        ({"options": {"v": 0.3}}, "does not take option"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    x, d, w = _problem(9)
    with pytest.raises(ValueError, match=message):
        weight_sweeps(x, w, d, **kwargs)


def test_one_criterion_cannot_be_swept():
    with pytest.raises(ValueError, match="at least two criteria"):
        weight_sweeps(np.array([[1.0], [2.0]]), [1.0], [1])
