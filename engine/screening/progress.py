"""How far a pass over a large table has got, written to a stream (stderr for ``policyrank screen``)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

BAR_WIDTH = 30
REDRAW_SECONDS = 0.1  # a terminal line redrawn more often only flickers
LOG_SECONDS = 5.0  # plain lines of a table whose length is unknown (CSV): often enough to see it move


def progress_stream(requested: bool) -> TextIO | None:
    """stderr when it is a terminal or progress was asked for, else None."""
    return sys.stderr if requested or sys.stderr.isatty() else None


def is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Progress:
    """The progress of one pass (``label``) over a table of ``total`` rows (None: unknown).

    On a terminal one line is redrawn in place with ``\\r``, at most every 0.1 s and once at the
    end. Anywhere else (a pipe, a log file) carriage returns would pile up into one unreadable line,
    so plain newline-terminated lines are written instead: one each time another tenth of the rows
    is done (every 5 s when the total is unknown), and the last one once.
    """

    def __init__(self, stream: TextIO | None, label: str, total: int | None) -> None:
        self.stream = stream
        self.label = label
        self.total = total
        self.terminal = stream is not None and is_terminal(stream)
        self.shown: int | None = None  # rows in the last line written
        self.shown_at: float | None = None
        self.tenths = 0  # tenths of the table done at the last plain line

    def update(self, done: int) -> None:
        if self.stream is None:
            return
        now = time.monotonic()
        if self.terminal or not self.total:
            interval = REDRAW_SECONDS if self.terminal else LOG_SECONDS
            if self.shown_at is None or now - self.shown_at >= interval:
                self._show(done, now)
            return
        tenths = min(10 * done // self.total, 10)
        if tenths > self.tenths:
            self.tenths = tenths
            self._show(done, now)

    def finish(self, done: int) -> None:
        """The final count, unless the last line already showed it; ends the terminal line."""
        if self.stream is None:
            return
        if done != self.shown:
            self._show(done, time.monotonic())
        if self.terminal:
            self.stream.write("\n")
        self.stream.flush()

    def _show(self, done: int, now: float) -> None:
        assert self.stream is not None
        self.shown, self.shown_at = done, now
        if self.terminal:
            if self.total:
                filled = int(BAR_WIDTH * min(done / self.total, 1.0))
                bar = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {100 * done / self.total:5.1f}%"
            else:
                bar = ""
            self.stream.write(f"\r{self.label}: {bar} {done:,} rows")
        elif self.total:
            self.stream.write(
                f"{self.label}: {100 * done // self.total}% ({done:,} of {self.total:,} rows)\n"
            )
        else:
            self.stream.write(f"{self.label}: {done:,} rows\n")
        self.stream.flush()
