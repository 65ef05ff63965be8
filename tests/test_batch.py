"""Scores for matrix stacks agree with engine.mcda.methods called matrix by matrix."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine.kernels.stacked import batch_scores, utilities
from engine.mcda.methods import METHODS, promethee_ii, topsis, vikor, wsm
from engine.mcda.normalization import NORMALIZATIONS


def _single(method, x, w, d, normalization=None, cost="flip"):
    if method == "topsis":
        return topsis(x, w, d, normalization or "vector", cost=cost)
    if method == "wsm":
        return wsm(x, w, d, normalization or "minmax", cost=cost)
    if method == "vikor":
        return vikor(x, w, d, v=0.3)[2]
    return promethee_ii(x, w, d)


@pytest.mark.parametrize("method", METHODS)
def test_stack_matches_matrix_by_matrix(method):
    rng = np.random.default_rng(2)
    stack = rng.uniform(0.5, 9.0, (12, 5, 4))
    stack[3, :, 1] = 2.0  # a constant column in one matrix
    weights = rng.dirichlet(np.ones(4), 12)
    d = np.array([1, -1, 1, -1])
    got = batch_scores(method, stack, weights, d, v=0.3)
    want = np.array([_single(method, stack[s], weights[s], d) for s in range(12)])
    assert_allclose(got, want, atol=1e-12)


@pytest.mark.parametrize("normalization", NORMALIZATIONS)
@pytest.mark.parametrize("cost", ["flip", "reciprocal"])
@pytest.mark.parametrize("method", ["topsis", "wsm"])
def test_stack_normalisations_match(method, normalization, cost):
    rng = np.random.default_rng(3)
    stack = rng.uniform(0.5, 9.0, (6, 4, 3))
    d = np.array([1, -1, -1])
    w = np.array([0.5, 0.3, 0.2])
    got = batch_scores(method, stack, w, d, normalization=normalization, cost=cost)
    want = np.array([_single(method, stack[s], w, d, normalization, cost) for s in range(6)])
    assert_allclose(got, want, atol=1e-12)


def test_a_single_matrix_defers_to_the_batch_api():
    rng = np.random.default_rng(4)
    x = rng.uniform(1, 9, (5, 3))
    weights = rng.dirichlet(np.ones(3), 8)
    d = np.array([1, 1, -1])
    assert_allclose(batch_scores("topsis", x, weights, d), topsis(x, weights, d))
    assert batch_scores("wsm", x, weights[0], d).shape == (1, 5)


def test_utilities_turn_vikor_around():
    rng = np.random.default_rng(5)
    x = rng.uniform(1, 9, (5, 3))
    d = np.array([1, 1, -1])
    w = np.array([0.2, 0.3, 0.5])
    assert_allclose(utilities("vikor", x, w, d)[0], -vikor(x, w, d)[2])
    assert_allclose(utilities("topsis", x, w, d)[0], topsis(x, w, d))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("electre", np.ones((2, 3, 2)), [0.5, 0.5], [1, 1]), "unknown method 'electre'"),
        (("topsis", np.ones((2, 3, 2, 1)), [0.5, 0.5], [1, 1]), r"shape \(k, m, n\)"),
        (("topsis", np.full((2, 3, 2), np.nan), [0.5, 0.5], [1, 1]), "matrix 0 of the stack has NaN"),
        (
            ("topsis", np.ones((2, 3, 2)), np.ones((3, 2)), [1, 1]),
            "weights has 3 rows but the matrix stack has 2",
        ),
    ],
)
def test_bad_stacks_are_named(args, message):
    with pytest.raises(ValueError, match=message):
        batch_scores(*args)
