"""Modelling-choice audit: choices, dominance, agreement matrices and consensus orders."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats

from engine.mcda.methods import topsis
from engine.robustness.audit import COSTS, Choice, audit, choices, consensus


def test_every_sensible_combination_once():
    found = choices()
    labels = [c.label for c in found]
    assert len(labels) == len(set(labels))
    # TOPSIS and WSM: 3 normalisations x 3 cost treatments, less min-max with max - x (the same
    # as min-max flip); VIKOR and PROMETHEE II once each
    assert len(found) == 2 * (3 * len(COSTS) - 1) + 2
    assert Choice("topsis", "minmax", "max-x") not in found
    assert Choice("vikor") in found and Choice("promethee") in found


def test_max_minus_x_with_minmax_is_the_same_as_flip():
    rng = np.random.default_rng(1)
    x = rng.uniform(1, 9, (5, 3))
    d = np.array([1, -1, -1])
    w = np.array([0.4, 0.3, 0.3])
    pair = (Choice("topsis", "minmax", "max-x"), Choice("topsis", "minmax", "flip"))
    full = audit(x, w, d, reference=pair[1], candidates=pair)
    assert full.choices == pair
    assert_allclose(full.scores[0], full.scores[1])


@st.composite
def dominated_problems(draw):
    m = draw(st.integers(2, 6))
    n = draw(st.integers(1, 5))
    values = st.floats(1.0, 100.0, allow_nan=False, allow_infinity=False)
    x = np.array(draw(st.lists(st.lists(values, min_size=n, max_size=n), min_size=m, max_size=m)))
    d = np.array(draw(st.lists(st.sampled_from([1, -1]), min_size=n, max_size=n)))
    w = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n)))
    margin = draw(st.floats(0.5, 10.0))
    # strictly better than every other alternative on every criterion, and still positive
    best = np.where(d > 0, x.max(axis=0) + margin, x.min(axis=0) * 0.5)
    position = draw(st.integers(0, m))
    return np.insert(x, position, best, axis=0), w, d, position


@settings(max_examples=60, deadline=None)
@given(dominated_problems())
def test_a_dominating_alternative_is_first_under_every_choice(problem):
    x, w, d, position = problem
    result = audit(x, w, d)
    assert result.skipped == ()
    assert np.all(result.ranks[:, position] == 1)
    assert np.all(result.same_top)


def test_reciprocal_of_a_zero_is_skipped_with_the_reason():
    x = np.array([[5.0, 0.0], [3.0, 2.0], [4.0, 1.0]])
    result = audit(x, [0.5, 0.5], [1, -1])
    skipped = {c.label: reason for c, reason in result.skipped}
    assert set(skipped) == {
        f"{m}/{n}/reciprocal" for m in ("topsis", "wsm") for n in ("vector", "minmax", "max")
    }
    assert all("positive" in reason for reason in skipped.values())
    assert len(result.choices) == len(choices()) - 6


def test_a_reference_that_does_not_apply_is_refused():
    x = np.array([[5.0, 0.0], [3.0, 2.0]])
    with pytest.raises(ValueError, match="reference choice topsis/vector/reciprocal does not apply"):
        audit(x, [0.5, 0.5], [1, -1], reference=Choice("topsis", "vector", "reciprocal"))


def test_reference_is_the_analysis_choice():
    rng = np.random.default_rng(2)
    x = rng.uniform(1, 9, (6, 4))
    d = np.array([1, 1, -1, -1])
    w = np.array([0.1, 0.2, 0.3, 0.4])
    result = audit(x, w, d, reference=Choice("topsis", "vector", "flip"))
    ref = result.choices[result.reference]
    assert ref == Choice("topsis", "vector", "flip")
    assert_allclose(result.scores[result.reference], topsis(x, w, d, "vector"))
    assert result.same_order[result.reference] and result.same_top[result.reference]
    raw = audit(x, w, d, reference=Choice("vikor", "vector", "flip"))
    assert raw.choices[raw.reference] == Choice("vikor")


def test_agreement_matrices_match_scipy():
    rng = np.random.default_rng(3)
    x = rng.uniform(1, 9, (7, 5))
    d = np.array([1, 1, 1, -1, -1])
    w = rng.dirichlet(np.ones(5))
    result = audit(x, w, d)
    c = len(result.choices)
    for matrix in (result.spearman, result.kendall, result.ws):
        assert matrix.shape == (c, c)
        assert_allclose(np.diag(matrix), 1.0)
    assert_allclose(result.spearman, result.spearman.T)
    assert_allclose(result.kendall, result.kendall.T)
    a, b = result.ranks[0], result.ranks[-1]
    assert result.spearman[0, -1] == pytest.approx(stats.spearmanr(a, b).statistic)
    assert result.kendall[0, -1] == pytest.approx(stats.kendalltau(a, b).statistic)


def test_borda_and_copeland_on_a_hand_example():
    # three rankings of three alternatives: 0 wins both pairwise contests, 1 beats 2 two to one
    borda, copeland = consensus([[1, 2, 3], [1, 3, 2], [2, 1, 3]])
    assert_allclose(borda, [5, 3, 1])
    assert_allclose(copeland, [2, 0, -2])


def test_copeland_and_borda_can_disagree():
    # 0 beats 1 and 2 by a majority (Copeland winner) but 1 collects more Borda points
    rankings = [[1, 2, 3], [1, 2, 3], [3, 1, 2], [3, 1, 2], [1, 2, 3]]
    borda, copeland = consensus(rankings)
    assert_allclose(borda, [6, 7, 2])
    assert_allclose(copeland, [2, 0, -2])
