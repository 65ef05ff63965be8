"""SMAA-2: indices are distributions, agree with a plain loop, and the samplers have the right law."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

from engine.analysis import run
from engine.hierarchy import judgment_matrix, synthesize
from engine.load import load_problem
from engine.mcda.ahp import priorities
from engine.mcda.methods import METHODS, promethee_ii, topsis, vikor, wsm
from engine.robustness.smaa import (
    BLOCK,
    DirichletWeights,
    JudgmentWeights,
    UniformWeights,
    acceptability_counts,
    sample_performance,
    smaa,
)

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def _problem(seed: int = 0, m: int = 5, n: int = 4):
    rng = np.random.default_rng(seed)
    x = rng.uniform(2.0, 8.0, (m, n))
    d = np.where(np.arange(n) % 3 == 2, -1, 1)
    return x, d


def _utility(method, x, w, d):
    if method == "topsis":
        return topsis(x, w, d)
    if method == "wsm":
        return wsm(x, w, d)
    if method == "vikor":
        return -vikor(x, w, d)[2]
    return promethee_ii(x, w, d)


@pytest.mark.parametrize("method", METHODS)
def test_indices_sum_to_one_per_rank_and_per_alternative(method):
    x, d = _problem(1)
    result = smaa(x, d, method=method, samples=3_000, seed=1)
    assert_allclose(result.acceptability.sum(axis=0), 1.0)
    assert_allclose(result.acceptability.sum(axis=1), 1.0)
    assert np.all(result.acceptability >= 0)


def test_tied_alternatives_share_their_ranks():
    x, d = _problem(2)
    x = np.vstack([x, x[0]])  # an exact copy of the first alternative
    result = smaa(x, d, samples=2_000, seed=2)
    assert_allclose(result.acceptability.sum(axis=0), 1.0)
    assert_allclose(result.acceptability.sum(axis=1), 1.0)
    assert_allclose(result.acceptability[0], result.acceptability[-1])


def test_acceptability_counts_split_a_three_way_tie():
    counts, first = acceptability_counts([[1.0, 1.0, 1.0], [3.0, 2.0, 1.0]])
    assert_allclose(counts, [[1 / 3 + 1, 1 / 3, 1 / 3], [1 / 3, 1 / 3 + 1, 1 / 3], [1 / 3, 1 / 3, 1 / 3 + 1]])
    assert_allclose(first, [[1 / 3, 1 / 3, 1 / 3], [1, 0, 0]])


@pytest.mark.parametrize("method", ["topsis", "promethee"])
def test_agrees_with_a_plain_loop_over_the_same_draws(method):
    """The reproducibility contract, followed sample by sample with the single-vector API."""
    x, d = _problem(3)
    low, high = x - 1.0, x + 1.5
    low[:, 1] = high[:, 1] = np.nan  # one criterion without ranges
    samples, confidence_samples, seed = 2_500, 1_500, 42
    options = {"low": low, "high": high, "confidence_samples": confidence_samples, "chunk_size": 2_000}
    result = smaa(x, d, method=method, samples=samples, seed=seed, **options)
    m, n = x.shape
    lo, hi = np.where(np.isnan(low), x, low), np.where(np.isnan(high), x, high)
    main, second = np.random.SeedSequence(seed).spawn(2)
    sizes = [BLOCK, BLOCK, samples - 2 * BLOCK]
    counts = np.zeros((m, m))
    first_weights = np.zeros((m, n))
    model = UniformWeights(n)
    for size, ss in zip(sizes, main.spawn(len(sizes)), strict=True):
        rng = np.random.default_rng(ss)
        weights = model.sample(rng, size)
        matrices = sample_performance(rng, x, lo, hi, size, "triangular")
        for s in range(size):
            u = _utility(method, matrices[s], weights[s], d)
            positions = np.argsort(np.argsort(-u, kind="stable"), kind="stable")
            counts[np.arange(m), positions] += 1
            first_weights[np.argmax(u)] += weights[s]
    assert_array_equal(result.acceptability, counts / samples)
    ever = counts[:, 0] > 0
    assert_allclose(result.central_weights[ever], first_weights[ever] / counts[ever, :1], rtol=1e-12)
    assert np.isnan(result.central_weights[~ever]).all()

    hits = np.full(m, np.nan)
    hits[ever] = 0.0
    conf_sizes = [BLOCK, confidence_samples - BLOCK]
    for size, ss in zip(conf_sizes, second.spawn(len(conf_sizes)), strict=True):
        matrices = sample_performance(np.random.default_rng(ss), x, lo, hi, size, "triangular")
        for s in range(size):
            for i in np.flatnonzero(ever):
                hits[i] += np.argmax(_utility(method, matrices[s], result.central_weights[i], d)) == i
    assert_allclose(result.confidence, hits / confidence_samples)


@pytest.mark.parametrize("chunk_size", [1_000, 3_000, 50_000])
def test_results_do_not_depend_on_the_chunk_size(chunk_size):
    x, d = _problem(4)
    low, high = x * 0.8, x * 1.1
    kwargs = {"low": low, "high": high, "samples": 7_321, "confidence_samples": 2_345, "seed": 9}
    reference = smaa(x, d, chunk_size=20_000, **kwargs)
    result = smaa(x, d, chunk_size=chunk_size, **kwargs)
    assert_array_equal(result.acceptability, reference.acceptability)
    assert_array_equal(result.central_weights, reference.central_weights)
    assert_array_equal(result.confidence, reference.confidence)


def test_same_seed_same_result_other_seed_other_result():
    x, d = _problem(5)
    a = smaa(x, d, samples=4_000, seed=11)
    b = smaa(x, d, samples=4_000, seed=11)
    c = smaa(x, d, samples=4_000, seed=12)
    assert_array_equal(a.acceptability, b.acceptability)
    assert not np.array_equal(a.acceptability, c.acceptability)
    assert a.seed == 11
    assert smaa(x, d, samples=1_000, seed=np.random.default_rng(1)).seed is None


def test_uniform_weights_are_uniform_on_the_simplex():
    n = 5
    w = UniformWeights(n).sample(np.random.default_rng(20), 20_000)
    assert_allclose(w.sum(axis=1), 1.0)
    for j in range(n):  # every marginal of Dirichlet(1, ..., 1) is Beta(1, n - 1)
        assert stats.kstest(w[:, j], stats.beta(1, n - 1).cdf).pvalue > 1e-3
    # the same test does reject a sampler that is not uniform on the simplex
    naive = np.random.default_rng(20).random((20_000, n))
    naive /= naive.sum(axis=1, keepdims=True)
    assert stats.kstest(naive[:, 0], stats.beta(1, n - 1).cdf).pvalue < 1e-3


def test_dirichlet_weights_centre_on_the_given_weights():
    center = np.array([0.5, 0.3, 0.2, 0.0])
    model = DirichletWeights(center, 50)
    w = model.sample(np.random.default_rng(3), 40_000)
    assert_allclose(w.sum(axis=1), 1.0)
    assert np.all(w[:, 3] == 0)
    variance = center * (1 - center) / 51
    assert_allclose(w.mean(axis=0), center, atol=4 * np.sqrt(variance.max() / 40_000))
    assert_allclose(w[:, :3].var(axis=0), variance[:3], rtol=0.05)
    assert model.describe() == "dirichlet(concentration=50)"


def test_triangular_ranges_follow_the_triangular_law():
    x = np.array([[3.0, 5.0]])
    low, high = np.array([[1.0, 5.0]]), np.array([[7.0, 5.0]])
    draws = sample_performance(np.random.default_rng(8), x, low, high, 20_000, "triangular")
    assert np.all(draws[:, 0, 1] == 5.0)  # no range: the value stays
    law = stats.triang(c=(3.0 - 1.0) / 6.0, loc=1.0, scale=6.0)
    assert stats.kstest(draws[:, 0, 0], law.cdf).pvalue > 1e-3
    uniform = sample_performance(np.random.default_rng(8), x, low, high, 20_000, "uniform")
    assert stats.kstest(uniform[:, 0, 0], stats.uniform(1.0, 6.0).cdf).pvalue > 1e-3


def _mini_judgment_model(steps: int, aggregation: str = "judgments") -> tuple[JudgmentWeights, object]:
    problem = load_problem(MINI / "criteria.yaml", MINI / "countermeasures.yaml")
    criteria = problem.criteria
    matrices = {
        node.id: np.stack([judgment_matrix(node, e.judgments[node.id]) for e in criteria.experts])
        for node in criteria.judged_nodes
    }
    weights = {node.id: np.array([0.5, 0.5]) for node in criteria.judged_nodes}
    return JudgmentWeights(criteria.goal, matrices, weights, steps=steps, aggregation=aggregation), problem


def test_judgment_model_without_steps_gives_the_analysis_weights():
    model, problem = _mini_judgment_model(steps=0)
    w = model.sample(np.random.default_rng(0), 5)
    assert_allclose(w, np.broadcast_to(run(problem).weights, w.shape), atol=1e-12)


def test_judgment_model_moves_each_judgment_by_at_most_one_step():
    # mini: goal judgments 3 (expert A) and 1/3 (expert B), combined by geometric mean
    model, _ = _mini_judgment_model(steps=1)
    w = model.sample(np.random.default_rng(1), 9_000)
    ratio = (w[:, 0] + w[:, 1]) / w[:, 2]  # gain / cost
    # A's 3 becomes 2, 3 or 4 and B's 1/3 becomes 1/4, 1/3 or 1/2, each with probability 1/3;
    # three of the nine pairs give the same product 1
    products = np.round(np.outer([2.0, 3.0, 4.0], [1 / 4, 1 / 3, 1 / 2]).ravel(), 12)
    allowed, pairs = np.unique(products, return_counts=True)
    allowed = np.sqrt(allowed)
    nearest = np.abs(ratio[:, None] - allowed[None, :]).argmin(axis=1)
    assert_allclose(ratio, allowed[nearest], rtol=1e-9)
    shares = np.bincount(nearest, minlength=len(allowed)) / len(ratio)
    assert_allclose(shares, pairs / 9, atol=0.02)


def test_judgment_model_pooling_priorities_averages_the_experts_leaf_weights():
    model, problem = _mini_judgment_model(steps=0, aggregation="priorities")
    criteria = problem.criteria
    own = []
    for expert in criteria.experts:
        local = {
            node.id: priorities(judgment_matrix(node, expert.judgments[node.id])).weights
            for node in criteria.judged_nodes
        }
        own.append(synthesize(criteria.goal, local))
    w = model.sample(np.random.default_rng(0), 3)
    assert_allclose(w, np.broadcast_to(np.mean(own, axis=0), w.shape), atol=1e-12)


def test_an_alternative_never_first_has_no_central_weights():
    x, d = _problem(6)
    worst = np.where(d > 0, x.min(axis=0) - 1.0, x.max(axis=0) + 1.0)
    result = smaa(np.vstack([x, worst]), d, samples=2_000, seed=3)
    assert result.first[-1] == 0
    assert np.isnan(result.central_weights[-1]).all()
    assert np.isnan(result.confidence[-1])
    assert np.all(np.isfinite(result.confidence[result.first > 0]))


def test_holistic_acceptability_uses_linear_meta_weights_by_default():
    x, d = _problem(7)
    result = smaa(x, d, samples=2_000, seed=4)
    m = x.shape[0]
    assert_allclose(result.meta_weights, (m - np.arange(1, m + 1)) / (m - 1))
    assert_allclose(result.holistic, result.acceptability @ result.meta_weights)


def test_fixed_performance_confidence_is_exact():
    x, d = _problem(8)
    result = smaa(x, d, samples=3_000, seed=5)
    assert result.performance == "fixed" and result.confidence_samples == 0
    finite = np.isfinite(result.confidence)
    assert set(np.unique(result.confidence[finite])) <= {0.0, 1.0}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"samples": 0}, "samples must be a positive integer"),
        ({"chunk_size": -5}, "chunk_size must be a positive integer"),
        ({"distribution": "normal"}, "distribution must be 'uniform' or 'triangular'"),
        ({"method": "ahp"}, "unknown method 'ahp'"),
        ({"low": np.zeros((5, 4))}, "give both low and high"),
        ({"low": np.full((5, 4), 5.0), "high": np.full((5, 4), 9.0)}, "must be finite and contain the value"),
        ({"weights": UniformWeights(3)}, "draws 3 weights but the matrix has 4 criteria"),
        ({"meta_weights": [1.0, 0.5]}, "meta_weights must be 5 finite numbers"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    x, d = _problem(0)
    with pytest.raises(ValueError, match=message):
        smaa(x, d, **kwargs)


def test_bad_weight_models_are_named():
    with pytest.raises(ValueError, match="concentration must be a positive number"):
        DirichletWeights(np.array([0.5, 0.5]), 0)
    with pytest.raises(ValueError, match="n must be a positive integer"):
        UniformWeights(0)
    model, _ = _mini_judgment_model(steps=1)
    with pytest.raises(ValueError, match="steps must be a non-negative integer"):
        JudgmentWeights(model.goal, model.matrices, model.expert_weights, steps=-1)
    with pytest.raises(ValueError, match="no judgment matrices for node 'gain'"):
        JudgmentWeights(model.goal, {"goal": model.matrices["goal"]}, model.expert_weights)


@pytest.mark.parametrize("method", ["topsis", "wsm"])
def test_fixed_matrix_path_agrees_with_a_plain_loop(method):
    """Fixed scores take the samples-last batch scorer; it must count exactly as the loop does."""
    x, d = _problem(5)
    samples, seed = 2_500, 9
    result = smaa(x, d, method=method, samples=samples, seed=seed, chunk_size=2_000)
    m, n = x.shape
    main, _ = np.random.SeedSequence(seed).spawn(2)
    sizes = [BLOCK, BLOCK, samples - 2 * BLOCK]
    counts = np.zeros((m, m))
    first_weights = np.zeros((m, n))
    for size, ss in zip(sizes, main.spawn(len(sizes)), strict=True):
        weights = UniformWeights(n).sample(np.random.default_rng(ss), size)
        for s in range(size):
            u = _utility(method, x, weights[s], d)
            positions = np.argsort(np.argsort(-u, kind="stable"), kind="stable")
            counts[np.arange(m), positions] += 1
            first_weights[np.argmax(u)] += weights[s]
    assert_array_equal(result.acceptability, counts / samples)
    ever = counts[:, 0] > 0
    assert_allclose(result.central_weights[ever], first_weights[ever] / counts[ever, :1], rtol=1e-12)


@pytest.mark.parametrize("ranged", [False, True])
def test_progress_is_reported_per_chunk_and_changes_nothing(ranged):
    x, d = _problem(3)
    low, high = (x - 0.2, x + 0.2) if ranged else (None, None)
    options = dict(low=low, high=high, samples=7_500, confidence_samples=3_000, chunk_size=2_000, seed=5)
    calls: list[tuple[int, int]] = []
    reported = smaa(x, d, progress=lambda done, total: calls.append((done, total)), **options)
    plain = smaa(x, d, **options)
    assert_array_equal(reported.acceptability, plain.acceptability)
    assert_array_equal(reported.confidence, plain.confidence)
    total = 7_500 + (3_000 if ranged else 0)
    assert {t for _, t in calls} == {total}
    done = [d_ for d_, _ in calls]
    assert done == sorted(done) and done[-1] == total
    # one call per chunk of 2,000 samples (4 for 7,500), not per sample
    assert done[:4] == [2_000, 4_000, 6_000, 7_500]
    assert len(calls) <= 4 + (3_000 // 1_000 if ranged else 0)
