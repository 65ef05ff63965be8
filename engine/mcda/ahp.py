"""Analytic Hierarchy Process: priorities and consistency of pairwise judgments."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.mcda.arrays import describe_value, first_bad, readonly

__all__ = [
    "AHP_METHODS",
    "CR_THRESHOLD",
    "RANDOM_INDEX",
    "SAATY_SCALE",
    "AHPMethod",
    "AHPResult",
    "aggregate_judgments",
    "batch_priorities",
    "pairwise_matrix",
    "priorities",
    "revision_hint",
]

#: Saaty's random consistency index for n = 1..15 (RANDOM_INDEX[n - 1]).
RANDOM_INDEX: tuple[float, ...] = (
    0.0,
    0.0,
    0.58,
    0.90,
    1.12,
    1.24,
    1.32,
    1.41,
    1.45,
    1.49,
    1.51,
    1.48,
    1.56,
    1.57,
    1.59,
)

#: Saaty's rule: judgments with a consistency ratio below 0.10 are acceptably consistent.
CR_THRESHOLD = 0.10

#: The 17 values of Saaty's 1-9 scale and reciprocals, ascending.
SAATY_SCALE: tuple[float, ...] = tuple([1.0 / k for k in range(9, 1, -1)] + [float(k) for k in range(1, 10)])

_MAX_N = len(RANDOM_INDEX)
# a revision must lower CR by more than round-off to count as lowering it
_CR_GAIN = 1e-12
# slack so that judgments written with 6 decimals (0.111111 for 1/9) pass
_SCALE_SLACK = 1e-6

AHPMethod = Literal["eigen", "geometric"]

AHP_METHODS: tuple[AHPMethod, ...] = ("eigen", "geometric")


@dataclass(frozen=True)
class AHPResult:
    """Priorities derived from one pairwise comparison matrix.

    Attributes
    ----------
    weights : ndarray, shape (n,)
        Priority vector, positive, summing to 1 (read-only).
    lambda_max : float
        Principal eigenvalue (eigen) or its estimate mean((A w)_i / w_i)
        (geometric).
    ci : float
        Consistency index (lambda_max - n) / (n - 1); 0 for n <= 2.
    cr : float
        Consistency ratio CI / RI; 0 for n <= 2. Saaty's usual threshold of
        acceptability is :data:`CR_THRESHOLD` (0.10).
    method : str
        "eigen" or "geometric".
    n : int
        Order of the matrix.
    random_index : float
        The RI value used (:data:`RANDOM_INDEX`).
    """

    weights: NDArray[np.float64]
    lambda_max: float
    ci: float
    cr: float
    method: AHPMethod
    n: int
    random_index: float


def _validate_stack(a: NDArray[np.float64], tolerance: float, stacked: bool) -> None:
    """Check a stack (k, n, n) of pairwise comparison matrices."""
    n = a.shape[-1]
    if n < 1:
        raise ValueError("pairwise matrix is empty")
    if n > _MAX_N:
        raise ValueError(
            f"pairwise matrix is {n}x{n}; Saaty's random index is tabulated "
            f"only up to n={_MAX_N}, so split the criteria into groups of at "
            f"most {_MAX_N}"
        )

    # One pass settles the common case: positive entries whose reciprocal pairs multiply to 1
    # (a diagonal entry then squares to 1). NaN fails ``> 0`` and infinity fails the product, so
    # the detailed checks below only run to name what is wrong.
    if (a > 0).all() and (np.abs(a * np.swapaxes(a, -1, -2) - 1.0) <= tolerance).all():
        return

    def prefix(k: int) -> str:
        return f"pairwise matrix {k}" if stacked else "pairwise matrix"

    bad = ~np.isfinite(a)
    if bad.any():
        k, i, j = first_bad(bad)
        raise ValueError(f"{prefix(k)} has {describe_value(a[k, i, j])} at row {i}, column {j}")
    bad = a <= 0
    if bad.any():
        k, i, j = first_bad(bad)
        raise ValueError(f"{prefix(k)} entries must be positive; got {a[k, i, j]:g} at row {i}, column {j}")
    diag = np.diagonal(a, axis1=-2, axis2=-1)
    bad = np.abs(diag - 1.0) > tolerance
    if bad.any():
        k, i = first_bad(bad)
        raise ValueError(
            f"{prefix(k)} must have 1 on the diagonal; got {diag[k, i]:g} at row {i}, column {i}"
        )
    prod = a * np.swapaxes(a, -1, -2)
    bad = np.abs(prod - 1.0) > tolerance
    if bad.any():
        k, i, j = first_bad(np.triu(bad, 1) | np.tril(bad, -1))
        i, j = min(i, j), max(i, j)
        raise ValueError(
            f"{prefix(k)} is not reciprocal for the pair ({i}, {j}): a[{i},{j}] = "
            f"{a[k, i, j]:g} but a[{j},{i}] = {a[k, j, i]:g} (expected "
            f"{1.0 / a[k, i, j]:g})"
        )


def _as_stack(matrices: ArrayLike, tolerance: float, name: str) -> NDArray[np.float64]:
    try:
        a = np.array(matrices, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from None
    if a.ndim != 3 or a.shape[1] != a.shape[2]:
        raise ValueError(f"{name} must be a stack of square matrices, shape (k, n, n); got {a.shape}")
    if a.shape[0] == 0:
        raise ValueError(f"{name} is empty (k = 0)")
    _validate_stack(a, tolerance, stacked=True)
    return a


def _as_square(matrix: ArrayLike, tolerance: float) -> NDArray[np.float64]:
    try:
        a = np.array(matrix, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"pairwise matrix must be numeric: {exc}") from None
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"pairwise matrix must be 2-D and square; got shape {a.shape}")
    _validate_stack(a[None], tolerance, stacked=False)
    return a


def _check_method(method: str) -> None:
    if method not in AHP_METHODS:
        raise ValueError(f"method must be 'eigen' or 'geometric'; got {method!r}")


_FIRST_SQUARINGS = 6  # A^64: enough for every near-consistent matrix
_MORE_SQUARINGS = 6  # up to A^4096 for the stubborn ones before the eig fallback
_RESIDUAL = 1e-13  # relative spread of (A w)_i / w_i accepted as an eigenvector


def _perron_by_squaring(a: NDArray[np.float64]) -> tuple[NDArray, NDArray, NDArray]:
    """Perron vectors of a stack by repeated squaring; returns (w, lambda, converged).

    For a positive matrix, A^p / max(A^p) tends to a rank-one matrix whose rows are proportional
    to the Perron vector, at the rate (|lambda_2| / lambda_max)^p. A handful of matrix products
    on the whole stack is several times cheaper than a full eigendecomposition of each matrix,
    and an eigenvector is recognised exactly: every ratio (A w)_i / w_i equals lambda_max.
    """

    def step(m: NDArray) -> NDArray:
        m = m @ m
        m /= m.max(axis=(-2, -1), keepdims=True)
        return m

    def estimate(m: NDArray) -> tuple[NDArray, NDArray, NDArray]:
        w = m.sum(axis=-1)
        w /= w.sum(axis=-1, keepdims=True)
        positive = (w > 0).all(axis=-1)
        safe = np.where(w > 0, w, 1.0)
        ratios = (a @ safe[..., None])[..., 0] / safe
        lam = ratios.mean(axis=-1)
        spread = ratios.max(axis=-1) - ratios.min(axis=-1)
        return w, lam, positive & (spread <= _RESIDUAL * lam)

    # Scaled to a largest entry of 1, lambda_max is at most n <= 15, so A^64 stays below 15^64
    # (about 1e75) and needs no rescaling on the way: six bare products.
    m = a / a.max(axis=(-2, -1), keepdims=True)
    for _ in range(_FIRST_SQUARINGS):
        m = m @ m
    w, lam, done = estimate(m)
    m /= m.max(axis=(-2, -1), keepdims=True)
    for _ in range(_MORE_SQUARINGS):
        if done.all():
            break
        m = step(m)
        w_more, lam_more, done_more = estimate(m)
        w = np.where(done[:, None], w, w_more)
        lam = np.where(done, lam, lam_more)
        done = done | done_more
    return w, lam, done


def _perron_by_eig(a: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
    """Perron vectors and roots of a stack by a full eigendecomposition (the slow, sure path)."""
    vals, vecs = np.linalg.eig(a)
    # Perron-Frobenius: the dominant eigenvalue of a positive matrix is real and simple; take the
    # largest real part and drop round-off imaginary parts
    idx = np.argmax(vals.real, axis=-1)
    lam = np.take_along_axis(vals.real, idx[:, None], axis=-1)[:, 0]
    vec = np.take_along_axis(vecs.real, idx[:, None, None], axis=-1)[..., 0]
    w = vec / vec.sum(axis=-1, keepdims=True)
    # the Perron vector is strictly positive; only round-off can push a near-zero priority below 0
    w = np.maximum(w, 0.0)
    return w / w.sum(axis=-1, keepdims=True), lam


def _kernel(a: NDArray[np.float64], method: str) -> tuple[NDArray, NDArray]:
    """Weights (k, n) and lambda_max (k,) of a validated stack (k, n, n)."""
    n = a.shape[-1]
    if method == "eigen":
        w, lam, done = _perron_by_squaring(a)
        if not done.all():
            w[~done], lam[~done] = _perron_by_eig(a[~done])
    else:
        g = np.exp(np.mean(np.log(a), axis=-1))
        w = g / g.sum(axis=-1, keepdims=True)
        lam = np.mean(np.einsum("kij,kj->ki", a, w) / w, axis=-1)
    if n == 1:
        lam = np.ones_like(lam)
    return w, lam


def _consistency(lam: NDArray, n: int) -> tuple[NDArray, NDArray, float]:
    ri = RANDOM_INDEX[n - 1]
    if n <= 2:
        z = np.zeros_like(lam)
        return z, z.copy(), ri
    # lambda_max >= n for reciprocal matrices; below n only by round-off
    ci = np.maximum((lam - n) / (n - 1), 0.0)
    return ci, ci / ri, ri


def priorities(
    matrix: ArrayLike,
    method: AHPMethod = "eigen",
    *,
    tolerance: float = 1e-6,
) -> AHPResult:
    """Priority weights and consistency of a pairwise comparison matrix.

    Parameters
    ----------
    matrix : array_like, shape (n, n)
        Positive reciprocal matrix, ``a[i, j]`` = how many times item i is
        as important as item j; 1 <= n <= 15.
    method : {"eigen", "geometric"}, optional
        Principal right eigenvector (Saaty, default) or normalised row
        geometric means (Crawford & Williams).
    tolerance : float, optional
        Allowed deviation of ``a[i, j] * a[j, i]`` and of the diagonal from 1.

    Returns
    -------
    AHPResult

    Raises
    ------
    ValueError
        If the matrix is not square, has non-finite or non-positive entries,
        a diagonal entry other than 1, a non-reciprocal pair (named), or
        n > 15 (Saaty's RI is tabulated up to n = 15).

    Notes
    -----
    eigen: :math:`A w = \\lambda_{max} w`, with :math:`\\lambda_{max}` the
    real Perron root and :math:`w > 0`, :math:`\\sum w = 1`.

    geometric: :math:`w_i \\propto (\\prod_j a_{ij})^{1/n}` and
    :math:`\\lambda_{max} = \\frac{1}{n}\\sum_i (A w)_i / w_i`.

    :math:`CI = (\\lambda_{max} - n)/(n - 1)` (tiny negatives from rounding
    clipped to 0), :math:`CR = CI / RI_n` with :data:`RANDOM_INDEX`;
    CI = CR = 0 for n <= 2, where every reciprocal matrix is consistent.

    References
    ----------
    .. [1] Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill.
    .. [2] Saaty, T. L. (1987). The analytic hierarchy process - what it is
       and how it is used. Mathematical Modelling, 9(3-5), 161-176.
    .. [3] Crawford, G., & Williams, C. (1985). A note on the analysis of
       subjective judgment matrices. Journal of Mathematical Psychology,
       29(4), 387-405.
    """
    _check_method(method)
    a = _as_square(matrix, tolerance)
    n = a.shape[0]
    w, lam = _kernel(a[None], method)
    ci, cr, ri = _consistency(lam, n)
    return AHPResult(
        weights=readonly(w[0].copy()),
        lambda_max=float(lam[0]),
        ci=float(ci[0]),
        cr=float(cr[0]),
        method=method,
        n=n,
        random_index=float(ri),
    )


def batch_priorities(
    matrices: ArrayLike,
    method: AHPMethod = "eigen",
    *,
    tolerance: float = 1e-6,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Priorities and consistency ratios of a stack of matrices.

    Parameters
    ----------
    matrices : array_like, shape (k, n, n)
        Stack of pairwise comparison matrices (e.g. Monte Carlo
        perturbations of one set of judgments).
    method : {"eigen", "geometric"}, optional
    tolerance : float, optional
        As in :func:`priorities`.

    Returns
    -------
    weights : ndarray, shape (k, n)
    cr : ndarray, shape (k,)

    Notes
    -----
    Same mathematics as :func:`priorities`, computed for the whole stack at
    once (``numpy.linalg.eig`` on the stack).
    """
    _check_method(method)
    a = _as_stack(matrices, tolerance, "matrices")
    w, lam = _kernel(a, method)
    _, cr, _ = _consistency(lam, a.shape[-1])
    return w, cr


def pairwise_matrix(n: int, pairs: Iterable[tuple[int, int, float]]) -> NDArray[np.float64]:
    """Build a reciprocal pairwise comparison matrix from judgments.

    Parameters
    ----------
    n : int
        Number of items (>= 1).
    pairs : iterable of (i, j, value)
        Item i is `value` times as important as item j. Every unordered pair
        {i, j}, i != j, must appear exactly once, in either orientation.

    Returns
    -------
    ndarray, shape (n, n)
        ``a[i, j] = value``, ``a[j, i] = 1 / value``, ``a[i, i] = 1``.

    Raises
    ------
    ValueError
        For an index out of range, i == j, a duplicate or missing pair
        (named), or a value outside Saaty's range [1/9, 9].

    Notes
    -----
    Values are not snapped to :data:`SAATY_SCALE`: any number in [1/9, 9]
    (with a 1e-6 relative slack for 6-decimal spellings such as 0.111111)
    is accepted, as intermediate values are legitimate judgments.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer; got {n!r}")
    a = np.ones((n, n))
    seen: dict[tuple[int, int], int] = {}
    for pos, item in enumerate(pairs):
        try:
            i, j, value = item
        except (TypeError, ValueError):
            raise ValueError(f"judgment {pos} must be a triple (i, j, value); got {item!r}") from None
        for idx in (i, j):
            if isinstance(idx, bool) or not isinstance(idx, (int, np.integer)) or not 0 <= idx < n:
                raise ValueError(f"judgment {pos}: item index {idx!r} is not an integer in 0..{n - 1}")
        if i == j:
            raise ValueError(f"judgment {pos} compares item {i} with itself")
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"judgment {pos} ({i}, {j}): value {value!r} is not a number") from None
        if not (np.isfinite(v) and (1 / 9) * (1 - _SCALE_SLACK) <= v <= 9 * (1 + _SCALE_SLACK)):
            raise ValueError(f"judgment {pos} ({i}, {j}): value {v:g} is outside Saaty's scale [1/9, 9]")
        key = (min(i, j), max(i, j))
        if key in seen:
            raise ValueError(f"pair ({key[0]}, {key[1]}) is judged twice (judgments {seen[key]} and {pos})")
        seen[key] = pos
        a[i, j] = v
        a[j, i] = 1.0 / v
    if len(seen) != n * (n - 1) // 2:
        iu, ju = np.triu_indices(n, 1)
        missing = [(int(i), int(j)) for i, j in zip(iu, ju, strict=True) if (i, j) not in seen]
        shown = ", ".join(f"({i}, {j})" for i, j in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise ValueError(f"missing judgment for pair(s) {shown}{more}")
    return a


def aggregate_judgments(matrices: ArrayLike, weights: ArrayLike | None = None) -> NDArray[np.float64]:
    """Aggregate individual judgment matrices by weighted geometric mean (AIJ).

    Parameters
    ----------
    matrices : array_like, shape (k, n, n)
        One pairwise comparison matrix per decision maker.
    weights : array_like, shape (k,), optional
        Decision makers' weights, >= 0 and not all zero; renormalised to sum
        1. Default: equal weights.

    Returns
    -------
    ndarray, shape (n, n)
        The aggregated matrix, exactly reciprocal. A single matrix is
        returned unchanged.

    Notes
    -----
    .. math:: a^G_{ij} = \\prod_k a^{(k)}_{ij}\\,^{\\lambda_k}, \\qquad
              \\sum_k \\lambda_k = 1.

    The weighted geometric mean is the only aggregation that preserves
    reciprocity and satisfies the unanimity and homogeneity conditions
    (Aczél & Saaty 1983); it is the recommended aggregation of individual
    judgments when a group acts as one unit (Forman & Peniwati 1998).

    References
    ----------
    .. [1] Aczél, J., & Saaty, T. L. (1983). Procedures for synthesizing
       ratio judgements. Journal of Mathematical Psychology, 27(1), 93-102.
    .. [2] Forman, E., & Peniwati, K. (1998). Aggregating individual
       judgments and priorities with the analytic hierarchy process.
       European Journal of Operational Research, 108(1), 165-169.
    """
    a = _as_stack(matrices, 1e-6, "matrices")
    k = a.shape[0]
    if weights is None:
        lam = np.full(k, 1.0 / k)
    else:
        lam = np.array(weights, dtype=np.float64)
        if lam.shape != (k,):
            raise ValueError(f"weights must have one entry per matrix ({k}); got shape {lam.shape}")
        bad = ~np.isfinite(lam) | (lam < 0)
        if bad.any():
            (i,) = first_bad(bad)
            raise ValueError(
                f"weights must be finite and non-negative; got {describe_value(lam[i])} at position {i}"
            )
        if lam.sum() <= 0:
            raise ValueError("weights must not be all zero")
        lam = lam / lam.sum()
    if k == 1:
        return a[0].copy()
    logs = np.einsum("k,kij->ij", lam, np.log(a))
    upper = np.triu(logs, 1)
    # build from the upper triangle so the result is exactly reciprocal
    return np.exp(upper - upper.T)


def _single_changes(
    a: NDArray[np.float64], values: NDArray[np.float64], method: AHPMethod
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """CR after setting each upper-triangle judgment to each of ``values``: rows, cols, cr (p, v)."""
    n = a.shape[0]
    rows, cols = np.triu_indices(n, 1)
    p, v = rows.size, values.size
    stack = np.broadcast_to(a, (p, v, n, n)).copy()
    pick_p = np.repeat(np.arange(p), v)
    pick_v = np.tile(np.arange(v), p)
    stack[pick_p, pick_v, rows[pick_p], cols[pick_p]] = values[pick_v]
    stack[pick_p, pick_v, cols[pick_p], rows[pick_p]] = 1.0 / values[pick_v]
    _, lam = _kernel(stack.reshape(p * v, n, n), method)
    _, cr, _ = _consistency(lam, n)
    return rows, cols, cr.reshape(p, v)


def revision_hint(
    matrix: ArrayLike, weights: ArrayLike, *, method: AHPMethod = "eigen"
) -> tuple[int, int, float] | None:
    """The judgment to revise first, and a Saaty value for it that lowers CR.

    Parameters
    ----------
    matrix : array_like, shape (n, n)
        Pairwise comparison matrix, n >= 2.
    weights : array_like, shape (n,)
        Priorities derived from it (positive).
    method : {"eigen", "geometric"}, optional
        The priority method whose CR the revision must lower.

    Returns
    -------
    (i, j, value) or None
        The pair (i < j) and its new value, or None when no change of a single judgment to a
        value of :data:`SAATY_SCALE` lowers CR (a consistent matrix, or n = 2).

    Notes
    -----
    The judgments are taken in order of their log error
    :math:`|\\ln a_{ij} - \\ln(w_i / w_j)|`, largest first (row-major order on ties), each with
    the scale value nearest to :math:`w_i / w_j` on a log scale: the value that agrees with the
    other judgments. A judgment whose nearest value is the one it has already (an extreme 9 that
    the priorities would make 12) or whose change would not lower CR is skipped, so the most
    inconsistent judgment that can actually be improved is named. When none can, the single
    change to any scale value that lowers CR the most is proposed. Every CR is computed exactly
    (one batched solve of the n (n - 1) / 2 * 17 modified matrices), so applying the hint always
    lowers CR, and applying it repeatedly ends below the threshold or where no single change
    helps.

    The log error is the natural measure for ratio judgments (it treats 3 and 1/3 symmetrically)
    and is the largest term of the geometric consistency index of Aguarón & Moreno-Jiménez (2003).

    References
    ----------
    .. [1] Saaty, T. L. (2003). Decision-making with the AHP: Why is the principal eigenvector
       necessary. European Journal of Operational Research, 145(1), 85-91.
    .. [2] Aguarón, J., & Moreno-Jiménez, J. M. (2003). The geometric consistency index:
       Approximated thresholds. European Journal of Operational Research, 147(1), 137-145.
    """
    _check_method(method)
    a = _as_square(matrix, 1e-6)
    n = a.shape[0]
    if n < 2:
        raise ValueError("revision_hint needs at least 2 items (there is no judgment to revise)")
    w = np.array(weights, dtype=np.float64)
    if w.shape != (n,):
        raise ValueError(f"weights must have shape ({n},) to match the matrix; got {w.shape}")
    bad = ~np.isfinite(w) | (w <= 0)
    if bad.any():
        (i,) = first_bad(bad)
        raise ValueError(f"weights must be finite and positive; got {describe_value(w[i])} at position {i}")
    if n == 2:
        return None
    scale = np.array(SAATY_SCALE)
    _, lam = _kernel(a[None], method)
    _, before, _ = _consistency(lam, n)
    rows, cols, cr = _single_changes(a, scale, method)
    lw = np.log(w)
    target = lw[rows] - lw[cols]
    current = a[rows, cols]
    nearest = np.argmin(np.abs(np.log(scale)[None, :] - target[:, None]), axis=1)
    lowers = cr < before[0] - _CR_GAIN
    helps = lowers[np.arange(rows.size), nearest] & ~np.isclose(scale[nearest], current, rtol=1e-9, atol=0)
    if helps.any():
        by_error = np.argsort(-np.abs(np.log(current) - target), kind="stable")
        k = int(by_error[helps[by_error]][0])
        return int(rows[k]), int(cols[k]), float(scale[nearest[k]])
    best, value = (int(i) for i in np.unravel_index(int(np.argmin(cr)), cr.shape))
    if not lowers[best, value]:
        return None
    return int(rows[best]), int(cols[best]), float(scale[value])
