"""The workspace commands, as a user runs them: JSON shapes, exit codes, ``rank --scenario``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # each case starts policyrank processes


def policyrank(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engine.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "POLICYRANK_DB": db_url, "PYTHONPATH": str(ROOT)},
    )


def ok(db_url: str, *args: str) -> str:
    done = policyrank(db_url, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_scenarios_from_save_to_compare(db_url, tmp_path: Path):
    ok(db_url, "scenario", "save", "talent", "--weights", "talent_first", "--method", "vikor", "--note", "n")
    ok(db_url, "scenario", "save", "base")
    listed = json.loads(ok(db_url, "scenario", "list", "--format", "json"))
    assert [sorted(item) for item in listed] == [["id", "method", "name", "top", "updated"]] * 2
    assert {item["name"]: item["method"] for item in listed} == {"talent": "vikor", "base": "topsis"}
    assert all(len(item["top"]) == 3 and item["updated"].endswith("Z") for item in listed)

    shown = json.loads(ok(db_url, "scenario", "show", "talent", "--format", "json"))
    assert shown["settings"] == {"method": "vikor", "weight_source": "preset", "preset": "talent_first"}
    assert (shown["note"], shown["version"]) == ("n", 1)

    compared = json.loads(ok(db_url, "scenario", "compare", "base", "talent", "--format", "json"))
    assert [s["name"] for s in compared["scenarios"]] == ["base", "talent"]
    assert all(row["change"][0] == 0 for row in compared["ranking"])

    out = tmp_path / "talent.yaml"
    ok(db_url, "scenario", "export", "talent", "--out", str(out))
    ok(db_url, "scenario", "import", str(out), "--name", "talent again")
    again = json.loads(ok(db_url, "scenario", "show", "talent again", "--format", "json"))
    assert again["settings"] == shown["settings"] and again["id"] != shown["id"]

    history = json.loads(ok(db_url, "history", "--format", "json"))
    assert [e["action"] for e in history] == ["create", "create", "create", "create"]
    assert sorted(history[0]) == ["action", "at", "entity", "entity_id", "from", "id", "reason", "to", "who"]


def test_rank_scenario_is_the_ranking_of_the_same_flags(db_url):
    flags = ["--weights", "fiscal_prudence", "--method", "vikor", "--experts", "ndrc_officer"]
    ok(db_url, "scenario", "save", "fiscal", *flags)
    common = ["--format", "json", "--samples", "2000"]
    from_flags = json.loads(ok(db_url, "rank", *flags, *common))
    from_scenario = json.loads(ok(db_url, "rank", "--scenario", "fiscal", *common))
    assert from_scenario == from_flags


def test_project_export_and_import(db_url, tmp_path: Path):
    ok(db_url, "scenario", "save", "base", "--note", "kept")
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    ok(db_url, "project", "export", "--out", str(first))
    done = policyrank(db_url, "project", "import", str(first))
    assert done.returncode == 2 and "--replace" in done.stderr
    ok(db_url, "project", "import", str(first), "--replace")
    ok(db_url, "project", "export", "--out", str(second))
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize(
    "args, message",
    [
        (["scenario", "show", "missing"], "no scenario 'missing' in project 'wuhan'"),
        (["scenario", "list", "--project", "nowhere"], "no project 'nowhere'"),
        (["scenario", "save", "x", "--weights", "nope"], "neither a preset"),
        (["scenario", "compare", "a"], "two to four"),
        (["rank", "--scenario", "missing"], "no scenario 'missing'"),
        (["scenario", "import", "/nonexistent.yaml"], "file not found"),
        (["scenario", "save", "x", "--expected-version", "3"], "not saved"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(db_url, args, message):
    done = policyrank(db_url, *args)
    assert done.returncode == 2
    assert message in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert done.stdout == ""


def test_commands_without_the_store_do_not_import_sqlalchemy():
    probe = (
        "import sys\nfrom engine.cli.main import main\n"
        "for argv in (['--help'], ['rank', '--help']):\n"
        "    try:\n        main(argv)\n    except SystemExit:\n        pass\n"
        "print('sqlalchemy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_memo_scenario_is_the_memo_of_the_same_flags(db_url, tmp_path: Path):
    flags = ["--weights", "talent_first", "--method", "wsm"]
    ok(db_url, "scenario", "save", "talent", *flags)
    common = ["--samples", "2000", "--date", "2026-05-03", "--lang", "en"]
    ok(db_url, "memo", *flags, *common, "--out", str(tmp_path / "flags.md"))
    ok(db_url, "memo", "--scenario", "talent", *common, "--out", str(tmp_path / "scenario.md"))
    assert (tmp_path / "scenario.md").read_text(encoding="utf-8") == (tmp_path / "flags.md").read_text(
        encoding="utf-8"
    )
