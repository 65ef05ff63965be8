import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine.mcda.methods import (
    DEFAULT_NORMALIZATION,
    HIGHER_IS_BETTER,
    METHODS,
    promethee_ii,
    topsis,
    vikor,
    wsm,
)
from engine.mcda.registry import MethodResult, evaluate

pytestmark = pytest.mark.filterwarnings("error")

X = np.array([[7.0, 9.0, 9.0], [8.0, 7.0, 8.0], [9.0, 6.0, 8.0], [6.0, 7.0, 8.0]])
W = np.array([0.1, 0.4, 0.5])
D = np.array([1, -1, 1])


def test_constants():
    assert METHODS == ("topsis", "wsm", "vikor", "promethee")
    assert DEFAULT_NORMALIZATION["topsis"] == "vector" and DEFAULT_NORMALIZATION["vikor"] is None
    assert HIGHER_IS_BETTER["vikor"] is False and HIGHER_IS_BETTER["promethee"] is True


def test_weights_are_renormalised():
    assert_allclose(topsis(X, W * 7, D), topsis(X, W, D))
    assert_allclose(wsm(X, W * 3, D), wsm(X, W, D))


@pytest.mark.parametrize("method", METHODS)
def test_evaluate_details_and_readonly(method):
    r = evaluate(method, X, W, D)
    assert isinstance(r, MethodResult)
    assert r.scores.shape == (4,) and r.ranks.shape == (4,)
    assert r.higher_is_better is HIGHER_IS_BETTER[method]
    expected = {
        "topsis": {"normalized", "weighted", "ideal", "anti_ideal", "d_plus", "d_minus"},
        "wsm": {"normalized", "weighted"},
        "vikor": {"S", "R", "Q", "best", "worst"},
        "promethee": {"preference", "phi_plus", "phi_minus"},
    }[method]
    assert set(r.details) == expected
    for arr in (r.scores, r.ranks, r.weights, *r.details.values()):
        with pytest.raises(ValueError, match="read-only"):
            arr.flat[0] = 0
    with pytest.raises(TypeError):
        r.details["x"] = np.zeros(1)


@pytest.mark.parametrize("method", METHODS)
def test_batch_equals_single(method):
    rng = np.random.default_rng(0)
    wb = rng.dirichlet(np.ones(3), size=8)
    batch = evaluate(method, X, wb, D)
    assert batch.scores.shape == (8, 4)
    for k in range(8):
        single = evaluate(method, X, wb[k], D)
        assert_allclose(batch.scores[k], single.scores, atol=1e-14)
        assert batch.ranks[k].tolist() == single.ranks.tolist()
        for key, value in single.details.items():
            got = batch.details[key]
            assert_allclose(got[k] if got.ndim > value.ndim else got, value, atol=1e-14)


def test_topsis_details_consistent():
    r = evaluate("topsis", X, W, D)
    d = r.details
    assert_allclose(d["weighted"], d["normalized"] * W)
    assert_allclose(d["ideal"], d["weighted"].max(axis=0))
    assert_allclose(d["anti_ideal"], d["weighted"].min(axis=0))
    assert_allclose(d["d_plus"], np.linalg.norm(d["weighted"] - d["ideal"], axis=1))
    assert_allclose(r.scores, d["d_minus"] / (d["d_plus"] + d["d_minus"]))


def test_topsis_degenerate_is_half():
    assert topsis([[1.0, 2.0]], [0.5, 0.5], [1, -1]).tolist() == [0.5]
    assert topsis(np.ones((3, 2)), [0.5, 0.5], [1, -1], "minmax").tolist() == [0.5] * 3
    # zero weight on the only informative column leaves nothing to separate
    x = np.array([[1.0, 5.0], [2.0, 5.0]])
    assert topsis(x, [0.0, 1.0], [1, 1]).tolist() == [0.5, 0.5]
    r = evaluate("topsis", np.ones((3, 2)), [1, 1], [1, 1])
    assert r.ranks.tolist() == [1, 1, 1]


def test_topsis_bounds_option():
    bounds = [[0, 10], [0, 10], [0, 10]]
    full = topsis(X, W, D, "minmax", bounds=bounds)
    assert full.shape == (4,)
    assert np.all((full >= 0) & (full <= 1))


def test_wsm_single_alternative_and_constant():
    assert wsm([[3.0, 4.0]], [1, 1], [1, -1]).tolist() == [0.0]
    assert wsm(np.full((3, 2), 2.0), [1, 1], [1, 1]).tolist() == [0.0] * 3


def test_vikor_degenerate():
    s, r, q = vikor(np.full((3, 2), 4.0), [1, 1], [1, -1])
    assert s.tolist() == r.tolist() == q.tolist() == [0.0] * 3
    s, r, q = vikor([[1.0, 2.0]], [1, 1], [1, 1])
    assert q.tolist() == [0.0]
    # constant column contributes nothing
    x = np.c_[X, np.full(4, 3.0)]
    assert_allclose(vikor(x, np.r_[W, 0.0], np.r_[D, 1])[2], vikor(X, W, D)[2])


def test_vikor_v_validation():
    with pytest.raises(ValueError, match=r"v must lie in \[0, 1\].*got 1.5"):
        vikor(X, W, D, v=1.5)
    with pytest.raises(ValueError, match="v must be a number"):
        vikor(X, W, D, v="a")


def test_promethee_single_alternative_and_range():
    assert promethee_ii([[1.0, 2.0]], [1, 1], [1, 1]).tolist() == [0.0]
    rng = np.random.default_rng(5)
    phi = promethee_ii(rng.uniform(size=(9, 4)), rng.dirichlet(np.ones(4), size=10), [1, -1, 1, -1])
    assert phi.shape == (10, 9)
    assert np.all(np.abs(phi) <= 1)
    assert_allclose(phi.sum(axis=1), 0.0, atol=1e-12)


def test_promethee_gaussian_and_preference_matrix():
    r = evaluate("promethee", X, W, D, preference="gaussian", s=1.0)
    pref = r.details["preference"]
    assert pref.shape == (4, 4)
    assert_allclose(np.diag(pref), 0.0)
    assert_allclose(r.scores, r.details["phi_plus"] - r.details["phi_minus"])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"preference": "step"}, "unknown preference function 'step'"),
        ({"preference": "vshape"}, "'vshape' needs the threshold p"),
        ({"preference": "vshape", "p": 0}, "p must be > 0 for 'vshape'; got 0 for criterion 0"),
        ({"preference": "linear", "p": 1, "q": 1}, "'linear' needs p > q; got p = 1, q = 1 for criterion 0"),
        ({"preference": "ushape", "q": -1}, "q must be finite and >= 0; got -1 for criterion 0"),
        ({"preference": "ushape", "q": [1, 2]}, r"one entry per criterion \(3\)"),
        ({"preference": "gaussian", "s": 0}, "s must be > 0 for 'gaussian'"),
    ],
)
def test_promethee_option_errors(options, message):
    with pytest.raises(ValueError, match=message):
        promethee_ii(X, W, D, **options)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([0.2, -0.2, 1.0], "weights must be non-negative; got -0.2 at position 1"),
        ([0, 0, 0], "weights must not be all zero"),
        ([[1, 1, 1], [0, 0, 0]], "row 1 of the batch is all zero"),
        ([[1, 1, np.nan]], "weights must be finite; got NaN at row 0, position 2"),
        ([1, 1], "weights has 2 entries per row but the matrix has 3"),
        (np.ones((2, 2, 3)), "weights must be a vector"),
        (np.ones((0, 3)), "weights batch is empty"),
    ],
)
def test_weight_errors(weights, message):
    for f in (topsis, wsm, promethee_ii):
        with pytest.raises(ValueError, match=message):
            f(X, weights, D)
    with pytest.raises(ValueError, match=message):
        vikor(X, weights, D)


def test_matrix_errors_named():
    bad = X.copy()
    bad[2, 1] = np.nan
    with pytest.raises(ValueError, match="matrix has NaN at row 2, column 1"):
        evaluate("topsis", bad, W, D)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("electre",), {}, "unknown method 'electre'"),
        (("vikor",), {"normalization": "vector"}, "vikor works on raw values"),
        (("topsis",), {"normalization": "zscore"}, "unknown normalization 'zscore'"),
        (("topsis",), {"v": 0.5}, r"topsis does not take option\(s\) \['v'\]"),
        (("promethee",), {"preference": "vshape"}, "needs the threshold p"),
    ],
)
def test_evaluate_errors(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        evaluate(*args, X, W, D, **kwargs)


def test_evaluate_normalization_override():
    r = evaluate("topsis", X, W, D, normalization="minmax")
    assert r.normalization == "minmax"
    assert_allclose(r.scores, topsis(X, W, D, "minmax"))
    assert evaluate("vikor", X, W, D, v=0.2).normalization is None
    assert_allclose(evaluate("vikor", X, W, D, v=0.2).scores, vikor(X, W, D, v=0.2)[2])
