"""The workspace's costs: one autosave, and opening a project with 1,000 scenarios and 10,000
history rows (the scenario list with each one's top three).

    python benchmarks/workspace.py                  # SQLite in a temporary folder
    POLICYRANK_BENCH_DB=postgresql+psycopg://… python benchmarks/workspace.py

Targets: an autosave (one ``save_scenario`` of a changed weight, version-checked) at most 20 ms;
opening the project at most 1 s. The very first listing ranks every scenario once
(their top three are then kept with them); it is reported beside the target, not against it.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from _timing import table
from sqlalchemy import Connection, func, select

from engine.settings import Settings
from engine.store import open_store

SCENARIOS = 1_000
HISTORY = 10_000
AUTOSAVES = 200


def autosave(url: str) -> tuple[float, float]:
    """Median and 95th percentile of one version-checked save of a changed weight (seconds)."""
    store = open_store(url)
    leaves = store.problem("wuhan").leaf_ids
    saved = store.save_scenario("wuhan", "autosave", Settings())
    times = []
    for i in range(AUTOSAVES):
        weights = {leaf: 1.0 + (i + j) % 7 for j, leaf in enumerate(leaves)}
        started = time.perf_counter()
        saved = store.save_scenario(
            "wuhan", "autosave", Settings().with_manual_weights(weights), expected_version=saved.version
        )
        times.append(time.perf_counter() - started)
    store.close()
    times.sort()
    return statistics.median(times), times[int(0.95 * len(times))]


def _app_script() -> None:
    """One page run's workspace work: the autosave at the page's start, then the sidebar's undo state."""
    import time

    import streamlit as st

    from ui import state, workspace

    state.init()
    started = time.perf_counter()
    workspace.autosave()
    workspace.can_undo()
    workspace.can_redo()
    st.session_state.setdefault("bench_times", []).append(time.perf_counter() - started)


def app_autosave(url: str) -> tuple[float, float, float]:
    """Server time of the app's autosave per changed weight and per unchanged rerun (median, p95,
    unchanged median; seconds), in an AppTest session on a database of its own."""
    from streamlit.testing.v1 import AppTest

    from ui import state, workspace

    os.environ["POLICYRANK_DB"] = url
    leaves = open_store(url).problem("wuhan").leaf_ids
    app = AppTest.from_function(_app_script, default_timeout=60).run()  # opens the working scenario
    for i in range(AUTOSAVES):
        weights = {leaf: 1.0 + (i + j) % 7 for j, leaf in enumerate(leaves)}
        app.session_state[state.SETTINGS] = Settings().with_manual_weights(weights)
        app.run()
    changed = sorted(app.session_state["bench_times"][1:])
    for _ in range(AUTOSAVES // 4):
        app.run()
    unchanged = sorted(app.session_state["bench_times"][1 + AUTOSAVES :])
    assert app.session_state[workspace.OPEN].version == AUTOSAVES + 1
    workspace.forget_stores()
    return statistics.median(changed), changed[int(0.95 * len(changed))], statistics.median(unchanged)


def seed(url: str) -> None:
    """Add SCENARIOS distinct scenarios and HISTORY history rows to the shipped project.

    Written straight into the tables: this measures opening, not importing (an import of this
    size spends its time in the engine's strict YAML parser).
    """
    from engine.store.database import write
    from engine.store.schema import history, scenarios
    from engine.store.workspace import Scenario, _scenario_values, settings_json

    store = open_store(url)
    leaves = store.problem("wuhan").leaf_ids
    methods = ("topsis", "vikor", "wsm", "promethee")
    rows = [
        _scenario_values(
            Scenario(
                id=f"00000000-0000-4000-8000-{i:012d}",
                project="wuhan",
                name=f"scenario {i}",
                settings=Settings(method=methods[i % 4]).with_manual_weights(
                    {leaf: 1.0 + (i * (j + 1)) % 13 for j, leaf in enumerate(leaves)}
                ),
                note="",
                revision=1,
                version=1,
                created=f"2026-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}.000000Z",
                updated=f"2026-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}.000000Z",
            )
        )
        for i in range(SCENARIOS)
    ]
    state = settings_json(Settings())

    def add(connection: Connection) -> None:
        first = (connection.scalar(select(func.max(history.c.seq))) or 0) + 1
        changes = [
            {
                "project_id": "wuhan",
                "seq": first + i,
                "at": "2026-01-01T00:00:00.000000Z",
                "who": "bench",
                "entity": "scenario",
                "entity_id": rows[i % SCENARIOS]["id"],
                "action": "update",
                "from_state": state,
                "to_state": state,
                "reason": None,
            }
            for i in range(HISTORY - first + 1)
        ]
        connection.execute(scenarios.insert(), rows)
        connection.execute(history.insert(), changes)

    write(store.engine, add)
    store.close()


def opening(url: str) -> tuple[float, float]:
    """The first listing (ranks every scenario once), then the best of 5 fresh opens (seconds)."""
    seed(url)
    store = open_store(url)
    started = time.perf_counter()
    assert len(store.scenarios("wuhan")) >= SCENARIOS
    first = time.perf_counter() - started
    store.close()
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        reopened = open_store(url)
        listed = reopened.scenarios("wuhan")
        best = min(best, time.perf_counter() - started)
        reopened.close()
    assert all(len(s.top) == 3 for s in listed)
    assert len(open_store(url).history("wuhan")) == HISTORY
    return first, best


def main() -> None:
    url = os.environ.get("POLICYRANK_BENCH_DB")
    with tempfile.TemporaryDirectory() as folder:
        base = url or f"sqlite+pysqlite:///{Path(folder) / 'autosave.sqlite'}"
        median, p95 = autosave(base)
        in_app, in_app_p95, unchanged = app_autosave(url or str(Path(folder) / "app.sqlite"))
        big = url or f"sqlite+pysqlite:///{Path(folder) / 'big.sqlite'}"
        first, opened = opening(big)
    backend = "PostgreSQL" if url else "SQLite (WAL)"
    print(f"Workspace on {backend}")
    print(
        table(
            [
                ("autosave: one save_scenario (median)", f"{median * 1e3:.1f} ms", "target <= 20 ms"),
                ("autosave: one save_scenario (95th percentile)", f"{p95 * 1e3:.1f} ms", ""),
                (
                    "autosave in the app: a changed weight, with the undo state (median)",
                    f"{in_app * 1e3:.1f} ms",
                    "target <= 20 ms",
                ),
                ("autosave in the app: a changed weight (95th percentile)", f"{in_app_p95 * 1e3:.1f} ms", ""),
                ("autosave in the app: an unchanged rerun (median)", f"{unchanged * 1e3:.2f} ms", ""),
                (
                    f"open a project of {SCENARIOS:,} scenarios, {HISTORY:,} history rows, list them",
                    f"{opened * 1e3:.0f} ms",
                    "target <= 1 s",
                ),
                (
                    "  the first listing (ranks each scenario once, then keeps its top three)",
                    f"{first:.2f} s",
                    "",
                ),
            ]
        )
    )


if __name__ == "__main__":
    main()
