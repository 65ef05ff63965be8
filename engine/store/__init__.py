"""The workspace: projects, scenarios and their history in a database (SQLite by default).

::

    from engine.store import open_store

    store = open_store()  # POLICYRANK_DB, else the user's SQLite file; migrated on first use
    saved = store.save_scenario("wuhan", "财政审慎", settings, note="…")
    store.save_scenario("wuhan", "财政审慎", changed, expected_version=saved.version)
    [summary.top for summary in store.scenarios("wuhan")]

See docs/workspace.md for the API, the JSON shapes and the exchange format.
"""

from engine.store.workspace import (
    SHIPPED_PROJECT,
    HistoryEntry,
    ProjectFile,
    ProjectInfo,
    RevisionConflict,
    Scenario,
    ScenarioSummary,
    Store,
    VersionConflict,
    open_store,
)

__all__ = [
    "SHIPPED_PROJECT",
    "HistoryEntry",
    "ProjectFile",
    "ProjectInfo",
    "RevisionConflict",
    "Scenario",
    "ScenarioSummary",
    "Store",
    "VersionConflict",
    "open_store",
]
