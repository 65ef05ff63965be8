"""Column normalisation of decision matrices to a benefit orientation.

After :func:`normalize`, larger is always better in every column, whatever
the criterion's direction was.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.mcda.arrays import as_directions, as_matrix, first_bad

__all__ = ["NORMALIZATIONS", "NormalizationName", "normalize"]

NormalizationName = Literal["vector", "minmax", "max", "sum"]

NORMALIZATIONS: tuple[NormalizationName, ...] = ("vector", "minmax", "max", "sum")


def _div(num: NDArray, den: NDArray) -> NDArray:
    """num / den with 0 wherever den == 0 (a column without information)."""
    den = np.broadcast_to(den, num.shape)
    return np.divide(num, den, out=np.zeros(num.shape), where=den != 0)


def _check_bounds(
    bounds: ArrayLike, x: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    b = np.array(bounds, dtype=np.float64)
    n = x.shape[1]
    if b.shape != (n, 2):
        raise ValueError(
            f"bounds must have shape (n, 2) = ({n}, 2), one [low, high] per criterion; got shape {b.shape}"
        )
    bad = ~np.isfinite(b)
    if bad.any():
        j, _ = first_bad(bad)
        raise ValueError(f"bounds of criterion {j} must be finite; got {b[j].tolist()}")
    bad = ~(b[:, 1] > b[:, 0])
    if bad.any():
        (j,) = first_bad(bad)
        raise ValueError(f"bounds of criterion {j} must satisfy low < high; got [{b[j, 0]:g}, {b[j, 1]:g}]")
    low, high = b[:, 0], b[:, 1]
    bad = (x < low) | (x > high)
    if bad.any():
        r, c = first_bad(bad)
        raise ValueError(
            f"matrix value {x[r, c]:g} at row {r}, column {c} lies outside the "
            f"declared bounds [{low[c]:g}, {high[c]:g}] of criterion {c}"
        )
    return low, high


def normalize(
    matrix: ArrayLike,
    directions: ArrayLike,
    method: NormalizationName = "vector",
    *,
    cost: Literal["flip", "reciprocal"] = "flip",
    bounds: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """Normalise every column of a decision matrix, benefit-oriented.

    Parameters
    ----------
    matrix : array_like, shape (m, n)
        Finite raw values, alternatives in rows, criteria in columns.
    directions : array_like, shape (n,)
        +1 for a benefit criterion, -1 for a cost criterion.
    method : {"vector", "minmax", "max", "sum"}, optional
        Column normalisation (default "vector").
    cost : {"flip", "reciprocal"}, optional
        How cost columns are turned around. "flip" (default) uses the
        method's own cost formula (pymcdm's conventions, see Notes).
        "reciprocal" replaces a cost column by ``1 / x`` (every value must
        be > 0) and then normalises it as a benefit column.
    bounds : array_like, shape (n, 2), optional
        Declared ``[low, high]`` per criterion, only for "minmax". The
        normalisation then uses these fixed bounds instead of the column
        minimum and maximum, so adding or removing alternatives never
        changes the other alternatives' normalised values (as in SPOTIS).
        Every value must lie inside its bounds, and ``low < high``.

    Returns
    -------
    ndarray, shape (m, n)
        Larger is better in every column.

    Raises
    ------
    ValueError
        NaN/inf in the matrix (naming row and column), a bad direction,
        negative values for "max"/"sum", a non-positive value in a cost
        column needing ``1/x``, bad bounds or a value outside its bounds,
        or bounds with a method other than "minmax".

    Notes
    -----
    With column :math:`x`, cost="flip":

    ========  ===========================  ===============================
    method    benefit                      cost
    ========  ===========================  ===============================
    vector    :math:`x/\\|x\\|_2`            :math:`1 - x/\\|x\\|_2`
    minmax    :math:`(x-\\min)/(\\max-\\min)`  :math:`(\\max-x)/(\\max-\\min)`
    max       :math:`x/\\max x`             :math:`1 - x/\\max x`
    sum       :math:`x/\\sum x`             :math:`(1/x)/\\sum(1/x)`
    ========  ===========================  ===============================

    Defined degenerate cases (never a warning, never NaN):

    * a constant column under "minmax" (without bounds) is all zeros: it
      carries no information (pymcdm returns ones; both are constant and
      drop out of distance-based methods, but a constant 0 keeps weighted
      sums comparable across problems);
    * an all-zero column under "vector", "max" or "sum" is all zeros, for
      benefit and cost alike;
    * "vector" and "minmax" accept negative values; "max" and "sum" require
      non-negative values (their formulas assume a ratio scale);
    * "sum" with cost="flip" needs strictly positive values in a cost
      column (it uses ``1/x``), unless the column is all zero.

    References
    ----------
    .. [1] Hwang, C. L., & Yoon, K. (1981). Multiple Attribute Decision
       Making: Methods and Applications. Springer.
    .. [2] Jahan, A., & Edwards, K. L. (2015). A state-of-the-art survey on
       the influence of normalization techniques in ranking. Materials &
       Design, 65, 335-342.
    .. [3] Dezert, J., Tchamova, A., Han, D., & Tacnet, J.-M. (2020). The
       SPOTIS rank reversal free method for multi-criteria decision-making
       support. FUSION 2020, 1-8.
    """
    x = as_matrix(matrix)
    d = as_directions(directions, x.shape[1])
    if method not in NORMALIZATIONS:
        raise ValueError(f"unknown normalization {method!r}; choose one of {NORMALIZATIONS}")
    if cost not in ("flip", "reciprocal"):
        raise ValueError(f"cost must be 'flip' or 'reciprocal'; got {cost!r}")
    if bounds is not None and method != "minmax":
        raise ValueError(
            f"bounds are only used by 'minmax' normalization (fixed-bounds mode); got method={method!r}"
        )
    is_cost = d < 0
    # the declared (low, high) of every column for fixed-bounds minmax; None uses the observed range
    fixed = None if bounds is None else _check_bounds(bounds, x)

    if cost == "reciprocal" and is_cost.any():
        bad = (x <= 0) & is_cost
        if bad.any():
            r, c = first_bad(bad)
            raise ValueError(
                f"cost='reciprocal' needs positive values in cost columns; got "
                f"{x[r, c]:g} at row {r}, column {c}"
            )
        x = np.where(is_cost, 1.0 / np.where(is_cost, x, 1.0), x)
        if fixed is not None:
            low, high = fixed
            if np.any(low[is_cost] <= 0):
                (j,) = first_bad((low <= 0) & is_cost)
                raise ValueError(
                    f"cost='reciprocal' needs a positive lower bound for cost criterion {j}; got {low[j]:g}"
                )
            fixed = (
                np.where(is_cost, 1.0 / np.where(is_cost, high, 1.0), low),
                np.where(is_cost, 1.0 / np.where(is_cost, low, 1.0), high),
            )
        is_cost = np.zeros_like(is_cost)

    # Every method here is invariant to scaling a column by a positive constant, so divide by the
    # column's largest magnitude first: squares and sums of values near 1e308 then cannot overflow.
    magnitude = np.abs(x).max(axis=0, initial=0.0)
    if fixed is not None:
        magnitude = np.maximum(magnitude, np.maximum(np.abs(fixed[0]), np.abs(fixed[1])))
    magnitude = np.where(magnitude > 0, magnitude, 1.0)
    raw, x = x, x / magnitude

    if method in ("max", "sum"):
        bad = x < 0
        if bad.any():
            r, c = first_bad(bad)
            raise ValueError(
                f"{method!r} normalization needs non-negative values; got "
                f"{raw[r, c]:g} at row {r}, column {c} (use 'vector' or 'minmax' "
                "for criteria that can be negative)"
            )

    if method == "vector":
        ratio = _div(x, np.sqrt(np.sum(x * x, axis=0)))
        zero_col = ~np.any(x != 0, axis=0)
        return np.where(is_cost & ~zero_col, 1.0 - ratio, ratio)

    if method == "minmax":
        if fixed is None:
            low, high = x.min(axis=0), x.max(axis=0)
        else:
            low, high = fixed[0] / magnitude, fixed[1] / magnitude
        span = high - low
        # constant column -> 0: span is 0, _div yields 0 for both branches
        return np.where(is_cost, _div(high - x, span), _div(x - low, span))

    if method == "max":
        ratio = _div(x, x.max(axis=0))
        zero_col = ~np.any(x != 0, axis=0)
        return np.where(is_cost & ~zero_col, 1.0 - ratio, ratio)

    # sum
    zero_col = ~np.any(raw != 0, axis=0)
    bad = is_cost & ~zero_col & (raw <= 0)
    if bad.any():
        r, c = first_bad(bad)
        raise ValueError(
            f"'sum' normalization of cost column {c} uses 1/x and needs positive "
            f"values; got {raw[r, c]:g} at row {r}, column {c}"
        )
    # (1/x) / sum(1/x) computed as (m/x) / sum(m/x) with m the column minimum: every term lies in
    # (0, 1], so neither 1/x nor the sum can overflow for tiny x
    smallest = np.where(is_cost & ~zero_col, raw, np.inf).min(axis=0)
    inv = np.divide(smallest, raw, out=np.zeros_like(raw), where=is_cost & (raw > 0))
    return np.where(is_cost, _div(inv, inv.sum(axis=0)), _div(x, x.sum(axis=0)))
