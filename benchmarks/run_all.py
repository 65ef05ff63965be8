"""Run every speed benchmark in one process and print one table of times and ratios.

    python benchmarks/run_all.py

For a fair comparison with other libraries run it with the machine's OpenBLAS overrides unset,
in that command alone: ``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/run_all.py``.
The first line says which BLAS kernel then runs. Timings are the best of several runs.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import os
import subprocess
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _timing import blas, table  # noqa: E402

SUITES = [
    ("TOPSIS 10^6 x 15", "topsis_large"),
    ("Batched weights 7 x 10, 10^6", "weight_batches"),
    ("AHP 15 x 15", "ahp_priorities"),
    ("Screening 10^6 x 15 Parquet", "screen_parquet"),
    ("App rerun", "app_rerun"),
    ("CLI start-up (fresh processes)", "cli_startup"),
    ("Memo rendering", "memo"),
    ("YAML reading (shipped files)", "yaml_load"),
]


def main() -> None:
    warnings.simplefilter("ignore")
    print(blas())
    print(f"load average before: {os.getloadavg()[0]:.2f} (other processes skew every figure)")
    rows: list[tuple[str, str, str]] = []
    for title, module_name in SUITES:
        if not (HERE / f"{module_name}.py").exists():
            continue
        rows.append((f"== {title}", "", ""))
        module = importlib.import_module(module_name)
        run = getattr(module, "run", None)
        if run is not None and not any(
            p.default is inspect.Parameter.empty for p in inspect.signature(run).parameters.values()
        ):
            with contextlib.redirect_stdout(io.StringIO()):
                rows.extend(run())
            continue
        # a script with its own command line: run it as is and show what it prints
        done = subprocess.run(
            [sys.executable, str(HERE / f"{module_name}.py")], capture_output=True, text=True, check=False
        )
        rows.extend((line, "", "") for line in done.stdout.strip().splitlines())
    print(table(rows))
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
