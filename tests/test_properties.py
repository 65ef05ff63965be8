"""Property-based checks of the numeric kernels."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

from engine.mcda.ahp import SAATY_SCALE, batch_priorities, priorities
from engine.mcda.methods import METHODS, topsis
from engine.mcda.ranking import rank
from engine.mcda.registry import evaluate
from engine.mcda.weighting import critic, entropy

pytestmark = pytest.mark.filterwarnings("error")

values = st.floats(min_value=0.5, max_value=100.0, allow_nan=False, allow_infinity=False)


@st.composite
def problems(draw, min_m=2):
    m = draw(st.integers(min_m, 8))
    n = draw(st.integers(1, 6))
    x = draw(arrays(np.float64, (m, n), elements=values))
    w = draw(arrays(np.float64, (n,), elements=st.floats(0.01, 1.0)))
    d = np.array(draw(st.lists(st.sampled_from([-1, 1]), min_size=n, max_size=n)))
    return x, w, d


@st.composite
def positive_weights(draw, max_n=8):
    n = draw(st.integers(1, max_n))
    return draw(arrays(np.float64, (n,), elements=st.floats(0.01, 10.0)))


@st.composite
def saaty_matrices(draw):
    n = draw(st.integers(2, 8))
    iu = np.triu_indices(n, 1)
    vals = draw(st.lists(st.sampled_from(SAATY_SCALE), min_size=len(iu[0]), max_size=len(iu[0])))
    a = np.ones((n, n))
    a[iu] = vals
    a[(iu[1], iu[0])] = 1.0 / a[iu]
    return a


@given(problems())
def test_objective_weights_sum_to_one(p):
    x, _, d = p
    for w in (entropy(x), critic(x, d)):
        assert_allclose(w.sum(), 1.0)
        assert np.all(w >= 0)


@given(positive_weights())
@settings(deadline=None)
def test_consistent_matrix_has_cr_zero_and_recovers_weights(w):
    a = w[:, None] / w[None, :]
    for method in ("eigen", "geometric"):
        r = priorities(a, method)
        assert_allclose(r.weights, w / w.sum(), atol=1e-9)
        assert r.cr == pytest.approx(0.0, abs=1e-9)
        assert_allclose(r.weights.sum(), 1.0)


@given(saaty_matrices())
@settings(deadline=None)
def test_geometric_reciprocal_invariance(a):
    # transposing reverses every judgment: geometric priorities become 1/w
    w = priorities(a, "geometric").weights
    wt = priorities(a.T, "geometric").weights
    inv = (1 / w) / np.sum(1 / w)
    assert_allclose(wt, inv, rtol=1e-9)


@given(saaty_matrices())
@settings(deadline=None)
def test_ahp_batch_equals_single(a):
    w, cr = batch_priorities(np.stack([a, a.T]))
    for row, matrix in enumerate((a, a.T)):
        single = priorities(matrix)
        assert_allclose(w[row], single.weights, atol=1e-10)
        assert_allclose(cr[row], single.cr, atol=1e-10)


@given(problems(), st.floats(0.1, 50.0), st.data())
def test_topsis_vector_scale_invariant(p, c, data):
    x, w, d = p
    j = data.draw(st.integers(0, x.shape[1] - 1))
    y = x.copy()
    y[:, j] *= c
    assert_allclose(topsis(y, w, d, "vector"), topsis(x, w, d, "vector"), atol=1e-9)


@given(problems(), st.sampled_from(METHODS))
def test_dominating_alternative_ranks_first(p, method):
    x, w, d = p
    # an alternative strictly better than every other on every criterion
    best = np.where(d > 0, x.max(axis=0) + 1.0, x.min(axis=0) - 0.25)
    y = np.vstack([x, best])
    r = evaluate(method, y, w, d)
    assert r.ranks[-1] == 1
    assert np.sum(r.ranks == 1) == 1


@given(problems(), st.sampled_from(METHODS), st.integers(1, 5), st.data())
def test_batch_and_single_agree(p, method, k, data):
    x, _, d = p
    n = x.shape[1]
    wb = data.draw(arrays(np.float64, (k, n), elements=st.floats(0.01, 1.0)))
    batch = evaluate(method, x, wb, d)
    for i in range(k):
        single = evaluate(method, x, wb[i], d)
        assert_allclose(batch.scores[i], single.scores, atol=1e-12)
        assert batch.ranks[i].tolist() == single.ranks.tolist()


@given(arrays(np.float64, st.integers(1, 30), elements=st.integers(-5, 5).map(float)), st.randoms())
def test_rank_is_permutation_consistent_competition_ranking(s, rnd):
    r = rank(s)
    # competition ranking: 1 + number of strictly better scores
    assert r.tolist() == (1 + (s[None, :] > s[:, None]).sum(axis=1)).tolist()
    perm = np.array(rnd.sample(range(len(s)), len(s)))
    assert rank(s[perm]).tolist() == r[perm].tolist()
    low = rank(s, higher_is_better=False)
    assert low.tolist() == (1 + (s[None, :] < s[:, None]).sum(axis=1)).tolist()
