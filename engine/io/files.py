"""Writing results safely: atomic files, CSV cells that spreadsheets cannot execute, text tables."""

from __future__ import annotations

import csv
import io
import os
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def read_input(path: str | os.PathLike[str], label: str) -> bytes:
    """The bytes of a user's file, or the file message a missing, folder or unreadable path gets
    (``label`` is how the file is named in it)."""
    from engine.text.messages import coded

    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise coded(label, "", "file_not_found") from None
    except IsADirectoryError:
        raise coded(label, "", "not_a_file") from None
    except OSError as exc:
        raise coded(label, "", "unreadable", reason=exc.strerror) from None


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A reader never sees a half-written file, and a failure leaves any previous file untouched.
    """
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    try:
        # mkstemp creates the file private (0600); give it the permissions a plain open() would
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def safe_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula (OWASP CSV injection); numbers pass."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def display_width(text: str) -> int:
    """Terminal columns taken by ``text``: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[bool] = ()) -> str:
    """A plain aligned table that lines up Chinese and Latin text alike."""
    columns = list(zip(header, *rows, strict=True)) if rows else [(h,) for h in header]
    widths = [max(display_width(cell) for cell in column) for column in columns]
    align_right = list(right) + [False] * (len(header) - len(right))

    def line(cells: Sequence[str]) -> str:
        parts = []
        for cell, width, flush_right in zip(cells, widths, align_right, strict=True):
            pad = " " * (width - display_width(cell))
            parts.append(pad + cell if flush_right else cell + pad)
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])
