"""Policy memos (决策参考): a brief of at most four pages and its technical annex, built once from an
Analysis and its Recommendation, rendered to md, docx, html or pdf.

>>> memo = build_memo(analysis, lang="zh", robustness=analyze(problem, settings))   # doctest: +SKIP
>>> data = render(memo, "docx")                                                    # doctest: +SKIP

:func:`build_memo` (:mod:`.compose`) writes the format-free :mod:`.document`; :func:`render`
(:mod:`.render`) lays it out. The app offers the downloads with :data:`MIME_TYPES` and
:data:`SUFFIXES`.
"""

from __future__ import annotations

from engine.memo.compose import build_memo
from engine.memo.document import (
    Block,
    Bullets,
    Chart,
    Colophon,
    Heading,
    Masthead,
    Memo,
    PageBreak,
    Paragraph,
    Preformatted,
    Series,
    Signature,
    Table,
    Title,
)
from engine.memo.options import DEFAULT_PUBLISHER, INTERNAL, MemoOptions
from engine.memo.render import FORMATS, MIME_TYPES, SUFFIXES, filename, format_for_path, render, sniff

__all__ = [
    "DEFAULT_PUBLISHER",
    "FORMATS",
    "INTERNAL",
    "MIME_TYPES",
    "SUFFIXES",
    "Block",
    "Bullets",
    "Chart",
    "Colophon",
    "Heading",
    "Masthead",
    "Memo",
    "MemoOptions",
    "PageBreak",
    "Paragraph",
    "Preformatted",
    "Series",
    "Signature",
    "Table",
    "Title",
    "build_memo",
    "filename",
    "format_for_path",
    "render",
    "sniff",
]
