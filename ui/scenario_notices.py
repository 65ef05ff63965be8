"""What the top of every page says about the open scenario: a link that named none, a catalogue that
changed since the scenario was saved. (A save refused because someone else saved first has its own
banner, :mod:`ui.conflict`.)"""

from __future__ import annotations

import streamlit as st

from engine.store.changes import describe
from ui import boundary, state, workspace
from ui.format import md
from ui.i18n import lang, t

W_RERANK = "w:workspace:rerank"


def _unknown_link() -> None:
    linked = st.session_state.pop(workspace.UNKNOWN, None)
    if linked is not None:
        st.warning(t("workspace.unknown_link", id=md(linked), name=md(workspace.current().name)))


@boundary.callback
def _rerank() -> None:
    workspace.rerank()


def _catalogue_changed() -> None:
    if state.uploaded_problem() is not None:
        return
    scenario = workspace.current()
    newest = workspace.latest_revision()
    if scenario.revision >= newest:
        return
    store = workspace.store()
    old, new = scenario.revision, newest
    with st.container(border=True):
        st.warning(t("workspace.catalogue_changed", name=md(scenario.name), old=old, new=new))
        changes = describe(
            store.problem_at(scenario.project, old), store.problem_at(scenario.project, new), lang()
        )
        if changes:
            st.markdown("\n".join(f"- {md(change)}" for change in changes))
        st.caption(t("workspace.shown_on_old", old=old, new=new))
        st.button(t("workspace.rerank", new=new), key=W_RERANK, on_click=_rerank, type="primary")


def show() -> None:
    """Draw the open scenario's notices (every page, after the autosave at its start)."""
    _unknown_link()
    _catalogue_changed()
