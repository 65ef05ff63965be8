"""Render a memo as a Word document laid out like a Chinese policy brief.

python-docx's ``font.name`` sets only the Latin fonts, and the default template's heading styles
name theme fonts (``w:asciiTheme``, ``w:eastAsiaTheme``, ...) that Word prefers over explicit ones.
So every style used here gets explicit ``w:ascii``/``w:hAnsi``/``w:eastAsia`` fonts and loses its
theme attributes: body text in 仿宋 (FangSong), headings in 黑体 (SimHei), as a 决策参考 is set.
English memos use Times New Roman and Calibri and the en-US language.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph as DocxParagraph

from engine.memo.blocks import Bullets, Heading, Memo, Paragraph, Preformatted, Table

# Word rejects properties out of the schema's order (ECMA-376 CT_RPr, CT_PPr): the elements that
# may follow w:lang in run properties and w:pBdr in paragraph properties.
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
    "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
RED = RGBColor(0xC0, 0x00, 0x00)
BLACK = RGBColor(0, 0, 0)


@dataclass(frozen=True)
class _Look:
    language: str
    body: tuple[str, str]  # (Latin font, East Asian font)
    heading: tuple[str, str]
    code: tuple[str, str]
    body_size: float
    line: float | None  # exact line pitch in points (公文 style), or None for a multiple
    margins_mm: tuple[float, float, float, float]  # top, bottom, left, right
    indent_chars: int  # first-line indent of body paragraphs, in characters


_LOOKS = {
    # GB/T 9704 page: A4, 37/35/28/26 mm margins, 三号 (16 pt) 仿宋 on a 28 pt pitch.
    "zh": _Look(
        "zh-CN",
        ("Times New Roman", "仿宋"),
        ("Times New Roman", "黑体"),
        ("Consolas", "仿宋"),
        16,
        28,
        (37, 35, 28, 26),
        2,
    ),
    "en": _Look(
        "en-US",
        ("Times New Roman", "Times New Roman"),
        ("Calibri", "Calibri"),
        ("Consolas", "Consolas"),
        12,
        None,
        (25.4, 25.4, 25.4, 25.4),
        0,
    ),
}


def _set_fonts(style: BaseStyle, fonts: tuple[str, str], language: str | None = None) -> None:
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attribute in _THEME_ATTRIBUTES:
        rfonts.attrib.pop(qn(attribute), None)
    latin, east_asian = fonts
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asian)
    if language:
        _set_language(rpr, language)


def _set_language(rpr: OxmlElement, language: str) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, *_AFTER_LANG)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), "zh-CN" if language == "zh-CN" else language)


def _style(document: DocumentObject, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> BaseStyle:
    styles = document.styles
    try:
        return styles[name]
    except KeyError:
        style = styles.add_style(name, kind)
        if kind == WD_STYLE_TYPE.PARAGRAPH:
            style.base_style = styles["Normal"]
        return style


def _spacing(style: BaseStyle, look: _Look, *, size: float, before: float = 0, after: float = 0) -> None:
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if look.line is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(max(look.line, size * 1.5))
    else:
        fmt.line_spacing = 1.15


def _setup_styles(document: DocumentObject, look: _Look) -> None:
    # the document defaults carry theme fonts too; replace them so nothing falls back to them
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for rfonts in defaults.iter(qn("w:rFonts")):
            for attribute in _THEME_ATTRIBUTES:
                rfonts.attrib.pop(qn(attribute), None)
            rfonts.set(qn("w:ascii"), look.body[0])
            rfonts.set(qn("w:hAnsi"), look.body[0])
            rfonts.set(qn("w:eastAsia"), look.body[1])
        for rpr in defaults.iter(qn("w:rPr")):
            _set_language(rpr, look.language)

    normal = document.styles["Normal"]
    _set_fonts(normal, look.body, look.language)
    normal.font.size = Pt(look.body_size)
    normal.font.color.rgb = BLACK
    _spacing(normal, look, size=look.body_size)

    body = _style(document, "Memo Body")
    _set_fonts(body, look.body)
    body.paragraph_format.first_line_indent = (
        Pt(look.body_size * look.indent_chars) if look.indent_chars else None
    )
    body.paragraph_format.space_after = Pt(0 if look.line else 6)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    bullet = document.styles["List Bullet"]
    _set_fonts(bullet, look.body)
    bullet.paragraph_format.space_after = Pt(0 if look.line else 3)

    heading_sizes = {"Title": look.body_size + 6, "Heading 1": look.body_size, "Heading 2": look.body_size}
    for name, size in heading_sizes.items():
        style = document.styles[name]
        _set_fonts(style, look.heading)
        style.font.size = Pt(size)
        style.font.color.rgb = BLACK
        style.font.bold = look.language != "zh-CN"  # 黑体 is heavy already; bold would smear it
        style.font.italic = False
        _spacing(style, look, size=size, before=12 if name != "Title" else 6, after=6)
        # the linked character style ("Heading 1 Char") is what Word applies to part of a line
        linked = style.element.find(qn("w:link"))
        if linked is not None:
            for other in document.styles:
                if other.style_id == linked.get(qn("w:val")):
                    _set_fonts(other, look.heading)
    title = document.styles["Title"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ppr = title.element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)

    masthead = _style(document, "Memo Masthead")
    _set_fonts(masthead, look.heading)
    masthead.font.size = Pt(36 if look.language == "zh-CN" else 28)
    masthead.font.color.rgb = RED
    masthead.font.bold = look.language != "zh-CN"
    masthead.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    masthead.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    masthead.paragraph_format.space_after = Pt(6)
    _red_rule(masthead)

    byline = _style(document, "Memo Byline")
    _set_fonts(byline, look.body)
    byline.font.size = Pt(look.body_size - 2)
    byline.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    byline.paragraph_format.space_after = Pt(12)

    caption = _style(document, "Memo Caption")
    _set_fonts(caption, look.heading)
    caption.font.size = Pt(look.body_size - 3)
    caption.font.bold = look.language != "zh-CN"
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE

    cell = _style(document, "Memo Table Text")
    _set_fonts(cell, look.body)
    cell.font.size = Pt(look.body_size - 4 if look.line else look.body_size - 2)
    cell.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    cell.paragraph_format.first_line_indent = None

    code = _style(document, "Memo Code")
    _set_fonts(code, look.code)
    code.font.size = Pt(9)
    code.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    code.paragraph_format.space_after = Pt(6)

    lead = _style(document, "Memo Lead", WD_STYLE_TYPE.CHARACTER)
    _set_fonts(lead, look.heading)
    lead.font.bold = look.language != "zh-CN"

    footer = _style(document, "Memo Footer")
    _set_fonts(footer, look.body)
    footer.font.size = Pt(look.body_size - 2)
    footer.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _red_rule(style: BaseStyle) -> None:
    ppr = style.element.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.insert_element_before(border, *_AFTER_PBDR)


def _page(document: DocumentObject, look: _Look) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, bottom, left, right = look.margins_mm
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Memo Footer"]
    dash = "— " if look.language == "zh-CN" else ""
    footer.add_run(dash)
    _page_field(footer)
    footer.add_run(dash.strip() and " —")


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


def _write(paragraph: DocxParagraph, block: Paragraph) -> None:
    if block.lead:
        paragraph.add_run(block.lead, style="Memo Lead")
    if block.text:
        paragraph.add_run(block.text)


def _table(document: DocumentObject, block: Table, width_mm: float) -> None:
    if block.caption:
        document.add_paragraph(block.caption, style="Memo Caption")
    columns = len(block.header)
    table = document.add_table(rows=1 + len(block.rows), cols=columns)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    shares = list(block.widths) if len(block.widths) == columns else [1.0] * columns
    widths = [Mm(width_mm * share / sum(shares)) for share in shares]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # w:gridCol, which LibreOffice reads; Word reads each cell's w:tcW
    numeric = list(block.numeric) + [False] * (columns - len(block.numeric))
    header_row = table.rows[0]
    header_props = header_row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # repeat the header row on every page
    header_props.append(repeat)
    for r, cells in enumerate([block.header, *block.rows]):
        row = table.rows[r]
        for c, text in enumerate(cells):
            cell = row.cells[c]
            cell.width = widths[c]
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles["Memo Table Text"]
            if r == 0:
                paragraph.add_run(text, style="Memo Lead")
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            else:
                paragraph.add_run(text)
                if numeric[c]:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph(style="Memo Table Text")  # keeps the next block off the table's border


def render_docx(memo: Memo) -> bytes:
    """The memo as a .docx file (bytes)."""
    look = _LOOKS[memo.lang]
    document = Document()
    _setup_styles(document, look)
    _page(document, look)
    properties = document.core_properties
    properties.title = memo.title.text
    properties.author = "policyrank"
    properties.language = look.language
    moment = dt.datetime.combine(memo.date, dt.time(0, 0))
    properties.created = properties.modified = moment
    properties.last_modified_by = "policyrank"
    properties.revision = 1

    document.add_paragraph(memo.title.masthead, style="Memo Masthead")
    document.add_paragraph(memo.title.text, style="Title")
    document.add_paragraph(memo.title.byline, style="Memo Byline")
    _, _, left, right = look.margins_mm
    text_width = 210 - left - right
    for block in memo.blocks:
        if isinstance(block, Heading):
            document.add_paragraph(block.text, style=f"Heading {min(block.level, 9)}")
        elif isinstance(block, Paragraph):
            _write(document.add_paragraph(style="Memo Body"), block)
        elif isinstance(block, Bullets):
            for item in block.items:
                _write(document.add_paragraph(style="List Bullet"), item)
        elif isinstance(block, Table):
            _table(document, block, text_width)
        elif isinstance(block, Preformatted):
            document.add_paragraph(style="Memo Code").add_run(block.text.rstrip("\n"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
