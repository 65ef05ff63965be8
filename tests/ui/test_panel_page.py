"""The analyst's expert panel page (专家咨询): create a panel from a CSV, issue links shown once,
revoke, import filled questionnaires all or nothing, the status and agreement tables, the next
round, and "use the panel" making its weights the open scenario's, kept in the scenario."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from engine.analysis import run
from engine.panel.layout import Identity
from engine.panel.questionnaire import write_questionnaire
from engine.panel.source import PanelSource
from engine.store import SHIPPED_PROJECT
from engine.store.panel import Item
from engine.text import label
from tests.panel.test_questionnaire import fill
from tests.ui.conftest import page, settings_of, text
from ui import panel_tables, panels, state, workspace

EXPERTS = "id,name,group,weight\ne1,张三,think_tank,1\ne2,李四,development_reform,1\ne3,王五,think_tank,1\n"
NAME = "wuhan2026"


def opened() -> AppTest:
    app = page("panel").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def created() -> AppTest:
    panels.panels().create(SHIPPED_PROJECT, NAME, EXPERTS, asks="judgments")
    return opened()


def ok(app: AppTest) -> AppTest:
    assert not app.exception, [e.value for e in app.exception]
    return app


def errors(app: AppTest) -> list[str]:
    """The error messages as read (Markdown escapes removed)."""
    return [e.value.replace("\\", "") for e in app.error]


def test_a_panel_is_created_from_an_experts_csv():
    app = opened()
    assert text("panel.none") in [i.value for i in app.info]
    app.text_input(key="w:panel:name").input(NAME)
    app.file_uploader(key="w:panel:csv").set_value(("experts.csv", EXPERTS.encode(), "text/csv"))
    ok(app.button(key="w:panel:create").click().run())
    info = panels.panels().panel(SHIPPED_PROJECT, NAME)
    assert [e.name for e in info.experts] == ["张三", "李四", "王五"]
    assert app.selectbox(key="w:panel:select").value == NAME
    assert any("张三" in str(frame.value) for frame in app.dataframe)


def test_a_bad_experts_csv_is_refused_with_its_row_and_column_and_nothing_is_created():
    app = opened()
    app.text_input(key="w:panel:name").input(NAME)
    bad = "id,name,group,weight\ne1,张三,ministry,1\n"
    app.file_uploader(key="w:panel:csv").set_value(("experts.csv", bad.encode(), "text/csv"))
    ok(app.button(key="w:panel:create").click().run())
    [message] = errors(app)
    assert "experts.csv" in message and "ministry" in message and "2" in message
    assert panels.panels().panels(SHIPPED_PROJECT) == []


def test_links_are_shown_once_work_and_can_be_revoked():
    app = created()
    ok(app.button(key="w:panel:issue").click().run())
    urls = [c.value for c in app.main.code]
    assert len(urls) == 3 and all("?token=" in url for url in urls)
    tokens = [url.split("?token=")[1] for url in urls]
    handle = panels.panels()
    assert [handle.expert_for_token(token).expert for token in tokens] == ["e1", "e2", "e3"]
    ok(app.button(key="w:panel:hide_links").click().run())
    assert not app.main.code
    assert not opened().main.code  # a new session never sees them again

    app.selectbox(key="w:panel:revoke_expert").set_value("e2")
    ok(app.button(key="w:panel:revoke").click().run())
    assert handle.expert_for_token(tokens[1]) is None
    assert handle.expert_for_token(tokens[0]) is not None


def filled(tmp_path: Path, problem, expert: str, judgments=None) -> tuple[str, bytes, str]:
    path = write_questionnaire(problem, Identity(NAME, expert, 1), tmp_path, asks="judgments")
    fill(path, problem, judgments)
    return (path.name, path.read_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_filled_workbooks_import_all_or_nothing_with_every_bad_cell_listed(tmp_path, problem):
    app = created()
    good = filled(tmp_path, problem, "e1", {("goal", "retention", "ecosystem"): "3"})
    bad_path = write_questionnaire(problem, Identity(NAME, "e2", 1), tmp_path, asks="judgments")
    fill(bad_path, problem)
    workbook = load_workbook(bad_path)
    sheet = workbook.worksheets[1]
    sheet["C5"], sheet["C6"] = "very", "=1+1"
    workbook.save(bad_path)
    bad = (bad_path.name, bad_path.read_bytes(), good[2])

    app.file_uploader(key="w:panel:upload").set_value([good, bad])
    ok(app.button(key="w:panel:import").click().run())
    shown = errors(app)
    assert shown[0] == text("panel.import_refused").format(n=2)
    assert any("C5" in message for message in shown) and any("C6" in message for message in shown)
    assert panels.panels().answers(SHIPPED_PROJECT, NAME) == {}

    app.file_uploader(key="w:panel:upload").set_value([good])
    ok(app.button(key="w:panel:import").click().run())
    assert not errors(app)
    stored = panels.panels().answers(SHIPPED_PROJECT, NAME)["e1"]
    assert stored["judgment:goal:retention:ecosystem"].value == 3.0
    assert list(panels.panels().submitted(SHIPPED_PROJECT, NAME)) == ["e1"]


def answer(expert: str, value: float) -> None:
    handle = panels.panels()
    for item in handle.asked_items(SHIPPED_PROJECT, NAME, expert):
        if item.kind == "judgment":
            handle.save_answer(SHIPPED_PROJECT, NAME, expert, item, value)


def test_status_agreement_and_the_next_round():
    handle = panels.panels()
    handle.create(SHIPPED_PROJECT, NAME, EXPERTS, asks="judgments")
    answer("e1", 3)
    answer("e2", 2)
    handle.save_answer(SHIPPED_PROJECT, NAME, "e3", Item.judgment("goal", "retention", "ecosystem"), 5)
    handle.submit(SHIPPED_PROJECT, NAME, "e1")
    app = opened()
    status = app.dataframe[0].value
    assert list(status[label("expert", "zh")]) == ["张三", "李四", "王五"]
    assert list(status[text("panel.col_answered")]) == ["20 / 25", "20 / 25", "1 / 25"]
    assert (
        status[text("panel.col_submitted")].iloc[0] != "–"
        and status[text("panel.col_submitted")].iloc[1] == "–"
    )
    w = handle.status(SHIPPED_PROJECT, NAME)["agreement"]["kendall_w"]
    assert f"{w['w']:.3f}" in [m.value for m in app.metric]

    ok(app.button(key="w:panel:next").click().run())
    assert handle.panel(SHIPPED_PROJECT, NAME).round == 1  # not before the confirmation
    ok(app.button(key="w:panel:next_yes").click().run())
    assert handle.panel(SHIPPED_PROJECT, NAME).round == 2
    assert text("panel.next_opened").format(round=2) in [s.value for s in app.success]


def test_using_the_panel_sets_its_weights_and_the_scenario_keeps_where_they_came_from(problem):
    handle = panels.panels()
    handle.create(SHIPPED_PROJECT, NAME, EXPERTS, asks="judgments")
    answer("e1", 3)
    answer("e2", 1 / 2)
    app = opened()
    ok(app.button(key="w:panel:use").click().run())
    expected = handle.scenario_settings(SHIPPED_PROJECT, NAME)
    settings = settings_of(app)
    assert settings.weight_source == "manual"
    assert dict(settings.manual_weights) == pytest.approx(dict(expected.manual_weights))
    source = PanelSource.from_choice(app.session_state[state.PANEL_SOURCE])
    assert (source.name, source.round, source.experts, dict(source.groups)) == (
        NAME,
        1,
        2,
        {"think_tank": 1, "development_reform": 1},
    )
    assert source.fits(settings, problem.leaf_ids)
    assert text("panel.in_use").format(name=NAME, round=1) in [s.value for s in app.success]
    kept = workspace.store().scenario(SHIPPED_PROJECT, app.session_state[workspace.OPEN].id)
    assert kept.choices["panel"]["name"] == NAME  # saved with the scenario, so a new session has it
    assert run(problem, settings).weights == pytest.approx(
        [source.weights[leaf] for leaf in problem.leaf_ids]
    )


def test_the_questionnaires_zip_holds_one_workbook_per_expert(problem):
    handle = panels.panels()
    info = handle.create(SHIPPED_PROJECT, NAME, EXPERTS, asks="judgments")
    data = panel_tables.questionnaires_zip(info, handle.problem(info), "zh")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == [f"{NAME}_e1_r1.xlsx", f"{NAME}_e2_r1.xlsx", f"{NAME}_e3_r1.xlsx"]


def test_english():
    panels.panels().create(SHIPPED_PROJECT, NAME, EXPERTS, asks="judgments")
    app = page("panel")
    app.session_state[state.LANG] = "en"
    ok(app.run())
    assert app.title[0].value == text("nav.panel", "en")
    assert text("panel.tab_use", "en") in [tab.label for tab in app.tabs]


def test_the_overview_and_the_memo_name_the_panel_its_experts_and_their_agreement():
    handle = panels.panels()
    handle.create(SHIPPED_PROJECT, NAME, EXPERTS, asks="judgments")
    answer("e1", 3)
    answer("e2", 1 / 2)
    answer("e3", 2)
    ok(opened().button(key="w:panel:use").click().run())
    overview = ok(page("overview").run())  # a new session: the scenario brings the panel back
    shown = "\n".join(m.value for m in overview.markdown).replace("\\", "")
    w = handle.status(SHIPPED_PROJECT, NAME)["agreement"]["kendall_w"]
    assert f"权重来自专家咨询“{NAME}”第1轮：3位专家（高校智库2位、发展改革部门1位）" in shown
    assert f"W = {w['w']:.2f}" in shown
    memo = ok(page("memo").run())
    assert f"权重来自专家咨询“{NAME}”第1轮" in "\n".join(m.value for m in memo.markdown).replace("\\", "")
