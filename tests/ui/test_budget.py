"""Budget page: the package for the budget and rules, infeasible rules, the frontier."""

from __future__ import annotations

import math

from engine.analysis import run
from engine.insight.portfolio import costs, load_rules, select_package
from engine.text import label
from tests.ui.conftest import ROOT, started, text
from ui.format import number, ratio

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
    assert app.error and "recruitment" in app.error[0].value
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
