"""Memos for the memo page, built and rendered by :mod:`engine.memo`, cached.

A memo always states the engine's recommendation, so it needs the robustness study: the one
:mod:`ui.studies` shares with the overview and the robustness page (its sample count is the
shared ``ui.state.SAMPLES``). Without a budget the memo uses the shared cached recommendation;
with one (the budget page's ``ui.state.BUDGET``) the recommendation is made again with the
package that budget pays for under the shipped package rules, as ``policyrank memo --budget``.

A memo is cheap to build but DOCX and PDF take a moment to render, so the page hands the
renderer to ``st.download_button`` as a callable: the bytes are made when the button is clicked,
once per analysis, choice, language, format and day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import streamlit as st

from engine.analysis import Analysis
from engine.errors import InputError
from engine.insight.portfolio import Package, Rules
from engine.memo import Memo, MemoOptions, build_memo, render
from engine.model import Lang
from engine.recommendation import recommend
from ui import decisions, state, studies
from ui.comparison import Compared
from ui.comparison import document as compared_document
from ui.current import CACHE_ENTRIES, source_key

PACKAGE_BASIS = "wsm"  # as `policyrank package`: values that add up across countermeasures


@dataclass(frozen=True)
class MemoChoice:
    """What goes into a memo beyond the analysis; part of every cache key."""

    study: studies.StudyChoice  # the robustness study the recommendation is made from
    budget: float | None = None  # recommend a policy package for this annual budget (亿元), or none
    options: MemoOptions = field(default_factory=MemoOptions)  # issue, publisher, mark
    comparison: Compared | None = None  # the scenarios the annex's 方案比较 sets side by side, or none


def memo_choice(
    analysis: Analysis,
    samples: int | None = None,
    budget: float | None = None,
    options: MemoOptions | None = None,
    comparison: Compared | None = None,
) -> MemoChoice:
    """The memo's choice: the study the robustness page and the overview show (at ``samples`` SMAA
    samples when given), so the three pages share one cached study."""
    study = studies.resolve(
        analysis.settings,
        samples or st.session_state.get(state.SAMPLES) or state.DEFAULTS[state.SAMPLES],
        st.session_state.get(state.ROBUST_MODEL),
        st.session_state.get(state.ROBUST_PERFORMANCE),
    )
    return MemoChoice(study=study, budget=budget, options=options or MemoOptions(), comparison=comparison)


def package_rules(analysis: Analysis) -> Rules:
    """The shipped package rules, or none when they do not fit the catalogue in use."""
    return decisions.shipped_rules(analysis.problem.alternative_ids) or Rules(source="package rules")


def package(analysis: Analysis, budget: float) -> Package:
    """The best package for `budget`; raises InputError when the rules cannot be met."""
    return decisions.package(analysis, budget, package_rules(analysis), PACKAGE_BASIS)


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _memo(
    sources: tuple, settings: object, lang: Lang, today: dt.date, choice: MemoChoice, _analysis: Analysis
) -> Memo:
    robustness = studies.study(_analysis, choice.study)
    if choice.budget is None:
        found = studies.recommendation(_analysis, choice.study)
        rules = None
    else:
        rules = package_rules(_analysis)
        try:
            groups = decisions.groups(_analysis)
        except (InputError, ValueError):  # e.g. an uploaded catalogue with one expert and no groups
            groups = None
        found = recommend(_analysis, robustness, budget=choice.budget, rules=rules, groups=groups)
    return build_memo(
        _analysis,
        lang=lang,
        today=today,
        robustness=robustness,
        recommendation=found,
        budget=choice.budget,
        rules=rules,
        options=choice.options,
        comparison=None if choice.comparison is None else compared_document(choice.comparison),
    )


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _rendered(
    sources: tuple, settings: object, lang: Lang, today: dt.date, choice: MemoChoice, fmt: str, _memo: Memo
) -> bytes:
    return render(_memo, fmt)


def memo(analysis: Analysis, lang: Lang, choice: MemoChoice | None = None) -> Memo:
    """The memo of `analysis` in `lang`, dated today, with the study, budget and options of `choice`
    (by default the session's study, no budget, the default options)."""
    choice = choice or memo_choice(analysis)
    return _memo(source_key(analysis.problem), analysis.settings, lang, dt.date.today(), choice, analysis)


def renderer(
    analysis: Analysis, memo: Memo, fmt: str, choice: MemoChoice | None = None
) -> Callable[[], bytes]:
    """A no-argument callable producing the memo's bytes in `fmt` (for deferred downloads).

    `choice` must be the one `memo` was built with: it keys the cache of rendered bytes.
    """
    key = (
        source_key(analysis.problem),
        analysis.settings,
        memo.lang,
        memo.date,
        choice or memo_choice(analysis),
        fmt,
    )

    def produce() -> bytes:
        return _rendered(*key, memo)

    return produce
