"""Blocked two-pass TOPSIS/WSM (engine.kernels.blocked) against the in-memory engine.mcda.methods."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from engine.kernels import blocked as streaming
from engine.kernels.blocked import ColumnStats, column_stats, fast_topsis, moment_for, score, scoring_plan
from engine.mcda.methods import topsis, topsis_parts, wsm
from engine.mcda.normalization import normalize
from engine.mcda.ranking import rank

pytestmark = pytest.mark.filterwarnings("error")

NORMALIZATIONS = ("vector", "minmax", "max", "sum")


def reference_topsis(x, w, d, normalization, bounds=None):
    """The unblocked path of engine.mcda.methods.topsis (normalise, then weighted distances)."""
    wv = np.atleast_2d(np.asarray(w, dtype=np.float64))
    wv = wv / wv.sum(axis=1, keepdims=True)
    closeness = topsis_parts(normalize(x, d, normalization, bounds=bounds)[None], wv)["closeness"]
    return closeness if np.ndim(w) == 2 else closeness[0]


def random_problem(rng, m, n, *, benefit_only=False):
    x = rng.random((m, n)) * rng.uniform(0.5, 1000.0, n) + rng.uniform(0.0, 50.0, n)
    d = np.ones(n) if benefit_only else np.where(rng.random(n) < 0.5, 1.0, -1.0)
    return x, rng.random(n), d


def chunked_stats(x, moment, chunk):
    stats = ColumnStats.empty(x.shape[1], moment)
    for start in range(0, x.shape[0], chunk):
        stats = stats.merge(column_stats(x[start : start + chunk], moment=moment))
    return stats


@pytest.mark.parametrize("normalization", NORMALIZATIONS)
@pytest.mark.parametrize("chunk", [1, 7, 100, 1000, 5000])
def test_chunked_topsis_equals_in_memory(normalization, chunk):
    rng = np.random.default_rng(hash((normalization, chunk)) % 2**32)
    x, w, d = random_problem(rng, 3000, 6, benefit_only=normalization == "sum")
    stats = chunked_stats(x, moment_for(normalization), chunk)
    plan = scoring_plan(stats, w, d, normalization=normalization)
    scores = np.concatenate([score(x[s : s + chunk], plan) for s in range(0, len(x), chunk)])
    expected = reference_topsis(x, w, d, normalization)
    assert_allclose(scores, expected, rtol=0, atol=1e-12)
    assert_array_equal(rank(scores), rank(expected))


@pytest.mark.parametrize("normalization", NORMALIZATIONS)
def test_chunked_wsm_equals_in_memory(normalization):
    rng = np.random.default_rng(5)
    x, w, d = random_problem(rng, 2000, 5, benefit_only=normalization == "sum")
    stats = chunked_stats(x, moment_for(normalization), 333)
    plan = scoring_plan(stats, w, d, method="wsm", normalization=normalization)
    scores = np.concatenate([score(x[s : s + 333], plan) for s in range(0, len(x), 333)])
    assert_allclose(scores, wsm(x, w, d, normalization), rtol=0, atol=1e-12)


def test_fixed_bounds_and_weight_batches():
    rng = np.random.default_rng(6)
    x, _, d = random_problem(rng, 1500, 4)
    bounds = np.stack([x.min(axis=0) - 5.0, x.max(axis=0) + 10.0], axis=1)
    weights = rng.random((3, 4))
    stats = column_stats(x, moment=0)
    for method, expected in (
        ("topsis", reference_topsis(x, weights, d, "minmax", bounds)),
        ("wsm", wsm(x, weights, d, "minmax", bounds=bounds)),
    ):
        plan = scoring_plan(stats, weights, d, method=method, normalization="minmax", bounds=bounds)
        got = score(x, plan, rows=128)
        assert got.shape == (3, 1500)
        assert_allclose(got, expected, rtol=0, atol=1e-12)


def test_degenerate_columns_match_the_reference():
    rng = np.random.default_rng(7)
    x = rng.random((500, 5))
    x[:, 1] = 3.0  # constant
    x[:, 3] = 0.0  # all zero
    w, d = rng.random(5), np.array([1.0, -1.0, 1.0, -1.0, -1.0])
    for normalization in ("vector", "minmax", "max"):
        plan = scoring_plan(
            column_stats(x, moment=moment_for(normalization)), w, d, normalization=normalization
        )
        assert_allclose(score(x, plan), reference_topsis(x, w, d, normalization), atol=1e-12)


def test_rows_at_both_ideal_points_score_one_half():
    x = np.ones((70, 3))
    plan = scoring_plan(column_stats(x), [1, 1, 1], [1, -1, 1])
    assert_array_equal(score(x, plan), np.full(70, 0.5))


def test_missing_values_are_counted_and_skipped():
    rng = np.random.default_rng(8)
    x = rng.random((400, 3))
    x[[3, 50, 399], [0, 2, 2]] = np.nan
    stats = column_stats(x, moment=2, rows=64)
    assert_array_equal(stats.count, [399, 400, 398])
    assert_array_equal(stats.missing, [1, 0, 2])
    clean = np.nan_to_num(x, nan=0.0)
    assert_allclose(stats.value(), (clean**2).sum(axis=0), rtol=1e-13)
    assert_allclose(stats.low, np.nanmin(x, axis=0))
    filled = stats.with_filled(np.array([-1.0, 0.0, 5.0]))
    x2 = np.where(np.isnan(x), [-1.0, 0.0, 5.0], x)
    assert_allclose(filled.value(), (x2**2).sum(axis=0), rtol=1e-13)
    assert_array_equal(filled.low, x2.min(axis=0))
    assert_array_equal(filled.high, x2.max(axis=0))


def test_extreme_magnitudes_are_summed_scaled():
    rng = np.random.default_rng(9)
    x = rng.random((300, 3)) * np.array([1e300, 1e-300, 1.0])
    w, d = [0.3, 0.3, 0.4], [1.0, -1.0, 1.0]
    stats = chunked_stats(x, 2, 77)
    assert np.all(np.isfinite(stats.total)) and stats.scale[0] > 1e299
    plan = scoring_plan(stats, w, d)
    assert plan.prescale is not None
    assert_allclose(score(x, plan), reference_topsis(x, w, d, "vector"), atol=1e-12)


def test_engine_topsis_uses_the_blocked_path_for_large_matrices(monkeypatch):
    rng = np.random.default_rng(10)
    x, w, d = random_problem(rng, 20_000, 8)
    calls = []
    original = streaming.score
    monkeypatch.setattr(streaming, "score", lambda *a, **k: calls.append(1) or original(*a, **k))
    result = topsis(x, w, d)
    assert calls, "the blocked path did not run"
    assert_allclose(result, reference_topsis(x, w, d, "vector"), rtol=0, atol=1e-12)
    batch = rng.random((4, 8))
    assert_allclose(topsis(x, batch, d, "minmax"), reference_topsis(x, batch, d, "minmax"), atol=1e-12)


@pytest.mark.parametrize(
    "change",
    ["nan", "inf", "int", "reciprocal", "negative_max", "sum_cost", "extreme", "small"],
)
def test_fast_path_declines_unusual_input(change):
    rng = np.random.default_rng(11)
    x, w, d = random_problem(rng, 10_000, 4)
    normalization, cost = "vector", "flip"
    if change == "nan":
        x[5, 1] = np.nan
    elif change == "inf":
        x[7, 0] = np.inf
    elif change == "int":
        x = x.astype(np.int64)
    elif change == "reciprocal":
        cost = "reciprocal"
    elif change == "negative_max":
        x[0, 0], normalization = -1.0, "max"
    elif change == "sum_cost":
        normalization, d[0] = "sum", -1.0
    elif change == "extreme":
        x[:, 2] *= 1e250
    else:
        x = x[:10]
    assert fast_topsis(x, w, d, normalization, cost=cost, bounds=None) is None


def test_errors_are_those_of_the_reference_path():
    x = np.random.default_rng(12).random((10_000, 3))
    x[4321, 2] = np.nan
    with pytest.raises(ValueError, match=r"matrix has NaN at row 4321, column 2"):
        topsis(x, [1, 1, 1], [1, 1, 1])
    with pytest.raises(ValueError, match="outside the declared bounds"):
        topsis(np.abs(x[:4000]) + 2, [1, 1, 1], [1, 1, 1], "minmax", bounds=[[0, 1]] * 3)


def test_plan_checks_its_inputs():
    stats = column_stats(np.ones((5, 2)), moment=0)
    with pytest.raises(ValueError, match="needs statistics with moment 2"):
        scoring_plan(stats, [1, 1], [1, 1], normalization="vector")
    with pytest.raises(ValueError, match="method must be 'topsis' or 'wsm'"):
        scoring_plan(stats, [1, 1], [1, 1], method="vikor", normalization="minmax")
    with pytest.raises(ValueError, match="cannot merge statistics of 3 columns"):
        stats.merge(ColumnStats.empty(3, 0))
    sum_stats = column_stats(np.ones((5, 2)), moment=1)
    with pytest.raises(ValueError, match="benefit columns only"):
        scoring_plan(sum_stats, [1, 1], [1, -1], normalization="sum")
