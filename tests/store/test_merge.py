"""The three-way merge of a refused save: invariants (hypothesis) and the app's own shapes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.settings import Settings
from engine.store.merge import MISSING, Clash, changed_fields, merge, value_at

KEYS = st.sampled_from(["method", "budget", "samples", "preset", "experts", "a", "b", "c"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(-10, 10, allow_nan=False),
    st.text(max_size=4),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3))
DOCUMENTS = st.dictionaries(KEYS, st.one_of(VALUES, st.dictionaries(KEYS, VALUES, max_size=4)), max_size=6)


def edited(document: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``document`` with each key of ``changes`` set to its value (MISSING removes it)."""
    out = dict(document)
    for key, value in changes.items():
        if value is MISSING:
            out.pop(key, None)
        else:
            out[key] = value
    return out


CHANGES = st.dictionaries(KEYS, st.one_of(VALUES, st.just(MISSING)), max_size=4)


@given(DOCUMENTS, CHANGES, CHANGES)
def test_changes_on_disjoint_fields_merge_without_a_clash(
    base: dict[str, Any], mine_changes: dict[str, Any], their_changes: dict[str, Any]
) -> None:
    their_changes = {k: v for k, v in their_changes.items() if k not in mine_changes}
    mine, theirs = edited(base, mine_changes), edited(base, their_changes)
    result = merge(base, mine, theirs)
    assert result.clean
    assert result.merged == edited(edited(base, mine_changes), their_changes)


@given(DOCUMENTS, DOCUMENTS)
def test_the_same_change_on_both_sides_is_no_clash(base: dict[str, Any], changed: dict[str, Any]) -> None:
    result = merge(base, changed, dict(changed))
    assert result.clean
    assert result.merged == changed


@given(DOCUMENTS, DOCUMENTS)
def test_an_unchanged_side_takes_the_other(base: dict[str, Any], changed: dict[str, Any]) -> None:
    assert merge(base, base, changed).merged == changed
    assert merge(base, changed, base).merged == changed


def overlaps(path: tuple[str, ...], others: list[tuple[str, ...]]) -> bool:
    return any(path[: len(other)] == other or other[: len(path)] == path for other in others)


@given(DOCUMENTS, DOCUMENTS, DOCUMENTS)
def test_nothing_either_side_changed_is_lost(
    base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]
) -> None:
    result = merge(base, mine, theirs)
    kept = result.resolve()  # every clash settled as mine
    for path in changed_fields(base, mine):
        assert value_at(kept, path) == value_at(mine, path)
    mine_changed = changed_fields(base, mine)
    for path in changed_fields(base, theirs):
        if not overlaps(path, mine_changed):  # changed only by them: taken from them
            assert value_at(result.merged, path) == value_at(theirs, path)
    assert {c.path for c in merge(base, theirs, mine).clashes} == {c.path for c in result.clashes}


@given(DOCUMENTS, DOCUMENTS, DOCUMENTS)
def test_taking_theirs_everywhere_keeps_their_changes(
    base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]
) -> None:
    result = merge(base, mine, theirs)
    taken = result.resolve({clash.path: "theirs" for clash in result.clashes})
    for path in changed_fields(base, theirs):
        assert value_at(taken, path) == value_at(theirs, path)


def test_a_setting_changed_differently_on_both_sides_is_listed_with_the_three_values() -> None:
    base = Settings().to_mapping()
    mine = Settings(method="vikor").to_mapping()
    theirs = Settings(method="promethee").to_mapping()
    result = merge(base, mine, theirs)
    assert result.clashes == (Clash(("method",), "topsis", "vikor", "promethee"),)
    assert result.merged["method"] == "vikor"
    assert result.resolve({("method",): "theirs"})["method"] == "promethee"


def test_weights_merge_per_criterion_and_choices_per_key() -> None:
    base = {"manual_weights": {"c1": 0.5, "c2": 0.3, "c3": 0.2}, "method": "topsis"}
    mine = {"manual_weights": {"c1": 0.6, "c2": 0.3, "c3": 0.2}, "method": "topsis"}
    theirs = {"manual_weights": {"c1": 0.5, "c2": 0.3, "c3": 0.1}, "method": "wsm"}
    result = merge(base, mine, theirs)
    assert result.clean
    assert result.merged == {"manual_weights": {"c1": 0.6, "c2": 0.3, "c3": 0.1}, "method": "wsm"}
    choices = merge({"budget": 50.0, "samples": 20000}, {"budget": 54.0, "samples": 20000}, {"budget": 50.0})
    assert choices.merged == {"budget": 54.0}


def test_a_field_removed_on_one_side_and_changed_on_the_other_is_a_clash() -> None:
    result = merge({"preset": "p1"}, {}, {"preset": "p2"})
    assert result.clashes == (Clash(("preset",), "p1", MISSING, "p2"),)
    assert result.resolve() == {}
    assert result.resolve({("preset",): "theirs"}) == {"preset": "p2"}


def test_a_flag_and_a_number_are_different_values() -> None:
    result = merge({"x": 1}, {"x": True}, {"x": 1})
    assert result.merged == {"x": True}


def test_a_pick_must_name_a_side() -> None:
    result = merge({"x": 1}, {"x": 2}, {"x": 3})
    with pytest.raises(ValueError, match="'mine' or 'theirs'"):
        result.resolve({("x",): "both"})  # type: ignore[dict-item]
