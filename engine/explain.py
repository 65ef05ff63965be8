"""Why a countermeasure ranks where it does: per-criterion contributions on the declared scales.

A one-line reason for a countermeasure is the reason behind its strongest weighted criterion. The
contribution of criterion j to countermeasure i is its weight times the countermeasure's position
on the criterion's declared scale, benefit-oriented, so "strongest" means the same under every
ranking method and does not change when another countermeasure is added.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.analysis import Analysis
from engine.model import Problem, frozen_array
from engine.normalization import normalize

__all__ = ["contributions", "rank_changes", "strongest_criteria"]


def contributions(problem: Problem, weights: ArrayLike) -> NDArray[np.float64]:
    """Weighted, benefit-oriented positions on the declared scales, shape (m, n).

    Parameters
    ----------
    problem : Problem
        Supplies the performance matrix, directions and declared ``scale`` bounds.
    weights : array_like, shape (n,)
        Leaf weights in ``problem.leaf_ids`` order.

    Returns
    -------
    ndarray, shape (m, n), read-only
        ``w_j * u_ij`` with :math:`u_{ij} = (x_{ij} - l_j)/(h_j - l_j)` for benefit and
        :math:`(h_j - x_{ij})/(h_j - l_j)` for cost criteria; rows in countermeasure order.

    Notes
    -----
    Fixed bounds (as in SPOTIS, Dezert et al. 2020) rather than the column minimum and maximum
    keep a criterion on which every countermeasure scores well from looking weak.

    References
    ----------
    .. [1] Dezert, J., Tchamova, A., Han, D., & Tacnet, J.-M. (2020). The SPOTIS rank reversal
       free method for multi-criteria decision-making support. FUSION 2020.
    """
    w = np.array(weights, dtype=np.float64)
    n = len(problem.leaf_ids)
    if w.shape != (n,):
        raise ValueError(f"weights must have shape ({n},), one per leaf criterion; got {w.shape}")
    utility = normalize(problem.matrix, problem.directions, "minmax", bounds=problem.bounds)
    return frozen_array(utility * w)


def strongest_criteria(problem: Problem, weights: ArrayLike) -> tuple[str, ...]:
    """The leaf id with the largest contribution for each countermeasure (first on ties)."""
    best = np.argmax(contributions(problem, weights), axis=1)
    return tuple(problem.leaf_ids[j] for j in best)


def rank_changes(current: Analysis, baseline: Analysis) -> dict[str, int]:
    """Places each countermeasure moved from `baseline` to `current`: +2 means up two places.

    Both analyses must rank the same countermeasures (the same problem under other settings).
    """
    before = {entry.id: entry.rank for entry in baseline.ranking}
    if set(before) != {entry.id for entry in current.ranking}:
        raise ValueError("the two analyses rank different countermeasures")
    return {entry.id: before[entry.id] - entry.rank for entry in current.ranking}
