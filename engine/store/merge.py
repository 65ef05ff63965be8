"""Three-way merge of two edits of one scenario: the version both started from, mine and theirs.

When a save is refused because someone else saved the scenario in between, the two edits are
often of different things (I moved the budget, they changed the method). A field changed on one
side only is taken from that side; a field changed the same way on both sides is no clash; a
field changed differently on both sides is a :class:`Clash` the user picks a side for. Nested
mappings (manual weights per criterion, judgment edits per node, slider importances per leaf)
merge field by field (an empty mapping counts as absent); any other value (a list, a number,
a string) is one field.

Pure functions on JSON-like values (``Settings.to_mapping()`` and a scenario's choices), so the
app and tests share them and nothing here knows about Streamlit or the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Path = tuple[str, ...]
Side = Literal["mine", "theirs"]


class _Missing:
    """The value of a field a side does not have (distinct from None, which is a value)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Clash:
    """A field both sides changed differently. A value is :data:`MISSING` where a side removed it."""

    path: Path
    base: Any
    mine: Any
    theirs: Any


@dataclass(frozen=True)
class Merge:
    """The fields merged without a question, and the clashes (with mine in ``merged`` meanwhile)."""

    merged: dict[str, Any]
    clashes: tuple[Clash, ...]

    @property
    def clean(self) -> bool:
        return not self.clashes

    def resolve(self, picks: Mapping[Path, Side] | None = None) -> dict[str, Any]:
        """The merged mapping with each clash settled as ``picks`` says (mine where it says nothing)."""
        result = _copy(self.merged)
        for clash in self.clashes:
            side = (picks or {}).get(clash.path, "mine")
            if side not in ("mine", "theirs"):
                raise ValueError(f"a clash is settled by 'mine' or 'theirs', got {side!r}")
            _put(result, clash.path, clash.mine if side == "mine" else clash.theirs)
        return result


def merge(base: Mapping[str, Any], mine: Mapping[str, Any], theirs: Mapping[str, Any]) -> Merge:
    """Merge ``mine`` and ``theirs``, two edits of ``base``.

    Every field of ``mine`` that ``theirs`` did not change is kept as mine, so nothing I changed
    is lost; a clash keeps mine in :attr:`Merge.merged` until :meth:`Merge.resolve` says otherwise.
    """
    clashes: list[Clash] = []
    merged = _merge(base, mine, theirs, (), clashes)
    return Merge(merged, tuple(clashes))


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Path]:
    """The paths of the fields that differ between two mappings (nested mappings field by field)."""
    out: list[Path] = []
    _diff(before, after, (), out)
    return out


def value_at(document: Mapping[str, Any], path: Path) -> Any:
    """The value at ``path``, :data:`MISSING` when a part of the path is absent."""
    value: Any = document
    for part in path:
        if not isinstance(value, Mapping) or part not in value:
            return MISSING
        value = value[part]
    return value


def _merge(
    base: Mapping[str, Any],
    mine: Mapping[str, Any],
    theirs: Mapping[str, Any],
    path: Path,
    clashes: list[Clash],
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in _keys(base, mine, theirs):
        b, m, t = base.get(key, MISSING), mine.get(key, MISSING), theirs.get(key, MISSING)
        here = (*path, key)
        if same(m, t):
            value = m
        elif same(m, b):
            value = t
        elif same(t, b):
            value = m
        elif _fields(m) is not None and _fields(t) is not None:
            value = _merge(_fields(b) or {}, _fields(m) or {}, _fields(t) or {}, here, clashes)
        else:
            clashes.append(Clash(here, b, m, t))
            value = m
        if value is not MISSING:
            out[key] = _copy(value)
    return out


def _diff(before: Mapping[str, Any], after: Mapping[str, Any], path: Path, out: list[Path]) -> None:
    for key in _keys(before, after):
        b, a = before.get(key, MISSING), after.get(key, MISSING)
        if same(b, a):
            continue
        if _fields(b) is not None and _fields(a) is not None:
            _diff(_fields(b) or {}, _fields(a) or {}, (*path, key), out)
        else:
            out.append((*path, key))


def _keys(*documents: Mapping[str, Any]) -> list[str]:
    """Every key, in the order they first appear (mine before theirs), so results read naturally."""
    seen: dict[str, None] = {}
    for document in documents:
        seen.update(dict.fromkeys(document))
    return list(seen)


def same(a: Any, b: Any) -> bool:
    """Equal as JSON values: ``1 == True`` in Python, but a weight of 1 and a flag are different.

    An empty mapping is no fields at all, the same as none (manual weights absent or ``{}``).
    """
    if _fields(a) is not None and _fields(b) is not None:
        first, second = _fields(a) or {}, _fields(b) or {}
        return all(same(first.get(key, MISSING), second.get(key, MISSING)) for key in _keys(first, second))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    numbers = isinstance(a, (int, float)) and isinstance(b, (int, float))
    return (numbers or type(a) is type(b)) and bool(a == b)


def _fields(value: Any) -> Mapping[str, Any] | None:
    """A nested mapping's fields; an absent value has none (``{}``); None for any other value.

    So removing a mapping is removing each of its fields, and one side's removal merges with the
    other side's change of a field inside it, field by field.
    """
    if value is MISSING:
        return {}
    return value if isinstance(value, Mapping) else None


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def _put(document: dict[str, Any], path: Path, value: Any) -> None:
    *parents, last = path
    for part in parents:
        document = document.setdefault(part, {})
    if value is MISSING:
        document.pop(last, None)
    else:
        document[last] = _copy(value)
