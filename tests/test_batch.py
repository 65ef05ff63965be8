"""Batch scorers (engine.kernels.stacked, through the registry) against independent computations.

A batch of weight vectors on one matrix is checked against the textbook formulas evaluated one
weight vector at a time; a stack of matrices against the single scorer called matrix by matrix.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine.mcda.normalization import NORMALIZATIONS
from engine.mcda.registry import REGISTRY, get

pytestmark = pytest.mark.filterwarnings("error")


# --------------------------------------------------- textbook formulas, one weight vector at a time


def textbook_topsis(x, w, d):
    """Hwang & Yoon (1981): vector normalisation, ideal = best value of each weighted column."""
    v = w * x / np.sqrt((x**2).sum(axis=0))
    ideal = np.where(d > 0, v.max(axis=0), v.min(axis=0))
    anti = np.where(d > 0, v.min(axis=0), v.max(axis=0))
    d_plus = np.sqrt(((v - ideal) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - anti) ** 2).sum(axis=1))
    return d_minus / (d_plus + d_minus)


def textbook_wsm(x, w, d):
    """Weighted sum of min-max normalised values, each oriented so that 1 is the best."""
    low, high = x.min(axis=0), x.max(axis=0)
    r = np.where(d > 0, x - low, high - x) / (high - low)
    return r @ (w / w.sum())


def textbook_vikor(x, w, d, v=0.5):
    """Opricovic & Tzeng (2004): S, R and the compromise index Q."""
    w = w / w.sum()
    best = np.where(d > 0, x.max(axis=0), x.min(axis=0))
    worst = np.where(d > 0, x.min(axis=0), x.max(axis=0))
    regret = w * (best - x) / (best - worst)
    s, r = regret.sum(axis=1), regret.max(axis=1)
    return v * (s - s.min()) / (s.max() - s.min()) + (1 - v) * (r - r.min()) / (r.max() - r.min())


def textbook_promethee(x, w, d):
    """Brans & Vincke (1985), usual criterion: net flow from the pairwise preference indices."""
    m = x.shape[0]
    w = w / w.sum()
    pi = np.zeros((m, m))
    for a in range(m):
        for b in range(m):
            pi[a, b] = np.sum(w * ((x[a] - x[b]) * d > 0))
    return (pi.sum(axis=1) - pi.sum(axis=0)) / (m - 1)


TEXTBOOK = {
    "topsis": textbook_topsis,
    "wsm": textbook_wsm,
    "vikor": textbook_vikor,
    "promethee": textbook_promethee,
}


def random_problem(rng, m, n, k):
    x = rng.uniform(0.5, 9.0, (m, n))
    d = np.where(rng.random(n) < 0.5, 1.0, -1.0)
    return x, rng.dirichlet(np.ones(n), k), d


def test_every_registered_method_has_a_textbook_reference():
    assert set(TEXTBOOK) == set(REGISTRY)


@pytest.mark.parametrize("method", list(REGISTRY))
def test_a_weight_batch_equals_the_textbook_row_by_row(method):
    rng = np.random.default_rng(1)
    for m, n, k in [(2, 1, 3), (5, 4, 16), (9, 7, 40)]:
        x, weights, d = random_problem(rng, m, n, k)
        got = get(method).batch_scores(x, weights, d)
        assert got.shape == (k, m)
        want = np.array([TEXTBOOK[method](x, w, d) for w in weights])
        assert_allclose(got, want, rtol=0, atol=1e-12)


def test_vikor_batch_uses_its_v():
    rng = np.random.default_rng(6)
    x, weights, d = random_problem(rng, 6, 4, 10)
    want = np.array([textbook_vikor(x, w, d, v=0.3) for w in weights])
    assert_allclose(get("vikor").batch_scores(x, weights, d, v=0.3), want, rtol=0, atol=1e-12)


def test_one_weight_vector_gives_one_row():
    rng = np.random.default_rng(4)
    x, weights, d = random_problem(rng, 5, 3, 1)
    for method, spec in REGISTRY.items():
        got = spec.batch_scores(x, weights[0], d)
        assert got.shape == (1, 5)
        assert_allclose(got[0], TEXTBOOK[method](x, weights[0], d), rtol=0, atol=1e-12)


# ------------------------------------------------------------ stacks: one matrix per weight row


def _options(method):
    return {"v": 0.3} if "v" in get(method).option_names else {}


@pytest.mark.parametrize("method", list(REGISTRY))
def test_stack_matches_matrix_by_matrix(method):
    rng = np.random.default_rng(2)
    stack = rng.uniform(0.5, 9.0, (12, 5, 4))
    stack[3, :, 1] = 2.0  # a constant column in one matrix
    weights = rng.dirichlet(np.ones(4), 12)
    d = np.array([1, -1, 1, -1])
    spec = get(method)
    got = spec.batch_scores(stack, weights, d, **_options(method))
    want = np.array([spec.single(stack[s], weights[s], d, **_options(method)) for s in range(12)])
    assert_allclose(got, want, atol=1e-12)


@pytest.mark.parametrize("normalization", NORMALIZATIONS)
@pytest.mark.parametrize("cost", ["flip", "reciprocal"])
@pytest.mark.parametrize("method", ["topsis", "wsm"])
def test_stack_normalisations_match(method, normalization, cost):
    rng = np.random.default_rng(3)
    stack = rng.uniform(0.5, 9.0, (6, 4, 3))
    d = np.array([1, -1, -1])
    w = np.array([0.5, 0.3, 0.2])
    spec = get(method)
    got = spec.batch_scores(stack, w, d, normalization=normalization, cost=cost)
    want = np.array([spec.single(stack[s], w, d, normalization=normalization, cost=cost) for s in range(6)])
    assert_allclose(got, want, atol=1e-12)


@pytest.mark.parametrize(
    ("options", "threshold"),
    [
        ({"preference": "vshape"}, "p"),
        ({"preference": "linear", "q": 0.5}, "p"),
        ({"preference": "gaussian"}, "s"),
    ],
)
def test_promethee_stack_takes_every_preference_function(options, threshold):
    rng = np.random.default_rng(7)
    stack = rng.uniform(0.5, 9.0, (5, 6, 3))
    weights = rng.dirichlet(np.ones(3), 5)
    d = np.array([1, -1, 1])
    options = {**options, threshold: 2.0}
    spec = get("promethee")
    want = np.array([spec.single(stack[s], weights[s], d, **options) for s in range(5)])
    assert_allclose(spec.batch_scores(stack, weights, d, **options), want, atol=1e-12)


def test_utilities_turn_vikor_around():
    rng = np.random.default_rng(5)
    x, weights, d = random_problem(rng, 5, 3, 1)
    assert_allclose(get("vikor").utilities(x, weights, d), -get("vikor").batch_scores(x, weights, d))
    assert_allclose(get("topsis").utilities(x, weights, d), get("topsis").batch_scores(x, weights, d))


@pytest.mark.parametrize(
    ("method", "args", "message"),
    [
        ("topsis", (np.ones((2, 3, 2, 1)), [0.5, 0.5], [1, 1]), r"shape \(k, m, n\)"),
        ("topsis", (np.full((2, 3, 2), np.nan), [0.5, 0.5], [1, 1]), "matrix 0 of the stack has NaN"),
        (
            "vikor",
            (np.ones((2, 3, 2)), np.ones((3, 2)), [1, 1]),
            "weights has 3 rows but the matrix stack has 2",
        ),
        (
            "wsm",
            (np.ones((1, 3, 2)), np.ones((3, 2)), [1, 1]),
            "weights has 3 rows but the matrix stack has 1",
        ),
        ("promethee", (np.ones((2, 0, 2)), [0.5, 0.5], [1, 1]), "must not be empty"),
    ],
)
def test_bad_stacks_are_named(method, args, message):
    with pytest.raises(ValueError, match=message):
        get(method).batch_scores(*args)
