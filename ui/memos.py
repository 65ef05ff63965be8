"""Memos for the download buttons, built and rendered by :mod:`engine.memo`, cached.

A memo is cheap to build but DOCX and PDF take a moment to render, so the page hands the
renderer to ``st.download_button`` as a callable: the bytes are made when the button is clicked,
once per analysis, options, language, format and day. The options add what ``policyrank memo``
adds: the robustness study (the one :mod:`ui.studies` shares with the robustness page and the
overview) and a policy package for a budget (:func:`engine.insight.portfolio.select_package`
under the shipped package rules).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

import streamlit as st

from engine.analysis import Analysis
from engine.insight.portfolio import Package, Rules
from engine.memo import Memo, build_memo, render
from engine.model import Lang
from ui import decisions, studies
from ui.current import CACHE_ENTRIES, source_key

PACKAGE_BASIS = "wsm"  # as `policyrank package`: values that add up across countermeasures


@dataclass(frozen=True)
class MemoOptions:
    """What goes into a memo beyond the analysis; part of every cache key."""

    study: studies.StudyChoice | None = None  # the robustness study to include, or none
    budget: float | None = None  # a policy package for this annual budget (亿元), or none


def memo_options(analysis: Analysis, samples: int | None, budget: float | None) -> MemoOptions:
    """The memo's options: the study is the one the robustness page and the overview show, at
    `samples` SMAA samples (None: no study), so the three pages share one cached study."""
    choice = replace(studies.chosen(analysis.settings), samples=samples) if samples else None
    return MemoOptions(study=choice, budget=budget)


def package_rules(analysis: Analysis) -> Rules:
    """The shipped package rules, or none when they do not fit the catalogue in use."""
    return decisions.shipped_rules(analysis.problem.alternative_ids) or Rules(source="package rules")


def package(analysis: Analysis, budget: float) -> Package:
    """The best package for `budget`; raises InputError when the rules cannot be met."""
    return decisions.package(analysis, budget, package_rules(analysis), PACKAGE_BASIS)


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _memo(
    sources: tuple, settings: object, lang: Lang, today: dt.date, options: MemoOptions, _analysis: Analysis
) -> Memo:
    robustness = studies.study(_analysis, options.study) if options.study else None
    chosen = package(_analysis, options.budget) if options.budget is not None else None
    return build_memo(
        _analysis,
        lang=lang,
        today=today,
        robustness=robustness,
        package=chosen,
        package_rules=package_rules(_analysis) if chosen is not None else None,
    )


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _rendered(
    sources: tuple, settings: object, lang: Lang, today: dt.date, options: MemoOptions, fmt: str, _memo: Memo
) -> bytes:
    return render(_memo, fmt)


def memo(analysis: Analysis, lang: Lang, options: MemoOptions = MemoOptions()) -> Memo:
    """The memo of `analysis` in `lang`, dated today, with the study and package `options` ask for."""
    return _memo(source_key(analysis.problem), analysis.settings, lang, dt.date.today(), options, analysis)


def renderer(
    analysis: Analysis, memo: Memo, fmt: str, options: MemoOptions = MemoOptions()
) -> Callable[[], bytes]:
    """A no-argument callable producing the memo's bytes in `fmt` (for deferred downloads).

    `options` must be those `memo` was built with: they key the cache of rendered bytes.
    """
    key = (source_key(analysis.problem), analysis.settings, memo.lang, memo.date, options, fmt)

    def produce() -> bytes:
        return _rendered(*key, memo)

    return produce
