"""The banner of a refused save: someone else saved the open scenario while this session edited it.

:func:`ui.workspace.autosave` saves nothing then and keeps the session's changes in a
:class:`ui.workspace.Conflict`. The banner names who saved since and when (from the history),
shows what differs between mine and theirs, and offers three ways out, none of which loses what
either person changed:

- take theirs: reload their version; mine is first kept as a copy (unless it equals theirs);
- merge: :func:`engine.store.merge.merge` of the version this session started from, mine and
  theirs; a setting changed on one side comes from that side, one changed on both is picked here;
  the merge is saved as the next version of the scenario;
- save mine as a copy under a new name, which becomes the open scenario (theirs stays as saved).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from engine.errors import InputError
from engine.settings import Settings
from engine.store import HistoryEntry, Scenario, VersionConflict
from engine.store.merge import Merge, Path, changed_fields, merge, value_at
from ui import auth, boundary, messages, state, workspace
from ui.change_summary import field_name, field_value
from ui.clock import local_time, zone
from ui.format import md
from ui.i18n import t

W_TAKE = "w:conflict:take"
W_MERGE = "w:conflict:merge"
W_COPY = "w:conflict:copy"
W_COPY_NAME = "w:conflict:copy_name"
W_PICK = "w:conflict:pick:"  # prefix: one radio per clash, keyed by its path
MERGE_REASON = "merge"
COPY_REASON = "copy of changes not saved to {name}"


@dataclass(frozen=True)
class Situation:
    """What the banner shows: the three versions and the changes saved since mine started."""

    conflict: workspace.Conflict
    base: dict[str, Any]  # the version this session started from (version expected_version)
    mine: dict[str, Any]
    theirs: Scenario | None  # None: deleted since
    since: tuple[HistoryEntry, ...]  # newest first


def document(settings: Settings, choices: dict[str, Any]) -> dict[str, Any]:
    """A scenario's settings and choices as one mapping, the shape the merge works on."""
    return {"settings": settings.to_mapping(), "choices": dict(choices)}


def situation(conflict: workspace.Conflict) -> Situation:
    """The versions of a conflict as they are in the store now."""
    store, project = workspace.store(), workspace.project_id()
    # what this session last saved or read: the version it started from, in the form mine has
    base = document(*st.session_state[workspace.SAVED])
    mine = document(conflict.settings, conflict.choices)
    theirs = workspace.find(conflict.scenario_id, project)
    newer = 1 if theirs is None else max(theirs.version - conflict.expected_version, 1)
    since = store.history(project, entity="scenario", entity_id=conflict.scenario_id, limit=newer)
    return Situation(conflict, base, mine, theirs, tuple(since))


def label(path: Path) -> str:
    """A field of the merged document as the banner names it (the criterion's id where keyed)."""
    parts = [field_name(part) for part in path[1:2]] + list(path[2:])
    return " · ".join(parts)


def differences(now: Situation) -> pd.DataFrame:
    """One row per setting or choice where mine and theirs differ, with its value when I started."""
    assert now.theirs is not None
    theirs = document(now.theirs.settings, now.theirs.choices)
    rows = [
        {
            t("conflict.col_field"): label(path),
            t("conflict.col_base"): field_value(path[1], value_at(now.base, path)),
            t("conflict.col_mine"): field_value(path[1], value_at(now.mine, path)),
            t("conflict.col_theirs"): field_value(path[1], value_at(theirs, path)),
        }
        for path in changed_fields(theirs, now.mine)
    ]
    return pd.DataFrame(rows)


def three_way(now: Situation) -> Merge:
    assert now.theirs is not None
    return merge(now.base, now.mine, document(now.theirs.settings, now.theirs.choices))


def pick_key(path: Path) -> str:
    return W_PICK + "/".join(path)


def _copy_name(name: str) -> str:
    stamp = dt.datetime.now(zone()).strftime("%Y-%m-%d %H:%M")
    return t("conflict.copy_default", name=name, stamp=stamp)


def _save_copy(conflict: workspace.Conflict, name: str) -> Scenario:
    return workspace.store().save_scenario(
        workspace.project_id(),
        name,
        conflict.settings,
        choices=conflict.choices,
        expected_version=0,
        who=auth.who(),
        reason=COPY_REASON.format(name=conflict.name),
    )


def _resolved() -> None:
    """Forget the banner's inputs, so that a later conflict starts with a fresh copy name."""
    for key in [key for key in st.session_state if str(key) == W_COPY_NAME or str(key).startswith(W_PICK)]:
        del st.session_state[key]


def _refused(exc: Exception) -> None:
    if isinstance(exc, VersionConflict):
        state.notify("warning", t("conflict.again"))
    elif isinstance(exc, InputError):
        state.notify("error", md(messages.error_text(exc)))
    else:
        state.notify("error", md(str(exc)))


@boundary.callback
def take_theirs() -> None:
    conflict = workspace.conflict()
    if conflict is None:
        return
    theirs = workspace.find(conflict.scenario_id)
    kept = None
    if theirs is None or document(theirs.settings, theirs.choices) != document(
        conflict.settings, conflict.choices
    ):
        try:
            kept = _save_copy(conflict, _copy_name(conflict.name))
        except (InputError, VersionConflict) as exc:
            _refused(exc)
            return
    _resolved()
    workspace.reload()
    if kept is not None:
        state.notify("info", t("conflict.kept_copy", name=md(kept.name)))
    else:
        state.notify("info", t("conflict.taken", name=md(conflict.name)))


@boundary.callback
def save_merge(paths: tuple[Path, ...]) -> None:
    conflict = workspace.conflict()
    if conflict is None:
        return
    now = situation(conflict)
    if now.theirs is None:
        return
    picks = {path: st.session_state.get(pick_key(path), "mine") for path in paths}
    resolved = three_way(now).resolve(picks)
    try:
        settings = Settings.from_mapping(resolved["settings"], "merge", "settings")
        saved = workspace.store().save_scenario(
            now.theirs.project,
            now.theirs.name,
            settings,
            choices=resolved.get("choices") or {},
            expected_version=now.theirs.version,
            who=auth.who(),
            reason=MERGE_REASON,
        )
    except (InputError, VersionConflict, ValueError) as exc:
        _refused(exc)
        return
    _resolved()
    workspace.reload()
    state.notify("success", t("conflict.merged", name=md(saved.name), version=saved.version))


@boundary.callback
def save_copy() -> None:
    conflict = workspace.conflict()
    if conflict is None:
        return
    name = st.session_state.get(W_COPY_NAME, "").strip() or _copy_name(conflict.name)
    try:
        copy = _save_copy(conflict, name)
    except (InputError, VersionConflict) as exc:
        _refused(exc)
        return
    _resolved()
    workspace.switch(copy.id)
    st.session_state.pop(workspace.CONFLICT, None)
    state.notify("success", t("conflict.saved_copy", name=md(copy.name), theirs=md(conflict.name)))


def _who_since(now: Situation) -> str:
    if not now.since:
        return "?"
    names = list(dict.fromkeys(entry.who for entry in now.since))
    return "、".join(md(name) for name in names) if len(names) > 1 else md(names[0])


def banner() -> None:
    """The conflict of the open scenario with its three ways out; nothing when there is none."""
    conflict = workspace.conflict()
    if conflict is None:
        return
    now = situation(conflict)
    with st.container(border=True):
        st.warning(t("conflict.title", name=md(conflict.name)), icon="⚠️")
        if now.theirs is None:
            st.markdown(t("conflict.gone", name=md(conflict.name)))
            _copy_form(conflict)
            return
        st.markdown(
            t(
                "conflict.by",
                who=_who_since(now),
                when=local_time(now.since[0].at) if now.since else "?",
                version=now.theirs.version,
                base=conflict.expected_version,
            )
        )
        table = differences(now)
        if table.empty:
            st.caption(t("conflict.nothing_differs"))
        else:
            st.caption(t("conflict.differs"))
            st.dataframe(table, hide_index=True, width="stretch")
        take, merge_column, copy = st.columns(3)
        with take:
            st.button(t("conflict.take_theirs"), key=W_TAKE, on_click=take_theirs)
            st.caption(t("conflict.take_theirs_help"))
        with merge_column:
            _merge_form(now)
        with copy:
            _copy_form(conflict)


def _merge_form(now: Situation) -> None:
    result = three_way(now)
    st.markdown(f"**{t('conflict.merge')}**")
    st.caption(t("conflict.merge_help"))
    for clash in result.clashes:
        key = pick_key(clash.path)
        # set before drawing, so that a language switch keeps the pick under its new label
        st.session_state[key] = st.session_state.get(key) or "mine"
        st.radio(
            t(
                "conflict.pick",
                field=md(label(clash.path)),
                mine=md(field_value(clash.path[1], clash.mine)),
                theirs=md(field_value(clash.path[1], clash.theirs)),
            ),
            ("mine", "theirs"),
            format_func={side: t(f"conflict.pick_{side}") for side in ("mine", "theirs")}.__getitem__,
            horizontal=True,
            key=key,
        )
    st.button(
        t("conflict.merge_apply"),
        key=W_MERGE,
        on_click=save_merge,
        args=(tuple(clash.path for clash in result.clashes),),
        type="primary",
    )


def _copy_form(conflict: workspace.Conflict) -> None:
    if W_COPY_NAME not in st.session_state:
        st.session_state[W_COPY_NAME] = _copy_name(conflict.name)
    st.text_input(t("conflict.copy_name"), key=W_COPY_NAME)
    st.button(t("conflict.save_copy"), key=W_COPY, on_click=save_copy)
