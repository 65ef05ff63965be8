"""Ranked policy memos (决策参考): built once from an Analysis, rendered to md, docx, html or pdf.

>>> memo = build_memo(run(problem, settings), lang="zh")       # doctest: +SKIP
>>> data = render(memo, "docx")                                # doctest: +SKIP

The app offers the downloads with :data:`MIME_TYPES` and :data:`SUFFIXES`.
"""

from __future__ import annotations

from engine.memo.blocks import Block, Bullets, Heading, Memo, Paragraph, Preformatted, Table, Title
from engine.memo.build import RobustnessNotes, RobustnessSummary, build_memo, reproduce_command
from engine.memo.formats import (
    FORMATS,
    MIME_TYPES,
    SUFFIXES,
    filename,
    format_for_path,
    render,
    sniff,
)
from engine.memo.to_docx import render_docx
from engine.memo.to_html import render_html
from engine.memo.to_markdown import render_markdown
from engine.memo.to_pdf import render_pdf

__all__ = [
    "FORMATS",
    "MIME_TYPES",
    "SUFFIXES",
    "Block",
    "Bullets",
    "Heading",
    "Memo",
    "Paragraph",
    "Preformatted",
    "RobustnessNotes",
    "RobustnessSummary",
    "Table",
    "Title",
    "build_memo",
    "filename",
    "format_for_path",
    "render",
    "render_docx",
    "render_html",
    "render_markdown",
    "render_pdf",
    "reproduce_command",
    "sniff",
]
