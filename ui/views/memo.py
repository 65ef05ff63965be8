"""Memo: a preview of the ranked policy memo (决策参考) and a download per format.

Like ``policyrank memo``, the memo can include the robustness study and a policy package for a
budget; the choices are settings (ui.state.bind), so they survive page switches, and the sample
count and the budget are those of the robustness and budget pages.
"""

from __future__ import annotations

import streamlit as st

from engine.errors import InputError
from engine.insight.portfolio import cost_criterion
from engine.memo import FORMATS, MIME_TYPES, filename
from engine.model import LANGS
from engine.robustness.study import DEFAULT_SEED
from ui import decisions, icons, memos, messages, page, state
from ui.format import md
from ui.i18n import LANGUAGE_NAMES, lang, local, t

PREVIEW_HEIGHT = 640
MIN_SAMPLES = 1_000
MAX_SAMPLES = 1_000_000
SAMPLES_STEP = 10_000


def _robustness_options() -> int | None:
    """The robustness checkbox and sample count; the samples to study, or None."""
    wanted = st.checkbox(
        t("memo.robustness"),
        help=t("memo.robustness_help"),
        **state.bind(state.MEMO_ROBUSTNESS, state.W_MEMO_ROBUSTNESS),
    )
    samples = st.number_input(
        t("memo.samples"),
        min_value=MIN_SAMPLES,
        max_value=MAX_SAMPLES,
        step=SAMPLES_STEP,
        disabled=not wanted,
        help=t("memo.samples_help", seed=DEFAULT_SEED),
        **state.bind(state.SAMPLES, state.W_MEMO_SAMPLES, low=MIN_SAMPLES, high=MAX_SAMPLES),
    )
    return int(samples) if wanted else None


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
    try:
        memos.package(analysis, float(budget))
    except InputError as exc:
        reason = messages.infeasible(exc, problem, memos.package_rules(analysis))
        st.error(t("memo.infeasible", message=md(reason)))
        return None
    return float(budget)


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
        samples = _robustness_options()
    with right:
        budget = _package_options(analysis)
options = memos.memo_options(analysis, samples, budget)
with st.spinner(t("memo.running")):
    memo = memos.memo(analysis, memo_lang, options)
st.caption(t("memo.help"))

columns = st.columns(len(FORMATS))
for column, fmt in zip(columns, FORMATS, strict=True):
    column.download_button(
        t(f"memo.download.{fmt}"),
        data=memos.renderer(analysis, memo, fmt, options),
        file_name=filename(memo, fmt),
        mime=MIME_TYPES[fmt],
        key=state.memo_key(fmt),
        on_click="ignore",
        icon=icons.DOWNLOAD,
        width="stretch",
    )

st.subheader(t("memo.preview"))
with st.container(height=PREVIEW_HEIGHT, border=True):
    # the Markdown renderer escapes every text that came from the input files
    st.markdown(memos.renderer(analysis, memo, "md", options)().decode("utf-8"))
