"""Interface texts in Chinese and English.

``zh.yaml`` and ``en.yaml`` hold the same (nested) keys; :func:`t` looks a dotted key up in the
current language and fills ``{placeholders}``. They hold only what belongs to the app's pages
(widget labels, help, page texts): column headers, directions, weight sources and verdicts that
the CLI and the memo print too come from :mod:`engine.text.labels` through :func:`label`. Names
that come from the data files are :class:`engine.model.Text` values and are picked with :func:`local`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st

from engine.io.safe_yaml import parse_yaml
from engine.model import LANGS, Lang, Text
from engine.text import join_list
from engine.text import labels as shared_labels
from ui import state

FOLDER = Path(__file__).resolve().parent
LANGUAGE_NAMES: dict[str, str] = {"zh": "中文", "en": "English"}


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{dotted}."))
        else:
            flat[dotted] = str(value)
    return flat


@cache
def catalogue(lang: Lang) -> dict[str, str]:
    """Every text of one language, keyed by dotted path (``"nav.overview"``)."""
    path = FOLDER / f"{lang}.yaml"
    # the engine's reader: libyaml when present (PyYAML's pure-Python parser took a third of a
    # second per language on a fresh server's first page), and a duplicated key is an error
    return _flatten(parse_yaml(path.read_bytes(), str(path)))


def lang() -> Lang:
    value = st.session_state.get(state.LANG, "zh")
    return value if value in LANGS else "zh"


def t(key: str, **fmt: Any) -> str:
    """The text for `key` in the current language, with ``{name}`` fields filled from `fmt`."""
    text = catalogue(lang())[key]
    return text.format(**fmt) if fmt else text


def label(key: str, **fields: Any) -> str:
    """A label the app shares with the CLI and the memo, in the current language."""
    return shared_labels.label(key, lang(), **fields)


def listed(items: Iterable[str]) -> str:
    """Items one after another in the current language: "A、B" or "A, B"."""
    return join_list(list(items), lang())


def local(text: Text) -> str:
    """A bilingual text from the data, in the current language."""
    return text.get(lang())
