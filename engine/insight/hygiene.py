"""Criteria hygiene: criteria that measure the same thing, countermeasures nobody should pick, and
what the data alone would say about the weights.

Checks the analyst should see before trusting a weighted ranking:

* strongly correlated criteria (|Pearson| or |Spearman| >= 0.9 across the countermeasures): two
  criteria that rise and fall together count the same property twice, so its weight is in effect
  the sum of both;
* constant criteria: they separate nothing, whatever their weight;
* dominated countermeasures (Pareto dominance with directions): another countermeasure is at
  least as good on every criterion and better on one, so no weighting ranks them above it;
* objective weights (entropy, CRITIC) beside the elicited ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.mcda.arrays import as_directions, as_matrix
from engine.mcda.ranking import average_ranks
from engine.mcda.weighting import critic, entropy
from engine.model import Problem, frozen_array

__all__ = [
    "CORRELATION_THRESHOLD",
    "CorrelatedPair",
    "Dominance",
    "Hygiene",
    "check",
    "correlations",
    "dominance",
]

CORRELATION_THRESHOLD = 0.9


@dataclass(frozen=True)
class CorrelatedPair:
    """Two criteria whose benefit-oriented scores move together (or against each other).

    ``same_direction`` is True when a countermeasure good on one is good on the other (positive
    correlation of the benefit-oriented values): possible double counting. False means the two
    pull in opposite directions: a built-in trade-off, which makes the pair's weights decide.
    ``p_pearson`` and ``p_spearman`` are two-sided p-values (t approximation, m - 2 degrees of
    freedom): with few countermeasures even a strong correlation can be chance.
    """

    first: str
    second: str
    pearson: float
    spearman: float
    p_pearson: float
    p_spearman: float

    @property
    def same_direction(self) -> bool:
        strongest = self.pearson if abs(self.pearson) >= abs(self.spearman) else self.spearman
        return strongest > 0


@dataclass(frozen=True)
class Dominance:
    """``dominated`` is no better than ``by`` on every criterion and worse on ``worse_on``."""

    dominated: str
    by: str
    worse_on: tuple[str, ...]


@dataclass(frozen=True)
class Hygiene:
    """Everything :func:`check` found.

    Attributes
    ----------
    leaf_ids : tuple of str
    pearson, spearman : ndarray, shape (n, n)
        Correlations of the benefit-oriented criterion columns (0 where a column is constant).
    correlated : tuple of CorrelatedPair
        Pairs with |Pearson| or |Spearman| at or above the threshold, strongest first.
    constant : tuple of str
        Criteria on which every countermeasure scores the same.
    dominated : tuple of Dominance
    elicited, entropy, critic : ndarray, shape (n,)
        The weights in use and the two objective weightings of the same matrix.
    threshold : float
    """

    leaf_ids: tuple[str, ...]
    pearson: NDArray[np.float64]
    spearman: NDArray[np.float64]
    correlated: tuple[CorrelatedPair, ...]
    constant: tuple[str, ...]
    dominated: tuple[Dominance, ...]
    elicited: NDArray[np.float64]
    entropy: NDArray[np.float64]
    critic: NDArray[np.float64]
    threshold: float

    @property
    def clean(self) -> bool:
        return not (self.correlated or self.constant or self.dominated)


def _pearson(x: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    centred = x - x.mean(axis=0)
    norm = np.sqrt(np.sum(centred * centred, axis=0))
    informative = norm > 1e-12 * np.maximum(1.0, np.abs(x).max(axis=0))
    denom = np.outer(norm, norm)
    both = np.outer(informative, informative)
    rho = np.divide(centred.T @ centred, denom, out=np.zeros_like(denom), where=both)
    return np.clip(rho, -1.0, 1.0), informative


def _p_values(r: NDArray[np.float64], m: int) -> NDArray[np.float64]:
    """Two-sided p-values of correlations from m pairs, :math:`t = r\\sqrt{(m-2)/(1-r^2)}`."""
    if m <= 2:
        return np.ones_like(r)
    t_stat = np.abs(r) * np.sqrt((m - 2) / np.maximum(1 - r * r, 1e-300))
    from scipy.stats import t as student_t  # imported here: scipy.stats is slow to import

    return 2 * student_t.sf(t_stat, m - 2)


def correlations(
    matrix: ArrayLike, directions: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Pearson and Spearman correlations of the benefit-oriented columns.

    Returns
    -------
    pearson, spearman : ndarray, shape (n, n)
        1 on the diagonal of informative columns; 0 for any pair involving a constant column.
    informative : ndarray of bool, shape (n,)
        False for constant columns.

    Notes
    -----
    Cost columns are negated first, so a positive correlation always means "a countermeasure
    that does well on one does well on the other". Spearman is Pearson on mid-ranks.
    """
    x = as_matrix(matrix)
    d = as_directions(directions, x.shape[1])
    oriented = x * d
    pearson, informative = _pearson(oriented)
    spearman, _ = _pearson(average_ranks(oriented.T).T)
    mask = np.outer(informative, informative)
    return np.where(mask, pearson, 0.0), np.where(mask, spearman, 0.0), informative


def dominance(matrix: ArrayLike, directions: ArrayLike) -> NDArray[np.bool_]:
    """``out[a, b]`` is True when alternative a Pareto-dominates b (with directions).

    a dominates b when it is at least as good on every criterion and strictly better on at least
    one; identical alternatives do not dominate each other.
    """
    x = as_matrix(matrix)
    d = as_directions(directions, x.shape[1])
    oriented = x * d
    diff = oriented[:, None, :] - oriented[None, :, :]
    return np.all(diff >= 0, axis=-1) & np.any(diff > 0, axis=-1)


def check(problem: Problem, weights: ArrayLike, *, threshold: float = CORRELATION_THRESHOLD) -> Hygiene:
    """Run every hygiene check on a problem and the weights in use.

    Parameters
    ----------
    problem : Problem
    weights : array_like, shape (n,)
        The elicited (or chosen) leaf weights, shown beside the objective ones.
    threshold : float, optional
        Flag pairs with |Pearson| or |Spearman| >= threshold (default 0.9).

    Returns
    -------
    Hygiene

    Notes
    -----
    With m countermeasures the Pearson correlation's significance follows
    :math:`t = r \\sqrt{(m - 2)/(1 - r^2)}` with m - 2 degrees of freedom. With the shipped seven
    countermeasures |r| >= 0.9 is significant at the 1% level (p ~ 0.006), |r| = 0.75 only at 5%.

    Entropy weights use the raw values (they measure spread, which does not depend on the
    direction); CRITIC uses the directions.

    References
    ----------
    .. [1] Diakoulaki, D., Mavrotas, G., & Papayannakis, L. (1995). Determining objective weights
       in multiple criteria problems: The CRITIC method. Computers & Operations Research, 22(7),
       763-770.
    .. [2] Belton, V., & Stewart, T. J. (2002). Multiple Criteria Decision Analysis: An Integrated
       Approach, ch. 3 (properties of a good set of criteria: non-redundancy). Kluwer.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must lie in (0, 1], got {threshold}")
    x, d = problem.matrix, problem.directions
    leaf_ids = problem.leaf_ids
    m, n = x.shape
    w = np.array(weights, dtype=np.float64)
    if w.shape != (n,):
        raise ValueError(f"weights must have shape ({n},), one per leaf criterion; got {w.shape}")
    pearson, spearman, informative = correlations(x, d)
    rows, cols = np.triu_indices(n, 1)
    strength = np.maximum(np.abs(pearson[rows, cols]), np.abs(spearman[rows, cols]))
    flagged = np.flatnonzero(strength >= threshold - 1e-12)
    flagged = flagged[np.argsort(-strength[flagged], kind="stable")]
    p_values = _p_values(pearson[rows, cols], m)
    p_ranks = _p_values(spearman[rows, cols], m)
    correlated = tuple(
        CorrelatedPair(
            first=leaf_ids[rows[k]],
            second=leaf_ids[cols[k]],
            pearson=float(pearson[rows[k], cols[k]]),
            spearman=float(spearman[rows[k], cols[k]]),
            p_pearson=float(p_values[k]),
            p_spearman=float(p_ranks[k]),
        )
        for k in flagged
    )
    dominates = dominance(x, d)
    oriented = x * d
    found = []
    for a, b in np.argwhere(dominates.T):  # a is dominated by b
        worse = np.flatnonzero(oriented[b] > oriented[a])
        found.append(
            Dominance(
                dominated=problem.alternative_ids[a],
                by=problem.alternative_ids[b],
                worse_on=tuple(leaf_ids[j] for j in worse),
            )
        )
    # entropy needs non-negative values; a criterion scale may start below 0
    shifted = x - np.minimum(x.min(axis=0), 0.0)
    return Hygiene(
        leaf_ids=leaf_ids,
        pearson=frozen_array(pearson),
        spearman=frozen_array(spearman),
        correlated=correlated,
        constant=tuple(leaf for leaf, keep in zip(leaf_ids, informative, strict=True) if not keep),
        dominated=tuple(found),
        elicited=frozen_array(w / w.sum()),
        entropy=frozen_array(entropy(shifted)),
        critic=frozen_array(critic(x, d)),
        threshold=threshold,
    )
