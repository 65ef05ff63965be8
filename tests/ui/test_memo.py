"""Memo page: a download button per format, produced lazily, and a preview of the memo."""

from __future__ import annotations

import io

import docx
import pytest

from engine.analysis import run
from engine.memo import FORMATS, build_memo, render
from tests.ui.conftest import started, text
from ui import memos, state


def test_offers_one_download_per_format():
    app = started("memo")
    buttons = {b.key: b for b in app.download_button}
    assert set(buttons) == {state.memo_key(fmt) for fmt in FORMATS}
    for fmt in FORMATS:
        button = buttons[state.memo_key(fmt)]
        assert button.label == text(f"memo.download.{fmt}")
        # produced on click, not on every rerun
        assert button.proto.deferred_file_id
        assert not button.proto.url


def test_preview_is_the_markdown_memo(problem):
    app = started("memo")
    analysis = run(problem)
    preview = "\n".join(m.value for m in app.markdown)
    expected = render(build_memo(analysis, lang="zh"), "md").decode("utf-8")
    assert expected in preview
    assert analysis.ranking[0].name.zh in preview


def test_memo_language_follows_its_switch(problem):
    app = started("memo")
    app.radio(key=state.W_MEMO_LANG).set_value("en").run()
    assert not app.exception
    preview = "\n".join(m.value for m in app.markdown)
    assert run(problem).ranking[0].name.en in preview
    assert app.title[0].value == text("nav.memo", "zh")  # the interface language is unchanged


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_deferred_bytes_are_the_engine_rendering(problem, fmt):
    analysis = run(problem)
    memo = memos.memo(analysis, "zh")
    assert memos.renderer(analysis, memo, fmt)() == render(
        build_memo(analysis, lang="zh", today=memo.date), fmt
    )


def test_deferred_docx_opens_and_names_the_top_countermeasure(problem):
    analysis = run(problem)
    data = memos.renderer(analysis, memos.memo(analysis, "zh"), "docx")()
    document = docx.Document(io.BytesIO(data))
    body = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert analysis.ranking[0].name.zh in body


@pytest.mark.slow
def test_deferred_pdf_is_a_pdf(problem):
    analysis = run(problem)
    data = memos.renderer(analysis, memos.memo(analysis, "en"), "pdf")()
    assert data.startswith(b"%PDF-")
