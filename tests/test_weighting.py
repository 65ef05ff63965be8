import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine.mcda.weighting import critic, entropy

pytestmark = pytest.mark.filterwarnings("error")


def test_entropy_formula():
    x = np.array([[1.0, 2.0], [3.0, 2.5], [6.0, 1.0]])
    p = x / x.sum(axis=0)
    e = -(p * np.log(p)).sum(axis=0) / np.log(3)
    assert_allclose(entropy(x), (1 - e) / (1 - e).sum())


def test_entropy_zero_entries_use_0_log_0():
    x = np.array([[0.0, 1.0], [2.0, 2.0], [2.0, 4.0]])
    p = np.array([0.0, 0.5, 0.5])
    e0 = -(0.5 * np.log(0.5) * 2) / np.log(3)
    assert 0 < entropy(x)[0] < 1
    p1 = x[:, 1] / 7
    e1 = -(p1 * np.log(p1)).sum() / np.log(3)
    assert_allclose(entropy(x), np.array([1 - e0, 1 - e1]) / (2 - e0 - e1))
    assert p.sum() == 1.0


def test_entropy_degenerate():
    # zero and constant columns carry no information
    x = np.array([[0.0, 5.0, 1.0], [0.0, 5.0, 3.0]])
    assert_allclose(entropy(x), [0.0, 0.0, 1.0])
    assert_allclose(entropy(np.full((4, 3), 2.0)), [1 / 3] * 3)
    assert_allclose(entropy(np.zeros((4, 2))), [0.5, 0.5])
    assert_allclose(entropy([[1.0, 2.0, 3.0]]), [1 / 3] * 3)


def test_entropy_errors():
    with pytest.raises(ValueError, match="non-negative values; got -1 at row 1, column 0"):
        entropy([[1, 2], [-1, 2]])
    with pytest.raises(ValueError, match="matrix has inf at row 0, column 1"):
        entropy([[1, np.inf]])


def test_critic_formula_with_directions():
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(8, 4))
    d = np.array([1, -1, 1, -1])
    lo, hi = x.min(axis=0), x.max(axis=0)
    r = np.where(d > 0, (x - lo) / (hi - lo), (hi - x) / (hi - lo))
    sigma = r.std(axis=0, ddof=1)
    rho = np.corrcoef(r, rowvar=False)
    c = sigma * (1 - rho).sum(axis=1)
    assert_allclose(critic(x, d), c / c.sum(), atol=1e-12)


def test_critic_degenerate():
    x = np.array([[1.0, 3.0, 2.0], [2.0, 3.0, 1.0], [4.0, 3.0, 0.5]])
    w = critic(x, [1, 1, 1])
    assert w[1] == 0.0
    assert_allclose(w.sum(), 1.0)
    assert_allclose(critic(np.full((3, 2), 1.0), [1, -1]), [0.5, 0.5])
    assert_allclose(critic([[1.0, 2.0]], [1, 1]), [0.5, 0.5])
    # perfectly correlated columns: C = 0 everywhere -> equal weights
    y = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])
    assert_allclose(critic(y, [1, 1]), [0.5, 0.5])


def test_critic_errors():
    with pytest.raises(ValueError, match="directions has 1 entries but the matrix has 2"):
        critic([[1, 2], [3, 4]], [1])
    with pytest.raises(ValueError, match="matrix has NaN at row 1, column 1"):
        critic([[1, 2], [3, np.nan]], [1, 1])
