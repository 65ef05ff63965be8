"""What every page does first: session defaults, sidebar, title, queued notices."""

from __future__ import annotations

import streamlit as st

from engine.analysis import Analysis
from engine.errors import InputError
from engine.settings import Settings
from ui import auth, conflict, current, messages, scenario_notices, sidebar, state, workspace
from ui.format import md
from ui.i18n import t

_NOTICES = {"success": st.success, "info": st.info, "warning": st.warning, "error": st.error}


def start(page_key: str) -> Analysis:
    """Prepare a page and return the analysis it renders.

    Settings that no longer fit the problem (which should not happen, as uploads reset them) are
    reported and replaced by the defaults rather than breaking the page.
    """
    state.init()
    auth.gate()  # no page runs, and nothing is saved, before sign-in (when it is on)
    workspace.autosave()  # opens the session's scenario on its first run; saves what callbacks changed
    try:
        problem = current.problem()
    except InputError as exc:
        st.error(t("errors.shipped_data", message=md(messages.error_text(exc))))
        st.stop()
    sidebar.render(problem)
    auth.account()
    st.title(t(f"nav.{page_key}"))
    conflict.banner()
    scenario_notices.show()
    notice = state.take_notice()
    if notice is not None:
        level, message = notice
        _NOTICES.get(level, st.info)(message)
    try:
        return current.analysis()
    except InputError as exc:
        st.error(t("errors.settings_reset", message=md(messages.error_text(exc))))
        state.set_settings(Settings())
        state.reset_sliders()
        return current.analysis()
