"""Real processes against one database: concurrent saves lose nothing, a killed import leaves the
last committed state."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

SAVER = """
import sys
from engine.settings import Settings
from engine.store import open_store
store = open_store(sys.argv[1])
for i in range(50):
    store.save_scenario("wuhan", f"{sys.argv[2]}-{i}", Settings(vikor_v=i / 100), note=sys.argv[2])
print("done")
"""


def _python(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.slow
def test_two_processes_saving_at_once_lose_nothing(db_url):
    from engine.store import open_store

    # both start on an empty database, so they also race to create and migrate it
    workers = [_python(SAVER, db_url, name) for name in ("left", "right")]
    outputs = [worker.communicate(timeout=300) for worker in workers]
    for worker, (out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
        assert out.strip() == "done"
        assert "locked" not in err.lower() and "busy" not in err.lower()
    store = open_store(db_url)
    names = {
        s.name for s in (store.scenario("wuhan", f"{w}-{i}") for w in ("left", "right") for i in range(50))
    }
    assert len(names) == 100
    history = store.history("wuhan")
    assert sum(e.action == "create" and e.entity == "scenario" for e in history) == 100
    assert sorted(e.id for e in history) == list(range(1, 102))  # one project row + 100 saves, no gaps
    store.close()


IMPORTER = """
import sys, time
from pathlib import Path
import engine.store.exchange as exchange
from engine.store import open_store

real_write = exchange.write

def write(engine, work):
    # the parent kills this process a moment after this line: inside the import's transaction
    print("writing", flush=True)
    started = time.perf_counter()
    result = real_write(engine, work)
    print("wrote", time.perf_counter() - started, file=sys.stderr, flush=True)
    return result

exchange.write = write
store = open_store(sys.argv[1])
documents = [Path(p).read_text(encoding="utf-8") for p in sys.argv[2:]]
for i in range(10_000):
    store.import_project(documents[i % 2], replace=True)
    print(i % 2, flush=True)
"""


def _big_project(exported: str, count: int) -> str:
    from engine.store.exchange import dump

    document = yaml.safe_load(exported)
    document["scenarios"] = [
        {
            "id": f"00000000-0000-4000-8000-{i:012d}",
            "name": f"scenario {i}",
            "settings": {"method": "topsis", "weight_source": "ahp", "vikor_v": (i % 100) / 100},
            "note": "bulk",
            "revision": 1,
            "version": 1,
            "created": "2026-01-01T00:00:00.000000Z",
            "updated": "2026-01-01T00:00:00.000000Z",
        }
        for i in range(count)
    ]
    base = document["history"]
    document["history"] = base + [
        {**base[0], "id": len(base) + i + 1, "entity": "scenario", "entity_id": f"bulk-{i}"}
        for i in range(count * 3)
    ]
    return dump(document)


@pytest.mark.slow
def test_a_process_killed_during_a_large_import_leaves_the_last_committed_state(tmp_path: Path):
    import sqlite3

    from engine.store import open_store

    url = f"sqlite+pysqlite:///{tmp_path / 'workspace.sqlite'}"
    store = open_store(url)
    exported = store.export_project("wuhan")
    store.close()
    sizes = (400, 401)
    files = []
    for size in sizes:
        path = tmp_path / f"project-{size}.yaml"
        path.write_text(_big_project(exported, size), encoding="utf-8")
        files.append(str(path))

    for delay in (0.0, 0.01, 0.03):
        importer = _python(IMPORTER, url, *files)
        assert importer.stdout is not None
        committed: list[int] = []
        while True:  # one import committed, the next one has begun writing
            line = importer.stdout.readline().strip()
            assert line, importer.communicate()[1]
            if line == "writing" and committed:
                break
            if line != "writing":
                committed.append(int(line))
        time.sleep(delay)
        os.kill(importer.pid, signal.SIGKILL)
        out, _ = importer.communicate(timeout=60)
        committed += [int(line) for line in out.split() if line != "writing"]

        with sqlite3.connect(tmp_path / "workspace.sqlite") as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        reopened = open_store(url)
        with reopened.engine.connect() as connection:
            import sqlalchemy as sa

            scenarios = connection.scalar(
                sa.text("SELECT count(*) FROM scenarios WHERE project_id = 'wuhan'")
            )
            history = connection.scalar(sa.text("SELECT count(*) FROM history WHERE project_id = 'wuhan'"))
        reopened.close()
        last = sizes[committed[-1]]
        following = sizes[1 - committed[-1]]
        # the last import reported, or the next one if it committed just before the kill: never a mix
        assert (scenarios, history) in {(last, 1 + 3 * last), (following, 1 + 3 * following)}, json.dumps(
            [scenarios, history, committed[-3:]]
        )
