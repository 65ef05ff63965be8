"""What the DOCX and PDF renderers share: the page, the type sizes and line pitches, inline code.

Chinese memos follow GB/T 9704 (党政机关公文格式): A4, margins 37 mm top, 35 mm bottom, 28 mm left
and 26 mm right (a 156 x 225 mm text block), body in 三号 (16 pt) on an exact 28 pt line pitch,
so 22 lines a page; the title in 二号 (22 pt); page numbers in 四号 (14 pt) as "— 1 —", 7 mm below
the text block, on the right of odd pages and the left of even ones. English memos keep the page
and the structure with Western sizes (12 pt on 18 pt).

Both renderers read sizes from one :class:`Look` so that a page break falls in the same place in
Word, LibreOffice and the PDF.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from engine.memo.document import Table
from engine.model import Lang

MM_PER_PT = 25.4 / 72
A4 = (210.0, 297.0)


@dataclass(frozen=True)
class Look:
    """Page geometry (mm) and type (pt) of one language's memo."""

    language: str  # the document language tag
    margins: tuple[float, float, float, float]  # top, bottom, left, right (mm)
    body: float
    pitch: float  # exact line pitch of body text
    indent_chars: int  # first-line indent of body paragraphs, in characters
    after: float  # space after a body paragraph
    justify: bool
    masthead: float
    masthead_pitch: float
    info: float  # the issue / publisher / date line under the masthead
    title: float
    title_pitch: float
    subtitle: float
    headings: tuple[float, float, float]  # levels 1, 2, 3+
    heading_before: tuple[float, float, float]
    heading_bold: bool
    caption: float
    caption_pitch: float
    table: tuple[float, float]  # narrow tables, wide tables (five columns or more)
    code: float
    code_pitch: float
    colophon: float
    colophon_pitch: float
    footer: float
    footer_gap: float  # mm between the text block and the page number
    mirrored_numbers: bool  # odd pages right, even pages left (公文), else centred
    cell_padding: tuple[float, float] = (0.8, 1.5)  # mm: top/bottom, left/right

    @property
    def text_width(self) -> float:
        return A4[0] - self.margins[2] - self.margins[3]

    @property
    def text_height(self) -> float:
        return A4[1] - self.margins[0] - self.margins[1]

    @property
    def indent(self) -> float:
        """First-line indent in points."""
        return self.indent_chars * self.body

    def table_size(self, table: Table) -> float:
        return self.table[0] if len(table.header) <= 4 else self.table[1]

    @staticmethod
    def table_pitch(size: float) -> float:
        return round(size * 1.4, 1)

    def page_number(self, number: int) -> str:
        return f"— {number} —" if self.mirrored_numbers else str(number)


LOOKS: dict[Lang, Look] = {
    "zh": Look(
        language="zh-CN",
        margins=(37, 35, 28, 26),
        body=16,
        pitch=28,
        indent_chars=2,
        after=0,
        justify=True,
        masthead=42,
        masthead_pitch=54,
        info=14,
        title=22,
        title_pitch=33,
        subtitle=16,
        headings=(16, 16, 16),
        heading_before=(0, 0, 0),
        heading_bold=False,  # 黑体 and 楷体 carry the weight themselves
        caption=14,
        caption_pitch=22,
        table=(12, 10.5),
        code=8.5,
        code_pitch=12,
        colophon=14,
        colophon_pitch=24,
        footer=14,
        footer_gap=7,
        mirrored_numbers=True,
    ),
    "en": Look(
        language="en-US",
        margins=(30, 28, 26, 24),
        body=12,
        pitch=17,
        indent_chars=0,
        after=5,
        justify=False,
        masthead=28,
        masthead_pitch=36,
        info=11,
        title=18,
        title_pitch=24,
        subtitle=13,
        headings=(13.5, 12, 12),
        heading_before=(10, 6, 4),
        heading_bold=True,
        caption=11,
        caption_pitch=15,
        table=(10.5, 9.5),
        code=8.5,
        code_pitch=11.5,
        colophon=11,
        colophon_pitch=18,
        footer=11,
        footer_gap=7,
        mirrored_numbers=False,
    ),
}

# `policyrank memo --robustness` in running text: shown in a code face, never with its backticks.
_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def spans(text: str) -> list[tuple[bool, str]]:
    """``text`` cut into (is_code, piece): paired backticks mark inline code and are dropped."""
    out: list[tuple[bool, str]] = []
    last = 0
    for match in _CODE_SPAN.finditer(text):
        if match.start() > last:
            out.append((False, text[last : match.start()]))
        out.append((True, match.group(1)))
        last = match.end()
    if last < len(text) or not out:
        out.append((False, text[last:]))
    return out


def is_wide(char: str) -> bool:
    """A character set one em wide: CJK ideographs, kana, hangul, full-width forms and punctuation."""
    return unicodedata.east_asian_width(char) in "WF"


def estimate_width(text: str, size: float) -> float:
    """Rough width in mm of ``text`` at ``size`` pt: a wide character is an em, others half."""
    ems = sum(1.0 if is_wide(c) else 0.5 for c in text)
    return ems * size * MM_PER_PT


def estimate_lines(text: str, size: float, width: float) -> int:
    """How many lines ``text`` takes in a column ``width`` mm wide (at least one)."""
    return sum(max(1, math.ceil(estimate_width(line, size) / max(width, 1.0))) for line in text.split("\n"))


def column_widths(table: Table, total: float) -> list[float]:
    """Each column's width in mm: the table's relative ``widths``, or equal shares."""
    columns = len(table.header)
    shares = list(table.widths) if len(table.widths) == columns and sum(table.widths) > 0 else [1.0] * columns
    return [total * share / sum(shares) for share in shares]


def numeric_columns(table: Table) -> list[bool]:
    return list(table.numeric[: len(table.header)]) + [False] * (len(table.header) - len(table.numeric))


def split_colophon_line(line: str) -> tuple[str, str]:
    """A 版记 line's left and right parts: "武汉市发展研究中心　　2025年3月4日印发" sets the
    印发机关 on the left and the date on the right, as GB/T 9704 places them."""
    match = re.search(r"\u3000{2,}", line)
    if match is None:
        return line, ""
    return line[: match.start()], line[match.end() :]
