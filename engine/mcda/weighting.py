"""Objective criterion weights derived from the decision matrix."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.mcda.arrays import as_directions, as_matrix, first_bad
from engine.mcda.normalization import normalize

__all__ = ["critic", "entropy"]


def _equal_if_uninformative(c: NDArray[np.float64]) -> NDArray[np.float64]:
    total = c.sum()
    if total <= 0:
        return np.full(c.shape, 1.0 / c.shape[0])
    return c / total


def entropy(matrix: ArrayLike) -> NDArray[np.float64]:
    """Shannon-entropy weights.

    Parameters
    ----------
    matrix : array_like, shape (m, n)
        Non-negative decision matrix (benefit or cost alike: entropy only
        measures how spread out a column is).

    Returns
    -------
    ndarray, shape (n,)
        Weights summing to 1.

    Raises
    ------
    ValueError
        For NaN/inf or a negative value (naming row and column).

    Notes
    -----
    .. math::
        p_{ij} = \\frac{x_{ij}}{\\sum_i x_{ij}}, \\quad
        e_j = -\\frac{1}{\\ln m}\\sum_i p_{ij}\\ln p_{ij}, \\quad
        d_j = 1 - e_j, \\quad w_j = \\frac{d_j}{\\sum_k d_k}

    with :math:`0 \\ln 0 = 0`. Defined degenerate cases: an all-zero or a
    constant column has :math:`d_j = 0` (no information); if every
    :math:`d_j` is 0, or m = 1, the weights are equal (1/n).

    Agrees with ``pymcdm.weights.entropy_weights`` for strictly positive
    matrices. For a column containing a zero pymcdm sets :math:`e_j = 0`
    (maximal weight) instead of applying :math:`0 \\ln 0 = 0`; that is not
    followed here.

    References
    ----------
    .. [1] Shannon, C. E. (1948). A mathematical theory of communication.
       Bell System Technical Journal, 27(3), 379-423.
    .. [2] Zeleny, M. (1982). Multiple Criteria Decision Making, pp. 191-195.
       McGraw-Hill.
    """
    x = as_matrix(matrix)
    bad = x < 0
    if bad.any():
        r, c = first_bad(bad)
        raise ValueError(
            f"entropy weighting needs non-negative values; got {x[r, c]:g} at row {r}, column {c}"
        )
    m, n = x.shape
    if m == 1:
        return np.full(n, 1.0 / n)
    col = x.sum(axis=0)
    p = np.divide(x, col, out=np.zeros_like(x), where=col > 0)
    logp = np.log(p, out=np.zeros_like(p), where=p > 0)
    e = -np.sum(p * logp, axis=0) / np.log(m)
    d = 1.0 - e
    # a constant column has e = 1 only up to rounding; force the exact 0
    d[(np.ptp(x, axis=0) == 0)] = 0.0
    return _equal_if_uninformative(np.maximum(d, 0.0))


def critic(matrix: ArrayLike, directions: ArrayLike | None = None) -> NDArray[np.float64]:
    """CRITIC weights (CRiteria Importance Through Intercriteria Correlation).

    Parameters
    ----------
    matrix : array_like, shape (m, n)
        Finite decision matrix.
    directions : array_like, shape (n,), optional
        +1 or ``"benefit"``, -1 or ``"cost"``; every criterion a benefit when omitted
        (as pymcdm's ``critic_weights``).

    Returns
    -------
    ndarray, shape (n,)
        Weights summing to 1.

    Notes
    -----
    The matrix is min-max normalised with its directions,
    :math:`r_{ij} = (x_{ij} - x^{worst}_j)/(x^{best}_j - x^{worst}_j)`; then

    .. math::
        C_j = \\sigma_j \\sum_k (1 - \\rho_{jk}), \\qquad
        w_j = \\frac{C_j}{\\sum_k C_k}

    with :math:`\\sigma_j` the sample standard deviation (ddof = 1, as
    pymcdm) of column j and :math:`\\rho` the Pearson correlation matrix.
    Defined degenerate cases: a constant column has :math:`\\sigma_j = 0`,
    correlations 0 and :math:`C_j = 0`; if every :math:`C_j` is 0 (all
    columns constant, or m = 1) the weights are equal.

    ``pymcdm.weights.critic_weights`` ignores directions (it normalises
    every column as a benefit). Flipping a cost column leaves
    :math:`\\sigma` unchanged but changes the sign of its correlations, so
    the two agree exactly when all criteria are benefits.

    References
    ----------
    .. [1] Diakoulaki, D., Mavrotas, G., & Papayannakis, L. (1995).
       Determining objective weights in multiple criteria problems: The
       CRITIC method. Computers & Operations Research, 22(7), 763-770.
    """
    x = as_matrix(matrix)
    d = as_directions(np.ones(x.shape[1]) if directions is None else directions, x.shape[1])
    m, n = x.shape
    if m < 2:
        return np.full(n, 1.0 / n)
    r = normalize(x, d, "minmax")
    centred = r - r.mean(axis=0)
    ss = np.sum(centred * centred, axis=0)
    sigma = np.sqrt(ss / (m - 1))
    norm = np.sqrt(ss)
    denom = np.outer(norm, norm)
    rho = np.divide(centred.T @ centred, denom, out=np.zeros((n, n)), where=denom > 0)
    rho = np.clip(rho, -1.0, 1.0)
    # the self-correlation of a constant column is undefined; 1 - rho_jj = 0
    # either way for informative columns, and sigma = 0 kills the rest
    np.fill_diagonal(rho, 1.0)
    c = sigma * np.sum(1.0 - rho, axis=1)
    return _equal_if_uninformative(c)
