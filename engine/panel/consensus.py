"""How far an expert panel agrees: the statistics Chinese Delphi studies report.

* :func:`concordance`: Kendall's coefficient of concordance W of the experts' rankings, with the
  tie correction, its chi-square statistic m(n - 1)W, the degrees of freedom and the p-value;
* :func:`coefficient_of_variation`: per item, the sample standard deviation over the mean;
* :func:`authority`: the expert authority coefficient 专家权威系数 Cr = (Ca + Cs) / 2 from the
  experts' self-rated basis of judgment and familiarity;
* :func:`outlier_experts`: experts whose priority vector lies far from the group's, by a robust
  z-score of the distances;
* :func:`dispersion`: per criterion, the spread of the experts' weights (quartiles, IQR, CV).

Answers are arrays with one row per expert and one column per item (a criterion, a
countermeasure, a pairwise judgment); NaN marks an item an expert did not answer where a function
says it accepts that. Everything is vectorised over experts and items. Bad arrays raise
``ValueError`` naming the expert (row) and item (column), as the numeric kernels of
:mod:`engine.mcda` do; the readers of panel answers report problems in files with
:class:`engine.errors.InputError` before anything reaches this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.mcda.arrays import describe_value, first_bad, readonly
from engine.mcda.ranking import average_ranks

__all__ = [
    "AUTHORITY_THRESHOLD",
    "BASIS_COEFFICIENTS",
    "BASIS_SOURCES",
    "FAMILIARITY_COEFFICIENTS",
    "FAMILIARITY_LEVELS",
    "INFLUENCE_LEVELS",
    "OUTLIER_THRESHOLD",
    "QUANTILE_METHODS",
    "Authority",
    "Concordance",
    "Dispersion",
    "Outliers",
    "QuantileMethod",
    "authority",
    "coefficient_of_variation",
    "concordance",
    "dispersion",
    "outlier_experts",
]

Array = NDArray[np.float64]

# ---------------------------------------------------------------- Kendall's W


@dataclass(frozen=True)
class Concordance:
    """Kendall's coefficient of concordance of m experts ranking n items, and its test.

    Attributes
    ----------
    w : float
        Kendall's W in [0, 1], corrected for ties.
    chi2 : float
        The statistic m (n - 1) W, approximately chi-square under "no agreement".
    df : int
        Degrees of freedom, n - 1.
    experts, items : int
        m and n.
    rank_sums : ndarray, shape (n,)
        Each item's sum of mid-ranks over the experts (1 = lowest score unless
        ``higher_is_better``, then 1 = best).
    s : float
        Sum of squared deviations of the rank sums from their mean.
    ties : float
        :math:`\\sum_i \\sum_g (t_g^3 - t_g)` over every expert's groups of tied items (0 without
        ties).
    """

    w: float
    chi2: float
    df: int
    experts: int
    items: int
    rank_sums: Array
    s: float
    ties: float

    @property
    def p_value(self) -> float:
        """Upper-tail probability of ``chi2`` under the chi-square law with ``df`` degrees of freedom.

        Computed when asked, so that W alone (as :mod:`engine.insight.groups` uses it) does not
        import scipy.stats.
        """
        return chi2_upper_tail(self.chi2, self.df)

    def significant(self, alpha: float = 0.05) -> bool:
        """Whether the agreement is significant at level ``alpha`` (p < alpha)."""
        return self.p_value < alpha


def _answers(values: ArrayLike, name: str, *, allow_missing: bool) -> Array:
    try:
        x = np.array(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from None
    if x.ndim != 2:
        raise ValueError(f"{name} must be 2-D (experts x items); got shape {x.shape}")
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"{name} needs at least one expert and one item; got shape {x.shape}")
    bad = np.isinf(x) if allow_missing else ~np.isfinite(x)
    if bad.any():
        i, j = first_bad(bad)
        raise ValueError(f"{name} has {describe_value(x[i, j])} for expert {i}, item {j}")
    return x


def tie_sum(x: Array) -> float:
    """:math:`\\sum (t^3 - t)` over the groups of equal values in every row of ``x``."""
    ordered = np.sort(x, axis=1)
    starts = np.ones(ordered.shape, dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    # every row opens a new group, so one running count numbers the groups of all rows at once
    sizes = np.bincount(np.cumsum(starts.ravel()) - 1).astype(np.float64)
    return float(np.sum(sizes**3 - sizes))


def concordance(scores: ArrayLike, *, higher_is_better: bool = True) -> Concordance:
    """Kendall's W of the experts' rankings of the items, with its chi-square test.

    Parameters
    ----------
    scores : array_like, shape (m, n)
        One row per expert: scores of the n items (e.g. importance on a 1-5 or 1-9 scale), or
        ranks. Each row is turned into mid-ranks, so only the order within a row matters and
        equal scores are ties. Every expert must answer every item (no NaN).
    higher_is_better : bool, optional
        Whether a larger score means a higher place (default). For ranks (1 = first) either
        value gives the same W.

    Returns
    -------
    Concordance

    Raises
    ------
    ValueError
        For fewer than 2 experts or 2 items (there is nothing to agree on), or a missing or
        non-finite answer (named by expert and item).

    Notes
    -----
    With :math:`R_j` the sum of the m experts' mid-ranks of item j and
    :math:`S = \\sum_j (R_j - \\bar R)^2`,

    .. math:: W = \\frac{12 S}{m^2 (n^3 - n) - m \\sum T},
              \\qquad T = \\sum_g (t_g^3 - t_g),

    summing T over every expert's groups of :math:`t_g` tied items (Kendall & Babington Smith
    1939; Siegel & Castellan 1988, eq. 9.16). Under the hypothesis that the rankings are
    independent, :math:`\\chi^2 = m (n - 1) W` is approximately chi-square with n - 1 degrees of
    freedom (Siegel & Castellan 1988, eq. 9.18; the approximation is recommended for n > 7). It is
    Friedman's statistic, so the p-value equals R's ``friedman.test`` on the same data.

    When every expert gives every item the same score the denominator is 0; W is then 1 (the
    experts agree completely: they all see no difference), the convention of
    :func:`engine.insight.groups.kendall_w`.

    References
    ----------
    .. [1] Kendall, M. G., & Babington Smith, B. (1939). The problem of m rankings. The Annals of
       Mathematical Statistics, 10(3), 275-287.
    .. [2] Siegel, S., & Castellan, N. J. (1988). Nonparametric Statistics for the Behavioral
       Sciences (2nd ed.), section 9.4. McGraw-Hill.
    """
    x = _answers(scores, "scores", allow_missing=False)
    m, n = x.shape
    if m < 2 or n < 2:
        raise ValueError(f"Kendall's W needs at least 2 experts and 2 items; got {m} and {n}")
    ranks = average_ranks(-x if higher_is_better else x)
    rank_sums = ranks.sum(axis=0)
    s = float(np.sum((rank_sums - rank_sums.mean()) ** 2))
    ties = tie_sum(x)
    denominator = m**2 * (n**3 - n) - m * ties
    # rank sums are multiples of 1/2, so S and the denominator are exact in float64; a
    # denominator of 0 means every expert tied every item
    w = 1.0 if denominator <= 0 else min(12.0 * s / denominator, 1.0)
    df = n - 1
    chi2 = m * df * w
    return Concordance(
        w=w,
        chi2=chi2,
        df=df,
        experts=m,
        items=n,
        rank_sums=readonly(rank_sums),
        s=s,
        ties=ties,
    )


def chi2_upper_tail(statistic: float, df: int) -> float:
    """P(X >= statistic) for X chi-square with ``df`` degrees of freedom."""
    from scipy.stats import chi2  # imported here: scipy.stats is slow to import

    return float(chi2.sf(statistic, df))


# ---------------------------------------------------------------- coefficient of variation


def coefficient_of_variation(values: ArrayLike, *, ddof: int = 1) -> Array:
    """Coefficient of variation of each item over the experts: standard deviation / mean.

    Parameters
    ----------
    values : array_like, shape (m, n)
        One row per expert, one column per item; NaN = not answered (left out of that item).
    ddof : int, optional
        1 (default): the sample standard deviation, divisor m - 1, as SPSS and Excel's STDEV
        compute it and as Chinese Delphi studies report 变异系数 CV = σ / x̄. 0 gives the
        population standard deviation.

    Returns
    -------
    ndarray, shape (n,)
        CV per item. NaN where it is undefined: fewer than ``ddof + 1`` answers, or a mean <= 0
        (CV describes spread relative to a positive level, such as importance scores or weights).

    Notes
    -----
    .. math:: CV_j = \\frac{s_j}{\\bar x_j}, \\qquad
              s_j = \\sqrt{\\frac{1}{m_j - 1} \\sum_i (x_{ij} - \\bar x_j)^2}.

    A common reading in Delphi studies is that CV < 0.25 shows good coordination of the experts'
    opinions on an item (see :mod:`engine.panel.rounds`).

    References
    ----------
    .. [1] 王春枝, 斯琴 (2011). 德尔菲法中的数据统计处理方法及其应用研究. 内蒙古财经学院学报.
    """
    x = _answers(values, "values", allow_missing=True)
    if isinstance(ddof, bool) or not isinstance(ddof, (int, np.integer)) or ddof < 0:
        raise ValueError(f"ddof must be a non-negative integer; got {ddof!r}")
    return _cv(x, int(ddof))


def _cv(x: Array, ddof: int) -> Array:
    answered = ~np.isnan(x)
    count = answered.sum(axis=0)
    filled = np.where(answered, x, 0.0)
    safe_count = np.maximum(count, 1)
    mean = filled.sum(axis=0) / safe_count
    squares = np.where(answered, (x - mean) ** 2, 0.0).sum(axis=0)
    defined = (count > ddof) & (mean > 0)
    std = np.sqrt(squares / np.where(defined, count - ddof, 1))
    return np.where(defined, std / np.where(defined, mean, 1.0), np.nan)


# ---------------------------------------------------------------- authority coefficient

#: The four bases of judgment an expert rates: 实践经验, 理论分析, 参考国内外资料, 直观感觉.
BASIS_SOURCES: tuple[tuple[str, str], ...] = (
    ("实践经验", "practical experience"),
    ("理论分析", "theoretical analysis"),
    ("参考国内外资料", "domestic and foreign literature"),
    ("直观感觉", "intuition"),
)

#: How much a basis influenced the judgment: 大, 中, 小 (codes 0, 1, 2).
INFLUENCE_LEVELS: tuple[tuple[str, str], ...] = (("大", "high"), ("中", "medium"), ("小", "low"))

#: Judgment coefficients, rows in :data:`BASIS_SOURCES` order, columns in :data:`INFLUENCE_LEVELS`
#: order. Ca, the sum over the four bases, runs from 0.5 (every basis of low influence) to 1.0.
BASIS_COEFFICIENTS: tuple[tuple[float, float, float], ...] = (
    (0.5, 0.4, 0.3),
    (0.3, 0.2, 0.1),
    (0.1, 0.1, 0.05),
    (0.1, 0.1, 0.05),
)

#: Self-rated familiarity: 很熟悉, 熟悉, 一般, 不太熟悉, 不熟悉 (codes 0..4).
FAMILIARITY_LEVELS: tuple[tuple[str, str], ...] = (
    ("很熟悉", "very familiar"),
    ("熟悉", "familiar"),
    ("一般", "moderately familiar"),
    ("不太熟悉", "not very familiar"),
    ("不熟悉", "unfamiliar"),
)

#: Familiarity coefficients Cs, in :data:`FAMILIARITY_LEVELS` order.
FAMILIARITY_COEFFICIENTS: tuple[float, ...] = (1.0, 0.8, 0.5, 0.2, 0.0)

#: Cr >= 0.7 is the usual reading of an acceptably authoritative panel.
AUTHORITY_THRESHOLD = 0.7


@dataclass(frozen=True)
class Authority:
    """The authority coefficients of a panel.

    Attributes
    ----------
    ca : ndarray
        Judgment coefficient (判断系数) per expert (or per expert and item).
    cs : ndarray
        Familiarity coefficient (熟悉程度系数), same shape.
    cr : ndarray
        Authority coefficient (权威系数) (Ca + Cs) / 2, same shape.
    mean : float
        The panel's Cr, the mean of ``cr``.
    threshold : float
        The level Cr is compared with (default :data:`AUTHORITY_THRESHOLD`).
    """

    ca: Array
    cs: Array
    cr: Array
    mean: float
    threshold: float

    @property
    def acceptable(self) -> bool:
        """Whether the panel's mean Cr reaches the threshold."""
        return self.mean >= self.threshold


def _codes(values: ArrayLike, levels: int, name: str) -> NDArray[np.intp]:
    raw = np.asarray(values)
    if raw.size and raw.dtype.kind not in "iu":
        raise ValueError(f"{name} must be integer codes 0..{levels - 1}; got values of type {raw.dtype}")
    codes = raw.astype(np.intp)
    bad = (codes < 0) | (codes >= levels)
    if bad.any():
        where = first_bad(bad)
        raise ValueError(f"{name} must be codes 0..{levels - 1}; got {codes[where]} at {where}")
    return codes


def authority(
    basis: ArrayLike,
    familiarity: ArrayLike,
    *,
    basis_coefficients: ArrayLike = BASIS_COEFFICIENTS,
    familiarity_coefficients: ArrayLike = FAMILIARITY_COEFFICIENTS,
    threshold: float = AUTHORITY_THRESHOLD,
) -> Authority:
    """Expert authority coefficient 专家权威系数 Cr = (Ca + Cs) / 2.

    Parameters
    ----------
    basis : array_like of int, shape (..., 4)
        For each of the four bases of judgment (:data:`BASIS_SOURCES`: practical experience,
        theoretical analysis, literature, intuition), the influence the expert gave it, as a code
        of :data:`INFLUENCE_LEVELS` (0 大 high, 1 中 medium, 2 小 low). Shape (m, 4) for one
        rating per expert, (m, n, 4) for one per expert and item.
    familiarity : array_like of int, shape (...)
        Code of :data:`FAMILIARITY_LEVELS` (0 很熟悉 ... 4 不熟悉), broadcastable with
        ``basis[..., 0]``.
    basis_coefficients : array_like, shape (4, 3), optional
        The judgment-coefficient table (default :data:`BASIS_COEFFICIENTS`).
    familiarity_coefficients : array_like, shape (5,), optional
        The familiarity table (default :data:`FAMILIARITY_COEFFICIENTS`).
    threshold : float, optional
        Cr at or above which the panel counts as authoritative (default 0.7).

    Returns
    -------
    Authority

    Notes
    -----
    .. math:: C_a = \\sum_{b=1}^{4} c_{b,\\ell_b}, \\qquad C_s = f_{\\ell}, \\qquad
              C_r = \\frac{C_a + C_s}{2},

    with the tables

    ============== ====== ====== ======
    basis           大     中     小
    ============== ====== ====== ======
    实践经验        0.5    0.4    0.3
    理论分析        0.3    0.2    0.1
    参考国内外资料  0.1    0.1    0.05
    直观感觉        0.1    0.1    0.05
    ============== ====== ====== ======

    and familiarity 很熟悉 1.0, 熟悉 0.8, 一般 0.5, 不太熟悉 0.2, 不熟悉 0.0. These are the
    tables of the Delphi method as taught in Chinese epidemiology and management (曾光 1994) and
    used, with small variations between studies (some give 0.1 for a low influence of the
    literature or of intuition, or 0.6/0.4 for intermediate familiarity), in Delphi studies
    since; both tables are arguments so that a study's own can be used, and the defaults are
    recorded here. Cr >= 0.7 is the usual threshold of acceptable authority.

    References
    ----------
    .. [1] 曾光 (主编) (1994). 现代流行病学方法与应用. 北京: 北京医科大学中国协和医科大学联合出版社.
    .. [2] 王春枝, 斯琴 (2011). 德尔菲法中的数据统计处理方法及其应用研究. 内蒙古财经学院学报.
    """
    table = np.array(basis_coefficients, dtype=np.float64)
    if table.shape != (len(BASIS_SOURCES), len(INFLUENCE_LEVELS)) or not np.isfinite(table).all():
        raise ValueError(f"basis_coefficients must be a finite 4 x 3 table; got shape {table.shape}")
    familiar = np.array(familiarity_coefficients, dtype=np.float64)
    if familiar.shape != (len(FAMILIARITY_LEVELS),) or not np.isfinite(familiar).all():
        raise ValueError(f"familiarity_coefficients must be 5 finite numbers; got shape {familiar.shape}")
    if not np.isfinite(threshold):
        raise ValueError(f"threshold must be a finite number; got {threshold!r}")
    b = _codes(basis, len(INFLUENCE_LEVELS), "basis")
    if b.ndim < 1 or b.shape[-1] != len(BASIS_SOURCES):
        raise ValueError(
            f"basis must have one code per basis of judgment in its last axis (4); got {b.shape}"
        )
    f = _codes(familiarity, len(FAMILIARITY_LEVELS), "familiarity")
    ca = table[np.arange(len(BASIS_SOURCES)), b].sum(axis=-1)
    try:
        ca, cs = np.broadcast_arrays(ca, familiar[f])
    except ValueError:
        raise ValueError(
            f"familiarity of shape {f.shape} does not match the basis ratings of shape {b.shape[:-1]}"
        ) from None
    cr = (ca + cs) / 2.0
    if cr.size == 0:
        raise ValueError("there is no rating to compute an authority coefficient from")
    return Authority(
        ca=readonly(ca.copy()),
        cs=readonly(cs.copy()),
        cr=readonly(cr),
        mean=float(cr.mean()),
        threshold=float(threshold),
    )


# ---------------------------------------------------------------- outlier experts

#: Iglewicz and Hoaglin's cut-off for the modified z-score.
OUTLIER_THRESHOLD = 3.5

# 0.6745 is the 0.75 quantile of the standard normal law (MAD of a normal sample / sigma);
# 0.7979 = sqrt(2 / pi) is the mean absolute deviation of a standard normal law
_MAD_SCALE = 0.6745
_MEAN_AD_SCALE = 0.7979

Metric = Literal["euclidean", "manhattan"]

#: The sample-quantile definitions of ``numpy.quantile`` (Hyndman & Fan 1996).
QuantileMethod = Literal[
    "inverted_cdf",
    "averaged_inverted_cdf",
    "closest_observation",
    "interpolated_inverted_cdf",
    "hazen",
    "weibull",
    "linear",
    "median_unbiased",
    "normal_unbiased",
]
QUANTILE_METHODS: tuple[str, ...] = QuantileMethod.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Outliers:
    """Experts far from the group.

    Attributes
    ----------
    distance : ndarray, shape (m,)
        Each expert's distance from ``reference``.
    z : ndarray, shape (m,)
        Modified z-score of each distance (0 for all when every distance is the same).
    flagged : ndarray of bool, shape (m,)
        ``z > threshold``: only experts unusually *far* from the group are outliers.
    reference : ndarray, shape (n,)
        The group's priority vector the distances are measured from.
    threshold : float
    metric : str
    """

    distance: Array
    z: Array
    flagged: NDArray[np.bool_]
    reference: Array
    threshold: float
    metric: str

    @property
    def experts(self) -> tuple[int, ...]:
        """Indices of the flagged experts, farthest first."""
        order = np.argsort(-self.z, kind="stable")
        return tuple(int(i) for i in order if self.flagged[i])


def robust_z(values: Array) -> Array:
    """Modified z-scores 0.6745 (x - median) / MAD (Iglewicz & Hoaglin 1993).

    When the MAD is 0 (more than half of the values are equal) the mean absolute deviation from
    the median, scaled by 0.7979, takes its place; when that is 0 too every value is the median
    and every score is 0.
    """
    centre = np.median(values)
    deviation = np.abs(values - centre)
    mad = np.median(deviation)
    if mad > 0:
        return _MAD_SCALE * (values - centre) / mad
    mean_ad = deviation.mean()
    if mean_ad > 0:
        return _MEAN_AD_SCALE * (values - centre) / mean_ad
    return np.zeros_like(values)


def outlier_experts(
    priorities: ArrayLike,
    *,
    reference: ArrayLike | None = None,
    weights: ArrayLike | None = None,
    metric: Metric = "euclidean",
    threshold: float = OUTLIER_THRESHOLD,
) -> Outliers:
    """Experts whose priority vector is unusually far from the group's.

    Parameters
    ----------
    priorities : array_like, shape (m, n)
        Each expert's priorities (e.g. global leaf weights), one row per expert.
    reference : array_like, shape (n,), optional
        The group's priorities (e.g. the panel's aggregate). Default: the mean of the rows,
        weighted by ``weights``.
    weights : array_like, shape (m,), optional
        Expert weights for the default reference (default: equal).
    metric : {"euclidean", "manhattan"}, optional
        Distance between priority vectors.
    threshold : float, optional
        Modified z-score above which an expert is flagged (default 3.5).

    Returns
    -------
    Outliers

    Notes
    -----
    :math:`d_i = \\lVert w^{(i)} - \\bar w \\rVert` and
    :math:`z_i = 0.6745 (d_i - \\tilde d) / \\operatorname{MAD}(d)`, with :math:`\\tilde d` the
    median distance. The median and MAD are not pulled by the outliers themselves, unlike a mean
    and standard deviation, which matters in panels of 5 to 30 experts where one far expert
    inflates the standard deviation enough to hide. Iglewicz and Hoaglin recommend flagging
    :math:`|z| > 3.5`; distances are one-sided (an expert unusually close to the group is no
    concern), so only :math:`z > 3.5` flags. With two experts nobody is flagged: both are equally
    far from their mean.

    References
    ----------
    .. [1] Iglewicz, B., & Hoaglin, D. C. (1993). How to Detect and Handle Outliers. ASQC Basic
       References in Quality Control, vol. 16. ASQC Quality Press.
    """
    x = _answers(priorities, "priorities", allow_missing=False)
    m, n = x.shape
    if metric not in ("euclidean", "manhattan"):
        raise ValueError(f"metric must be 'euclidean' or 'manhattan'; got {metric!r}")
    if not np.isfinite(threshold):
        raise ValueError(f"threshold must be a finite number; got {threshold!r}")
    if reference is None:
        lam = _expert_weights(weights, m)
        ref = lam @ x
    else:
        ref = np.array(reference, dtype=np.float64)
        if ref.shape != (n,) or not np.isfinite(ref).all():
            raise ValueError(f"reference must be {n} finite numbers; got shape {ref.shape}")
    gap = x - ref
    distance = np.sqrt(np.sum(gap**2, axis=1)) if metric == "euclidean" else np.sum(np.abs(gap), axis=1)
    z = robust_z(distance)
    return Outliers(
        distance=readonly(distance),
        z=readonly(z),
        flagged=readonly(z > threshold),
        reference=readonly(ref),
        threshold=float(threshold),
        metric=metric,
    )


def _expert_weights(weights: ArrayLike | None, m: int) -> Array:
    if weights is None:
        return np.full(m, 1.0 / m)
    lam = np.array(weights, dtype=np.float64)
    if lam.shape != (m,):
        raise ValueError(f"weights must have one entry per expert ({m}); got shape {lam.shape}")
    bad = ~np.isfinite(lam) | (lam < 0)
    if bad.any():
        (i,) = first_bad(bad)
        raise ValueError(f"weights must be finite and >= 0; got {describe_value(lam[i])} for expert {i}")
    if lam.sum() <= 0:
        raise ValueError("the experts' weights must not all be zero")
    return lam / lam.sum()


# ---------------------------------------------------------------- dispersion per criterion


@dataclass(frozen=True)
class Dispersion:
    """Spread of the experts' answers per item (criterion weights, scores, judgments).

    Every field has shape (n,). ``q1``, ``median`` and ``q3`` are quantiles 0.25, 0.5, 0.75 by
    ``quantile_method``; ``iqr`` = q3 - q1; ``std`` is the sample standard deviation and ``cv`` =
    std / mean (NaN where undefined, see :func:`coefficient_of_variation`); ``count`` is the
    number of experts who answered the item.
    """

    count: NDArray[np.int64]
    mean: Array
    std: Array
    cv: Array
    low: Array
    q1: Array
    median: Array
    q3: Array
    high: Array
    iqr: Array
    quantile_method: str


def quartiles(x: Array, method: QuantileMethod) -> tuple[Array, Array, Array]:
    """Quantiles 0.25, 0.5 and 0.75 of each column of ``x`` (k, n), NaN entries left out; NaN for
    a column without any value."""
    if method not in QUANTILE_METHODS:
        raise ValueError(f"quantile_method must be one of {', '.join(QUANTILE_METHODS)}; got {method!r}")
    out = np.full((3, x.shape[1]), np.nan)
    some = ~np.isnan(x).all(axis=0)
    if some.any():
        out[:, some] = np.nanquantile(x[:, some], [0.25, 0.5, 0.75], axis=0, method=method)
    return out[0], out[1], out[2]


def dispersion(values: ArrayLike, *, quantile_method: QuantileMethod = "linear") -> Dispersion:
    """Per item, how the experts' answers spread: quartiles, IQR, range, mean, sample SD and CV.

    Parameters
    ----------
    values : array_like, shape (m, n)
        One row per expert (e.g. each expert's criterion weights); NaN = not answered. Every item
        needs at least one answer.
    quantile_method : str, optional
        ``numpy.quantile``'s method: "linear" (default; Hyndman & Fan type 7, R's and Excel's
        QUARTILE.INC default) or e.g. "weibull" (type 6, SPSS's default).

    Returns
    -------
    Dispersion

    References
    ----------
    .. [1] Hyndman, R. J., & Fan, Y. (1996). Sample quantiles in statistical packages. The
       American Statistician, 50(4), 361-365.
    .. [2] von der Gracht, H. A. (2012). Consensus measurement in Delphi studies: Review and
       implications for future quality assurance. Technological Forecasting and Social Change,
       79(8), 1525-1536.
    """
    x = _answers(values, "values", allow_missing=True)
    count = (~np.isnan(x)).sum(axis=0)
    if (count == 0).any():
        (j,) = first_bad(count == 0)
        raise ValueError(f"item {j} has no answer")
    q1, median, q3 = quartiles(x, quantile_method)
    mean = np.nanmean(x, axis=0)
    std = np.sqrt(np.nansum((x - mean) ** 2, axis=0) / np.maximum(count - 1, 1))
    std = np.where(count > 1, std, np.nan)
    return Dispersion(
        count=readonly(count.astype(np.int64)),
        mean=readonly(mean),
        std=readonly(std),
        cv=readonly(_cv(x, 1)),
        low=readonly(np.nanmin(x, axis=0)),
        q1=readonly(np.asarray(q1)),
        median=readonly(np.asarray(median)),
        q3=readonly(np.asarray(q3)),
        high=readonly(np.nanmax(x, axis=0)),
        iqr=readonly(np.asarray(q3 - q1)),
        quantile_method=quantile_method,
    )
