"""Expert panels in the project exchange document: carried whole, checked part by part on import,
written in the import's one transaction; exports written before panels existed still import."""

from __future__ import annotations

import copy
import re

import pytest
import yaml

from engine.errors import InputError
from engine.store import SHIPPED_PROJECT, open_store
from engine.store.exchange import dump
from engine.store.panel import Panels
from tests.store.panels import PANEL, busy_panel, panel_tables

P = SHIPPED_PROJECT


@pytest.fixture
def exported(store) -> dict:
    busy_panel(store, P)
    return yaml.safe_load(store.export_project(P))


def tables(store) -> dict:
    with store.engine.connect() as connection:
        return panel_tables(connection)


def test_replacing_a_project_by_its_own_export_keeps_its_panels(store, exported):
    before, text = tables(store), dump(exported)
    store.import_project(text, replace=True)
    assert tables(store) == before and store.export_project(P) == text
    assert Panels(store).panel(P, PANEL).round == 2


def test_an_export_without_panels_still_imports(tmp_path, store, exported):
    older = {key: value for key, value in exported.items() if key != "panels"}
    other = open_store(f"sqlite+pysqlite:///{tmp_path / 'other.sqlite'}")
    other.import_project(dump(older), replace=True)  # over the shipped project it was created with
    assert Panels(other).panels(P) == [] and yaml.safe_load(other.export_project(P))["panels"] == []
    other.close()


def _answer(document: dict, expert: str, kind: str) -> dict:
    return next(
        a for a in document["panels"][0]["answers"] if a["expert"] == expert and a["item"].startswith(kind)
    )


def _set(path: str, value):
    def change(document: dict) -> None:
        *parents, last = path.split(".")
        target = document["panels"][0]
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return change


def _asked_nothing(document: dict) -> None:
    answer = _answer(document, "zhao", "score")
    answer["item"], answer["value"] = "judgment:goal:retention:ecosystem", 3  # zhao is asked scores only


def _twice(document: dict) -> None:
    answers = document["panels"][0]["answers"]
    answers.append(copy.deepcopy(answers[0]))


def _off_scale(document: dict) -> None:
    _answer(document, "li", "judgment")["value"] = 11


BROKEN = {
    "unknown key": (_set("colour", "red"), r"panels\[0\]\.colour: unknown key"),
    "bad name": (_set("name", "a/b"), r"panels\[0\]\.name: expected 1 to 64 characters"),
    "revision ahead": (_set("revision", 9), r"panels\[0\]\.revision: expected a revision of the project"),
    "aggregation": (_set("options.aggregation", "mode"), r"panels\[0\]\.options: expected one of"),
    "scored": (_set("options.scored", ["nowhere"]), r"panels\[0\]\.options: expected a leaf criterion"),
    "mapping": (
        _set("survey_mapping.questions.0.node", "nowhere"),
        r"^import: panels\[0\]\.survey_mapping: questions\[0\]",
    ),
    "group": (_set("experts.0.group", "ministry"), r"panels\[0\]\.experts\[0\]\.group: expected one of"),
    "weight": (_set("experts.1.weight", 0), r"panels\[0\]\.experts\[1\]\.weight: expected a number above 0"),
    "expert twice": (
        _set("experts.2.id", "wang"),
        r"panels\[0\]\.experts\[2\]\.id: expected each expert once",
    ),
    "hash": (_set("links.0.token_sha256", "secret"), r"panels\[0\]\.links\[0\]\.token_sha256: expected 64"),
    "hash twice": (
        lambda d: d["panels"][0]["links"].append(copy.deepcopy(d["panels"][0]["links"][0])),
        r"panels\[0\]\.links\[\d+\]\.token_sha256: duplicate id",
    ),
    "revoked": (_set("links.0.revoked", 1), r"panels\[0\]\.links\[0\]\.revoked: expected true or false"),
    "link of a stranger": (
        _set("links.0.expert", "qian"),
        r"links\[0\]\.expert: expected an expert of this panel",
    ),
    "off the scale": (_off_scale, r"panels\[0\]\.answers\[\d+\]\.value: expected one of 9, 8"),
    "not asked": (
        _asked_nothing,
        r"answers\[\d+\]\.item: expected a question expert 'zhao' is asked in round 1",
    ),
    "answered twice": (_twice, r"answers\[\d+\]\.item: expected each answer once"),
    "bad item": (_set("answers.0.item", "guess:x"), r"answers\[0\]\.item: expected judgment:NODE:A:B"),
    "round ahead": (
        _set("answers.0.round", 3),
        r"answers\[0\]\.round: expected a round of this panel, 1 to 2",
    ),
    "submitted by a stranger": (
        _set("submissions.0.expert", "qian"),
        r"submissions\[0\]\.expert: expected an expert of this panel",
    ),
    "submitted twice": (
        lambda d: d["panels"][0]["submissions"].append(copy.deepcopy(d["panels"][0]["submissions"][0])),
        r"submissions\[\d+\]: expected one submission per expert and round",
    ),
    "panel twice": (
        lambda d: d["panels"].append({**copy.deepcopy(d["panels"][0]), "id": "other-id"}),
        r"panels\[1\]\.name: .*wuhan2025",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_bad_part_of_a_panel_is_named_and_nothing_is_written(store, exported, case):
    breaks, message = BROKEN[case]
    before, text = tables(store), store.export_project(P)
    broken = copy.deepcopy(exported)
    breaks(broken)
    with pytest.raises(InputError) as caught:
        store.import_project(dump(broken), replace=True)
    assert str(caught.value).startswith("import: panels") and re.search(message, str(caught.value))
    assert tables(store) == before and store.export_project(P) == text


def test_a_panel_id_of_another_project_is_refused_in_the_transaction(store, exported):
    copied = {**exported, "id": "copy", "scenarios": [], "openings": []}
    with pytest.raises(InputError, match=r"^import: panels: panel id .* belongs to another project"):
        store.import_project(dump(copied))
    assert [p.id for p in store.projects()] == [P]
