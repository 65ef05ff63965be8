"""Values near the ends of float64, mixed magnitudes and many ties: finite, ordered, no warnings."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from engine.mcda.methods import DEFAULT_NORMALIZATION, METHODS
from engine.mcda.normalization import NORMALIZATIONS
from engine.mcda.registry import evaluate
from engine.mcda.weighting import critic, entropy

pytestmark = pytest.mark.filterwarnings("error")

COMBINATIONS = [
    (method, normalization)
    for method in METHODS
    for normalization in (NORMALIZATIONS if DEFAULT_NORMALIZATION[method] else (None,))
]
# an ordinary, well-scaled problem: alternative 0 best, 3 worst on every criterion
BASE = np.array([[9.0, 1.0, 8.0], [7.0, 2.0, 6.0], [5.0, 3.0, 5.0], [1.0, 9.0, 2.0]])
DIRECTIONS = np.array([1, -1, 1])
WEIGHTS = np.array([0.5, 0.3, 0.2])


@pytest.mark.parametrize(("method", "normalization"), COMBINATIONS)
@pytest.mark.parametrize("scale", [1e300, 1e-300, 1e307])
def test_scaling_every_column_to_an_extreme_changes_nothing(method, normalization, scale):
    usual = evaluate(method, BASE, WEIGHTS, DIRECTIONS, normalization=normalization)
    extreme = evaluate(method, BASE * scale, WEIGHTS, DIRECTIONS, normalization=normalization)
    assert np.all(np.isfinite(extreme.scores))
    assert_array_equal(extreme.ranks, usual.ranks)
    if method != "promethee":  # PROMETHEE's usual criterion is scale-free already; the rest must be too
        assert_allclose(extreme.scores, usual.scores, rtol=1e-9)


@pytest.mark.parametrize(("method", "normalization"), COMBINATIONS)
def test_mixed_magnitudes_across_columns(method, normalization):
    mixed = BASE * np.array([1e300, 1e-300, 1.0])
    result = evaluate(method, mixed, WEIGHTS, DIRECTIONS, normalization=normalization)
    assert np.all(np.isfinite(result.scores))
    assert_array_equal(result.ranks, [1, 2, 3, 4])


@pytest.mark.parametrize(
    ("method", "normalization"),
    # the ratio-scale normalisations refuse negative values by design (tested in test_normalization)
    [combination for combination in COMBINATIONS if combination[1] not in ("max", "sum")],
)
def test_values_spanning_the_whole_float_range(method, normalization):
    spanning = np.array([[1.7e308, -1.7e308], [0.0, 0.0], [-1.7e308, 1.7e308]])
    result = evaluate(method, spanning, [0.5, 0.5], [1, -1], normalization=normalization)
    assert np.all(np.isfinite(result.scores))
    assert_array_equal(result.ranks, [1, 2, 3])


@pytest.mark.parametrize(("method", "normalization"), COMBINATIONS)
def test_all_alternatives_tied(method, normalization):
    tied = np.tile([[3.0, 5.0, 7.0]], (6, 1))
    result = evaluate(method, tied, WEIGHTS, DIRECTIONS, normalization=normalization)
    assert np.all(np.isfinite(result.scores))
    assert_array_equal(result.ranks, np.ones(6, dtype=int))


@pytest.mark.parametrize(("method", "normalization"), COMBINATIONS)
def test_pairs_of_duplicates_share_ranks(method, normalization):
    doubled = np.repeat(BASE, 2, axis=0)
    result = evaluate(method, doubled, WEIGHTS, DIRECTIONS, normalization=normalization)
    assert_array_equal(result.ranks, [1, 1, 3, 3, 5, 5, 7, 7])


def test_objective_weights_at_the_extremes():
    for scale in (1e300, 1e-300):
        assert_allclose(entropy(BASE * scale), entropy(BASE), rtol=1e-9)
        assert_allclose(critic(BASE * scale, DIRECTIONS), critic(BASE, DIRECTIONS), rtol=1e-9)
