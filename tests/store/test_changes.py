"""engine.store.changes: what changed between two revisions of a project, in data and in words."""

from __future__ import annotations

from engine.edit import (
    NewCriterion,
    ProjectFiles,
    ScoreEdit,
    add_criterion,
    add_fact,
    move_criterion,
    rename_countermeasure,
    rename_criterion,
    retire_countermeasure,
    retire_criterion,
    set_score,
)
from engine.model import Text
from engine.store.changes import CriterionMove, ScoreChange, describe, diff
from tests.edit.conftest import MINI, files_of

WHY = Text("新理由", "New reason")


def _mini() -> ProjectFiles:
    return files_of(MINI / "criteria.yaml", MINI / "countermeasures.yaml", MINI / "evidence.yaml")


def test_nothing_changed() -> None:
    problem = _mini().problem()
    assert not diff(problem, problem)
    assert describe(problem, problem, "zh") == []


def test_scores_measures_and_facts() -> None:
    files = _mini()
    edited = set_score(files, "beta", "jobs", value=7, why=WHY, evidence=["F01"]).after
    edited = set_score(edited, "gamma", "output", value=3, why=WHY, evidence=["F02"]).after
    edited = retire_countermeasure(edited, "alpha").after
    edited = rename_countermeasure(edited, "beta", Text("新名", "New name")).after
    edited = add_fact(edited, "F03", topic="context", quote="引语", summary=Text("摘要", "Summary")).after
    changes = diff(files.problem(), edited.problem())
    assert changes.scores == (ScoreChange("beta", "jobs", 5, 7),)
    assert changes.reasons == (("gamma", "output"),)
    assert (changes.measures_retired, changes.measures_renamed, changes.facts_added) == (
        ("alpha",),
        ("beta",),
        ("F03",),
    )
    assert describe(files.problem(), edited.problem(), "zh") == [
        "beta在“就业”上的评分：5 → 7",
        "1项评分的理由或证据有改动",
        "停用对策：“alpha”",
        "“对策beta”改名为“新名”",
        "新增事实：F03",
    ]
    assert describe(files.problem(), edited.problem(), "en") == [
        "beta on Jobs: 5 → 7",
        "the reason or evidence of 1 score(s) changed",
        "countermeasures retired: alpha",
        "Measure beta renamed New name",
        "facts added: F03",
    ]
    back = retire_countermeasure(edited, "alpha", retired=False).problem
    assert diff(edited.problem(), back).measures_restored == ("alpha",)


def test_criteria_added_renamed_moved_retired() -> None:
    files = _mini()
    speed = NewCriterion(
        "speed", Text("速度", "Speed"), Text("快慢", "How fast"), "benefit", Text("分", "pt"), 1, 9
    )
    edited = add_criterion(files, "gain", speed, ScoreEdit("", "", 5, WHY, ("F01",))).after
    edited = move_criterion(edited, "speed", "goal").after
    edited = rename_criterion(edited, "jobs", Text("岗位", "Posts")).after
    edited = retire_criterion(edited, "output").after
    changes = diff(files.problem(), edited.problem())
    assert changes.criteria_added == ("speed",)
    assert changes.criteria_renamed == ("jobs",)
    assert changes.criteria_retired == ("output",)
    assert changes.criteria_moved == ()  # speed is new: added, not moved
    moved = diff(edited.problem(), move_criterion(edited, "speed", "gain").problem)
    assert moved.criteria_moved == (CriterionMove("speed", "goal", "gain"),)
    assert describe(files.problem(), edited.problem(), "zh") == [
        "新增准则：“速度”",
        "“就业”改名为“岗位”",
        "停用准则：“产值”",
    ]
    assert describe(edited.problem(), move_criterion(edited, "speed", "gain").problem, "en") == [
        "criterion Speed moved from Goal to Gain"
    ]
