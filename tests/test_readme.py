"""Every ```python block of README.md runs as written, each on its own in a fresh interpreter.

A block runs in an empty temporary folder, so whatever it writes stays out of the checkout and it
can only rely on the installed package and its shipped data, as a reader copying it would.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

FENCE = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
SLOW = ("dask", "distributed")  # starts a local cluster: seconds, not milliseconds


def python_blocks(path: Path) -> list[tuple[int, str]]:
    """``(line number, code)`` of each fenced Python block in ``path``."""
    text = path.read_text(encoding="utf-8")
    return [(text.count("\n", 0, match.start()) + 1, match.group(1)) for match in FENCE.finditer(text)]


BLOCKS = python_blocks(ROOT / "README.md")


def test_readme_has_python_blocks():
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(
            code, id=f"line-{line}", marks=[pytest.mark.slow] if any(s in code for s in SLOW) else []
        )
        for line, code in BLOCKS
    ],
)
def test_block_runs_as_written(code, tmp_path):
    script = tmp_path / "snippet.py"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"README block failed:\n{code}\n{done.stderr[-3000:]}"
