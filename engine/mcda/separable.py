"""Each method's score as a combination of per-criterion terms, for explaining a ranking.

Every method here is column-separable before its final combination: TOPSIS sums squared
distances to the two ideal points over the criteria, WSM and PROMETHEE II (usual preference
function) sum weighted terms, VIKOR sums them (S) and takes their largest (R). Changing one value
of the matrix therefore changes one column's terms, and the scores of such a variant follow
exactly from the summed terms. :mod:`engine.mcda.registry` names each method's functions.

Terms are named by what they hold: ``"sum"`` the weighted contributions that are added up (and,
for VIKOR, whose largest is the regret), ``"plus"`` and ``"minus"`` TOPSIS' squared weighted
distances to the ideal and the anti-ideal point. Each ``terms`` function treats every column of
`x` on its own, so the columns may be variants of one criterion laid side by side.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from engine.mcda.normalization import normalize

__all__ = [
    "centred_pull",
    "promethee_terms",
    "regret_pull",
    "sum_combine",
    "summed_pull",
    "topsis_combine",
    "topsis_pull",
    "topsis_terms",
    "vikor_combine",
    "vikor_terms",
    "wsm_terms",
]

Array = NDArray[np.float64]
Terms = dict[str, Array]


def topsis_terms(x: Array, d: NDArray[np.int64], w: Array, normalization: str | None) -> Terms:
    """Squared weighted distances of every value to its column's ideal and anti-ideal value."""
    r = normalize(x, d, normalization)  # type: ignore[arg-type]
    v = w * r
    return {"plus": (v - v.max(axis=0)) ** 2, "minus": (v - v.min(axis=0)) ** 2}


def wsm_terms(x: Array, d: NDArray[np.int64], w: Array, normalization: str | None) -> Terms:
    """The weighted normalised matrix."""
    r = normalize(x, d, normalization)  # type: ignore[arg-type]
    return {"sum": w * r}


def vikor_terms(x: Array, d: NDArray[np.int64], w: Array, normalization: str | None = None) -> Terms:
    """Weighted distances to each column's best value, as shares of the column's range."""
    hi, lo = x.max(axis=0), x.min(axis=0)
    best = np.where(d > 0, hi, lo)
    span = hi - lo
    dist = np.divide(np.abs(best - x), span, out=np.zeros_like(x), where=span > 0)
    return {"sum": w * dist}


def promethee_terms(x: Array, d: NDArray[np.int64], w: Array, normalization: str | None = None) -> Terms:
    """Each criterion's weighted share of the net flow (usual preference function)."""
    m = x.shape[0]
    signs = np.sign(x[:, None, :] - x[None, :, :]) * d
    return {"sum": w * signs.sum(axis=1) / max(m - 1, 1)}


def topsis_combine(totals: Terms, v: float, regret: Array | None = None) -> Array:
    """Closeness from the summed squared distances (0.5 where both are 0)."""
    plus, minus = np.sqrt(totals["plus"]), np.sqrt(totals["minus"])
    total = plus + minus
    return np.divide(minus, total, out=np.full_like(total, 0.5), where=total > 0)


def sum_combine(totals: Terms, v: float, regret: Array | None = None) -> Array:
    """The summed terms are the score (WSM, PROMETHEE II)."""
    return totals["sum"]


def vikor_combine(totals: Terms, v: float, regret: Array | None = None) -> Array:
    """Minus VIKOR's Q, from the summed terms (S) and the largest term (R, `regret`)."""

    def scaled(a: Array) -> Array:
        low = a.min(axis=-1, keepdims=True)
        span = np.broadcast_to(a.max(axis=-1, keepdims=True) - low, a.shape)
        return np.divide(a - low, span, out=np.zeros_like(a), where=span > 0)

    if regret is None:
        raise ValueError("VIKOR's score needs the largest term of every alternative (regret)")
    return -(v * scaled(totals["sum"]) + (1 - v) * scaled(regret))


def topsis_pull(terms: Terms) -> Array:
    """How much closer to the anti-ideal than to the ideal point each criterion leaves a value."""
    return terms["minus"] - terms["plus"]


def centred_pull(terms: Terms) -> Array:
    """Each weighted term against the criterion's average: row sums are score minus mean score."""
    weighted = terms["sum"]
    return weighted - weighted.mean(axis=0)


def regret_pull(terms: Terms) -> Array:
    """:func:`centred_pull` turned around, for terms that count against an alternative (VIKOR)."""
    return -centred_pull(terms)


def summed_pull(terms: Terms) -> Array:
    """The terms themselves, already centred (PROMETHEE's flows sum to 0 over the alternatives)."""
    return terms["sum"]
