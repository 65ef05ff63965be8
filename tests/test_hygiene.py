"""Criteria hygiene: correlated and constant criteria, dominated countermeasures, objective weights."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.stats import pearsonr, spearmanr

from engine.analysis import run
from engine.insight.hygiene import check, correlations, dominance
from engine.load import load_problem, problem_from_documents
from engine.mcda.weighting import critic, entropy


def _problem(docs, columns):
    """The mini problem with its score values replaced column by column."""
    for item, row in zip(
        docs["catalogue"]["countermeasures"], zip(*columns.values(), strict=True), strict=True
    ):
        for leaf, value in zip(columns, row, strict=True):
            score = item["scores"][leaf]
            score["value"] = value
            score.pop("low", None)
            score.pop("high", None)
    return problem_from_documents(
        (docs["criteria"], "c.yaml"), (docs["catalogue"], "d.yaml"), (docs["evidence"], "e.yaml")
    )


def test_correlations_agree_with_scipy_on_oriented_columns():
    rng = np.random.default_rng(3)
    x = rng.random((7, 5))
    d = np.array([1, -1, 1, -1, 1])
    pearson, spearman, informative = correlations(x, d)
    assert informative.all()
    oriented = x * d
    for i in range(5):
        for j in range(5):
            assert pearson[i, j] == pytest.approx(pearsonr(oriented[:, i], oriented[:, j]).statistic)
            assert spearman[i, j] == pytest.approx(spearmanr(oriented[:, i], oriented[:, j]).statistic)


def test_double_counting_and_trade_offs_are_told_apart(mini_docs):
    # output is an affine copy of jobs; cost (a cost criterion) rises with jobs, so it works against it
    problem = _problem(mini_docs, {"jobs": [2, 5, 8], "output": [3, 6, 9], "cost": [20, 50, 80]})
    found = check(problem, [1, 1, 1])
    pairs = {(c.first, c.second): c for c in found.correlated}
    assert set(pairs) == {("jobs", "output"), ("jobs", "cost"), ("output", "cost")}
    assert pairs["jobs", "output"].same_direction
    assert pairs["jobs", "output"].pearson == pytest.approx(1)
    assert not pairs["jobs", "cost"].same_direction
    assert pairs["jobs", "cost"].pearson == pytest.approx(-1)
    assert found.dominated == () and not found.clean


def test_constant_criteria_are_reported_not_correlated(mini_docs):
    problem = _problem(mini_docs, {"jobs": [5, 5, 5], "output": [3, 6, 9], "cost": [20, 10, 30]})
    found = check(problem, [1, 1, 1])
    assert found.constant == ("jobs",)
    assert not any("jobs" in (c.first, c.second) for c in found.correlated)
    assert found.pearson[0].tolist() == [0, 0, 0]


def test_dominance_against_brute_force():
    rng = np.random.default_rng(11)
    x = rng.integers(1, 4, size=(9, 3)).astype(float)
    d = np.array([1, -1, 1])
    found = dominance(x, d)
    for a in range(9):
        for b in range(9):
            at_least = all((x[a, j] - x[b, j]) * d[j] >= 0 for j in range(3))
            better = any((x[a, j] - x[b, j]) * d[j] > 0 for j in range(3))
            assert found[a, b] == (at_least and better)


def test_dominated_countermeasures_name_where_they_lose(mini_docs):
    # gamma is worse than beta on jobs and output, and costs more
    problem = _problem(mini_docs, {"jobs": [8, 5, 4], "output": [5, 8, 7], "cost": [40, 20, 25]})
    found = check(problem, [1, 1, 1])
    assert [(x.dominated, x.by) for x in found.dominated] == [("gamma", "beta")]
    assert found.dominated[0].worse_on == ("jobs", "output", "cost")


def test_shipped_flags_follow_the_threshold_and_objective_weights_match():
    problem = load_problem()
    analysis = run(problem)
    found = check(problem, analysis.weights)
    oriented = problem.matrix * problem.directions
    expected = set()
    n = len(problem.leaf_ids)
    for i in range(n):
        for j in range(i + 1, n):
            r = max(
                abs(pearsonr(oriented[:, i], oriented[:, j]).statistic),
                abs(spearmanr(oriented[:, i], oriented[:, j]).statistic),
            )
            if r >= 0.9:
                expected.add((problem.leaf_ids[i], problem.leaf_ids[j]))
    assert {(c.first, c.second) for c in found.correlated} == expected
    for pair in found.correlated:
        first, second = problem.leaf_ids.index(pair.first), problem.leaf_ids.index(pair.second)
        test = pearsonr(oriented[:, first], oriented[:, second])
        assert pair.p_pearson == pytest.approx(test.pvalue)
    assert_allclose(found.elicited, analysis.weights)
    assert_allclose(found.entropy, entropy(problem.matrix))
    assert_allclose(found.critic, critic(problem.matrix, problem.directions))
    strength = [max(abs(c.pearson), abs(c.spearman)) for c in found.correlated]
    assert strength == sorted(strength, reverse=True)


def test_bad_arguments():
    problem = load_problem()
    with pytest.raises(ValueError, match=r"threshold must lie in \(0, 1\]"):
        check(problem, np.ones(len(problem.leaf_ids)), threshold=0)
    with pytest.raises(ValueError, match="one per leaf criterion"):
        check(problem, [1, 2])


def test_explain_command_reports_hygiene(capsys):
    from engine.cli.main import main

    assert main(["explain", "--lang", "en"]) == 0
    assert "Criteria hygiene:" in capsys.readouterr().out
    assert main(["explain", "--format", "json"]) == 0
    import json

    payload = json.loads(capsys.readouterr().out)["hygiene"]
    assert set(payload) == {"correlated", "constant", "dominated", "weights"}
    assert sum(v["entropy"] for v in payload["weights"].values()) == pytest.approx(1)
