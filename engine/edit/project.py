"""A project's files as texts, and what an edit of them returns.

Every edit ends in :func:`checked`: the new texts go through the engine's own loader
(:func:`engine.load.problem_from_bytes`) under the files' labels, so a bad edit raises the same
:class:`~engine.errors.InputError` as a bad file would, and a good one comes with its validated
:class:`~engine.model.Problem`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from engine.edit.yamltext import YamlText
from engine.load import problem_from_bytes
from engine.model import Problem

FileKind = Literal["criteria", "catalogue", "evidence"]
KINDS: tuple[FileKind, ...] = ("criteria", "catalogue", "evidence")


@dataclass(frozen=True)
class TextFile:
    """One file: how messages name it, and its YAML text."""

    label: str
    text: str


@dataclass(frozen=True)
class ProjectFiles:
    """The criteria, catalogue and evidence texts of a project, and its weight presets."""

    criteria: TextFile
    catalogue: TextFile
    evidence: TextFile
    presets: tuple[TextFile, ...] = ()

    def file(self, kind: FileKind) -> TextFile:
        return {"criteria": self.criteria, "catalogue": self.catalogue, "evidence": self.evidence}[kind]

    def yaml(self, kind: FileKind) -> YamlText:
        return YamlText(self.file(kind).text)

    def with_text(self, kind: FileKind, text: YamlText | str) -> ProjectFiles:
        written = text.text if isinstance(text, YamlText) else text
        changed: dict[str, Any] = {kind: TextFile(self.file(kind).label, written)}
        return replace(self, **changed)

    def with_presets(self, texts: Mapping[str, str]) -> ProjectFiles:
        """The presets with new texts by label (the others unchanged)."""
        return replace(
            self, presets=tuple(TextFile(p.label, texts.get(p.label, p.text)) for p in self.presets)
        )

    def problem(self) -> Problem:
        """The validated problem of these texts (:func:`engine.load.problem_from_bytes`)."""

        def encoded(file: TextFile) -> tuple[bytes, str]:
            return file.text.encode("utf-8"), file.label

        return problem_from_bytes(
            encoded(self.criteria),
            encoded(self.catalogue),
            encoded(self.evidence),
            [encoded(preset) for preset in self.presets],
        )

    @classmethod
    def of(
        cls, files: Mapping[str, tuple[str, str]], presets: Mapping[str, str] | None = None
    ) -> ProjectFiles:
        """From ``{kind: (label, text)}`` and ``{label: text}`` of the presets."""
        main = {kind: TextFile(*files[kind]) for kind in KINDS}
        return cls(**main, presets=tuple(TextFile(label, text) for label, text in (presets or {}).items()))


@dataclass(frozen=True)
class Flag:
    """A pairwise judgment an edit of the criteria tree touched, for the analyst to look at.

    ``reason``: ``"dropped"`` (it named a criterion that was retired or moved away, or its node no
    longer has two children: it is gone from the file), ``"placeholder"`` (a pair the new tree
    needs, written as 1, equally important, until someone judges it) or ``"review"`` (kept, but
    its node's children changed, so the matrix it belongs to is not the one it was given in).
    """

    expert: str
    node: str
    a: str
    b: str
    value: float
    reason: Literal["dropped", "placeholder", "review"]


@dataclass(frozen=True)
class Edited:
    """The outcome of an edit: the new texts, their validated problem and the judgments to look at."""

    before: ProjectFiles
    after: ProjectFiles
    problem: Problem
    flagged: tuple[Flag, ...] = field(default=())

    @property
    def changed(self) -> dict[str, str]:
        """``{kind: new text}`` of the criteria, catalogue and evidence files the edit changed."""
        return {
            kind: self.after.file(kind).text
            for kind in KINDS
            if self.after.file(kind).text != self.before.file(kind).text
        }

    @property
    def changed_presets(self) -> dict[str, str]:
        """``{label: new text}`` of the presets the edit changed (a criterion added or retired)."""
        old = {preset.label: preset.text for preset in self.before.presets}
        return {p.label: p.text for p in self.after.presets if old.get(p.label) != p.text}


def checked(before: ProjectFiles, after: ProjectFiles, flagged: tuple[Flag, ...] = ()) -> Edited:
    """Validate the edited texts with the loader; an :class:`InputError` if they are not valid."""
    return Edited(before=before, after=after, problem=after.problem(), flagged=flagged)
