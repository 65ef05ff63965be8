"""Scenarios: the project's saved scenarios with their top three, and what can be done with them:
save the open one under a new name, switch, rename, duplicate, edit the note, copy a link, delete.

Every action is a widget callback, so the page (and the sidebar naming the open scenario) draws the
result at once. Names are checked by the store (empty, too long, taken); a refused action shows the
store's reason under its own input and keeps what was typed. Changing the open scenario through
the store (its note, its name) reads it back into the session (:func:`ui.workspace.reload`), so the
next autosave starts from the new version instead of meeting a conflict.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from engine.errors import InputError
from engine.store import Scenario, ScenarioSummary, VersionConflict
from ui import boundary, icons, messages, page, state, tables, workspace
from ui.format import md, method
from ui.i18n import label, lang, t

W_SAVE_AS = "w:scenarios:save_as"
W_SAVE_AS_GO = "w:scenarios:save_as_go"
W_SELECT = "w:scenarios:select"
W_SWITCH = "w:scenarios:switch"
W_DELETE = "w:scenarios:delete"
W_DELETE_YES = "w:scenarios:delete_yes"
W_DELETE_NO = "w:scenarios:delete_no"


def select_key() -> str:
    """The scenario drop-down's key names the language: Streamlit keeps a selectbox's choice as its
    shown text, and after a language switch the old text is no option of the redrawn widget."""
    return f"{W_SELECT}:{lang()}"


def rename_key(scenario_id: str) -> str:
    return f"w:scenarios:rename:{scenario_id}"


def duplicate_key(scenario_id: str) -> str:
    return f"w:scenarios:duplicate:{scenario_id}"


def note_key(scenario_id: str) -> str:
    return f"w:scenarios:note:{scenario_id}"


def link(scenario_id: str) -> str:
    """The app's address that opens the scenario (the landing page, whatever page shows the link)."""
    here = (st.context.url or "").rstrip("/")
    if here.endswith("/scenarios"):
        here = here[: -len("/scenarios")]
    return f"{here}/?scenario={scenario_id}"


def _refused(action: str, exc: Exception) -> None:
    text = messages.error_text(exc) if isinstance(exc, InputError) else str(exc)
    st.session_state[state.SCENARIOS_ERROR] = (action, t("scenarios.refused", message=md(text)))


def _guarded(action: str, work: Callable[[], None]) -> None:
    """Run a store action; a refused one is shown under its input, the typed text is kept."""
    st.session_state[state.SCENARIOS_ERROR] = None
    try:
        work()
    except VersionConflict as exc:
        if exc.expected == 0 and exc.current is not None:  # save as: the name is taken
            st.session_state[state.SCENARIOS_ERROR] = (action, t("scenarios.taken", name=md(exc.name)))
        else:
            _refused(action, exc)
    except InputError as exc:
        _refused(action, exc)


def _open(scenario_id: str) -> bool:
    return workspace.current().id == scenario_id


def _save_as() -> None:
    def work() -> None:
        settings, choices = workspace.session_state()
        saved = workspace.store().save_scenario(
            workspace.project_id(),
            st.session_state[W_SAVE_AS],
            settings,
            choices=choices,
            note=workspace.current().note,
            expected_version=0,
            who=workspace.who(),
        )
        workspace.switch(saved.id)
        st.session_state[W_SAVE_AS] = ""
        st.session_state[state.SCENARIOS_SELECTED] = saved.id
        state.notify("success", t("scenarios.saved_as", name=md(saved.name)))

    _guarded("save_as", work)


def _switch(scenario_id: str) -> None:
    workspace.switch(scenario_id)
    state.notify("success", t("scenarios.switched", name=md(workspace.current().name)))


def _rename(scenario: Scenario) -> None:
    def work() -> None:
        renamed = workspace.store().rename(
            scenario.project,
            scenario.id,
            st.session_state[rename_key(scenario.id)],
            who=workspace.who(),
        )
        if _open(scenario.id):
            workspace.reload()
        st.session_state[rename_key(scenario.id)] = ""
        state.notify("success", t("scenarios.renamed", old=md(scenario.name), name=md(renamed.name)))

    _guarded("rename", work)


def _duplicate(scenario: Scenario) -> None:
    def work() -> None:
        copy = workspace.store().duplicate(
            scenario.project, scenario.id, st.session_state[duplicate_key(scenario.id)], who=workspace.who()
        )
        st.session_state[duplicate_key(scenario.id)] = ""
        state.notify("success", t("scenarios.duplicated", old=md(scenario.name), name=md(copy.name)))

    _guarded("duplicate", work)


def _save_note(scenario: Scenario) -> None:
    def work() -> None:
        fresh = workspace.store().scenario(scenario.project, scenario.id)
        workspace.store().save_scenario(
            fresh.project,
            fresh.name,
            fresh.settings,
            note=st.session_state[note_key(scenario.id)].strip(),
            expected_version=fresh.version,
            who=workspace.who(),
            reason="note",
        )
        if _open(scenario.id):
            workspace.reload()
        state.notify("success", t("scenarios.note_saved", name=md(scenario.name)))

    _guarded("note", work)


def _delete(scenario: Scenario) -> None:
    def work() -> None:
        was_open = _open(scenario.id)
        workspace.store().delete(scenario.project, scenario.id, who=workspace.who())
        st.session_state[state.SCENARIOS_DELETE] = None
        st.session_state[state.SCENARIOS_SELECTED] = None
        if was_open:
            others = workspace.store().scenarios(scenario.project)
            if others:
                workspace.switch(others[0].scenario.id)
            else:
                workspace.reload()  # nothing left: the working scenario is made again
        state.notify("success", t("scenarios.deleted", name=md(scenario.name)))

    _guarded("delete", work)


def _ask_delete(scenario_id: str | None) -> None:
    st.session_state[state.SCENARIOS_DELETE] = scenario_id


def _select() -> None:
    st.session_state[state.SCENARIOS_SELECTED] = st.session_state[select_key()]
    st.session_state[state.SCENARIOS_DELETE] = None
    st.session_state[state.SCENARIOS_ERROR] = None


def _error(action: str) -> None:
    """The refusal of `action`, if the last action was it and it was refused."""
    found = st.session_state.get(state.SCENARIOS_ERROR)
    if found is not None and found[0] == action:
        st.error(found[1])


def _top(summary: ScenarioSummary, names: dict[str, str]) -> str:
    return " · ".join(f"{i}. {names.get(item, item)}" for i, item in enumerate(summary.top, start=1))


def _listing(summaries: list[ScenarioSummary], open_id: str) -> None:
    problem = workspace.store().problem(workspace.project_id())
    names = {m.id: m.short.get(lang()) for m in problem.countermeasures}
    tables.show(
        pd.DataFrame(
            {
                t("scenarios.name"): [s.scenario.name for s in summaries],
                t("scenarios.open"): ["●" if s.scenario.id == open_id else "" for s in summaries],
                t("scenarios.top"): [_top(s, names) for s in summaries],
                label("method"): [method(s.scenario.settings.method) for s in summaries],
                t("scenarios.updated"): [s.scenario.updated[:16].replace("T", " ") for s in summaries],
                t("scenarios.note"): [s.scenario.note for s in summaries],
            }
        )
    )


def _actions(scenario: Scenario) -> None:
    is_open = _open(scenario.id)
    st.button(
        t("scenarios.switch_open") if is_open else t("scenarios.switch"),
        key=W_SWITCH,
        on_click=boundary.callback(_switch),
        args=(scenario.id,),
        disabled=is_open,
        type="primary",
    )
    rename, duplicate = st.columns(2, gap="large")
    with rename:
        st.text_input(t("scenarios.rename"), key=rename_key(scenario.id), placeholder=scenario.name)
        st.button(
            t("scenarios.rename_go"),
            key="w:scenarios:rename_go",
            on_click=boundary.callback(_rename),
            args=(scenario,),
        )
        _error("rename")
    with duplicate:
        st.text_input(
            t("scenarios.duplicate"),
            key=duplicate_key(scenario.id),
            placeholder=t("scenarios.copy_of", name=scenario.name),
        )
        st.button(
            t("scenarios.duplicate_go"),
            key="w:scenarios:duplicate_go",
            on_click=boundary.callback(_duplicate),
            args=(scenario,),
        )
        _error("duplicate")
    if note_key(scenario.id) not in st.session_state:
        st.session_state[note_key(scenario.id)] = scenario.note
    st.text_area(t("scenarios.note"), key=note_key(scenario.id), height=80)
    st.button(
        t("scenarios.note_go"),
        key="w:scenarios:note_go",
        on_click=boundary.callback(_save_note),
        args=(scenario,),
    )
    _error("note")
    st.caption(t("scenarios.link"))
    st.code(link(scenario.id), language=None, wrap_lines=True)
    if st.session_state.get(state.SCENARIOS_DELETE) == scenario.id:
        st.warning(t("scenarios.confirm_delete", name=md(scenario.name)))
        yes, no = st.columns(2)
        yes.button(
            t("scenarios.delete_yes"),
            key=W_DELETE_YES,
            on_click=boundary.callback(_delete),
            args=(scenario,),
            type="primary",
        )
        no.button(t("scenarios.delete_no"), key=W_DELETE_NO, on_click=_ask_delete, args=(None,))
    else:
        st.button(
            t("scenarios.delete"), key=W_DELETE, on_click=_ask_delete, args=(scenario.id,), icon=icons.DELETE
        )
    _error("delete")


analysis = page.start("scenarios")
opened = workspace.current()
summaries = workspace.store().scenarios(workspace.project_id())

with st.container(border=True):
    st.markdown(f"**{t('scenarios.save_as_title', name=md(opened.name))}**")
    st.text_input(t("scenarios.save_as"), key=W_SAVE_AS, placeholder=t("scenarios.save_as_hint"))
    st.button(
        t("scenarios.save_as_go"), key=W_SAVE_AS_GO, on_click=boundary.callback(_save_as), type="primary"
    )
    _error("save_as")

st.subheader(t("scenarios.list", n=len(summaries)))
_listing(summaries, opened.id)

by_id = {s.scenario.id: s.scenario for s in summaries}
selected = st.session_state.get(state.SCENARIOS_SELECTED)
st.session_state[select_key()] = next(i for i in (selected, opened.id, *by_id) if i in by_id)
st.selectbox(
    t("scenarios.select"),
    list(by_id),
    # labels worded now: AppTest calls format_func after the run, outside the session's language
    format_func={
        scenario_id: scenario.name + (t("scenarios.open_mark") if scenario_id == opened.id else "")
        for scenario_id, scenario in by_id.items()
    }.__getitem__,
    key=select_key(),
    on_change=_select,
)
with st.container(border=True):
    _actions(by_id[st.session_state[select_key()]])
