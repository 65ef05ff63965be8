"""The sidebar every page shows: the language switch and what the ranking currently rests on."""

from __future__ import annotations

import streamlit as st

from engine.model import LANGS, Problem
from engine.settings import Settings
from ui import boundary, state, workspace
from ui.format import md, method
from ui.i18n import LANGUAGE_NAMES, label, listed, local, t

W_UNDO = "w:workspace:undo"
W_REDO = "w:workspace:redo"


def weight_source(problem: Problem, settings: Settings) -> str:
    """One line naming where the weights in use come from."""
    if settings.weight_source == "preset":
        names = {preset.id: md(local(preset.name)) for preset in problem.presets}
        return label("source_preset", name=names.get(settings.preset or "", settings.preset))
    if settings.weight_source == "manual":
        return label("source_manual")
    experts = [e for e in problem.criteria.experts if not settings.experts or e.id in settings.experts]
    text = label(
        "source_ahp",
        experts=listed(md(local(e.name)) for e in experts)
        if len(experts) <= 2
        else t("sidebar.n_experts", n=len(experts)),
    )
    if settings.judgment_edits:
        text += t("sidebar.edited_nodes", n=len(settings.judgment_edits))
    return text


def _scenario() -> None:
    """The open scenario, undo and redo, and the link that opens it."""
    scenario = workspace.current()
    st.markdown(f"**{t('workspace.scenario')}**  \n{md(scenario.name)}")
    undo, redo = st.columns(2)
    undo.button(
        t("workspace.undo"),
        key=W_UNDO,
        on_click=boundary.callback(workspace.undo),
        disabled=not workspace.can_undo(),
        help=t("workspace.undo_help"),
        width="stretch",
    )
    redo.button(
        t("workspace.redo"),
        key=W_REDO,
        on_click=boundary.callback(workspace.redo),
        disabled=not workspace.can_redo(),
        help=t("workspace.redo_help"),
        width="stretch",
    )
    # inline code rather than st.code: a code block loads the browser's syntax highlighter
    st.caption(f"{t('workspace.link')}  \n`{st.context.url or ''}?scenario={scenario.id}`")


def render(problem: Problem) -> None:
    """Draw the sidebar; every page calls this (through :func:`ui.page.start`)."""
    settings = state.settings()
    with st.sidebar:
        st.radio(
            t("sidebar.language"),
            LANGS,
            format_func=LANGUAGE_NAMES.__getitem__,
            horizontal=True,
            **state.bind(state.LANG, state.W_LANG, options=LANGS),
        )
        st.divider()
        _scenario()
        st.divider()
        st.caption(t("sidebar.in_use"))
        st.markdown(f"**{t('sidebar.weights')}**  \n{weight_source(problem, settings)}")
        st.markdown(f"**{label('method')}**  \n{method(settings.method)}")
        files = st.session_state[state.PROBLEM_FILES]
        data = (
            t("sidebar.data_uploaded", files=listed(md(name) for name in files))
            if files
            else t("sidebar.data_shipped")
        )
        st.markdown(f"**{t('sidebar.data')}**  \n{data}")
