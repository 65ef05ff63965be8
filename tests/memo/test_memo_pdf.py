"""The PDF memo: Chinese text that a reader can extract, the ranking in order, embedded fonts.

pypdf's ``extract_text`` cannot read CFF-based CID fonts whose encoding is an embedded CMap stream
(py-pdf/pypdf#2295), which is how fpdf2 embeds the OpenType Noto fonts. So the text is recovered
here from the content streams and each font's ToUnicode map, read with pypdf; where poppler's
``pdftotext`` is installed it is checked too, since that is what readers' tools do.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from tests.memo.conftest import CJK, EN_SECTIONS, ZH_SECTIONS

_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def to_unicode(font) -> dict[int, str]:
    """Code -> text from a font's ToUnicode CMap (bfchar and bfrange entries)."""
    data = font["/ToUnicode"].get_object().get_data()
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for line in block.strip().splitlines():
            code, text = _HEX.findall(line)
            mapping[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for line in block.strip().splitlines():
            first, last, start = (int(h, 16) for h in _HEX.findall(line)[:3])
            for offset in range(last - first + 1):
                mapping[first + offset] = chr(start + offset)
    return mapping


def pdf_pages(data: bytes) -> list[str]:
    """The text of every page, one line per baseline, in drawing order."""
    reader = PdfReader(io.BytesIO(data))
    pages = []
    for page in reader.pages:
        fonts = {name: to_unicode(font.get_object()) for name, font in page["/Resources"]["/Font"].items()}
        lines: list[list[str]] = []
        last_y = None
        current: dict[int, str] = {}
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                current = fonts[operands[0]]
            elif operator == b"Td":
                y = round(float(operands[1]), 1)
                if y != last_y:
                    lines.append([])
                    last_y = y
            elif operator in (b"Tj", b"TJ"):
                strings = operands[0] if operator == b"TJ" else [operands[0]]
                for item in strings:
                    if isinstance(item, int | float):
                        continue
                    raw = item.original_bytes if hasattr(item, "original_bytes") else bytes(item)
                    codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
                    lines[-1].append("".join(current.get(code, "\ufffd") for code in codes))
        pages.append("\n".join("".join(parts) for parts in lines))
    return pages


def assert_in_order(text: str, needles: list[str], start: int = 0) -> None:
    position = start
    for needle in needles:
        found = text.find(needle, position)
        assert found >= 0, f"{needle!r} missing (or out of order) after position {position}"
        position = found + len(needle)


def test_chinese_headings_and_ranking_in_order(pdf_zh, shipped_analysis):
    pages = pdf_pages(pdf_zh)
    text = "\n".join(pages)
    assert "\ufffd" not in text
    assert text.startswith("决策参考")
    assert_in_order(text, ZH_SECTIONS)
    table = text.index("表1")
    names = [entry.name.zh for entry in shipped_analysis.ranking]
    assert_in_order(text.replace("\n", ""), names, start=text.replace("\n", "").index("表1"))
    scores = [f"{entry.score:.4f}" for entry in shipped_analysis.ranking]
    assert_in_order(text, scores, start=table)
    for number, page in enumerate(pages, start=1):
        assert page.rstrip().endswith(f"— {number} —")


def test_fonts_are_embedded_subsets(pdf_zh):
    reader = PdfReader(io.BytesIO(pdf_zh))
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] == "/Type0"
            assert re.fullmatch(r"/[A-Z]{6}\+Noto(Serif|Sans)SC", font["/BaseFont"])
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
            seen.add(font["/BaseFont"].split("+")[1])
    assert seen == {"NotoSerifSC", "NotoSansSC"}
    # a subset: far smaller than the 8-12 MB font files
    assert len(pdf_zh) < 2_000_000


def test_english_pdf(pdf_en, shipped_analysis):
    text = "\n".join(pdf_pages(pdf_en))
    assert_in_order(text, EN_SECTIONS)
    flat = text.replace("\n", " ")
    start = flat.index("Table 1")
    for entry in shipped_analysis.ranking:
        words = entry.name.en.split()
        found = flat.find(words[0], start)
        assert found >= 0, entry.name.en
        start = found
    assert not CJK.findall(text)
    assert "Position: ranked 1 of" in text  # the space after a lead survives the line breaking


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdftotext_reads_chinese(tmp_path, pdf_zh):
    path = tmp_path / "memo.pdf"
    path.write_bytes(pdf_zh)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert_in_order(text, ZH_SECTIONS)
