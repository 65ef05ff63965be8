"""Agreement statistics of an expert panel: published figures, a slow reimplementation, invariants."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal
from scipy.stats import chi2, friedmanchisquare

from engine.insight.groups import kendall_w
from engine.panel.consensus import (
    BASIS_COEFFICIENTS,
    authority,
    coefficient_of_variation,
    concordance,
    dispersion,
    outlier_experts,
    robust_z,
)

# Siegel & Castellan (1988), Nonparametric Statistics for the Behavioral Sciences, 2nd ed.,
# section 9.4: three raters rank eight attributes of a trip (airfare, climate, season, people,
# program, publicity, presentation, interest); as reproduced in R DescTools' KendallW example,
# whose printed result is W = 0.6560847, chi-squared = 13.778, df = 7, p = 0.05528.
SIEGEL_CASTELLAN_TRAVEL = np.array(
    [
        [5, 6, 7, 1, 2, 4, 3, 8],
        [1, 7, 6, 2, 3, 5, 4, 8],
        [4, 5, 1, 3, 2, 7, 6, 8],
    ]
)

# The "anxiety" ratings of 20 subjects by 3 raters (R packages irr and DescTools), with many ties
# within each rater; DescTools prints, with the tie correction, W = 0.5396569,
# chi-squared = 30.76, df = 19, p = 0.04288.
ANXIETY = np.array(
    [
        [3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3],
        [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4],
        [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2],
    ]
)

# Siegel (1956), Nonparametric Statistics, section 9 (Kendall W): three executives rank six job
# applicants; rank sums 8, 14, 11, 11, 11, 8, s = 25.5 and W = 0.16.
SIEGEL_EXECUTIVES = np.array(
    [
        [1, 6, 3, 2, 5, 4],
        [1, 5, 6, 4, 2, 3],
        [6, 3, 2, 5, 4, 1],
    ]
)


def slow_kendall_w(scores: np.ndarray) -> Fraction:
    """Kendall's W in exact arithmetic, expert by expert and item by item, from the textbook."""
    m, n = scores.shape
    rank_sums = [Fraction(0)] * n
    ties = Fraction(0)
    for row in scores.tolist():
        for j, value in enumerate(row):
            below = sum(1 for other in row if other < value)
            equal = sum(1 for other in row if other == value)
            rank_sums[j] += Fraction(2 * below + equal + 1, 2)  # mid-rank, 1 = smallest
        for value in set(row):
            t = row.count(value)
            ties += t**3 - t
    mean = Fraction(m * (n + 1), 2)
    s = sum((r - mean) ** 2 for r in rank_sums)
    denominator = m * m * (n**3 - n) - m * ties
    return Fraction(1) if denominator == 0 else 12 * s / denominator


def test_kendall_w_reproduces_siegel_and_castellan():
    result = concordance(SIEGEL_CASTELLAN_TRAVEL, higher_is_better=False)
    assert result.w == pytest.approx(0.6560847, abs=5e-8)
    assert result.chi2 == pytest.approx(13.778, abs=5e-4)
    assert result.df == 7
    assert result.p_value == pytest.approx(0.05528, abs=5e-6)
    assert (result.experts, result.items, result.ties) == (3, 8, 0.0)


def test_kendall_w_with_ties_reproduces_the_anxiety_example():
    result = concordance(ANXIETY)
    assert result.w == pytest.approx(0.5396569, abs=5e-8)
    assert result.chi2 == pytest.approx(30.76, abs=5e-3)
    assert result.df == 19
    assert result.p_value == pytest.approx(0.04288, abs=5e-6)
    assert result.ties > 0


def test_kendall_w_reproduces_siegel_1956():
    result = concordance(SIEGEL_EXECUTIVES, higher_is_better=False)
    assert_array_equal(result.rank_sums, [8, 14, 11, 11, 11, 8])
    assert result.s == 25.5
    assert result.w == pytest.approx(25.5 / 157.5)
    assert round(result.w, 2) == 0.16


@pytest.mark.parametrize("data", [SIEGEL_CASTELLAN_TRAVEL, ANXIETY, SIEGEL_EXECUTIVES])
def test_chi_square_is_friedmans_and_its_p_value_scipys(data):
    result = concordance(data)
    assert result.chi2 == pytest.approx(result.experts * (result.items - 1) * result.w)
    # Friedman's statistic (with scipy's own tie correction) is m (n - 1) W
    assert result.chi2 == pytest.approx(friedmanchisquare(*data.T).statistic, rel=1e-12)
    assert result.p_value == pytest.approx(chi2.sf(result.chi2, result.df), rel=1e-12)


scores_strategy = st.integers(2, 7).flatmap(
    lambda m: st.integers(2, 9).flatmap(lambda n: arrays(np.int64, (m, n), elements=st.integers(1, 5)))
)


@settings(max_examples=200, deadline=None)
@given(scores_strategy)
def test_kendall_w_equals_a_slow_exact_implementation(scores):
    result = concordance(scores, higher_is_better=False)
    assert result.w == pytest.approx(float(slow_kendall_w(scores)), abs=1e-12)
    assert 0.0 <= result.w <= 1.0
    assert 0.0 <= result.p_value <= 1.0


@settings(max_examples=100, deadline=None)
@given(scores_strategy, st.randoms(use_true_random=False))
def test_kendall_w_ignores_the_order_of_experts_and_items(scores, random):
    experts = list(range(scores.shape[0]))
    items = list(range(scores.shape[1]))
    random.shuffle(experts)
    random.shuffle(items)
    assert concordance(scores[experts][:, items]).w == pytest.approx(concordance(scores).w, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, (6,), elements=st.floats(0, 1), unique=True), st.integers(2, 6))
def test_identical_rankings_agree_completely_and_reversed_pairs_not_at_all(row, m):
    same = np.tile(row, (m, 1))
    assert concordance(same).w == pytest.approx(1.0)
    assert concordance(np.stack([row, -row])).w == pytest.approx(0.0, abs=1e-12)


def test_kendall_w_of_the_groups_module_is_the_same_statistic():
    rng = np.random.default_rng(7)
    scores = rng.integers(1, 6, size=(5, 8)).astype(float)
    assert kendall_w(scores) == pytest.approx(concordance(scores).w, abs=1e-15)


def test_everybody_tying_everything_is_complete_agreement():
    assert concordance(np.full((4, 5), 3.0)).w == 1.0


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ([[1, 2, 3]], "at least 2 experts and 2 items"),
        ([[1], [2]], "at least 2 experts and 2 items"),
        ([[1, 2], [np.nan, 1]], "NaN for expert 1, item 0"),
        ([1, 2, 3], "2-D"),
        ([["a", "b"], ["c", "d"]], "numeric"),
    ],
)
def test_concordance_refuses_bad_answers(scores, message):
    with pytest.raises(ValueError, match=message):
        concordance(scores)


# ---------------------------------------------------------------- coefficient of variation


def test_cv_is_the_sample_standard_deviation_over_the_mean():
    x = np.array([[4.0, 5, 3], [5, 5, 1], [3, 4, 2], [4, 5, 5]])
    assert_allclose(coefficient_of_variation(x), x.std(axis=0, ddof=1) / x.mean(axis=0))
    assert_allclose(coefficient_of_variation(x, ddof=0), x.std(axis=0) / x.mean(axis=0))


def test_cv_leaves_out_unanswered_items_and_is_nan_where_undefined():
    x = np.array([[4.0, np.nan, 0.0, 1], [2, np.nan, 0.0, np.nan], [3, 5, 0.0, np.nan]])
    cv = coefficient_of_variation(x)
    assert cv[0] == pytest.approx(np.std([4, 2, 3], ddof=1) / 3)
    assert np.isnan(cv[1])  # one answer: no sample standard deviation
    assert np.isnan(cv[2])  # mean 0
    assert np.isnan(cv[3])


# ---------------------------------------------------------------- authority


def test_authority_extremes_and_a_mixed_expert():
    basis = [[0, 0, 0, 0], [2, 2, 2, 2], [0, 1, 2, 1]]  # 大大大大, 小小小小, 实践大 理论中 资料小 直觉中
    result = authority(basis, [0, 4, 2])  # 很熟悉, 不熟悉, 一般
    assert_allclose(result.ca, [1.0, 0.5, 0.5 + 0.2 + 0.05 + 0.1])
    assert_allclose(result.cs, [1.0, 0.0, 0.5])
    assert_allclose(result.cr, [1.0, 0.25, (0.85 + 0.5) / 2])
    assert result.mean == pytest.approx((1.0 + 0.25 + 0.675) / 3)
    assert not result.acceptable


def test_authority_per_item_and_own_tables():
    basis = np.zeros((2, 3, 4), dtype=int)  # 2 experts x 3 items
    familiarity = np.array([[0, 1, 2], [3, 4, 0]])
    result = authority(basis, familiarity)
    assert result.cr.shape == (2, 3)
    assert_allclose(result.cs, [[1.0, 0.8, 0.5], [0.2, 0.0, 1.0]])
    own = authority([[2, 2, 2, 2]], [1], familiarity_coefficients=[1, 0.8, 0.6, 0.4, 0.2])
    assert own.cr[0] == pytest.approx((0.5 + 0.8) / 2)
    assert own.acceptable is False
    assert sum(row[0] for row in BASIS_COEFFICIENTS) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("basis", "familiarity", "message"),
    [
        ([[0, 0, 0, 3]], [0], "codes 0..2"),
        ([[0, 0, 0]], [0], "last axis"),
        ([[0, 0, 0, 0]], [5], "codes 0..4"),
        ([[0.5, 0, 0, 0]], [0], "integer codes"),
        ([[0, 0, 0, 0], [0, 0, 0, 0]], [0, 1, 2], "does not match"),
    ],
)
def test_authority_refuses_bad_codes(basis, familiarity, message):
    with pytest.raises(ValueError, match=message):
        authority(basis, familiarity)


# ---------------------------------------------------------------- outliers


def test_one_far_expert_is_flagged():
    close = np.array(
        [[0.5, 0.3, 0.2], [0.48, 0.32, 0.2], [0.52, 0.28, 0.2], [0.5, 0.31, 0.19], [0.49, 0.3, 0.21]]
    )
    panel = np.vstack([close, [0.1, 0.1, 0.8]])
    result = outlier_experts(panel)
    assert result.experts == (5,)
    assert result.z[5] > 3.5
    assert_allclose(result.reference, panel.mean(axis=0))
    assert_allclose(result.distance, np.linalg.norm(panel - panel.mean(axis=0), axis=1))
    manhattan = outlier_experts(panel, metric="manhattan", reference=np.median(panel, axis=0))
    assert manhattan.experts == (5,)


def test_nobody_is_flagged_in_a_unanimous_panel_or_a_pair():
    same = np.tile([0.2, 0.3, 0.5], (4, 1))
    assert not outlier_experts(same).flagged.any()
    assert_array_equal(outlier_experts(same).z, 0.0)
    assert not outlier_experts([[0.9, 0.1], [0.1, 0.9]]).flagged.any()


def test_robust_z_matches_iglewicz_and_hoaglin():
    x = np.array([1.0, 2, 3, 4, 100])
    mad = np.median(np.abs(x - 3))
    assert_allclose(robust_z(x), 0.6745 * (x - 3) / mad)
    # more than half equal: MAD is 0 and the scaled mean absolute deviation takes its place
    y = np.array([1.0, 1, 1, 5])
    assert_allclose(robust_z(y), 0.7979 * (y - 1) / 1.0)


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, (6, 4), elements=st.floats(0.01, 1)), st.permutations(range(6)))
def test_outliers_follow_the_experts_when_they_are_reordered(priorities, order):
    weights = priorities / priorities.sum(axis=1, keepdims=True)
    base = outlier_experts(weights)
    moved = outlier_experts(weights[list(order)])
    assert_allclose(moved.z, base.z[list(order)], atol=1e-9)


# ---------------------------------------------------------------- dispersion


def test_dispersion_matches_numpy_per_criterion():
    rng = np.random.default_rng(3)
    w = rng.dirichlet(np.ones(5), size=9)
    d = dispersion(w)
    q1, median, q3 = np.quantile(w, [0.25, 0.5, 0.75], axis=0)
    assert_allclose(d.q1, q1)
    assert_allclose(d.median, median)
    assert_allclose(d.iqr, q3 - q1)
    assert_allclose(d.std, w.std(axis=0, ddof=1))
    assert_allclose(d.cv, w.std(axis=0, ddof=1) / w.mean(axis=0))
    assert_allclose(d.low, w.min(axis=0))
    assert_allclose(d.high, w.max(axis=0))
    assert_array_equal(d.count, 9)
    spss = dispersion(w, quantile_method="weibull")
    assert_allclose(spss.q3, np.quantile(w, 0.75, axis=0, method="weibull"))


def test_dispersion_with_unanswered_cells_and_bad_options():
    d = dispersion([[1.0, 2], [np.nan, 4], [3, 6]])
    assert_array_equal(d.count, [2, 3])
    assert d.median[0] == 2.0
    with pytest.raises(ValueError, match="item 1 has no answer"):
        dispersion([[1.0, np.nan]])
    with pytest.raises(ValueError, match="quantile_method"):
        dispersion([[1.0, 2]], quantile_method="nonsense")  # type: ignore[arg-type]
