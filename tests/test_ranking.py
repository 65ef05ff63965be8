import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from engine.mcda.ranking import kendall, order, rank, spearman, ws_coefficient

pytestmark = pytest.mark.filterwarnings("error")


def test_rank_competition():
    assert rank([3, 1, 3, 2]).tolist() == [1, 4, 1, 3]
    assert rank([3, 1, 3, 2], higher_is_better=False).tolist() == [3, 1, 3, 2]
    assert rank([5.0]).tolist() == [1]


def test_rank_tolerance():
    assert rank([0.0, 1e-17, 0.5]).tolist() == [2, 2, 1]
    assert rank([1e6, 1e6 * (1 + 1e-13)]).tolist() == [1, 1]
    assert rank([0.0, 1e-17], tolerance=0.0).tolist() == [2, 1]
    with pytest.raises(ValueError, match="tolerance must be finite and >= 0"):
        rank([1, 2], tolerance=-1)


def test_rank_batch_matches_rows():
    rng = np.random.default_rng(0)
    s = rng.integers(0, 4, size=(50, 7)).astype(float)
    r = rank(s)
    assert r.shape == s.shape
    for row, rr in zip(s, r, strict=True):
        assert rr.tolist() == rank(row).tolist()
        expected = 1 + (row[None, :] > row[:, None]).sum(axis=1)
        assert rr.tolist() == expected.tolist()


def test_rank_large_1d():
    rng = np.random.default_rng(1)
    s = rng.permutation(2_000_000).astype(float)
    r = rank(s)
    assert r[np.argmax(s)] == 1 and r[np.argmin(s)] == len(s)


def test_rank_errors():
    with pytest.raises(ValueError, match="scores has NaN at position 1"):
        rank([1, np.nan])
    with pytest.raises(ValueError, match="scores has inf at row 1, position 0"):
        rank([[1, 2], [np.inf, 0]])
    with pytest.raises(ValueError, match="scores must be 1-D"):
        rank(np.ones((2, 2, 2)))
    with pytest.raises(ValueError, match="scores is empty"):
        rank([])


def test_order():
    assert order([0.2, 0.9, 0.2, 0.5]).tolist() == [1, 3, 0, 2]
    assert order([0.2, 0.9, 0.2], higher_is_better=False).tolist() == [0, 2, 1]
    assert order([[1, 2], [2, 1]]).tolist() == [[1, 0], [0, 1]]


def test_correlations_against_scipy():
    rng = np.random.default_rng(2)
    for _ in range(20):
        a = rng.integers(1, 6, size=9).astype(float)
        b = rng.integers(1, 6, size=9).astype(float)
        if np.ptp(a) == 0 or np.ptp(b) == 0:
            continue
        assert_allclose(spearman(a, b), stats.spearmanr(a, b).statistic, atol=1e-12)
        assert_allclose(kendall(a, b), stats.kendalltau(a, b).statistic, atol=1e-12)


def test_correlations_batch():
    rng = np.random.default_rng(3)
    base = rng.permutation(6) + 1.0
    batch = np.array([rng.permutation(6) + 1.0 for _ in range(5)])
    assert_allclose(spearman(base, batch), [spearman(base, b) for b in batch])
    assert_allclose(kendall(base, batch), [kendall(base, b) for b in batch])
    assert_allclose(ws_coefficient(base, batch), [ws_coefficient(base, b) for b in batch])


def test_degenerate_correlations():
    for f in (spearman, kendall):
        assert f([1, 1, 1], [1, 1, 1]) == 1.0
        assert f([1, 1, 1], [1, 2, 3]) == 0.0
        assert f([1], [1]) == 1.0
    assert ws_coefficient([1], [1]) == 1.0


def test_ws_coefficient():
    pymcdm = pytest.importorskip("pymcdm")
    from pymcdm.correlations import rank_similarity_coef

    rng = np.random.default_rng(4)
    for m in (2, 5, 12):
        x = rng.permutation(m) + 1.0
        y = rng.permutation(m) + 1.0
        assert_allclose(ws_coefficient(x, y), rank_similarity_coef(x, y), atol=1e-12)
    assert ws_coefficient([1, 2, 3], [1, 2, 3]) == 1.0
    assert pymcdm is not None


def test_correlation_errors():
    with pytest.raises(ValueError, match="rankings must have the same length; got 2 and 3"):
        spearman([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="incompatible batch shapes"):
        kendall(np.ones((2, 3)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="r1 has NaN at position 0"):
        ws_coefficient([np.nan, 1], [1, 2])
