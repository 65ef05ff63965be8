"""What drives a ranking: per-criterion contributions, score gaps, the ranks under every method.

These read the intermediates an :class:`engine.analysis.Analysis` already carries; nothing is
re-scored.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.analysis import Analysis
from engine.methods import METHODS
from engine.model import frozen_array


@dataclass(frozen=True)
class Drivers:
    """Arrays describing one analysis, rows in ranking order (best first).

    Attributes
    ----------
    order : ndarray of int, shape (m,)
        Index into ``problem.countermeasures`` of each ranked entry.
    contributions : ndarray, shape (m, n)
        Weighted normalised value of each criterion minus its mean over all countermeasures.
    basis : str
        The method whose weighted normalised matrix was used ("topsis" or "wsm").
    gaps : ndarray, shape (m - 1,)
        Absolute score difference between each entry and the next one down.
    spread : float
        Best minus worst score (absolute), the scale against which gaps are judged.
    method_ranks : ndarray of int, shape (m, len(METHODS))
        The rank of every entry under each method, columns in ``METHODS`` order.
    """

    order: np.ndarray
    contributions: np.ndarray
    basis: str
    gaps: np.ndarray
    spread: float
    method_ranks: np.ndarray

    def strongest(self, row: int, k: int = 2) -> tuple[int, ...]:
        """Up to ``k`` criteria (column indices) where entry ``row`` gains most, all above average."""
        values = self.contributions[row]
        best = np.argsort(-values, kind="stable")[:k]
        return tuple(int(j) for j in best if values[j] > 0)

    def weakest(self, row: int, k: int = 2) -> tuple[int, ...]:
        """Up to ``k`` criteria where entry ``row`` loses most, all below average."""
        values = self.contributions[row]
        worst = np.argsort(values, kind="stable")[:k]
        return tuple(int(j) for j in worst if values[j] < 0)

    def relative_gap(self, row: int) -> float:
        """Gap between entry ``row`` and the next one, as a share of the score spread."""
        return float(self.gaps[row] / self.spread) if self.spread > 0 else 0.0


def drivers(analysis: Analysis) -> Drivers:
    """The figures a memo uses to explain ``analysis``.

    Notes
    -----
    The contribution of criterion :math:`j` to countermeasure :math:`i` is
    :math:`c_{ij} = w_j r_{ij} - \\frac{1}{m}\\sum_k w_j r_{kj}`, with :math:`r` the benefit-oriented
    normalised matrix of the method in use. For WSM the row sums of :math:`c` are exactly each
    score minus the mean score. TOPSIS is not additive, but its distances are built from the same
    :math:`w_j r_{ij}`, so :math:`c` shows where each countermeasure stands closest to the ideal.
    VIKOR and PROMETHEE II carry no normalised matrix; for them the min-max normalised matrix of
    the WSM run is used, which is exactly VIKOR's :math:`1 - (f^*_j - f_{ij})/(f^*_j - f^-_j)`.
    """
    primary = analysis.primary
    basis = primary.method if "weighted" in primary.details else "wsm"
    weighted = np.asarray(analysis.results[basis].details["weighted"], dtype=float)
    ranks = np.asarray(primary.ranks)
    order = np.lexsort((np.arange(len(ranks)), ranks))
    contributions = (weighted - weighted.mean(axis=0))[order]
    scores = np.asarray(primary.scores, dtype=float)[order]
    method_ranks = np.stack([np.asarray(analysis.results[m].ranks)[order] for m in METHODS], axis=1)
    return Drivers(
        order=frozen_array(order, dtype=int),
        contributions=frozen_array(contributions),
        basis=basis,
        gaps=frozen_array(np.abs(np.diff(scores))),
        spread=float(np.ptp(scores)) if scores.size else 0.0,
        method_ranks=frozen_array(method_ranks, dtype=int),
    )
