"""The broken-input corpus: every file in tests/bad_inputs/ gives exactly its expected message.

Each broken file replaces one file of the small test problem (tests/fixtures/mini); the rest of
the problem is the valid fixture. A subset also goes through the real CLI, which must print that
same message as its only line on stderr and exit with code 2.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from engine.errors import InputError
from engine.load import load_preset, problem_from_bytes
from tests.conftest import MINI, ROOT

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))["cases"]
LEAVES = ("jobs", "output", "cost")


def load_with(kind: str, path: Path) -> None:
    label = path.name
    if kind == "preset":
        load_preset(path, LEAVES)
        return
    files = {
        "criteria": ((MINI / "criteria.yaml").read_bytes(), "criteria.yaml"),
        "catalogue": ((MINI / "countermeasures.yaml").read_bytes(), "countermeasures.yaml"),
        "evidence": ((MINI / "evidence.yaml").read_bytes(), "evidence.yaml"),
    }
    files[kind] = (path.read_bytes(), label)
    problem_from_bytes(files["criteria"], files["catalogue"], files["evidence"])


def test_the_corpus_is_large_and_every_file_is_listed():
    listed = {case["file"] for case in CASES}
    on_disk = {p.name for p in CORPUS.iterdir() if p.name != "cases.yaml"}
    assert listed == on_disk
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_each_broken_input_gives_its_exact_message(case, monkeypatch):
    monkeypatch.chdir(CORPUS)  # labels are the bare file names, as a user in that folder sees them
    with pytest.raises(InputError) as caught:
        load_with(case["kind"], CORPUS / case["file"])
    assert str(caught.value) == case["message"]


CLI_FLAG = {"criteria": "--criteria", "catalogue": "--data"}


@pytest.mark.parametrize(
    "case",
    [case for case in CASES if case["kind"] in CLI_FLAG][::4],
    ids=lambda case: case["file"],
)
def test_the_cli_prints_the_same_single_line_and_exits_2(case, tmp_path):
    inputs = {
        "--criteria": MINI / "criteria.yaml",
        "--data": MINI / "countermeasures.yaml",
        "--evidence": MINI / "evidence.yaml",
    }
    broken = tmp_path / case["file"]
    broken.write_bytes((CORPUS / case["file"]).read_bytes())
    inputs[CLI_FLAG[case["kind"]]] = broken
    args = [item for flag, path in inputs.items() for item in (flag, str(path))]
    result = subprocess.run(
        [sys.executable, "-m", "engine.cli", "validate", *args],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == case["message"] + "\n"
