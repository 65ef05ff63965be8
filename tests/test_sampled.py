"""Monte Carlo scorers (engine.kernels.sampled) against engine.mcda.methods, sample by sample."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from engine.kernels.sampled import BatchScorer, column_ranks, sample_rank_counts, weight_batch_scores
from engine.mcda.methods import topsis, wsm
from engine.mcda.ranking import rank

pytestmark = pytest.mark.filterwarnings("error")


def test_weight_batches_of_a_small_matrix():
    rng = np.random.default_rng(13)
    x, d = rng.random((7, 10)), np.where(rng.random(10) < 0.5, 1.0, -1.0)
    w = rng.random((10, 300))
    assert_allclose(weight_batch_scores(x, w, d), topsis(x, w.T, d).T, atol=1e-14)
    assert_allclose(weight_batch_scores(x, w, d, method="wsm"), wsm(x, w.T, d).T, atol=1e-14)
    assert_array_equal(column_ranks(weight_batch_scores(x, w, d)), rank(topsis(x, w.T, d)).T)
    counts = sample_rank_counts(x, d, samples=5000, seed=3, chunk=700)
    assert counts.sum() == 5000 * 7 and counts.shape == (7, 7)
    e = np.random.default_rng(3).standard_exponential((10, 700))  # the first chunk, drawn alike
    first = rank(topsis(x, e.T, d))
    assert_array_equal(
        sample_rank_counts(x, d, samples=700, seed=3, chunk=700),
        np.stack([np.bincount(first[:, i] - 1, minlength=7) for i in range(7)]),
    )


def test_batch_scorer_takes_topsis_and_wsm_only():
    with pytest.raises(ValueError, match="method must be 'topsis' or 'wsm'"):
        BatchScorer(np.ones((3, 2)), [1, 1], "vikor")
