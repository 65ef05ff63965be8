"""The memo as a Word document set like a 决策参考 (GB/T 9704 page, 公文 fonts), for Word and WPS.

Fonts are named as a government PC has them: 方正小标宋简体 for the masthead and title, 仿宋_GB2312
for body text, 黑体 for 一、 headings, 楷体_GB2312 for （一） headings, 宋体 for page numbers, Times
New Roman for Latin text. python-docx's ``font.name`` sets only the Latin fonts, and the default
template's styles name theme fonts (``w:asciiTheme``, ``w:eastAsiaTheme``...) that Word prefers
over explicit ones; so every style here gets explicit ``w:ascii``/``w:hAnsi``/``w:eastAsia`` fonts
and loses its theme attributes. The font table gives each Chinese font an ``altName`` (仿宋_GB2312
-> 仿宋, ...) and its GB2312 charset, which Word and WPS use to substitute a missing font.

Layout rules that keep the page as on paper: table rows never split (``cantSplit``) and a table
that fits on a page is kept on one (``keepNext`` on every row but the last); a caption stays with
its table and a chart with its caption; the annex starts on a new page; page numbers "— 1 —"
sit right on odd pages and left on even ones (``w:evenAndOddHeaders``).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph as DocxParagraph

from engine.memo import charts
from engine.memo.document import (
    Block,
    Bullets,
    Chart,
    Colophon,
    Heading,
    Memo,
    PageBreak,
    Paragraph,
    Preformatted,
    Signature,
    Table,
)
from engine.memo.render.layout import (
    LOOKS,
    MM_PER_PT,
    Look,
    column_widths,
    estimate_lines,
    estimate_width,
    numeric_columns,
    spans,
    split_colophon_line,
)
from engine.model import Lang

RED = RGBColor(0xC0, 0x00, 0x00)
BLACK = RGBColor(0, 0, 0)
_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# Word rejects properties out of the schema's order (ECMA-376 CT_RPr, CT_PPr, CT_TcPr, CT_TblPr):
# the elements that may follow the one being inserted.
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_AFTER_SHD = _AFTER_PBDR[1:]


@dataclass(frozen=True)
class _Fonts:
    """(Latin, East Asian) font names per role."""

    body: tuple[str, str]
    title: tuple[str, str]
    heading: tuple[str, str]
    kai: tuple[str, str]
    number: tuple[str, str]
    code: tuple[str, str]


_FONTS = {
    "zh": _Fonts(
        body=("Times New Roman", "仿宋_GB2312"),
        title=("Times New Roman", "方正小标宋简体"),
        heading=("Times New Roman", "黑体"),
        kai=("Times New Roman", "楷体_GB2312"),
        number=("Times New Roman", "宋体"),
        code=("Courier New", "仿宋_GB2312"),
    ),
    "en": _Fonts(
        body=("Times New Roman", "宋体"),
        title=("Times New Roman", "宋体"),
        heading=("Times New Roman", "宋体"),
        kai=("Times New Roman", "宋体"),
        number=("Times New Roman", "宋体"),
        code=("Courier New", "宋体"),
    ),
}
# Font table entries: what Word and WPS fall back to when a font is missing (w:altName), and the
# Chinese charset, so a substitute is a Chinese font of the same kind.
_FONT_TABLE = (
    ("仿宋_GB2312", "仿宋", "02010609030101010101", "modern", "fixed"),
    ("楷体_GB2312", "楷体", "02010609030101010101", "modern", "fixed"),
    ("方正小标宋简体", "宋体", "02000000000000000000", "auto", "variable"),
    ("黑体", "SimHei", "02010609060101010101", "modern", "fixed"),
    ("宋体", "SimSun", "02010600030101010101", "auto", "variable"),
)


# ----------------------------------------------------------------------------------- styles


def _set_fonts(element: BaseOxmlElement, fonts: tuple[str, str], language: str | None = None) -> None:
    rpr = element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attribute in _THEME_ATTRIBUTES:
        rfonts.attrib.pop(qn(attribute), None)
    latin, east_asian = fonts
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attribute), latin)
    rfonts.set(qn("w:eastAsia"), east_asian)
    if language:
        _set_language(rpr, language)


def _set_language(rpr: BaseOxmlElement, language: str) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, *_AFTER_LANG)
    # Chinese documents keep Latin text in a Latin language: tagged zh-CN, LibreOffice breaks
    # English words anywhere ("Keeping fir|ms")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN" if language == "zh-CN" else language)


def _style(document: DocumentObject, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> Any:
    """The style called ``name`` (a paragraph or character style), made when the template lacks it."""
    styles = document.styles
    try:
        return styles[name]
    except KeyError:
        style = styles.add_style(name, kind)
        if kind == WD_STYLE_TYPE.PARAGRAPH:
            style.base_style = styles["Normal"]
        return style


def _paragraph_style(
    document: DocumentObject,
    name: str,
    fonts: tuple[str, str],
    *,
    size: float,
    pitch: float | None,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: float | None = None,
    before: float = 0,
    after: float = 0,
    keep_with_next: bool = False,
    colour: RGBColor = BLACK,
) -> ParagraphStyle:
    style: ParagraphStyle = _style(document, name)
    _set_fonts(style.element, fonts)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = colour
    fmt = style.paragraph_format
    if pitch is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(pitch)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.first_line_indent = Pt(indent) if indent else Pt(0)
    fmt.left_indent = fmt.right_indent = Pt(0)
    if align is not None:
        fmt.alignment = align
    fmt.keep_with_next = keep_with_next
    fmt.widow_control = True
    return style


def _setup_styles(document: DocumentObject, look: Look, fonts: _Fonts) -> None:
    # the document defaults and the theme language carry theme fonts too: nothing may fall back to them
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for rfonts in defaults.iter(qn("w:rFonts")):
            for attribute in _THEME_ATTRIBUTES:
                rfonts.attrib.pop(qn(attribute), None)
            rfonts.set(qn("w:ascii"), fonts.body[0])
            rfonts.set(qn("w:hAnsi"), fonts.body[0])
            rfonts.set(qn("w:eastAsia"), fonts.body[1])
        for rpr in defaults.iter(qn("w:rPr")):
            _set_language(rpr, look.language)
    for rfonts in document.styles.element.iter(qn("w:rFonts")):  # styles this memo does not use too
        for attribute in _THEME_ATTRIBUTES:
            rfonts.attrib.pop(qn(attribute), None)
    zh = look.language == "zh-CN"
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY if look.justify else WD_ALIGN_PARAGRAPH.LEFT
    normal = _paragraph_style(document, "Normal", fonts.body, size=look.body, pitch=look.pitch, align=justify)
    _set_fonts(normal.element, fonts.body, look.language)
    _paragraph_style(
        document,
        "Memo Body",
        fonts.body,
        size=look.body,
        pitch=look.pitch,
        align=justify,
        indent=look.indent,
        after=look.after,
    )
    hang = look.body * (2 if zh else 1.5)
    for name in ("Memo List", "Memo List Numbered"):
        style = _paragraph_style(
            document, name, fonts.body, size=look.body, pitch=look.pitch, align=justify, after=look.after / 2
        )
        fmt = style.paragraph_format
        if name == "Memo List Numbered" and zh:
            fmt.first_line_indent = Pt(look.indent)  # 公文: "1." opens an indented paragraph
        else:
            fmt.left_indent = Pt(hang)
            fmt.first_line_indent = Pt(-look.body)
            fmt.tab_stops.add_tab_stop(Pt(hang))

    heading_fonts = (fonts.heading, fonts.kai, fonts.body)
    for level in (1, 2, 3):
        style = _paragraph_style(
            document,
            f"Heading {level}",
            heading_fonts[level - 1],
            size=look.headings[level - 1],
            pitch=look.pitch if zh else round(look.headings[level - 1] * 1.4, 1),
            bold=look.heading_bold or level == 3,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            indent=look.indent,
            before=look.heading_before[level - 1],
            after=0 if zh else 2,
            keep_with_next=True,
        )
        # the linked character style ("Heading 1 Char") is what Word applies to part of a line
        linked = style.element.find(qn("w:link"))
        if linked is not None:
            for other in document.styles:
                if other.style_id == linked.get(qn("w:val")):
                    _set_fonts(other.element, heading_fonts[level - 1])
    for name in ("Title", "Subtitle"):
        # the template's title styles carry a rule below and letter spacing; a 公文 title has neither
        style = document.styles[name]
        for element in style.element.xpath("./w:pPr/w:pBdr | ./w:rPr/w:spacing | ./w:rPr/w:kern"):
            element.getparent().remove(element)
    _paragraph_style(
        document,
        "Title",
        fonts.title,
        size=look.title,
        pitch=look.title_pitch,
        bold=not zh,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        keep_with_next=True,
    )
    _paragraph_style(
        document,
        "Subtitle",
        fonts.kai,
        size=look.subtitle,
        pitch=look.pitch,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        keep_with_next=True,
    )
    _paragraph_style(
        document,
        "Memo Mark",
        fonts.heading,
        size=look.body,
        pitch=look.pitch,
        bold=not zh,
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )
    _paragraph_style(
        document,
        "Memo Masthead",
        fonts.title,
        size=look.masthead,
        pitch=look.masthead_pitch,
        bold=not zh,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        colour=RED,
        keep_with_next=True,
    )
    _paragraph_style(
        document,
        "Memo Info",
        fonts.body,
        size=look.info,
        pitch=round(look.info * 1.5, 1),
        align=WD_ALIGN_PARAGRAPH.LEFT,
        keep_with_next=True,
    )
    _paragraph_style(
        document,
        "Memo Caption",
        fonts.heading,
        size=look.caption,
        pitch=look.caption_pitch,
        bold=not zh,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=4,
        after=4,
    )
    _paragraph_style(
        document,
        "Memo Figure",
        fonts.body,
        size=look.body,
        pitch=None,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=6,
        keep_with_next=True,
    )
    for name, size in (("Memo Cell", look.table[0]), ("Memo Cell Small", look.table[1])):
        _paragraph_style(
            document, name, fonts.body, size=size, pitch=look.table_pitch(size), align=WD_ALIGN_PARAGRAPH.LEFT
        )
    _paragraph_style(document, "Memo After Table", fonts.body, size=2, pitch=8)
    code = _paragraph_style(
        document,
        "Memo Code",
        fonts.code,
        size=look.code,
        pitch=look.code_pitch,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        before=3,
        after=look.pitch / 2,
    )
    _shade(code.element.get_or_add_pPr(), "F4F4F4")
    signature = _paragraph_style(
        document,
        "Memo Signature",
        fonts.body,
        size=look.body,
        pitch=look.pitch,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )
    signature.paragraph_format.right_indent = Pt(look.body * 4 if zh else 0)  # 右空四字
    colophon = _paragraph_style(
        document,
        "Memo Colophon",
        fonts.body,
        size=look.colophon,
        pitch=look.colophon_pitch,
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )
    colophon.paragraph_format.tab_stops.add_tab_stop(
        Mm(look.text_width) - Pt(2 * look.colophon) - Mm(2 * look.cell_padding[1]), WD_TAB_ALIGNMENT.RIGHT
    )
    footer = _paragraph_style(
        document, "Memo Footer", fonts.number, size=look.footer, pitch=round(look.footer * 1.3, 1)
    )
    footer.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    lead = _style(document, "Memo Lead", WD_STYLE_TYPE.CHARACTER)
    lead.font.bold = True
    code_run = _style(document, "Memo Code Char", WD_STYLE_TYPE.CHARACTER)
    _set_fonts(code_run.element, fonts.code)
    code_run.font.size = Pt(look.body * 0.86)


def _shade(ppr: BaseOxmlElement, fill: str) -> None:
    shading = OxmlElement("w:shd")
    for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        shading.set(qn(key), value)
    ppr.insert_element_before(shading, *_AFTER_SHD)


def _border(ppr: BaseOxmlElement, side: str, *, size: int, colour: str) -> None:
    """A rule on one side of a paragraph; ``size`` in eighths of a point."""
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(borders, *_AFTER_PBDR)
    line = OxmlElement(f"w:{side}")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1"), ("w:color", colour)):
        line.set(qn(key), value)
    borders.append(line)


def _font_table(document: DocumentObject) -> None:
    part = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    entries = "".join(
        f'<w:font w:name={quoteattr(name)}><w:altName w:val={quoteattr(alt)}/><w:panose1 w:val="{panose}"/>'
        f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        for name, alt, panose, family, pitch in _FONT_TABLE
    )
    xml = part.blob.decode("utf-8")
    # the template's font table is a generic part: its bytes are all there is to edit
    part._blob = xml.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------- the page


def _page(document: DocumentObject, look: Look) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, bottom, left, right = look.margins
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance = Mm(15)
    # the number's line starts footer_gap below the text block; Word measures from the page foot
    line = look.footer * 1.3 * MM_PER_PT
    section.footer_distance = Mm(bottom - look.footer_gap - line)
    if look.mirrored_numbers:
        document.settings.odd_and_even_pages_header_footer = True
        _page_number(section.footer.paragraphs[0], look, WD_ALIGN_PARAGRAPH.RIGHT)
        _page_number(section.even_page_footer.paragraphs[0], look, WD_ALIGN_PARAGRAPH.LEFT)
    else:
        _page_number(section.footer.paragraphs[0], look, WD_ALIGN_PARAGRAPH.CENTER)


def _page_number(paragraph: DocxParagraph, look: Look, align: WD_ALIGN_PARAGRAPH) -> None:
    """ "— 1 —", one character in from the edge; the dashes are 一字线 in the Chinese font."""
    _use_style(paragraph, "Memo Footer")
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(look.footer)
    elif align == WD_ALIGN_PARAGRAPH.LEFT:
        fmt.left_indent = Pt(look.footer)
    if look.mirrored_numbers:
        _dash(paragraph.add_run("—"))
        paragraph.add_run(" ")
    _page_field(paragraph)
    if look.mirrored_numbers:
        paragraph.add_run(" ")
        _dash(paragraph.add_run("—"))


def _dash(run: object) -> None:
    rfonts = run._r.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    rfonts.set(qn("w:hint"), "eastAsia")


def _page_field(paragraph: DocxParagraph) -> None:
    """A PAGE field: Word and LibreOffice fill in the page number when they lay out the page."""

    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)

    char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    paragraph.add_run()._r.append(instruction)
    char("separate")
    paragraph.add_run("1")
    char("end")


# --------------------------------------------------------------------------------- the blocks

# Characters XML 1.0 cannot hold (python-docx refuses them): dropped from user text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _style_id(name: str) -> str:
    """The id python-docx and Word give a style: its name without spaces ("Heading 1" -> "Heading1")."""
    return name.replace(" ", "")


def _use_style(paragraph: DocxParagraph, name: str) -> None:
    # python-docx's ``paragraph.style = name`` scans every style of the template each time
    paragraph._p.style = _style_id(name)


def _twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def _runs_xml(text: str, properties: str = "") -> str:
    """WordprocessingML runs for ``text``: inline code in the code face, line breaks and tabs kept."""
    out = []
    for is_code, piece in spans(_clean(text)):
        style = '<w:rStyle w:val="MemoCodeChar"/>' if is_code else ""
        rpr = f"<w:rPr>{style}{properties}</w:rPr>" if style or properties else ""
        for line_number, line in enumerate(piece.split("\n")):
            if line_number:
                out.append(f"<w:r>{rpr}<w:br/></w:r>")
            for tab_number, chunk in enumerate(line.split("\t")):
                if tab_number:
                    out.append(f"<w:r>{rpr}<w:tab/></w:r>")
                if chunk:
                    out.append(f'<w:r>{rpr}<w:t xml:space="preserve">{xml_escape(chunk)}</w:t></w:r>')
    return "".join(out)


def _paragraph_xml(
    style: str, runs: str, *, keep: bool = False, page_break: bool = False, jc: str = ""
) -> str:
    properties = f'<w:pStyle w:val="{_style_id(style)}"/>'
    properties += "<w:keepNext/>" if keep else ""
    properties += "<w:pageBreakBefore/>" if page_break else ""
    properties += f'<w:jc w:val="{jc}"/>' if jc else ""
    return f"<w:p><w:pPr>{properties}</w:pPr>{runs}</w:p>"


class _Writer:
    def __init__(self, memo: Memo) -> None:
        self.memo = memo
        self.look = LOOKS[memo.lang]
        self.fonts = _FONTS[memo.lang]
        self.zh = memo.lang == "zh"
        self.document = Document(io.BytesIO(_template(memo.lang)))
        self.body = self.document.element.body
        self.break_next = False  # the next paragraph starts a new page
        self.previous: Block | None = None

    def paragraph(self, style: str, text: str = "") -> DocxParagraph:
        paragraph = self.document.add_paragraph()
        _use_style(paragraph, style)
        if self.break_next:
            paragraph.paragraph_format.page_break_before = True
            self.break_next = False
        if text:
            self.text(paragraph, text)
        return paragraph

    @staticmethod
    def text(paragraph: DocxParagraph, text: str, *, bold: bool = False) -> None:
        for is_code, piece in spans(_clean(text)):
            run = paragraph.add_run(piece)
            if is_code or bold:
                run._r.style = _style_id("Memo Lead" if bold else "Memo Code Char")

    def write(self, paragraph: DocxParagraph, block: Paragraph) -> None:
        if block.lead:
            self.text(paragraph, block.lead, bold=True)
        self.text(paragraph, block.text)

    def append_xml(self, xml: str) -> None:
        element = parse_xml(f"<w:root {nsdecls('w')}>{xml}</w:root>")
        section = self.body.find(qn("w:sectPr"))
        for child in list(element):
            if section is not None:
                section.addprevious(child)
            else:
                self.body.append(child)

    # ------------------------------------------------------------------------ masthead, title

    def masthead(self) -> None:
        head, look = self.memo.masthead, self.look
        if head.mark and head.name:
            self.paragraph("Memo Mark", head.mark)
        if head.name:
            self.paragraph("Memo Masthead", head.name)
            parts = [p for p in (head.issue, head.publisher, head.date) if p]
            fits = estimate_width("".join(parts), look.info) + 2 * look.info * MM_PER_PT * (len(parts) - 1)
            if not parts:
                info = [self.paragraph("Memo Info")]
            elif fits <= look.text_width:
                info = [self.paragraph("Memo Info")]
                self._spread(info[0], parts)
            else:  # too long for one line: each part centred on its own
                info = [self.paragraph("Memo Info", part) for part in parts]
                for paragraph in info:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _border(info[-1]._p.get_or_add_pPr(), "bottom", size=18, colour="C00000")  # the red rule, 2.25 pt
            info[-1].paragraph_format.space_after = Pt(look.pitch)
        title = self.memo.title
        if title.text:
            last = self.paragraph("Title", title.text)
            if title.subtitle:
                last = self.paragraph("Subtitle", title.subtitle)
            last.paragraph_format.space_after = Pt(look.pitch)
            last.paragraph_format.keep_with_next = False

    def _spread(self, paragraph: DocxParagraph, parts: list[str]) -> None:
        """Parts across one line: alone centred, two at the ends, three left, centre and right."""
        stops = paragraph.paragraph_format.tab_stops
        if len(parts) == 1:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.text(paragraph, parts[0])
            return
        if len(parts) == 3:
            stops.add_tab_stop(Mm(self.look.text_width / 2), WD_TAB_ALIGNMENT.CENTER)
        stops.add_tab_stop(Mm(self.look.text_width), WD_TAB_ALIGNMENT.RIGHT)
        self.text(paragraph, "\t".join(parts))

    # ------------------------------------------------------------------------------- blocks

    def block(self, block: Block) -> None:
        if isinstance(block, Heading):
            self.paragraph(f"Heading {min(max(block.level, 1), 3)}", block.text)
        elif isinstance(block, Paragraph):
            self.write(self.paragraph("Memo Body"), block)
        elif isinstance(block, Bullets):
            self.bullets(block)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Chart):
            self.chart(block)
        elif isinstance(block, Preformatted):
            self.paragraph("Memo Code").add_run(_clean(block.text.rstrip("\n")))
        elif isinstance(block, PageBreak):
            self.break_next = True
        elif isinstance(block, Signature):
            if isinstance(self.previous, (Paragraph, Bullets)):
                # a 落款 never stands alone on a page: the text above it comes along
                self.document.paragraphs[-1].paragraph_format.keep_with_next = True
            for number, line in enumerate(block.lines):
                paragraph = self.paragraph("Memo Signature", line)
                if number == 0:
                    paragraph.paragraph_format.space_before = Pt(self.look.pitch)  # 正文下空一行
                if number < len(block.lines) - 1:
                    paragraph.paragraph_format.keep_with_next = True
        elif isinstance(block, Colophon):
            self.colophon(block)
        else:
            raise TypeError(f"unknown memo block {block!r}")
        self.previous = block

    def bullets(self, block: Bullets) -> None:
        for number, item in enumerate(block.items, start=1):
            if block.style == "plain":
                self.write(self.paragraph("Memo Body"), item)
            elif block.style == "numbered":
                paragraph = self.paragraph("Memo List Numbered")
                paragraph.add_run(f"{number}." + (" " if self.zh else "\t"))
                self.write(paragraph, item)
            else:
                paragraph = self.paragraph("Memo List")
                paragraph.add_run("•\t")
                self.write(paragraph, item)

    def chart(self, block: Chart) -> None:
        width = self.look.text_width
        figure = self.paragraph("Memo Figure")
        figure.add_run().add_picture(io.BytesIO(charts.png(block, self.memo.lang, width)), width=Mm(width))
        figure._p.xpath("./w:r/w:drawing/wp:inline/wp:docPr")[0].set("descr", _clean(block.alt))
        if block.caption:
            self.paragraph("Memo Caption", block.caption)
        else:
            figure.paragraph_format.keep_with_next = False

    def table(self, block: Table) -> None:
        look = self.look
        size = look.table_size(block)
        style = "Memo Cell" if size == look.table[0] else "Memo Cell Small"
        widths = column_widths(block, look.text_width)
        pad_v, pad_h = look.cell_padding
        if block.caption:
            self.paragraph("Memo Caption", block.caption).paragraph_format.keep_with_next = True
        rows = [block.header, *block.rows]
        pitch = look.table_pitch(size) * MM_PER_PT
        height = sum(
            max(estimate_lines(text, size, w - 2 * pad_h) for text, w in zip(row, widths, strict=True))
            * pitch
            + 2 * pad_v
            for row in rows
        )
        keep_all = height <= look.text_height - 12  # a table that fits on a page is not split
        numeric = numeric_columns(block)
        head_fonts = self.fonts.heading
        head_run = (
            f'<w:rFonts w:ascii="{head_fonts[0]}" w:hAnsi="{head_fonts[0]}" w:cs="{head_fonts[0]}" '
            f'w:eastAsia="{head_fonts[1]}"/>' + ("" if self.zh else "<w:b/>")
        )
        out = []
        for r, texts in enumerate(rows):
            keep = (keep_all and r < len(rows) - 1) or r == 0
            cells = []
            for c, text in enumerate(texts):
                shade = '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>' if r == 0 else ""
                jc = "center" if r == 0 else ("right" if numeric[c] else "")
                runs = _runs_xml(text, head_run if r == 0 else "")
                first = self.break_next and r == 0 and c == 0
                paragraph = _paragraph_xml(style, runs, keep=keep, page_break=first, jc=jc)
                width = f'<w:tcW w:w="{_twips(widths[c])}" w:type="dxa"/>'
                cells.append(f"<w:tc><w:tcPr>{width}{shade}</w:tcPr>{paragraph}</w:tc>")
            header = "<w:tblHeader/>" if r == 0 else ""  # repeated on every page
            out.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>{''.join(cells)}</w:tr>")
        self.break_next = False
        self.append_xml(_table_xml(widths, "".join(out), style="TableGrid", padding=(pad_v, pad_h)))
        self.paragraph("Memo After Table")  # Word needs a paragraph between a table and the next

    def colophon(self, block: Colophon) -> None:
        """版记: a one-column table ruled thick above and below, thin between its lines."""
        if not block.lines:
            return
        self.paragraph("Memo Body").paragraph_format.keep_with_next = True  # 版记 follows a blank line
        width = self.look.text_width
        rows = []
        for number, line in enumerate(block.lines):
            left, right = split_colophon_line(line)
            runs = _runs_xml(f"{left}\t{right}" if right else left)
            paragraph = _paragraph_xml("Memo Colophon", runs, keep=number < len(block.lines) - 1)
            cell = f'<w:tc><w:tcPr><w:tcW w:w="{_twips(width)}" w:type="dxa"/></w:tcPr>{paragraph}</w:tc>'
            rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cell}</w:tr>")
        rule = 'w:val="single" w:space="0" w:color="000000"'
        borders = (
            f'<w:tblBorders><w:top {rule} w:sz="8"/><w:left w:val="nil"/><w:bottom {rule} w:sz="8"/>'
            f'<w:right w:val="nil"/><w:insideH {rule} w:sz="4"/><w:insideV w:val="nil"/></w:tblBorders>'
        )
        padding = (0.6, self.look.colophon * MM_PER_PT)
        self.append_xml(_table_xml([width], "".join(rows), borders=borders, padding=padding))
        self.paragraph("Memo After Table")


def _table_xml(
    widths: list[float], rows: str, *, style: str = "", borders: str = "", padding: tuple[float, float]
) -> str:
    """A fixed-layout table, centred, ``widths`` in mm, cell margins ``padding`` (mm, vertical/horizontal)."""
    vertical, horizontal = (_twips(p) for p in padding)
    margins = "".join(
        f'<w:{side} w:w="{value}" w:type="dxa"/>'
        for side, value in (
            ("top", vertical),
            ("left", horizontal),
            ("bottom", vertical),
            ("right", horizontal),
        )
    )
    grid = "".join(f'<w:gridCol w:w="{_twips(w)}"/>' for w in widths)
    style_xml = f'<w:tblStyle w:val="{style}"/>' if style else ""
    return (
        f'<w:tbl><w:tblPr>{style_xml}<w:tblW w:w="{_twips(sum(widths))}" w:type="dxa"/><w:jc w:val="center"/>'
        f'{borders}<w:tblLayout w:type="fixed"/><w:tblCellMar>{margins}</w:tblCellMar>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>"
    )


@functools.cache
def _template(lang: Lang) -> bytes:
    """An empty document with the language's styles, fonts, page and page numbers (built once)."""
    look, fonts = LOOKS[lang], _FONTS[lang]
    document = Document()
    _setup_styles(document, look, fonts)
    _font_table(document)
    _page(document, look)
    theme = document.settings.element.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), look.language)
        theme.set(qn("w:eastAsia"), "zh-CN")
    # the template's single empty paragraph would open the memo with a blank line
    body = document.element.body
    for paragraph in body.findall(qn("w:p")):
        body.remove(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_docx(memo: Memo) -> bytes:
    """The memo as a .docx file (bytes)."""
    writer = _Writer(memo)
    properties = writer.document.core_properties
    properties.title = _clean(memo.title.text or memo.masthead.name)
    properties.author = properties.last_modified_by = "policyrank"
    properties.language = writer.look.language
    properties.created = properties.modified = dt.datetime.combine(memo.date, dt.time(0, 0))
    properties.revision = 1
    writer.masthead()
    for block in memo.blocks:
        writer.block(block)
    buffer = io.BytesIO()
    writer.document.save(buffer)
    return buffer.getvalue()
