"""The robustness facade, its verdicts on the shipped data, and ``policyrank robustness``."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from engine.analysis import run
from engine.cli.main import main
from engine.errors import InputError
from engine.load import load_problem
from engine.robustness.study import analyze, judgment_model, performance_ranges
from engine.robustness.verdicts import distinct_pair
from engine.settings import Settings
from engine.text import share as share_text

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
SAMPLES = 5_000


@pytest.fixture(scope="module")
def shipped():
    problem = load_problem()
    return problem, analyze(problem, samples=SAMPLES, seed=7)


@pytest.fixture(scope="module")
def mini():
    return load_problem(MINI / "criteria.yaml", MINI / "countermeasures.yaml")


def test_one_verdict_per_countermeasure_in_ranking_order(shipped):
    problem, result = shipped
    assert [v.id for v in result.verdicts] == [e.id for e in result.analysis.ranking]
    assert len(result.verdicts) == len(problem.countermeasures)


def test_verdicts_quote_the_figures_of_the_analysis(shipped):
    problem, result = shipped
    index = {cid: i for i, cid in enumerate(problem.alternative_ids)}
    for verdict in result.verdicts:
        i = index[verdict.id]
        item = problem.countermeasure(verdict.id)
        share = result.smaa.acceptability[i, verdict.rank - 1]
        assert verdict.share == share
        total = len(result.audit.choices)
        agreeing = int(np.sum(result.audit.ranks[:, i] == result.audit.ranks[result.audit.reference, i]))
        assert (verdict.agreeing, verdict.choices) == (agreeing, total)
        for lang, text in (("zh", verdict.text.zh), ("en", verdict.text.en)):
            assert text.startswith(item.short.get(lang))
            assert share_text(share) in text
            if lang == "zh":
                assert f"{total} 种建模选择中 {agreeing} 种结论一致" in text
            else:
                assert f"{agreeing} of {total} modelling choices agree" in text
        critical = result.stability.critical_for(i)
        if critical is None:
            assert verdict.threshold is None
            continue
        j, limit, side = critical
        assert verdict.threshold == (problem.leaf_ids[j], limit, side)
        shown, now = distinct_pair(limit, float(result.analysis.weights[j]))
        leaf = problem.leaves[j]
        assert (
            f"“{leaf.name.zh}”权重{'高于' if side > 0 else '低于'} {shown}（现为 {now}）" in verdict.text.zh
        )
        assert f"“{leaf.name.en}” {'rises above' if side > 0 else 'falls below'} {shown} (now {now})" in (
            verdict.text.en
        )


def test_top_verdict_threshold_is_the_critical_criterion(shipped):
    problem, result = shipped
    top = result.verdicts[0]
    st = result.stability
    if st.critical is None:
        assert top.threshold is None
    else:
        assert top.threshold is not None and top.threshold[0] == problem.leaf_ids[st.critical]
        c = st.criteria[st.critical]
        assert top.threshold[1] in c.top_interval


def test_same_seed_same_report(mini):
    a = analyze(mini, samples=3_000, seed=3).to_dict()
    b = analyze(mini, samples=3_000, seed=3).to_dict()
    assert a == b
    assert analyze(mini, samples=3_000, seed=4).to_dict()["smaa"] != a["smaa"]


def test_report_is_json_ready_and_names_things_by_id(shipped):
    problem, result = shipped
    report = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert set(report["smaa"]["acceptability"]) == set(problem.alternative_ids)
    assert {c["id"] for c in report["stability"]["criteria"]} == set(problem.leaf_ids)
    assert report["samples"] == SAMPLES and report["seed"] == 7
    assert report["audit"]["reference"] == result.audit.choices[result.audit.reference].label


def test_default_weight_model_follows_the_weight_source(mini):
    assert analyze(mini, samples=1_000).weight_model == "judgments"
    preset = Settings().with_manual_weights({"jobs": 1, "output": 1, "cost": 1})
    result = analyze(mini, preset, samples=1_000)
    assert result.weight_model == "dirichlet" and result.concentration == 50.0
    assert "concentration 50" in result.sampling.en


def test_judgment_model_needs_ahp_weights(mini):
    preset = Settings().with_manual_weights({"jobs": 1, "output": 1, "cost": 1})
    with pytest.raises(InputError, match="'judgments' perturbs the AHP judgments"):
        analyze(mini, preset, weight_model="judgments", samples=1_000)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weight_model": "normal"}, "weight_model: expected one of uniform, judgments, dirichlet"),
        ({"performance": "beta"}, "performance: expected one of triangular, uniform, fixed"),
        ({"samples": 0}, "samples: expected a positive whole number"),
        ({"concentration": -1.0}, "concentration: expected a positive number"),
    ],
)
def test_bad_options_are_input_errors(mini, kwargs, message):
    with pytest.raises(InputError, match=message):
        analyze(mini, **kwargs)


def test_performance_ranges_come_from_the_catalogue(mini):
    low, high = performance_ranges(mini)
    assert np.isnan(low[:, :2]).all()
    assert low[:, 2].tolist() == [20.0, 10.0, 5.0] and high[:, 2].tolist() == [60.0, 30.0, 15.0]
    assert analyze(mini, samples=1_000).performance == "triangular"
    assert analyze(mini, samples=1_000, performance="fixed").performance == "fixed"


def test_a_given_analysis_is_reused(mini):
    analysis = run(mini, Settings(method="wsm"))
    result = analyze(mini, samples=1_000, analysis=analysis)
    assert result.analysis is analysis
    assert result.stability.method == "wsm" and result.stability.exact


def test_cli_json(capsys):
    code = main(["robustness", "--samples", "2000", "--format", "json", "--weight-model", "uniform"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["weight_model"] == "uniform" and report["samples"] == 2000
    assert len(report["verdicts"]) == len(load_problem().countermeasures)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cli_table(capsys, lang):
    assert main(["robustness", "--samples", "2000", "--lang", lang, "--method", "wsm"]) == 0
    out = capsys.readouterr().out
    heading = {"zh": "排名可接受度", "en": "Rank acceptability"}[lang]
    assert heading in out and "Borda" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--samples", "0"], "expected a positive whole number, got '0'"),
        (["--concentration", "nan"], "expected a positive number, got 'nan'"),
        (["--seed", "-1"], "expected a whole number >= 0"),
        (
            ["--weight-model", "judgments", "--weights", "balanced"],
            "--weight-model: judgments: needs AHP weights",
        ),
    ],
)
def _exit(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:  # argparse refuses a flag by exiting
        return int(exc.code)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--samples", "0"], "expected a positive whole number, got '0'"),
        (["--concentration", "nan"], "expected a positive number, got 'nan'"),
        (["--seed", "-1"], "expected a whole number >= 0"),
        (
            ["--weight-model", "judgments", "--weights", "balanced"],
            "--weight-model: judgments: needs AHP weights",
        ),
    ],
)
def test_cli_bad_flags_exit_2_with_one_line(capsys, argv, message):
    assert _exit(["robustness", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    ("limit", "now", "shown"),
    [
        (0.41, 0.2, ("0.41", "0.20")),
        (0.063, 0.085, ("0.063", "0.085")),
        (0.0861, 0.0859, ("0.0861", "0.0859")),
    ],
)
def test_thresholds_are_shown_with_enough_decimals(limit, now, shown):
    assert distinct_pair(limit, now) == shown


def _edited_feasibility(problem) -> Settings:
    """Every judgment under 'feasibility' replaced by 2 (a consistent-looking edit)."""
    children = problem.criteria.node("feasibility").children
    pairs = [(a.id, b.id, 2.0) for k, a in enumerate(children) for b in children[k + 1 :]]
    return Settings().with_judgments("feasibility", tuple(pairs))


@pytest.mark.parametrize(
    "case",
    [
        lambda p: Settings(),
        lambda p: Settings(aggregation="priorities"),
        lambda p: Settings(experts=("ndrc_officer",)),
        _edited_feasibility,
    ],
    ids=["combined", "pooled-priorities", "one-expert", "edited"],
)
def test_unperturbed_judgment_model_reproduces_the_analysis_weights(case):
    problem = load_problem()
    settings = case(problem)
    analysis = run(problem, settings)
    model = replace(judgment_model(problem, settings, analysis), steps=0)
    w = model.sample(np.random.default_rng(0), 3)
    np.testing.assert_allclose(w, np.broadcast_to(analysis.weights, w.shape), atol=1e-12)
