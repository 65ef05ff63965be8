"""Memo page: a download button per format, produced lazily, a preview of the brief, the shared
robustness study and budget, and the masthead options."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace

import docx
import pytest
from streamlit.testing.v1 import AppTest

from engine.analysis import run
from engine.errors import InputError
from engine.insight.portfolio import load_rules, select_package
from engine.memo import FORMATS, INTERNAL, MemoOptions, build_memo, render
from engine.memo.render.markdown import escape
from engine.recommendation import recommend
from engine.robustness.study import DEFAULT_SEED, analyze
from tests.ui.conftest import ROOT, TIMEOUT, VIEWS, started, text
from tests.ui.downloads import capture
from ui import memos, state
from ui.decisions import SHIPPED_RULES
from ui.format import md

SAMPLES = state.DEFAULTS[state.SAMPLES]


def study_of(problem, samples: int = SAMPLES):
    analysis = run(problem)
    return analysis, analyze(
        problem, analysis.settings, samples=samples, seed=DEFAULT_SEED, analysis=analysis
    )


def app_memo(problem, samples: int = SAMPLES, **kwargs):
    """The memo the page builds: the recommendation knows the experts' groups, as the overview's."""
    analysis, study = study_of(problem, samples)
    found = recommend(
        analysis,
        study,
        budget=kwargs.get("budget"),
        rules=kwargs.get("rules"),
        groups=memos.decisions.groups(analysis),
    )
    return build_memo(analysis, lang="zh", robustness=study, recommendation=found, **kwargs)


def preview(app) -> str:
    return "\n".join(m.value for m in app.markdown)


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


def test_preview_is_the_markdown_brief_with_the_shared_study(problem):
    app = started("memo")
    memo = app_memo(problem)
    brief = render(replace(memo, annex_separate=True), "md").decode("utf-8")
    assert brief in preview(app)
    assert "附件" not in preview(app)  # the annex is in the downloads only
    assert "两万次扰动测算" in preview(app)


def test_memo_language_follows_its_switch(problem):
    app = started("memo")
    app.radio(key=state.W_MEMO_LANG).set_value("en").run()
    assert not app.exception
    assert run(problem).ranking[0].name.en in preview(app)
    assert app.title[0].value == text("nav.memo", "zh")  # the interface language is unchanged


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_deferred_bytes_are_the_engine_rendering(problem, fmt):
    analysis = run(problem)
    memo = memos.memo(analysis, "zh", memos.memo_choice(analysis, SAMPLES))
    expected = app_memo(problem, today=memo.date)
    assert memos.renderer(analysis, memo, fmt, memos.memo_choice(analysis, SAMPLES))() == render(
        expected, fmt
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


# ---------------------------------------------------------------- study, budget and masthead


def md_button(app):
    return next(b for b in app.download_button if b.key == state.memo_key("md"))


def served_memo(app, served) -> tuple[bytes, dt.date]:
    """The Markdown download's bytes and the memo date its file name carries."""
    data, name = served.file(md_button(app))
    return data, dt.date.fromisoformat(re.search(r"\d{4}-\d{2}-\d{2}", name).group(0))


def test_options_start_plain():
    app = started("memo")
    assert not app.checkbox(key=state.W_MEMO_PACKAGE).value
    assert app.number_input(key=state.W_MEMO_BUDGET).disabled
    assert app.number_input(key=state.W_MEMO_SAMPLES).value == SAMPLES
    assert app.text_input(key=state.W_MEMO_ISSUE).value == ""
    assert not app.checkbox(key=state.W_MEMO_MARK).value
    assert "三、把握程度" in preview(app) and INTERNAL.zh not in preview(app)


def test_the_sample_count_is_the_studys(problem):
    samples = 5_000
    with capture() as served:
        app = started("memo")
        app.number_input(key=state.W_MEMO_SAMPLES).set_value(samples).run()
        assert not app.exception
        data, day = served_memo(app, served)
    assert data == render(app_memo(problem, samples, today=day), "md")
    assert "五千次扰动测算" in preview(app)


def test_masthead_options_reach_the_memo(problem):
    with capture() as served:
        app = started("memo")
        app.text_input(key=state.W_MEMO_ISSUE).input("7").run()
        app.text_input(key=state.W_MEMO_PUBLISHER).input("市委政研室 <b>").run()
        app.checkbox(key=state.W_MEMO_MARK).check().run()
        assert not app.exception
        data, day = served_memo(app, served)
    options = MemoOptions(issue=7, publisher="市委政研室 <b>", mark=INTERNAL)
    assert data == render(app_memo(problem, options=options, today=day), "md")
    text_ = data.decode("utf-8")
    assert "第7期" in text_ and INTERNAL.zh in text_ and escape("市委政研室 <b>") in text_
    assert "<b>" not in preview(app)


def test_the_package_option_recommends_a_package_for_the_budget(problem):
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
    assert data == render(app_memo(problem, budget=budget, rules=rules, today=day), "md")
    assert "每年30亿元" in data.decode("utf-8")


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
    assert "每年0亿元" not in preview(app)


def test_memo_options_survive_a_page_switch():
    app = AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=TIMEOUT).run()
    app.switch_page(str(VIEWS / "memo.py")).run()
    app.checkbox(key=state.W_MEMO_PACKAGE).check().run()
    app.number_input(key=state.W_MEMO_BUDGET).set_value(40.0).run()
    app.text_input(key=state.W_MEMO_ISSUE).input("2026年第3期").run()
    app.switch_page(str(VIEWS / "ranking.py")).run()
    app.switch_page(str(VIEWS / "memo.py")).run()
    assert not app.exception
    assert app.checkbox(key=state.W_MEMO_PACKAGE).value
    assert app.number_input(key=state.W_MEMO_BUDGET).value == 40.0
    assert app.text_input(key=state.W_MEMO_ISSUE).value == "2026年第3期"
    assert "每年40亿元" in preview(app) and "2026年第3期" in preview(app)


def test_the_budget_pages_package_choices_reach_the_memo(problem):
    # chosen on the budget page: the memo's package must be the one that page shows, and the
    # brief must say which countermeasures were forced in and out
    budget, must, exclude, basis = 60.0, "chain_ecosystem", "targeted_recruitment", "primary"
    with capture() as served:
        app = AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=TIMEOUT).run()
        app.switch_page(str(VIEWS / "budget.py")).run()
        app.slider(key="w:budget:amount").set_value(budget).run()
        app.multiselect(key="w:budget:must").select(must).run()
        app.multiselect(key="w:budget:exclude").select(exclude).run()
        app.radio(key="w:budget:basis").set_value(basis).run()
        assert not app.exception and not app.error
        app.switch_page(str(VIEWS / "memo.py")).run()
        app.checkbox(key=state.W_MEMO_PACKAGE).check().run()
        assert not app.exception and not app.error
        assert app.number_input(key=state.W_MEMO_BUDGET).value == budget
        button = next(b for b in app.download_button if b.key == state.memo_key("docx"))
        data, _ = served.file(button)
    rules = load_rules(SHIPPED_RULES, problem.alternative_ids).merged(must=[must], exclude=[exclude])
    analysis = run(problem)
    chosen = select_package(analysis, budget, rules=rules, basis=basis)
    assert (
        chosen.selected
        != select_package(analysis, budget, rules=load_rules(SHIPPED_RULES, problem.alternative_ids)).selected
    ), "the choices must change the package for this test"
    document = docx.Document(io.BytesIO(data))
    body = "\n".join(p.text for p in document.paragraphs)
    short = {m.id: m.short.zh for m in problem.countermeasures}
    assert f"按要求纳入{short[must]}、不纳入{short[exclude]}" in body
    package_line = next(line for line in body.splitlines() if "每年60亿元" in line and "推进" in line)
    assert all(short[item] in package_line for item in chosen.selected)
    assert short[exclude] not in package_line
