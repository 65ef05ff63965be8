"""Rank reversal: SPOTIS cannot reverse; the leave-one-out check agrees with a plain loop."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from engine.mcda.methods import METHODS, promethee_ii, topsis, vikor, wsm
from engine.mcda.ranking import rank
from engine.robustness.rank_reversal import FIXED, leave_one_out, rank_reversal, spotis


def _utility(method, x, w, d):
    if method == "topsis":
        return topsis(x, w, d)
    if method == "wsm":
        return wsm(x, w, d)
    if method == "vikor":
        return -vikor(x, w, d)[2]
    return promethee_ii(x, w, d)


def test_spotis_is_the_weighted_distance_to_the_declared_ideal():
    x = np.array([[3.0, 20.0], [9.0, 0.0], [1.0, 100.0]])
    bounds = np.array([[1.0, 9.0], [0.0, 100.0]])
    d = np.array([1, -1])
    w = np.array([0.25, 0.75])
    # ideal: 9 on the benefit criterion, 0 on the cost criterion
    expected = 0.25 * np.abs(x[:, 0] - 9) / 8 + 0.75 * np.abs(x[:, 1] - 0) / 100
    assert_allclose(spotis(x, w, d, bounds)[0], expected)
    assert_allclose(spotis(x, w, d, bounds)[0, [1, 2]], [0.0, 1.0])  # ideal and anti-ideal rows


@st.composite
def bounded_problems(draw):
    m = draw(st.integers(2, 7))
    n = draw(st.integers(1, 5))
    low = np.array(draw(st.lists(st.floats(-50, 50), min_size=n, max_size=n)))
    span = np.array(draw(st.lists(st.floats(1, 100), min_size=n, max_size=n)))
    bounds = np.stack([low, low + span], axis=1)
    share = np.array(
        draw(st.lists(st.lists(st.floats(0, 1), min_size=n, max_size=n), min_size=m, max_size=m))
    )
    x = low + share * span
    d = np.array(draw(st.lists(st.sampled_from([1, -1]), min_size=n, max_size=n)))
    w = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=n, max_size=n)))
    victim = draw(st.integers(0, m - 1))
    shrink = np.array(draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)))
    # dominated by alternative `victim`: at least as bad on every criterion, inside the bounds
    worst = np.where(d > 0, bounds[:, 0], bounds[:, 1])
    dominated = np.clip(x[victim] + shrink * (worst - x[victim]), bounds[:, 0], bounds[:, 1])
    return x, w, d, bounds, dominated


@settings(max_examples=80, deadline=None)
@given(bounded_problems())
def test_fixed_bounds_never_reorders_when_a_dominated_alternative_is_added(problem):
    x, w, d, bounds, dominated = problem
    before = rank(spotis(x, w, d, bounds)[0], higher_is_better=False)
    grown = np.vstack([x, dominated])
    after = rank(spotis(grown, w, d, bounds)[0, :-1], higher_is_better=False)
    assert np.array_equal(before, after)


@settings(max_examples=40, deadline=None)
@given(bounded_problems())
def test_fixed_bounds_leave_one_out_is_reversal_free(problem):
    x, w, d, bounds, _ = problem
    assert leave_one_out(x, w, d, method=FIXED, bounds=bounds).reversal_free


@pytest.mark.parametrize("method", METHODS)
def test_leave_one_out_agrees_with_a_plain_loop(method):
    seen_change = False
    for seed in range(30):
        rng = np.random.default_rng(seed)
        x = rng.uniform(1, 9, (6, 4))
        d = np.array([1, 1, -1, -1])
        w = rng.dirichlet(np.ones(4))
        result = leave_one_out(x, w, d, method=method)
        full = rank(_utility(method, x, w, d))
        for i in range(6):
            rest = np.delete(np.arange(6), i)
            reduced = rank(_utility(method, x[rest], w, d))
            changed = not np.array_equal(reduced, rank(full[rest], higher_is_better=False))
            assert result.changed[i] == changed
            want_order = rest[np.argsort(reduced, kind="stable")]
            assert np.array_equal(result.orders[i], want_order)
            swapped = {
                (int(rest[a]), int(rest[b]))
                for a in range(5)
                for b in range(5)
                if full[rest[a]] < full[rest[b]] and not reduced[a] < reduced[b]
            }
            assert set(result.swaps[i]) == swapped
            seen_change |= changed
    if method != "wsm":  # these normalise by the alternatives present, so reversals do occur
        assert seen_change


def test_rank_reversal_reports_both_checks():
    rng = np.random.default_rng(5)
    x = rng.uniform(1, 9, (5, 3))
    bounds = np.array([[1.0, 9.0]] * 3)
    d = np.array([1, -1, 1])
    w = np.array([0.5, 0.3, 0.2])
    result = rank_reversal(x, w, d, bounds, method="topsis")
    assert result.fixed.reversal_free
    assert result.chosen.method == "topsis" and result.chosen.normalization == "vector"
    assert_allclose(result.fixed_scores, spotis(x, w, d, bounds)[0])
    assert np.array_equal(result.fixed_ranks, rank(result.fixed_scores, higher_is_better=False))


def test_tiny_problems():
    one = leave_one_out([[1.0, 2.0]], [0.5, 0.5], [1, 1])
    assert one.reversal_free and one.orders.shape == (1, 0)
    two = leave_one_out([[1.0, 2.0], [2.0, 1.0]], [0.5, 0.5], [1, -1])
    assert two.reversal_free and two.orders.tolist() == [[1], [0]]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "electre"}, "unknown method 'electre'"),
        ({"method": FIXED}, "needs the criteria's declared bounds"),
        ({"method": FIXED, "bounds": [[0, 1], [0, 1]]}, "lies outside the declared bounds"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        leave_one_out([[1.0, 2.0], [3.0, 4.0]], [0.5, 0.5], [1, 1], **kwargs)
