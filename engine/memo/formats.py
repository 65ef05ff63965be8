"""The memo's output formats: renderer, MIME type, file suffix, and recognising a file's kind."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

from engine.memo.blocks import Memo
from engine.memo.to_docx import render_docx
from engine.memo.to_html import render_html
from engine.memo.to_markdown import render_markdown
from engine.memo.to_pdf import render_pdf

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
_RENDERERS: Mapping[str, Callable[[Memo], bytes]] = MappingProxyType(
    {"md": render_markdown, "docx": render_docx, "html": render_html, "pdf": render_pdf}
)


def render(memo: Memo, fmt: str) -> bytes:
    """Render ``memo`` in one of :data:`FORMATS`."""
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown memo format {fmt!r} (expected one of {', '.join(FORMATS)})") from None
    return renderer(memo)


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
