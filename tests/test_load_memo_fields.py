"""The optional fields a memo reads: lead unit and timeframe per countermeasure, the source's
reliability and the poaching patterns of the evidence file."""

from __future__ import annotations

from typing import Any

import pytest

from engine.errors import InputError
from engine.load import load_problem, problem_from_documents
from engine.model import Text


def build(docs: dict[str, Any]):
    return problem_from_documents(
        (docs["criteria"], "c.yaml"),
        (docs["catalogue"], "d.yaml"),
        (docs["evidence"], "e.yaml"),
        [(docs["preset"], "p.yaml")],
    )


def test_the_fields_are_optional(mini_docs):
    problem = build(mini_docs)
    assert all(m.lead_unit is None and m.timeframe is None for m in problem.countermeasures)
    assert problem.evidence.reliability is None
    assert problem.evidence.patterns == ()


def test_the_fields_are_read(mini_docs):
    item = mini_docs["catalogue"]["countermeasures"][0]
    item["lead_unit"] = {"zh": "市发改委", "en": "the city's development and reform commission"}
    item["timeframe"] = {"zh": "一年内启动", "en": "start within a year"}
    mini_docs["evidence"]["source"]["reliability"] = {"zh": "未经核实", "en": "not verified"}
    mini_docs["evidence"]["patterns"] = [
        {"id": "capital", "name": {"zh": "资本", "en": "Capital"}, "facts": ["F01", "F02"]}
    ]
    problem = build(mini_docs)
    first = problem.countermeasures[0]
    assert first.lead_unit == Text("市发改委", "the city's development and reform commission")
    assert first.timeframe == Text("一年内启动", "start within a year")
    assert problem.evidence.reliability == Text("未经核实", "not verified")
    (pattern,) = problem.evidence.patterns
    assert (pattern.id, pattern.name.en, pattern.facts) == ("capital", "Capital", ("F01", "F02"))


@pytest.mark.parametrize(
    ("mutate", "source", "place", "message"),
    [
        (
            lambda d: d["catalogue"]["countermeasures"][0].update(lead_unit="市发改委"),
            "d.yaml",
            "countermeasures[0].lead_unit",
            "expected a mapping",
        ),
        (
            lambda d: d["catalogue"]["countermeasures"][0].update(timeframe={"zh": "一年"}),
            "d.yaml",
            "countermeasures[0].timeframe",
            "missing key 'en'",
        ),
        (
            lambda d: d["evidence"].update(
                patterns=[{"id": "a", "name": {"zh": "a", "en": "a"}, "facts": ["F09"]}]
            ),
            "e.yaml",
            "patterns[0].facts[0]",
            "unknown fact 'F09'",
        ),
        (
            lambda d: d["evidence"].update(
                patterns=[{"id": "a", "name": {"zh": "a", "en": "a"}, "facts": ["F01"]}] * 2
            ),
            "e.yaml",
            "patterns[1]",
            "duplicate id 'a'",
        ),
        (
            lambda d: d["evidence"].update(patterns=[{"id": "a", "name": {"zh": "a", "en": "a"}}]),
            "e.yaml",
            "patterns[0]",
            "missing key 'facts'",
        ),
    ],
)
def test_bad_fields_name_the_place(mini_docs, mutate, source, place, message):
    mutate(mini_docs)
    with pytest.raises(InputError, match=message) as caught:
        build(mini_docs)
    assert caught.value.source == source
    assert caught.value.place == place


def test_every_shipped_countermeasure_suggests_a_lead_unit_and_a_timeframe():
    problem = load_problem()
    for item in problem.countermeasures:
        assert item.lead_unit is not None and item.timeframe is not None, item.id
        assert "建议" not in item.lead_unit.zh  # the memo labels them as suggestions itself
    assert problem.evidence.reliability is not None
    assert [p.id for p in problem.evidence.patterns] == ["capital", "talent", "projects"]
