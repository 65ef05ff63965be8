"""Memo: a preview of the policy memo (决策参考: brief and annex) and a download per format.

Like ``policyrank memo``, the brief states the recommendation made from the robustness study (the
study the overview and the robustness page share) and can recommend a policy package for a budget;
the issue number, issuing unit and mark go on the masthead. The choices are settings
(ui.state.bind), so they survive page switches; the sample count and the budget are those of the
robustness and budget pages.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from engine.errors import InputError
from engine.insight.portfolio import cost_criterion
from engine.memo import FORMATS, INTERNAL, MIME_TYPES, MemoOptions, filename, render
from engine.model import LANGS
from engine.robustness.study import DEFAULT_SEED
from ui import comparison, decisions, icons, memos, messages, page, state, workspace
from ui.format import md
from ui.i18n import LANGUAGE_NAMES, lang, listed, local, t

PREVIEW_HEIGHT = 640
MIN_SAMPLES = 1_000
MAX_SAMPLES = 1_000_000
SAMPLES_STEP = 10_000
W_MEMO_COMPARE = "w:memo:compare"


def _samples() -> int:
    """The SMAA samples of the robustness study the recommendation is made from."""
    samples = st.number_input(
        t("memo.samples"),
        min_value=MIN_SAMPLES,
        max_value=MAX_SAMPLES,
        step=SAMPLES_STEP,
        help=t("memo.samples_help", seed=DEFAULT_SEED),
        **state.bind(state.SAMPLES, state.W_MEMO_SAMPLES, low=MIN_SAMPLES, high=MAX_SAMPLES),
    )
    return int(samples)


def _masthead_options() -> MemoOptions:
    """期号, 编发单位 and the 内部资料 mark, kept as settings."""
    issue = st.text_input(
        t("memo.issue"), help=t("memo.issue_help"), **state.bind(state.MEMO_ISSUE, state.W_MEMO_ISSUE)
    ).strip()
    publisher = st.text_input(
        t("memo.publisher"),
        help=t("memo.publisher_help"),
        **state.bind(state.MEMO_PUBLISHER, state.W_MEMO_PUBLISHER),
    ).strip()
    mark = st.checkbox(
        t("memo.mark", mark=INTERNAL.get(lang())), **state.bind(state.MEMO_MARK, state.W_MEMO_MARK)
    )
    return MemoOptions(
        issue=int(issue) if issue.isdigit() and int(issue) > 0 else issue or None,
        publisher=publisher or None,
        mark=INTERNAL if mark else None,
    )


def _package_options(analysis) -> float | None:
    """The package checkbox and budget; the budget to plan for, or None."""
    problem = analysis.problem
    try:
        criterion = cost_criterion(problem)
    except InputError as exc:
        st.caption(t("memo.no_cost", message=md(messages.error_text(exc))))
        return None
    leaf = next(leaf for leaf in problem.leaves if leaf.id == criterion)
    wanted = st.checkbox(
        t("memo.package"),
        help=t("memo.package_help"),
        **state.bind(state.MEMO_PACKAGE, state.W_MEMO_PACKAGE),
    )
    top, proposal = decisions.budget_bounds(problem, criterion)
    budget = st.number_input(
        t("memo.budget", unit=md(local(leaf.unit)) if leaf.unit else ""),
        min_value=0.0,
        max_value=top,
        step=1.0,
        format="%g",
        disabled=not wanted,
        **state.bind(state.BUDGET, state.W_MEMO_BUDGET, default=proposal, low=0.0, high=top),
    )
    if not wanted:
        return None
    rules, _ = memos.package_choice(analysis)
    # the budget page's must-include and exclude choices shape the memo's package too
    short = {m.id: md(local(m.short)) for m in problem.countermeasures}
    chosen = [(t("budget.must"), rules.must), (t("budget.exclude"), rules.exclude)]
    colon, semicolon = ("：", "；") if lang() == "zh" else (": ", "; ")
    shown = [f"{what}{colon}{listed(short[i] for i in ids)}" for what, ids in chosen if ids]
    if shown:
        st.caption(semicolon.join(shown))
    try:
        memos.package(analysis, float(budget))
    except InputError as exc:
        reason = messages.infeasible(exc, problem, rules)
        st.error(t("memo.infeasible", message=md(reason)))
        return None
    return float(budget)


def _comparison_option() -> comparison.Compared | None:
    """Whether the annex opens with the comparison of the scenarios chosen on the compare page."""
    found = comparison.session_key()
    wanted = st.checkbox(
        t("memo.compare"),
        help=t("memo.compare_help", page=t("nav.compare")),
        disabled=found is None,
        **state.bind(state.MEMO_COMPARE, W_MEMO_COMPARE),
    )
    if found is None:
        st.caption(t("memo.compare_none", page=t("nav.compare")))
        return None
    if wanted:
        store = workspace.store()
        names = [md(store.scenario(found.project, i).name) for i in found.ids]
        st.caption(t("memo.compare_which", names=listed(names)))
    return found if wanted else None


analysis = page.start("memo")
memo_lang = st.radio(
    t("memo.language"),
    LANGS,
    format_func=LANGUAGE_NAMES.__getitem__,
    horizontal=True,
    # until one is chosen, the memo is written in the interface language
    **state.bind(state.MEMO_LANG, state.W_MEMO_LANG, default=lang(), options=LANGS),
)
with st.container(border=True):
    st.markdown(f"**{t('memo.contents')}**")
    left, right = st.columns(2, gap="large")
    with left:
        samples = _samples()
        budget = _package_options(analysis)
    with right:
        options = _masthead_options()
    compared = _comparison_option()
choice = memos.memo_choice(analysis, samples, budget, options, compared)
with st.spinner(t("memo.running")):
    memo = memos.memo(analysis, memo_lang, choice)
st.caption(t("memo.help"))

columns = st.columns(len(FORMATS))
for column, fmt in zip(columns, FORMATS, strict=True):
    column.download_button(
        t(f"memo.download.{fmt}"),
        data=memos.renderer(analysis, memo, fmt, choice),
        file_name=filename(memo, fmt),
        mime=MIME_TYPES[fmt],
        key=state.memo_key(fmt),
        on_click="ignore",
        icon=icons.DOWNLOAD,
        width="stretch",
    )

st.subheader(t("memo.preview"))
with st.container(height=PREVIEW_HEIGHT, border=True):
    # the brief alone (the annex is in the downloads); the Markdown renderer escapes every text
    # that came from the input files
    st.markdown(render(replace(memo, annex_separate=True), "md").decode("utf-8"))
# Word and PDF take a moment: they are made while the analyst reads the preview, not on the click
memos.prepare(analysis, memo, choice)
