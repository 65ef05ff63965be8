"""Edits of the countermeasure catalogue: scores, new countermeasures, names, retiring.

A retired countermeasure keeps its entry and scores in the file with ``retired: true``: the loader
leaves it out of the ranking (:attr:`engine.model.Problem.retired`) and it can be brought back
with :func:`retire_countermeasure` ``(…, retired=False)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.edit.project import Edited, ProjectFiles, checked
from engine.edit.yamltext import YamlText
from engine.model import Text
from engine.text.messages import coded


def text_value(text: Text) -> dict[str, str]:
    """A bilingual text as the files write it."""
    return {"zh": text.zh, "en": text.en}


@dataclass(frozen=True)
class ScoreEdit:
    """A countermeasure's new score on a leaf criterion, with its reason and evidence fact ids.

    ``low`` and ``high`` give a range (both or neither); ``estimate`` marks an analyst's estimate.
    """

    measure: str
    criterion: str
    value: float
    why: Text
    evidence: tuple[str, ...]
    low: float | None = None
    high: float | None = None
    estimate: bool = False

    def entry(self) -> dict[str, Any]:
        written: dict[str, Any] = {"value": self.value}
        if self.low is not None or self.high is not None:
            written |= {"low": self.low, "high": self.high}
        if self.estimate:
            written["estimate"] = True
        return written | {"why": text_value(self.why), "evidence": list(self.evidence)}


def measure_index(document: YamlText, source: str, measure: str) -> int:
    """Where ``measure`` is in the catalogue's list (retired ones included)."""
    items = document.value(["countermeasures"]) or []
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("id") == measure:
            return index
    raise coded(source, "countermeasures", "unknown_measure", id=measure)


def _edited_catalogue(files: ProjectFiles, document: YamlText) -> Edited:
    return checked(files, files.with_text("catalogue", document))


def set_scores(files: ProjectFiles, edits: Iterable[ScoreEdit]) -> Edited:
    """Several scores at once (one revision): each replaces the whole score entry."""
    document = files.yaml("catalogue")
    source = files.catalogue.label
    for edit in edits:
        index = measure_index(document, source, edit.measure)
        document = document.set(["countermeasures", index, "scores", edit.criterion], edit.entry())
    return _edited_catalogue(files, document)


def set_score(
    files: ProjectFiles,
    measure: str,
    criterion: str,
    *,
    value: float,
    why: Text,
    evidence: Sequence[str],
    low: float | None = None,
    high: float | None = None,
    estimate: bool = False,
) -> Edited:
    """The score of ``measure`` on the leaf ``criterion`` becomes ``value`` with its reason and evidence."""
    edit = ScoreEdit(measure, criterion, value, why, tuple(evidence), low, high, estimate)
    return set_scores(files, [edit])


def add_countermeasure(files: ProjectFiles, entry: Mapping[str, Any]) -> Edited:
    """Append a countermeasure written as the catalogue writes one (id, name, short, summary,
    actions, scores, optional lead_unit and timeframe; see docs/formats.md)."""
    document = files.yaml("catalogue").append(["countermeasures"], dict(entry))
    return _edited_catalogue(files, document)


def rename_countermeasure(files: ProjectFiles, measure: str, name: Text, short: Text | None = None) -> Edited:
    """New full name (and short label for charts, when given); the id stays."""
    document = files.yaml("catalogue")
    index = measure_index(document, files.catalogue.label, measure)
    document = document.set(["countermeasures", index, "name"], text_value(name))
    if short is not None:
        document = document.set(["countermeasures", index, "short"], text_value(short))
    return _edited_catalogue(files, document)


def retire_countermeasure(files: ProjectFiles, measure: str, *, retired: bool = True) -> Edited:
    """Leave ``measure`` out of the ranking (``retired: true``), or bring it back."""
    document = files.yaml("catalogue")
    index = measure_index(document, files.catalogue.label, measure)
    path: list[str | int] = ["countermeasures", index, "retired"]
    if retired:
        document = document.set(path, True)
    elif document.has(path):
        document = document.delete(path)
    return _edited_catalogue(files, document)
