"""The Excel questionnaire: written for one expert, filled with openpyxl as an expert would, read back.

Every judgment survives the round trip; every bad cell is named by sheet and cell; a file with
any bad cell gives nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from engine.errors import InputError
from engine.load import load_problem
from engine.panel.answers import answers_from_bytes, read_answers
from engine.panel.cells import SAATY_TEXTS, FileRefused
from engine.panel.layout import MAX_ROWS, META_SHEET, Identity, pairs
from engine.panel.questionnaire import questionnaire_bytes, write_questionnaire
from engine.text.messages import describe

PANEL = "wuhan2025"
ME = Identity(PANEL, "wang_wei", 1)
EXPERTS = ("wang_wei", "li_na", "zhao_min")
GOAL_SHEET = "判断1-目标层"


@pytest.fixture(scope="module")
def problem():
    return load_problem()


@pytest.fixture
def blank(problem, tmp_path) -> Path:
    return write_questionnaire(problem, ME, tmp_path, expert_name="王伟", asks="both")


def read(path, problem, **options):
    return read_answers(path, problem, panel=PANEL, round=1, experts=EXPERTS, **options)


def value_column(sheet) -> int:
    return [cell.value for cell in sheet[4]].index("value") + 1


def fill(path: Path, problem, judgments=None, *, score=5, familiarity="熟悉", level="中") -> None:
    """Answer everything as an expert would: the drop-down's text in every judgment cell, numbers
    for scores, labels for the self-rating."""
    workbook = load_workbook(path)
    for title, kind, node in _sheets(workbook):
        sheet = workbook[title]
        column = value_column(sheet) if kind != "instructions" else 0
        if kind == "judgments":
            for row, pair in enumerate(pairs(problem.criteria.node(node)), start=5):
                sheet.cell(row, column, (judgments or {}).get((node, *pair), "1"))
                sheet.cell(row, column + 4, f"理由 {pair[0]} {pair[1]}")
        elif kind == "scores":
            for row in range(5, sheet.max_row + 1):
                sheet.cell(row, column, score)
        elif kind == "self_rating":
            for row in range(5, sheet.max_row + 1):
                sheet.cell(row, column, familiarity if row == 5 else level)
    workbook.save(path)


def _sheets(workbook):
    return [
        (row[1], row[2], row[3])
        for row in workbook[META_SHEET].iter_rows(values_only=True)
        if row[0] == "sheet"
    ]


def edit(path: Path, changes) -> None:
    """Set cells: {(sheet, "C5"): value}."""
    workbook = load_workbook(path)
    for (title, cell), value in changes.items():
        workbook[title][cell] = value
    workbook.save(path)


def refused(path, problem, **options) -> list[str]:
    with pytest.raises(FileRefused) as caught:
        read(path, problem, **options)
    assert str(caught.value).splitlines()[0].endswith("problem(s); nothing from this file was imported")
    return [str(error) for error in caught.value.errors]


# the workbook


def test_one_file_per_expert_named_after_panel_expert_and_round(problem, tmp_path):
    paths = [write_questionnaire(problem, Identity(PANEL, e, 2), tmp_path) for e in EXPERTS]
    assert [p.name for p in paths] == [f"wuhan2025_{e}_r2.xlsx" for e in EXPERTS]
    meta = dict(
        (row[0], row[1])
        for row in load_workbook(paths[1])[META_SHEET].iter_rows(values_only=True)
        if row[0] != "sheet"
    )
    assert (meta["panel"], meta["expert"], meta["round"]) == (PANEL, "li_na", 2)
    assert load_workbook(paths[1]).properties.identifier == "wuhan2025_li_na_r2"


def test_sheets_instructions_one_per_judged_node_scores_and_self_rating(problem, blank):
    workbook = load_workbook(blank)
    assert workbook.sheetnames == [
        "填写说明", GOAL_SHEET, "判断2-留住存量", "判断3-产业生态与营商环境", "判断4-可行性与代价",
        "对策评分", "专家自评", META_SHEET,
    ]  # fmt: skip
    assert workbook[META_SHEET].sheet_state == "veryHidden"
    assert workbook.security.lockStructure
    instructions = "\n".join(str(c.value) for row in workbook["填写说明"].iter_rows() for c in row if c.value)
    for words in (
        "极端重要",
        "同等重要",
        "B 比 A 稍微重要",
        "王伟",
        "wuhan2025_wang_wei_r1.xlsx",
        "一致性比率",
    ):
        assert words in instructions


def test_a_judgment_sheet_has_ids_names_text_values_with_the_scale_drop_down(problem, blank):
    sheet = load_workbook(blank)["判断3-产业生态与营商环境"]
    header = [cell.value for cell in sheet[4]]
    assert header == ["a_id", "a_name", "value", "b_name", "b_id", "meaning", "why"]
    assert [sheet.cell(5, c).value for c in (1, 2, 4, 5)] == [
        "chain_completeness", "产业链完整度", "科技企业融资可得性", "financing_access",
    ]  # fmt: skip
    assert sheet.max_row == 4 + 10  # ten pairs of five criteria
    assert {sheet.cell(r, 3).number_format for r in range(5, 15)} == {"@"}
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"' + ",".join(SAATY_TEXTS) + '"'
    assert str(validation.sqref) == "C5 C6 C7 C8 C9 C10 C11 C12 C13 C14"
    assert sheet.protection.sheet
    assert sheet["A5"].protection.locked and sheet["E5"].protection.locked
    assert not sheet["C5"].protection.locked and not sheet["G5"].protection.locked
    assert sheet["F5"].value.startswith("=IFERROR(VLOOKUP(C5,'填写说明'!")


def test_the_scores_sheet_uses_each_criterion_scale_and_unit(problem, blank):
    sheet = load_workbook(blank)["对策评分"]
    rows = {(r[0], r[1]): r for r in sheet.iter_rows(min_row=5, values_only=True)}
    assert len(rows) == len(problem.countermeasures) * len(problem.leaf_ids)
    assert rows["tech_finance", "fiscal_cost"][4:7] == ("亿元/年", 0, 100)
    assert rows["tech_finance", "time_to_impact"][4:7] == ("月", 0, 60)
    assert rows["tech_finance", "talent"][4:7] == ("分（1-9，越高越好）", 1, 9)
    ranges = {(v.formula1, v.formula2) for v in sheet.data_validations.dataValidation}
    assert ranges == {("1", "9"), ("0", "100"), ("0", "60")}


def test_english_on_request_and_only_what_is_asked(problem):
    workbook = load_workbook(io.BytesIO(questionnaire_bytes(problem, Identity(PANEL, "li_na", 2), lang="en")))
    assert workbook.sheetnames == [
        "Instructions", "J1-Goal", "J2-Keeping firms and talent", "J3-Industrial ecosystem and bus",
        "J4-Feasibility and cost", META_SHEET,
    ]  # fmt: skip
    assert "Scores" not in workbook.sheetnames and "Self-rating" not in workbook.sheetnames  # round 2
    assert all(len(title) <= 31 for title in workbook.sheetnames)


def test_bad_identity_is_refused_before_writing(problem, tmp_path):
    with pytest.raises(InputError, match="expert: expected 1 to 64 characters"):
        write_questionnaire(problem, Identity(PANEL, "a/b", 1), tmp_path)
    with pytest.raises(InputError, match="scored: nope: expected a leaf criterion"):
        questionnaire_bytes(problem, ME, asks="scores", scored=["nope"])


def test_a_name_starting_with_equals_stays_text(problem, tmp_path):
    path = write_questionnaire(problem, Identity(PANEL, "=1+1", 1), tmp_path, expert_name="=HYPERLINK(1)")
    cells = [c for row in load_workbook(path)["填写说明"].iter_rows() for c in row if c.value]
    assert all(c.data_type != "f" for c in cells)


# round trip


def test_every_judgment_score_reason_and_rating_comes_back(problem, blank):
    rng = np.random.default_rng(15)
    shapes = (lambda t: t, lambda t: t.replace("/", ":"), lambda t: float(Fraction(t)))
    given = {}
    for node in problem.criteria.judged_nodes:
        for pair in pairs(node):
            text = SAATY_TEXTS[rng.integers(len(SAATY_TEXTS))]
            given[(node.id, *pair)] = (text, shapes[rng.integers(3)](text))
    fill(
        blank,
        problem,
        {key: typed for key, (_, typed) in given.items()},
        score=7,
        familiarity="很熟悉",
        level="大",
    )
    answers = read(blank, problem)
    assert answers.identity == ME
    assert answers.source == str(blank)
    for (node, a, b), (text, _) in given.items():
        assert answers.judgments[node][a, b] == pytest.approx(float(Fraction(text)), abs=1e-12)
        assert answers.judgment_reasons[node][a, b] == f"理由 {a} {b}"
    assert sum(len(v) for v in answers.judgments.values()) == len(given) == 20
    assert set(answers.scores.values()) == {7.0} and len(answers.scores) == 77
    assert answers.self_rating.familiarity == "very_familiar"
    assert dict(answers.self_rating.basis) == dict.fromkeys(
        ("practice", "theory", "literature", "intuition"), "high"
    )


def test_the_shipped_expert_judgments_round_trip_exactly(problem, tmp_path):
    expert = problem.criteria.expert("analyst_default")
    path = write_questionnaire(problem, ME, tmp_path)
    fill(path, problem, {(node, j.a, j.b): str(Fraction(j.value).limit_denominator(9))
                         for node, js in expert.judgments.items() for j in js})  # fmt: skip
    answers = read(path, problem)
    for node, judgments in expert.judgments.items():
        assert {(j.a, j.b): j.value for j in judgments} == pytest.approx(dict(answers.judgments[node]))
    assert answers.scores == {} and answers.self_rating is not None


def test_date_and_time_mangled_cells_are_recovered(problem, blank):
    fill(blank, problem)
    workbook = load_workbook(blank)
    sheet = workbook[GOAL_SHEET]
    sheet["C5"], sheet["C5"].number_format = dt.datetime(2025, 1, 3), "m/d"  # "1/3" in an unformatted cell
    sheet["C6"], sheet["C6"].number_format = dt.time(3, 1), "h:mm"  # "3:1"
    sheet["C7"] = "１／５"
    workbook.save(blank)
    goal = read(blank, problem).judgments["goal"]
    assert goal["retention", "ecosystem"] == pytest.approx(1 / 3)
    assert goal["retention", "feasibility"] == 3
    assert goal["ecosystem", "feasibility"] == pytest.approx(1 / 5)


def test_blank_answers_are_refused_unless_allowed(problem, blank):
    fill(blank, problem)
    edit(blank, {(GOAL_SHEET, "C6"): None, ("对策评分", "H9"): None})
    assert refused(blank, problem) == [
        f"{blank}: sheet {GOAL_SHEET}, cell C6: missing answer (fill in this cell)",
        f"{blank}: sheet 对策评分, cell H9: missing answer (fill in this cell)",
    ]
    answers = read(blank, problem, allow_blank=True)
    assert ("retention", "feasibility") not in answers.judgments["goal"]
    assert len(answers.scores) == 76


# bad cells


def test_every_bad_cell_is_named_by_sheet_and_cell_and_nothing_is_accepted(problem, blank):
    fill(blank, problem)
    edit(
        blank,
        {
            (GOAL_SHEET, "C5"): "high",
            (GOAL_SHEET, "C7"): "2.5",
            ("判断2-留住存量", "C5"): 12,
            ("判断3-产业生态与营商环境", "C9"): dt.datetime(2025, 3, 4),
            ("判断4-可行性与代价", "C6"): "=1/3",
            ("判断4-可行性与代价", "A7"): "fiscal",
            ("对策评分", "H5"): 10,
            ("对策评分", "H20"): "很好",
            ("专家自评", "C5"): "较熟悉",
            ("专家自评", "C7"): "",
        },
    )
    messages = refused(blank, problem)
    scale = "expected one of 9, 8, ..., 2, 1, 1/2, ..., 1/9"
    assert messages == [
        f"{blank}: sheet {GOAL_SHEET}, cell C5: {scale}, got text 'high'",
        f"{blank}: sheet {GOAL_SHEET}, cell C7: {scale}, got text '2.5'",
        f"{blank}: sheet 判断2-留住存量, cell C5: {scale}, got 12",
        f"{blank}: sheet 判断3-产业生态与营商环境, cell C9: Excel turned the entry into the date 2025-03-04, "
        "which cannot be read back; format the cell as text and type the value again (e.g. 1/3)",
        f"{blank}: sheet 判断4-可行性与代价, cell C6: expected a typed value, not a formula ('=1/3')",
        f"{blank}: sheet 判断4-可行性与代价, cell A7: expected 'fiscal_cost' (this cell is fixed by the "
        "questionnaire), got text 'fiscal'",
        f"{blank}: sheet 对策评分, cell H5: expected a number in 1..9, got 10",
        f"{blank}: sheet 对策评分, cell H20: expected a number, got text '很好'",
        f"{blank}: sheet 专家自评, cell C5: expected one of 很熟悉, 熟悉, 一般, 不太熟悉, 不熟悉, "
        "got text '较熟悉'",
        f"{blank}: sheet 专家自评, cell C7: missing answer (fill in this cell)",
    ]
    for message in messages:
        assert ": sheet " in message and ", cell " in message


def test_bad_cells_read_in_chinese(problem, blank):
    fill(blank, problem)
    edit(blank, {(GOAL_SHEET, "C5"): "high"})
    with pytest.raises(FileRefused) as caught:
        read(blank, problem)
    assert describe(caught.value.errors[0], "zh") == (
        f"{blank}：工作表 {GOAL_SHEET}，单元格 C5：应为 9、8、…、2、1、1/2、…、1/9 之一，实际为文本 'high'"
    )


def test_rows_deleted_or_added_are_refused(problem, blank):
    fill(blank, problem)
    workbook = load_workbook(blank)
    workbook["判断4-可行性与代价"].delete_rows(6)
    workbook["判断2-留住存量"]["A7"] = "my own pair"
    workbook.save(blank)
    messages = refused(blank, problem)
    assert (
        f"{blank}: sheet 判断2-留住存量, cell A7: unexpected row; the questionnaire has no question here"
        in messages
    )
    # (fiscal_cost, implementation_difficulty) deleted: every row below it moved up by one
    deleted = [m.split(": ")[1:3] for m in messages if "判断4" in m]
    fixed = "(this cell is fixed by the questionnaire)"
    assert deleted[0] == [
        "sheet 判断4-可行性与代价, cell E6",
        f"expected 'implementation_difficulty' {fixed}, got text 'risk'",
    ]
    assert deleted[-1] == ["sheet 判断4-可行性与代价, cell E10", f"expected 'risk' {fixed}, got nothing"]
    assert all(fixed in text for _, text in deleted)


def test_extra_sheet_and_changed_header_are_refused(problem, blank):
    fill(blank, problem)
    workbook = load_workbook(blank)
    workbook.create_sheet("我的备注")
    workbook["判断2-留住存量"]["C4"] = "judgment"
    workbook.save(blank)
    messages = refused(blank, problem)
    assert messages[0].startswith(
        f"{blank}: sheet 我的备注: unexpected sheet 我的备注 (the questionnaire has: 填写说明, "
    )
    assert (
        messages[1] == f"{blank}: sheet 判断2-留住存量: no header row with the columns "
        "a_id, a_name, value, b_name, b_id, meaning, why"
    )


def test_a_block_of_extra_rows_is_one_message(problem, blank):
    fill(blank, problem)
    workbook = load_workbook(blank)
    sheet = workbook["判断2-留住存量"]
    for row in range(14, 3001):
        if row % 7 != 1:  # blank rows inside the block do not split it
            sheet.cell(row, 2, f"pasted {row}")
    workbook.save(blank)
    messages = refused(blank, problem)
    assert messages == [
        f"{blank}: sheet 判断2-留住存量, rows 14–3,000: not questions of this sheet; delete them"
    ]
    with pytest.raises(FileRefused) as caught:
        read(blank, problem)
    assert describe(caught.value.errors[0], "zh") == (
        f"{blank}：工作表 判断2-留住存量，第 14–3,000 行：这些行不是本工作表的题目；请删除"
    )


def _declare_dimension(path: Path, sheet_xml: str, ref: str) -> None:
    """Rewrite a sheet's <dimension ref=…> as a program that does not update it would leave it."""
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            content = old.read(info.filename)
            if info.filename == sheet_xml:
                declared = f'<dimension ref="{ref}"'.encode()
                content, count = re.subn(rb'<dimension ref="[A-Z0-9:]+"', declared, content)
                assert count == 1
            new.writestr(info, content)


def test_rows_past_an_understated_dimension_are_read_and_refused(problem, blank):
    fill(blank, problem)
    workbook = load_workbook(blank)
    title = "判断2-留住存量"
    sheet_xml = f"xl/worksheets/sheet{workbook.sheetnames.index(title) + 1}.xml"
    workbook[title].cell(40, 3, "9")
    workbook[title].cell(41, 3, "1/9")
    workbook.save(blank)
    _declare_dimension(blank, sheet_xml, "A1:G5")  # the questions' rows only
    with zipfile.ZipFile(blank) as archive:
        assert b'<dimension ref="A1:G5"' in archive.read(sheet_xml)
    assert load_workbook(blank, read_only=True)[title].max_row == 5  # what openpyxl would trust
    messages = refused(blank, problem)
    assert messages == [f"{blank}: sheet {title}, rows 40–41: not questions of this sheet; delete them"]


@pytest.mark.slow
def test_a_sheet_longer_than_the_limit_is_refused_without_reading_on(problem, blank):
    fill(blank, problem)
    workbook = load_workbook(blank)
    sheet = workbook["判断2-留住存量"]
    for row in range(6, MAX_ROWS + 3):
        sheet.cell(row, 7, "x")
    workbook.save(blank)
    messages = refused(blank, problem)
    assert messages[-1] == f"{blank}: sheet 判断2-留住存量: more than 10,000 rows; this sheet has 1 questions"


@pytest.mark.parametrize(
    ("panel", "round", "experts", "message"),
    [
        ("other", 1, EXPERTS, "this file belongs to panel 'wuhan2025', expected 'other'"),
        (PANEL, 2, EXPERTS, "this file is for round 1, expected round 2"),
        (PANEL, 1, ("li_na",), "expert 'wang_wei' is not on panel 'wuhan2025'"),
    ],
)
def test_a_workbook_of_another_panel_expert_or_round_is_refused(
    problem, blank, panel, round, experts, message
):
    fill(blank, problem)
    with pytest.raises(FileRefused) as caught:
        read_answers(blank, problem, panel=panel, round=round, experts=experts)
    assert [str(e) for e in caught.value.errors] == [f"{blank}: {message}"]


def test_files_that_are_not_questionnaires(problem, tmp_path):
    def message(data: bytes) -> str:
        with pytest.raises(InputError) as caught:
            answers_from_bytes(data, "up.xlsx", problem, panel=PANEL, round=1)
        return str(caught.value)

    assert message(b"id,value\n1,3\n").startswith("up.xlsx: not a readable Excel workbook (.xlsx): ")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("hello.txt", "hi")
    assert message(archive.getvalue()).startswith("up.xlsx: not a readable Excel workbook (.xlsx): ")
    plain = io.BytesIO()
    load_workbook(io.BytesIO(questionnaire_bytes(problem, ME)))  # sanity: ours opens
    from openpyxl import Workbook

    Workbook().save(plain)
    assert (
        message(plain.getvalue())
        == "up.xlsx: not a questionnaire written by policyrank (no hidden _meta sheet)"
    )
    with pytest.raises(InputError, match="file not found"):
        read_answers(tmp_path / "missing.xlsx", problem, panel=PANEL, round=1)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (libreoffice-calc-nogui)")
def test_libreoffice_opens_the_questionnaire(problem, tmp_path):
    path = write_questionnaire(problem, ME, tmp_path, asks="both")
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    pdf = path.with_suffix(".pdf")
    hint = "\n(spreadsheets need libreoffice-calc-nogui beside soffice)"
    assert pdf.exists() and pdf.stat().st_size > 10_000, result.stdout + result.stderr + hint
