"""The memo as PDF (fpdf2), laid out as the Word document is: same page, sizes, breaks and rules.

Text is set here rather than by fpdf2, which knows neither Chinese line-breaking rules nor mixed
scripts: every character goes to the face of its script (Chinese to 仿宋/黑体/楷体/小标宋 or their
Noto stand-ins, Latin letters and digits to a Times-like face), quotation marks and dashes follow
the script around them, a line never starts with a closing mark (，。）”) nor ends with an opening
one, Latin words break only at spaces and hyphens, and Chinese lines are justified.

Pages are filled the way Word fills them: exact line pitch, widow and orphan control, a heading
kept with what follows, table rows never split and a table that fits on a page kept on one (its
caption with it), a chart kept with its caption, the annex on a new page, page numbers "— 1 —"
right on odd pages and left on even ones. Charts are vector (SVG with real text in an embedded
font). Fonts hold only the memo's characters (see :mod:`engine.memo.render.fonts`).
"""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TextMode

from engine.memo import charts
from engine.memo.document import (
    Block,
    Bullets,
    Chart,
    Colophon,
    Heading,
    Masthead,
    Memo,
    PageBreak,
    Paragraph,
    Preformatted,
    Signature,
    Table,
)
from engine.memo.render import fonts
from engine.memo.render.layout import (
    A4,
    LOOKS,
    MM_PER_PT,
    Look,
    column_widths,
    is_wide,
    numeric_columns,
    spans,
    split_colophon_line,
)

PT = 1 / MM_PER_PT  # points per millimetre
Colour = tuple[int, int, int]
BLACK: Colour = (0, 0, 0)
RED: Colour = (192, 0, 0)
ROLES = ("body", "heading", "kai", "title", "latin", "latin_bold", "mono")
OUTLINE = 0.032  # stroke of a synthetic bold, in ems
_CLOSING = set("，。、；：？！）》」』】〕〗’”％%,.;:?!)]}·")
_OPENING = set("（《「『【〔〖‘“([{")
_PAIRED = set("—…")  # "——" and "……" never split
_HANGING = set("，。、；：？！）》」』】〕”’")  # may hang past the right margin at a line's end
_EPSILON = 0.01
AUTOSPACE = 0.25  # ems between Chinese and Latin text, as Word's autoSpaceDE/autoSpaceDN
DESCENT = 0.24  # ems from the baseline to the foot of a line: Word sets text low in an exact pitch
BORDER = 0.5  # a table rule's width, which Word adds to each row
# SVG import builds a drawing out of the chart once per process; drawing it changes its transform
_SVG_LOCK = threading.Lock()


@dataclass(frozen=True)
class Style:
    cjk: str  # font role for Chinese characters
    latin: str  # font role for Latin text
    size: float
    bold: bool = False
    colour: Colour = BLACK


@dataclass
class _Piece:
    role: str
    text: str
    size: float
    outline: bool
    colour: Colour
    width: float
    cjk: bool  # Chinese characters: justification spreads them, never Latin letters
    x: float = 0.0  # from the line's start


@dataclass
class _Token:
    pieces: list[_Piece]
    space: float = 0.0  # the width of a space before it, if one was there
    newline: bool = False  # a line break in the text comes before it

    @property
    def width(self) -> float:
        return _width(self.pieces)

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)


def _width(pieces: list[_Piece]) -> float:
    return sum(p.width for p in pieces)


@dataclass
class _Line:
    pieces: list[_Piece]
    width: float
    last: bool  # the paragraph's last line, or one ended by a line break: not justified


@dataclass
class _Row:
    """An unbreakable slice of the page."""

    height: float
    draw: Callable[[float], None]  # draws with its top at y


@dataclass
class _Box:
    """A block's rows with the rules that decide where a page may break."""

    rows: list[_Row]
    keep_together: bool = False
    keep_with_next: bool = False
    widows: bool = True  # at least two lines at the foot and at the head of a page
    page_break: bool = False
    before: float = 0.0
    after: float = 0.0
    repeat: _Row | None = None  # a table's header, drawn again at the top of each page
    text: bool = False  # body text (a 落款 is kept with it)

    @property
    def height(self) -> float:
        return self.before + sum(r.height for r in self.rows) + self.after

    def first(self, page: float) -> float:
        """The least height that must fit where the box starts."""
        if self.keep_together and self.height <= page:
            return self.height
        count = len(self.rows)
        # a paragraph of three lines or fewer cannot break under widow and orphan control
        lines = count if self.widows and count <= 3 else min(count, 2)
        return self.before + sum(r.height for r in self.rows[:lines])


# ------------------------------------------------------------------------------------- scripts


@functools.lru_cache(maxsize=8192)
def _kind(char: str) -> str:
    """ "c" a Chinese (wide) character, "l" Latin, "a" punctuation either script uses, " " a space,
    "x" a control character (not drawn)."""
    if char in "\n\t" or (char.isspace() and char != "\u3000"):
        return " "
    if unicodedata.category(char) == "Cc":
        return "x"
    if is_wide(char):
        return "c"
    if unicodedata.east_asian_width(char) == "A" and unicodedata.category(char)[0] in "PS":
        return "a"
    return "l"


def _scripts(text: str, zh: bool) -> list[str]:
    """Each character's script; "either" marks take the script around them (“”—… in Chinese
    text are set full-width, in Latin text they are Latin)."""
    kinds = [_kind(c) for c in text]
    for i, kind in enumerate(kinds):
        if kind != "a":
            continue
        if not zh:
            kinds[i] = "l"
            continue
        before = next((k for k in reversed(kinds[:i]) if k in "cl"), "")
        after = next((k for k in kinds[i + 1 :] if k in "cl"), "")
        category = unicodedata.category(text[i])
        if category in ("Ps", "Pi"):
            near = after or before
        elif category in ("Pe", "Pf"):
            near = before or after
        else:
            near = "c" if "c" in (before, after) else (before or after)
        kinds[i] = near or "c"
    return kinds


# ------------------------------------------------------------------------------------ the PDF


class _PDF(FPDF):
    def __init__(self, memo: Memo, look: Look) -> None:
        super().__init__(orientation="portrait", unit="pt", format="A4")
        self.memo, self.look = memo, look
        top, _, left, right = (m * PT for m in look.margins)
        self.set_margins(left=left, top=top, right=right)
        self.set_auto_page_break(False)  # pages are filled by _Pager
        self.alias_nb_pages(None)  # type: ignore[arg-type]  # "{nb}" in an input text must stay literal
        self.set_lang(look.language)
        self.set_title(memo.title.text or memo.masthead.name)
        self.set_author("policyrank")
        self.set_creator("policyrank")
        self.set_creation_date(dt.datetime.combine(memo.date, dt.time(0, 0), tzinfo=dt.UTC))
        self.typesetter: _Typesetter | None = None

    def footer(self) -> None:
        """The page number: 四号 "— 1 —" 7 mm under the text block, odd pages right, even left."""
        if self.typesetter is None:
            return
        look = self.look
        style = Style("body", "latin", look.footer)
        line = self.typesetter.line([(style, look.page_number(self.page_no()))])
        top = (A4[1] - look.margins[1] + look.footer_gap) * PT
        if not look.mirrored_numbers:
            x = self.l_margin + (self.epw - line.width) / 2
        elif self.page_no() % 2:
            x = self.l_margin + self.epw - look.footer - line.width
        else:
            x = self.l_margin + look.footer
        self.typesetter.draw(line, x, top, look.footer * 1.3)


class _Typesetter:
    """Breaks text into lines and draws them, in the memo's small fonts."""

    def __init__(self, pdf: _PDF, faces: dict[str, fonts.FontFile], zh: bool) -> None:
        self.pdf, self.zh = pdf, zh
        self.faces = faces
        self.families: dict[str, str] = {}  # fpdf2's name for each role's font, once the fonts are made
        self.coverage = {role: fonts.coverage(face) for role, face in faces.items()}
        self._advance: dict[tuple[str, str], float] = {}
        self.used: dict[str, set[int]] = {role: {0x20} for role in faces}  # what each face must hold
        self._roles: dict[tuple[Style, str, str], tuple[str, bool]] = {}

    def advance(self, role: str, char: str) -> float:
        """A character's advance at 1 pt (HarfBuzz's, which the small fonts carry too)."""
        key = (role, char)
        if key not in self._advance:
            self._advance[key] = fonts.advance(self.faces[role], ord(char))
        return self._advance[key]

    def _role(self, style: Style, script: str, char: str) -> tuple[str, bool]:
        """The face for one character and whether to outline it (a bold it has no face for)."""
        key = (style, script, char)
        if key not in self._roles:
            self._roles[key] = self._find_role(style, script, char)
        return self._roles[key]

    def _find_role(self, style: Style, script: str, char: str) -> tuple[str, bool]:
        latin = "latin_bold" if style.bold and style.latin == "latin" else style.latin
        role = style.cjk if script == "c" else latin
        code = ord(char)
        if code not in self.coverage[role]:
            other = latin if role == style.cjk else style.cjk
            if code in self.coverage[other]:
                role = other
        outline = self.faces[role].synthetic_bold or (style.bold and role == style.cjk)
        return role, outline

    def tokens(self, fragments: list[tuple[Style, str]]) -> list[_Token]:
        """Unbreakable units: a Latin word, a Chinese character, with their marks glued on."""
        out: list[_Token] = []
        word: list[_Piece] = []
        space = 0.0
        newline = False
        last: _Piece | None = None

        def flush() -> None:
            nonlocal word, space, newline
            if word:
                out.append(_Token(word, space, newline))
                word, space, newline = [], 0.0, False

        def add(
            piece_list: list[_Piece], role: str, char: str, style: Style, outline: bool, cjk: bool
        ) -> None:
            nonlocal last
            self.used[role].add(ord(char))
            width = self.advance(role, char) * style.size
            tail = piece_list[-1] if piece_list else None
            if tail and _same(tail, role, style.size, outline, style.colour, cjk):
                tail.text += char
                tail.width += width
            else:
                piece_list.append(_Piece(role, char, style.size, outline, style.colour, width, cjk))
            last = piece_list[-1]

        for style, text in fragments:
            for is_code, chunk in spans(text):
                current = replace(style, latin="mono", size=round(style.size * 0.86, 2)) if is_code else style
                for char, script in zip(chunk, _scripts(chunk, self.zh), strict=True):
                    if script == "x":
                        continue
                    if script == " ":
                        flush()
                        if char == "\n":
                            newline = True
                        elif last is not None:  # spaces add up, as in Word
                            space += self.advance(last.role, " ") * last.size
                        continue
                    role, outline = self._role(current, script, char)
                    if script == "c":
                        flush()
                        add(word, role, char, current, outline, True)
                        flush()
                        continue
                    add(word, role, char, current, outline, False)
                    if char == "-" and len(word[-1].text) > 1:
                        flush()  # a hyphenated word may break after its hyphen
        flush()
        return self._glue(out)

    @staticmethod
    def _glue(tokens: list[_Token]) -> list[_Token]:
        """Closing marks stay with what they close, opening marks with what they open."""
        glued: list[_Token] = []
        for token in tokens:
            if glued and not token.space and not token.newline:
                previous = glued[-1]
                head, tail = token.text[:1], previous.text[-1:]
                if head in _CLOSING or tail in _OPENING or (head in _PAIRED and head == tail):
                    previous.pieces += token.pieces
                    continue
            glued.append(token)
        return glued

    def lines(
        self, fragments: list[tuple[Style, str]], width: float, first_width: float | None = None
    ) -> list[_Line]:
        """Greedy line filling; a token wider than a line is cut between characters."""
        lines: list[_Line] = []
        current: list[_Piece] = []
        used = 0.0
        limit = width if first_width is None else first_width

        def close(last: bool) -> None:
            nonlocal current, used, limit
            lines.append(_Line(_merge(current), used, last))
            current, used, limit = [], 0.0, width

        for token in self.tokens(fragments):
            if token.newline and (current or lines):
                close(True)
            gap = token.space if current else 0.0
            if current and not gap and _autospace(current[-1].text[-1], token.pieces[0].text[0]):
                gap = AUTOSPACE * token.pieces[0].size
            hang = self._hang(token)
            if current and used + gap + token.width - hang > limit + _EPSILON:
                close(False)
                gap = 0.0
            pieces = token.pieces
            # only on an empty line: a word longer than the line is cut where it must be
            too_long = _width(pieces) - hang > limit - used + _EPSILON
            while (
                too_long and _width(pieces) > limit - used + _EPSILON and sum(len(p.text) for p in pieces) > 1
            ):
                head, pieces = self._cut(pieces, limit - used)
                self._place(current, head, used, gap)
                used += gap + _width(head)
                close(False)
                gap = 0.0
            self._place(current, pieces, used, gap)
            used += gap + _width(pieces)
        if current or not lines:
            close(True)
        else:
            lines[-1].last = True
        return lines

    def _hang(self, token: _Token) -> float:
        """How far a closing mark ending ``token`` may stand past the margin (Word's overflowPunct)."""
        piece = token.pieces[-1]
        char = piece.text[-1]
        return self.advance(piece.role, char) * piece.size if char in _HANGING else 0.0

    def _cut(self, pieces: list[_Piece], room: float) -> tuple[list[_Piece], list[_Piece]]:
        """The characters that fit in ``room`` (at least one), and the rest."""
        head: list[_Piece] = []
        used = 0.0
        for index, piece in enumerate(pieces):
            taken = 0.0
            for cut, char in enumerate(piece.text):
                step = self.advance(piece.role, char) * piece.size
                if used + step > room + _EPSILON and (head or cut):
                    if cut:
                        head.append(replace(piece, text=piece.text[:cut], width=taken))
                    rest = replace(piece, text=piece.text[cut:], width=piece.width - taken)
                    return head, [rest, *pieces[index + 1 :]]
                used += step
                taken += step
            head.append(piece)
        return head, []

    @staticmethod
    def _place(line: list[_Piece], pieces: list[_Piece], at: float, gap: float) -> None:
        x = at + gap
        for piece in pieces:  # pieces are made afresh for each call of tokens(): placing moves them
            piece.x = x
            line.append(piece)
            x += piece.width

    def line(self, fragments: list[tuple[Style, str]]) -> _Line:
        """One line of text (a page number, a masthead), however long."""
        return self.lines(fragments, float("inf"))[0] if fragments else _Line([], 0.0, True)

    def draw(
        self, line: _Line, x: float, top: float, pitch: float, *, justify_to: float | None = None
    ) -> None:
        """Draw ``line`` from ``x`` in a line box ``pitch`` high; spread it to ``justify_to`` wide.

        Justification widens the gaps between Chinese characters and between runs (words, spaces,
        scripts), never the letters of a Latin word.
        """
        pdf = self.pdf
        spacing = 0.0
        pieces = line.pieces
        if justify_to is not None and not line.last and pieces:
            gaps = sum(len(p.text) - 1 for p in pieces if p.cjk) + len(pieces) - 1
            extra = justify_to - line.width
            if gaps > 0 and 0 < extra <= 4 * pieces[0].size:
                spacing = extra / gaps
        size = max((p.size for p in pieces), default=0.0)
        baseline = top + pitch - size * DESCENT
        shift = 0.0
        for piece in pieces:
            pdf.set_font(self.families[piece.role], size=piece.size)
            pdf.set_text_color(*piece.colour)
            pdf.set_char_spacing(spacing if piece.cjk else 0.0)
            at = x + piece.x + shift
            if piece.outline:
                # the render mode outlives BT/ET: a saved graphics state keeps it to this run
                with pdf.local_context(
                    text_mode=TextMode.FILL_STROKE, line_width=piece.size * OUTLINE, draw_color=piece.colour
                ):
                    pdf.text(at, baseline, piece.text)
            else:
                pdf.text(at, baseline, piece.text)
            shift += spacing * (len(piece.text) if piece.cjk else 1)
        pdf.set_char_spacing(0)
        pdf.set_text_color(*BLACK)
        pdf.set_draw_color(*BLACK)


def _same(piece: _Piece, role: str, size: float, outline: bool, colour: Colour, cjk: bool) -> bool:
    return (piece.role, piece.size, piece.outline, piece.colour, piece.cjk) == (
        role,
        size,
        outline,
        colour,
        cjk,
    )


def _merge(pieces: list[_Piece]) -> list[_Piece]:
    """Adjacent runs in one face become one (fewer text operators); words apart stay apart."""
    merged: list[_Piece] = []
    for piece in pieces:
        tail = merged[-1] if merged else None
        if (
            tail is not None
            and abs(tail.x + tail.width - piece.x) < _EPSILON
            and _same(tail, piece.role, piece.size, piece.outline, piece.colour, piece.cjk)
        ):
            tail.text += piece.text  # the line owns its pieces
            tail.width += piece.width
        else:
            merged.append(piece)
    return merged


def _autospace(before: str, after: str) -> bool:
    """Word and LibreOffice set a little space between Chinese and Latin letters or digits."""

    def han(char: str) -> bool:
        return is_wide(char) and unicodedata.category(char) == "Lo"

    def latin(char: str) -> bool:
        return not is_wide(char) and unicodedata.category(char)[0] in "LN"

    return (han(before) and latin(after)) or (latin(before) and han(after))


# ------------------------------------------------------------------------------------ fonts


def _add_fonts(pdf: _PDF, typesetter: _Typesetter, memo: Memo, folder: Path) -> None:
    """Make and register a small font per face with the characters the layout set in it."""
    wanted: dict[fonts.FontFile, set[int]] = {}
    for role, face in typesetter.faces.items():
        wanted.setdefault(replace(face, synthetic_bold=False), set()).update(typesetter.used[role])
    registered: dict[fonts.FontFile, str] = {}
    for number, (face, codes) in enumerate(wanted.items()):
        registered[face] = f"face{number}"
        path = folder / f"{registered[face]}.ttf"
        path.write_bytes(fonts.truetype(face, frozenset(codes)))
        _add_font(pdf, registered[face], path)
    typesetter.families = {
        role: registered[replace(face, synthetic_bold=False)] for role, face in typesetter.faces.items()
    }
    chart_svgs = [_chart_svg(block, memo) for block in memo.blocks if isinstance(block, Chart)]
    if chart_svgs:
        chart_chars = frozenset(ord(c) for svg in chart_svgs for c in charts.svg_text(svg))
        path = folder / "chart.ttf"
        path.write_bytes(fonts.truetype(fonts.FontFile(fonts.chart_font()), chart_chars))
        _add_font(pdf, charts.TEXT_FAMILY, path)


def _add_font(pdf: _PDF, family: str, path: Path) -> None:
    pdf.add_font(family, fname=path)
    # The font's glyphs are compiled already and its bounding box is right: without this, fontTools
    # decodes and re-encodes every glyph when fpdf2 writes the subset.
    ttfont = getattr(pdf.fonts.get(family), "ttfont", None)
    if ttfont is not None:
        ttfont.recalcBBoxes = False


def _chart_svg(block: Chart, memo: Memo) -> str:
    return charts.svg(block, memo.lang, outlines=False)


@functools.lru_cache(maxsize=32)
def _svg_drawing(document: str):  # type: ignore[no-untyped-def]
    from fpdf.svg import SVGObject

    return SVGObject(document)


# ------------------------------------------------------------------------------------ layout


class _Layout:
    """Turns the memo's blocks into boxes of rows (measured, not yet placed)."""

    def __init__(self, pdf: _PDF, typesetter: _Typesetter, memo: Memo) -> None:
        self.pdf, self.ts, self.memo = pdf, typesetter, memo
        self.look = look = LOOKS[memo.lang]
        self.zh = memo.lang == "zh"
        self.width = look.text_width * PT
        self.left = pdf.l_margin
        en_bold = not self.zh
        self.body = Style("body", "latin", look.body)
        self.lead = replace(self.body, bold=True)
        self.headings = (
            Style("heading" if self.zh else "body", "latin", look.headings[0], bold=en_bold),
            Style("kai" if self.zh else "body", "latin", look.headings[1], bold=en_bold),
            Style("body", "latin", look.headings[2], bold=True),
        )
        self.title = Style("title" if self.zh else "body", "latin", look.title, bold=en_bold)
        self.subtitle = Style("kai" if self.zh else "body", "latin", look.subtitle)
        self.masthead = Style(
            "title" if self.zh else "body", "latin", look.masthead, bold=en_bold, colour=RED
        )
        self.mark = Style("heading" if self.zh else "body", "latin", look.body, bold=en_bold)
        self.info = Style("body", "latin", look.info)
        self.caption = Style("heading" if self.zh else "body", "latin", look.caption, bold=en_bold)
        self.code = Style("heading", "mono", look.code)
        self.colophon_style = Style("body", "latin", look.colophon)
        self.boxes: list[_Box] = []
        self.break_next = False

    def add(self, box: _Box) -> None:
        if self.break_next:
            box.page_break = True
            self.break_next = False
        self.boxes.append(box)

    # ------------------------------------------------------------------------------- text

    def text_rows(
        self,
        fragments: list[tuple[Style, str]],
        *,
        pitch: float,
        indent: float = 0.0,
        left: float = 0.0,
        right: float = 0.0,
        align: str = "J",
        width: float | None = None,
        x: float | None = None,
    ) -> list[_Row]:
        """Rows of a paragraph: ``indent`` on the first line, ``left``/``right`` on every line."""
        full = (width if width is not None else self.width) - left - right
        origin = (x if x is not None else self.left) + left
        lines = self.ts.lines(fragments, full, full - indent)
        rows = []
        for number, line in enumerate(lines):
            start = indent if number == 0 else 0.0
            room = full - start
            if align == "C":
                offset = start + (room - line.width) / 2
            elif align == "R":
                offset = start + room - line.width
            else:
                offset = start
            justify = room if align == "J" else None
            rows.append(_Row(pitch, self._line_drawer(line, origin + offset, pitch, justify)))
        return rows

    def _line_drawer(
        self, line: _Line, x: float, pitch: float, justify: float | None
    ) -> Callable[[float], None]:
        return lambda y: self.ts.draw(line, x, y, pitch, justify_to=justify)

    def paragraph(self, item: Paragraph, *, prefix: str = "") -> _Box:
        look = self.look
        fragments = [(self.body, prefix)] if prefix else []
        if item.lead:
            fragments.append((self.lead, item.lead))
        fragments.append((self.body, item.text))
        align = "J" if look.justify else "L"
        rows = self.text_rows(fragments, pitch=look.pitch, indent=look.indent, align=align)
        return _Box(rows, after=look.after, text=True)

    # ----------------------------------------------------------------------------- blocks

    def front(self) -> None:
        """Mark, masthead, the issue line over a red rule, the title: as in the Word version."""
        head, look, title = self.memo.masthead, self.look, self.memo.title
        rows: list[_Row] = []
        if head.mark and head.name:
            rows += self.text_rows([(self.mark, head.mark)], pitch=look.pitch, align="L")
        if head.name:
            rows += self.text_rows([(self.masthead, head.name)], pitch=look.masthead_pitch, align="C")
            rows += self._info(head)
            rule = 2.25
            rows.append(_Row(1 + rule + look.pitch, lambda y: self._rule(y + 1 + rule / 2, rule, RED)))
        if title.text:
            rows += self.text_rows([(self.title, title.text)], pitch=look.title_pitch, align="C")
            if title.subtitle:
                rows += self.text_rows([(self.subtitle, title.subtitle)], pitch=look.pitch, align="C")
            rows.append(_Row(look.pitch, lambda y: None))
        if rows:
            self.add(_Box(rows, keep_together=True))

    def _info(self, head: Masthead) -> list[_Row]:
        """第×期, 编发单位 and the date across one line, as the Word version's tab stops set them."""
        look = self.look
        parts = [p for p in (head.issue, head.publisher, head.date) if p]
        pitch = round(look.info * 1.5, 1)
        if not parts:
            return [_Row(pitch, lambda y: None)]
        lines = [self.ts.line([(self.info, part)]) for part in parts]
        if sum(line.width for line in lines) + 2 * look.info * (len(parts) - 1) > self.width:
            return [
                row for part in parts for row in self.text_rows([(self.info, part)], pitch=pitch, align="C")
            ]
        if len(lines) == 1:
            positions = [self.left + (self.width - lines[0].width) / 2]
        elif len(lines) == 2:
            positions = [self.left, self.left + self.width - lines[1].width]
        else:
            middle = self.left + self.width / 2 - lines[1].width / 2
            positions = [self.left, middle, self.left + self.width - lines[2].width]

        def draw(y: float) -> None:
            for line, x in zip(lines, positions, strict=True):
                self.ts.draw(line, x, y, pitch)

        return [_Row(pitch, draw)]

    def _rule(self, y: float, width: float, colour: Colour) -> None:
        """A rule across the text block (the red one under the masthead, the 版记's)."""
        pdf = self.pdf
        pdf.set_draw_color(*colour)
        pdf.set_line_width(width)
        pdf.line(self.left, y, self.left + self.width, y)
        pdf.set_draw_color(*BLACK)

    def block(self, block: Block) -> None:
        look = self.look
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 3)
            style = self.headings[level - 1]
            pitch = look.pitch if self.zh else round(style.size * 1.4, 1)
            rows = self.text_rows([(style, block.text)], pitch=pitch, indent=look.indent, align="L")
            name = "".join(piece for _, piece in spans(block.text))
            rows[0] = _Row(rows[0].height, self._bookmarked(rows[0].draw, name, level - 1))
            self.add(
                _Box(
                    rows,
                    keep_with_next=True,
                    before=look.heading_before[level - 1],
                    after=0 if self.zh else 2,
                )
            )
        elif isinstance(block, Paragraph):
            self.add(self.paragraph(block))
        elif isinstance(block, Bullets):
            self.bullets(block)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Chart):
            self.chart(block)
        elif isinstance(block, Preformatted):
            self.preformatted(block)
        elif isinstance(block, PageBreak):
            self.break_next = True
        elif isinstance(block, Signature):
            if self.boxes and self.boxes[-1].text:
                self.boxes[-1].keep_with_next = True  # a 落款 never stands alone on a page
            rows = [
                row
                for line in block.lines
                for row in self.text_rows(
                    [(self.body, line)], pitch=look.pitch, right=look.body * 4 if self.zh else 0, align="R"
                )
            ]
            self.add(_Box(rows, keep_together=True, before=look.pitch))
        elif isinstance(block, Colophon):
            self.colophon(block)
        else:
            raise TypeError(f"unknown memo block {block!r}")

    def _bookmarked(self, draw: Callable[[float], None], name: str, level: int) -> Callable[[float], None]:
        """A heading's first line, also entered in the PDF's outline (the reader's bookmarks)."""

        def bookmarked(y: float) -> None:
            self.pdf.set_y(y)
            self.pdf.start_section(name, level, strict=False)
            draw(y)

        return bookmarked

    def bullets(self, block: Bullets) -> None:
        look = self.look
        hang = look.body * (2 if self.zh else 1.5)
        for number, item in enumerate(block.items, start=1):
            if block.style == "plain":
                self.add(self.paragraph(item))
                continue
            if block.style == "numbered" and self.zh:
                box = self.paragraph(item, prefix=f"{number}. ")
                box.after = look.after / 2
                self.add(box)
                continue
            marker = f"{number}." if block.style == "numbered" else "•"
            fragments = ([(self.lead, item.lead)] if item.lead else []) + [(self.body, item.text)]
            align = "J" if look.justify else "L"
            rows = self.text_rows(fragments, pitch=look.pitch, left=hang, align=align)
            mark = self.ts.line([(self.body, marker)])
            first = rows[0].draw

            def draw(y: float, first: Callable[[float], None] = first, mark: _Line = mark) -> None:
                self.ts.draw(mark, self.left + hang - look.body, y, look.pitch)
                first(y)

            rows[0] = _Row(rows[0].height, draw)
            self.add(_Box(rows, after=look.after / 2, text=True))

    def chart(self, block: Chart) -> None:
        look = self.look
        width = look.text_width
        height = charts.height(block, width)
        svg = _chart_svg(block, self.memo)
        x = self.left

        def draw(y: float) -> None:
            from fpdf.drawing import Transform

            with _SVG_LOCK:
                drawing = _svg_drawing(svg)
                _, _, path = drawing.transform_to_rect_viewport(
                    scale=1, width=width * PT, height=height * PT, ignore_svg_top_attrs=True
                )
                path.transform = path.transform @ Transform.translation(x, y)
                here = (self.pdf.x, self.pdf.y)
                self.pdf.set_xy(0, 0)  # as FPDF.image() draws an SVG
                with self.pdf.drawing_context() as context:
                    context.add_item(path, clone=False)  # drawn at once: no need for fpdf2's deep copy
                self.pdf.set_xy(*here)

        figure = _Row(height * PT, draw)
        if not block.caption:
            self.add(_Box([figure], keep_together=True, before=6))
            return
        caption = self.text_rows([(self.caption, block.caption)], pitch=look.caption_pitch, align="C")
        self.add(_Box([figure], keep_together=True, keep_with_next=True, before=6))
        self.add(_Box(caption, keep_together=True, before=4, after=4))

    def table(self, block: Table) -> None:
        look = self.look
        size = look.table_size(block)
        pitch = look.table_pitch(size)
        pad_v, pad_h = (p * PT for p in look.cell_padding)
        widths = [w * PT for w in column_widths(block, look.text_width)]
        numeric = numeric_columns(block)
        cell = Style("body", "latin", size)
        head = Style("heading" if self.zh else "body", "latin", size, bold=not self.zh)
        if block.caption:
            caption = self.text_rows([(self.caption, block.caption)], pitch=look.caption_pitch, align="C")
            self.add(_Box(caption, keep_together=True, keep_with_next=True, before=4, after=4))
        rows = [self._table_row(block.header, widths, head, pitch, pad_v, pad_h, ["C"] * len(widths), True)]
        aligns = ["R" if right else "L" for right in numeric]
        rows += [self._table_row(r, widths, cell, pitch, pad_v, pad_h, aligns, False) for r in block.rows]
        self.add(_Box(rows, keep_together=True, widows=False, after=8, repeat=rows[0]))

    def _table_row(
        self,
        texts: tuple[str, ...],
        widths: list[float],
        style: Style,
        pitch: float,
        pad_v: float,
        pad_h: float,
        aligns: list[str],
        header: bool,
    ) -> _Row:
        cells: list[list[_Row]] = []
        x = self.left
        for text, width, align in zip(texts, widths, aligns, strict=True):
            cells.append(
                self.text_rows(
                    [(style, text)], pitch=pitch, left=pad_h, right=pad_h, align=align, width=width, x=x
                )
            )
            x += width
        height = max(len(rows) for rows in cells) * pitch + 2 * pad_v + BORDER

        def draw(y: float) -> None:
            pdf = self.pdf
            pdf.set_line_width(0.5)
            pdf.set_draw_color(*BLACK)
            left = self.left
            for rows, width in zip(cells, widths, strict=True):
                if header:
                    pdf.set_fill_color(242, 242, 242)
                    pdf.rect(left, y, width, height, style="DF")
                else:
                    pdf.rect(left, y, width, height)
                for number, row in enumerate(rows):
                    row.draw(y + BORDER / 2 + pad_v + number * pitch)
                left += width

        return _Row(height, draw)

    def preformatted(self, block: Preformatted) -> None:
        look = self.look
        rows: list[_Row] = []
        space = self.ts.advance("mono", " ") * self.code.size
        for source in block.text.rstrip("\n").split("\n") or [""]:
            text = source.lstrip(" ")
            indent = 3 + space * (len(source) - len(text))  # YAML's indentation is its structure
            lines = self.text_rows(
                [(self.code, text or " ")], pitch=look.code_pitch, left=indent, right=3, align="L"
            )
            for line in lines:
                rows.append(_Row(line.height, self._shaded(line.draw, line.height)))
        self.add(_Box(rows, before=3, after=look.pitch / 2))

    def _shaded(self, draw: Callable[[float], None], height: float) -> Callable[[float], None]:
        def shaded(y: float) -> None:
            self.pdf.set_fill_color(244, 244, 244)
            self.pdf.rect(self.left, y, self.width, height, style="F")
            draw(y)

        return shaded

    def colophon(self, block: Colophon) -> None:
        """版记: lines between a thick rule above and below, thin rules between them."""
        if not block.lines:
            return
        look = self.look
        pad = 0.6 * PT
        pitch = look.colophon_pitch
        indent = look.colophon
        rows: list[_Row] = [_Row(look.pitch, lambda y: None)]  # the blank line before it
        for number, text in enumerate(block.lines):
            left, right = split_colophon_line(text)
            lines = self.text_rows(
                [(self.colophon_style, left)], pitch=pitch, left=indent, right=indent, align="L"
            )
            if right:  # 印发日期 on the right of the last line
                date = self.text_rows(
                    [(self.colophon_style, right)], pitch=pitch, left=indent, right=indent, align="R"
                )
                lines[-1] = _Row(pitch, _both(lines[-1].draw, date[0].draw))
            height = len(lines) * pitch + 2 * pad
            rows.append(
                _Row(height, self._colophon_row(lines, height, number == 0, number == len(block.lines) - 1))
            )
        self.add(_Box(rows, keep_together=True))

    def _colophon_row(
        self, lines: list[_Row], height: float, first: bool, last: bool
    ) -> Callable[[float], None]:
        pad = 0.6 * PT

        def draw(y: float) -> None:
            for number, line in enumerate(lines):
                line.draw(y + pad + number * line.height)
            self._rule(y, 1.0 if first else 0.5, BLACK)
            if last:
                self._rule(y + height, 1.0, BLACK)

        return draw


def _both(first: Callable[[float], None], second: Callable[[float], None]) -> Callable[[float], None]:
    def draw(y: float) -> None:
        first(y)
        second(y)

    return draw


# -------------------------------------------------------------------------------- pagination


class _Pager:
    """Places boxes on pages as Word does: keep-with-next chains, keep-together, widows."""

    def __init__(self, pdf: _PDF) -> None:
        self.pdf = pdf
        self.top = pdf.t_margin
        self.bottom = A4[1] * PT - pdf.look.margins[1] * PT
        self.page = self.bottom - self.top
        self.y = self.top
        pdf.add_page()

    def new_page(self) -> None:
        self.pdf.add_page()
        self.y = self.top

    def place(self, boxes: list[_Box]) -> None:
        for index, box in enumerate(boxes):
            if box.page_break and self.y > self.top:
                self.new_page()
            need = self._chain(boxes, index)
            if self.y + need > self.bottom + 0.01 and self.y > self.top and need <= self.page:
                self.new_page()
            self._box(box)

    def _chain(self, boxes: list[_Box], index: int) -> float:
        """The height that must fit here: the box, and what it is kept with."""
        need = 0.0
        while True:
            box = boxes[index]
            if box.keep_with_next and index + 1 < len(boxes):
                need += box.height
                index += 1
                continue
            return need + box.first(self.page)

    def _box(self, box: _Box) -> None:
        if self.y > self.top:
            self.y += box.before
        rows = box.rows
        start = 0
        while start < len(rows):
            fit = 0
            room = self.bottom - self.y + 0.01
            while start + fit < len(rows) and rows[start + fit].height <= room:
                room -= rows[start + fit].height
                fit += 1
            rest = len(rows) - start - fit
            if rest and box.widows and len(rows) > 1:
                if rest == 1:
                    fit -= 1  # never one line alone at the head of a page
                if fit < 2 and start == 0:
                    fit = 0  # nor at the foot
            if fit == 0 and self.y <= self.top:
                fit = 1  # taller than a page: drawn and clipped
            for row in rows[start : start + fit]:
                row.draw(self.y)
                self.y += row.height
            start += fit
            if start < len(rows):
                self.new_page()
                if box.repeat is not None and start > 0:
                    box.repeat.draw(self.y)
                    self.y += box.repeat.height
        self.y += box.after


def render_pdf(memo: Memo) -> bytes:
    """The memo as a PDF (bytes) with its fonts embedded."""
    look = LOOKS[memo.lang]
    pdf = _PDF(memo, look)
    typesetter = _Typesetter(pdf, {role: fonts.face(role) for role in ROLES}, memo.lang == "zh")
    # laid out first, so that each face's font holds exactly the characters set in it
    typesetter.line([(Style("body", "latin", look.footer), "— 0123456789 —")])
    layout = _Layout(pdf, typesetter, memo)
    layout.front()
    for block in memo.blocks:
        layout.block(block)
    with tempfile.TemporaryDirectory(prefix="policyrank-pdf-", ignore_cleanup_errors=True) as folder:
        _add_fonts(pdf, typesetter, memo, Path(folder))
        pdf.typesetter = typesetter
        _Pager(pdf).place(layout.boxes)
        data = bytes(pdf.output())
        for font in pdf.fonts.values():
            close = getattr(font, "close", None)
            if close is not None:
                close()
    return data
