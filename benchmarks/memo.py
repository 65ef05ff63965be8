"""Rendering a representative memo (tests/memo/samples.py) in every format, Chinese and English.

    python benchmarks/memo.py

Two figures per format: ``warm`` is the best of 5 renders in one process after a first one (what
the app pays, its charts drawn and glyphs converted already); ``first`` is the first render in a
fresh process, with the lazy imports (python-docx, fpdf2, matplotlib), the charts and the glyphs
it needs (what ``policyrank memo`` pays on top of the analysis).
"""

from __future__ import annotations

import subprocess
import sys

from _timing import ROOT, best, table

REPEAT = 5
FIRST = """
import time
from tests.memo.samples import sample_memo
from engine.memo.render import render
memo = sample_memo({lang!r})
start = time.perf_counter()
render(memo, {fmt!r})
print(time.perf_counter() - start)
"""


def _first(lang: str, fmt: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", FIRST.format(lang=lang, fmt=fmt)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip())


def run() -> list[tuple[str, str, str]]:
    from engine.memo.render import FORMATS, render
    from engine.memo.render.fonts import describe
    from tests.memo.samples import sample_memo

    rows: list[tuple[str, str, str]] = []
    for lang in ("zh", "en"):
        memo = sample_memo(lang)
        for fmt in FORMATS:
            warm = best(lambda memo=memo, fmt=fmt: render(memo, fmt), repeat=REPEAT)
            first = _first(lang, fmt)
            rows.append(
                (f"{lang} {fmt}", f"{warm * 1e3:.0f} ms warm", f"{first * 1e3:.0f} ms first (fresh process)")
            )
    faces = describe()
    rows.append(
        ("PDF faces", "", ", ".join(f"{role} {path.rsplit('/', 1)[-1]}" for role, path in faces.items()))
    )
    return rows


def main() -> None:
    rows = run()
    print(f"best of {REPEAT} renders (warm) and the first render of a fresh process")
    print(table(rows))


if __name__ == "__main__":
    main()
