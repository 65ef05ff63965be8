"""run(problem, settings): weights, consistency, every method, rankings and agreement."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine.analysis import COMBINED, run
from engine.errors import InputError
from engine.load import load_problem
from engine.mcda import methods
from engine.mcda.ahp import priorities
from engine.mcda.registry import evaluate
from engine.settings import Settings
from tests.conftest import MINI


@pytest.fixture(scope="module")
def problem():
    return load_problem(MINI / "criteria.yaml", MINI / "countermeasures.yaml")


def test_default_weights_come_from_the_combined_judgments(problem):
    analysis = run(problem)
    # goal: experts say 3 and 1/3 -> indifference (0.5, 0.5); gain: both say jobs = 2 x output
    assert_allclose(analysis.weights, [0.5 * 2 / 3, 0.5 / 3, 0.5])
    assert analysis.settings == Settings()
    assert {c.expert_id for c in analysis.consistency} == {COMBINED, "first", "second"}


def test_one_expert_only(problem):
    analysis = run(problem, Settings(experts=("first",)))
    assert_allclose(analysis.weights, [0.75 * 2 / 3, 0.75 / 3, 0.25])


def test_ranking_is_the_primary_method_ranking(problem):
    for method in methods.METHODS:
        analysis = run(problem, Settings(method=method).with_preset("even"))
        expected = evaluate(
            method,
            problem.matrix,
            np.full(3, 1 / 3),
            problem.directions,
            normalization=methods.DEFAULT_NORMALIZATION[method],
        )
        by_id = {entry.id: entry for entry in analysis.ranking}
        for index, item_id in enumerate(problem.alternative_ids):
            assert by_id[item_id].rank == expected.ranks[index]
            assert by_id[item_id].score == pytest.approx(expected.scores[index])
        ranks = [entry.rank for entry in analysis.ranking]
        assert ranks == sorted(ranks)


def test_topsis_score_matches_a_hand_computation(problem):
    analysis = run(problem, Settings().with_preset("even"))
    x = problem.matrix
    r = x / np.sqrt((x**2).sum(axis=0))
    r[:, 2] = 1 - r[:, 2]  # cost flipped, as in the vector normalisation's cost convention
    v = r / 3
    d_plus = np.sqrt(((v - v.max(axis=0)) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - v.min(axis=0)) ** 2).sum(axis=1))
    assert_allclose(analysis.primary.scores, d_minus / (d_plus + d_minus))


def test_manual_weights_are_renormalised(problem):
    analysis = run(problem, Settings().with_manual_weights({"jobs": 2, "output": 1, "cost": 1}))
    assert_allclose(analysis.weights, [0.5, 0.25, 0.25])


def test_judgment_edit_replaces_the_combined_matrix(problem):
    settings = Settings().with_judgments("goal", (("gain", "cost", 5.0),))
    analysis = run(problem, settings)
    assert_allclose(analysis.local_weights["goal"], priorities(np.array([[1, 5], [0.2, 1]])).weights)


def test_inconsistent_edit_reports_what_to_revise_first(mini_docs):
    from engine.load import problem_from_documents

    gain = mini_docs["criteria"]["goal"]["children"][0]
    gain["children"].append(dict(gain["children"][0], id="speed"))
    for expert in mini_docs["criteria"]["experts"]:
        expert["judgments"]["gain"] += [
            {"a": "jobs", "b": "speed", "value": 2},
            {"a": "output", "b": "speed", "value": 1},
        ]
    for measure in mini_docs["catalogue"]["countermeasures"]:
        measure["scores"]["speed"] = dict(measure["scores"]["jobs"])
    problem = problem_from_documents(
        (mini_docs["criteria"], "c"), (mini_docs["catalogue"], "d"), (mini_docs["evidence"], "e")
    )
    cyclic = (("jobs", "output", 9.0), ("output", "speed", 9.0), ("speed", "jobs", 9.0))
    analysis = run(problem, Settings().with_judgments("gain", cyclic))
    gain_used = next(c for c in analysis.consistency if c.node_id == "gain" and c.expert_id == COMBINED)
    assert gain_used.result.cr > 0.1 and not gain_used.consistent
    a, b, suggested = gain_used.revise_first
    assert {a, b} <= {"jobs", "output", "speed"} and a != b
    assert 1 / 9 <= suggested <= 9
    experts_view = [c for c in analysis.consistency if c.node_id == "gain" and c.expert_id != COMBINED]
    assert all(c.consistent and c.revise_first is None for c in experts_view)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (Settings(experts=("nobody",)), "unknown expert 'nobody'"),
        (Settings().with_preset("missing"), "unknown preset 'missing'"),
        (Settings().with_manual_weights({"jobs": 1}), "missing the weight of criterion 'output'"),
        (Settings().with_manual_weights({"jobs": 1, "output": 1, "cost": 1, "x": 1}), "unknown criterion"),
        (Settings().with_manual_weights({"jobs": 0, "output": 0, "cost": 0}), "sum to zero"),
        (Settings().with_judgments("nowhere", (("a", "b", 2.0),)), "unknown criteria node"),
        (Settings().with_judgments("goal", (("gain", "jobs", 2.0),)), "'jobs' is not a child of 'goal'"),
    ],
)
def test_bad_settings_are_input_errors(problem, settings, message):
    with pytest.raises(InputError, match=message):
        run(problem, settings)


def test_settings_validate_their_own_fields():
    with pytest.raises(ValueError, match="unknown method 'best'"):
        Settings(method="best")
    with pytest.raises(ValueError, match="needs a preset id"):
        Settings(weight_source="preset")
    with pytest.raises(ValueError, match=r"vikor_v must lie in 0\.\.1"):
        Settings(vikor_v=2)


def test_settings_round_trip_through_a_mapping():
    settings = Settings(
        method="vikor", normalization="minmax", experts=("first",), vikor_v=0.3
    ).with_judgments("goal", (("gain", "cost", 2.0),))
    assert Settings.from_mapping(settings.to_mapping(), "s.yaml") == settings
    manual = Settings().with_manual_weights({"jobs": 1.0, "output": 2.0, "cost": 3.0})
    assert Settings.from_mapping(manual.to_mapping(), "s.yaml") == manual
    with pytest.raises(InputError, match=r"s\.yaml: settings\.method: expected one of topsis"):
        Settings.from_mapping({"method": "best"}, "s.yaml")


def test_weight_profile_reproduces_the_weights(problem):
    from engine.load import parse_preset

    analysis = run(problem, Settings(experts=("second",)))
    profile = parse_preset(analysis.weight_profile(), "profile.yaml", problem.leaf_ids)
    again = run(problem, Settings().with_manual_weights(profile.weights))
    assert_allclose(again.weights, analysis.weights, atol=1e-12)
    assert [e.id for e in again.ranking] == [e.id for e in analysis.ranking]


def test_to_dict_is_json_ready(problem):
    import json

    data = json.loads(json.dumps(run(problem).to_dict()))
    assert data["method"] == "topsis"
    assert [entry["rank"] for entry in data["ranking"]] == [1, 2, 3]
    assert sum(c["weight"] for c in data["weights"]["criteria"]) == pytest.approx(1)
    assert {c["node"] for c in data["consistency"]} == {"goal", "gain"}
    assert set(data["methods"]) == set(methods.METHODS)


def test_agreement_covers_every_pair_of_methods(problem):
    analysis = run(problem)
    assert len(analysis.agreement) == len(methods.METHODS) * (len(methods.METHODS) - 1) // 2
    for pair in analysis.agreement:
        assert -1 <= pair.spearman <= 1 and -1 <= pair.kendall <= 1 and 0 <= pair.ws <= 1
