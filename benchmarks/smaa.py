"""Time SMAA-2 on the shipped problem: 100,000 samples, and 10^6 with peak memory.

Run from the repository root:

    python benchmarks/smaa.py                      # 100,000 and 1,000,000 samples
    python benchmarks/smaa.py --samples 20000 --big 200000 --repeat 1

Every configuration is timed (best of ``--repeat``) without tracing, then run once more under
``tracemalloc`` (which numpy reports its buffers to) for the peak memory. A plain Python loop over
a few thousand samples, scoring one weight vector at a time, gives the per-sample baseline.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.analysis import run
from engine.load import load_problem
from engine.mcda.methods import topsis
from engine.robustness.smaa import DirichletWeights, UniformWeights, smaa
from engine.robustness.study import judgment_model, performance_ranges


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_mib(fn) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chunk-size", type=int, default=20_000)
    parser.add_argument("--loop", type=int, default=2_000, help="samples for the plain-loop baseline")
    args = parser.parse_args()

    problem = load_problem()
    analysis = run(problem)
    x, d, w = problem.matrix, problem.directions, analysis.weights
    low, high = performance_ranges(problem)
    ranged = int(np.sum(high > low))
    models = {
        "uniform weights, fixed scores": (UniformWeights(len(w)), None, None),
        "dirichlet(50), triangular scores": (DirichletWeights(w, 50.0), low, high),
        "judgments ±1 step, triangular scores": (
            judgment_model(problem, analysis.settings, analysis),
            low,
            high,
        ),
    }
    m, n = x.shape
    print(f"policyrank SMAA-2 benchmark — {m} countermeasures x {n} criteria, {ranged} scores with a range")
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print(f"method topsis/vector, chunk {args.chunk_size:,}, confidence factors from 10,000 samples\n")

    def call(model, lo, hi, samples: int, chunk: int = args.chunk_size):
        return lambda: smaa(x, d, weights=model, low=lo, high=hi, samples=samples, chunk_size=chunk, seed=1)

    header = f"{'configuration':<40} {'samples':>10} {'seconds':>9} {'us/sample':>10} {'peak MiB':>9}"
    print(header)
    print("-" * len(header))
    for name, (model, lo, hi) in models.items():
        for samples in (args.samples, args.big):
            repeat = args.repeat if samples <= args.samples else 1
            seconds = best_of(repeat, call(model, lo, hi, samples))
            peak = peak_mib(call(model, lo, hi, samples))
            print(f"{name:<40} {samples:>10,} {seconds:>9.2f} {1e6 * seconds / samples:>10.2f} {peak:>9.1f}")

    model, lo, hi = models["judgments ±1 step, triangular scores"]
    print("\npeak memory of 10^6 judgment samples by chunk size (results are identical):")
    for chunk in (5_000, 20_000, 100_000):
        print(f"  chunk {chunk:>7,}: {peak_mib(call(model, lo, hi, args.big, chunk)):7.1f} MiB")

    rng = np.random.default_rng(1)
    weights = UniformWeights(n).sample(rng, args.loop)

    def loop() -> None:
        for row in weights:  # the per-sample baseline the vectorised path replaces
            np.argsort(-topsis(x, row, d))

    per_loop = best_of(args.repeat, loop) / args.loop
    per_batch = (
        best_of(args.repeat, call(*models["uniform weights, fixed scores"], args.samples)) / args.samples
    )
    print(f"\nplain loop, one topsis() call per sample: {1e6 * per_loop:.1f} us/sample")
    ratio = per_loop / per_batch
    print(f"vectorised SMAA (uniform, fixed): {1e6 * per_batch:.2f} us/sample; ratio {ratio:.0f}x")


if __name__ == "__main__":
    main()
