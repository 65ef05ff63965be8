"""SMAA-2: stochastic multicriteria acceptability analysis (Lahdelma & Salminen 2001).

Weights (and, optionally, uncertain performance values) are sampled; every sample ranks the
alternatives with the chosen method. The rank acceptability index :math:`b_i^r` is the share of
samples that give alternative i rank r; the central weight vector of i is the mean of the weights
that make it first; its confidence factor is the share of performance samples in which its central
weights make it first.

Reproducibility contract
------------------------
The random stream is cut into blocks of :data:`BLOCK` samples. Block b is drawn from its own
generator, seeded by child b of the seed's :class:`numpy.random.SeedSequence` (child 0 for the
acceptability samples, child 1 for the confidence-factor samples). ``chunk_size`` only decides how
many blocks are evaluated at once, so for a given seed and sample count the results do not depend
on it, and memory stays bounded by the chunk whatever the number of samples.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.hierarchy import synthesize
from engine.kernels.sampled import BatchScorer, column_ranks
from engine.mcda.ahp import SAATY_SCALE, batch_priorities
from engine.mcda.arrays import as_directions, as_matrix, as_weights, readonly
from engine.mcda.ranking import rank
from engine.mcda.registry import get
from engine.model import Node

__all__ = [
    "BLOCK",
    "DEFAULT_CHUNK",
    "DEFAULT_SAMPLES",
    "DirichletWeights",
    "JudgmentWeights",
    "Progress",
    "SMAAResult",
    "UniformWeights",
    "WeightModel",
    "acceptability_counts",
    "sample_performance",
    "smaa",
]

Array = NDArray[np.float64]
Seed = int | np.random.Generator | np.random.SeedSequence | None
#: ``progress(done, total)``: samples evaluated so far and in all (see :func:`smaa`).
Progress = Callable[[int, int], None]

BLOCK = 1_000
DEFAULT_SAMPLES = 100_000
DEFAULT_CHUNK = 20_000
_LOG_SCALE = np.log(np.array(SAATY_SCALE))
_SCALE_POS = np.arange(len(SAATY_SCALE), dtype=np.float64)


class WeightModel(Protocol):
    """Anything that draws weight vectors: ``sample(rng, size) -> (size, n)`` rows summing to 1."""

    @property
    def n(self) -> int: ...

    def sample(self, rng: np.random.Generator, size: int) -> Array: ...

    def describe(self) -> str: ...


@dataclass(frozen=True)
class UniformWeights:
    """Weights uniform on the simplex: no preference information at all.

    Notes
    -----
    Normalised independent standard exponentials are Dirichlet(1, ..., 1), the uniform
    distribution on the simplex (the same law as the spacings of sorted uniforms); each marginal
    is Beta(1, n - 1).

    References
    ----------
    .. [1] Devroye, L. (1986). Non-Uniform Random Variate Generation, ch. V.2. Springer.
    """

    n: int

    def __post_init__(self) -> None:
        if isinstance(self.n, bool) or not isinstance(self.n, (int, np.integer)) or self.n < 1:
            raise ValueError(f"n must be a positive integer; got {self.n!r}")

    def sample(self, rng: np.random.Generator, size: int) -> Array:
        e = rng.standard_exponential((size, self.n))
        return e / e.sum(axis=1, keepdims=True)

    def describe(self) -> str:
        return "uniform"


@dataclass(frozen=True)
class DirichletWeights:
    """Weights around given ones: Dirichlet with mean ``center`` and concentration ``concentration``.

    Notes
    -----
    :math:`w \\sim \\mathrm{Dir}(c\\,\\bar w)` has mean :math:`\\bar w` and variance
    :math:`\\bar w_j (1 - \\bar w_j) / (c + 1)`: with c = 50 a weight of 0.10 has a standard
    deviation of 0.042. A zero weight stays zero.
    """

    center: Array
    concentration: float

    def __post_init__(self) -> None:
        w, batched = as_weights(self.center, np.size(self.center))
        if batched:
            raise ValueError("center must be one weight vector (n,)")
        c = float(self.concentration)
        if not (np.isfinite(c) and c > 0):
            raise ValueError(f"concentration must be a positive number; got {self.concentration!r}")
        object.__setattr__(self, "center", readonly(w[0].copy()))
        object.__setattr__(self, "concentration", c)

    @property
    def n(self) -> int:
        return int(self.center.shape[0])

    def sample(self, rng: np.random.Generator, size: int) -> Array:
        g = rng.standard_gamma(self.concentration * self.center, size=(size, self.n))
        total = g.sum(axis=1, keepdims=True)
        # tiny shapes can underflow to an all-zero row; such a row falls back to the centre
        return np.where(total > 0, g / np.where(total > 0, total, 1.0), self.center)

    def describe(self) -> str:
        return f"dirichlet(concentration={self.concentration:g})"


@dataclass(frozen=True)
class JudgmentWeights:
    """Weights from AHP judgments each moved by up to ``steps`` steps of Saaty's scale.

    Attributes
    ----------
    goal : Node
        The criteria tree; leaf weights come out in depth-first leaf order.
    matrices : Mapping[str, ndarray]
        Per judged node, the stack (e, c, c) of the judgment matrices that are combined there
        (one per expert, or a single edited matrix).
    expert_weights : Mapping[str, ndarray]
        Per judged node, the weights (e,) of those matrices in the combination.
    method : {"eigen", "geometric"}
    steps : int
        Largest move along :data:`engine.mcda.ahp.SAATY_SCALE` (default 1).
    aggregation : {"judgments", "priorities"}
        Combine the experts' perturbed judgments by weighted geometric mean (AIJ, default), or
        derive each expert's leaf weights and average them with the expert weights (AIP; every
        node must then list the same experts in the same order).

    Notes
    -----
    Every upper-triangle judgment of every matrix independently moves by a step drawn uniformly
    from :math:`\\{-s, \\dots, s\\}` along the 17-value scale 1/9, ..., 1/2, 1, 2, ..., 9, clipped
    at its ends. A value between two scale points (e.g. a group mean) is placed at its fractional
    position, interpolating linearly in log value, and moves the same way. The perturbed matrices
    are rebuilt exactly reciprocal, combined (AIJ: weighted geometric mean of the judgments; AIP:
    weighted mean of each expert's leaf weights), turned into priorities by
    :func:`engine.mcda.ahp.batch_priorities` and composed down the tree by
    :func:`engine.hierarchy.synthesize`, for the whole block at once.
    """

    goal: Node
    matrices: Mapping[str, Array]
    expert_weights: Mapping[str, Array]
    method: Literal["eigen", "geometric"] = "eigen"
    steps: int = 1
    aggregation: Literal["judgments", "priorities"] = "judgments"

    def __post_init__(self) -> None:
        if self.aggregation not in ("judgments", "priorities"):
            raise ValueError(f"aggregation must be 'judgments' or 'priorities'; got {self.aggregation!r}")
        if isinstance(self.steps, bool) or not isinstance(self.steps, (int, np.integer)) or self.steps < 0:
            raise ValueError(f"steps must be a non-negative integer; got {self.steps!r}")
        for node in self.goal.walk():
            if len(node.children) >= 2 and node.id not in self.matrices:
                raise ValueError(f"no judgment matrices for node {node.id!r}")

    @property
    def n(self) -> int:
        return sum(1 for node in self.goal.walk() if node.is_leaf)

    def sample(self, rng: np.random.Generator, size: int) -> Array:
        pooled = self.aggregation == "priorities"
        local: dict[str, Array] = {}
        lam = np.ones(1)
        for node in self.goal.walk():  # judged nodes of the tree, not samples
            if len(node.children) < 2:
                continue
            stack = np.asarray(self.matrices[node.id], dtype=np.float64)
            lam = np.asarray(self.expert_weights[node.id], dtype=np.float64)
            lam = lam / lam.sum()
            e, c, _ = stack.shape
            iu, ju = np.triu_indices(c, 1)
            position = np.interp(np.log(stack[:, iu, ju]), _LOG_SCALE, _SCALE_POS)  # (e, p)
            step = rng.integers(-self.steps, self.steps + 1, size=(size, *position.shape))
            moved = np.interp(np.clip(position + step, 0, _SCALE_POS[-1]), _SCALE_POS, _LOG_SCALE)
            # AIJ: one geometric-mean matrix per sample; AIP: every expert's own matrix
            logs = moved.reshape(size * e, -1) if pooled else np.einsum("e,kep->kp", lam, moved)
            upper = np.zeros((logs.shape[0], c, c))
            upper[:, iu, ju] = logs
            weights, _ = batch_priorities(np.exp(upper - np.swapaxes(upper, 1, 2)), self.method)
            local[node.id] = weights.reshape(size, e, c) if pooled else weights
        if not local:  # a tree without a judged node has a single leaf
            return np.ones((size, self.n))
        leaves = synthesize(self.goal, local)
        return np.einsum("e,ken->kn", lam, leaves) if pooled else leaves

    def describe(self) -> str:
        return f"judgments(±{self.steps} step{'s' if self.steps != 1 else ''} of the 1-9 scale)"


@dataclass(frozen=True)
class SMAAResult:
    """Outcome of :func:`smaa`.

    Attributes
    ----------
    acceptability : ndarray, shape (m, m)
        ``acceptability[i, r]`` = :math:`b_i^{r+1}`, the share of samples ranking alternative i at
        rank r + 1. Rows and columns sum to 1 (tied alternatives share the ranks they span).
    central_weights : ndarray, shape (m, n)
        Mean weights of the samples that rank i first; NaN rows for an alternative never first.
    confidence : ndarray, shape (m,)
        Share of performance samples in which i's central weights rank it first (0 or 1 when the
        performance values are fixed); NaN for an alternative never first.
    holistic : ndarray, shape (m,)
        Holistic acceptability :math:`\\sum_r \\alpha_r b_i^r`.
    meta_weights : ndarray, shape (m,)
        The :math:`\\alpha_r` used.
    samples, confidence_samples : int
        Number of samples drawn for the indices and for the confidence factors (0 when the
        performance values are fixed and the confidence factors are exact).
    weight_model : str
        Description of the weight distribution.
    performance : str
        "fixed", "uniform" or "triangular".
    method : str
    normalization : str or None
    seed : int or None
        The integer seed when one was given (None for a Generator or no seed).
    block : int
        Samples per random block (see the module notes).
    """

    acceptability: Array
    central_weights: Array
    confidence: Array
    holistic: Array
    meta_weights: Array
    samples: int
    confidence_samples: int
    weight_model: str
    performance: str
    method: str
    normalization: str | None
    seed: int | None
    block: int

    @property
    def first(self) -> Array:
        """:math:`b_i^1`, the share of samples that rank each alternative first."""
        return self.acceptability[:, 0]


def acceptability_counts(utility: ArrayLike) -> tuple[Array, Array]:
    """Rank counts and first-place shares of a batch of utilities.

    Parameters
    ----------
    utility : array_like, shape (k, m)
        Higher is better.

    Returns
    -------
    counts : ndarray, shape (m, m)
        ``counts[i, r]``: number of rows ranking alternative i at rank r + 1.
    first : ndarray, shape (k, m)
        Per row, each alternative's share of the first place.

    Notes
    -----
    A tie group of size g occupying ranks p .. p + g - 1 gives each member 1/g of each of those
    ranks, so each row adds exactly 1 to every rank and to every alternative. Without ties every
    count is a whole number.
    """
    u = np.asarray(utility, dtype=np.float64)
    k, m = u.shape
    best_first = np.argsort(-u, axis=1, kind="stable")
    ranked = np.take_along_axis(u, best_first, axis=1)
    # the tie rule of engine.mcda.ranking.rank: neighbours within 1e-12 (relative above 1)
    gap = ranked[:, :-1] - ranked[:, 1:]
    scale = np.maximum(1.0, np.maximum(np.abs(ranked[:, :-1]), np.abs(ranked[:, 1:])))
    tied = np.any(gap <= 1e-12 * scale, axis=1)
    # rows without ties (nearly all): position = inverse permutation, one count each
    order = best_first[~tied]
    position = np.empty_like(order)  # the inverse permutation, by scatter rather than a second sort
    np.put_along_axis(position, order, np.arange(m)[None, :], axis=1)
    cells = (np.arange(m) * m + position).ravel()
    counts = np.bincount(cells, minlength=m * m).astype(np.float64).reshape(m, m)
    first = np.zeros((k, m))
    first[~tied] = position == 0
    if tied.any():
        tie_counts, tie_first = _tied_counts(u[tied])
        counts += tie_counts
        first[tied] = tie_first
    return counts, first


def _fixed_matrix_counts(scores: Array) -> tuple[Array, Array]:
    """:func:`acceptability_counts` for scores laid out alternatives x samples, shape (m, k).

    Competition ranks by pairwise comparison are cheaper than sorting for a handful of
    alternatives. A chunk with any tie is handed back as fractional counts by the general path.
    """
    m = scores.shape[0]
    ranks = column_ranks(scores)
    if not np.all(ranks.sum(axis=0, dtype=np.int64) == m * (m + 1) // 2):
        return acceptability_counts(scores.T)
    cells = (np.arange(m, dtype=np.int64)[:, None] * m + ranks - 1).ravel()
    counts = np.bincount(cells, minlength=m * m).astype(np.float64).reshape(m, m)
    return counts, (ranks == 1).T.astype(np.float64)


def _tied_counts(utility: Array) -> tuple[Array, Array]:
    """:func:`acceptability_counts` for rows with ties: a group shares the ranks it spans."""
    r = rank(utility)  # competition ranks, ties share the best
    m = r.shape[1]
    group = (r[:, :, None] == r[:, None, :]).sum(axis=-1)  # tie-group size per entry
    offset = np.arange(m)
    spans = offset[None, None, :] < group[:, :, None]  # (k, m, m): ranks covered by the group
    target = np.minimum(r[:, :, None] - 1 + offset, m - 1)
    index = np.arange(m)[None, :, None] * m + target
    share = np.where(spans, 1.0 / group[:, :, None], 0.0)
    # weighted bincount counts in float64 (numpy's stubs say intp)
    counts = np.asarray(np.bincount(index.ravel(), weights=share.ravel(), minlength=m * m), dtype=np.float64)
    return counts.reshape(m, m), np.where(r == 1, 1.0 / group, 0.0)


def sample_performance(
    rng: np.random.Generator,
    matrix: Array,
    low: Array,
    high: Array,
    size: int,
    distribution: Literal["uniform", "triangular"],
) -> Array:
    """Draw ``size`` matrices (size, m, n); cells with ``low == high`` keep their value.

    Notes
    -----
    "uniform" draws from :math:`U[l, h]`; "triangular" from the triangular law on
    :math:`[l, h]` with mode at the catalogue value, by inversion of its CDF, so both consume one
    uniform number per uncertain cell.
    """
    cells = np.flatnonzero(high > low)
    out = np.broadcast_to(matrix, (size, *matrix.shape)).copy()
    if cells.size == 0:
        return out
    a, b, c = low.ravel()[cells], high.ravel()[cells], matrix.ravel()[cells]
    u = rng.random((size, cells.size))
    if distribution == "uniform":
        x = a + u * (b - a)
    else:
        split = (c - a) / (b - a)
        x = np.where(
            u < split,
            a + np.sqrt(u * (b - a) * (c - a)),
            b - np.sqrt((1.0 - u) * (b - a) * (b - c)),
        )
    out.reshape(size, -1)[:, cells] = x
    return out


def _positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)


def _blocks(total: int) -> list[int]:
    full, rest = divmod(total, BLOCK)
    return [BLOCK] * full + ([rest] if rest else [])


def _seed_sequence(seed: Seed) -> tuple[np.random.SeedSequence, int | None]:
    if isinstance(seed, np.random.SeedSequence):
        return seed, None
    sequence = np.random.default_rng(seed).bit_generator.seed_seq
    if not isinstance(sequence, np.random.SeedSequence):  # only a hand-made bit generator lacks one
        raise ValueError(f"seed must be an int, a SeedSequence or a numpy Generator; got {seed!r}")
    as_int = int(seed) if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) else None
    return sequence, as_int


def _ranges(x: Array, low: ArrayLike | None, high: ArrayLike | None) -> tuple[Array, Array] | None:
    if low is None and high is None:
        return None
    if low is None or high is None:
        raise ValueError("give both low and high performance bounds, or neither")
    lo = np.array(low, dtype=np.float64)
    hi = np.array(high, dtype=np.float64)
    for name, arr in (("low", lo), ("high", hi)):
        if arr.shape != x.shape:
            raise ValueError(f"{name} must have the matrix's shape {x.shape}; got {arr.shape}")
    # a NaN bound means "no range": the cell keeps its value
    lo = np.where(np.isnan(lo), x, lo)
    hi = np.where(np.isnan(hi), x, hi)
    bad = ~np.isfinite(lo) | ~np.isfinite(hi) | (lo > x) | (hi < x)
    if bad.any():
        r, c = (int(v) for v in np.argwhere(bad)[0])
        raise ValueError(
            f"performance range [{lo[r, c]:g}, {hi[r, c]:g}] at row {r}, column {c} must be finite "
            f"and contain the value {x[r, c]:g}"
        )
    return lo, hi


def smaa(
    matrix: ArrayLike,
    directions: ArrayLike,
    *,
    weights: WeightModel | None = None,
    method: str = "topsis",
    normalization: str | None = None,
    v: float = 0.5,
    low: ArrayLike | None = None,
    high: ArrayLike | None = None,
    distribution: Literal["uniform", "triangular"] = "triangular",
    samples: int = DEFAULT_SAMPLES,
    confidence_samples: int = 10_000,
    chunk_size: int = DEFAULT_CHUNK,
    meta_weights: ArrayLike | None = None,
    seed: Seed = None,
    progress: Progress | None = None,
) -> SMAAResult:
    """Rank acceptability indices, central weights and confidence factors (SMAA-2).

    Parameters
    ----------
    matrix : array_like, shape (m, n)
        Decision matrix (the modes of uncertain values).
    directions : array_like, shape (n,)
        +1 benefit, -1 cost.
    weights : WeightModel, optional
        Weight distribution: :class:`UniformWeights` (default), :class:`DirichletWeights` or
        :class:`JudgmentWeights`.
    method : {"topsis", "wsm", "vikor", "promethee"}, optional
    normalization : str, optional
        For TOPSIS and WSM (default: the method's own).
    v : float, optional
        VIKOR's v.
    low, high : array_like, shape (m, n), optional
        Ranges of uncertain performance values (NaN or equal to the value: no range). Without
        them the matrix is fixed.
    distribution : {"triangular", "uniform"}, optional
        Law of an uncertain value within its range; triangular has its mode at the catalogue
        value (default).
    samples : int, optional
        Samples for the acceptability indices (default 100,000).
    confidence_samples : int, optional
        Performance samples per confidence factor (default 10,000; unused for a fixed matrix,
        where the factors are exact).
    chunk_size : int, optional
        Samples evaluated at once (default 20,000), rounded to whole blocks; bounds the memory.
    meta_weights : array_like, shape (m,), optional
        :math:`\\alpha_r` for the holistic acceptability; default linear,
        :math:`\\alpha_r = (m - r) / (m - 1)`.
    seed : int, Generator or SeedSequence, optional
        Randomness (see the module notes on reproducibility).
    progress : callable, optional
        ``progress(done, total)`` after every chunk, for a progress bar: ``total`` counts the
        acceptability samples plus, with uncertain performance values, the confidence samples;
        the last call has ``done == total``. It sees counts only, never the samples, so the
        chunks stay whole numpy batches and the results do not depend on it.

    Returns
    -------
    SMAAResult

    Notes
    -----
    With sampled weights :math:`w^{(s)}` and matrices :math:`X^{(s)}`,

    .. math:: b_i^r = \\frac{1}{K} \\sum_s [\\operatorname{rank}_i(X^{(s)}, w^{(s)}) = r],
              \\qquad w_i^c = \\frac{\\sum_s [\\operatorname{rank}_i = 1]\\, w^{(s)}}
                                   {\\sum_s [\\operatorname{rank}_i = 1]},

    and :math:`p_i^c` is the share of fresh matrix samples for which :math:`w_i^c` ranks i first.
    Every chunk is evaluated as one batch, by the method's batch scorer
    (:meth:`engine.mcda.registry.Method.utilities`), for one matrix or a stack of sampled
    matrices; a fixed matrix under TOPSIS or WSM by :class:`engine.kernels.sampled.BatchScorer`.
    The standard error of an index is at most :math:`0.5/\\sqrt{K}` (0.0016 for K = 100,000).

    References
    ----------
    .. [1] Lahdelma, R., & Salminen, P. (2001). SMAA-2: Stochastic multicriteria acceptability
       analysis for group decision making. Operations Research, 49(3), 444-454.
    .. [2] Tervonen, T., & Figueira, J. R. (2008). A survey on stochastic multicriteria
       acceptability analysis methods. Journal of Multi-Criteria Decision Analysis, 15(1-2), 1-14.
    """
    spec = get(method)
    if distribution not in ("uniform", "triangular"):
        raise ValueError(f"distribution must be 'uniform' or 'triangular'; got {distribution!r}")
    x = as_matrix(matrix)
    m, n = x.shape
    d = as_directions(directions, n)
    model: WeightModel = weights if weights is not None else UniformWeights(n)
    if model.n != n:
        raise ValueError(f"the weight model draws {model.n} weights but the matrix has {n} criteria")
    samples = _positive_int(samples, "samples")
    confidence_samples = _positive_int(confidence_samples, "confidence_samples")
    chunk_blocks = max(1, _positive_int(chunk_size, "chunk_size") // BLOCK)
    if meta_weights is None:
        alpha = np.linspace(1.0, 0.0, m) if m > 1 else np.ones(1)
    else:
        alpha = np.array(meta_weights, dtype=np.float64)
        if alpha.shape != (m,) or not np.all(np.isfinite(alpha)):
            raise ValueError(f"meta_weights must be {m} finite numbers; got {meta_weights!r}")
    ranges = _ranges(x, low, high)
    uncertain = ranges is not None and bool(np.any(ranges[1] > ranges[0]))
    norm = normalization if spec.normalization is not None else None
    options = spec.select(normalization=norm, v=v)
    root, seed_int = _seed_sequence(seed)
    main_seq, confidence_seq = root.spawn(2)

    def draw_matrices(rng: np.random.Generator, size: int) -> Array | None:
        if not uncertain:
            return None
        assert ranges is not None
        return sample_performance(rng, x, ranges[0], ranges[1], size, distribution)

    # A fixed matrix under TOPSIS or WSM: everything that does not depend on the weights is
    # computed once, and each chunk is one product in the samples-last layout (engine.kernels.sampled)
    scorer = BatchScorer(x, d, method, norm) if not uncertain and method in BatchScorer.METHODS else None
    # Sums are accumulated block by block, in block order, so that the floating-point totals
    # are the same whatever the chunk size; only the scoring itself runs on whole chunks.
    counts = np.zeros((m, m))
    first_total = np.zeros(m)
    weight_sum = np.zeros((m, n))
    total_work = samples + (confidence_samples if uncertain else 0)
    done = 0
    sizes = _blocks(samples)
    seeds = main_seq.spawn(len(sizes))
    for start in range(0, len(sizes), chunk_blocks):  # chunks of whole blocks, never single samples
        chunk = list(
            zip(sizes[start : start + chunk_blocks], seeds[start : start + chunk_blocks], strict=True)
        )
        w_parts, x_parts = [], []
        for size, ss in chunk:
            rng = np.random.default_rng(ss)
            w_parts.append(model.sample(rng, size))
            x_parts.append(draw_matrices(rng, size))
        x_chunk = x if not uncertain else np.concatenate(x_parts)  # type: ignore[arg-type]
        w_chunk = np.concatenate(w_parts)
        if scorer is not None:
            chunk_counts, first = _fixed_matrix_counts(scorer(w_chunk.T))
        else:
            chunk_counts, first = acceptability_counts(u := spec.utilities(x_chunk, w_chunk, d, **options))
        # Without ties every count is whole and adds up exactly in any grouping, so the chunk
        # adds them at once; fractional tie shares are added block by block, in the order
        # every chunk size shares. Weighted sums always go block by block.
        whole = np.array_equal(chunk_counts, np.round(chunk_counts))
        if whole:
            counts += chunk_counts
            first_total += first.sum(axis=0)
        ends = np.cumsum([len(w_block) for w_block in w_parts])[:-1]
        if not whole and scorer is not None:
            u = spec.utilities(x_chunk, w_chunk, d, **options)
        for index, (w_block, first_block) in enumerate(zip(w_parts, np.split(first, ends), strict=True)):
            if not whole:
                counts += acceptability_counts(np.split(u, ends)[index])[0]
                first_total += first_block.sum(axis=0)
            weight_sum += first_block.T @ w_block
        done += len(w_chunk)
        if progress is not None:
            progress(done, total_work)

    acceptability = counts / samples
    ever_first = first_total > 0
    central = np.full((m, n), np.nan)
    central[ever_first] = weight_sum[ever_first] / first_total[ever_first, None]

    confidence = np.full(m, np.nan)
    used_confidence = 0
    if ever_first.any():
        wc = central[ever_first]
        c = wc.shape[0]
        who = np.flatnonzero(ever_first)
        if not uncertain:
            _, first = acceptability_counts(spec.utilities(x, wc, d, **options))
            confidence[who] = first[np.arange(c), who]
        else:
            used_confidence = confidence_samples
            hits = np.zeros(c)
            sizes = _blocks(confidence_samples)
            seeds = confidence_seq.spawn(len(sizes))
            # every sampled matrix is scored once per central weight vector: keep chunks to
            # about chunk_size evaluations
            per_chunk = max(1, chunk_blocks // c)
            for start in range(0, len(sizes), per_chunk):
                chunk_sizes = sizes[start : start + per_chunk]
                stack = np.concatenate(
                    [
                        draw_matrices(np.random.default_rng(ss), size)  # type: ignore[misc]
                        for size, ss in zip(chunk_sizes, seeds[start : start + per_chunk], strict=True)
                    ]
                )
                k = stack.shape[0]
                u = spec.utilities(np.repeat(stack, c, axis=0), np.tile(wc, (k, 1)), d, **options)
                for u_block in np.split(u.reshape(k, c, m), np.cumsum(chunk_sizes)[:-1]):
                    _, first = acceptability_counts(u_block.reshape(-1, m))
                    hits += first.reshape(-1, c, m)[:, np.arange(c), who].sum(axis=0)
                done += k
                if progress is not None:
                    progress(done, total_work)
            confidence[who] = hits / confidence_samples
    if progress is not None and done != total_work:  # no confidence samples were needed after all
        progress(total_work, total_work)

    return SMAAResult(
        acceptability=readonly(acceptability),
        central_weights=readonly(central),
        confidence=readonly(confidence),
        holistic=readonly(acceptability @ alpha),
        meta_weights=readonly(alpha),
        samples=samples,
        confidence_samples=used_confidence,
        weight_model=model.describe(),
        performance=distribution if uncertain else "fixed",
        method=method,
        normalization=norm if norm is not None else spec.normalization,
        seed=seed_int,
        block=BLOCK,
    )
