"""How far a pass over a large table has got, written to a stream (stderr for ``policyrank screen``)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def progress_stream(requested: bool) -> TextIO | None:
    """stderr when it is a terminal or progress was asked for, else None."""
    return sys.stderr if requested or sys.stderr.isatty() else None


class Progress:
    """A one-line progress display on a terminal stream (no dependency)."""

    def __init__(self, stream: TextIO | None, total: int | None) -> None:
        self.stream = stream
        self.total = total
        self.last = 0.0

    def update(self, label: str, done: int, *, final: bool = False) -> None:
        if self.stream is None:
            return
        now = time.monotonic()
        if not final and now - self.last < 0.1:
            return
        self.last = now
        if self.total:
            filled = int(30 * min(done / self.total, 1.0))
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {100 * done / self.total:5.1f}%"
        else:
            bar = ""
        self.stream.write(f"\r{label}: {bar} {done:,} rows")
        if final:
            self.stream.write("\n")
        self.stream.flush()
