"""Text from user files reaches every format literally: no markup, no broken tables."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import subprocess
from pathlib import Path

import pytest
from docx import Document

from engine.analysis import run
from engine.load import problem_from_documents
from engine.memo import build_memo, render
from engine.memo.render.markdown import escape
from engine.robustness.study import analyze
from engine.settings import Settings
from tests.conftest import MINI, read
from tests.memo.conftest import docx_text

# one backtick: a pair marks a code span in every renderer (shown in a fixed-width face)
HOSTILE = "<script>alert(1)</script> | *bold* _it_ [link](http://x) `code #1 {nb} $x$ &amp;"


@pytest.fixture(scope="module")
def hostile_memos():
    docs = {
        "criteria": read(MINI / "criteria.yaml"),
        "catalogue": read(MINI / "countermeasures.yaml"),
        "evidence": read(MINI / "evidence.yaml"),
        "preset": read(MINI / "presets" / "even.yaml"),
    }
    item = docs["catalogue"]["countermeasures"][0]
    item["name"] = {"zh": "对策" + HOSTILE, "en": "Measure " + HOSTILE}
    item["short"] = {"zh": "对策" + HOSTILE, "en": "Measure " + HOSTILE}  # the brief's name
    item["actions"] = [{"zh": "1. " + HOSTILE, "en": "- " + HOSTILE}]
    item["scores"]["jobs"]["why"] = {"zh": HOSTILE, "en": HOSTILE}
    problem = problem_from_documents(
        (docs["criteria"], "criteria.yaml"),
        (docs["catalogue"], "countermeasures.yaml"),
        (docs["evidence"], "evidence.yaml"),
        [(docs["preset"], "even.yaml")],
        sources={"x|y<b>.yaml": "0" * 64},
    )
    analysis = run(problem, Settings())
    study = analyze(problem, analysis.settings, analysis=analysis, samples=200)
    return {
        lang: build_memo(analysis, lang=lang, robustness=study, today=dt.date(2025, 1, 2))
        for lang in ("zh", "en")
    }


def cells(line: str) -> list[str]:
    """The cells of a Markdown table line, splitting only at unescaped pipes."""
    return re.split(r"(?<!\\)\|", line.strip())[1:-1]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_tables_keep_their_columns(hostile_memos, lang):
    text = render(hostile_memos[lang], "md").decode("utf-8")
    table: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            table.append(cells(line))
        elif table:
            assert len({len(row) for row in table}) == 1, table
            table = []
    assert "<script>" not in text
    assert "\\<script\\>" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_renders_the_name_literally(hostile_memos, lang):
    import markdown_it

    parser = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table")
    rendered = parser.render(render(hostile_memos[lang], "md").decode("utf-8"))
    assert "<script>" not in rendered
    assert html.escape(HOSTILE, quote=False) in rendered
    for markup in ("<em>bold</em>", "<em>it</em>", '<a href="http://x"', "<code>code</code>", "<h1>1"):
        assert markup not in rendered
    # every table row has as many cells as its header
    for table in re.findall(r"<table>.*?</table>", rendered, re.S):
        header = len(re.findall(r"<th[ >]", table.split("</thead>")[0]))
        for row in re.findall(r"<tr>(.*?)</tr>", table.split("</thead>")[1], re.S):
            assert len(re.findall(r"<td", row)) == header
    # an action that starts like a list item stays one plain bullet
    assert "<ol" not in rendered


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_escapes_everything(hostile_memos, lang):
    page = render(hostile_memos[lang], "html").decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en-US"}">' in page
    assert '<meta charset="utf-8">' in page
    assert "<script" not in page.lower()
    assert html.escape(HOSTILE) in page
    assert "x|y&lt;b&gt;.yaml" in page


@pytest.mark.slow
def test_docx_and_pdf_show_the_text_as_written(hostile_memos, tmp_path: Path):
    memo = hostile_memos["zh"]
    assert HOSTILE in docx_text(render(memo, "docx"))
    Document(io.BytesIO(render(memo, "docx")))  # still a valid document
    path = tmp_path / "memo.pdf"
    path.write_bytes(render(memo, "pdf"))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = text.replace("\n", "")
    assert "{nb}" in text  # fpdf2's page-count alias is off
    assert "<script>alert(1)</script>" in text


def test_escape_function():
    assert escape("a|b") == "a\\|b"
    assert escape("*x* _y_ `z` [l](u) <t> # ~ & $ !") == (
        "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\<t\\> \\# \\~ \\& \\$ \\!"
    )
    assert escape("two\nlines") == "two lines"
    assert escape("0.7120，第1→2位") == "0.7120，第1→2位"  # prose and numbers stay readable


def test_plain_names_stay_readable(memo_zh, shipped):
    page = render(memo_zh, "html").decode("utf-8")
    markdown = render(memo_zh, "md").decode("utf-8")
    for item in shipped.countermeasures:
        assert item.name.zh in page
        assert item.name.zh in markdown
