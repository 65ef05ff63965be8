"""The history page with 10,000 changes: first run of a new session (AppTest), a page turn, a filter.

    python benchmarks/history_page.py

Each figure is the best of REPEAT fresh sessions (AppTest, no browser), against the same page on a
project with only a handful of changes, so the difference is what the 10,000 rows cost. Both
include the session's start (opening its scenario, the sidebar, the analysis of the shipped data).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from _timing import ROOT, table
from streamlit.testing.v1 import AppTest

from engine.settings import Settings
from engine.store import open_store
from engine.store.browse import HistoryQuery, history_page
from engine.store.database import write
from engine.store.schema import history

ROWS = 10_000
REPEAT = 5
PAGE = str(ROOT / "ui" / "views" / "history.py")


def seed(url: str, rows: int) -> None:
    """``rows`` scenario changes by three people over a year, written straight into the table."""
    store = open_store(url)
    scenario = store.save_scenario("wuhan", "大项目", Settings(), who="li.wei")
    states = [
        json.dumps(
            {"name": "大项目", "settings": Settings(method=m).to_mapping(), "note": ""}, ensure_ascii=False
        )
        for m in ("topsis", "vikor", "wsm", "promethee")
    ]
    first = store.history("wuhan", limit=1)[0].id + 1
    changes = [
        {
            "project_id": "wuhan",
            "seq": first + i,
            "at": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:{i % 60:02d}.000000Z",
            "who": ("li.wei", "wang.fang", "zhao.lei")[i % 3],
            "entity": "scenario",
            "entity_id": scenario.id,
            "action": "update",
            "from_state": states[i % 4],
            "to_state": states[(i + 1) % 4],
            "reason": f"step {i}",
        }
        for i in range(rows)
    ]
    write(store.engine, lambda connection: connection.execute(history.insert(), changes))
    store.close()


def session(url: str) -> tuple[float, float, float]:
    """Seconds of a new session's first run, of turning to page 100, and of a reason filter."""
    os.environ["POLICYRANK_DB"] = url
    app = AppTest.from_file(PAGE, default_timeout=120)
    started = time.perf_counter()
    app.run()
    first = time.perf_counter() - started
    assert not app.exception, [e.value for e in app.exception]
    started = time.perf_counter()
    app.number_input(key="w:history:page").set_value(
        min(100, app.number_input(key="w:history:page").max)
    ).run()
    turn = time.perf_counter() - started
    started = time.perf_counter()
    app.text_input(key="w:history:text").set_value("step 9999").run()
    search = time.perf_counter() - started
    return first, turn, search


def best_of(url: str) -> tuple[float, ...]:
    runs = [session(url) for _ in range(REPEAT)]
    return tuple(min(run[i] for run in runs) for i in range(3))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        small = f"sqlite+pysqlite:///{Path(folder) / 'small.sqlite'}"
        big = f"sqlite+pysqlite:///{Path(folder) / 'big.sqlite'}"
        seed(small, 3)
        seed(big, ROWS)
        session(small)  # imports and caches: every later session starts as on a running server
        few = best_of(small)
        many = best_of(big)
        store = open_store(big)
        started = time.perf_counter()
        for _ in range(20):
            history_page(store, "wuhan", HistoryQuery(who="wang.fang", text="step"), offset=5_000)
        query = (time.perf_counter() - started) / 20
        store.close()
    print(f"History page, best of {REPEAT} new sessions (AppTest, SQLite)")
    print(
        table(
            [
                ("first run, a handful of changes", f"{few[0] * 1e3:.0f} ms", ""),
                (f"first run, {ROWS:,} changes", f"{many[0] * 1e3:.0f} ms", "target: about the same"),
                (f"turn to page 100 of {ROWS:,}", f"{many[1] * 1e3:.0f} ms", ""),
                (f"reason filter over {ROWS:,}", f"{many[2] * 1e3:.0f} ms", ""),
                ("one filtered page query (who + reason, offset 5,000)", f"{query * 1e3:.1f} ms", ""),
            ]
        )
    )


if __name__ == "__main__":
    main()
