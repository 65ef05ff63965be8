"""Start-up time of ``policyrank`` beside ``python -c "import numpy"``, measured in one run.

    python benchmarks/cli_startup.py

Each command is a fresh process; the figure is the best of 10 runs after one warm-up (the least
disturbed by whatever else the machine does). The ratio to ``import numpy`` is what the help
and the light commands are held to: ``policyrank --help`` should stay under 3x.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from _timing import ROOT, table

REPEAT = 10


def policyrank() -> list[str]:
    """The installed ``policyrank`` script of this interpreter, else the module entry point."""
    script = Path(sys.executable).with_name("policyrank")
    if script.is_file():
        return [str(script)]
    found = shutil.which("policyrank")
    return [found] if found else [sys.executable, "-m", "engine.cli"]


def best_of(command: list[str], repeat: int = REPEAT) -> float:
    """Smallest wall-clock time (seconds) of ``repeat`` runs of ``command``, after one warm-up."""
    times = []
    for k in range(repeat + 1):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        if k:
            times.append(time.perf_counter() - start)
    return min(times)


def run() -> list[tuple[str, str, str]]:
    cli = policyrank()
    commands = [
        ('python -c "import numpy"', [sys.executable, "-c", "import numpy"]),
        ('python -c "pass"', [sys.executable, "-c", "pass"]),
        ("policyrank --help", [*cli, "--help"]),
        ("policyrank rank --help", [*cli, "rank", "--help"]),
        ("policyrank validate", [*cli, "validate"]),
        ("policyrank rank", [*cli, "rank"]),
    ]
    times = {label: best_of(command) for label, command in commands}
    numpy = times['python -c "import numpy"']
    return [(label, f"{seconds * 1e3:.0f} ms", f"{seconds / numpy:.2f}x") for label, seconds in times.items()]


def main() -> None:
    rows = run()
    print(f"best of {REPEAT} runs each; ratio to import numpy")
    print(table(rows))


if __name__ == "__main__":
    main()
