"""Memos for the memo page, built and rendered by :mod:`engine.memo`, cached.

A memo always states the engine's recommendation, so it needs the robustness study: the one
:mod:`ui.studies` shares with the overview and the robustness page (its sample count is the
shared ``ui.state.SAMPLES``). Without a budget the memo uses the shared cached recommendation;
with one (the budget page's ``ui.state.BUDGET``) the recommendation is made again with the
package that budget pays for under the budget page's choices (:func:`package_choice`: the
shipped rules or none, the countermeasures forced in and out, the value basis), so the memo's
package is the one the budget page shows.

A memo is cheap to build but DOCX and PDF take a moment to render, so the page hands the
renderer to ``st.download_button`` as a callable: the bytes are made when the button is clicked,
once per analysis, choice, language, format and day.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from engine.analysis import Analysis
from engine.errors import InputError
from engine.insight.portfolio import VALUE_BASES, Package, Rules
from engine.memo import Memo, MemoOptions, build_memo, render
from engine.model import Lang
from engine.recommendation import recommend
from ui import decisions, panels, state, studies
from ui.comparison import Compared
from ui.comparison import document as compared_document
from ui.current import CACHE_ENTRIES, source_key
from ui.i18n import t

# the formats rendered ahead of a click, the slowest first; Markdown takes no time
PREPARED = ("docx", "pdf", "html")
logger = logging.getLogger(__name__)
_preparing: dict[tuple, threading.Thread] = {}  # the background renderings of this process, by memo
_preparing_lock = threading.Lock()


@dataclass(frozen=True)
class MemoChoice:
    """What goes into a memo beyond the analysis; part of every cache key."""

    study: studies.StudyChoice  # the robustness study the recommendation is made from
    budget: float | None = None  # recommend a policy package for this annual budget (亿元), or none
    rules: Rules | None = None  # the package rules for the budget (the budget page's choices)
    basis: str = VALUE_BASES[0]  # what a countermeasure is worth in the package
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
    rules, basis = package_choice(analysis) if budget is not None else (None, VALUE_BASES[0])
    return MemoChoice(
        study=study,
        budget=budget,
        rules=rules,
        basis=basis,
        options=options or MemoOptions(),
        comparison=comparison,
    )


def package_choice(analysis: Analysis) -> tuple[Rules, str]:
    """The package rules and value basis chosen on the budget page (shared settings, so the memo
    plans the package the budget page shows): the shipped rules while they are on and fit the
    catalogue, plus the countermeasures forced in and out that the catalogue still has."""
    ids = analysis.problem.alternative_ids
    shipped = decisions.shipped_rules(ids)
    use_shipped = st.session_state.get(state.BUDGET_RULES)
    # nothing chosen yet: the shipped rules whenever they fit, as the budget page's checkbox
    if shipped is not None and (use_shipped is None or use_shipped):
        rules = shipped
    else:
        rules = Rules(source=t("budget.rules_source"))
    must = [i for i in st.session_state.get(state.BUDGET_MUST) or () if i in ids]
    exclude = [i for i in st.session_state.get(state.BUDGET_EXCLUDE) or () if i in ids and i not in must]
    basis = st.session_state.get(state.BUDGET_BASIS)
    return rules.merged(must=must, exclude=exclude), basis if basis in VALUE_BASES else VALUE_BASES[0]


def package(analysis: Analysis, budget: float) -> Package:
    """The best package for `budget` under the budget page's choices; raises InputError when the
    rules cannot be met."""
    rules, basis = package_choice(analysis)
    return decisions.package(analysis, budget, rules, basis)


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _memo(
    sources: tuple, settings: object, lang: Lang, today: dt.date, choice: MemoChoice, _analysis: Analysis
) -> Memo:
    robustness = studies.study(_analysis, choice.study)
    if choice.budget is None:
        found = studies.recommendation(_analysis, choice.study)
        rules = None
    else:
        rules = choice.rules
        try:
            groups = decisions.groups(_analysis)
        except (InputError, ValueError):  # e.g. an uploaded catalogue with one expert and no groups
            groups = None
        found = recommend(
            _analysis,
            robustness,
            budget=choice.budget,
            rules=rules,
            basis=choice.basis,
            groups=groups,
            panel=panels.source_in_use(_analysis.settings),
        )
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


def prepare(analysis: Analysis, memo: Memo, choice: MemoChoice | None = None) -> None:
    """Render the memo's slow formats in the background, so that a download finds its bytes made.

    Called once the page is drawn: a click on a download button then reads the cache, or waits
    for the rendering under way (the cache's per-key lock) instead of starting its own. A memo
    being rendered starts nothing; one already rendered only reads the cache. A failure is left
    to the click, which renders again and reports it. Without a server (AppTest) nobody clicks,
    so nothing is started.
    """
    if not _served():
        return
    choice = choice or memo_choice(analysis)
    key = (source_key(analysis.problem), analysis.settings, memo.lang, memo.date, choice)
    producers = [renderer(analysis, memo, fmt, choice) for fmt in PREPARED]
    with _preparing_lock:
        running = _preparing.get(key)
        if running is not None and running.is_alive():
            return
        for done in [k for k, thread in _preparing.items() if not thread.is_alive()]:
            del _preparing[done]
        thread = threading.Thread(target=_render_all, args=(producers,), name="policyrank-memo", daemon=True)
        context = get_script_run_ctx()
        if context is not None:  # cached functions expect a script context, as on the page
            add_script_run_ctx(thread, context)
        _preparing[key] = thread
    thread.start()


def _served() -> bool:
    """Whether a server runs the page (AppTest installs a mock runtime of another type)."""
    return Runtime.exists() and type(Runtime.instance()) is Runtime


def _render_all(producers: list[Callable[[], bytes]]) -> None:
    for produce in producers:
        try:
            produce()
        except Exception:  # the click renders it again and shows the error
            logger.exception("rendering a memo in the background failed")
