"""Memo page: a download button per format, produced lazily, and a preview of the memo."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import pytest
from streamlit.testing.v1 import AppTest

from engine.analysis import run
from engine.errors import InputError
from engine.insight.portfolio import load_rules, select_package
from engine.memo import FORMATS, build_memo, render
from engine.memo.to_markdown import escape
from engine.robustness.study import DEFAULT_SEED, analyze
from tests.ui.conftest import ROOT, TIMEOUT, VIEWS, started, text
from tests.ui.downloads import capture
from ui import memos, state
from ui.decisions import SHIPPED_RULES
from ui.format import md


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


# ---------------------------------------------------------------- robustness study and policy package


def md_button(app):
    return next(b for b in app.download_button if b.key == state.memo_key("md"))


def served_memo(app, served) -> tuple[bytes, dt.date]:
    """The Markdown download's bytes and the memo date its file name carries."""
    data, name = served.file(md_button(app))
    return data, dt.date.fromisoformat(re.search(r"\d{4}-\d{2}-\d{2}", name).group(0))


def test_options_start_off_and_say_what_they_cost():
    app = started("memo")
    assert not app.checkbox(key=state.W_MEMO_ROBUSTNESS).value
    assert not app.checkbox(key=state.W_MEMO_PACKAGE).value
    samples = app.number_input(key=state.W_MEMO_SAMPLES)
    assert samples.value == state.DEFAULTS[state.SAMPLES] and samples.disabled
    assert app.number_input(key=state.W_MEMO_BUDGET).disabled
    preview = "\n".join(m.value for m in app.markdown)
    assert "四、稳健性" in preview and "六、政策组合" not in preview


def test_the_robustness_option_puts_the_study_into_the_memo(problem):
    samples = 5_000
    with capture() as served:
        app = started("memo")
        app.checkbox(key=state.W_MEMO_ROBUSTNESS).check().run()
        app.number_input(key=state.W_MEMO_SAMPLES).set_value(samples).run()
        assert not app.exception
        data, day = served_memo(app, served)
    analysis = run(problem)
    study = analyze(problem, analysis.settings, samples=samples, seed=DEFAULT_SEED, analysis=analysis)
    assert data == render(build_memo(analysis, lang="zh", robustness=study, today=day), "md")
    text_ = data.decode("utf-8")
    section = text_[text_.index("## 四、稳健性") : text_.index("## 五、")]
    assert escape(study.sampling.zh) in section
    for verdict in study.verdicts:
        assert f"| {verdict.rank} | " in section and f"{100 * verdict.share:.1f}%" in section
    key_points = text_[: text_.index("## 一、")]
    assert escape(study.verdicts[0].text.zh) in key_points
    # the preview on the page is the same memo
    assert escape(study.verdicts[0].text.zh) in "\n".join(m.value for m in app.markdown)


def test_the_package_option_adds_section_six_for_the_budget(problem):
    budget = 30.0
    with capture() as served:
        app = started("memo")
        app.checkbox(key=state.W_MEMO_PACKAGE).check().run()
        app.number_input(key=state.W_MEMO_BUDGET).set_value(budget).run()
        assert not app.exception and not app.error
        data, day = served_memo(app, served)
    analysis = run(problem)
    rules = load_rules(SHIPPED_RULES, problem.alternative_ids)
    chosen = select_package(analysis, budget, rules=rules)
    assert 0 < len(chosen.selected) < len(problem.countermeasures), "the budget must make a choice"
    expected_memo = build_memo(analysis, lang="zh", today=day, package=chosen, package_rules=rules)
    assert data == render(expected_memo, "md")
    text_ = data.decode("utf-8")
    assert "## 六、政策组合" in text_
    section = text_[text_.index("## 六、政策组合") : text_.index("## 附录")]
    for item in problem.countermeasures:
        row = next(line for line in section.splitlines() if line.startswith(f"| {escape(item.short.zh)} |"))
        assert ("✓" in row) == (item.id in chosen.selected)


def test_a_budget_the_rules_cannot_meet_is_reported_and_left_out(problem):
    app = started("memo")
    app.checkbox(key=state.W_MEMO_PACKAGE).check().run()
    app.number_input(key=state.W_MEMO_BUDGET).set_value(0.0).run()
    assert not app.exception
    with pytest.raises(InputError) as caught:
        select_package(run(problem), 0.0, rules=load_rules(SHIPPED_RULES, problem.alternative_ids))
    assert caught.value.params["smallest"] == 21.0
    errors = [e.value for e in app.error]
    # in the interface language, with names, and the smallest budget that meets the rules
    assert len(errors) == 1 and md("这些规则不能同时满足：预算不超过每年0亿元") in errors[0]
    assert md("满足这些规则至少需要每年21亿元（营商环境、场景开放、海外招商）") in errors[0]
    assert "六、政策组合" not in "\n".join(m.value for m in app.markdown)


def test_memo_options_survive_a_page_switch():
    app = AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=TIMEOUT).run()
    app.switch_page(str(VIEWS / "memo.py")).run()
    app.checkbox(key=state.W_MEMO_PACKAGE).check().run()
    app.number_input(key=state.W_MEMO_BUDGET).set_value(40.0).run()
    app.switch_page(str(VIEWS / "ranking.py")).run()
    app.switch_page(str(VIEWS / "memo.py")).run()
    assert not app.exception
    assert app.checkbox(key=state.W_MEMO_PACKAGE).value
    assert app.number_input(key=state.W_MEMO_BUDGET).value == 40.0
    assert "六、政策组合" in "\n".join(m.value for m in app.markdown)
