"""The policyrank CLI as a user runs it: real processes for the exit codes, main() for speed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from engine.cli.main import main
from tests.conftest import MINI, ROOT

MINI_ARGS = ["--criteria", str(MINI / "criteria.yaml"), "--data", str(MINI / "countermeasures.yaml")]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engine.cli", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_rank_json_shape(capsys):
    assert main(["rank", *MINI_ARGS, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["method"] == "topsis" and data["normalization"] == "vector"
    assert [e["rank"] for e in data["ranking"]] == [1, 2, 3]
    assert {e["id"] for e in data["ranking"]} == {"alpha", "beta", "gamma"}
    assert set(data["ranking"][0]["name"]) == {"zh", "en"}
    assert data["weights"]["source"] == "ahp"
    assert data["consistency"][0]["node"] == "goal"


def test_rank_table_in_both_languages(capsys):
    assert main(["rank", *MINI_ARGS]) == 0
    zh = capsys.readouterr().out
    assert "排名" in zh and "对策gamma" in zh
    assert main(["rank", *MINI_ARGS, "--lang", "en", "--weights", "even", "--method", "vikor"]) == 0
    en = capsys.readouterr().out
    assert "Rank" in en and "Measure beta" in en and "lower is better" in en and "preset even" in en


def test_rank_csv_and_out_file(tmp_path, capsys):
    out = tmp_path / "ranked.csv"
    assert main(["rank", *MINI_ARGS, "--format", "csv", "--out", str(out)]) == 0
    assert capsys.readouterr().out == ""
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "rank,id,name,score"
    assert len(lines) == 4
    assert [p.name for p in tmp_path.iterdir()] == ["ranked.csv"]  # no temporary file left


def test_weights_from_a_profile_file(tmp_path, capsys):
    profile = tmp_path / "profile.yaml"
    profile.write_text(
        "version: 1\nid: mine\nname: {zh: 我的, en: Mine}\nweights: {jobs: 0, output: 0, cost: 1}\n",
        encoding="utf-8",
    )
    assert main(["rank", *MINI_ARGS, "--weights", str(profile), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["weights"]["source"] == "manual"
    # all weight on cost: the cheapest countermeasure (gamma, 10) ranks first
    assert data["ranking"][0]["id"] == "gamma"


def test_ahp_command(capsys):
    assert main(["ahp", str(MINI / "criteria.yaml"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {(n["expert"], n["node"]) for n in data["nodes"]} == {
        ("first", "goal"),
        ("first", "gain"),
        ("second", "goal"),
        ("second", "gain"),
    }
    assert all(n["cr"] == 0 for n in data["nodes"])
    assert main(["ahp", str(MINI / "criteria.yaml"), "--expert", "first", "--lang", "en"]) == 0
    assert "Gain 0.750" in capsys.readouterr().out


def test_validate_prints_one_summary_line(capsys):
    assert main(["validate", *MINI_ARGS]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("ok: 3 criteria, 2 expert(s), 3 countermeasures")


def test_shipped_data_ranks_seven_countermeasures():
    result = run_cli("rank", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["ranking"]) == 7
    assert all(c["cr"] < 0.1 for c in data["consistency"])
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rank", "--criteria", "missing.yaml"], "missing.yaml: file not found"),
        (["rank", "--method", "best"], "invalid choice: 'best'"),
        (["rank", *MINI_ARGS, "--weights", "nothing"], "is neither a preset (even)"),
        (["ahp", str(MINI / "countermeasures.yaml")], "unknown key 'countermeasures'"),
        (["rank", *MINI_ARGS, "--experts", "nobody"], "unknown expert 'nobody'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message):
    result = run_cli(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_broken_catalogue_file_names_file_and_place(tmp_path):
    broken = tmp_path / "countermeasures.yaml"
    text = (
        (MINI / "countermeasures.yaml").read_text(encoding="utf-8").replace("value: 8,", 'value: "high",', 1)
    )
    broken.write_text(text, encoding="utf-8")
    (tmp_path / "evidence.yaml").write_bytes((MINI / "evidence.yaml").read_bytes())
    result = run_cli("validate", "--criteria", str(MINI / "criteria.yaml"), "--data", str(broken))
    assert result.returncode == 2
    assert result.stderr.strip().endswith(
        "countermeasures.yaml: countermeasures[0].scores.jobs.value: expected a number, got text 'high'"
    )


def test_vikor_v_flag(capsys):
    assert main(["rank", *MINI_ARGS, "--method", "vikor", "--vikor-v", "0.2", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["settings"]["vikor_v"] == 0.2
    assert main(["rank", *MINI_ARGS, "--vikor-v", "3"]) == 2
    assert capsys.readouterr().err == "--vikor-v: expected a number in 0..1, got 3\n"


def test_rank_json_carries_the_recommendation_at_the_stated_samples_and_seed(capsys):
    from engine.analysis import run
    from engine.insight.groups import analyse_groups
    from engine.load import load_problem
    from engine.recommendation import FIRMNESS, recommend
    from engine.robustness.study import analyze

    assert main(["rank", "--samples", "3000", "--seed", "7", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    found = data["recommendation"]
    assert found["share_first"]["samples"] == 3000 and found["share_first"]["seed"] == 7
    assert found["firmness"] in FIRMNESS and found["leader"] == data["ranking"][0]["id"]
    problem = load_problem()
    analysis = run(problem)
    study = analyze(problem, analysis.settings, samples=3000, seed=7, analysis=analysis)
    expected = recommend(analysis, study, groups=analyse_groups(problem, analysis.settings)).to_dict()
    assert found == json.loads(json.dumps(expected, ensure_ascii=False))


def test_rank_default_samples_and_none(capsys):
    from engine.cli.commands.rank import RANK_SAMPLES

    assert main(["rank", *MINI_ARGS, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["recommendation"]["share_first"]["samples"] == RANK_SAMPLES
    assert main(["rank", *MINI_ARGS, "--samples", "0", "--format", "json"]) == 0
    assert "recommendation" not in json.loads(capsys.readouterr().out)
    with pytest.raises(SystemExit) as stopped:
        main(["rank", *MINI_ARGS, "--samples", "-5"])
    assert stopped.value.code == 2
    assert "--samples: expected a whole number >= 0, got '-5'" in capsys.readouterr().err


def test_rank_table_says_how_firm_and_who_contends(capsys):
    assert main(["rank", "--samples", "3000"]) == 0
    zh = capsys.readouterr().out.splitlines()
    assert zh[1] == "结论把握程度: 首位存在争议    主要竞争者: 产业生态链（3,000 次扰动测算中居首 29%）"
    assert main(["rank", "--samples", "3000", "--lang", "en"]) == 0
    en = capsys.readouterr().out.splitlines()
    assert en[1].startswith("Firmness: contested    Main contender: Chain ecosystems (first in ")
    assert en[1].endswith(" of 3,000 perturbed runs)")
    assert main(["rank", "--samples", "0"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == ""
