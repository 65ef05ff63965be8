"""The three-way merge of a refused save: invariants (hypothesis) and the app's own shapes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.settings import Settings
from engine.store.merge import MISSING, Clash, merge, same

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
    assert same(result.merged, edited(edited(base, mine_changes), their_changes))


@given(DOCUMENTS, DOCUMENTS)
def test_the_same_change_on_both_sides_is_no_clash(base: dict[str, Any], changed: dict[str, Any]) -> None:
    result = merge(base, changed, dict(changed))
    assert result.clean
    assert same(result.merged, changed)


@given(DOCUMENTS, DOCUMENTS)
def test_an_unchanged_side_takes_the_other(base: dict[str, Any], changed: dict[str, Any]) -> None:
    # equal as fields: an empty mapping and an absent one hold the same (none)
    assert same(merge(base, base, changed).merged, changed)
    assert same(merge(base, changed, base).merged, changed)


def leaves(document: dict[str, Any], path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """Every value that is not a mapping, by its path: what a user set, field by field.

    A mapping missing and an empty one hold the same fields (none), as for manual weights."""
    out: dict[tuple[str, ...], Any] = {}
    for key, value in document.items():
        if isinstance(value, dict):
            out |= leaves(value, (*path, key))
        else:
            out[(*path, key)] = value
    return out


def changed(before: dict[str, Any], after: dict[str, Any]) -> dict[tuple[str, ...], Any]:
    """The fields ``after`` set differently from ``before`` (MISSING: removed), as leaves."""
    old, new = leaves(before), leaves(after)
    return {
        path: new.get(path, MISSING)
        for path in {*old, *new}
        if not same(old.get(path, MISSING), new.get(path, MISSING))
    }


def overlaps(path: tuple[str, ...], others: Iterable[tuple[str, ...]]) -> bool:
    return any(path[: len(other)] == other or other[: len(path)] == path for other in others)


@given(DOCUMENTS, DOCUMENTS, DOCUMENTS)
def test_nothing_either_side_changed_is_lost(
    base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]
) -> None:
    result = merge(base, mine, theirs)
    kept = leaves(result.resolve())  # every clash settled as mine
    for path, value in changed(base, mine).items():
        assert same(kept.get(path, MISSING), value)
    merged = leaves(result.merged)
    for path, value in changed(base, theirs).items():
        if not overlaps(path, changed(base, mine)):  # changed only by them: taken from them
            assert same(merged.get(path, MISSING), value)
    assert {c.path for c in merge(base, theirs, mine).clashes} == {c.path for c in result.clashes}


@given(DOCUMENTS, DOCUMENTS, DOCUMENTS)
def test_taking_theirs_everywhere_keeps_their_changes(
    base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]
) -> None:
    result = merge(base, mine, theirs)
    taken = leaves(result.resolve({clash.path: "theirs" for clash in result.clashes}))
    for path, value in changed(base, theirs).items():
        assert same(taken.get(path, MISSING), value)


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
