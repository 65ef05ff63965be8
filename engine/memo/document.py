"""The format-free memo document: a masthead, a title, the brief's blocks, then the technical annex.

A memo is built once from an :class:`engine.analysis.Analysis` and its
:class:`engine.recommendation.Recommendation` (see :mod:`engine.memo.compose`) and then handed to any
renderer. Every string here is plain text exactly as it should read; escaping for Markdown or HTML
is the renderer's job, so text from user files can never smuggle markup into the output.

The brief follows the layout of a 决策参考 (GB/T 9704 conventions where they apply): masthead with
issue number, issuing unit, date and a red rule; a title that states the judgement; 核心观点;
numbered sections; 落款; 版记. The annex (附件) starts on a new page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from engine.model import Lang


@dataclass(frozen=True)
class Masthead:
    """The red masthead: "决策参考", "第×期", the issuing unit, the date and an optional mark."""

    name: str
    issue: str = ""
    publisher: str = ""
    date: str = ""
    mark: str = ""  # e.g. "内部资料　注意保存"; printed above the masthead on the left


@dataclass(frozen=True)
class Title:
    """The brief's title, which states the judgement; ``subtitle`` is an optional second line."""

    text: str
    subtitle: str = ""


@dataclass(frozen=True)
class Heading:
    """A section heading; level 1 is "一、…" (黑体), level 2 is "（一）…" (楷体)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """Body text, optionally opened by a short bold ``lead`` ("一是", "主要举措：")."""

    text: str
    lead: str = ""


@dataclass(frozen=True)
class Bullets:
    """A list. ``style`` "plain" has no markers (the items carry their own leads such as 一是),
    "numbered" is 1. 2. 3., "bullet" is a dot (annex only)."""

    items: tuple[Paragraph, ...]
    style: Literal["plain", "numbered", "bullet"] = "bullet"


@dataclass(frozen=True)
class Table:
    """A bordered table; ``numeric`` marks right-aligned columns, ``widths`` are relative.

    Renderers keep a table's rows together and move a table that fits on one page to the next page
    rather than split it.
    """

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


@dataclass(frozen=True)
class Series:
    """One named row of numbers in a chart (a bar per label, or a line over ``Chart.x``)."""

    name: str
    values: tuple[float, ...]
    low: tuple[float, ...] = ()  # optional uncertainty band / error bar, same length as values
    high: tuple[float, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A chart described by its data, drawn by :mod:`engine.memo.charts` for each format.

    ``kind``: "first_shares" (horizontal bars of each measure's share of first places, the
    ranking with its uncertainty; without a robustness study the bars are the scores, with
    ``percent`` False and the range of each score in ``low``/``high``), "weights" (horizontal
    bars), "sensitivity" (lines of scores over one criterion's weight, ``x`` the weights,
    ``marker`` the current weight).
    ``alt`` is the text a screen reader or the Markdown rendering shows instead of the picture.
    """

    kind: Literal["first_shares", "weights", "sensitivity"]
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    caption: str
    alt: str
    x: tuple[float, ...] = ()
    marker: float | None = None
    axis: str = ""  # the value axis' label
    percent: bool = False  # values are shares in 0..1, shown as percentages


@dataclass(frozen=True)
class PageBreak:
    """The annex starts on a new page."""


@dataclass(frozen=True)
class Signature:
    """落款: the issuing unit and the date, right-aligned under the body."""

    lines: tuple[str, ...]


@dataclass(frozen=True)
class Colophon:
    """版记 at the foot of the brief's last page: lines between two rules (抄送, 印发)."""

    lines: tuple[str, ...]


B = TypeVar("B")
Block = Heading | Paragraph | Bullets | Table | Preformatted | Chart | PageBreak | Signature | Colophon


@dataclass(frozen=True)
class Memo:
    """The whole memo: ``brief`` (≤ 4 pages) then ``annex`` (after a page break, or a separate file).

    With ``annex_separate`` the annex is a document of its own: :attr:`blocks` is the brief alone
    and :meth:`annex_document` the annex, as a memo whose masthead name and title are empty
    (renderers draw no masthead, red rule or title for those).
    """

    lang: Lang
    date: dt.date
    masthead: Masthead
    title: Title
    brief: tuple[Block, ...]
    annex: tuple[Block, ...] = field(default=())
    annex_separate: bool = False

    @property
    def blocks(self) -> tuple[Block, ...]:
        """The brief, then (when there is one) a page break and the annex: what a renderer lays out."""
        if not self.annex or self.annex_separate:
            return self.brief
        return (*self.brief, PageBreak(), *self.annex)

    def annex_document(self) -> Memo | None:
        """The annex as a document of its own (None when there is no annex)."""
        if not self.annex:
            return None
        return Memo(
            lang=self.lang, date=self.date, masthead=Masthead(name=""), title=Title(text=""), brief=self.annex
        )

    def headings(self, level: int | None = None) -> tuple[str, ...]:
        """The heading texts in order (of one level, or all)."""
        return tuple(
            b.text for b in self.blocks if isinstance(b, Heading) and (level is None or b.level == level)
        )

    def find(self, kind: type[B], predicate: Callable[[B], bool] | None = None) -> tuple[B, ...]:
        """All blocks of one kind (optionally filtered), in order."""
        return tuple(b for b in self.blocks if isinstance(b, kind) and (predicate is None or predicate(b)))
