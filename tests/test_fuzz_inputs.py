"""Mutation fuzzing of the shipped YAML: the loader accepts or raises InputError, nothing else.

Each example takes the shipped documents, applies a few random edits of the kinds a hand edit in a
spreadsheet or text editor produces (drop a key, change a type, swap two values, duplicate or drop
a list item) and loads the result. When it loads, the whole analysis must run too.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.analysis import run
from engine.errors import InputError
from engine.load import DEFAULT_CRITERIA, DEFAULT_DATA, DEFAULT_EVIDENCE, preset_files, problem_from_documents
from tests.conftest import read

DOCUMENTS = {
    "criteria": read(DEFAULT_CRITERIA),
    "catalogue": read(DEFAULT_DATA),
    "evidence": read(DEFAULT_EVIDENCE),
    "preset": read(preset_files(DEFAULT_CRITERIA)[0]),
}
EXAMPLES = 0

REPLACEMENTS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10**6),
    st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -0.0, 1e308, 1e-308, 1 / 9, 9.000001]),
    st.text(max_size=12),
    st.sampled_from(["1/3", "1/0", "benefit", "cost", "F01", "F999", "", "goal", "=1+1"]),
    st.lists(st.integers(0, 3), max_size=3),
    st.dictionaries(st.sampled_from(["zh", "en", "id", "value"]), st.text(max_size=4), max_size=2),
)


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


def get(node: Any, path: tuple) -> Any:
    for step in path:
        node = node[step]
    return node


def mutate(document: Any, data: st.DataObject) -> Any:
    document = copy.deepcopy(document)
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        every = [p for p in paths(document) if p]
        if not every:
            break
        path = data.draw(st.sampled_from(every), label="path")
        parent, last = get(document, path[:-1]), path[-1]
        action = data.draw(st.sampled_from(["drop", "replace", "swap", "duplicate"]), label="action")
        if action == "drop":
            del parent[last]
        elif action == "replace":
            parent[last] = data.draw(REPLACEMENTS, label="value")
        elif action == "swap":
            other = data.draw(st.sampled_from(every), label="other")
            try:
                other_parent = get(document, other[:-1])
                parent[last], other_parent[other[-1]] = copy.deepcopy(other_parent[other[-1]]), parent[last]
            except (KeyError, IndexError, TypeError):
                pass  # the other path vanished with an earlier edit
        elif isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
    return document


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(sorted(DOCUMENTS)), data=st.data())
def test_mutated_shipped_files_are_accepted_or_refused_cleanly(target, data):
    global EXAMPLES
    EXAMPLES += 1
    documents = dict(DOCUMENTS)
    documents[target] = mutate(DOCUMENTS[target], data)
    try:
        problem = problem_from_documents(
            (documents["criteria"], "criteria/wuhan.yaml"),
            (documents["catalogue"], "data/countermeasures.yaml"),
            (documents["evidence"], "data/evidence.yaml"),
            [(documents["preset"], "criteria/presets/x.yaml")],
        )
    except InputError as error:
        assert "\n" not in str(error)
        return
    run(problem)
