"""Time one full app rerun after a weight change on the shipped data (server side, AppTest).

Run from the repository root:

    python benchmarks/app_rerun.py                  # weights page, 30 reruns
    python benchmarks/app_rerun.py --page ranking --repeat 50

Each rerun moves one importance slider to a value not used before, so the analysis cache never
answers and every rerun pays for ``engine.analysis.run`` plus drawing the whole page. For the
ranking page the new weights are put into the session directly (it has no sliders). The median
and the spread of the reruns are printed in milliseconds, beside the engine's own share.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit import logger as streamlit_logger  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from engine.analysis import run  # noqa: E402
from engine.load import load_problem  # noqa: E402
from engine.settings import Settings  # noqa: E402
from ui import state  # noqa: E402

TARGET_MS = 200.0


def rerun_times(page: str, repeat: int) -> list[float]:
    problem = load_problem()
    leaf = problem.leaf_ids[-1]
    app = AppTest.from_file(str(ROOT / "ui" / "views" / f"{page}.py"), default_timeout=120).run()
    if app.exception:
        raise SystemExit(f"{page}: {app.exception[0].value}")
    values = np.linspace(0.2, 9.8, repeat + 1)  # a fresh weight every time: no cache hits
    times = []
    for value in values[1:]:
        if page == "weights":
            app.slider(key=state.importance_key(leaf)).set_value(round(float(value), 1))
        else:
            weights = {other: 1.0 for other in problem.leaf_ids} | {leaf: float(value)}
            app.session_state[state.SETTINGS] = Settings().with_manual_weights(weights)
        start = time.perf_counter()
        app.run()
        times.append((time.perf_counter() - start) * 1000)
        if app.exception:
            raise SystemExit(f"{page}: {app.exception[0].value}")
    return times


def engine_times(repeat: int) -> list[float]:
    problem = load_problem()
    times = []
    for value in np.linspace(1, 9, repeat):
        settings = Settings().with_manual_weights(
            {leaf: 1.0 for leaf in problem.leaf_ids} | {problem.leaf_ids[-1]: float(value)}
        )
        start = time.perf_counter()
        run(problem, settings)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", choices=("weights", "ranking", "overview"), default="weights")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    # AppTest runs without a server; Streamlit says so on every call
    streamlit_logger.set_log_level("error")
    st.cache_resource.clear()

    reruns = rerun_times(args.page, args.repeat)
    engine = engine_times(args.repeat)
    median = statistics.median(reruns)
    quartiles = statistics.quantiles(reruns, n=4)
    print(f"python {platform.python_version()}, streamlit {st.__version__}, {platform.machine()}")
    print(f"page {args.page}, {args.repeat} reruns after a weight change, shipped data")
    print(
        f"  full rerun      median {median:7.1f} ms   (quartiles {quartiles[0]:.1f} .. {quartiles[2]:.1f}, "
        f"max {max(reruns):.1f})"
    )
    print(f"  engine run()    median {statistics.median(engine):7.1f} ms")
    verdict = "within" if median < TARGET_MS else "ABOVE"
    print(f"  target {TARGET_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
