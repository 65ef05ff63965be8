"""AHP priorities and consistency of a 15 x 15 matrix vs one numpy.linalg.eig call.

python benchmarks/ahp_priorities.py
"""

from __future__ import annotations

import numpy as np
from _timing import best, blas, table

from engine.mcda.ahp import priorities


def run() -> list[tuple[str, str, str]]:
    rng = np.random.default_rng(0)
    w = rng.random(15)
    noise = np.exp(rng.normal(0, 0.3, (15, 15)))
    upper = np.triu(np.outer(w, 1 / w) * noise, 1)
    a = upper + np.triu(1 / np.where(upper > 0, upper, 1.0), 1).T + np.eye(15)
    eig = _per_call(lambda: np.linalg.eig(a))
    ours = _per_call(lambda: priorities(a))
    return [
        ("numpy.linalg.eig(15 x 15)", f"{eig * 1e6:.1f} us", "1.00x"),
        (
            "engine.mcda.ahp.priorities (validation + Perron vector + CR)",
            f"{ours * 1e6:.1f} us",
            f"{ours / eig:.2f}x eig",
        ),
    ]


def _per_call(fn, number: int = 500) -> float:
    return best(lambda: [fn() for _ in range(number)], repeat=7) / number


def main() -> None:
    print(f"AHP 15 x 15 ({blas()})")
    print(table(run()))


if __name__ == "__main__":
    main()
