"""The scenarios the compare page sets side by side, and their comparison, shared with the memo page.

The choice is the plain session key ``ui.state.COMPARE_SCENARIOS`` (scenario ids, in the order
chosen: rank changes count against the first), so it survives page switches and the memo page can
include the same comparison. The comparison is ``Store.compare``'s document (engine.store.compare),
cached on the scenarios' versions and the project's revision; the leaders' firmness comes from the
robustness study :mod:`ui.studies` caches for each scenario's settings, so a scenario's firmness
here is the one the overview shows when it is open.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from engine.recommendation import Recommendation
from engine.store import Scenario, ScenarioSummary
from ui import current, state, studies, workspace

MIN, MAX = 2, 4
CACHE_ENTRIES = 32


@dataclass(frozen=True)
class Compared:
    """What a comparison is made of; hashable, so it keys caches (the memo's among them)."""

    project: str
    revision: int
    scenarios: tuple[tuple[str, int], ...]  # (id, version) in the order chosen
    samples: int  # the robustness study behind each leader's firmness

    @property
    def ids(self) -> list[str]:
        return [scenario_id for scenario_id, _ in self.scenarios]


def default_choice(summaries: Sequence[ScenarioSummary], open_id: str | None) -> list[str]:
    """Until the user chooses: the open scenario and the most recently saved other one."""
    ids = [s.scenario.id for s in summaries]
    first = [open_id] if open_id in ids else []
    return (first + [i for i in ids if i not in first])[:MIN]


def chosen(summaries: Sequence[ScenarioSummary], open_id: str | None) -> list[str]:
    """The session's choice of scenarios that still exist (deleted ones drop out), at most four."""
    kept = st.session_state.get(state.COMPARE_SCENARIOS)
    if kept is None:
        return default_choice(summaries, open_id)
    ids = {s.scenario.id for s in summaries}
    return [i for i in kept if i in ids][:MAX]


def key(scenarios: Sequence[Scenario], samples: int) -> Compared:
    project = scenarios[0].project
    return Compared(
        project=project,
        revision=workspace.store().project(project).revision,
        scenarios=tuple((s.id, s.version) for s in scenarios),
        samples=int(samples),
    )


def session_key() -> Compared | None:
    """The comparison the compare page shows now, or None when fewer than two scenarios are chosen."""
    project = workspace.project_id()
    summaries = workspace.store().scenarios(project)
    ids = chosen(summaries, workspace.current().id)
    if len(ids) < MIN:
        return None
    by_id = {s.scenario.id: s.scenario for s in summaries}
    return key([by_id[i] for i in ids], st.session_state[state.SAMPLES])


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _compare(database: str, project: str, revision: int, scenarios: tuple[tuple[str, int], ...]) -> dict:
    return workspace.store().compare(project, [scenario_id for scenario_id, _ in scenarios])


def recommendations(compared: Compared) -> list[Recommendation]:
    """Each scenario's recommendation (its leader's firmness), from the cached studies."""
    store = workspace.store()
    problem = store.problem(compared.project)
    found = []
    for scenario_id in compared.ids:
        settings = store.scenario(compared.project, scenario_id).settings
        analysis = current.analyse(problem, settings)
        found.append(studies.recommendation(analysis, studies.resolve(settings, compared.samples)))
    return found


def document(compared: Compared) -> dict[str, Any]:
    """``Store.compare``'s document with each leader's firmness (``firmness``), as the memo takes it."""
    database = workspace.store().engine.url.render_as_string(hide_password=True)
    found = dict(_compare(database, compared.project, compared.revision, compared.scenarios))
    found["firmness"] = [
        {"leader": rec.leader, "firmness": rec.firmness} for rec in recommendations(compared)
    ]
    return found
