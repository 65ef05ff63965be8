"""Weights from an expert panel: the source a scenario keeps, whether the weights in use are still
the panel's, and the sentence the recommendation, the brief, the annex and the overview show."""

from __future__ import annotations

import pytest

from engine.analysis import run
from engine.errors import InputError
from engine.load import load_problem
from engine.memo import build_memo, render
from engine.panel.source import PanelSource, describe
from engine.recommendation import recommend
from engine.robustness.study import analyze
from engine.settings import Settings


@pytest.fixture(scope="module")
def problem():
    return load_problem()


def a_source(problem, **changes) -> PanelSource:
    preset = run(problem, Settings().with_preset(problem.presets[0].id))
    weights = dict(zip(problem.leaf_ids, preset.weights, strict=True))
    fields = {
        "name": "wuhan2026",
        "round": 2,
        "experts": 5,
        "groups": {"think_tank": 3, "development_reform": 2},
        "aggregation": "judgments",
        "kendall_w": 0.6234,
        "chi2": 31.17,
        "df": 10.0,
        "p": 0.00055,
        "weights": {leaf: float(w) for leaf, w in weights.items()},
    } | changes
    return PanelSource.from_choice(fields)


def test_the_choice_round_trips_and_a_bad_one_is_refused(problem):
    source = a_source(problem)
    assert PanelSource.from_choice(source.to_choice()) == source
    with pytest.raises(InputError, match="panel"):
        PanelSource.from_choice({"name": "x", "round": 1})
    with pytest.raises(InputError, match="finite"):
        PanelSource.from_choice(source.to_choice() | {"kendall_w": float("nan")})


def test_the_weights_fit_only_while_they_are_the_panels(problem):
    source = a_source(problem)
    settings = Settings().with_manual_weights(dict(source.weights))
    assert source.fits(settings, problem.leaf_ids)
    scaled = Settings().with_manual_weights({leaf: 3 * w for leaf, w in source.weights.items()})
    assert source.fits(scaled, problem.leaf_ids)  # the same weights, not yet normalised
    moved = dict(source.weights) | {problem.leaf_ids[0]: source.weights[problem.leaf_ids[0]] + 0.05}
    assert not source.fits(Settings().with_manual_weights(moved), problem.leaf_ids)
    assert not source.fits(Settings(), problem.leaf_ids)


def test_the_sentence_names_the_panel_its_experts_by_group_and_their_agreement(problem):
    text = describe(a_source(problem), problem)
    assert text.zh == (
        "权重来自专家咨询“wuhan2026”第2轮：5位专家（高校智库3位、发展改革部门2位），逐项判断按加权几何平均汇总。"
        "专家意见的协调程度显著（肯德尔协调系数 W = 0.62，χ² = 31.17，p < 0.001）。"
    )
    assert "round 2 of the expert panel “wuhan2026”: 5 experts" in text.en
    assert "Kendall's W = 0.62, χ² = 31.17, p < 0.001" in text.en
    loose = describe(a_source(problem, p=0.31, kendall_w=0.12), problem)
    assert "不显著" in loose.zh and "p = 0.310" in loose.zh and "not significant" in loose.en
    alone = describe(
        a_source(problem, experts=1, groups={"think_tank": 1}, kendall_w=None, chi2=None, p=None), problem
    )
    assert "不足两位" in alone.zh and "one expert" in alone.en


def test_the_recommendation_brief_and_annex_name_the_panel(problem):
    source = a_source(problem)
    analysis = run(problem, Settings().with_manual_weights(dict(source.weights)))
    study = analyze(problem, analysis.settings, samples=2_000, seed=1, analysis=analysis)
    rec = recommend(analysis, study, panel=source)
    sentence = describe(source, problem)
    assert rec.panel is not None and rec.panel.text == sentence and sentence in rec.summary
    assert rec.to_dict()["panel"]["source"]["name"] == "wuhan2026"
    memo = build_memo(analysis, lang="zh", robustness=study, recommendation=rec)
    markdown = render(memo, "md").decode("utf-8")
    assert markdown.count("权重来自专家咨询“wuhan2026”第2轮") == 2  # 三、把握程度 and the annex's weights
    english = render(build_memo(analysis, lang="en", robustness=study, recommendation=rec), "md").decode()
    assert "expert panel “wuhan2026”" in english

    plain = recommend(analysis, study)
    assert plain.panel is None and "wuhan2026" not in render(
        build_memo(analysis, lang="zh", robustness=study, recommendation=plain), "md"
    ).decode("utf-8")
    with pytest.raises(ValueError, match="wuhan2026"):
        recommend(run(problem), analyze(problem, samples=500, seed=1), panel=source)
