"""The Word memo read back with python-docx: order, ranking table, fonts, language, page numbers."""

from __future__ import annotations

import contextlib
import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from engine.cli.main import main
from tests.conftest import ROOT
from tests.memo.conftest import CJK, EN_SECTIONS, ZH_SECTIONS, cli_json, docx_text

THEME = ("w:eastAsiaTheme", "w:asciiTheme", "w:hAnsiTheme")


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def rfonts(document, style: str):
    element = document.styles[style].element.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert element is not None, f"{style} has no w:rFonts"
    return element


@pytest.mark.parametrize(
    "flags",
    [
        [],
        ["--weights", "talent_first", "--method", "vikor"],
        ["--method", "wsm", "--normalization", "vector", "--experts", "analyst_default"],
    ],
    ids=["default", "preset-vikor", "wsm-one-expert"],
)
def test_sections_and_ranking_table_match_the_cli(tmp_path, shipped, flags):
    out = tmp_path / "memo.docx"
    with contextlib.chdir(ROOT):
        assert main(["memo", *flags, "--out", str(out)]) == 0
        data = cli_json(*flags)
    document = Document(io.BytesIO(out.read_bytes()))
    assert headings(document, 1) == ZH_SECTIONS
    ranked_names = [e["name"]["zh"] for e in data["ranking"]]
    advice = [h for h in headings(document, 2) if h.startswith("（") and h.endswith(tuple(ranked_names))]
    assert [h.split("）", 1)[1] for h in advice] == ranked_names

    table = document.tables[0]
    assert table.style.name == "Table Grid"
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0][:2] == ["排名", "对策"]
    expected = [[str(e["rank"]), e["name"]["zh"], f"{e['score']:.4f}"] for e in data["ranking"]]
    assert rows[1:] == expected
    # the table is bordered: Table Grid defines single borders on every edge
    borders = document.styles["Table Grid"].element.find(qn("w:tblPr")).find(qn("w:tblBorders"))
    assert {child.get(qn("w:val")) for child in borders} == {"single"}


def test_east_asian_fonts_are_explicit(docx_zh):
    document = Document(io.BytesIO(docx_zh))
    assert rfonts(document, "Normal").get(qn("w:eastAsia")) == "仿宋"
    assert rfonts(document, "Memo Body").get(qn("w:eastAsia")) == "仿宋"
    assert rfonts(document, "List Bullet").get(qn("w:eastAsia")) == "仿宋"
    for style in ("Title", "Heading 1", "Heading 2", "Heading 1 Char", "Heading 2 Char"):
        fonts = rfonts(document, style)
        assert fonts.get(qn("w:eastAsia")) == "黑体", style
        assert fonts.get(qn("w:ascii")) and fonts.get(qn("w:hAnsi")), style
        for attribute in THEME:
            assert fonts.get(qn(attribute)) is None, f"{style} still names a theme font ({attribute})"
    # body paragraphs and bullets use those styles
    used = {p.style.name for p in document.paragraphs}
    assert {"Memo Body", "List Bullet", "Heading 1", "Heading 2", "Title"} <= used


def test_language_page_and_page_numbers(docx_zh, docx_en):
    for data, language in ((docx_zh, "zh-CN"), (docx_en, "en-US")):
        document = Document(io.BytesIO(data))
        defaults = document.styles.element.find(qn("w:docDefaults"))
        lang = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
        assert lang.get(qn("w:val")) == language
        normal_lang = document.styles["Normal"].element.find(qn("w:rPr")).find(qn("w:lang"))
        assert normal_lang.get(qn("w:val")) == language
        assert document.core_properties.language == language
        section = document.sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert section.left_margin >= Mm(20) and section.top_margin >= Mm(20)
        footer = section.footer.paragraphs[0]._p
        instructions = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
        assert instructions == ["PAGE"]
        kinds = [c.get(qn("w:fldCharType")) for c in footer.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]


def test_english_docx_uses_latin_fonts_and_has_no_chinese(docx_en):
    document = Document(io.BytesIO(docx_en))
    assert headings(document, 1) == EN_SECTIONS
    assert rfonts(document, "Normal").get(qn("w:ascii")) == "Times New Roman"
    assert rfonts(document, "Heading 1").get(qn("w:ascii")) == "Calibri"
    found = CJK.findall(docx_text(docx_en))
    assert not found, f"Chinese in the English docx: {''.join(found[:20])}"


def test_leads_are_set_in_the_heading_font(docx_zh):
    document = Document(io.BytesIO(docx_zh))
    lead = next(r for p in document.paragraphs for r in p.runs if r.text == "主要举措：")
    assert lead.style.name == "Memo Lead"
    assert rfonts(document, "Memo Lead").get(qn("w:eastAsia")) == "黑体"


# ECMA-376 element order of run and paragraph properties (the parts a style can carry)
RPR_ORDER = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]
PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]


def test_properties_follow_the_schema_order(docx_zh):
    """Word reports "unreadable content" when rPr/pPr children are out of the schema's order."""
    root = Document(io.BytesIO(docx_zh)).styles.element
    for tag, order in (("w:rPr", RPR_ORDER), ("w:pPr", PPR_ORDER)):
        position = {qn(f"w:{name}"): i for i, name in enumerate(order)}
        for properties in root.iter(qn(tag)):
            children = [position[child.tag] for child in properties if child.tag in position]
            assert children == sorted(children), [child.tag for child in properties]


def test_table_columns_follow_the_declared_widths(docx_zh, memo_zh):
    from engine.memo import Table

    document = Document(io.BytesIO(docx_zh))
    declared = memo_zh.find(Table)[0].widths
    grid = [column.width for column in document.tables[0].columns]
    cells = [cell.width for cell in document.tables[0].rows[1].cells]
    for widths in (grid, cells):
        shares = [w / sum(widths) for w in widths]
        assert shares == pytest.approx([d / sum(declared) for d in declared], abs=1e-3)
    assert sum(grid) == pytest.approx(Mm(210 - 28 - 26), rel=1e-3)
