"""The memo's output formats: renderer, MIME type, file suffix, and recognising a file's kind.

Each renderer is a pure function from a :class:`engine.memo.document.Memo` to bytes, in its own
module (:mod:`.markdown`, :mod:`.docx`, :mod:`.html`, :mod:`.pdf`). They are imported when first
used, so that naming a format costs nothing and ``policyrank --help`` never loads python-docx,
fpdf2 or matplotlib.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

from engine.memo.document import Memo

FORMATS: tuple[str, ...] = ("md", "docx", "html", "pdf")
MIME_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "md": "text/markdown",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "html": "text/html",
        "pdf": "application/pdf",
    }
)
SUFFIXES: Mapping[str, str] = MappingProxyType({"md": ".md", "docx": ".docx", "html": ".html", "pdf": ".pdf"})
_ALSO = {".markdown": "md", ".htm": "html"}
_RENDERERS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "md": ("engine.memo.render.markdown", "render_markdown"),
        "docx": ("engine.memo.render.docx", "render_docx"),
        "html": ("engine.memo.render.html", "render_html"),
        "pdf": ("engine.memo.render.pdf", "render_pdf"),
    }
)


def renderer(fmt: str) -> Callable[[Memo], bytes]:
    """The function that renders one of :data:`FORMATS`."""
    try:
        module, name = _RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown memo format {fmt!r} (expected one of {', '.join(FORMATS)})") from None
    function: Callable[[Memo], bytes] = getattr(importlib.import_module(module), name)
    return function


def render(memo: Memo, fmt: str) -> bytes:
    """Render ``memo`` in one of :data:`FORMATS`."""
    return renderer(fmt)(memo)


def filename(memo: Memo, fmt: str) -> str:
    """A download name such as ``policyrank-memo-2025-03-04-zh.docx``."""
    return f"policyrank-memo-{memo.date.isoformat()}-{memo.lang}{SUFFIXES[fmt]}"


def format_for_path(path: str | os.PathLike[str]) -> str | None:
    """The format a file name's suffix stands for (".md", ".markdown", ".docx", ...), or None."""
    suffix = Path(path).suffix.lower()
    for fmt, known in SUFFIXES.items():
        if suffix == known:
            return fmt
    return _ALSO.get(suffix)


def sniff(data: bytes) -> str | None:
    """Which memo format ``data`` looks like, from its first bytes; None when it is none of them.

    DOCX is a zip ("PK"), PDF starts "%PDF-", HTML is UTF-8 text opening with a doctype or
    ``<html``, and any other UTF-8 text without NUL bytes counts as Markdown.
    """
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if not data or b"\x00" in data[:4096]:
        return None
    try:
        text = data[:4096].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < 4092:  # a multi-byte character cut at the 4096-byte boundary is fine
            return None
        text = data[: exc.start].decode("utf-8")
    head = text.lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype html", "<html")):
        return "html"
    return "md"
