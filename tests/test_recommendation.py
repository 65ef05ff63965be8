"""The recommendation: its verdict on the shipped data, synthetic extremes and the thresholds' edges."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import numpy as np
import pytest

from engine.analysis import run
from engine.errors import InputError
from engine.insight.explain import drivers
from engine.insight.groups import analyse_groups
from engine.insight.portfolio import (
    cost_criterion,
    costs,
    efficient_frontier,
    load_rules,
    select_package,
)
from engine.load import load_problem, problem_from_documents
from engine.recommendation import (
    CONTESTED_SHARE,
    CONTESTED_WEIGHT_CHANGE,
    FIRM_SHARE,
    FIRM_WEIGHT_CHANGE,
    RIVAL_GAP,
    classify,
    recommend,
)
from engine.robustness.study import analyze
from engine.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "data" / "package_rules.yaml"
SAMPLES = 20_000
SEED = 11
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture(scope="module")
def shipped():
    problem = load_problem()
    analysis = run(problem, Settings())
    robustness = analyze(problem, samples=SAMPLES, seed=SEED, analysis=analysis)
    return problem, analysis, robustness


@pytest.fixture(scope="module")
def rules(shipped):
    problem, _, _ = shipped
    return load_rules(RULES, problem.alternative_ids)


@pytest.fixture(scope="module")
def full(shipped, rules):
    problem, analysis, robustness = shipped
    groups = analyse_groups(problem, analysis.settings)
    return recommend(analysis, robustness, budget=54, rules=rules, groups=groups)


# ---------------------------------------------------------------- shipped data


def test_shipped_lead_is_contested_by_the_methods(shipped, full):
    _, _, robustness = shipped
    assert full.leader == "business_environment"
    # 1 of 4 methods puts it first: a majority puts another first, which contests it
    assert full.firmness == "contested"
    assert full.firmness_reasons == ("methods",)
    assert full.methods_first.agreeing == 1 and full.methods_first.total == 4
    firsts = {m.method: m.first for m in full.methods_first.methods}
    assert firsts["topsis"] == ("business_environment",)
    assert {firsts[m] for m in ("wsm", "vikor", "promethee")} == {("chain_ecosystem",)}
    assert full.methods_first.fixed_bounds == ("chain_ecosystem",)
    assert full.methods_first.choices == len(robustness.audit.choices)
    assert full.methods_first.choices_agreeing == int(robustness.audit.same_top.sum())


def test_contender_is_the_most_likely_other_leader_not_the_runner_up(shipped, full):
    problem, analysis, robustness = shipped
    ids = problem.alternative_ids
    first = robustness.smaa.first
    assert full.contender == "chain_ecosystem"
    others = [i for i in range(len(ids)) if ids[i] != full.leader]
    assert ids[max(others, key=lambda i: first[i])] == full.contender
    assert analysis.ranking[1].id == "application_scenarios" == full.runner_up
    assert full.share_first.leader == first[ids.index(full.leader)]
    assert full.share_first.contender == first[ids.index(full.contender)]
    assert 0.5 < full.share_first.leader < 0.7 and 0.2 < full.share_first.contender < 0.4
    assert (full.share_first.samples, full.share_first.seed) == (SAMPLES, SEED)
    assert [share for _, share in full.share_first.shares] == sorted(
        (s for s in first if s > 0), reverse=True
    )


def test_first_tier_is_the_leader_and_the_contender_with_what_orders_them(full):
    action = full.action
    assert action.kind == "tier"
    assert action.members == ("business_environment", "chain_ecosystem")
    by_criterion = {d.criterion: d for d in action.deciders}
    # lowering the fiscal-cost weight hands first place to chain_ecosystem: weighing it keeps the leader
    assert by_criterion["fiscal_cost"].favours == "business_environment"
    assert by_criterion["fiscal_cost"].side == -1
    # raising chain completeness does the opposite
    assert by_criterion["chain_completeness"].favours == "chain_ecosystem"
    assert by_criterion["chain_completeness"].side == 1
    assert "更看重控制“财政投入”" in action.text.zh and "则营商环境仍居首" in action.text.zh
    assert "则产业生态链居首" in action.text.zh
    assert "“fiscal cost”" in action.text.en


def test_overturn_matches_the_stability_intervals(shipped, full):
    problem, analysis, robustness = shipped
    st = robustness.stability
    critical = st.criteria[st.critical]
    found = full.overturn.critical
    assert found.criterion == problem.leaf_ids[st.critical] == "fiscal_cost"
    assert found.weight == critical.weight == pytest.approx(analysis.weight_of("fiscal_cost"))
    assert found.side == -1 and found.threshold == critical.top_interval[0]
    assert found.leader_then == problem.alternative_ids[critical.top_successors[0]]
    assert found.weight == pytest.approx(0.085, abs=5e-4) and found.threshold == pytest.approx(
        0.063, abs=5e-4
    )
    assert abs(found.change) == pytest.approx(critical.top_margin)
    relative = min(c.top_margin / c.weight for c in st.criteria)
    assert full.overturn.smallest_relative.relative == pytest.approx(relative)
    assert full.overturn.text.zh == "若“财政投入”的权重由8.5%降到6.3%以下，产业生态链将居首。"
    distances = [abs(t.change) for t in full.overturn.thresholds]
    assert distances == sorted(distances)


def test_experts_disagree_on_the_top(shipped, full):
    _, analysis, robustness = shipped
    agree = full.experts_agree
    assert agree is not None and not agree.agree
    assert {v.first for v in agree.views} == {"business_environment", "chain_ecosystem"}
    assert "不一致" in agree.text.zh
    assert recommend(analysis, robustness).experts_agree is None


def test_why_reuses_the_one_definition_of_strengths_and_weak_spots(shipped, full):
    problem, analysis, _ = shipped
    found = drivers(analysis, top=2)
    row = problem.alternative_ids.index(full.leader)
    why = full.why[0]
    assert why.id == full.leader
    assert [d.criterion for d in why.strengths] == [problem.leaf_ids[j] for j in found.strengths(row)]
    assert [d.criterion for d in why.weak_spots] == [problem.leaf_ids[j] for j in found.weak_spots(row)]
    assert {"fiscal_cost", "risk"} == {d.criterion for d in why.strengths}
    assert why.weak_spots[0].criterion == "chain_completeness"
    cost = next(d for d in why.strengths if d.criterion == "fiscal_cost")
    assert (cost.value, cost.average) == (3.0, pytest.approx(23.0))
    assert [w.id for w in full.why] == [full.leader, full.contender]


def test_cost_of_the_top_three_is_the_catalogue_sum(shipped, full):
    problem, analysis, _ = shipped
    top = tuple(entry.id for entry in analysis.ranking[:3])
    assert full.cost.items == top
    criterion = cost_criterion(problem)
    assert full.cost.criterion == criterion == "fiscal_cost"
    scores = [problem.countermeasure(i).scores[criterion] for i in top]
    assert full.cost.value == sum(s.value for s in scores) == 49
    assert full.cost.low == sum(s.low for s in scores)
    assert full.cost.high == sum(s.high for s in scores)
    assert full.cost.average == pytest.approx(costs(problem, criterion).mean())
    assert "49亿元" in full.cost.text.zh and "CNY 4.9 billion" in full.cost.text.en


def test_budget_forces_the_chain_out_and_adds_the_recruitment_measures(shipped, rules, full):
    _, analysis, _ = shipped
    package = select_package(analysis, 54, rules=rules)
    budget = full.budget
    assert budget.feasible and budget.package == package.selected
    assert budget.cost == package.cost and budget.value == package.value
    assert budget.forced_out == ("chain_ecosystem",)
    assert budget.added == ("targeted_recruitment", "overseas_recruitment")
    assert "产业生态链" in budget.text.zh


def test_infeasible_budget_names_the_smallest_that_works(shipped, rules):
    _, analysis, robustness = shipped
    budget = recommend(analysis, robustness, budget=10, rules=rules).budget
    assert not budget.feasible and budget.package == () and budget.reason
    smallest = budget.smallest
    package = select_package(analysis, smallest, rules=rules)
    assert package.cost == smallest == 21
    assert budget.smallest_package == (
        "business_environment",
        "application_scenarios",
        "overseas_recruitment",
    )
    with pytest.raises(InputError, match="no package satisfies"):
        select_package(analysis, smallest - 1e-6, rules=rules)
    frontier = efficient_frontier(analysis, [smallest - 1e-6, smallest], rules=rules)
    assert np.isnan(frontier.values[0]) and frontier.costs[1] == smallest
    assert "21亿元" in budget.text.zh


def test_rules_that_conflict_whatever_the_budget(shipped, rules):
    _, analysis, robustness = shipped
    conflicting = rules.merged(exclude=("chain_ecosystem", "business_environment", "talent_strategy"))
    budget = recommend(analysis, robustness, budget=1000, rules=conflicting).budget
    assert not budget.feasible and budget.smallest is None and "group ecosystem" in budget.reason


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf"), "many", True])
def test_a_budget_must_be_a_finite_number(shipped, bad):
    _, analysis, robustness = shipped
    with pytest.raises(InputError, match="--budget"):
        recommend(analysis, robustness, budget=bad)


def test_summary_is_plain_words_and_the_data_serialises(full):
    texts = [full.headline, *full.summary]
    for text in texts:
        for lang in ("zh", "en"):
            value = text.get(lang)
            assert value and not re.search(r"TOPSIS|WSM|VIKOR|PROMETHEE|SPOTIS|SMAA|λ|lambda", value)
            assert not re.search(r"\d\.\d{4}", value)
        assert not CJK.search(text.en)
    assert "约六成" in full.summary[1].zh and "约三成" in full.summary[1].zh
    assert "两万次" in full.summary[1].zh and "20,000" in full.summary[1].en
    assert full.headline.zh == "营商环境和产业生态链同列第一梯队，首位尚无定论"
    data = json.loads(json.dumps(full.to_dict(), ensure_ascii=False, allow_nan=False))
    assert data["firmness"] == "contested" and data["contender"] == "chain_ecosystem"
    assert data["overturn"]["critical"]["criterion"] == "fiscal_cost"
    assert data["names"]["business_environment"] == {"zh": "营商环境", "en": "Business climate"}


def test_another_analysis_is_refused(shipped):
    problem, _, robustness = shipped
    other = run(problem, Settings(method="wsm"))
    with pytest.raises(ValueError, match="another analysis"):
        recommend(other, robustness)


# ---------------------------------------------------------------- synthetic problems


def _mini(mini_docs, scores):
    catalogue = copy.deepcopy(mini_docs["catalogue"])
    for item in catalogue["countermeasures"]:
        for criterion, change in scores.get(item["id"], {}).items():
            item["scores"][criterion].update(change)
    problem = problem_from_documents(
        (mini_docs["criteria"], "c"), (catalogue, "d"), (mini_docs["evidence"], "e")
    )
    analysis = run(problem)
    return analysis, analyze(problem, samples=5_000, seed=3, analysis=analysis)


def test_a_dominating_alternative_is_a_firm_single_leader(mini_docs):
    analysis, robustness = _mini(
        mini_docs,
        {"alpha": {"jobs": {"value": 9}, "output": {"value": 9}, "cost": {"value": 2, "low": 1, "high": 3}}},
    )
    rec = recommend(analysis, robustness)
    assert rec.firmness == "firm" and rec.firmness_reasons == ()
    assert rec.action.kind == "single" and rec.action.members == ("alpha",)
    assert rec.contender is None and rec.runner_up == analysis.ranking[1].id
    assert rec.share_first.leader == 1.0
    assert rec.overturn.critical is None and rec.overturn.thresholds == ()
    assert rec.overturn.text.zh == "单独调整任何一项权重都不会改变首位。"
    assert rec.headline.zh == "首选alpha，结论稳固"


def test_two_near_identical_alternatives_are_a_contested_tier_of_two(mini_docs):
    same = {"output": {"value": 6}, "cost": {"value": 20, "low": 10, "high": 30}}
    analysis, robustness = _mini(
        mini_docs,
        {
            "alpha": {"jobs": {"value": 6.1}, **same},
            "beta": {"jobs": {"value": 6}, **same},
            "gamma": {
                "jobs": {"value": 3},
                "output": {"value": 3},
                "cost": {"value": 40, "low": 35, "high": 45},
            },
        },
    )
    rec = recommend(analysis, robustness)
    assert rec.firmness == "contested" and "rival" in rec.firmness_reasons
    assert rec.action.kind == "tier" and rec.action.members == ("alpha", "beta")
    assert rec.contender == "beta" and rec.runner_up is None
    # no single weight reorders them, yet the samples do: no claim of safety
    assert rec.overturn.critical is None
    assert "但" in rec.overturn.text.zh and "but" in rec.overturn.text.en


# ---------------------------------------------------------------- the thresholds at their edges


def test_firm_needs_three_in_four_all_methods_and_more_than_a_quarter_of_weight():
    assert classify(FIRM_SHARE, 0.2, 4, 4, 0.26) == ("firm", ())
    assert classify(FIRM_SHARE - 1e-6, 0.2, 4, 4, 0.26) == ("leaning", ("share",))
    assert classify(0.9, 0.1, 3, 4, 0.26) == ("leaning", ("methods",))
    assert classify(0.9, 0.1, 4, 4, FIRM_WEIGHT_CHANGE) == ("leaning", ("weight",))
    assert classify(0.9, 0.1, 4, 4, FIRM_WEIGHT_CHANGE + 1e-6) == ("firm", ())
    assert classify(1.0, 0.0, 4, 4, float("inf")) == ("firm", ())


def test_contested_below_half_or_a_method_majority_or_a_close_rival_or_a_tiny_weight_change():
    assert classify(CONTESTED_SHARE, 0.3, 4, 4, 1.0) == ("leaning", ("share",))
    assert classify(CONTESTED_SHARE - 1e-6, 0.3, 4, 4, 1.0) == ("contested", ("share",))
    # two of four against is not a majority; three of four is
    assert classify(0.8, 0.1, 2, 4, 1.0) == ("leaning", ("methods",))
    assert classify(0.8, 0.1, 1, 4, 1.0) == ("contested", ("methods",))
    # a gap of exactly 0.10 is not "within 0.10"
    assert classify(0.6, 0.6 - RIVAL_GAP, 4, 4, 1.0) == ("leaning", ("share",))
    assert classify(0.6, 0.6 - RIVAL_GAP + 1e-6, 4, 4, 1.0) == ("contested", ("rival",))
    assert classify(0.8, 0.1, 4, 4, CONTESTED_WEIGHT_CHANGE) == ("contested", ("weight",))
    assert classify(0.8, 0.1, 4, 4, CONTESTED_WEIGHT_CHANGE + 1e-6) == ("leaning", ("weight",))
    assert classify(0.4, 0.45, 1, 4, 0.05) == ("contested", ("share", "methods", "rival", "weight"))
