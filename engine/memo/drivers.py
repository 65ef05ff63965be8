"""What drives a ranking: strengths and weak spots, score gaps, the ranks under every method.

These read the intermediates an :class:`engine.analysis.Analysis` already carries; nothing is
re-scored.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.analysis import Analysis
from engine.insight import explain
from engine.mcda.methods import METHODS
from engine.model import frozen_array


@dataclass(frozen=True)
class Drivers:
    """Arrays describing one analysis, rows in ranking order (best first).

    Attributes
    ----------
    order : ndarray of int, shape (m,)
        Index into ``problem.countermeasures`` of each ranked entry.
    relative : engine.insight.explain.Drivers
        Strengths and weak spots against the average countermeasure (rows in catalogue order),
        the same definition the app's overview uses.
    gaps : ndarray, shape (m - 1,)
        Absolute score difference between each entry and the next one down.
    spread : float
        Best minus worst score (absolute), the scale against which gaps are judged.
    method_ranks : ndarray of int, shape (m, len(METHODS))
        The rank of every entry under each method, columns in ``METHODS`` order.
    """

    order: np.ndarray
    relative: explain.Drivers
    gaps: np.ndarray
    spread: float
    method_ranks: np.ndarray

    @property
    def basis(self) -> str:
        """The method whose weighted normalised matrix was used ("topsis" or "wsm")."""
        return self.relative.basis

    def strongest(self, row: int, k: int = 2) -> tuple[int, ...]:
        """Up to ``k`` criteria (column indices) where entry ``row`` gains most, all above average."""
        return self.relative.strengths(int(self.order[row]))[:k]

    def weakest(self, row: int, k: int = 2) -> tuple[int, ...]:
        """Up to ``k`` criteria where entry ``row`` loses most, all below average."""
        return self.relative.weak_spots(int(self.order[row]))[:k]

    def relative_gap(self, row: int) -> float:
        """Gap between entry ``row`` and the next one, as a share of the score spread."""
        return float(self.gaps[row] / self.spread) if self.spread > 0 else 0.0


STRENGTHS = 2  # the most strengths (weak spots) a memo names for one countermeasure


def drivers(analysis: Analysis) -> Drivers:
    """The figures a memo uses to explain ``analysis``.

    Notes
    -----
    Strengths and weak spots come from :func:`engine.insight.explain.drivers` (advantage of each
    countermeasure's weighted normalised value over the average of all countermeasures).
    """
    primary = analysis.primary
    ranks = np.asarray(primary.ranks)
    order = np.lexsort((np.arange(len(ranks)), ranks))
    scores = np.asarray(primary.scores, dtype=float)[order]
    method_ranks = np.stack([np.asarray(analysis.results[m].ranks)[order] for m in METHODS], axis=1)
    return Drivers(
        order=frozen_array(order, dtype=int),
        relative=explain.drivers(analysis, top=STRENGTHS),
        gaps=frozen_array(np.abs(np.diff(scores))),
        spread=float(np.ptp(scores)) if scores.size else 0.0,
        method_ranks=frozen_array(method_ranks, dtype=int),
    )
