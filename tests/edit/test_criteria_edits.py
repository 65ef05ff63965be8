"""engine.edit.criteria: tree edits, with every judgment that no longer fits flagged."""

from __future__ import annotations

import pytest

from engine.edit import (
    Flag,
    NewCriterion,
    ProjectFiles,
    ScoreEdit,
    add_criterion,
    move_criterion,
    rename_criterion,
    retire_criterion,
)
from engine.errors import InputError
from engine.model import Text

SPEED = NewCriterion(
    id="speed",
    name=Text("速度", "Speed"),
    description=Text("见效速度", "How fast"),
    direction="benefit",
    unit=Text("分", "points"),
    low=1,
    high=9,
)
FIRST = ScoreEdit("", "", 5, Text("待评分", "to be scored"), ("F01",))


def _reasons(flags: tuple[Flag, ...]) -> list[tuple[str, str, str, str, str]]:
    return [(f.reason, f.expert, f.node, f.a, f.b) for f in flags]


def test_rename_keeps_the_id_and_flags_nothing(mini: ProjectFiles) -> None:
    edited = rename_criterion(mini, "jobs", Text("岗位", "Posts"), Text("岗位数", "Number of posts"))
    assert edited.problem.criteria.node("jobs").name == Text("岗位", "Posts")
    assert edited.flagged == ()
    assert list(edited.changed) == ["criteria"]


def test_add_a_leaf_gives_placeholders_scores_and_zero_preset_weights(mini: ProjectFiles) -> None:
    edited = add_criterion(mini, "gain", SPEED, FIRST)
    problem = edited.problem
    assert problem.leaf_ids == ("jobs", "output", "speed", "cost")
    assert {item.scores["speed"].value for item in problem.countermeasures} == {5}
    assert problem.preset("even").weights["speed"] == 0
    assert _reasons(edited.flagged) == [
        ("placeholder", "first", "gain", "jobs", "speed"),
        ("placeholder", "first", "gain", "output", "speed"),
        ("placeholder", "second", "gain", "jobs", "speed"),
        ("placeholder", "second", "gain", "output", "speed"),
        ("review", "first", "gain", "jobs", "output"),
        ("review", "second", "gain", "jobs", "output"),
    ]
    judged = problem.criteria.expert("first").judgments["gain"]
    assert [(j.a, j.b, j.value) for j in judged] == [
        ("jobs", "output", 2),
        ("jobs", "speed", 1),
        ("output", "speed", 1),
    ]
    assert set(edited.changed) == {"criteria", "catalogue"}
    assert list(edited.changed_presets) == ["presets/even.yaml"]


def test_add_under_a_leaf_is_refused(mini: ProjectFiles) -> None:
    with pytest.raises(InputError) as raised:
        add_criterion(mini, "cost", SPEED, FIRST)
    assert str(raised.value) == (
        "criteria.yaml: goal.children[1]: "
        "'cost' is a leaf criterion and cannot have children (choose a group)"
    )
    with pytest.raises(InputError, match=r"^criteria\.yaml: goal: no criterion 'costs'$"):
        add_criterion(mini, "costs", SPEED, FIRST)


def test_add_with_a_taken_id_is_refused_by_the_loader(mini: ProjectFiles) -> None:
    taken = NewCriterion(**{**SPEED.__dict__, "id": "cost"})
    with pytest.raises(InputError, match="duplicate id 'cost'"):
        add_criterion(mini, "gain", taken, FIRST)


def test_retire_a_leaf_drops_its_scores_weights_and_judgments(mini: ProjectFiles) -> None:
    three = add_criterion(mini, "gain", SPEED, FIRST).after
    edited = retire_criterion(three, "output")
    problem = edited.problem
    assert problem.leaf_ids == ("jobs", "speed", "cost")
    assert all("output" not in item.scores for item in problem.countermeasures)
    assert "output" not in problem.preset("even").weights
    assert "output:" not in edited.after.catalogue.text
    dropped = [f for f in edited.flagged if f.reason == "dropped"]
    assert _reasons(tuple(dropped)) == [
        ("dropped", "first", "gain", "output", "speed"),
        ("dropped", "first", "gain", "jobs", "output"),
        ("dropped", "second", "gain", "output", "speed"),
        ("dropped", "second", "gain", "jobs", "output"),
    ]
    assert dropped[1].value == 2
    assert {f.reason for f in edited.flagged} == {"dropped", "review"}


def test_retire_to_a_single_child_drops_the_whole_matrix(mini: ProjectFiles) -> None:
    edited = retire_criterion(mini, "output")
    assert _reasons(edited.flagged) == [
        ("dropped", "first", "gain", "jobs", "output"),
        ("dropped", "second", "gain", "jobs", "output"),
    ]
    assert "gain" not in edited.problem.criteria.expert("first").judgments


def test_retire_a_group_takes_its_subtree(mini: ProjectFiles) -> None:
    bigger = add_criterion(mini, "goal", SPEED, FIRST).after
    edited = retire_criterion(bigger, "gain")
    assert edited.problem.leaf_ids == ("cost", "speed")
    assert ("dropped", "first", "gain", "jobs", "output") in _reasons(edited.flagged)
    assert ("dropped", "first", "goal", "gain", "cost") in _reasons(edited.flagged)


@pytest.mark.parametrize(
    ("node", "message"),
    [
        ("goal", "criteria.yaml: goal: the goal cannot be retired"),
        ("gain", "criteria.yaml: goal: expected at least two leaf criteria"),
    ],
)
def test_refused_retirements(mini: ProjectFiles, node: str, message: str) -> None:
    with pytest.raises(InputError) as raised:
        retire_criterion(mini, node)
    assert str(raised.value) == message


def test_retire_the_only_child_is_refused(mini: ProjectFiles) -> None:
    single = retire_criterion(mini, "output").after
    with pytest.raises(InputError) as raised:
        retire_criterion(single, "jobs")
    assert str(raised.value) == (
        "criteria.yaml: goal.children[0].children[0]: "
        "'jobs' is the only child of 'gain'; retire 'gain' itself"
    )


def test_moving_the_only_child_away_is_refused(mini: ProjectFiles) -> None:
    single = retire_criterion(mini, "output").after
    with pytest.raises(InputError, match=r"'jobs' is the only child of 'gain'; retire 'gain' itself$"):
        move_criterion(single, "jobs", "goal")


def test_retire_the_goals_second_child_leaves_one_group(mini: ProjectFiles) -> None:
    edited = retire_criterion(mini, "cost")
    assert edited.problem.leaf_ids == ("jobs", "output")
    assert ("dropped", "first", "goal", "gain", "cost") in _reasons(edited.flagged)
    assert ("review", "first", "gain", "jobs", "output") not in _reasons(edited.flagged)


def test_move_flags_both_nodes_and_keeps_scores(mini: ProjectFiles) -> None:
    three = add_criterion(mini, "gain", SPEED, FIRST).after
    edited = move_criterion(three, "speed", "goal")
    problem = edited.problem
    assert [child.id for child in problem.criteria.goal.children] == ["gain", "cost", "speed"]
    assert problem.countermeasure("alpha").scores["speed"].value == 5
    assert list(edited.changed) == ["criteria"]
    reasons = _reasons(edited.flagged)
    assert ("dropped", "first", "gain", "jobs", "speed") in reasons
    assert ("placeholder", "second", "goal", "gain", "speed") in reasons
    assert ("placeholder", "second", "goal", "cost", "speed") in reasons
    assert ("review", "first", "goal", "gain", "cost") in reasons


def test_move_keeps_the_moved_lines_and_comments(shipped: ProjectFiles) -> None:
    with_comment = shipped.with_text(
        "criteria",
        shipped.criteria.text.replace("        - id: risk\n", "        - id: risk  # riskiest first\n"),
    )
    edited = move_criterion(with_comment, "risk", "retention")
    assert "        - id: risk  # riskiest first\n" in edited.after.criteria.text
    assert [child.id for child in edited.problem.criteria.node("retention").children] == [
        "firm_retention",
        "talent",
        "risk",
    ]
    assert edited.problem.criteria.node("risk").direction == -1


@pytest.mark.parametrize(
    ("node", "target", "message"),
    [
        (
            "gain",
            "jobs",
            "criteria.yaml: goal.children[0].children[0]: "
            "'gain' cannot move under itself or its own descendant 'jobs'",
        ),
        (
            "jobs",
            "cost",
            "criteria.yaml: goal.children[1]: "
            "'cost' is a leaf criterion and cannot have children (choose a group)",
        ),
    ],
)
def test_refused_moves(mini: ProjectFiles, node: str, target: str, message: str) -> None:
    with pytest.raises(InputError) as raised:
        move_criterion(mini, node, target)
    assert str(raised.value).startswith(message)
