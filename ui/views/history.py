"""History: every change of the open project, newest first, filtered, a page at a time; each revertible.

The filters and the paging run in the database (:mod:`engine.store.browse`), so a project with
ten thousand changes opens as fast as one with ten. Times are shown in the browser's time zone
beside the ISO-8601 UTC time the store keeps. A revert is itself a change (recorded under the
signed-in name with the reason given); when it touches the scenario being worked on, or the
project's files, the session reads them again.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import streamlit as st

from engine.errors import InputError
from engine.model import Problem
from engine.store import HistoryEntry, Store
from engine.store.browse import PAGE_SIZE, HistoryQuery, authors, history_page, last_change, scenario_names
from ui import auth, boundary, icons, messages, page, state, workspace
from ui.change_summary import summary
from ui.clock import day_start_utc, local_time, zone
from ui.format import md
from ui.i18n import lang, local, t

W_WHAT = "w:history:what"
W_SCENARIO = "w:history:scenario"
W_WHO = "w:history:who"
W_SINCE = "w:history:since"
W_UNTIL = "w:history:until"
W_TEXT = "w:history:text"
W_PAGE = "w:history:page"
W_CHOSEN = "w:history:chosen"
W_REASON = "w:history:reason"
W_REVERT = "w:history:revert"
W_CONFIRM = "w:history:confirm"
W_CANCEL = "w:history:cancel"
# "any" in the filter drop-downs: a selectbox shows None as no choice at all ("Choose an option")
ANY = ""
WHAT = (ANY, "scenario", "project")
EARLIEST = dt.date(2000, 1, 1)  # the date pickers' first day (Streamlit's default: ten years ago)


@dataclass(frozen=True)
class Filter:
    what: str = ANY
    scenario: str = ANY
    who: str = ANY
    since: dt.date | None = None
    until: dt.date | None = None
    text: str = ""


def query(chosen: Filter, tz: dt.tzinfo) -> HistoryQuery:
    return HistoryQuery(
        entity=chosen.what or None,
        entity_id=(chosen.scenario or None) if chosen.what != "project" else None,
        who=chosen.who or None,
        since=None if chosen.since is None else day_start_utc(chosen.since, tz),
        until=None if chosen.until is None else day_start_utc(chosen.until + dt.timedelta(days=1), tz),
        text=chosen.text or None,
    )


def current_filter() -> Filter:
    return st.session_state.get(state.HISTORY_FILTER) or Filter()


def _keep(field: str, widget_key: str) -> None:
    value: Any = st.session_state[widget_key]
    st.session_state[state.HISTORY_FILTER] = replace(current_filter(), **{field: value})
    st.session_state[state.HISTORY_PAGE] = 1
    st.session_state[state.HISTORY_REVERT] = None


def bound(field: str, widget_key: str, options: list[Any] | None = None) -> dict[str, Any]:
    """Widget arguments that show the kept filter and keep the user's change (see ui.state.bind).

    A drop-down's key names the language: Streamlit keeps a selectbox's choice as its shown text,
    and after a language switch the old text ('全部') is no option of the redrawn widget.
    """
    value = getattr(current_filter(), field)
    if options is not None:
        widget_key = f"{widget_key}:{lang()}"
        if value not in options:
            value = ANY
    st.session_state[widget_key] = value
    return {"key": widget_key, "on_change": _keep, "args": (field, widget_key)}


def what_name(entry: HistoryEntry, scenarios: dict[str, str]) -> str:
    if entry.entity == "scenario":
        return t("history.what_scenario", name=scenarios.get(entry.entity_id, entry.entity_id))
    if entry.entity == "project":
        return t("history.what_project")
    return entry.entity


def action_name(action: str) -> str:
    key = f"history.action.{action}"
    try:
        return t(key)
    except KeyError:
        return action


def revertible(entry: HistoryEntry) -> bool:
    return entry.entity == "scenario" or (entry.entity == "project" and entry.action != "create")


def _ask(entry_id: int) -> None:
    st.session_state[state.HISTORY_REVERT] = entry_id


def _cancel() -> None:
    st.session_state[state.HISTORY_REVERT] = None


@boundary.callback
def _revert(entry: HistoryEntry) -> None:
    reason = st.session_state.get(W_REASON, "").strip() or None
    st.session_state[state.HISTORY_REVERT] = None
    try:
        workspace.store().revert(workspace.project_id(), entry.id, who=auth.who(), reason=reason)
    except InputError as exc:
        state.notify("error", md(messages.error_text(exc)))
        return
    if entry.entity == "project" or workspace.current().id == entry.entity_id:
        workspace.reload()
    st.session_state[W_REASON] = ""
    state.notify("success", t("history.reverted", id=entry.id))


def _turn_page() -> None:
    st.session_state[state.HISTORY_PAGE] = st.session_state[W_PAGE]
    st.session_state[state.HISTORY_REVERT] = None


@st.cache_data(show_spinner=False, max_entries=16)
def filter_choices(url: str, project: str, last: int, _store: Store) -> tuple[dict[str, str], list[str]]:
    """The scenarios and people the filters offer, read again only after a new change (``last``):
    on ten thousand changes the two queries cost more than the page of rows itself."""
    return scenario_names(_store, project), authors(_store, project)


def names_of_criteria(problem: Problem) -> dict[str, str]:
    """Criteria, nodes and stakeholder groups by id, as the summaries name them."""
    names = {node.id: local(node.name) for node in problem.criteria.goal.walk()}
    names |= {group.id: local(group.name) for group in problem.criteria.groups}
    return names


analysis = page.start("history")
st.caption(t("history.intro"))
store, project = workspace.store(), workspace.project_id()
tz = zone()
scenarios, people = filter_choices(
    store.engine.url.render_as_string(), project, last_change(store, project), store
)

chosen = current_filter()
first, second, third = st.columns(3)
with first:
    st.selectbox(
        t("history.filter_what"),
        list(WHAT),
        # labels worded now: AppTest calls format_func after the run, outside the session's language
        format_func={what: t(f"history.what.{what or 'all'}") for what in WHAT}.__getitem__,
        **bound("what", W_WHAT, list(WHAT)),
    )
    st.text_input(
        t("history.filter_text"), placeholder=t("history.filter_text_hint"), **bound("text", W_TEXT)
    )
with second:
    scenario_options = [ANY, *sorted(scenarios, key=lambda key: scenarios[key])]
    st.selectbox(
        t("history.filter_scenario"),
        scenario_options,
        format_func={**scenarios, ANY: t("history.any")}.__getitem__,
        disabled=chosen.what == "project",
        **bound("scenario", W_SCENARIO, scenario_options),
    )
    people_options = [ANY, *people]
    st.selectbox(
        t("history.filter_who"),
        people_options,
        format_func={**{name: name for name in people}, ANY: t("history.anyone")}.__getitem__,
        **bound("who", W_WHO, people_options),
    )
with third:
    st.date_input(
        t("history.filter_since"), format="YYYY-MM-DD", min_value=EARLIEST, **bound("since", W_SINCE)
    )
    st.date_input(
        t("history.filter_until"), format="YYYY-MM-DD", min_value=EARLIEST, **bound("until", W_UNTIL)
    )

asked = query(chosen, tz)
number = max(int(st.session_state[state.HISTORY_PAGE]), 1)
shown = history_page(store, project, asked, offset=(number - 1) * PAGE_SIZE)
pages = max(1, math.ceil(shown.total / PAGE_SIZE))
if number > pages:  # fewer changes match than when the page was chosen: show the last page
    number = pages
    shown = history_page(store, project, asked, offset=(number - 1) * PAGE_SIZE)
matching = shown.total

if not shown.entries:
    st.info(t("history.none"))
    st.stop()

criteria = names_of_criteria(analysis.problem)
summaries = [
    summary(entry, criteria, functools.partial(store.problem_at, project)) for entry in shown.entries
]
rows = pd.DataFrame(
    {
        "#": [entry.id for entry in shown.entries],
        t("history.col_when"): [local_time(entry.at, tz) for entry in shown.entries],
        t("history.col_who"): [entry.who for entry in shown.entries],
        t("history.col_what"): [what_name(entry, scenarios) for entry in shown.entries],
        t("history.col_action"): [action_name(entry.action) for entry in shown.entries],
        t("history.col_reason"): [entry.reason or "" for entry in shown.entries],
        t("history.col_change"): summaries,
        t("history.col_utc"): [entry.at for entry in shown.entries],
    }
)
st.dataframe(
    rows,
    hide_index=True,
    width="stretch",
    column_config={
        "#": st.column_config.NumberColumn(width="small"),
        t("history.col_reason"): st.column_config.TextColumn(width="medium"),
        t("history.col_change"): st.column_config.TextColumn(width="large"),
        t("history.col_utc"): st.column_config.TextColumn(help=t("history.col_utc_help")),
    },
)

left, right = st.columns([3, 1])
with left:
    start = shown.offset + 1
    st.caption(t("history.showing", first=start, last=shown.offset + len(shown.entries), total=matching))
with right:
    st.session_state[W_PAGE] = number
    st.number_input(
        t("history.page", pages=pages),
        min_value=1,
        max_value=pages,
        step=1,
        key=W_PAGE,
        on_change=_turn_page,
    )

st.subheader(t("history.revert_title"))
candidates = {entry.id: entry for entry in shown.entries if revertible(entry)}
if not candidates:
    st.caption(t("history.nothing_revertible"))
    st.stop()
# the choice is set before the drop-down is drawn, so a language switch shows it in the new language
chosen_key = f"{W_CHOSEN}:{lang()}"  # the language in the key, as for the filters (see bound)
kept = st.session_state.get(chosen_key, st.session_state.get(state.HISTORY_CHOSEN))
st.session_state[chosen_key] = kept if kept in candidates else next(iter(candidates))
st.session_state[state.HISTORY_CHOSEN] = st.session_state[chosen_key]
entry_id = st.selectbox(
    t("history.revert_which"),
    list(candidates),
    format_func={
        key: " · ".join(
            (f"#{key}", what_name(entry, scenarios), action_name(entry.action), local_time(entry.at, tz))
        )
        for key, entry in candidates.items()
    }.__getitem__,
    key=chosen_key,
)
st.text_input(t("history.revert_reason"), key=W_REASON)
pending = st.session_state.get(state.HISTORY_REVERT)
if pending != entry_id:
    st.button(t("history.revert"), key=W_REVERT, on_click=_ask, args=(entry_id,), icon=icons.REVERT)
else:
    entry = candidates[entry_id]
    st.warning(
        t(
            "history.confirm",
            id=entry.id,
            what=md(what_name(entry, scenarios)),
            change=md(summaries[shown.entries.index(entry)]),
        )
    )
    yes, no = st.columns(2)
    yes.button(t("history.confirm_yes"), key=W_CONFIRM, on_click=_revert, args=(entry,), type="primary")
    no.button(t("history.confirm_no"), key=W_CANCEL, on_click=_cancel)
