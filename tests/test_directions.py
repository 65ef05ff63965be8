"""Criterion directions as the criteria files write them ("benefit"/"cost") or as +1/-1."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from engine.mcda.arrays import as_directions
from engine.mcda.methods import topsis, wsm
from engine.mcda.weighting import critic

pytestmark = pytest.mark.filterwarnings("error")

MATRIX = np.array([[250.0, 16, 12], [200, 16, 8], [300, 32, 16], [275, 32, 8]])


@pytest.mark.parametrize(
    "given",
    [["cost", "benefit", "benefit"], ("Cost", " benefit", 1), np.array(["cost", "benefit", "benefit"])],
)
def test_words_mean_plus_and_minus_one(given):
    assert_array_equal(as_directions(given, 3), [-1, 1, 1])


def test_methods_accept_words():
    weights = [0.5, 0.3, 0.2]
    assert_allclose(
        topsis(MATRIX, weights, ["cost", "benefit", "benefit"]), topsis(MATRIX, weights, [-1, 1, 1])
    )
    assert_allclose(wsm(MATRIX, weights, ["cost", "benefit", "benefit"]), wsm(MATRIX, weights, [-1, 1, 1]))


@pytest.mark.parametrize("bad", [["benfit", "cost", "cost"], ["high", 1, 1]])
def test_an_unknown_word_is_named(bad):
    with pytest.raises(ValueError, match=rf"-1 or 'cost'; got '{bad[0]}' at position 0"):
        as_directions(bad, 3)


def test_critic_without_directions_treats_every_criterion_as_a_benefit():
    assert_allclose(critic(MATRIX), critic(MATRIX, [1, 1, 1]))
    assert_allclose(critic(MATRIX, ["cost", "benefit", "benefit"]), critic(MATRIX, [-1, 1, 1]))
