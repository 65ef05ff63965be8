"""Budget page: the package for the budget and rules, infeasible rules, the frontier."""

from __future__ import annotations

import math

import pytest

from engine.analysis import run
from engine.insight.portfolio import costs, load_rules, select_package
from engine.text import label
from tests.ui.conftest import ROOT, page, started, text
from ui import state
from ui.format import md, number, ratio

RULES = ROOT / "data" / "package_rules.yaml"


def test_default_budget_uses_the_shipped_rules(problem):
    app = started("budget")
    budget = app.slider(key="w:budget:amount").value
    assert budget == round(float(costs(problem, "fiscal_cost").sum()) / 3)
    expected = select_package(run(problem), budget, rules=load_rules(RULES, problem.alternative_ids))
    assert app.metric[0].value == ratio(expected.value)
    assert app.metric[1].value == number(expected.cost)
    table = app.dataframe[0].value
    assert [mark == "✓" for mark in table[label("chosen", "zh")]] == expected.chosen.tolist()


def test_budget_must_and_exclude_follow_the_engine(problem):
    app = started("budget")
    app.slider(key="w:budget:amount").set_value(80.0).run()
    app.multiselect(key="w:budget:must").select("tech_finance").run()
    assert not app.exception
    rules = load_rules(RULES, problem.alternative_ids).merged(must=["tech_finance"])
    expected = select_package(run(problem), 80, rules=rules)
    assert "tech_finance" in expected.selected
    assert app.metric[0].value == ratio(expected.value)


def test_infeasible_rules_are_reported(problem):
    app = started("budget")
    app.slider(key="w:budget:amount").set_value(5.0).run()
    assert not app.exception
    # the conflicting rules by name: the recruitment direction of the shipped rules
    assert app.error and md("“实施“靶向突破”招商策略”") in app.error[0].value
    app.checkbox(key="w:budget:rules").uncheck().run()
    assert not app.error
    expected = select_package(run(problem), 5)
    assert app.metric[0].value == ratio(expected.value)


def test_frontier_table_lists_rising_values(problem):
    app = started("budget")
    corners = app.dataframe[-1].value
    values = list(corners[text("budget.value")])
    assert values == sorted(values) and len(values) >= 2
    assert not any(isinstance(v, float) and math.isnan(v) for v in values)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_infeasible_rules_name_names_and_the_smallest_budget_in_the_interface_language(lang):
    app = page("budget")
    app.session_state[state.LANG] = lang
    app.session_state[state.BUDGET] = 54.0
    app.session_state[state.BUDGET_MUST] = ("chain_ecosystem",)
    app.run()
    assert not app.exception
    shown = app.error[0].value
    # names, not ids; one language; the smallest budget that meets the rules (58 亿元)
    assert "chain_ecosystem" not in shown and "tech_finance" not in shown
    if lang == "zh":
        assert "必选“产业生态链”" in shown and md("满足这些规则至少需要每年58亿元") in shown
        assert "no package" not in shown and "budget" not in shown
    else:
        assert md("Chain ecosystems included") in shown
        assert md("The smallest budget that meets them is CNY 5.8 billion a year") in shown
        assert "必选" not in shown
