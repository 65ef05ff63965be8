"""Policy packages: the MILP optimum equals brute-force enumeration; rules, frontier, CLI."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine.analysis import run
from engine.cli.main import main
from engine.errors import InputError
from engine.insight.portfolio import (
    MeasureGroup,
    Rules,
    cost_criterion,
    costs,
    efficient_frontier,
    load_rules,
    package_values,
    parse_rules,
    select_package,
    solve,
)
from engine.load import load_problem
from engine.settings import Settings
from tests.conftest import ROOT

RULES = ROOT / "data" / "package_rules.yaml"


@pytest.fixture(scope="module")
def shipped():
    return load_problem()


@pytest.fixture(scope="module")
def analysis(shipped):
    return run(shipped)


def brute_force(values, cost, budget, ids, rules):
    """Best value (or None) over every subset, enumerated with itertools."""
    m = len(ids)
    subsets = np.array(list(itertools.product((0, 1), repeat=m)), dtype=bool)
    index = {item: k for k, item in enumerate(ids)}
    ok = subsets @ np.asarray(cost) <= budget + 1e-9
    for a in rules.must:
        ok &= subsets[:, index[a]]
    for a in rules.exclude:
        ok &= ~subsets[:, index[a]]
    for a, b in rules.exclusive:
        ok &= ~(subsets[:, index[a]] & subsets[:, index[b]])
    for a, b in rules.requires:
        ok &= ~subsets[:, index[a]] | subsets[:, index[b]]
    for group in rules.groups:
        ok &= subsets[:, [index[g] for g in group.measures]].sum(axis=1) >= group.at_least
    if not ok.any():
        return None, 0
    totals = subsets[ok] @ np.asarray(values)
    return float(totals.max()), int(ok.sum())


def brute_force_single(chosen, cost, budget, ids, rules):
    index = {item: k for k, item in enumerate(ids)}
    x = np.asarray(chosen, dtype=bool)
    return (
        x @ np.asarray(cost) <= budget + 1e-9
        and all(x[index[a]] for a in rules.must)
        and not any(x[index[a]] for a in rules.exclude)
        and not any(x[index[a]] and x[index[b]] for a, b in rules.exclusive)
        and all(x[index[b]] for a, b in rules.requires if x[index[a]])
        and all(x[[index[g] for g in group.measures]].sum() >= group.at_least for group in rules.groups)
    )


def random_rules(rng, ids):
    m = len(ids)
    pick = lambda k: list(rng.choice(ids, size=min(k, m), replace=False))  # noqa: E731
    must = pick(rng.integers(0, 2))
    exclude = [x for x in pick(rng.integers(0, 3)) if x not in must]
    exclusive = [tuple(pick(2)) for _ in range(rng.integers(0, 3))]
    requires = [tuple(pick(2)) for _ in range(rng.integers(0, 3))]
    groups = []
    for g in range(rng.integers(0, 3)):
        members = tuple(pick(rng.integers(1, 5)))
        groups.append(
            MeasureGroup(id=f"g{g}", measures=members, at_least=int(rng.integers(1, len(members) + 1)))
        )
    return Rules(
        must=tuple(must),
        exclude=tuple(exclude),
        exclusive=tuple(exclusive),
        requires=tuple(requires),
        groups=tuple(groups),
    )


def test_shipped_seven_match_brute_force_for_every_budget(shipped, analysis):
    rules = load_rules(RULES, shipped.alternative_ids)
    values = package_values(analysis)
    cost = costs(shipped, "fiscal_cost")
    compared = infeasible = 0
    for budget in np.linspace(0, cost.sum() + 5, 60):
        for applied in (Rules(), rules):
            expected, _ = brute_force(values, cost, budget, shipped.alternative_ids, applied)
            if expected is None:
                with pytest.raises(InputError, match="no package satisfies these rules together"):
                    solve(values, cost, budget, shipped.alternative_ids, applied)
                infeasible += 1
                continue
            chosen, value, spent = solve(values, cost, budget, shipped.alternative_ids, applied)
            assert value == pytest.approx(expected, abs=1e-9)
            assert brute_force_single(chosen, cost, budget, shipped.alternative_ids, applied)
            assert spent == pytest.approx(cost[chosen].sum())
            compared += 1
    assert compared > 60 and infeasible > 0


@pytest.mark.parametrize("seed", range(40))
def test_random_instances_match_brute_force(seed):
    rng = np.random.default_rng(seed)
    m = int(rng.integers(3, 16))
    ids = tuple(f"m{k}" for k in range(m))
    values = rng.random(m) * rng.choice([1.0, 10.0])
    cost = np.round(rng.random(m) * 20, int(rng.integers(0, 3)))
    budget = float(rng.random() * cost.sum())
    rules = random_rules(rng, ids)
    expected, _ = brute_force(values, cost, budget, ids, rules)
    if expected is None:
        with pytest.raises(InputError, match="no package satisfies these rules together"):
            solve(values, cost, budget, ids, rules)
        return
    chosen, value, _ = solve(values, cost, budget, ids, rules)
    assert value == pytest.approx(expected, abs=1e-9)
    assert brute_force_single(chosen, cost, budget, ids, rules)


def test_ties_go_to_the_cheaper_package():
    chosen, value, spent = solve(
        [1.0, 1.0, 0.0], [5.0, 3.0, 0.0], 10, ("a", "b", "c"), Rules(exclusive=(("a", "b"),))
    )
    assert chosen.tolist() == [False, True, False] and value == 1 and spent == 3


def test_conflicts_name_a_minimal_set_of_rules():
    ids = ("a", "b", "c", "d")
    rules = Rules(
        must=("a", "d"),
        requires=(("a", "b"),),
        exclusive=(("b", "c"), ("b", "d")),
        source="r.yaml",
    )
    with pytest.raises(InputError, match=r"r.yaml: no package satisfies") as caught:
        solve([1, 1, 1, 1], [1, 1, 1, 1], 10, ids, rules)
    message = str(caught.value)
    assert all(part in message for part in ("must a", "must d", "a requires b", "exclusive b / d"))
    assert "exclusive b / c" not in message and "budget" not in message
    with pytest.raises(InputError, match="budget <= 1; must a; must d"):
        solve([1, 1, 1, 1], [1, 1, 1, 1], 1, ids, Rules(must=("a", "d")))


def test_frontier_is_monotone_and_each_point_is_optimal(shipped, analysis):
    rules = load_rules(RULES, shipped.alternative_ids)
    frontier = efficient_frontier(analysis, rules=rules, points=25)
    values = package_values(analysis)
    cost = costs(shipped, "fiscal_cost")
    finite = ~np.isnan(frontier.values)
    assert finite.any() and (~finite).any()  # the rules need some money
    assert np.all(np.diff(frontier.values[finite]) >= -1e-12)
    for budget, value, row in zip(frontier.budgets, frontier.values, frontier.chosen, strict=True):
        expected, _ = brute_force(values, cost, budget, shipped.alternative_ids, rules)
        if expected is None:
            assert np.isnan(value)
        else:
            assert value == pytest.approx(expected, abs=1e-9)
            assert values[row].sum() == pytest.approx(value)
    corners = frontier.values[frontier.efficient]
    assert np.all(np.diff(corners) > 0)
    assert frontier.budgets[-1] == pytest.approx(cost.sum())


def test_values_and_costs(shipped, analysis):
    assert cost_criterion(shipped) == "fiscal_cost"
    assert_allclose(package_values(analysis), analysis.results["wsm"].scores)
    vikor = run(shipped, Settings(method="vikor"))
    assert_allclose(package_values(vikor, "primary"), 1 - np.asarray(vikor.primary.scores))
    promethee = run(shipped, Settings(method="promethee"))
    assert_allclose(package_values(promethee, "primary"), (np.asarray(promethee.primary.scores) + 1) / 2)
    assert np.all(package_values(promethee, "primary") >= 0)
    high = costs(shipped, "fiscal_cost", estimate="high")
    assert np.all(high >= costs(shipped, "fiscal_cost"))
    package = select_package(analysis, 60, estimate="high")
    assert package.cost <= 60 and package.cost == pytest.approx(high[package.chosen].sum())
    with pytest.raises(InputError, match="unknown criterion 'nothing'"):
        cost_criterion(shipped, "nothing")
    with pytest.raises(ValueError, match="basis must be one of"):
        package_values(analysis, "votes")


def test_cost_criterion_needs_exactly_one_candidate(mini_docs):
    from engine.load import problem_from_documents

    mini_docs["criteria"]["goal"]["children"][1]["unit"] = {"zh": "万元", "en": "10k yuan"}
    problem = problem_from_documents(
        (mini_docs["criteria"], "c.yaml"),
        (mini_docs["catalogue"], "d.yaml"),
        (mini_docs["evidence"], "e.yaml"),
    )
    with pytest.raises(InputError, match="found none; name it with --cost-criterion"):
        cost_criterion(problem)
    assert cost_criterion(problem, "cost") == "cost"


IDS = ("a", "b", "c")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"version": 2}, "version: expected 1"),
        ({"version": 1, "must": ["zz"]}, r"must\[0\]: unknown countermeasure 'zz'"),
        ({"version": 1, "must": ["a", "a"]}, r"must\[1\]: 'a' is listed twice"),
        ({"version": 1, "must": ["a"], "exclude": ["a"]}, r"exclude\[0\]: 'a' is also under 'must'"),
        ({"version": 1, "exclusive": [{"a": "a", "b": "a"}]}, r"exclusive\[0\]: a pair needs two different"),
        ({"version": 1, "exclusive": [["a", "b"]]}, r"exclusive\[0\]: expected a mapping"),
        (
            {"version": 1, "requires": [{"measure": "a", "requires": "a"}]},
            r"requires\[0\]: 'a' cannot require",
        ),
        ({"version": 1, "requires": [{"measure": "a", "needs": "b"}]}, r"requires\[0\].needs: unknown key"),
        (
            {"version": 1, "groups": [{"id": "g", "measures": []}]},
            r"groups\[0\].measures: expected at least 1",
        ),
        (
            {"version": 1, "groups": [{"id": "g", "measures": ["a"], "at_least": 2}]},
            r"groups\[0\].at_least: expected a whole number in 1..1, got 2",
        ),
        (
            {"version": 1, "groups": [{"id": "g", "measures": ["a"]}, {"id": "g", "measures": ["b"]}]},
            r"groups\[1\]: duplicate id 'g'",
        ),
        ({"version": 1, "budget": 3}, "budget: unknown key"),
    ],
)
def test_bad_rules_files(document, message):
    with pytest.raises(InputError, match=f"^r.yaml: {message}"):
        parse_rules(document, "r.yaml", IDS)


def test_shipped_rules_load_and_round_trip(shipped):
    rules = load_rules(RULES, shipped.alternative_ids)
    assert {g.id for g in rules.groups} == {"ecosystem", "financing", "recruitment"}
    assert all(g.why is not None for g in rules.groups)
    again = parse_rules(rules.to_mapping(), "again.yaml", shipped.alternative_ids)
    assert (again.must, again.exclude, again.exclusive, again.requires) == (
        rules.must,
        rules.exclude,
        rules.exclusive,
        rules.requires,
    )
    assert [(g.id, g.measures, g.at_least) for g in again.groups] == [
        (g.id, g.measures, g.at_least) for g in rules.groups
    ]


def test_cli_package_and_frontier(capsys, shipped):
    assert main(["package", "--budget", "60", "--rules", str(RULES), "--lang", "en"]) == 0
    assert "Budget 60" in capsys.readouterr().out
    argv = ["package", "--budget", "60", "--frontier", "--points", "9", "--format", "json"]
    assert main([*argv, "--must", "tech_finance", "--exclude", "talent_strategy"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert "tech_finance" in payload["package"]["selected"]
    assert "talent_strategy" not in payload["package"]["selected"]
    assert payload["package"]["cost"] <= 60
    assert len(payload["frontier"]) == 9
    for argv, message in (
        (["package"], "--budget: give a budget"),
        (["package", "--budget", "-1"], "expected a finite number >= 0"),
        (["package", "--budget", "9", "--must", "nothing"], "--must: nothing: unknown countermeasure"),
        (
            ["package", "--budget", "9", "--must", "tech_finance", "--exclude", "tech_finance"],
            "also given with",
        ),
        (["package", "--budget", "5", "--rules", str(RULES)], "group recruitment"),
    ):
        assert main(argv) == 2
        assert message in capsys.readouterr().err


def test_memo_recommends_the_package_only_when_asked(shipped, analysis):
    from engine.memo import build_memo, render
    from engine.robustness.study import analyze

    rules = load_rules(RULES, shipped.alternative_ids)
    package = select_package(analysis, 60, rules=rules)
    study = analyze(shipped, analysis.settings, analysis=analysis, samples=500)
    plain = render(build_memo(analysis, robustness=study), "md").decode()
    assert "每年60亿元" not in plain
    for lang, budget in (("zh", "每年60亿元"), ("en", "CNY 6 billion a year")):
        memo = build_memo(analysis, lang=lang, robustness=study, budget=60, rules=rules)
        text = render(memo, "md").decode()
        assert budget in text
        names = {item.id: (item.short.get(lang)) for item in shipped.countermeasures}
        key_point = text[: text.index("\n\n", text.index("一是" if lang == "zh" else "First,"))]
        assert all(names[i] in key_point for i in package.selected)
        for fmt in ("md", "html", "docx", "pdf"):
            assert render(memo, fmt)
