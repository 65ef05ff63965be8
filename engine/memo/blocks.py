"""The format-free memo: a title and a flat sequence of typed blocks.

A memo is built once from an :class:`engine.analysis.Analysis` (see :mod:`engine.memo.build`) and
then handed to any renderer. Every string here is plain text exactly as it should read; escaping
for Markdown or HTML is the renderer's job, so text from user files can never smuggle markup into
the output.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from engine.model import Lang


@dataclass(frozen=True)
class Title:
    """The masthead ("决策参考"), the title and the line under it (date, source)."""

    masthead: str
    text: str
    byline: str


@dataclass(frozen=True)
class Heading:
    """A section heading; level 1 is "一、…", level 2 is "（一）…"."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """Body text, optionally opened by a short bold ``lead`` ("主要举措：")."""

    text: str
    lead: str = ""


@dataclass(frozen=True)
class Bullets:
    items: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Table:
    """A bordered table; ``numeric`` marks right-aligned columns, ``widths`` are relative."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    numeric: tuple[bool, ...] = ()
    widths: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.header):
                raise ValueError(f"table row {row!r} has {len(row)} cells, the header {len(self.header)}")


@dataclass(frozen=True)
class Preformatted:
    """Text whose line breaks and indentation matter (YAML, a shell command)."""

    text: str
    syntax: str = ""  # "yaml", "shell" or "" (a hint for Markdown fences)


B = TypeVar("B")
Block = Heading | Paragraph | Bullets | Table | Preformatted


@dataclass(frozen=True)
class Memo:
    lang: Lang
    date: dt.date
    title: Title
    blocks: tuple[Block, ...]

    def headings(self, level: int | None = None) -> tuple[str, ...]:
        """The heading texts in order (of one level, or all)."""
        return tuple(
            b.text for b in self.blocks if isinstance(b, Heading) and (level is None or b.level == level)
        )

    def find(self, kind: type[B], predicate: Callable[[B], bool] | None = None) -> tuple[B, ...]:
        """All blocks of one kind (optionally filtered), in order."""
        return tuple(b for b in self.blocks if isinstance(b, kind) and (predicate is None or predicate(b)))
