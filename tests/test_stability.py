"""Weight stability intervals: against brute-force scans, and the ends really flip the order."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine.mcda.methods import METHODS, promethee_ii, topsis, vikor, wsm
from engine.robustness.stability import stability_intervals, weight_path

BRUTE = 20_001  # brute-force grid: spacing 5e-5


def _problem(seed: int, m: int = 6, n: int = 5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 9.0, (m, n))
    d = np.where(np.arange(n) < n - 2, 1, -1)
    w = rng.dirichlet(np.ones(n))
    return x, d, w


def _order(method: str, x: np.ndarray, w: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Order best first under one weight vector, through the single-vector API (ties: input order)."""
    if method == "topsis":
        key = -topsis(x, w, d)
    elif method == "wsm":
        key = -wsm(x, w, d)
    elif method == "vikor":
        key = vikor(x, w, d)[2]
    else:
        key = -promethee_ii(x, w, d)
    return np.argsort(key, kind="stable")


def _orders(method: str, x: np.ndarray, weights: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Orders for a batch of weight vectors (engine.mcda.methods batch API), ties in input order."""
    if method == "topsis":
        key = -topsis(x, weights, d)
    elif method == "wsm":
        key = -wsm(x, weights, d)
    elif method == "vikor":
        key = vikor(x, weights, d)[2]
    else:
        key = -promethee_ii(x, weights, d)
    return np.argsort(key, axis=1, kind="stable")


def _brute_interval(method, x, w, d, j, keep) -> tuple[float, float]:
    """Walk a fine grid outwards from w_j while ``keep(order)`` holds."""
    ts = np.linspace(0.0, 1.0, BRUTE)
    start = int(np.searchsorted(ts, w[j]))
    orders = _orders(method, x, weight_path(w, np.full(BRUTE, j), ts), d)
    held = [keep(o) for o in orders]
    lo = start
    while lo > 0 and held[lo - 1]:
        lo -= 1
    hi = start - 1
    while hi < BRUTE - 1 and held[hi + 1]:
        hi += 1
    return ts[lo], ts[hi]


def test_weight_path_keeps_proportions_and_sums_to_one():
    w = np.array([0.5, 0.3, 0.2])
    path = weight_path(w, np.array([0, 2, 1]), np.array([0.2, 0.0, 1.0]))
    assert_allclose(path.sum(axis=1), 1.0)
    assert_allclose(path[0], [0.2, 0.8 * 0.6, 0.8 * 0.4])
    assert_allclose(path[1], [0.5 / 0.8, 0.3 / 0.8, 0.0])
    assert_allclose(path[2], [0.0, 1.0, 0.0])


def test_weight_path_with_all_weight_on_one_criterion_splits_the_rest_equally():
    path = weight_path(np.array([1.0, 0.0, 0.0]), np.array([0]), np.array([0.4]))
    assert_allclose(path[0], [0.4, 0.3, 0.3])


@pytest.mark.parametrize("method", METHODS)
def test_top_interval_matches_a_brute_force_scan(method):
    x, d, w = _problem(3)
    result = stability_intervals(x, w, d, method=method)
    spacing = 1.0 / (BRUTE - 1)
    for c in result.criteria[:3]:
        lo, hi = _brute_interval(method, x, w, d, c.index, lambda o: o[0] == result.top)
        assert c.top_interval[0] == pytest.approx(lo, abs=spacing + 1e-6)
        assert c.top_interval[1] == pytest.approx(hi, abs=spacing + 1e-6)


@pytest.mark.parametrize("method", METHODS)
def test_order_interval_matches_a_brute_force_scan(method):
    x, d, w = _problem(5)
    result = stability_intervals(x, w, d, method=method)
    spacing = 1.0 / (BRUTE - 1)
    for c in result.criteria[:2]:
        lo, hi = _brute_interval(method, x, w, d, c.index, lambda o: np.array_equal(o, result.order))
        assert c.order_interval == pytest.approx((lo, hi), abs=spacing + 1e-6)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", [1, 2, 7])
def test_interval_ends_flip_just_outside_and_hold_just_inside(method, seed):
    x, d, w = _problem(seed)
    result = stability_intervals(x, w, d, method=method)
    eps = 1e-6
    checked = 0
    for c in result.criteria:
        for side, end in enumerate(c.top_interval):
            successor = c.top_successors[side]
            if successor is None:
                assert end == (0.0, 1.0)[side]
                continue
            step = eps if side else -eps
            inside = weight_path(w, [c.index], [end - step])[0]
            outside = weight_path(w, [c.index], [end + step])[0]
            assert _order(method, x, inside, d)[0] == result.top
            assert _order(method, x, outside, d)[0] == successor
            checked += 1
        for side, end in enumerate(c.order_interval):
            swap = c.order_swaps[side]
            if swap is None:
                continue
            step = eps if side else -eps
            inside = _order(method, x, weight_path(w, [c.index], [end - step])[0], d)
            outside = _order(method, x, weight_path(w, [c.index], [end + step])[0], d)
            assert np.array_equal(inside, result.order)
            first_difference = int(np.flatnonzero(outside != result.order)[0])
            assert (result.order[first_difference], outside[first_difference]) == swap
    assert checked > 0  # the random problems do have flips


@pytest.mark.parametrize("seed", range(6))
def test_closed_form_wsm_agrees_with_scan_and_bisection(seed):
    x, d, w = _problem(seed, m=7, n=6)
    exact = stability_intervals(x, w, d, method="wsm")
    scanned = stability_intervals(x, w, d, method="wsm", exact=False)
    assert exact.exact and not scanned.exact
    for a, b in zip(exact.criteria, scanned.criteria, strict=True):
        assert_allclose(a.rank_intervals, b.rank_intervals, atol=1e-6)
        assert np.array_equal(a.rank_takers, b.rank_takers)
        assert a.order_swaps == b.order_swaps
    assert exact.critical == scanned.critical


def test_rank_intervals_hold_each_position_on_a_brute_force_grid():
    x, d, w = _problem(11)
    result = stability_intervals(x, w, d, method="topsis")
    position = np.argsort(result.order)
    c = result.criteria[0]
    spacing = 1.0 / (BRUTE - 1)
    for i in range(x.shape[0]):
        lo, hi = _brute_interval(
            "topsis", x, w, d, 0, lambda o, i=i: int(np.flatnonzero(o == i)[0]) == position[i]
        )
        assert c.rank_intervals[i] == pytest.approx((lo, hi), abs=spacing + 1e-6)


def test_critical_criterion_has_the_smallest_change_of_the_top():
    x, d, w = _problem(4)
    result = stability_intervals(x, w, d, method="topsis")
    spacing = 1.0 / (BRUTE - 1)
    distances = []
    for j in range(x.shape[1]):
        lo, hi = _brute_interval("topsis", x, w, d, j, lambda o: o[0] == result.top)
        near = [w[j] - lo if lo > 0 else np.inf, hi - w[j] if hi < 1 else np.inf]
        distances.append(min(near))
    assert np.isfinite(min(distances))
    assert result.critical == int(np.argmin(distances))
    assert result.criteria[result.critical].top_margin == pytest.approx(min(distances), abs=spacing + 1e-6)
    threshold = result.critical_for(result.top)
    assert threshold is not None and threshold[0] == result.critical


@pytest.mark.parametrize("method", METHODS)
def test_a_dominating_alternative_stays_first_for_every_weight(method):
    x, d, w = _problem(8)
    best = np.where(d > 0, x.max(axis=0) + 1.0, x.min(axis=0) - 0.5)
    x = np.vstack([x, best])
    result = stability_intervals(x, w, d, method=method)
    assert result.top == x.shape[0] - 1
    assert result.critical is None
    assert result.critical_for(result.top) is None
    for c in result.criteria:
        assert c.top_interval == (0.0, 1.0)
        assert c.top_successors == (None, None)


def test_a_single_criterion_never_changes_anything():
    result = stability_intervals([[1.0], [3.0]], [1.0], [1], method="topsis")
    assert result.top == 1
    assert result.criteria[0].order_interval == (0.0, 1.0)
    assert result.critical is None


def test_results_are_read_only():
    x, d, w = _problem(1)
    result = stability_intervals(x, w, d)
    with pytest.raises(ValueError, match="read-only"):
        result.criteria[0].rank_intervals[0, 0] = 0.5


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"grid": 2}, "grid must be an integer >= 3"),
        ({"xtol": 0.0}, r"xtol must lie in \(0, 0.1\)"),
        ({"exact": True, "method": "topsis"}, "closed-form intervals exist only for WSM"),
        ({"method": "electre"}, "unknown method 'electre'"),
    ],
)
def test_bad_options_are_named(kwargs, message):
    x, d, w = _problem(1)
    with pytest.raises(ValueError, match=message):
        stability_intervals(x, w, d, **kwargs)


def test_a_weight_batch_is_refused():
    x, d, w = _problem(1)
    with pytest.raises(ValueError, match=r"weights must be one vector \(n,\)"):
        stability_intervals(x, np.vstack([w, w]), d)
