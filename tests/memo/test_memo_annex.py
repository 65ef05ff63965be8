"""The annex lets a reader check the brief: the saved profile and command reproduce the ranking,
and the input files are named with their SHA-256."""

from __future__ import annotations

import contextlib
import re
import shlex

import pytest
import yaml

from engine.analysis import run
from engine.memo import Memo, Preformatted, Table, build_memo
from engine.memo.sections.annex.reproduce import reproduce_command
from engine.model import Problem
from engine.settings import Settings
from tests.memo.conftest import DAY, cli_json


def test_the_saved_profile_and_command_reproduce_the_ranking(tmp_path, shipped: Problem):
    settings = Settings(method="wsm", normalization="vector").with_preset(shipped.presets[-1].id)
    analysis = run(shipped, settings)
    memo = build_memo(analysis, lang="zh", today=DAY)
    profile = memo.find(Preformatted, lambda b: b.syntax == "yaml")[0].text
    command = memo.find(Preformatted, lambda b: b.syntax == "shell")[0].text
    assert command == reproduce_command(analysis)
    assert yaml.safe_load(profile)["settings"]["method"] == "wsm"
    (tmp_path / "memo-weights.yaml").write_text(profile, encoding="utf-8")
    argv = shlex.split(command)
    assert argv[:2] == ["policyrank", "rank"] and argv[-2:] == ["--format", "json"]
    with contextlib.chdir(tmp_path):
        data = cli_json(*argv[2:-2])
    assert [e["id"] for e in data["ranking"]] == [e.id for e in analysis.ranking]
    ranking = memo.find(Table)[0]  # 附表1, the ranking by the method in use
    names = {item.id: item.name.zh for item in shipped.countermeasures}
    assert [row[1] for row in ranking.rows] == [names[e["id"]] for e in data["ranking"]]


def test_the_command_names_inputs_that_are_not_the_shipped_ones(mini: Problem):
    command = reproduce_command(run(mini, Settings()))
    assert "--criteria tests/fixtures/mini/criteria.yaml" in command
    assert "--data tests/fixtures/mini/countermeasures.yaml" in command
    assert command.endswith("--weights memo-weights.yaml --method topsis --format json")


def test_every_input_file_is_named_with_its_sha256(memo_zh: Memo, shipped: Problem):
    table = next(t for t in memo_zh.find(Table) if t.header[-1] == "SHA-256")
    assert dict(table.rows) == dict(shipped.sources)
    assert all(re.fullmatch(r"[0-9a-f]{64}", digest) for _, digest in table.rows)


def test_an_unknown_language_is_refused(mini: Problem):
    with pytest.raises(ValueError, match="unknown memo language 'fr'"):
        build_memo(run(mini, Settings()), lang="fr")  # type: ignore[arg-type]
