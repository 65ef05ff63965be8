import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine.mcda.normalization import NORMALIZATIONS, normalize

pytestmark = pytest.mark.filterwarnings("error")

X = np.array([[1.0, 4.0], [2.0, 6.0], [4.0, 10.0]])


def test_names():
    assert NORMALIZATIONS == ("vector", "minmax", "max", "sum")


def test_flip_formulas():
    d = [1, -1]
    a, b = X[:, 0], X[:, 1]
    assert_allclose(normalize(X, d, "vector"), np.c_[a / np.linalg.norm(a), 1 - b / np.linalg.norm(b)])
    assert_allclose(normalize(X, d, "minmax"), np.c_[(a - 1) / 3, (10 - b) / 6])
    assert_allclose(normalize(X, d, "max"), np.c_[a / 4, 1 - b / 10])
    assert_allclose(normalize(X, d, "sum"), np.c_[a / 7, (1 / b) / np.sum(1 / b)])


def test_reciprocal_cost():
    out = normalize(X, [1, -1], "max", cost="reciprocal")
    inv = 1 / X[:, 1]
    assert_allclose(out[:, 1], inv / inv.max())
    with pytest.raises(ValueError, match="needs positive values in cost columns; got 0 at row 1, column 1"):
        normalize([[1, 1], [1, 0]], [1, -1], "max", cost="reciprocal")
    with pytest.raises(ValueError, match="cost must be 'flip' or 'reciprocal'"):
        normalize(X, [1, -1], cost="invert")


def test_bounds_fixed_mode_is_independent_of_other_alternatives():
    bounds = [[0, 5], [0, 20]]
    full = normalize(X, [1, -1], "minmax", bounds=bounds)
    assert_allclose(full, np.c_[X[:, 0] / 5, (20 - X[:, 1]) / 20])
    part = normalize(X[:2], [1, -1], "minmax", bounds=bounds)
    assert_allclose(part, full[:2])


def test_bounds_with_reciprocal():
    out = normalize(X, [1, -1], "minmax", cost="reciprocal", bounds=[[0, 5], [2, 20]])
    assert_allclose(out[:, 1], (1 / X[:, 1] - 1 / 20) / (1 / 2 - 1 / 20))
    with pytest.raises(ValueError, match="positive lower bound for cost criterion 1; got 0"):
        normalize(X, [1, -1], "minmax", cost="reciprocal", bounds=[[0, 5], [0, 20]])


@pytest.mark.parametrize(
    ("bounds", "method", "message"),
    [
        ([[0, 5], [0, 20]], "max", "bounds are only used by 'minmax'"),
        ([[0, 5]], "minmax", r"bounds must have shape \(n, 2\) = \(2, 2\)"),
        ([[0, 5], [20, 0]], "minmax", r"bounds of criterion 1 must satisfy low < high; got \[20, 0\]"),
        ([[0, np.nan], [0, 20]], "minmax", "bounds of criterion 0 must be finite"),
        (
            [[0, 3], [0, 20]],
            "minmax",
            r"matrix value 4 at row 2, column 0 lies outside the declared bounds \[0, 3\]",
        ),
    ],
)
def test_bounds_errors(bounds, method, message):
    with pytest.raises(ValueError, match=message):
        normalize(X, [1, -1], method, bounds=bounds)


@pytest.mark.parametrize("method", NORMALIZATIONS)
@pytest.mark.parametrize("direction", [1, -1])
def test_all_zero_column_is_zero(method, direction):
    x = np.array([[0.0, 1.0], [0.0, 2.0]])
    out = normalize(x, [direction, 1], method)
    assert out[:, 0].tolist() == [0.0, 0.0]


@pytest.mark.parametrize("direction", [1, -1])
def test_constant_column_minmax_is_zero(direction):
    x = np.array([[3.0, 1.0], [3.0, 2.0], [3.0, 5.0]])
    assert normalize(x, [direction, 1], "minmax")[:, 0].tolist() == [0.0, 0.0, 0.0]


def test_negative_values():
    x = np.array([[-1.0, 2.0], [3.0, -2.0]])
    assert np.isfinite(normalize(x, [1, -1], "vector")).all()
    assert_allclose(normalize(x, [1, -1], "minmax"), [[0, 0], [1, 1]])
    for method in ("max", "sum"):
        with pytest.raises(
            ValueError, match=f"'{method}' normalization needs non-negative values; got -1 at row 0, column 0"
        ):
            normalize(x, [1, -1], method)


def test_sum_cost_needs_positive():
    with pytest.raises(
        ValueError, match=r"'sum' normalization of cost column 0 uses 1/x.*got 0 at row 1, column 0"
    ):
        normalize([[1.0], [0.0]], [-1], "sum")


@pytest.mark.parametrize(
    ("matrix", "directions", "message"),
    [
        ([[1, np.nan]], [1, 1], "matrix has NaN at row 0, column 1"),
        ([[1, 2], [np.inf, 1]], [1, 1], "matrix has inf at row 1, column 0"),
        ([1, 2], [1], "matrix must be 2-D"),
        (np.ones((0, 2)), [1, 1], "at least one alternative"),
        ([[1, 2]], [1], "directions has 1 entries but the matrix has 2"),
        ([[1, 2]], [1, 0], "directions must be .* got 0 at position 1"),
        ([[1, 2]], [[1, 1]], "directions must be 1-D"),
        ([["a", 1]], [1, 1], "matrix must be numeric"),
    ],
)
def test_input_errors(matrix, directions, message):
    with pytest.raises(ValueError, match=message):
        normalize(matrix, directions)


def test_unknown_method():
    with pytest.raises(ValueError, match="unknown normalization 'zscore'"):
        normalize(X, [1, 1], "zscore")
