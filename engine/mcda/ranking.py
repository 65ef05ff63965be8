"""Ranking of scores and similarity of rankings.

All functions work on a single vector (m,) or on a batch (k, m) along the
last axis, without a Python loop over alternatives or batch rows.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.mcda.arrays import describe_value, first_bad

__all__ = ["average_ranks", "kendall", "order", "rank", "spearman", "ws_coefficient"]


def _as_scores(scores: ArrayLike, name: str = "scores") -> NDArray[np.float64]:
    s = np.array(scores, dtype=np.float64)
    if s.ndim not in (1, 2):
        raise ValueError(f"{name} must be 1-D (m,) or 2-D (k, m); got shape {s.shape}")
    if s.shape[-1] == 0:
        raise ValueError(f"{name} is empty")
    bad = ~np.isfinite(s)
    if bad.any():
        idx = first_bad(bad)
        where = f"position {idx[0]}" if s.ndim == 1 else f"row {idx[0]}, position {idx[1]}"
        raise ValueError(f"{name} has {describe_value(s[idx])} at {where}")
    return s


def rank(
    scores: ArrayLike,
    *,
    higher_is_better: bool = True,
    tolerance: float = 1e-12,
) -> NDArray[np.int64]:
    """Competition ("1224") ranks of scores, 1 = best.

    Parameters
    ----------
    scores : array_like, shape (m,) or (k, m)
        Finite scores of m alternatives; a 2-D input is ranked row by row.
    higher_is_better : bool, optional
        Whether a larger score is better (default) or worse.
    tolerance : float, optional
        Two scores ``a``, ``b`` are tied when
        ``|a - b| <= tolerance * max(1, |a|, |b|)``.

    Returns
    -------
    ranks : ndarray of int64, same shape as `scores`
        Tied alternatives share the best rank of their group and the next
        rank skips accordingly (standard competition ranking).

    Notes
    -----
    The scores are sorted best first (stable, O(m log m) per row, so 1-D
    inputs of 10^7 entries are fine). A new tie group starts wherever two
    neighbours in sorted order differ by more than the tolerance; every
    member of a group gets ``1 +`` (number of alternatives before the group).
    Because groups are formed between sorted neighbours, a chain of scores
    each within tolerance of the next forms one group.

    The tolerance is absolute for scores of magnitude below 1 and relative
    above, so that values which differ only by floating-point rounding
    (e.g. a TOPSIS closeness of 0 and 1e-17) share a rank.
    """
    s = _as_scores(scores)
    if not (np.isfinite(tolerance) and tolerance >= 0):
        raise ValueError(f"tolerance must be finite and >= 0; got {tolerance}")
    key = -s if higher_is_better else s
    idx = np.argsort(key, axis=-1, kind="stable")
    t = np.take_along_axis(key, idx, axis=-1)
    m = s.shape[-1]
    prev, cur = t[..., :-1], t[..., 1:]
    scale = np.maximum(1.0, np.maximum(np.abs(prev), np.abs(cur)))
    new_group = np.ones(t.shape, dtype=bool)
    new_group[..., 1:] = (cur - prev) > tolerance * scale
    pos = np.broadcast_to(np.arange(m), t.shape)
    start = np.maximum.accumulate(np.where(new_group, pos, 0), axis=-1)
    ranks = np.empty(t.shape, dtype=np.int64)
    np.put_along_axis(ranks, idx, start + 1, axis=-1)
    return ranks


def order(
    scores: ArrayLike,
    *,
    higher_is_better: bool = True,
    tolerance: float = 1e-12,
) -> NDArray[np.int64]:
    """Indices of alternatives, best first.

    Parameters
    ----------
    scores : array_like, shape (m,) or (k, m)
    higher_is_better : bool, optional
    tolerance : float, optional
        Tie tolerance, as in :func:`rank`.

    Returns
    -------
    ndarray of int64, same shape as `scores`

    Notes
    -----
    Alternatives tied under :func:`rank` keep their input order (stable), so
    the result is deterministic and consistent with the ranks.
    """
    r = rank(scores, higher_is_better=higher_is_better, tolerance=tolerance)
    return np.argsort(r, axis=-1, kind="stable")


def _pair(r1: ArrayLike, r2: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    a = _as_scores(r1, "r1")
    b = _as_scores(r2, "r2")
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(f"rankings must have the same length; got {a.shape[-1]} and {b.shape[-1]}")
    try:
        a, b = np.broadcast_arrays(a, b)
    except ValueError:
        raise ValueError(f"rankings have incompatible batch shapes {a.shape} and {b.shape}") from None
    return a, b


def average_ranks(x: ArrayLike) -> NDArray[np.float64]:
    """Average ("fractional", mid-) ranks along the last axis, vectorised: 1 for the smallest,
    ties share the mean of their positions (``scipy.stats.rankdata(method="average")``)."""
    x = np.asarray(x, dtype=np.float64)
    idx = np.argsort(x, axis=-1, kind="stable")
    t = np.take_along_axis(x, idx, axis=-1)
    m = x.shape[-1]
    pos = np.broadcast_to(np.arange(m), t.shape)
    new = np.ones(t.shape, dtype=bool)
    new[..., 1:] = t[..., 1:] != t[..., :-1]
    start = np.maximum.accumulate(np.where(new, pos, 0), axis=-1)
    last = np.ones(t.shape, dtype=bool)
    last[..., :-1] = new[..., 1:]
    # end of each group: reverse cumulative minimum of group-end positions
    end_at = np.where(last, pos, m - 1)
    end = np.flip(np.minimum.accumulate(np.flip(end_at, -1), axis=-1), -1)
    avg = (start + end) / 2.0 + 1.0
    out = np.empty(t.shape)
    np.put_along_axis(out, idx, avg, axis=-1)
    return out


def _degenerate(a: NDArray[np.float64], b: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
    """Mask of rows where a correlation is undefined, and its defined value."""
    const = (np.ptp(a, axis=-1) == 0) | (np.ptp(b, axis=-1) == 0)
    same = np.all(a == b, axis=-1)
    return const, np.where(same, 1.0, 0.0)


def _finish(value: NDArray, const: NDArray, fallback: NDArray) -> float | NDArray:
    out = np.clip(np.where(const, fallback, value), -1.0, 1.0)
    return float(out) if out.ndim == 0 else out


def spearman(r1: ArrayLike, r2: ArrayLike) -> float | NDArray[np.float64]:
    """Spearman rank correlation of two rankings.

    Parameters
    ----------
    r1, r2 : array_like, shape (m,) or (k, m)
        Rankings (or scores) of the same m alternatives; batches broadcast.

    Returns
    -------
    float or ndarray of shape (k,)

    Notes
    -----
    The inputs are converted to average ranks and the Pearson correlation of
    those is returned, which equals ``scipy.stats.spearmanr`` (and, without
    ties, ``1 - 6 sum d^2 / (m (m^2 - 1))``).

    Degenerate case (defined, no warning): if either ranking is constant
    (including m = 1) the correlation is 1.0 when both rankings are
    identical and 0.0 otherwise.

    References
    ----------
    .. [1] Spearman, C. (1904). The proof and measurement of association
       between two things. American Journal of Psychology, 15(1), 72-101.
    """
    a, b = _pair(r1, r2)
    const, fallback = _degenerate(a, b)
    ra = average_ranks(a)
    rb = average_ranks(b)
    ra = ra - ra.mean(axis=-1, keepdims=True)
    rb = rb - rb.mean(axis=-1, keepdims=True)
    num = np.sum(ra * rb, axis=-1)
    den = np.sqrt(np.sum(ra * ra, axis=-1) * np.sum(rb * rb, axis=-1))
    value = np.divide(num, den, out=np.zeros_like(num), where=~const)
    return _finish(value, const, fallback)


def kendall(r1: ArrayLike, r2: ArrayLike) -> float | NDArray[np.float64]:
    """Kendall's tau-b rank correlation of two rankings.

    Parameters
    ----------
    r1, r2 : array_like, shape (m,) or (k, m)

    Returns
    -------
    float or ndarray of shape (k,)

    Notes
    -----
    .. math:: \\tau_b = \\frac{n_c - n_d}{\\sqrt{(n_0 - n_1)(n_0 - n_2)}}

    with :math:`n_0 = m(m-1)/2` pairs, :math:`n_1`, :math:`n_2` the pairs
    tied in each ranking. Equals ``scipy.stats.kendalltau`` (variant "b").
    Computed from the (m, m) sign matrices, so memory is O(k m^2).

    Degenerate case: a constant ranking gives 1.0 if both are identical,
    else 0.0 (no warning).

    References
    ----------
    .. [1] Kendall, M. G. (1945). The treatment of ties in ranking problems.
       Biometrika, 33(3), 239-251.
    """
    a, b = _pair(r1, r2)
    const, fallback = _degenerate(a, b)
    sa = np.sign(a[..., :, None] - a[..., None, :])
    sb = np.sign(b[..., :, None] - b[..., None, :])
    m = a.shape[-1]
    # each unordered pair appears twice in the full matrices
    s = np.sum(sa * sb, axis=(-2, -1)) / 2.0
    n0 = m * (m - 1) / 2.0
    n1 = n0 - np.sum(sa != 0, axis=(-2, -1)) / 2.0
    n2 = n0 - np.sum(sb != 0, axis=(-2, -1)) / 2.0
    den = np.sqrt((n0 - n1) * (n0 - n2))
    value = np.divide(s, den, out=np.zeros_like(s), where=~const)
    return _finish(value, const, fallback)


def ws_coefficient(r1: ArrayLike, r2: ArrayLike) -> float | NDArray[np.float64]:
    """WS rank similarity coefficient of Sałabun & Urbaniak (2020).

    Parameters
    ----------
    r1 : array_like, shape (m,) or (k, m)
        The reference ranking (1 = best). WS is asymmetric: differences at
        the top of `r1` weigh most.
    r2 : array_like, shape (m,) or (k, m)
        The compared ranking.

    Returns
    -------
    float or ndarray of shape (k,)
        WS in [0, 1]; 1 for identical rankings.

    Notes
    -----
    .. math:: WS = 1 - \\sum_{i=1}^{m} 2^{-x_i}
              \\frac{|x_i - y_i|}{\\max(|x_i - 1|, |x_i - m|)}

    with :math:`x = r_1`, :math:`y = r_2`. This is
    ``pymcdm.correlations.rank_similarity_coef`` (alias ``ws``), not
    ``weighted_spearman`` (which is Pinto da Costa & Soares' r_w).
    For m = 1 the denominator is 0; the single (necessarily equal) term is
    taken as 0, so WS = 1.

    References
    ----------
    .. [1] Sałabun, W., & Urbaniak, K. (2020). A new coefficient of rankings
       similarity in decision-making problems. In Computational Science -
       ICCS 2020, LNCS 12138, pp. 632-645. Springer.
    """
    x, y = _pair(r1, r2)
    m = x.shape[-1]
    num = np.abs(x - y)
    den = np.maximum(np.abs(1.0 - x), np.abs(m - x))
    frac = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    value = 1.0 - np.sum(np.exp2(-x) * frac, axis=-1)
    return float(value) if value.ndim == 0 else value
