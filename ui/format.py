"""Safe Markdown for everything the pages print, and the number formats they share with the engine.

Scores, weights, ratios and plain numbers are written by :mod:`engine.text`, so a page, the CLI
and the memo agree. Text from data files goes through :func:`md` before it is embedded in
Markdown: Streamlit already escapes HTML, and this also keeps ``*``, ``[`` or ``:red[`` in a
user's file from being read as formatting.
"""

from __future__ import annotations

import re

from engine.mcda.registry import REGISTRY
from engine.text import number, percent, ratio, score

__all__ = ["md", "method", "number", "percent", "ratio", "score"]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~:$<])")


def md(text: str) -> str:
    """`text` with every Markdown control character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


METHOD_LABELS: dict[str, str] = {spec.id: spec.label.en for spec in REGISTRY.values()}


def method(name: str) -> str:
    return METHOD_LABELS.get(name, name.upper())
