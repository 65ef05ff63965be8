"""Number formats and safe Markdown for everything the pages print.

One place decides how a score, a weight or a consistency ratio looks, so every page, table and
chart agrees. Text from data files goes through :func:`md` before it is embedded in Markdown:
Streamlit already escapes HTML, and this also keeps ``*``, ``[`` or ``:red[`` in a user's file
from being read as formatting.
"""

from __future__ import annotations

import re

from engine.mcda.registry import REGISTRY

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~:$<])")


def md(text: str) -> str:
    """`text` with every Markdown control character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def score(value: float) -> str:
    return f"{value:.4f}"


def percent(weight: float) -> str:
    return f"{100 * weight:.1f}%"


def ratio(value: float) -> str:
    """A consistency ratio or a rank correlation."""
    return f"{value:.3f}"


def number(value: float) -> str:
    """A criterion value in its natural unit: no trailing zeros, at most three decimals."""
    return f"{value:.3f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"


# The method registry names every method in both languages; the names agree in zh and en.
METHOD_LABELS: dict[str, str] = {spec.id: spec.label.en for spec in REGISTRY.values()}


def method(name: str) -> str:
    return METHOD_LABELS.get(name, name.upper())
