"""MCDA scoring methods: TOPSIS, WSM, VIKOR and PROMETHEE II.

Every kernel takes one weight vector (n,) or a batch of weight vectors
(k, n) and returns scores of shape (m,) or (k, m) accordingly; a batch is
evaluated with matrix products / einsum, never a loop over its rows.

Weights must be finite, non-negative and not all zero (per row); each row is
renormalised to sum 1 before use, so only the ratios between weights matter.

The mathematics of each method is written once, in its ``*_parts`` function: validated arrays
in, every intermediate out. The matrix argument of a part is a stack (s, m, n) holding either one
matrix, scored under every weight row, or one matrix per weight row (s = k), so the same code
serves a single call here and the matrix stacks of :mod:`engine.kernels.stacked`.
:mod:`engine.mcda.registry` declares the methods (labels, options, scorers) on top of these kernels.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.kernels.blocked import fast_topsis
from engine.mcda.arrays import as_directions, as_matrix, as_weights, first_bad
from engine.mcda.normalization import NormalizationName, normalize

__all__ = [
    "DEFAULT_NORMALIZATION",
    "HIGHER_IS_BETTER",
    "METHODS",
    "PREFERENCE_FUNCTIONS",
    "check_vikor_v",
    "promethee_ii",
    "promethee_parts",
    "topsis",
    "topsis_parts",
    "vikor",
    "vikor_parts",
    "weighted_sums",
    "wsm",
]

# What the kernels below are: their ids, which way their scores point and the normalisation their
# signatures default to. engine.mcda.registry declares each method on these facts.
METHODS: tuple[str, ...] = ("topsis", "wsm", "vikor", "promethee")
DEFAULT_NORMALIZATION: Mapping[str, str | None] = MappingProxyType(
    {"topsis": "vector", "wsm": "minmax", "vikor": None, "promethee": None}
)
HIGHER_IS_BETTER: Mapping[str, bool] = MappingProxyType(
    {"topsis": True, "wsm": True, "vikor": False, "promethee": True}
)
PREFERENCE_FUNCTIONS: tuple[str, ...] = (
    "usual",
    "ushape",
    "vshape",
    "level",
    "linear",
    "gaussian",
)

Array = NDArray[np.float64]


def _prepare(
    matrix: ArrayLike, weights: ArrayLike, directions: ArrayLike
) -> tuple[Array, Array, NDArray[np.int64], bool]:
    x = as_matrix(matrix)
    d = as_directions(directions, x.shape[1])
    w, batched = as_weights(weights, x.shape[1])
    return x, w, d, batched


def _out(a: NDArray, batched: bool) -> NDArray:
    """Drop the batch axis that single-vector calls were given internally."""
    return a if batched else a[0]


def weighted_sums(terms: Array, w: Array) -> Array:
    """:math:`\\sum_j w_{kj} t_{s p j}` for a stack of terms (s, p, n) and weights (k, n): (k, p).

    With s = 1 every weight row meets the one matrix of terms (one matrix product for the whole
    batch); with s = k row k meets matrix k.
    """
    if terms.shape[0] == 1:
        return w @ terms[0].T
    return np.einsum("kpn,kn->kp", terms, w)


# --------------------------------------------------------------------- TOPSIS


def topsis_parts(r: Array, w: Array) -> dict[str, Array]:
    """Every intermediate of TOPSIS on a stack of normalised matrices.

    Parameters
    ----------
    r : ndarray, shape (s, m, n)
        Benefit-oriented normalised matrices, s = 1 or s = k.
    w : ndarray, shape (k, n)
        Weight rows summing to 1.

    Returns
    -------
    dict
        ``ideal``, ``anti_ideal`` (k, n) of the weighted matrices; ``d_plus``, ``d_minus`` and
        ``closeness`` (k, m).
    """
    ideal = r.max(axis=-2, keepdims=True)
    anti = r.min(axis=-2, keepdims=True)
    # max/min of the weighted matrix equal w * max/min of r because w >= 0, so the squared
    # weighted distances of the whole batch are one product of w * w with the squared deviations
    # from both ideal points, (k, n) x (n, 2m) for one matrix. All its terms are non-negative, so
    # the square root needs no guard.
    m = r.shape[-2]
    distances = weighted_sums(np.concatenate([(r - ideal) ** 2, (r - anti) ** 2], axis=-2), w * w)
    np.sqrt(distances, out=distances)
    dp, dm = distances[..., :m], distances[..., m:]
    total = dp + dm
    closeness = np.divide(dm, total, out=np.full(total.shape, 0.5), where=total > 0)
    return {
        "ideal": w * ideal[:, 0],
        "anti_ideal": w * anti[:, 0],
        "d_plus": dp,
        "d_minus": dm,
        "closeness": closeness,
    }


def topsis(
    matrix: ArrayLike,
    weights: ArrayLike,
    directions: ArrayLike,
    normalization: NormalizationName = "vector",
    *,
    cost: Literal["flip", "reciprocal"] = "flip",
    bounds: ArrayLike | None = None,
) -> Array:
    """TOPSIS relative closeness to the ideal solution.

    Parameters
    ----------
    matrix : array_like, shape (m, n)
        Raw decision matrix.
    weights : array_like, shape (n,) or (k, n)
        Criterion weights (renormalised to sum 1 per row).
    directions : array_like, shape (n,)
        +1 benefit, -1 cost.
    normalization : {"vector", "minmax", "max", "sum"}, optional
        See :func:`engine.mcda.normalization.normalize` (default "vector").
    cost, bounds : optional
        Passed to :func:`engine.mcda.normalization.normalize`.

    Returns
    -------
    ndarray, shape (m,) or (k, m)
        Closeness in [0, 1]; higher is better.

    Notes
    -----
    With the benefit-oriented normalised matrix :math:`r` and weights
    :math:`w`, :math:`v_{ij} = w_j r_{ij}`, :math:`v^+_j = \\max_i v_{ij}`,
    :math:`v^-_j = \\min_i v_{ij}`,

    .. math:: D^\\pm_i = \\sqrt{\\sum_j (v_{ij} - v^\\pm_j)^2}, \\qquad
              C_i = \\frac{D^-_i}{D^+_i + D^-_i}.

    When :math:`D^+_i + D^-_i = 0` the alternative is at once ideal and
    anti-ideal (every weighted column constant, or a single alternative);
    its closeness is 0.5 by definition. This matches pymcdm's TOPSIS when
    given the same normalisation function.

    References
    ----------
    .. [1] Hwang, C. L., & Yoon, K. (1981). Multiple Attribute Decision
       Making: Methods and Applications, pp. 128-140. Springer.
    """
    # large clean float64 matrices: two cache-blocked passes (engine.kernels.blocked), same results
    fast = fast_topsis(matrix, weights, directions, normalization, cost=cost, bounds=bounds)
    if fast is not None:
        return fast
    x, w, d, batched = _prepare(matrix, weights, directions)
    r = normalize(x, d, normalization, cost=cost, bounds=bounds)
    return _out(topsis_parts(r[None], w)["closeness"], batched)


# ------------------------------------------------------------------------ WSM


def wsm(
    matrix: ArrayLike,
    weights: ArrayLike,
    directions: ArrayLike,
    normalization: NormalizationName = "minmax",
    *,
    cost: Literal["flip", "reciprocal"] = "flip",
    bounds: ArrayLike | None = None,
) -> Array:
    """Weighted sum model on the normalised matrix.

    Parameters
    ----------
    matrix, weights, directions :
        As in :func:`topsis`.
    normalization : {"vector", "minmax", "max", "sum"}, optional
        Default "minmax" (with `bounds`, fixed-bounds minmax).
    cost, bounds : optional
        Passed to :func:`engine.mcda.normalization.normalize`.

    Returns
    -------
    ndarray, shape (m,) or (k, m)
        :math:`S_i = \\sum_j w_j r_{ij}`; higher is better.

    Notes
    -----
    Equals pymcdm's WSM given the same normalisation, except for constant
    columns under minmax, which normalise to 0 here (1 in pymcdm), which
    shifts every score by the same amount and never changes the ranking.

    References
    ----------
    .. [1] Fishburn, P. C. (1967). Additive utilities with incomplete product
       sets: application to priorities and assignments. Operations Research,
       15(3), 537-542.
    """
    x, w, d, batched = _prepare(matrix, weights, directions)
    r = normalize(x, d, normalization, cost=cost, bounds=bounds)
    return _out(weighted_sums(r[None], w), batched)


# ---------------------------------------------------------------------- VIKOR


def vikor_parts(x: Array, w: Array, d: NDArray[np.int64], v: float) -> dict[str, Array]:
    """Every intermediate of VIKOR on a stack of raw matrices.

    Parameters
    ----------
    x : ndarray, shape (s, m, n)
        Raw matrices, s = 1 or s = k.
    w : ndarray, shape (k, n)
        Weight rows summing to 1.
    d : ndarray of int, shape (n,)
    v : float
        Checked by :func:`check_vikor_v`.

    Returns
    -------
    dict
        ``S``, ``R``, ``Q`` (k, m); ``best``, ``worst`` (s, n).
    """
    hi, lo = x.max(axis=-2, keepdims=True), x.min(axis=-2, keepdims=True)
    best = np.where(d > 0, hi, lo)
    worst = np.where(d > 0, lo, hi)
    # the ratios below are invariant to scaling a column, and scaled values keep hi - lo finite
    # even for columns spanning -1e308..1e308
    magnitude = np.abs(x).max(axis=-2, keepdims=True, initial=0.0)
    magnitude = np.where(magnitude > 0, magnitude, 1.0)
    x, hi, lo = x / magnitude, hi / magnitude, lo / magnitude
    span = np.broadcast_to(hi - lo, x.shape)
    # |f* - f| / |f* - f-| is the same for both directions; a constant
    # column has span 0 and contributes 0 (every alternative is best there).
    dist = np.divide(np.abs(best / magnitude - x), span, out=np.zeros_like(x), where=span > 0)
    weighted = w[:, None, :] * dist
    s = weighted.sum(axis=-1)
    r = weighted.max(axis=-1)

    def scaled(a: Array) -> Array:
        lo_a = a.min(axis=-1, keepdims=True)
        rng = a.max(axis=-1, keepdims=True) - lo_a
        rng = np.broadcast_to(rng, a.shape)
        return np.divide(a - lo_a, rng, out=np.zeros_like(a), where=rng > 0)

    q = v * scaled(s) + (1.0 - v) * scaled(r)
    return {"S": s, "R": r, "Q": q, "best": best[:, 0], "worst": worst[:, 0]}


def check_vikor_v(v: object) -> float:
    """VIKOR's v as a float in [0, 1], or a ValueError saying what is wrong with it."""
    try:
        v = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"v must be a number in [0, 1]; got {v!r}") from None
    if not (0.0 <= v <= 1.0):
        raise ValueError(f"v must lie in [0, 1] (weight of the group utility S); got {v}")
    return v


def vikor(
    matrix: ArrayLike,
    weights: ArrayLike,
    directions: ArrayLike,
    *,
    v: float = 0.5,
) -> tuple[Array, Array, Array]:
    """VIKOR compromise ranking on raw values.

    Parameters
    ----------
    matrix, weights, directions :
        As in :func:`topsis`.
    v : float, optional
        Weight of the strategy of "the majority of criteria" (group utility
        S) against individual regret R, in [0, 1]; default 0.5.

    Returns
    -------
    S, R, Q : ndarray, shape (m,) or (k, m)
        Group utility, individual regret and the compromise index. Lower is
        better for all three.

    Notes
    -----
    Per criterion :math:`f^*_j` is the best and :math:`f^-_j` the worst
    value given its direction, and

    .. math::
        S_i = \\sum_j w_j \\frac{f^*_j - f_{ij}}{f^*_j - f^-_j}, \\quad
        R_i = \\max_j w_j \\frac{f^*_j - f_{ij}}{f^*_j - f^-_j},

    .. math::
        Q_i = v \\frac{S_i - S^*}{S^- - S^*}
              + (1-v) \\frac{R_i - R^*}{R^- - R^*}

    with :math:`S^* = \\min S`, :math:`S^- = \\max S` (likewise R).
    Defined degenerate cases: a constant column contributes 0 to S and R;
    a zero range :math:`S^- = S^*` (or for R) contributes 0 to Q.
    Otherwise identical to ``pymcdm.methods.VIKOR()`` (default
    normalization_function=None), which raises for constant columns.
    The acceptable-advantage and stability conditions of the compromise
    solution are not applied; rank by Q.

    References
    ----------
    .. [1] Opricovic, S., & Tzeng, G.-H. (2004). Compromise solution by MCDM
       methods: A comparative analysis of VIKOR and TOPSIS. European Journal
       of Operational Research, 156(2), 445-455.
    """
    v = check_vikor_v(v)
    x, w, d, batched = _prepare(matrix, weights, directions)
    res = vikor_parts(x[None], w, d, v)
    return _out(res["S"], batched), _out(res["R"], batched), _out(res["Q"], batched)


# ----------------------------------------------------------------- PROMETHEE


def _threshold(value: ArrayLike | None, n: int, name: str, fn: str) -> Array:
    if value is None:
        raise ValueError(f"preference function {fn!r} needs the threshold {name}")
    t = np.array(value, dtype=np.float64)
    if t.ndim == 0:
        t = np.full(n, float(t))
    if t.shape != (n,):
        raise ValueError(
            f"{name} must be a number or have one entry per criterion ({n}); got shape {t.shape}"
        )
    bad = ~np.isfinite(t) | (t < 0)
    if bad.any():
        (j,) = first_bad(bad)
        raise ValueError(f"{name} must be finite and >= 0; got {t[j]:g} for criterion {j}")
    return t


def _preference(
    diff: Array,
    fn: str,
    p: ArrayLike | None,
    q: ArrayLike | None,
    s: ArrayLike | None,
    unit: float = 1.0,
) -> Array:
    """Apply the preference function to differences d(a, b) (..., n) measured in ``unit``s.

    Thresholds are validated in the criteria's own units and then expressed in ``unit``s, so the
    differences may be computed on rescaled values.
    """
    n = diff.shape[-1]
    if fn not in PREFERENCE_FUNCTIONS:
        raise ValueError(f"unknown preference function {fn!r}; choose one of {PREFERENCE_FUNCTIONS}")
    if fn == "usual":
        return (diff > 0).astype(np.float64)
    if fn == "ushape":
        qt = _threshold(q, n, "q", fn) * unit
        return (diff > qt).astype(np.float64)
    if fn == "gaussian":
        st = _threshold(s, n, "s", fn)
        if np.any(st <= 0):
            (j,) = first_bad(st <= 0)
            raise ValueError(f"s must be > 0 for 'gaussian'; got 0 for criterion {j}")
        st = st * unit
        pos = np.maximum(diff, 0.0)
        return -np.expm1(-(pos * pos) / (2.0 * st * st))
    pt = _threshold(p, n, "p", fn)
    if fn == "vshape":
        if np.any(pt <= 0):
            (j,) = first_bad(pt <= 0)
            raise ValueError(f"p must be > 0 for 'vshape'; got 0 for criterion {j}")
        return np.clip(diff / (pt * unit), 0.0, 1.0)
    qt = _threshold(q, n, "q", fn)
    bad = ~(pt > qt)
    if bad.any():
        (j,) = first_bad(bad)
        raise ValueError(f"{fn!r} needs p > q; got p = {pt[j]:g}, q = {qt[j]:g} for criterion {j}")
    pt, qt = pt * unit, qt * unit
    if fn == "level":
        return np.where(diff > pt, 1.0, np.where(diff > qt, 0.5, 0.0))
    # linear: indifference up to q, strict preference beyond p
    return np.clip((diff - qt) / (pt - qt), 0.0, 1.0)


def promethee_parts(
    x: Array,
    w: Array,
    d: NDArray[np.int64],
    preference: str = "usual",
    p: ArrayLike | None = None,
    q: ArrayLike | None = None,
    s: ArrayLike | None = None,
) -> dict[str, Array]:
    """Every intermediate of PROMETHEE II on a stack of raw matrices.

    Parameters
    ----------
    x : ndarray, shape (s, m, n)
        Raw matrices, s = 1 or s = k.
    w : ndarray, shape (k, n)
        Weight rows summing to 1.
    d : ndarray of int, shape (n,)
    preference, p, q, s :
        As in :func:`promethee_ii` (checked here).

    Returns
    -------
    dict
        ``preference`` (k, m, m), ``phi_plus``, ``phi_minus`` and ``net_flow`` (k, m).
    """
    m = x.shape[-2]
    # halves keep the difference of values near +-1e308 finite; thresholds are halved to match
    half = 0.5 * x
    diff = (half[:, :, None, :] - half[:, None, :, :]) * d
    pref = _preference(diff, preference, p, q, s, unit=0.5)
    one_matrix = pref.shape[0] == 1
    pi = np.einsum("abj,kj->kab", pref[0], w) if one_matrix else np.einsum("kabj,kj->kab", pref, w)
    # with one alternative there is nothing to compare: all flows are 0
    denom = max(m - 1, 1)
    phi_plus = pi.sum(axis=-1) / denom
    phi_minus = pi.sum(axis=-2) / denom
    return {
        "preference": pi,
        "phi_plus": phi_plus,
        "phi_minus": phi_minus,
        "net_flow": phi_plus - phi_minus,
    }


def promethee_ii(
    matrix: ArrayLike,
    weights: ArrayLike,
    directions: ArrayLike,
    *,
    preference: str = "usual",
    p: ArrayLike | None = None,
    q: ArrayLike | None = None,
    s: ArrayLike | None = None,
) -> Array:
    """PROMETHEE II net outranking flows.

    Parameters
    ----------
    matrix, weights, directions :
        As in :func:`topsis`.
    preference : str, optional
        Preference function, one of :data:`PREFERENCE_FUNCTIONS`:
        "usual" (no threshold), "ushape" (q), "vshape" (p > 0), "level"
        (q < p), "linear" (q < p), "gaussian" (s > 0). Default "usual".
    p, q, s : float or array_like of shape (n,), optional
        Preference, indifference and Gaussian thresholds, in the criteria's
        units; a number applies to every criterion.

    Returns
    -------
    ndarray, shape (m,) or (k, m)
        Net flow :math:`\\phi` in [-1, 1]; higher is better.

    Notes
    -----
    For alternatives a, b and criterion j, :math:`d_j(a,b) = \\delta_j
    (x_{aj} - x_{bj})` with direction :math:`\\delta_j = \\pm 1`;
    :math:`P_j(a,b) = F(d_j(a,b))` with

    * usual: :math:`[d > 0]`; ushape: :math:`[d > q]`;
    * vshape: :math:`\\min(1, \\max(0, d/p))`;
    * level: 0 for :math:`d \\le q`, 1/2 for :math:`q < d \\le p`, 1 above;
    * linear: :math:`\\min(1, \\max(0, (d-q)/(p-q)))`;
    * gaussian: :math:`1 - e^{-d^2/(2s^2)}` for :math:`d > 0`.

    :math:`\\pi(a,b) = \\sum_j w_j P_j(a,b)`,
    :math:`\\phi^+(a) = \\frac{1}{m-1}\\sum_b \\pi(a,b)`,
    :math:`\\phi^-(a) = \\frac{1}{m-1}\\sum_b \\pi(b,a)`,
    :math:`\\phi = \\phi^+ - \\phi^-`. With a single alternative every flow
    is 0. Identical to ``pymcdm.methods.PROMETHEE_II`` with the same
    function ("linear" is pymcdm's "vshape_2").

    References
    ----------
    .. [1] Brans, J. P., & Vincke, Ph. (1985). A preference ranking
       organisation method (The PROMETHEE method for multiple criteria
       decision-making). Management Science, 31(6), 647-656.
    """
    x, w, d, batched = _prepare(matrix, weights, directions)
    return _out(promethee_parts(x[None], w, d, preference, p, q, s)["net_flow"], batched)
