"""Shared timing helpers: best of several runs, and what BLAS kernel runs."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def best(fn: Callable[[], object], *, repeat: int = 5, warmup: int = 1) -> float:
    """Smallest wall-clock time of `repeat` calls (seconds): the least disturbed run."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def blas() -> str:
    """The BLAS library, kernel and thread count numpy uses, and the OpenBLAS overrides in force."""
    import numpy  # noqa: F401  (loads the BLAS library that threadpoolctl reports)

    try:
        from threadpoolctl import threadpool_info

        info = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        kernel = ", ".join(f"{i['internal_api']} {i.get('architecture')} x{i['num_threads']}" for i in info)
    except ImportError:
        kernel = "threadpoolctl not installed"
    overrides = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}
    return f"BLAS: {kernel or 'unknown'}; overrides: {overrides or 'none'}"


def table(rows: list[tuple[str, str, str]]) -> str:
    width = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join(f"{a:<{width[0]}}  {b:>{width[1]}}  {c}" for a, b, c in rows)
