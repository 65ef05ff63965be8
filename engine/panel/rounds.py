"""Delphi rounds compared: agreement per round and whether the panel has converged.

Chinese Delphi studies report, for each round, Kendall's W with its chi-square test and the
coefficient of variation of each item, and stop when the experts' opinions are coordinated
(协调) and stable. :func:`compare_rounds` computes those figures for rounds 1..k and applies one
written rule, so the panel page and the memo say "converged" for the same reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.mcda.arrays import readonly
from engine.panel.consensus import Concordance, coefficient_of_variation, concordance

__all__ = ["CV_MAX", "SIGNIFICANCE", "RoundComparison", "compare_rounds"]

#: Level at which the last round's W must be significant.
SIGNIFICANCE = 0.05

#: Every item's coefficient of variation must be below this in the last round.
CV_MAX = 0.25


@dataclass(frozen=True)
class RoundComparison:
    """Agreement in every round and the verdict on convergence.

    Attributes
    ----------
    concordance : tuple of Concordance
        Kendall's W, chi-square, df and p-value of each round, in order.
    cv : ndarray, shape (rounds, n)
        Coefficient of variation of each item in each round (NaN where undefined).
    w_rising : bool
        The last round's W is at least the previous round's (False with a single round).
    significant : bool
        The last round's W is significant: p < ``alpha``.
    cv_below : bool
        Every item's CV in the last round is below ``cv_max``.
    converged : bool
        All three: ``w_rising and significant and cv_below``.
    alpha, cv_max : float
        The thresholds applied.
    """

    concordance: tuple[Concordance, ...]
    cv: NDArray[np.float64]
    w_rising: bool
    significant: bool
    cv_below: bool
    converged: bool
    alpha: float
    cv_max: float

    @property
    def w(self) -> NDArray[np.float64]:
        """Kendall's W of each round."""
        return readonly(np.array([c.w for c in self.concordance]))

    @property
    def p_values(self) -> NDArray[np.float64]:
        """The p-value of each round's W."""
        return readonly(np.array([c.p_value for c in self.concordance]))


def compare_rounds(
    rounds: Sequence[ArrayLike],
    *,
    higher_is_better: bool = True,
    alpha: float = SIGNIFICANCE,
    cv_max: float = CV_MAX,
) -> RoundComparison:
    """Kendall's W with its test and the CV of every item, round by round, and convergence.

    Parameters
    ----------
    rounds : sequence of array_like, each shape (m_r, n)
        The answers of round 1, 2, ... (one row per expert who answered that round, the same n
        items in the same order every round; the panel may lose experts between rounds). Every
        expert of a round must answer every item (Kendall's W needs complete rankings).
    higher_is_better : bool, optional
        As in :func:`engine.panel.consensus.concordance`.
    alpha : float, optional
        Significance level of the last round's W (default 0.05).
    cv_max : float, optional
        Largest acceptable coefficient of variation of an item (default 0.25).

    Returns
    -------
    RoundComparison

    Notes
    -----
    The panel has converged when, in the last round,

    1. W is significant, :math:`p < \\alpha` (the experts' rankings agree beyond chance);
    2. W has not fallen since the round before (:math:`W_k \\ge W_{k-1}`: the feedback brought the
       experts together rather than apart); so a single round never counts as converged;
    3. every item's coefficient of variation is below ``cv_max`` (no item on which the experts
       still disagree widely).

    Significant and rising W between rounds is how Schmidt (1997) reads agreement across Delphi
    rounds, and W with its chi-square test together with CV < 0.25 per item is the reporting
    practice of Chinese Delphi studies (王春枝 & 斯琴 2011), where the level of W itself is
    often modest (0.3-0.5) but significant. The CV uses the sample standard deviation
    (:func:`engine.panel.consensus.coefficient_of_variation`).

    References
    ----------
    .. [1] Schmidt, R. C. (1997). Managing Delphi surveys using nonparametric statistical
       techniques. Decision Sciences, 28(3), 763-774.
    .. [2] 王春枝, 斯琴 (2011). 德尔菲法中的数据统计处理方法及其应用研究. 内蒙古财经学院学报.
    .. [3] von der Gracht, H. A. (2012). Consensus measurement in Delphi studies: Review and
       implications for future quality assurance. Technological Forecasting and Social Change,
       79(8), 1525-1536.
    """
    if len(rounds) == 0:
        raise ValueError("there is no round to compare")
    if not (np.isfinite(alpha) and 0 < alpha < 1):
        raise ValueError(f"alpha must be between 0 and 1; got {alpha!r}")
    if not (np.isfinite(cv_max) and cv_max > 0):
        raise ValueError(f"cv_max must be a positive number; got {cv_max!r}")
    results: list[Concordance] = []
    cvs: list[NDArray[np.float64]] = []
    for number, answers in enumerate(rounds, start=1):  # a handful of rounds, each vectorised
        try:
            results.append(concordance(answers, higher_is_better=higher_is_better))
        except ValueError as exc:
            raise ValueError(f"round {number}: {exc}") from None
        if results[-1].items != results[0].items:
            raise ValueError(
                f"round {number} has {results[-1].items} items but round 1 has {results[0].items}"
            )
        cvs.append(coefficient_of_variation(answers))
    last = results[-1]
    w_rising = len(results) >= 2 and last.w >= results[-2].w
    significant = last.significant(alpha)
    # NaN (an item whose CV is undefined) does not pass
    cv_below = bool(np.all(cvs[-1] < cv_max))
    return RoundComparison(
        concordance=tuple(results),
        cv=readonly(np.stack(cvs)),
        w_rising=w_rising,
        significant=significant,
        cv_below=cv_below,
        converged=w_rising and significant and cv_below,
        alpha=float(alpha),
        cv_max=float(cv_max),
    )
