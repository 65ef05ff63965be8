"""Batched weights (the SMAA path): 7 x 10 matrix, 10^6 uniform weight vectors, scored and ranked.

    python benchmarks/weight_batches.py [--samples 1000000]

The pymcdm figure is a Python loop of TOPSIS calls (validation off) plus a ranking per sample,
timed on a subset and extrapolated to the full count.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np
from _timing import best, blas, table

from engine.kernels.sampled import sample_rank_counts
from engine.mcda.ranking import rank
from engine.robustness.smaa import smaa


def run(samples: int = 1_000_000, loop_subset: int = 2_000) -> list[tuple[str, str, str]]:
    rng = np.random.default_rng(0)
    x = rng.random((7, 10))
    d = np.where(rng.random(10) < 0.5, 1, -1)
    draw = best(lambda: np.random.default_rng(1).standard_exponential((samples, 10)), repeat=3)
    ours = best(lambda: sample_rank_counts(x, d, samples=samples, seed=1), repeat=5)
    tracemalloc.start()
    sample_rank_counts(x, d, samples=samples, seed=1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    full = best(lambda: smaa(x, d, samples=samples, seed=1), repeat=3)
    tracemalloc.start()
    smaa(x, d, samples=samples, seed=1)
    full_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rows = [
        ("drawing the weights alone", f"{draw:.3f} s", f"{samples / draw / 1e6:.1f} M samples/s"),
        (
            "engine.kernels.sampled.sample_rank_counts",
            f"{ours:.3f} s",
            f"{samples / ours / 1e6:.2f} M samples/s (draw, score, rank, count), peak {peak / 2**20:.1f} MB",
        ),
        (
            "engine.smaa.smaa (SMAA-2, seeded blocks)",
            f"{full:.3f} s",
            f"{samples / full / 1e6:.2f} M samples/s (+ central weights, confidence), "
            f"peak {full_peak / 2**20:.1f} MB",
        ),
    ]
    try:
        from pymcdm.methods import TOPSIS
        from pymcdm.normalizations import vector_normalization

        body = TOPSIS(normalization_function=vector_normalization)
        weights = np.random.default_rng(2).dirichlet(np.ones(10), loop_subset)

        def loop():
            for w in weights:  # the loop being measured
                rank(body(x, w, d, validation=False))

        start = time.perf_counter()
        loop()
        per_sample = (time.perf_counter() - start) / loop_subset
        rows.append(
            (
                f"pymcdm loop ({loop_subset:,} calls, extrapolated)",
                f"{per_sample * samples:.1f} s",
                f"engine is {per_sample * samples / ours:,.0f}x faster",
            )
        )
    except ImportError:
        rows.append(("pymcdm", "not installed", ""))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=1_000_000)
    args = parser.parse_args()
    print(f"Batched weights, 7 x 10 matrix, {args.samples:,} weight vectors ({blas()})")
    print(table(run(args.samples)))


if __name__ == "__main__":
    main()
