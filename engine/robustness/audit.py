"""Modelling-choice audit: does the order survive other reasonable ways of scoring?

The same weights are run through every sensible combination of method (TOPSIS, WSM, VIKOR,
PROMETHEE II), normalisation (vector, min-max, max) and treatment of cost criteria (flip, max - x,
1/x). The resulting orders are compared pairwise (Spearman, Kendall, WS) and merged into consensus
orders (Borda, Copeland).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.mcda.arrays import as_directions, as_matrix, as_weights, readonly
from engine.mcda.methods import METHODS
from engine.mcda.ranking import kendall, order, rank, spearman, ws_coefficient
from engine.mcda.registry import get

__all__ = ["COSTS", "AuditResult", "Choice", "audit", "choices", "consensus"]

Array = NDArray[np.float64]

#: Treatments of cost criteria: the normalisation's own formula, max - x, or 1 / x.
COSTS: tuple[str, ...] = ("flip", "max-x", "reciprocal")
# (max - x) then min-max = min-max flip; keyed by a Choice's (normalization, cost), either may be None
_EQUIVALENT: dict[tuple[str | None, str | None], tuple[str, str]] = {("minmax", "max-x"): ("minmax", "flip")}


@dataclass(frozen=True)
class Choice:
    """One modelling choice: method, normalisation (None for raw-value methods) and cost treatment."""

    method: str
    normalization: str | None = None
    cost: str | None = None

    @property
    def label(self) -> str:
        parts = [self.method]
        if self.normalization:
            parts.append(self.normalization)
        if self.cost:
            parts.append(self.cost)
        return "/".join(parts)


def choices(
    *,
    methods: tuple[str, ...] = METHODS,
    normalizations: tuple[str, ...] = ("vector", "minmax", "max"),
    costs: tuple[str, ...] = COSTS,
) -> tuple[Choice, ...]:
    """Every sensible combination, without duplicates.

    TOPSIS and WSM take each normalisation with each cost treatment, except min-max with max - x,
    which is identical to min-max with flip. VIKOR and PROMETHEE II work on raw differences, where
    the direction alone handles cost criteria: one choice each.
    """
    out = []
    for method in methods:
        if get(method).normalization is None:
            out.append(Choice(method))
            continue
        for norm, cost in product(normalizations, costs):
            if (norm, cost) in _EQUIVALENT:
                continue
            out.append(Choice(method, norm, cost))
    return tuple(out)


def _prepare_cost(x: Array, d: NDArray[np.int64], cost: str) -> tuple[Array, NDArray[np.int64], str]:
    """Turn cost columns around by max - x ahead of normalisation; other treatments pass through."""
    if cost != "max-x":
        return x, d, cost
    flipped = np.where(d < 0, x.max(axis=0) - x, x)
    return flipped, np.ones_like(d), "flip"


def consensus(ranks: ArrayLike) -> tuple[Array, Array]:
    """Borda and Copeland scores of several rankings of the same alternatives.

    Parameters
    ----------
    ranks : array_like, shape (c, m)
        One ranking (1 = best) per row.

    Returns
    -------
    borda, copeland : ndarray, shape (m,)
        Higher is better.

    Notes
    -----
    Borda: :math:`\\sum_c (m - r_{ci})`. Copeland: the number of alternatives that i beats by a
    majority of the rankings minus the number that beat i.

    References
    ----------
    .. [1] de Borda, J.-C. (1781). Mémoire sur les élections au scrutin. Histoire de l'Académie
       Royale des Sciences.
    .. [2] Copeland, A. H. (1951). A reasonable social welfare function. Seminar on Applications
       of Mathematics to the Social Sciences, University of Michigan.
    """
    r = np.asarray(ranks, dtype=np.float64)
    m = r.shape[1]
    borda = (m - r).sum(axis=0)
    ahead = (r[:, :, None] < r[:, None, :]).sum(axis=0)  # (m, m): rankings putting i ahead of l
    wins = (ahead > ahead.T).sum(axis=1)
    losses = (ahead < ahead.T).sum(axis=1)
    return borda, (wins - losses).astype(np.float64)


@dataclass(frozen=True)
class AuditResult:
    """Orders under every modelling choice and how much they agree.

    Attributes
    ----------
    choices : tuple of Choice
        The choices evaluated, in table order.
    skipped : tuple of (Choice, str)
        Choices that do not apply to this matrix, with the reason (e.g. 1/x of a zero).
    scores : ndarray, shape (c, m)
        Each choice's scores (its own orientation: VIKOR's Q is lower-is-better).
    ranks : ndarray of int, shape (c, m)
        Competition ranks, 1 = best.
    orders : ndarray of int, shape (c, m)
        Alternatives best first.
    reference : int
        Index of the choice that matches the analysis settings.
    spearman, kendall, ws : ndarray, shape (c, c)
        Pairwise agreement of the rankings (WS with the row's ranking as the reference).
    borda, copeland : ndarray, shape (m,)
        Consensus scores (higher is better); ``borda_ranks``, ``copeland_ranks`` rank them.
    """

    choices: tuple[Choice, ...]
    skipped: tuple[tuple[Choice, str], ...]
    scores: Array
    ranks: NDArray[np.int64]
    orders: NDArray[np.int64]
    reference: int
    spearman: Array
    kendall: Array
    ws: Array
    borda: Array
    borda_ranks: NDArray[np.int64]
    copeland: Array
    copeland_ranks: NDArray[np.int64]

    @property
    def same_top(self) -> NDArray[np.bool_]:
        """Per choice: does it put the reference's first alternative first (alone or tied)?"""
        top = self.orders[self.reference, 0]
        return self.ranks[:, top] == 1

    @property
    def same_order(self) -> NDArray[np.bool_]:
        """Per choice: is its ranking identical to the reference's?"""
        return np.all(self.ranks == self.ranks[self.reference], axis=1)

    def same_rank(self, alternative: int) -> NDArray[np.bool_]:
        """Per choice: does it give ``alternative`` the same rank as the reference?"""
        return self.ranks[:, alternative] == self.ranks[self.reference, alternative]


def audit(
    matrix: ArrayLike,
    weights: ArrayLike,
    directions: ArrayLike,
    *,
    reference: Choice = Choice("topsis", "vector", "flip"),
    candidates: tuple[Choice, ...] | None = None,
    v: float = 0.5,
) -> AuditResult:
    """Rank the alternatives under every modelling choice and compare the orders.

    Parameters
    ----------
    matrix : array_like, shape (m, n)
    weights : array_like, shape (n,)
    directions : array_like, shape (n,)
    reference : Choice, optional
        The choice of the analysis (it is added if not among the candidates).
    candidates : tuple of Choice, optional
        Default :func:`choices`.
    v : float, optional
        VIKOR's v.

    Returns
    -------
    AuditResult

    Notes
    -----
    Cost criteria: "flip" uses the normalisation's own cost formula (e.g. :math:`1 - x/\\|x\\|`
    for vector, :math:`(\\max - x)/(\\max - \\min)` for min-max); "max-x" replaces a cost column by
    :math:`\\max x - x` and normalises it as a benefit; "reciprocal" uses :math:`1/x` (only when
    every cost value is positive, otherwise the choice is skipped with the reason). The few
    choices are evaluated one after another; every agreement matrix is computed for all pairs in
    one call.

    References
    ----------
    .. [1] Jahan, A., & Edwards, K. L. (2015). A state-of-the-art survey on the influence of
       normalization techniques in ranking. Materials & Design, 65, 335-342.
    .. [2] Sałabun, W., & Urbaniak, K. (2020). A new coefficient of rankings similarity in
       decision-making problems. ICCS 2020, LNCS 12138, 632-645.
    """
    x = as_matrix(matrix)
    n = x.shape[1]
    d = as_directions(directions, n)
    w = as_weights(weights, n)[0][0]
    pool = list(candidates if candidates is not None else choices())
    if get(reference.method).normalization is None:
        reference = Choice(reference.method)
    if (reference.normalization, reference.cost) in _EQUIVALENT:
        norm, cost = _EQUIVALENT[(reference.normalization, reference.cost)]
        reference = Choice(reference.method, norm, cost)
    if reference not in pool:
        pool.insert(0, reference)
    kept: list[Choice] = []
    skipped: list[tuple[Choice, str]] = []
    rows: list[Array] = []
    for choice in pool:  # a dozen or so modelling choices
        xx, dd, cost = _prepare_cost(x, d, choice.cost or "flip")
        try:
            spec = get(choice.method)
            options = spec.select(v=v, normalization=choice.normalization, cost=cost)
            u = spec.utilities(xx, w, dd, **options)[0]
        except ValueError as exc:
            skipped.append((choice, str(exc)))
            continue
        kept.append(choice)
        rows.append(u)
    if reference not in kept:
        reason = dict(skipped)[reference]
        raise ValueError(f"the reference choice {reference.label} does not apply to this matrix: {reason}")
    utility = np.array(rows)
    sign = np.array([1.0 if get(c.method).higher_is_better else -1.0 for c in kept])
    ranks = rank(utility)
    orders = order(utility)
    c = len(kept)
    ii, jj = np.meshgrid(np.arange(c), np.arange(c), indexing="ij")
    a, b = ranks[ii.ravel()], ranks[jj.ravel()]
    borda, copeland = consensus(ranks)
    return AuditResult(
        choices=tuple(kept),
        skipped=tuple(skipped),
        scores=readonly(utility * sign[:, None]),
        ranks=readonly(ranks),
        orders=readonly(orders),
        reference=kept.index(reference),
        spearman=readonly(np.asarray(spearman(a, b)).reshape(c, c)),
        kendall=readonly(np.asarray(kendall(a, b)).reshape(c, c)),
        ws=readonly(np.asarray(ws_coefficient(a, b)).reshape(c, c)),
        borda=readonly(borda),
        borda_ranks=readonly(rank(borda)),
        copeland=readonly(copeland),
        copeland_ranks=readonly(rank(copeland)),
    )
