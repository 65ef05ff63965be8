"""The memo renderers in engine.memo.render and the charts, on memos built by hand (tests/memo/samples.py).

What is checked is what a reader or a reviewer of a 决策参考 looks for: 公文 fonts named in the
Word file, zh-CN language, page numbers on alternate sides, rows and tables kept whole, the annex
on a new page, charts embedded at print resolution; the PDF's text, fonts and pages read back with
poppler; user text escaped in HTML and Markdown.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from PIL import Image

from engine.memo import charts
from engine.memo.document import (
    Bullets,
    Chart,
    Colophon,
    Masthead,
    Memo,
    PageBreak,
    Paragraph,
    Preformatted,
    Series,
    Signature,
    Table,
    Title,
)
from engine.memo.render import (
    FORMATS,
    MIME_TYPES,
    SUFFIXES,
    filename,
    fonts,
    format_for_path,
    render,
    sniff,
)
from tests.memo.samples import sample_memo

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdffonts") is not None


@pytest.fixture(scope="module")
def memos() -> dict[str, Memo]:
    return {"zh": sample_memo("zh"), "en": sample_memo("en"), "nasty": sample_memo("zh", nasty=True)}


@pytest.fixture(scope="module")
def rendered(memos: dict[str, Memo]) -> dict[tuple[str, str], bytes]:
    """Every sample in every format, rendered once for the module."""
    return {(name, fmt): render(memo, fmt) for name, memo in memos.items() for fmt in FORMATS}


def _pdftotext(data: bytes, tmp_path: Path, *pages: int) -> str:
    path = tmp_path / "memo.pdf"
    path.write_bytes(data)
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return subprocess.run(
        ["pdftotext", *span, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _strings(value: object) -> list[str]:
    """Every string inside a memo (dataclasses and tuples all the way down)."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value):
        return [s for f in dataclasses.fields(value) for s in _strings(getattr(value, f.name))]
    if isinstance(value, tuple):
        return [s for item in value for s in _strings(item)]
    return []


def _page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", data))


# --------------------------------------------------------------------------------- the formats


def test_format_helpers(memos: dict[str, Memo]) -> None:
    assert FORMATS == ("md", "docx", "html", "pdf")
    assert set(MIME_TYPES) == set(SUFFIXES) == set(FORMATS)
    assert filename(memos["zh"], "docx") == "policyrank-memo-2025-03-04-zh.docx"
    assert format_for_path("a/b.MARKDOWN") == "md"
    assert format_for_path("memo.htm") == "html"
    assert format_for_path("memo.txt") is None
    with pytest.raises(ValueError, match="unknown memo format 'rtf'"):
        render(memos["zh"], "rtf")


def test_sniff_recognises_each_rendering(rendered: dict[tuple[str, str], bytes]) -> None:
    for fmt in FORMATS:
        assert sniff(rendered["zh", fmt]) == fmt
    assert sniff(b"\x00\x01") is None


def test_naming_a_format_loads_no_renderer_library() -> None:
    # engine.memo itself still imports the renderers it had before this package; what is
    # measured here is what engine.memo.render and engine.memo.charts add to it
    code = (
        "import sys, engine.memo; before = set(sys.modules); "
        "import engine.memo.render, engine.memo.charts; added = set(sys.modules) - before; "
        "bad = [m for m in ('matplotlib', 'docx', 'fpdf', 'uharfbuzz', 'fontTools') if m in added]; "
        "assert not bad and 'matplotlib' not in sys.modules, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


# ------------------------------------------------------------------------------------- DOCX


def _xml(data: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(part).decode("utf-8")


def test_docx_opens_and_holds_every_heading(
    rendered: dict[tuple[str, str], bytes], memos: dict[str, Memo]
) -> None:
    document = Document(io.BytesIO(rendered["zh", "docx"]))
    text = "\n".join(p.text for p in document.paragraphs)
    for heading in memos["zh"].headings():
        assert heading in text
    assert document.core_properties.language == "zh-CN"
    assert document.core_properties.title == memos["zh"].title.text


def test_docx_names_the_official_fonts_without_theme_fonts(rendered: dict[tuple[str, str], bytes]) -> None:
    styles = _xml(rendered["zh", "docx"], "word/styles.xml")
    east_asian = set(re.findall(r'w:eastAsia="([^"]+)"', styles))
    assert {"仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体"} <= east_asian
    assert 'w:ascii="Times New Roman"' in styles
    assert "asciiTheme" not in styles and "eastAsiaTheme" not in styles
    assert re.search(r'<w:lang w:val="en-US" w:eastAsia="zh-CN"', styles)
    # a missing font has a named stand-in
    assert re.search(
        r'w:name="仿宋_GB2312"><w:altName w:val="仿宋"', _xml(rendered["zh", "docx"], "word/fontTable.xml")
    )


def test_docx_title_has_no_letter_spacing_or_rule(rendered: dict[tuple[str, str], bytes]) -> None:
    styles = _xml(rendered["en", "docx"], "word/styles.xml")
    for style in ("Title", "Subtitle"):
        body = re.search(rf'<w:style [^>]*w:styleId="{style}".*?</w:style>', styles, re.S)
        assert body is not None
        assert "<w:spacing w:val" not in body.group(0) and "<w:pBdr>" not in body.group(0)


def test_docx_page_numbers_alternate_sides(rendered: dict[tuple[str, str], bytes]) -> None:
    data = rendered["zh", "docx"]
    assert "<w:evenAndOddHeaders/>" in _xml(data, "word/settings.xml")
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for footer, side in ((odd, "right"), (even, "left")):
        xml = footer._p.xml
        assert "PAGE" in xml and "—" in footer.text
        assert f'<w:jc w:val="{side}"/>' in xml
    assert abs(section.top_margin.mm - 37) < 0.1 and abs(section.left_margin.mm - 28) < 0.1


def test_docx_rows_never_split_and_tables_that_fit_stay_whole(rendered: dict[tuple[str, str], bytes]) -> None:
    document = Document(io.BytesIO(rendered["zh", "docx"]))
    tables = document.tables
    assert len(tables) >= 4  # three tables and the 版记
    for table in tables:
        for row in table.rows:
            assert row._tr.find(f"{W}trPr/{W}cantSplit") is not None
    short = tables[0]  # 表1: every row but the last keeps with the next
    keeps = [row.cells[0].paragraphs[0].paragraph_format.keep_with_next for row in short.rows]
    assert all(keeps[:-1]) and not keeps[-1]
    assert short.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    long_table = next(t for t in tables if len(t.rows) > 30)  # 附表2 runs over pages: its header repeats
    assert long_table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None


def test_docx_captions_stay_with_tables_and_charts_with_captions(
    rendered: dict[tuple[str, str], bytes],
) -> None:
    document = Document(io.BytesIO(rendered["zh", "docx"]))
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Memo Caption" and paragraph.text.startswith(("表", "附表")):
            assert paragraph.paragraph_format.keep_with_next
        if paragraph.style.name == "Memo Figure":  # the style keeps a chart with its caption
            assert paragraph.style.paragraph_format.keep_with_next
            assert paragraph.paragraph_format.keep_with_next is not False


def test_docx_annex_starts_on_a_new_page(rendered: dict[tuple[str, str], bytes]) -> None:
    document = Document(io.BytesIO(rendered["zh", "docx"]))
    annex = next(p for p in document.paragraphs if p.text == "附件　技术说明")
    assert annex.paragraph_format.page_break_before
    breaks = [p.text for p in document.paragraphs if p.paragraph_format.page_break_before]
    assert breaks == ["附件　技术说明"]


def test_docx_masthead_has_a_red_rule_and_plain_lists_have_bold_leads(
    rendered: dict[tuple[str, str], bytes],
) -> None:
    document = Document(io.BytesIO(rendered["zh", "docx"]))
    paragraphs = document.paragraphs
    assert paragraphs[0].text == "内部资料　注意保存"
    assert paragraphs[1].text == "决策参考"
    info = paragraphs[2]
    assert info.text == "第12期\t武汉市发展研究中心\t2025年3月4日"
    assert 'w:color="C00000"' in info._p.xml and "<w:bottom " in info._p.xml
    first = next(p for p in paragraphs if p.text.startswith("一是"))
    assert first.runs[0].text == "一是" and first.runs[0].style.name == "Memo Lead"
    assert "•" not in first.text
    numbered = [p.text for p in paragraphs if p.style.name == "Memo List Numbered"]
    assert numbered and numbered[0].startswith("1. ")


def test_docx_charts_are_print_resolution_pngs_the_width_of_the_text(
    rendered: dict[tuple[str, str], bytes],
) -> None:
    data = rendered["zh", "docx"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        images = [archive.read(n) for n in archive.namelist() if n.startswith("word/media/")]
    assert len(images) == 4
    for image in images:
        assert image.startswith(b"\x89PNG")
        width, _ = Image.open(io.BytesIO(image)).size
        assert width / (156 / 25.4) >= 200  # pixels per inch at 156 mm
    document = Document(io.BytesIO(data))
    shapes = document.inline_shapes
    assert len(shapes) == 4 and all(abs(shape.width.mm - 156) < 0.5 for shape in shapes)


def test_docx_keeps_user_text_literal_and_drops_what_xml_cannot_hold(memos: dict[str, Memo]) -> None:
    memo = dataclasses.replace(
        memos["nasty"], brief=(*memos["nasty"].brief, Paragraph("bell\x07 and\x0b tab"))
    )
    document = Document(io.BytesIO(render(memo, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "<script>alert('x')</script> **bold** | $x$ rm [link](http://e.x) &amp;" in text
    assert "bell and tab" in text


# -------------------------------------------------------------------------------------- PDF


@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdffonts) is not installed")
def test_pdf_text_reads_back_with_every_heading(
    rendered: dict[tuple[str, str], bytes], memos: dict[str, Memo], tmp_path: Path
) -> None:
    for name in ("zh", "en"):
        text = re.sub(r"\s+", "", _pdftotext(rendered[name, "pdf"], tmp_path))
        for heading in memos[name].headings():
            assert re.sub(r"\s+", "", heading) in text
        assert re.sub(r"\s+", "", memos[name].masthead.name) in text
        assert "`" not in text  # inline code is set in the code face, without its backticks


@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdffonts) is not installed")
def test_pdf_embeds_every_font_with_latin_text_in_a_latin_face(
    rendered: dict[tuple[str, str], bytes], tmp_path: Path
) -> None:
    path = tmp_path / "memo.pdf"
    path.write_bytes(rendered["zh", "pdf"])
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    assert rows and all(" yes yes yes " in row for row in rows)
    names = " ".join(row.split()[0] for row in rows)
    assert fonts.face("latin").path.stem in names and fonts.face("body").path.stem in names


@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdffonts) is not installed")
def test_pdf_brief_is_four_pages_and_the_annex_starts_a_page(
    rendered: dict[tuple[str, str], bytes], tmp_path: Path
) -> None:
    data = rendered["zh", "pdf"]
    pages = _page_count(data)
    assert 6 <= pages <= 14
    assert "附件" not in _pdftotext(data, tmp_path, 1, 4)
    assert _pdftotext(data, tmp_path, 5).lstrip().startswith("附件")


@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdffonts) is not installed")
def test_pdf_never_breaks_a_word_nor_leaves_a_caption_at_a_page_foot(
    rendered: dict[tuple[str, str], bytes], memos: dict[str, Memo], tmp_path: Path
) -> None:
    data = rendered["en", "pdf"]
    words: set[str] = set()
    drawn = [charts.svg_text(charts.svg(c, "en", outlines=False)) for c in memos["en"].find(Chart)]
    for text in [*_strings(memos["en"]), *drawn]:
        for word in text.replace("`", "").split():
            words.add(word)
            words.update(part + "-" for part in word.split("-")[:-1])  # a line may end after a hyphen
            words.update(word.split("-")[1:])
    text = _pdftotext(data, tmp_path)

    def bare(word: str) -> str:
        return word.strip(".,;:()“”’'\"")

    vocabulary = {bare(w) for w in words}
    printed = {bare(w) for w in text.split()}
    # 'talent' must never come out as 't' + 'alent'
    broken = {w for w in printed if w.isascii() and w.isalpha() and w not in vocabulary}
    assert not broken
    for page in range(1, _page_count(data) + 1):
        lines = [line for line in _pdftotext(data, tmp_path, page).splitlines() if line.strip()]
        last = lines[-2] if len(lines) > 1 else ""  # the last line is the page number
        # a table's caption stands above it (a figure's below, where the page may end)
        assert not last.startswith(("Table", "Annex table")), (page, last)


@pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdffonts) is not installed")
def test_pdf_prints_user_text_literally(rendered: dict[tuple[str, str], bytes], tmp_path: Path) -> None:
    text = _pdftotext(rendered["nasty", "pdf"], tmp_path)
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", "<script>alert('x')</script> **bold** | $x$") in flat
    assert "`" not in text


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or not POPPLER, reason="LibreOffice is not installed")
def test_pdf_has_the_page_count_of_the_word_file_in_libreoffice(
    rendered: dict[tuple[str, str], bytes], tmp_path: Path
) -> None:
    (tmp_path / "memo.docx").write_bytes(rendered["zh", "docx"])
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "memo.docx"),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    word_pages = _page_count((tmp_path / "memo.pdf").read_bytes())
    assert abs(word_pages - _page_count(rendered["zh", "pdf"])) <= 1


# ------------------------------------------------------------------------------------- HTML


def test_html_escapes_user_text_and_inlines_svg_charts(rendered: dict[tuple[str, str], bytes]) -> None:
    html = rendered["nasty", "html"].decode("utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert html.count("<svg") == 4 and "<img" not in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    # every reference points to an id of the page
    assert set(re.findall(r'(?:url\(#|href="#)([^")]+)', html)) <= set(ids)


def test_html_is_print_ready_with_a_plain_masthead(rendered: dict[tuple[str, str], bytes]) -> None:
    zh, en = rendered["zh", "html"].decode(), rendered["en", "html"].decode()
    assert '<html lang="zh-CN">' in zh and '<html lang="en-US">' in en
    assert '<div class="masthead">Policy Brief</div>' in en and "letter-spacing" not in en
    assert "@media print" in zh and "break-before: page" in zh and "@page { size: A4" in zh
    assert zh.index('<div class="page-break">') < zh.index("附件　技术说明")
    assert "仿宋_GB2312" in zh and "方正小标宋简体" in zh


# --------------------------------------------------------------------------------- Markdown


def test_markdown_escapes_user_text(rendered: dict[tuple[str, str], bytes]) -> None:
    markdown = rendered["nasty", "md"].decode("utf-8")
    assert "<script>" not in markdown
    assert r"\<script\>alert('x')\</script\> \*\*bold\*\* \| \$x\$ `rm`" in markdown
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_markdown_shows_charts_as_text_and_numbers(rendered: dict[tuple[str, str], bytes]) -> None:
    markdown = rendered["zh", "md"].decode("utf-8")
    assert "**图1　2000次扰动测算中各对策居首的比例**" in markdown
    assert "| 人才安居与回流计划 | 46% | 41%–52% |" in markdown
    assert "| 对策 / 权重 | 0% | 20% | 40% | 60% | 80% | 100% |" in markdown
    assert "**一是**优先实施" in markdown


def test_a_separate_annex_renders_without_masthead(memos: dict[str, Memo]) -> None:
    memo = dataclasses.replace(memos["zh"], annex_separate=True)
    annex = memo.annex_document()
    assert annex is not None
    assert "附件" not in render(memo, "md").decode()
    for fmt in ("md", "html"):
        text = render(annex, fmt).decode()
        assert "决策参考" not in text and "附件　技术说明" in text
    document = Document(io.BytesIO(render(annex, "docx")))
    assert document.paragraphs[0].text == "附件　技术说明"


# ------------------------------------------------------------------------------------ charts


def _chart(**changes: object) -> Chart:
    chart = Chart(
        kind="first_shares",
        labels=("甲", "乙 B", "$x$"),
        series=(Series("居首比例", (0.6, 0.3, 0.1), low=(0.5, 0.2, 0.0), high=(0.7, 0.4, 0.2)),),
        caption="图1",
        alt="甲 60%",
        axis="居首比例",
        percent=True,
    )
    return dataclasses.replace(chart, **changes)


def test_chart_svg_has_outlines_for_html_and_text_for_pdf() -> None:
    chart = _chart()
    outlined = charts.svg(chart, "zh")
    assert outlined.startswith("<svg") and "<text" not in outlined and "<!--" not in outlined
    texty = charts.svg(chart, "zh", outlines=False)
    assert f"font-family: {charts.TEXT_FAMILY}" in texty
    assert {"甲", "乙", "$", "%"} <= set(charts.svg_text(texty))  # "$x$" is not mathematics


def test_chart_png_is_print_resolution() -> None:
    image = Image.open(io.BytesIO(charts.png(_chart(kind="weights"), "en")))
    assert image.info["dpi"][0] >= 200
    assert abs(image.size[0] - charts.text_width("en") / 25.4 * image.info["dpi"][0]) < 2


def test_scores_with_negative_values_and_sensitivity_lines_draw() -> None:
    scores = _chart(series=(Series("净流量", (0.2, -0.05, -0.15)),), percent=False)
    assert "<svg" in charts.svg(scores, "zh")
    lines = Chart(
        kind="sensitivity",
        labels=("a", "b"),
        series=(Series("a", (1.0, 0.0)), Series("b", (0.0, 1.0))),
        caption="",
        alt="",
        x=(0.0, 1.0),
        marker=0.25,
        axis="score",
    )
    assert "<svg" in charts.svg(lines, "en")


def test_crossings_are_where_the_leader_meets_another_line() -> None:
    import numpy as np

    x = np.linspace(0, 1, 11)
    found = charts._crossings(x, [1 - x, x, np.full_like(x, 0.2)])
    assert [round(at, 3) for at, _ in found] == [0.5, 0.8]


# ------------------------------------------------------------------------------------- fonts


def test_every_font_role_has_a_file_and_small_fonts_hold_the_characters() -> None:
    from fontTools.ttLib import TTFont

    for role in ("body", "heading", "kai", "title", "latin", "latin_bold", "mono"):
        assert fonts.face(role).path.is_file()
    wanted = frozenset(map(ord, "决策参考 Policy 12%"))
    font = TTFont(io.BytesIO(fonts.truetype(fonts.face("body"), wanted)))
    assert wanted <= set(font.getBestCmap())
    assert "glyf" in font and len(font.getGlyphOrder()) <= len(wanted) + 2


def test_degenerate_blocks_render_in_every_format() -> None:
    long_word = "https://example.com/" + "x" * 200
    memo = Memo(
        lang="zh",
        date=sample_memo().date,
        masthead=Masthead(name="决策参考"),
        title=Title(text="标题" * 30),
        brief=(
            Paragraph(long_word, lead="链接："),
            Table(header=("a",), rows=()),
            Table(header=("名称", "网址"), rows=(("甲", long_word),), widths=(0, 0)),
            Chart(kind="first_shares", labels=(), series=(Series("s", ()),), caption="", alt=""),
            Chart(
                kind="sensitivity", labels=("a",), series=(Series("a", (0.5,)),), caption="", alt="", x=(0.3,)
            ),
            Preformatted(""),
            Bullets(()),
            Bullets((Paragraph(""),), style="numbered"),
            Signature(()),
            Colophon(()),
            PageBreak(),
            PageBreak(),
            Paragraph("控制字符\x00\x07 与 ①② ‰ ℃ ≥ − 与 `` 与 `未闭合"),
        ),
    )
    for fmt in FORMATS:
        assert render(memo, fmt)
    assert render(memo, "md") == render(memo, "md")  # the same memo gives the same bytes
    assert render(memo, "pdf") == render(memo, "pdf")


def test_engine_memo_exports_the_render_function() -> None:
    # engine.memo.render is both a package and the function engine.memo exports under that name
    import engine.memo.render.markdown  # noqa: F401  (importing a renderer must not rebind the name)
    from engine.memo import render as exported
    from engine.memo.render import render as function

    assert exported is function
    assert b"**Policy Brief**" in exported(sample_memo("en"), "md")


def test_pdf_outline_lists_the_headings_on_their_pages(rendered: dict[tuple[str, str], bytes]) -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(rendered["zh", "pdf"]))

    def entries(outline: list) -> list[tuple[str, int]]:  # type: ignore[type-arg]
        found: list[tuple[str, int]] = []
        for item in outline:
            if isinstance(item, list):
                found += entries(item)
            else:
                found.append((item.title, reader.get_destination_page_number(item) + 1))
        return found

    outline = dict(entries(reader.outline))
    assert outline["核心观点"] == 1
    assert outline["附件　技术说明"] == 5
    assert "（一）人才安居与回流计划" in outline
