"""Delphi rounds compared: W and CV per round, and the convergence rule."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine.panel.consensus import coefficient_of_variation, concordance
from engine.panel.rounds import compare_rounds

# round 1: ten experts scatter their 1-9 importance scores of six items; round 2: after seeing the
# group's medians they move towards them (two experts leave the panel)
ROUND_1 = np.array(
    [
        [9, 7, 5, 4, 3, 2],
        [6, 8, 4, 5, 2, 3],
        [8, 5, 7, 3, 4, 2],
        [7, 9, 3, 6, 2, 4],
        [5, 6, 8, 2, 3, 4],
        [9, 6, 5, 4, 5, 1],
        [4, 7, 6, 5, 3, 2],
        [8, 8, 4, 3, 6, 2],
        [7, 5, 6, 6, 2, 3],
        [6, 7, 5, 4, 3, 5],
    ],
    dtype=float,
)
ROUND_2 = np.array(
    [
        [8, 7, 6, 5, 4, 3],
        [8, 7, 5, 5, 4, 3],
        [8, 7, 6, 4, 4, 3],
        [7, 8, 6, 5, 4, 3],
        [8, 7, 6, 5, 3, 3],
        [8, 7, 5, 5, 4, 3],
        [7, 7, 6, 5, 4, 3],
        [8, 8, 6, 4, 4, 3],
    ],
    dtype=float,
)


def test_a_panel_that_comes_together_converges():
    result = compare_rounds([ROUND_1, ROUND_2])
    assert_allclose(result.w, [concordance(ROUND_1).w, concordance(ROUND_2).w])
    assert_allclose(result.p_values, [concordance(ROUND_1).p_value, concordance(ROUND_2).p_value])
    assert_allclose(result.cv[0], coefficient_of_variation(ROUND_1))
    assert result.w[1] > result.w[0]
    assert result.w_rising and result.significant and result.cv_below
    assert result.converged
    assert (result.alpha, result.cv_max) == (0.05, 0.25)


def test_round_one_alone_has_not_converged_and_its_cv_is_too_high():
    result = compare_rounds([ROUND_1])
    assert not result.w_rising and not result.converged
    assert not result.cv_below  # the item scored 2..6 spreads too much


def test_falling_agreement_or_a_strict_threshold_stops_convergence():
    assert not compare_rounds([ROUND_2, ROUND_1]).converged
    strict = compare_rounds([ROUND_1, ROUND_2], cv_max=0.05)
    assert strict.significant and strict.w_rising and not strict.cv_below and not strict.converged
    assert not compare_rounds([ROUND_1, ROUND_2], alpha=1e-300).converged


def test_an_item_without_a_defined_cv_does_not_pass():
    second = ROUND_2.copy()
    second[:, 5] = 0.0  # mean 0: CV undefined
    result = compare_rounds([ROUND_1, second])
    assert np.isnan(result.cv[1, 5])
    assert not result.cv_below


@pytest.mark.parametrize(
    ("rounds", "message"),
    [
        ([], "no round"),
        ([ROUND_1, ROUND_2[:, :5]], "round 2 has 5 items but round 1 has 6"),
        ([ROUND_1, ROUND_2[:1]], "round 2: Kendall's W needs at least 2 experts"),
    ],
)
def test_bad_rounds_are_refused(rounds, message):
    with pytest.raises(ValueError, match=message):
        compare_rounds(rounds)
