"""The open workspace: the scenario a session works on, every change saved into it, undo and redo.

The pages keep working on the plain session keys of :mod:`ui.state`; this module ties them to one
scenario of the workspace database (:mod:`engine.store`):

- The first run of a session opens the scenario the link names (``?scenario=<id>``), else the one
  this user last had open, else a "Working scenario" made from what the session holds (the
  defaults). So a new tab, or the app after a server restart, continues where the user left off.
- :func:`autosave` (at the start of every page and after its body) compares the session's
  settings and choices with what was last saved and saves a new version only when they differ,
  naming the version it started from: a save by someone else in between is refused and kept in
  the session as a :class:`Conflict`, never overwritten.
- :func:`undo` walks the scenario's history in the store, so it works in a fresh tab too; the
  redo stack lives in the session and any new change clears it.

:data:`CHOICES` is the one place where session keys and ``Scenario.choices`` meet.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from engine.errors import InputError
from engine.model import Problem
from engine.panel.source import PanelSource
from engine.settings import Settings
from engine.store import SHIPPED_PROJECT, HistoryEntry, Scenario, Store, VersionConflict, open_store
from engine.store.database import database_url
from ui import state

#: session key -> key of ``Scenario.choices`` (engine.store.choices): the analysis choices beyond
#: the settings that a scenario keeps
CHOICES: dict[str, str] = {
    state.BUDGET: "budget",
    state.BUDGET_RULES: "budget_rules",
    state.BUDGET_MUST: "budget_must",
    state.BUDGET_EXCLUDE: "budget_exclude",
    state.BUDGET_BASIS: "budget_basis",
    state.SAMPLES: "samples",
    state.ROBUST_MODEL: "robustness_model",
    state.ROBUST_PERFORMANCE: "robustness_performance",
    state.IMPORTANCE: "importance",
    state.HELD: "held",
    state.PANEL_SOURCE: "panel",
}

PROJECT = "workspace_project"  # the open project's id; missing: the shipped project
OPEN = "workspace_open"  # the Scenario as last saved or read: its version is what the next save expects
SAVED = "workspace_saved"  # the (settings, choices) last saved or read, as :func:`session_state` gives them
CONFLICT = "workspace_conflict"  # a Conflict: a save refused because someone else saved first
REDO = "workspace_redo"  # (scenario id, [states undone in this session, newest last])
UNDO_TARGET = "workspace_undo"  # ((scenario id, version), the state undo would restore, or None)
UNKNOWN = "workspace_unknown"  # the scenario id of a link that named none (warned about once)
UPLOADED = "workspace_uploaded"  # an uploaded problem was in use on the last run: nothing is saved

UNDO, REDO_REASON = "undo", "redo"
UNDO_DEPTH = 500  # history rows of the scenario read to find what undo restores

State = tuple[Settings, dict[str, Any]]


@dataclass(frozen=True)
class Conflict:
    """Changes the session could not save: ``expected_version`` is no longer the stored one."""

    scenario_id: str
    name: str
    expected_version: int
    settings: Settings
    choices: dict[str, Any]


# ---------------------------------------------------------------- the database


_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()


def store() -> Store:
    """The workspace database (``POLICYRANK_DB``, else the user's SQLite file), opened once per URL."""
    url = database_url().render_as_string(hide_password=False)
    with _stores_lock:
        if url not in _stores:
            _stores[url] = open_store(url)
        return _stores[url]


def forget_stores() -> None:
    """Close every open store (tests point ``POLICYRANK_DB`` at a new file for each test)."""
    with _stores_lock:
        for opened in _stores.values():
            opened.close()
        _stores.clear()


def who() -> str:
    from ui import auth

    return auth.who()


def project_id() -> str:
    return st.session_state.get(PROJECT, SHIPPED_PROJECT)


# ---------------------------------------------------------------- session <-> scenario


def _choice(name: str, value: Any) -> Any:
    """A session value as ``Scenario.choices`` keeps it (JSON: lists, plain floats and ints)."""
    if name == "panel":  # where the weights came from: an object of its own (engine.panel.source)
        return None if not value else PanelSource.from_choice(value).to_choice()
    if isinstance(value, Mapping):
        return {str(key): float(number) for key, number in value.items()}
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    if value is None or isinstance(value, (bool, str)):
        return value
    return int(value) if name == "samples" else float(value)


def _full(settings: Settings, choices: Mapping[str, Any]) -> dict[str, Any]:
    """Every choice, the defaults standing in for those not given.

    The direct sliders' importances mean something only while the weights are set on them;
    otherwise the weights page derives them from the weights in use, which is no change to keep.
    """
    full = {
        name: _choice(name, choices[name] if name in choices else state.DEFAULTS[key])
        for key, name in CHOICES.items()
    }
    if settings.weight_source != "manual":
        full["importance"] = {}
    return full


def session_state() -> State:
    """The session's settings and choices, as a scenario keeps them."""
    settings = state.settings()
    choices = {name: st.session_state.get(key, state.DEFAULTS[key]) for key, name in CHOICES.items()}
    return settings, _full(settings, choices)


def _into_session(settings: Settings, choices: Mapping[str, Any]) -> None:
    """Put a scenario's settings and choices into the session; the pages mirror them into their
    widgets when they draw them (:func:`ui.state.bind`)."""
    state.set_settings(settings)
    full = _full(settings, choices)
    for key, name in CHOICES.items():
        value = full[name]
        st.session_state[key] = (
            dict(value) if isinstance(value, dict) else tuple(value) if isinstance(value, list) else value
        )


def _remember(scenario: Scenario, saved: State) -> None:
    st.session_state[OPEN] = scenario
    st.session_state[SAVED] = saved


def _enter(scenario: Scenario, *, record: bool = True) -> None:
    """Make `scenario` the session's: its values in the session, its id in the link."""
    _into_session(scenario.settings, scenario.choices)
    _remember(scenario, session_state())
    st.session_state[REDO] = (scenario.id, [])
    st.session_state.pop(UNDO_TARGET, None)
    _link(scenario)
    if record:
        store().set_opened(scenario.project, scenario.id, who())


def _link(scenario: Scenario) -> None:
    if st.query_params.get("scenario") != scenario.id:
        st.query_params["scenario"] = scenario.id


def _working_scenario(project: str) -> Scenario:
    """The user's scenario when nothing else is open: made from what the session holds now."""
    from ui.i18n import t

    name = t("workspace.default_name")
    settings, choices = session_state()
    try:
        return store().save_scenario(project, name, settings, choices=choices, expected_version=0, who=who())
    except VersionConflict:
        return store().scenario(project, name)


def find(key: str, project: str | None = None) -> Scenario | None:
    """A scenario of the project by id or name, None if there is none."""
    try:
        return store().scenario(project or project_id(), key)
    except InputError:
        return None


def _open_first() -> None:
    """On the first run of a session: open the linked, the last opened or the working scenario."""
    if OPEN in st.session_state:
        return
    project = project_id()
    linked = st.query_params.get("scenario")
    if linked:
        scenario = find(linked, project)
        if scenario is not None:
            _enter(scenario)
            return
        st.session_state[UNKNOWN] = linked
    scenario = store().opened(project, who())
    if scenario is not None:
        _enter(scenario, record=False)
        return
    _enter(_working_scenario(project))


def current() -> Scenario:
    """The scenario the session works on, as last saved or read."""
    _open_first()
    return st.session_state[OPEN]


def problem() -> Problem:
    """The open project's problem at the revision the open scenario was saved on (cached per revision)."""
    scenario = current()
    return store().problem_at(scenario.project, scenario.revision)


def latest_revision() -> int:
    return store().project(project_id()).revision


def switch(key: str) -> None:
    """Open another scenario of the project by id or name: its settings and choices replace the
    session's (whose changes are saved first)."""
    _save_pending()
    scenario = store().scenario(project_id(), key)
    st.session_state.pop(UNKNOWN, None)
    _enter(scenario)


def reload() -> None:
    """Forget the session's copy and read the open scenario again (after a catalogue edit, a revert,
    or to drop changes refused by a conflict)."""
    opened = st.session_state.get(OPEN)
    st.session_state.pop(CONFLICT, None)
    st.session_state.pop(OPEN, None)
    scenario = None if opened is None else find(opened.id, opened.project)
    if scenario is None:
        _open_first()
    else:
        _enter(scenario, record=False)


# ---------------------------------------------------------------- saving


def conflict() -> Conflict | None:
    """The pending conflict of the open scenario, if a save of it was refused."""
    found = st.session_state.get(CONFLICT)
    opened = st.session_state.get(OPEN)
    if found is None or opened is None or found.scenario_id != opened.id:
        return None
    return found


def _commit(settings: Settings, choices: dict[str, Any], reason: str | None = None) -> bool:
    """Save a new version of the open scenario; False (and a Conflict in the session) if refused."""
    opened: Scenario = st.session_state[OPEN]
    # choices the session does not hold (another page's, e.g. where panel weights came from) stay
    kept = {name: value for name, value in opened.choices.items() if name not in CHOICES.values()}
    try:
        saved = store().save_scenario(
            opened.project,
            opened.name,
            settings,
            choices={**kept, **choices},
            expected_version=opened.version,
            who=who(),
            reason=reason,
        )
    except VersionConflict:
        st.session_state[CONFLICT] = Conflict(opened.id, opened.name, opened.version, settings, choices)
        return False
    except InputError as exc:  # e.g. a preset the catalogue's newest revision no longer has
        from ui import messages
        from ui.format import md
        from ui.i18n import t

        state.notify("warning", t("workspace.not_saved", message=md(messages.error_text(exc))))
        return False
    _remember(saved, (settings, _full(settings, choices)))
    return True


def _save_pending() -> None:
    """Save the session's changes, if any, unless an upload or a conflict stands in the way."""
    uploaded = state.uploaded_problem() is not None
    was_uploaded = st.session_state.get(UPLOADED, False)
    st.session_state[UPLOADED] = uploaded
    if uploaded:
        return  # the settings refer to the uploaded files, not to the project
    if was_uploaded:
        reload()  # back on the project's data: its scenario's settings, not the upload's
        return
    settings, choices = session_state()
    if (settings, choices) == st.session_state[SAVED]:
        return
    pending = conflict()
    if pending is not None:
        # still refused: keep the latest changes with the conflict so that nothing is lost
        st.session_state[CONFLICT] = Conflict(
            pending.scenario_id, pending.name, pending.expected_version, settings, choices
        )
        return
    before_settings, before_choices = st.session_state[SAVED]
    if _commit(settings, choices):
        saved: Scenario = st.session_state[OPEN]
        st.session_state[REDO] = (saved.id, [])
        # what undo restores now is the state just replaced: no need to read the history for it
        before = {"settings": before_settings.to_mapping(), "choices": before_choices}
        st.session_state[UNDO_TARGET] = ((saved.id, saved.version), before)


def autosave() -> None:
    """Open the session's scenario on its first run, then save what changed since the last save.

    An unchanged rerun reads nothing from the database and writes nothing.
    """
    _open_first()
    _save_pending()


def rerank() -> None:
    """Save the open scenario on the project's newest revision (the catalogue changed since)."""
    settings, choices = session_state()
    _commit(settings, choices, reason="rerank")


# ---------------------------------------------------------------- undo and redo


def _same(before: Any, after: Any) -> bool:
    keep = ("settings", "choices")
    return all(before.get(key) == after.get(key) for key in keep)


def previous_state(entries: Sequence[HistoryEntry]) -> dict[str, Any] | None:
    """The state undo restores, from a scenario's history (newest first); None: nothing to undo.

    Every undo cancels the newest change not cancelled yet and every redo cancels the newest undo,
    so walking back an undo adds one change to skip and a redo takes one away. Renames and saves
    that changed neither settings nor choices are not changes undo sees.
    """
    skip = 0
    for entry in entries:
        if entry.reason == UNDO:
            skip += 1
        elif entry.reason == REDO_REASON:
            skip -= 1
        elif entry.action in ("update", "revert") and entry.before is not None and entry.after is not None:
            if _same(entry.before, entry.after):
                continue
            if skip <= 0:
                return entry.before
            skip -= 1
        elif entry.action != "rename":
            return None  # created here (or restored from nothing): there is no earlier state
    return None


def _undo_target() -> dict[str, Any] | None:
    opened = current()
    cached = st.session_state.get(UNDO_TARGET)
    if cached is not None and cached[0] == (opened.id, opened.version):
        return cached[1]
    entries = store().history(opened.project, entity="scenario", entity_id=opened.id, limit=UNDO_DEPTH)
    target = previous_state(entries)
    st.session_state[UNDO_TARGET] = ((opened.id, opened.version), target)
    return target


def _redo_stack() -> list[State]:
    opened = current()
    owner, stack = st.session_state.get(REDO, (None, []))
    return stack if owner == opened.id else []


def can_undo() -> bool:
    return _undo_target() is not None


def can_redo() -> bool:
    return bool(_redo_stack())


def undo() -> None:
    """Put the open scenario back as it was before its last change, saved as a new version."""
    _save_pending()
    target = _undo_target()
    if target is None:
        return
    undone = session_state()
    settings = Settings.from_mapping(target["settings"], "history", "undo")
    # a state saved before scenarios kept choices leaves the choices as they are
    choices = _full(settings, target["choices"]) if "choices" in target else undone[1]
    if _commit(settings, choices, reason=UNDO):
        stack = _redo_stack()
        st.session_state[REDO] = (st.session_state[OPEN].id, [*stack, undone])
        _into_session(settings, choices)


def redo() -> None:
    """Re-apply the change undone last in this session."""
    stack = _redo_stack()
    if not stack:
        return
    settings, choices = stack[-1]
    if _commit(settings, choices, reason=REDO_REASON):
        st.session_state[REDO] = (st.session_state[OPEN].id, stack[:-1])
        _into_session(settings, choices)
