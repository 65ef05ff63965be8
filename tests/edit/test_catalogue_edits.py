"""engine.edit.catalogue and engine.edit.evidence: each edit goes through the loader."""

from __future__ import annotations

import difflib

import pytest

from engine.analysis import run
from engine.edit import (
    ProjectFiles,
    ScoreEdit,
    add_countermeasure,
    add_fact,
    next_fact_id,
    rename_countermeasure,
    retire_countermeasure,
    set_score,
    set_scores,
)
from engine.errors import InputError
from engine.model import Text
from engine.settings import Settings

WHY = Text(zh="新理由", en="New reason")


def test_set_score_round_trips_through_the_loader(mini: ProjectFiles) -> None:
    edited = set_score(mini, "gamma", "jobs", value=9, why=WHY, evidence=["F02", "F01"])
    score = edited.problem.countermeasure("gamma").scores["jobs"]
    assert (score.value, score.why, score.evidence, score.low, score.estimate) == (
        9,
        WHY,
        ("F02", "F01"),
        None,
        False,
    )
    assert list(edited.changed) == ["catalogue"]
    assert edited.after.criteria == mini.criteria
    again = ProjectFiles.of(
        {
            kind: (edited.after.file(kind).label, edited.after.file(kind).text)
            for kind in ("criteria", "catalogue", "evidence")
        },
        {p.label: p.text for p in edited.after.presets},
    ).problem()
    assert again.countermeasure("gamma").scores["jobs"] == score


def test_set_score_with_a_range_and_estimate(mini: ProjectFiles) -> None:
    edited = set_score(
        mini, "alpha", "cost", value=30, low=25, high=50, estimate=True, why=WHY, evidence=["F01"]
    )
    score = edited.problem.countermeasure("alpha").scores["cost"]
    assert (score.value, score.low, score.high, score.estimate) == (30, 25, 50, True)


def test_shipped_catalogue_keeps_every_other_line(shipped: ProjectFiles) -> None:
    edited = set_score(shipped, "talent_strategy", "talent", value=8, why=WHY, evidence=["F35"])
    before, after = shipped.catalogue.text.splitlines(), edited.after.catalogue.text.splitlines()
    changes = [op for op in difflib.SequenceMatcher(None, before, after).get_opcodes() if op[0] != "equal"]
    assert len(changes) == 1
    _, first, last, new_first, new_last = changes[0]
    assert before[first - 1] == after[new_first - 1] == "      talent:"
    assert len(before[first:last]) == 5  # value, why with its two languages, evidence
    assert after[new_first:new_last] == [
        "        value: 8",
        "        why: {zh: 新理由, en: New reason}",
        "        evidence: [F35]",
    ]


def test_several_scores_in_one_edit(mini: ProjectFiles) -> None:
    edits = [ScoreEdit("alpha", "jobs", 2, WHY, ("F01",)), ScoreEdit("beta", "output", 1, WHY, ("F02",))]
    problem = set_scores(mini, edits).problem
    assert problem.countermeasure("alpha").scores["jobs"].value == 2
    assert problem.countermeasure("beta").scores["output"].value == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"value": 12},
            "countermeasures.yaml: countermeasures[2].scores.jobs.value: expected a number in 1..9, got 12",
        ),
        (
            {"evidence": ["F09"]},
            "countermeasures.yaml: countermeasures[2].scores.jobs.evidence[0]: "
            "unknown fact 'F09' (not in the evidence file)",
        ),
        (
            {"evidence": []},
            "countermeasures.yaml: countermeasures[2].scores.jobs.evidence: "
            "expected at least 1 item(s), got 0",
        ),
        (
            {"why": Text(zh="理由", en="")},
            "countermeasures.yaml: countermeasures[2].scores.jobs.why.en: "
            "expected a non-empty text, got text ''",
        ),
        (
            {"criterion": "growth"},
            "countermeasures.yaml: countermeasures[2].scores.growth: "
            "unknown key 'growth' (expected one of: jobs, output, cost)",
        ),
        ({"measure": "delta"}, "countermeasures.yaml: countermeasures: no countermeasure 'delta'"),
    ],
)
def test_bad_scores_are_refused_with_the_loaders_message(
    mini: ProjectFiles, change: dict, message: str
) -> None:
    given = {"measure": "gamma", "criterion": "jobs", "value": 5, "why": WHY, "evidence": ["F01"]} | change
    with pytest.raises(InputError) as raised:
        set_score(mini, given.pop("measure"), given.pop("criterion"), **given)
    assert str(raised.value) == message


def _new_measure(measure_id: str) -> dict:
    score = {"value": 5, "why": {"zh": "待复核", "en": "to review"}, "evidence": ["F01"]}
    return {
        "id": measure_id,
        "name": {"zh": "新对策", "en": "New measure"},
        "short": {"zh": "新", "en": "New"},
        "summary": {"zh": "摘要", "en": "Summary"},
        "actions": [{"zh": "行动", "en": "Action"}],
        "scores": {"jobs": score, "output": score, "cost": score | {"value": 12}},
    }


def test_add_countermeasure(mini: ProjectFiles) -> None:
    problem = add_countermeasure(mini, _new_measure("delta")).problem
    assert problem.alternative_ids == ("alpha", "beta", "gamma", "delta")
    assert problem.countermeasure("delta").scores["cost"].value == 12
    with pytest.raises(InputError) as raised:
        add_countermeasure(mini, _new_measure("beta"))
    assert (
        str(raised.value)
        == "countermeasures.yaml: countermeasures[3]: duplicate id 'beta' (first used at countermeasures[1])"
    )


def test_rename_countermeasure(mini: ProjectFiles) -> None:
    edited = rename_countermeasure(mini, "beta", Text("新名", "New name"), Text("新", "New"))
    measure = edited.problem.countermeasure("beta")
    assert (measure.name, measure.short) == (Text("新名", "New name"), Text("新", "New"))


def test_retired_countermeasure_stays_in_the_file_but_not_in_the_ranking(mini: ProjectFiles) -> None:
    edited = retire_countermeasure(mini, "alpha")
    assert "retired: true" in edited.after.catalogue.text
    assert edited.problem.alternative_ids == ("beta", "gamma")
    assert [item.id for item in edited.problem.retired] == ["alpha"]
    ranked = run(edited.problem, Settings())
    assert {entry.id for entry in ranked.ranking} == {"beta", "gamma"}
    restored = retire_countermeasure(edited.after, "alpha", retired=False)
    assert restored.after.catalogue.text == mini.catalogue.text
    assert restored.problem.alternative_ids == ("alpha", "beta", "gamma")


def test_retiring_every_countermeasure_is_refused(mini: ProjectFiles) -> None:
    files = retire_countermeasure(retire_countermeasure(mini, "alpha").after, "beta").after
    with pytest.raises(InputError) as raised:
        retire_countermeasure(files, "gamma")
    assert str(raised.value) == (
        "countermeasures.yaml: countermeasures: "
        "every countermeasure is retired; keep at least one in the ranking"
    )


def test_retired_must_be_a_boolean(mini: ProjectFiles) -> None:
    bad = mini.with_text(
        "catalogue", mini.catalogue.text.replace("  - id: beta\n", "  - id: beta\n    retired: yes please\n")
    )
    with pytest.raises(InputError, match=r"countermeasures\[1\]\.retired: expected true or false"):
        bad.problem()


def test_add_fact(mini: ProjectFiles) -> None:
    assert next_fact_id(mini) == "F03"
    edited = add_fact(mini, "F03", topic="benchmark", quote="原文引语", summary=Text("摘要", "Summary"))
    assert edited.problem.evidence.fact("F03").quote == "原文引语"
    assert list(edited.changed) == ["evidence"]
    cited = set_score(edited.after, "alpha", "jobs", value=7, why=WHY, evidence=["F03"])
    assert cited.problem.countermeasure("alpha").scores["jobs"].evidence == ("F03",)


@pytest.mark.parametrize(
    ("fact_id", "topic", "message"),
    [
        ("F1", "threat", "evidence.yaml: facts[2].id: expected an id matching ^F[0-9]{2,3}$, got 'F1'"),
        ("F01", "threat", "evidence.yaml: facts[2]: duplicate id 'F01' (first used at facts[0])"),
        (
            "F03",
            "rumour",
            "evidence.yaml: facts[2].topic: expected one of threat, context, countermeasure, benchmark, "
            "got text 'rumour'",
        ),
    ],
)
def test_bad_facts_are_refused(mini: ProjectFiles, fact_id: str, topic: str, message: str) -> None:
    with pytest.raises(InputError) as raised:
        add_fact(mini, fact_id, topic=topic, quote="引语", summary=Text("摘要", "Summary"))
    assert str(raised.value) == message
