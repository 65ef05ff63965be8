"""TOPSIS on 10^6 x 15 float64: engine vs one np.sum pass vs pymcdm, pyDecision, scikit-criteria.

python benchmarks/topsis_large.py [--rows 1000000] [--cols 15]
"""

from __future__ import annotations

import argparse
import contextlib
import io

import numpy as np
from _timing import best, blas, table

from engine.mcda.methods import topsis


def competitors(x, w, d):
    """Every installed library's TOPSIS with vector normalisation, validation off where it can be."""
    out = {}
    try:
        from pymcdm.methods import TOPSIS
        from pymcdm.normalizations import vector_normalization

        body = TOPSIS(normalization_function=vector_normalization)
        out["pymcdm 1.x (validation=False)"] = lambda: body(x, w, d, validation=False)
    except ImportError:
        pass
    try:
        from pyDecision.algorithm import topsis_method

        types = ["max" if v > 0 else "min" for v in d]
        out["pyDecision"] = lambda: topsis_method(x, w, types, graph=False, verbose=False)
    except ImportError:
        pass
    try:
        import skcriteria as skc
        from skcriteria.agg.topsis import TOPSIS as SkTOPSIS
        from skcriteria.preprocessing.scalers import VectorScaler

        def skcriteria_topsis():
            dm = skc.mkdm(x, objectives=[max if v > 0 else min for v in d], weights=w)
            return SkTOPSIS().evaluate(VectorScaler(target="matrix").transform(dm))

        out["scikit-criteria"] = skcriteria_topsis
    except ImportError:
        pass
    return out


def run(rows: int = 1_000_000, cols: int = 15, repeat: int = 7) -> list[tuple[str, str, str]]:
    rng = np.random.default_rng(0)
    x = rng.random((rows, cols)) * rng.uniform(1, 1000, cols)
    w = rng.random(cols)
    w /= w.sum()
    d = np.where(rng.random(cols) < 0.5, 1, -1)
    one_pass = best(lambda: np.sum(x), repeat=15)
    ours = best(lambda: topsis(x, w, d), repeat=repeat)
    result = [
        ("np.sum (one pass)", f"{one_pass * 1e3:.1f} ms", "1.0x"),
        ("engine.mcda.methods.topsis", f"{ours * 1e3:.1f} ms", f"{ours / one_pass:.1f}x one pass"),
    ]
    times = {}
    for name, fn in competitors(x, w, d).items():
        with contextlib.redirect_stdout(io.StringIO()):
            times[name] = best(fn, repeat=3)
        result.append((name, f"{times[name] * 1e3:.1f} ms", f"{times[name] / ours:.1f}x slower than engine"))
    if times:
        fastest = min(times, key=times.get)
        result.append(("fastest other: " + fastest, "", f"engine is {times[fastest] / ours:.1f}x faster"))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--cols", type=int, default=15)
    args = parser.parse_args()
    print(f"TOPSIS {args.rows:,} x {args.cols} float64 ({blas()})")
    print(table(run(args.rows, args.cols)))


if __name__ == "__main__":
    main()
