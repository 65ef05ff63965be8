"""Loading and validation: every rule gives one message naming file, place and expectation."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from engine.errors import InputError
from engine.load import load_problem, problem_from_bytes, problem_from_documents
from tests.conftest import MINI


def build(docs: dict[str, Any]):
    return problem_from_documents(
        (docs["criteria"], "c.yaml"),
        (docs["catalogue"], "d.yaml"),
        (docs["evidence"], "e.yaml"),
        [(docs["preset"], "p.yaml")],
    )


def test_mini_problem_loads_from_files():
    problem = load_problem(MINI / "criteria.yaml", MINI / "countermeasures.yaml")
    assert problem.leaf_ids == ("jobs", "output", "cost")
    assert problem.alternative_ids == ("alpha", "beta", "gamma")
    np.testing.assert_array_equal(problem.directions, [1, 1, -1])
    np.testing.assert_array_equal(problem.matrix[:, 2], [40, 20, 10])
    assert [p.id for p in problem.presets] == ["even"]
    assert problem.preset("even").weights["jobs"] == pytest.approx(1 / 3)
    assert sorted(label.rsplit("/", 1)[-1] for label in problem.sources) == [
        "countermeasures.yaml",
        "criteria.yaml",
        "even.yaml",
        "evidence.yaml",
    ]
    assert all(len(digest) == 64 for digest in problem.sources.values())


def test_problem_is_immutable():
    problem = load_problem(MINI / "criteria.yaml", MINI / "countermeasures.yaml")
    with pytest.raises(ValueError, match="read-only"):
        problem.matrix[0, 0] = 1.0
    with pytest.raises(TypeError):
        problem.countermeasures[0].scores["jobs"] = None  # type: ignore[index]


def test_string_fraction_judgment_is_read(mini_docs):
    problem = build(mini_docs)
    assert problem.criteria.expert("second").judgments["goal"][0].value == pytest.approx(1 / 3)


MUTATIONS = [
    # (description, mutate(docs), file, place, message fragment)
    ("unknown top key", lambda d: d["criteria"].update(extra=1), "c.yaml", "extra", "unknown key 'extra'"),
    ("missing goal", lambda d: d["criteria"].pop("goal"), "c.yaml", "top level", "missing key 'goal'"),
    ("bad version", lambda d: d["criteria"].update(version=2), "c.yaml", "version", "expected 1, got 2"),
    (
        "leaf without direction",
        lambda d: d["criteria"]["goal"]["children"][1].pop("direction"),
        "c.yaml",
        "goal.children[1]",
        "missing key 'direction'",
    ),
    (
        "bad direction",
        lambda d: d["criteria"]["goal"]["children"][1].update(direction="up"),
        "c.yaml",
        "goal.children[1].direction",
        "expected benefit or cost",
    ),
    (
        "inner node with direction",
        lambda d: d["criteria"]["goal"]["children"][0].update(direction="benefit"),
        "c.yaml",
        "goal.children[0].direction",
        "only leaf criteria",
    ),
    (
        "name missing en",
        lambda d: d["criteria"]["goal"]["name"].pop("en"),
        "c.yaml",
        "goal.name",
        "missing key 'en'",
    ),
    (
        "bad id",
        lambda d: d["criteria"]["goal"]["children"][0].update(id="Gain Group"),
        "c.yaml",
        "goal.children[0].id",
        "expected an id",
    ),
    (
        "duplicate node id",
        lambda d: d["criteria"]["goal"]["children"][0]["children"][1].update(id="jobs"),
        "c.yaml",
        "node jobs",
        "duplicate id 'jobs'",
    ),
    (
        "scale reversed",
        lambda d: d["criteria"]["goal"]["children"][1].update(scale={"low": 5, "high": 1}),
        "c.yaml",
        "goal.children[1].scale",
        "expected low < high",
    ),
    (
        "judgment above 9",
        lambda d: d["criteria"]["experts"][0]["judgments"]["goal"][0].update(value=12),
        "c.yaml",
        "experts[0].judgments.goal[0].value",
        "expected a number in 1/9..9, got 12",
    ),
    (
        "judgment as word",
        lambda d: d["criteria"]["experts"][0]["judgments"]["goal"][0].update(value="high"),
        "c.yaml",
        "experts[0].judgments.goal[0].value",
        "expected a number in 1/9..9, got 'high'",
    ),
    (
        "judgment zero",
        lambda d: d["criteria"]["experts"][0]["judgments"]["goal"][0].update(value=0),
        "c.yaml",
        "experts[0].judgments.goal[0].value",
        "1/9..9",
    ),
    (
        "diagonal judgment",
        lambda d: d["criteria"]["experts"][0]["judgments"]["gain"][0].update(b="jobs"),
        "c.yaml",
        "experts[0].judgments.gain[0]",
        "two different criteria",
    ),
    (
        "judgment of a non-child",
        lambda d: d["criteria"]["experts"][0]["judgments"]["gain"][0].update(b="cost"),
        "c.yaml",
        "experts[0].judgments.gain[0].b",
        "'cost' is not a child of 'gain'",
    ),
    (
        "missing pair",
        lambda d: d["criteria"]["experts"][0]["judgments"].update(gain=[]),
        "c.yaml",
        "experts[0].judgments.gain",
        "at least 1 item",
    ),
    (
        "contradicting reciprocal",
        lambda d: d["criteria"]["experts"][0]["judgments"]["gain"].append(
            {"a": "output", "b": "jobs", "value": 2}
        ),
        "c.yaml",
        "experts[0].judgments.gain[1]",
        "already judged at \\[0\\]",
    ),
    (
        "judgments of unknown node",
        lambda d: d["criteria"]["experts"][0]["judgments"].update(nowhere=[]),
        "c.yaml",
        "experts[0].judgments.nowhere",
        "unknown key 'nowhere'",
    ),
    (
        "node without judgments",
        lambda d: d["criteria"]["experts"][0]["judgments"].pop("gain"),
        "c.yaml",
        "experts[0].judgments",
        "missing key 'gain'",
    ),
    (
        "unknown group",
        lambda d: d["criteria"]["experts"][0].update(group="nobody"),
        "c.yaml",
        "experts[0].group",
        "unknown group 'nobody'",
    ),
    (
        "duplicate expert",
        lambda d: d["criteria"]["experts"][1].update(id="first"),
        "c.yaml",
        "experts[1]",
        "duplicate id 'first'",
    ),
    (
        "score out of scale",
        lambda d: d["catalogue"]["countermeasures"][0]["scores"]["jobs"].update(value=10),
        "d.yaml",
        "countermeasures[0].scores.jobs.value",
        "expected a number in 1..9, got 10",
    ),
    (
        "negative cost",
        lambda d: d["catalogue"]["countermeasures"][0]["scores"]["cost"].update(value=-1, low=-2),
        "d.yaml",
        "countermeasures[0].scores.cost.value",
        "expected a number in 0..100, got -1",
    ),
    (
        "NaN score",
        lambda d: d["catalogue"]["countermeasures"][0]["scores"]["jobs"].update(value=float("nan")),
        "d.yaml",
        "countermeasures[0].scores.jobs.value",
        "expected a finite number",
    ),
    (
        "score as text",
        lambda d: d["catalogue"]["countermeasures"][0]["scores"]["jobs"].update(value="8"),
        "d.yaml",
        "countermeasures[0].scores.jobs.value",
        "expected a number, got text '8'",
    ),
    (
        "range without high",
        lambda d: d["catalogue"]["countermeasures"][0]["scores"]["cost"].pop("high"),
        "d.yaml",
        "countermeasures[0].scores.cost",
        "give both 'low' and 'high'",
    ),
    (
        "range not around value",
        lambda d: d["catalogue"]["countermeasures"][0]["scores"]["cost"].update(low=50),
        "d.yaml",
        "countermeasures[0].scores.cost.low",
        "expected a number in 0..40, got 50",
    ),
    (
        "missing score",
        lambda d: d["catalogue"]["countermeasures"][1]["scores"].pop("output"),
        "d.yaml",
        "countermeasures[1].scores",
        "missing the score for criterion 'output'",
    ),
    (
        "score for unknown criterion",
        lambda d: d["catalogue"]["countermeasures"][1]["scores"].update(speed={}),
        "d.yaml",
        "countermeasures[1].scores.speed",
        "unknown key 'speed'",
    ),
    (
        "unknown fact",
        lambda d: d["catalogue"]["countermeasures"][2]["scores"]["jobs"].update(evidence=["F99"]),
        "d.yaml",
        "countermeasures[2].scores.jobs.evidence[0]",
        "unknown fact 'F99'",
    ),
    (
        "no evidence",
        lambda d: d["catalogue"]["countermeasures"][2]["scores"]["jobs"].update(evidence=[]),
        "d.yaml",
        "countermeasures[2].scores.jobs.evidence",
        "at least 1 item",
    ),
    (
        "duplicate measure",
        lambda d: d["catalogue"]["countermeasures"][2].update(id="alpha"),
        "d.yaml",
        "countermeasures[2]",
        "duplicate id 'alpha'",
    ),
    (
        "no measures",
        lambda d: d["catalogue"].update(countermeasures=[]),
        "d.yaml",
        "countermeasures",
        "at least 1 item",
    ),
    (
        "bad fact topic",
        lambda d: d["evidence"]["facts"][0].update(topic="gossip"),
        "e.yaml",
        "facts[0].topic",
        "expected one of threat",
    ),
    (
        "bad fact id",
        lambda d: d["evidence"]["facts"][0].update(id="fact1"),
        "e.yaml",
        "facts[0].id",
        "expected an id matching",
    ),
    (
        "negative preset weight",
        lambda d: d["preset"]["weights"].update(jobs=-1),
        "p.yaml",
        "weights.jobs",
        "expected a number in 0.., got -1",
    ),
    (
        "zero preset weights",
        lambda d: d["preset"].update(weights={"jobs": 0, "output": 0, "cost": 0}),
        "p.yaml",
        "weights",
        "sum to zero",
    ),
    (
        "preset missing a leaf",
        lambda d: d["preset"]["weights"].pop("cost"),
        "p.yaml",
        "weights",
        "missing the weight of criterion 'cost'",
    ),
    (
        "very long text",
        lambda d: d["evidence"]["facts"][0].update(quote="长" * 20_000),
        "e.yaml",
        "facts[0].quote",
        "longer than 10000",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "source", "place", "message"), [m[1:] for m in MUTATIONS], ids=[m[0] for m in MUTATIONS]
)
def test_each_violation_is_one_precise_message(mini_docs, mutate, source, place, message):
    mutate(mini_docs)
    with pytest.raises(InputError, match=message) as caught:
        build(mini_docs)
    error = caught.value
    assert error.source == source
    assert error.place == place
    assert "\n" not in str(error)
    assert str(error).startswith(f"{source}: ")


def test_more_than_fifteen_children_is_refused(mini_docs):
    leaf = mini_docs["criteria"]["goal"]["children"][1]
    mini_docs["criteria"]["goal"]["children"] = [dict(leaf, id=f"c{i}") for i in range(16)]
    with pytest.raises(InputError, match=r"at most 15 children per node .* got 16"):
        build(mini_docs)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"\xff\xfe\x00a", "expected UTF-8 text"),
        (b"version: 1\n\tid: x\n", "not valid YAML"),
        (b"a: &x [1, 2]\nb: *x\n", r"YAML aliases \(\*name\) are not allowed"),
        (b"a: 1\na: 2\n", "duplicate key 'a'"),
        (b"!!python/object:os.system {}\n", "unsupported YAML tag"),
        (b"[" * 100 + b"]" * 100, "nesting deeper than 40 levels"),
        (b"- 1\n- 2\n", "expected a mapping, got a list"),
    ],
)
def test_hostile_or_broken_files_are_refused(mini_docs, data, message):
    good = (MINI / "countermeasures.yaml").read_bytes()
    with pytest.raises(InputError, match=message):
        problem_from_bytes(
            (data, "upload.yaml"), (good, "d.yaml"), ((MINI / "evidence.yaml").read_bytes(), "e.yaml")
        )


def test_billion_laughs_is_refused_quickly():
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    with pytest.raises(InputError, match="aliases"):
        problem_from_bytes(("\n".join(lines).encode(), "bomb.yaml"), (b"x: 1", "d"), (b"x: 1", "e"))


def test_a_bom_is_accepted():
    criteria = b"\xef\xbb\xbf" + (MINI / "criteria.yaml").read_bytes()
    problem = problem_from_bytes(
        (criteria, "c.yaml"),
        ((MINI / "countermeasures.yaml").read_bytes(), "d.yaml"),
        ((MINI / "evidence.yaml").read_bytes(), "e.yaml"),
    )
    assert problem.leaf_ids == ("jobs", "output", "cost")


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_problem(tmp_path / "nope.yaml", MINI / "countermeasures.yaml")


def test_huge_weights_are_renormalised_without_overflow(mini_docs):
    mini_docs["preset"]["weights"] = {"jobs": 1e308, "output": 1e308, "cost": 0}
    preset = build(mini_docs).preset("even")
    assert preset.weights == {"jobs": 0.5, "output": 0.5, "cost": 0.0}
