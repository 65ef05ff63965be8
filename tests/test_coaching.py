"""Inconsistency coaching: exact single revisions, triads, the greedy path and accepting advice."""

from __future__ import annotations

import json

import numpy as np
import pytest
from numpy.testing import assert_allclose

from engine.analysis import COMBINED, run
from engine.cli.main import main
from engine.insight.coaching import (
    apply_revision,
    coach_criteria,
    coach_matrix,
    revision_settings,
    saaty_text,
    single_revisions,
    triad_inconsistency,
)
from engine.load import DEFAULT_DATA, load_problem, parse_criteria, problem_from_documents
from engine.mcda.ahp import SAATY_SCALE, pairwise_matrix, priorities
from engine.settings import Settings
from tests.conftest import ROOT, read

THREE = ROOT / "tests" / "fixtures" / "three_experts" / "criteria.yaml"


@pytest.fixture(scope="module")
def criteria():
    return parse_criteria(read(THREE), "three.yaml")


@pytest.fixture(scope="module")
def inconsistent(criteria):
    found = [(e, n, c) for e, n, c in coach_criteria(criteria) if not c.consistent]
    assert len(found) >= 3, "the fixture promises several inconsistent matrices"
    return found


def test_saaty_text():
    assert [saaty_text(v) for v in (1, 3, 9, 1 / 3, 1 / 9, 0.5, 2.4712)] == [
        "1",
        "3",
        "9",
        "1/3",
        "1/9",
        "1/2",
        "2.47",
    ]


def test_consistent_matrix_needs_no_coaching():
    w = np.array([0.5, 0.3, 0.2])
    coaching = coach_matrix(w[:, None] / w[None, :], ["x", "y", "z"])
    assert coaching.cr == pytest.approx(0, abs=1e-12)
    assert coaching.consistent and coaching.reached
    assert coaching.path == () and coaching.first is None and coaching.triads == ()


def test_two_items_are_always_consistent():
    coaching = coach_matrix([[1, 5], [0.2, 1]], ["x", "y"])
    assert coaching.cr == 0 and coaching.first is None and coaching.path == ()


def test_single_revisions_match_one_at_a_time_solutions(inconsistent):
    _, _, coaching = inconsistent[0]
    a = np.array(coaching.matrix)
    rows, cols, cr, weights = single_revisions(a)
    assert cr.shape == (rows.size, len(SAATY_SCALE))
    for p in (0, rows.size // 2, rows.size - 1):
        for v in (0, 8, 16):
            modified = a.copy()
            modified[rows[p], cols[p]] = SAATY_SCALE[v]
            modified[cols[p], rows[p]] = 1 / SAATY_SCALE[v]
            alone = priorities(modified)
            assert cr[p, v] == pytest.approx(alone.cr, abs=1e-10)
            assert_allclose(weights[p, v], alone.weights, atol=1e-10)


def test_each_proposal_is_the_best_scale_value_for_its_pair(inconsistent):
    for _, _, coaching in inconsistent:
        a = np.array(coaching.matrix)
        index = {label: k for k, label in enumerate(coaching.labels)}
        for revision in coaching.revisions:
            i, j = index[revision.a], index[revision.b]
            assert a[i, j] == pytest.approx(revision.current)
            tried = []
            for value in SAATY_SCALE:
                modified = a.copy()
                modified[i, j], modified[j, i] = value, 1 / value
                tried.append(priorities(modified).cr)
            assert revision.cr_after == pytest.approx(min(tried), abs=1e-10)
            assert np.isclose(SAATY_SCALE, revision.proposed).any()
            after = priorities(apply_revision(a, revision))
            assert after.cr == pytest.approx(revision.cr_after, abs=1e-10)
            assert_allclose(revision.weights_after, after.weights, atol=1e-10)


def test_revisions_are_ordered_by_what_they_achieve(inconsistent):
    for _, _, coaching in inconsistent:
        after = [r.cr_after for r in coaching.revisions]
        assert after == sorted(after)
        assert coaching.first is coaching.revisions[0]
        assert coaching.first.cr_after < coaching.cr


def test_greedy_path_lowers_cr_at_every_step_and_ends_below_threshold(inconsistent):
    for _, _, coaching in inconsistent:
        assert coaching.path, "an inconsistent matrix gets at least one step"
        index = {label: k for k, label in enumerate(coaching.labels)}
        a = np.array(coaching.matrix)
        cr = coaching.cr
        for step in coaching.path:
            assert step.cr_before == pytest.approx(cr)
            assert step.cr_after < step.cr_before
            i, j = index[step.a], index[step.b]
            a[i, j], a[j, i] = step.proposed, 1 / step.proposed
            cr = priorities(a).cr
            assert cr == pytest.approx(step.cr_after, abs=1e-10)
        assert coaching.reached and cr < coaching.threshold


def test_geometric_method_is_honoured(inconsistent):
    _, _, coaching = inconsistent[0]
    geometric = coach_matrix(coaching.matrix, coaching.labels, method="geometric")
    assert geometric.cr == pytest.approx(priorities(coaching.matrix, method="geometric").cr)
    assert all(s.cr_after < s.cr_before for s in geometric.path)


def test_triad_index_by_hand():
    consistent = pairwise_matrix(3, [(0, 1, 2), (1, 2, 3), (0, 2, 6)])
    _, index = triad_inconsistency(consistent)
    assert index == pytest.approx([0.0], abs=1e-12)
    contradicting = pairwise_matrix(3, [(0, 1, 2), (1, 2, 3), (0, 2, 1)])
    triples, index = triad_inconsistency(contradicting)
    assert triples.tolist() == [[0, 1, 2]]
    # min(|1 - 1/6|, |1 - 6/1|) = 5/6
    assert index == pytest.approx([5 / 6])
    coaching = coach_matrix(contradicting, ["x", "y", "z"])
    assert coaching.triads[0].items == ("x", "y", "z")
    assert coaching.triads[0].implied == pytest.approx(6)
    assert coaching.triads[0].direct == pytest.approx(1)


def test_triads_are_worst_first_and_count_all_four_of_a_four_item_cycle():
    a = pairwise_matrix(4, [(0, 1, 3), (1, 2, 3), (2, 3, 3), (0, 2, 1 / 3), (1, 3, 1 / 3), (0, 3, 1 / 3)])
    coaching = coach_matrix(a, list("abcd"))
    values = [t.inconsistency for t in coaching.triads]
    assert len(values) == 4 and values == sorted(values, reverse=True)


def test_revisions_follow_the_orientation_the_expert_wrote(criteria, tmp_path):
    document = read(THREE)
    zhao = next(e for e in document["experts"] if e["id"] == "zhao")
    judgment = next(j for j in zhao["judgments"]["feasibility"] if j["b"] == "time_to_impact")
    judgment["a"], judgment["b"], judgment["value"] = "time_to_impact", "fiscal_cost", 5
    flipped = parse_criteria(document, "flipped.yaml")
    (_, _, before) = coach_criteria(criteria, expert="zhao", node="feasibility")[0]
    (_, _, after) = coach_criteria(flipped, expert="zhao", node="feasibility")[0]
    assert before.first.pair == ("fiscal_cost", "time_to_impact")
    assert after.first.pair == ("time_to_impact", "fiscal_cost")
    assert after.first.current == pytest.approx(1 / before.first.current)
    assert after.first.proposed == pytest.approx(1 / before.first.proposed)
    assert after.first.cr_after == pytest.approx(before.first.cr_after)


def test_combined_judgments_and_selection(criteria):
    combined = coach_criteria(criteria, expert=COMBINED)
    assert {e for e, _, _ in combined} == {COMBINED}
    assert [n for _, n, _ in combined] == [node.id for node in criteria.judged_nodes]
    only = coach_criteria(criteria, expert="lin", node="ecosystem")
    assert [(e, n) for e, n, _ in only] == [("lin", "ecosystem")]
    with pytest.raises(KeyError, match="unknown expert 'nobody'"):
        coach_criteria(criteria, expert="nobody")
    with pytest.raises(KeyError, match="'nowhere' is not a node with judgments"):
        coach_criteria(criteria, node="nowhere")


def test_accepting_the_path_on_the_combined_judgments_reaches_that_cr(criteria):
    document_problem = problem_from_documents(
        (read(THREE), "three.yaml"),
        (read(DEFAULT_DATA), "countermeasures.yaml"),
        (read(DEFAULT_DATA.parent / "evidence.yaml"), "evidence.yaml"),
    )
    analysis = run(document_problem, Settings())
    worst = max(analysis.combined_consistency(), key=lambda c: c.result.cr)
    assert worst.result.cr >= 0.10, "the fixture's combined judgments are inconsistent somewhere"
    coaching = coach_matrix(worst.matrix, worst.children)
    settings = revision_settings(analysis.settings, worst.node_id, coaching, coaching.path)
    revised = run(document_problem, settings)
    entry = next(c for c in revised.combined_consistency() if c.node_id == worst.node_id)
    assert entry.result.cr == pytest.approx(coaching.path[-1].cr_after, abs=1e-9)
    assert entry.result.cr < 0.10
    assert Settings.from_mapping(settings.to_mapping(), "s") == settings


def test_bad_matrices_are_rejected():
    with pytest.raises(ValueError, match="not reciprocal"):
        single_revisions([[1, 2, 3], [0.5, 1, 1], [1, 1, 1]])
    with pytest.raises(ValueError, match="labels must name the 3 items"):
        coach_matrix(np.ones((3, 3)), ["x", "y"])
    with pytest.raises(ValueError, match="positive numbers"):
        single_revisions(np.ones((3, 3)), candidates=[0, 1])


def test_cli_table_json_and_errors(capsys):
    assert main(["coach", str(THREE), "--expert", "zhao", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Revisions until CR < 0.10" in out and "→" in out
    assert main(["coach", str(THREE), "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert {(n["expert"], n["node"]) for n in payload["nodes"]} >= {("lin", "ecosystem"), ("zhao", "goal")}
    assert all(n["reached"] and n["path"][-1]["cr_after"] < 0.10 for n in payload["nodes"])
    assert main(["coach", str(THREE), "--expert", "nobody"]) == 2
    assert "unknown expert 'nobody'" in capsys.readouterr().err
    assert main(["coach", str(THREE), "--node", "nowhere"]) == 2
    assert "--node" in capsys.readouterr().err


def test_shipped_judgments_need_no_coaching(capsys):
    problem = load_problem()
    for _, _, coaching in coach_criteria(problem.criteria):
        assert coaching.consistent and coaching.path == ()


def test_a_judgment_at_its_best_value_is_not_proposed():
    # x over y is 9 and the priorities would make it larger still: 9 is its best scale value,
    # so the advice names the other two judgments only
    a = pairwise_matrix(3, [(0, 1, 9.0), (0, 2, 9.0), (1, 2, 1 / 9)])
    coaching = coach_matrix(a, ["x", "y", "z"])
    assert not coaching.consistent
    assert {r.pair for r in coaching.revisions} == {("x", "z"), ("y", "z")}
    assert all(r.changes and r.cr_after < coaching.cr for r in coaching.revisions)
    assert coaching.first is coaching.revisions[0] and coaching.reached
