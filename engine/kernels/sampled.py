"""Monte Carlo scorers: one small matrix under very many sampled weight vectors.

SMAA and rank-acceptability counts score a handful of alternatives under 10^4 to 10^6 weight
vectors. The layout here is alternatives x samples: the weight-independent part of TOPSIS or WSM
is computed once (:class:`BatchScorer`), each batch of samples is one product, and ranks are
counted down the columns (:func:`column_ranks`) without sorting. The slopes and column statistics
are those of the two-pass kernels in :mod:`engine.kernels.blocked`, so the scores equal
:func:`engine.mcda.methods.topsis` and :func:`~engine.mcda.methods.wsm` to about 1e-15.
"""

from __future__ import annotations

from typing import Literal, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.kernels.blocked import column_stats, moment_for, normalization_slopes
from engine.mcda.arrays import as_directions
from engine.mcda.methods import DEFAULT_NORMALIZATION

__all__ = ["BatchScorer", "column_ranks", "sample_rank_counts", "weight_batch_scores"]

Array = NDArray[np.float64]
Method = Literal["topsis", "wsm"]


def weight_batch_scores(
    matrix: ArrayLike,
    weights_t: ArrayLike,
    directions: ArrayLike,
    *,
    method: Method = "topsis",
    normalization: str | None = None,
) -> Array:
    """Scores of a small matrix under many weight vectors, laid out alternatives x samples.

    Parameters
    ----------
    matrix : array_like, shape (m, n)
    weights_t : array_like, shape (n, k)
        One weight vector per column, non-negative; TOPSIS needs no normalisation (its
        closeness does not change when w is scaled), WSM columns are divided by their sums.
    directions : array_like, shape (n,)
    method : {"topsis", "wsm"}, optional
    normalization : str, optional
        Default "vector" for TOPSIS, "minmax" for WSM.

    Returns
    -------
    ndarray, shape (m, k)
        ``scores[:, s]`` equals ``engine.mcda.methods.topsis(matrix, weights_t[:, s], directions)``.

    Notes
    -----
    The transpose of the :func:`engine.kernels.blocked.score` layout: with few alternatives and
    many samples the squared, slope-scaled deviations :math:`S^\\pm_{ij} = a_j^2 (x_{ij} - t^\\pm_j)^2` are
    computed once and the whole batch is one product ``S @ W**2`` of shape (2m, k), so every
    later step runs over long contiguous rows of samples.
    """
    return BatchScorer(matrix, directions, method, normalization)(np.asarray(weights_t, dtype=np.float64))


class BatchScorer:
    """TOPSIS or WSM scores of one small matrix for weight batches laid out (n, k).

    Everything that does not depend on the weights (column statistics, slopes, the squared
    slope-scaled deviations) is computed once, when the scorer is made; each call is then one
    product with the batch. See :func:`weight_batch_scores`.

    Parameters
    ----------
    matrix : array_like, shape (m, n)
    directions : array_like, shape (n,)
    method : {"topsis", "wsm"}
    normalization : str, optional
        Default: the method's own (:data:`engine.mcda.methods.DEFAULT_NORMALIZATION`).
    """

    METHODS: tuple[str, ...] = ("topsis", "wsm")

    def __init__(
        self, matrix: ArrayLike, directions: ArrayLike, method: str, normalization: str | None = None
    ) -> None:
        if method not in self.METHODS:
            raise ValueError(f"method must be 'topsis' or 'wsm'; got {method!r}")
        x = np.ascontiguousarray(matrix, dtype=np.float64)
        m, n = x.shape
        d = as_directions(directions, n)
        # TOPSIS and WSM both have a default normalisation
        normalization = normalization or cast(str, DEFAULT_NORMALIZATION[method])
        stats = column_stats(x, moment=moment_for(normalization))
        g, zero_point = normalization_slopes(stats, d, normalization, None)
        self.method, self.m = method, m
        if method == "topsis":
            best = np.where(d > 0, stats.high, stats.low)
            worst = np.where(d > 0, stats.low, stats.high)
            self.terms = (((x[None, :, :] - np.stack([best, worst])[:, None, :]) * g) ** 2).reshape(2 * m, n)
        else:
            normalized = (x - zero_point) * np.where(d > 0, g, -g)
            self.terms = normalized + np.where((d < 0) & (normalization != "minmax") & (g > 0), 1.0, 0.0)

    def __call__(self, w: Array) -> Array:
        m = self.m
        # einsum, not BLAS: with n of about 10 the product is memory-bound, and BLAS threads
        # only contend with the caller on a busy machine
        if self.method == "wsm":
            return np.einsum("ij,jk->ik", self.terms, w) / w.sum(axis=0)
        dist = np.einsum("ij,jk->ik", self.terms, w * w)
        np.sqrt(dist, out=dist)
        total = dist[:m] + dist[m:]
        with np.errstate(invalid="ignore"):
            out = np.divide(dist[m:], total, out=total)
        out[np.isnan(out)] = 0.5
        return out


def column_ranks(scores: Array, *, tolerance: float = 1e-12) -> NDArray[np.uint16]:
    """Competition ranks (1 = best) down each column of an (m, k) score array, m < 65536.

    Ties within ``tolerance * max(1, |score|)`` share the best rank, as in
    :func:`engine.mcda.ranking.rank` (which also chains near-ties across a group; with pairwise
    comparisons here a chain of near-ties can differ).
    """
    margin = scores + tolerance * np.maximum(1.0, np.abs(scores))
    better = scores[None, :, :] > margin[:, None, :]  # better[i, j, s]: j beats i in sample s
    return np.add.reduce(better, axis=1, dtype=np.uint16) + np.uint16(1)


def sample_rank_counts(
    matrix: ArrayLike,
    directions: ArrayLike,
    *,
    samples: int,
    seed: int | np.random.Generator | None = None,
    chunk: int = 1 << 10,
    method: Method = "topsis",
    normalization: str | None = None,
) -> NDArray[np.int64]:
    """How often each alternative takes each rank under weights uniform on the simplex.

    Parameters
    ----------
    matrix : array_like, shape (m, n)
    directions : array_like, shape (n,)
    samples : int
        Weight vectors to draw.
    seed : int or Generator, optional
    chunk : int, optional
        Samples per batch (default 1024); memory is about ``chunk * (n + 8 m)`` bytes plus
        ``chunk * m * m`` bytes for the comparisons. Small batches keep every temporary under
        glibc's mmap threshold, so they are recycled instead of being faulted in afresh each
        time: measured 1.5x faster than batches of 32768 for a 7 x 10 matrix.
    method, normalization :
        As in :func:`weight_batch_scores`.

    Returns
    -------
    ndarray of int64, shape (m, m)
        ``counts[i, r]``: samples in which alternative i has competition rank r + 1 (ties share
        the best rank, so a column may count fewer than `samples`).

    Notes
    -----
    Independent standard exponentials, normalised, are uniform on the simplex (Dirichlet(1));
    the normalisation is skipped because TOPSIS closeness does not depend on the weights'
    scale and WSM divides by the sum itself.
    """
    x = np.asarray(matrix, dtype=np.float64)
    m, n = x.shape
    rng = np.random.default_rng(seed)
    scorer = BatchScorer(x, directions, method, normalization)
    counts = np.zeros(m * m, dtype=np.int64)
    offsets = (np.arange(m, dtype=np.int64) * m - 1)[:, None]
    for start in range(0, samples, chunk):
        size = min(chunk, samples - start)
        ranks = column_ranks(scorer(rng.standard_exponential((n, size))))
        counts += np.bincount((ranks + offsets).ravel(), minlength=m * m)
    return counts.reshape(m, m)
