"""One line per history entry: what changed from what to what, in the interface language.

A scenario change names the settings and choices that differ (method, weights, budget, …) with
the old and new value when there is one of them, or how many criteria changed when the weights
moved together; a project edit names the files and, where :mod:`engine.store.changes` can say
what changed in them (:func:`engine.store.changes.describe`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from engine.errors import InputError
from engine.model import Problem
from engine.store import HistoryEntry
from engine.store.changes import describe
from engine.store.merge import MISSING, Path, changed_fields, value_at
from engine.store.workspace import FILE_KINDS
from ui.format import method
from ui.i18n import lang, t

ProblemAt = Callable[[int], Problem]

MAX_PARTS = 4
MAX_TEXT = 28
ARROW = " → "
# the fields whose values are keyed by criterion, node or group: named by the key's name
KEYED = ("manual_weights", "judgment_edits", "group_weights", "importance", "held")


def value_text(value: Any) -> str:
    if value is MISSING or value is None:
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float):
        return f"{value:.3g}" if math.isfinite(value) else str(value)
    if isinstance(value, list):
        return ", ".join(value_text(item) for item in value) or "—"
    if isinstance(value, Mapping):
        return "{…}"
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def field_value(field: str, value: Any) -> str:
    """A value as the summaries show it: a method by its name (TOPSIS), anything else as it is."""
    if field == "method" and isinstance(value, str):
        return method(value)
    return value_text(value)


def field_name(field: str) -> str:
    key = f"history.field.{field}"
    try:
        return t(key)
    except KeyError:
        return field


def _fields(before: Mapping[str, Any], after: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    """ "field: old → new" for every changed field; keyed fields moved together are counted."""
    by_field: dict[str, list[Path]] = {}
    for path in changed_fields(before, after):
        by_field.setdefault(path[0], []).append(path)
    parts: list[str] = []
    for field, paths in by_field.items():
        label = field_name(field)
        if field in KEYED and len(paths) > 1:
            parts.append(t("history.summary.keyed", field=label, n=len(paths)))
            continue
        path = paths[0]
        if len(path) > 1:
            label = f"{label} · {names.get(path[1], path[1])}"
        old, new = field_value(field, value_at(before, path)), field_value(field, value_at(after, path))
        parts.append(f"{label}: {old}{ARROW}{new}")
    return parts


def _scenario(entry: HistoryEntry, names: Mapping[str, str]) -> str:
    before, after = entry.before, entry.after
    if before is None and after is None:
        return ""
    if before is None:
        return t("history.summary.created", name=after.get("name", ""))
    if after is None:
        return t("history.summary.deleted", name=before.get("name", ""))
    parts: list[str] = []
    if before.get("name") != after.get("name"):
        parts.append(f"{field_name('name')}: {before.get('name')}{ARROW}{after.get('name')}")
    parts += _fields(before.get("settings") or {}, after.get("settings") or {}, names)
    parts += _fields(before.get("choices") or {}, after.get("choices") or {}, names)
    if before.get("note") != after.get("note"):
        parts.append(t("history.summary.note"))
    return _joined(parts)


def _describe(entry: HistoryEntry, problem_at: ProblemAt | None) -> str | None:
    """What :func:`engine.store.changes.describe` says changed between the two revisions."""
    before, after = entry.before or {}, entry.after or {}
    if problem_at is None or before.get("revision") is None or after.get("revision") is None:
        return None
    try:
        said = describe(problem_at(before["revision"]), problem_at(after["revision"]), lang())
    except InputError:  # a revision that no longer loads: the line still names the files
        return None
    return "; ".join(said) or None


def _project(entry: HistoryEntry, problem_at: ProblemAt | None) -> str:
    before, after = entry.before or {}, entry.after or {}
    if entry.action == "create":
        return t("history.summary.project_created")
    old_files, new_files = before.get("files") or {}, after.get("files") or {}
    changed = [kind for kind in {**old_files, **new_files} if old_files.get(kind) != new_files.get(kind)]
    files = ", ".join(t(f"history.file.{kind}") if kind in FILE_KINDS else kind for kind in changed)
    parts = [t("history.summary.files", files=files)] if changed else []
    if before.get("revision") is not None and after.get("revision") is not None:
        parts.append(f"{field_name('revision')}: {before['revision']}{ARROW}{after['revision']}")
    described = _describe(entry, problem_at)
    if described:
        parts.append(described)
    return _joined(parts)


def _joined(parts: list[str]) -> str:
    if not parts:
        return t("history.summary.nothing")
    shown = "; ".join(parts[:MAX_PARTS])
    return shown + (t("history.summary.more", n=len(parts) - MAX_PARTS) if len(parts) > MAX_PARTS else "")


def summary(entry: HistoryEntry, names: Mapping[str, str], problem_at: ProblemAt | None = None) -> str:
    """The "from → to" line of ``entry``; ``names`` name criteria, nodes and groups by id, and
    ``problem_at`` gives the project at a revision, for what a project edit changed."""
    if entry.entity == "scenario":
        return _scenario(entry, names)
    if entry.entity == "project":
        return _project(entry, problem_at)
    return ""
