"""Render a memo as PDF with fpdf2 and the Noto CJK fonts of ``pylopdf-fonts-zh-cn``.

The fonts are OFL files installed with the package (Noto Serif SC for body text, Noto Sans SC for
headings, in the roles 仿宋 and 黑体 play in the Word version); they are embedded as subsets, so
nothing is downloaded and the PDF shows Chinese on any machine.

Body text is broken into lines here rather than by fpdf2, which knows no Chinese line-breaking
rules: a line never starts with a closing mark (，。）” …), never ends with an opening one, and
never splits a number or a Latin word.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos
from fpdf.fonts import FontFace

from engine.memo.blocks import Bullets, Heading, Memo, Paragraph, Preformatted, Table

SERIF, SANS = "memo-serif", "memo-sans"
RED = (192, 0, 0)
_CLOSING = set("，。、；：？！）》」』】〕’”…％%,.;:?!)]}·—")
_OPENING = set("（《「『【〔‘“([{")
_TOKEN = re.compile(
    r"\s+|[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’…—]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’…—]+"
)


@cache
def font_files() -> tuple[Path, Path]:
    """(serif, sans) font files shipped by ``pylopdf-fonts-zh-cn``."""
    import pylopdf_fonts_zh_cn as fonts

    serif, sans = Path(fonts.serif_path()), Path(fonts.sans_path())
    for path in (serif, sans):
        if not path.is_file():
            raise FileNotFoundError(f"the CJK font {path} is missing; reinstall pylopdf-fonts-zh-cn")
    return serif, sans


@dataclass(frozen=True)
class _Size:
    body: float = 11
    line: float = 1.75  # line pitch as a multiple of the font size
    h1: float = 14
    h2: float = 12
    title: float = 19
    masthead: float = 30
    table: float = 9
    code: float = 7.5


@dataclass
class _Token:
    font: str
    text: str
    space_before: bool


class _MemoPDF(FPDF):
    def __init__(self, memo: Memo) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.memo = memo
        self.size = _Size() if memo.lang == "zh" else _Size(body=11, line=1.5)
        self.alias_nb_pages(None)  # "{nb}" in an input text must stay literal
        serif, sans = font_files()
        self.add_font(SERIF, fname=str(serif))
        self.add_font(SANS, fname=str(sans))
        self.set_margins(left=25, top=25, right=22)
        self.set_auto_page_break(auto=True, margin=22)
        self.set_lang("zh-CN" if memo.lang == "zh" else "en")
        self.set_title(memo.title.text)
        self.set_author("policyrank")
        self.set_creator("policyrank")
        self.set_creation_date(dt.datetime.combine(memo.date, dt.time(0, 0), tzinfo=dt.UTC))

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(SERIF, size=9)
        number = str(self.page_no())
        self.cell(0, 6, f"— {number} —" if self.memo.lang == "zh" else number, align="C")

    # --------------------------------------------------------------------- text flow

    def line_height(self, size: float) -> float:
        return size * self.size.line * 0.3528  # points to millimetres

    def tokens(self, font: str, text: str, space: bool = False) -> Iterator[_Token]:
        """Words, numbers and single CJK characters; ``space`` says a space precedes ``text``."""
        for piece in _TOKEN.findall(text):
            if piece.isspace():
                space = True
                continue
            yield _Token(font, piece, space)
            space = False

    def flow(
        self,
        fragments: list[tuple[str, str]],
        *,
        size: float,
        indent: float = 0,
        first_indent: float = 0,
        align: str = "L",
        color: tuple[int, int, int] = (0, 0, 0),
    ) -> None:
        """Write fragments ``(font, text)`` as one paragraph, breaking lines by CJK rules."""
        tokens: list[_Token] = []
        for index, (font, text) in enumerate(fragments):
            # "Position: " + "ranked 1 of 7": the space ending one fragment separates it from the next
            after_space = index > 0 and fragments[index - 1][1][-1:].isspace()
            tokens += self.tokens(font, text, after_space)
        # glue closing marks to what precedes them and opening marks to what follows
        glued: list[_Token] = []
        for token in tokens:
            if (
                glued
                and not token.space_before
                and token.text[0] in _CLOSING
                and glued[-1].font == token.font
            ):
                glued[-1] = _Token(token.font, glued[-1].text + token.text, glued[-1].space_before)
            elif (
                glued
                and not token.space_before
                and glued[-1].font == token.font
                and (glued[-1].text[-1] in _OPENING or glued[-1].text[-1].isdigit())
            ):
                # an opening mark stays with what it opens, a number with its unit ("8分")
                glued[-1] = _Token(token.font, glued[-1].text + token.text, glued[-1].space_before)
            else:
                glued.append(token)
        height = self.line_height(size)
        full = self.epw - indent
        lines: list[list[_Token]] = [[]]
        used = first_indent
        for token in glued:
            self.set_font(token.font, size=size)
            width = self.get_string_width(token.text)
            gap = self.get_string_width(" ") if token.space_before and lines[-1] else 0
            limit = full - (first_indent if len(lines) == 1 else 0)
            if lines[-1] and used + gap + width > full:
                lines.append([])
                used, gap = 0, 0
                limit = full
            while width > limit and len(token.text) > 1:  # a word longer than a line: split it
                cut = len(token.text)
                while cut > 1 and self.get_string_width(token.text[:cut]) > limit - used:
                    cut -= 1
                lines[-1].append(_Token(token.font, token.text[:cut], token.space_before and bool(lines[-1])))
                lines.append([])
                token = _Token(token.font, token.text[cut:], False)
                width, used, limit = self.get_string_width(token.text), 0, full
            lines[-1].append(_Token(token.font, token.text, token.space_before and bool(lines[-1])))
            used += gap + width
        self.set_text_color(*color)
        for number, line in enumerate(lines):
            if self.will_page_break(height):
                self.add_page()
            offset = indent + (first_indent if number == 0 else 0)
            runs: list[tuple[str, str]] = []
            for token in line:
                text = (" " if token.space_before else "") + token.text
                if runs and runs[-1][0] == token.font:
                    runs[-1] = (token.font, runs[-1][1] + text)
                else:
                    runs.append((token.font, text))
            widths = []
            for font, text in runs:
                self.set_font(font, size=size)
                widths.append(self.get_string_width(text))
            if align == "C":
                offset = indent + (full - sum(widths)) / 2
            self.set_x(self.l_margin + offset)
            for (font, text), width in zip(runs, widths, strict=True):
                self.set_font(font, size=size)
                self.cell(width, height, text, new_x=XPos.RIGHT, new_y=YPos.TOP)
            self.ln(height)
        self.set_text_color(0, 0, 0)

    # ------------------------------------------------------------------------- blocks

    def masthead(self) -> None:
        title = self.memo.title
        self.flow([(SANS, title.masthead)], size=self.size.masthead, align="C", color=RED)
        self.set_draw_color(*RED)
        self.set_line_width(0.8)
        y = self.get_y() + 1
        self.line(self.l_margin, y, self.l_margin + self.epw, y)
        self.set_draw_color(0, 0, 0)
        self.set_line_width(0.2)
        self.ln(6)
        self.flow([(SANS, title.text)], size=self.size.title, align="C")
        self.ln(1)
        self.flow([(SERIF, title.byline)], size=self.size.body - 1, align="C")
        self.ln(4)

    def heading(self, block: Heading) -> None:
        size = self.size.h1 if block.level <= 1 else self.size.h2
        height = self.line_height(size)
        # keep a heading with at least two lines of what follows
        if self.will_page_break(height + 2 * self.line_height(self.size.body) + 4):
            self.add_page()
        else:
            self.ln(3 if block.level <= 1 else 1.5)
        self.flow([(SANS, block.text)], size=size)

    def paragraph(self, block: Paragraph, *, indent: float = 0, bullet: bool = False) -> None:
        size = self.size.body
        fragments = []
        if block.lead:
            fragments.append((SANS, block.lead))
        if block.text:
            fragments.append((SERIF, block.text))
        if not fragments:
            return
        if bullet:
            height = self.line_height(size)
            if self.will_page_break(height):
                self.add_page()
            self.set_font(SANS, size=size)
            self.set_x(self.l_margin + indent - 4)
            self.cell(4, height, "•", new_x=XPos.RIGHT, new_y=YPos.TOP)
            self.set_x(self.l_margin)
            self.flow(fragments, size=size, indent=indent)
            return
        first = 2 * size * 0.3528 if self.memo.lang == "zh" and not block.lead.endswith(" ") else 0
        self.flow(fragments, size=size, indent=indent, first_indent=first)

    def draw_table(self, block: Table) -> None:
        size = self.size.table
        if block.caption:
            if self.will_page_break(self.line_height(size) * 4):
                self.add_page()
            self.ln(2)
            self.flow([(SANS, block.caption)], size=size + 0.5, align="C")
        columns = len(block.header)
        shares = list(block.widths) if len(block.widths) == columns else [1.0] * columns
        numeric = list(block.numeric) + [False] * (columns - len(block.numeric))
        self.set_font(SERIF, size=size)
        with self.table(
            col_widths=shares,
            width=self.epw,
            text_align=tuple("RIGHT" if right else "LEFT" for right in numeric),
            headings_style=FontFace(family=SANS, size_pt=size, fill_color=(242, 242, 242)),
            line_height=size * 0.3528 * 1.45,
            padding=1.2,
            wrapmode=WrapMode.CHAR,
            repeat_headings=1,
        ) as table:
            for cells in (block.header, *block.rows):
                row = table.row()
                for text in cells:
                    row.cell(text)
        self.ln(3)

    def draw_code(self, block: Preformatted) -> None:
        size = self.size.code
        height = size * 0.3528 * 1.4
        self.set_font(SANS, size=size)
        self.set_fill_color(246, 246, 246)
        self.ln(1)
        for line in block.text.rstrip("\n").split("\n"):
            if self.will_page_break(height):
                self.add_page()
            self.multi_cell(
                0, height, line or " ", fill=True, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
        self.ln(3)


def render_pdf(memo: Memo) -> bytes:
    """The memo as a PDF (bytes) with the CJK fonts embedded."""
    pdf = _MemoPDF(memo)
    pdf.add_page()
    pdf.masthead()
    for block in memo.blocks:
        if isinstance(block, Heading):
            pdf.heading(block)
        elif isinstance(block, Paragraph):
            pdf.paragraph(block)
            pdf.ln(1)
        elif isinstance(block, Bullets):
            for item in block.items:
                pdf.paragraph(item, indent=6, bullet=True)
            pdf.ln(1)
        elif isinstance(block, Table):
            pdf.draw_table(block)
        elif isinstance(block, Preformatted):
            pdf.draw_code(block)
    return bytes(pdf.output())
