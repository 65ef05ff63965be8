"""Memos for the download buttons, built and rendered by :mod:`engine.memo`, cached.

A memo is cheap to build but DOCX and PDF take a moment to render, so the page hands the
renderer to ``st.download_button`` as a callable: the bytes are made when the button is clicked,
once per analysis, language, format and day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st

from engine.analysis import Analysis
from engine.memo import Memo, build_memo, render
from engine.model import Lang
from ui.current import CACHE_ENTRIES, source_key


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _memo(sources: tuple, settings: object, lang: Lang, today: dt.date, _analysis: Analysis) -> Memo:
    return build_memo(_analysis, lang=lang, today=today)


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _rendered(sources: tuple, settings: object, lang: Lang, today: dt.date, fmt: str, _memo: Memo) -> bytes:
    return render(_memo, fmt)


def memo(analysis: Analysis, lang: Lang) -> Memo:
    """The memo of `analysis` in `lang`, dated today."""
    return _memo(source_key(analysis.problem), analysis.settings, lang, dt.date.today(), analysis)


def renderer(analysis: Analysis, memo: Memo, fmt: str) -> Callable[[], bytes]:
    """A no-argument callable producing the memo's bytes in `fmt` (for deferred downloads)."""
    key = (source_key(analysis.problem), analysis.settings, memo.lang, memo.date, fmt)

    def produce() -> bytes:
        return _rendered(*key, memo)

    return produce
