"""Survey-tool exports (问卷星): a saved column mapping, the sample export, bad cells by row and column."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from engine.errors import InputError
from engine.load import load_problem
from engine.panel.cells import FileRefused
from engine.panel.survey import (
    load_mapping,
    mapping_document,
    parse_mapping,
    parse_mapping_text,
    read_survey,
    survey_from_bytes,
)
from engine.text.messages import describe

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "panel"
EXPORT = FIXTURES / "wjx_export.csv"
PANEL = "wuhan2025"
EXPERTS = ("wang_wei", "li_na", "zhao_min")


@pytest.fixture(scope="module")
def problem():
    return load_problem()


@pytest.fixture(scope="module")
def mapping(problem):
    return load_mapping(FIXTURES / "wjx_mapping.yaml", problem)


def table() -> list[list[str]]:
    return list(csv.reader(io.StringIO(EXPORT.read_bytes().decode("utf-8-sig"))))


def as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def survey(data: bytes, problem, mapping, name="export.csv", **options):
    return survey_from_bytes(data, name, mapping, problem, panel=PANEL, round=1, experts=EXPERTS, **options)


def test_the_sample_export_reads_every_respondent(problem, mapping):
    answers = read_survey(EXPORT, mapping, problem, panel=PANEL, round=1, experts=EXPERTS)
    assert [a.identity.expert for a in answers] == ["wang_wei", "li_na", "zhao_min"]  # 赵敏 typed her name
    assert {a.identity.round for a in answers} == {1}
    shipped = {"wang_wei": "analyst_default", "li_na": "ndrc_officer"}
    for found in answers[:2]:
        expert = problem.criteria.expert(shipped[found.identity.expert])
        for node, judgments in expert.judgments.items():
            assert dict(found.judgments[node]) == pytest.approx({(j.a, j.b): j.value for j in judgments})
    assert answers[2].judgments["goal"]["retention", "feasibility"] == 2
    assert answers[0].scores["chain_ecosystem", "talent"] == 8
    assert answers[1].scores["overseas_recruitment", "time_to_impact"] == 18
    assert len(answers[0].scores) == 14
    assert ("ecosystem", "feasibility") not in answers[1].judgment_reasons["goal"]  # "(跳过)"
    assert answers[2].self_rating.familiarity == "fair"
    assert dict(answers[0].self_rating.basis) == {
        "practice": "high", "theory": "high", "literature": "medium", "intuition": "low",
    }  # fmt: skip


def test_the_same_export_as_xlsx_with_a_date_mangled_cell(problem, mapping):
    rows = table()
    column = rows[0].index("3、(留住存量—可行性与代价)")
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    sheet.cell(2, column + 1, dt.datetime(2025, 1, 3)).number_format = "m/d"  # "1/3" typed in Excel
    data = io.BytesIO()
    workbook.save(data)
    answers = survey(data.getvalue(), problem, mapping, name="export.xlsx")
    assert answers[0].judgments["goal"]["retention", "feasibility"] == pytest.approx(1 / 3)
    assert answers[1].judgments == read_survey(EXPORT, mapping, problem, panel=PANEL, round=1)[1].judgments


def test_a_gbk_export_reads_the_same(problem, mapping):
    text = EXPORT.read_bytes().decode("utf-8-sig")
    answers = survey(text.encode("gbk"), problem, mapping)
    assert [a.identity.expert for a in answers] == list(EXPERTS)


def test_every_bad_cell_is_named_by_row_and_column_and_nothing_is_accepted(problem, mapping):
    rows = table()
    header = rows[0]
    rows[1][header.index("3、(留住存量—产业生态与营商环境)")] = "很重要"
    rows[2][header.index("9、(开展定向招商)")] = "75"
    rows[3][header.index("10、您对本领域的熟悉程度")] = ""
    rows.append(list(rows[1]))  # wang_wei submitted twice
    rows.append(list(rows[2]))
    rows[5][header.index("1、您的专家编号（见邀请函）")] = "chen_gang"
    with pytest.raises(FileRefused) as caught:
        survey(as_csv(rows), problem, mapping)
    messages = [str(error) for error in caught.value.errors]
    scale = "expected one of 9, 8, ..., 2, 1, 1/2, ..., 1/9"
    assert messages == [
        f"export.csv: row 2, column 3、(留住存量—产业生态与营商环境): {scale}, got text '很重要'",
        "export.csv: row 3, column 9、(开展定向招商): expected a number in 0..60, got 75",
        "export.csv: row 4, column 10、您对本领域的熟悉程度: missing answer (fill in this cell)",
        "export.csv: row 5, column 1、您的专家编号（见邀请函）: expert 'wang_wei' already answered in row 2; "
        "one row per expert",
        f"export.csv: row 5, column 3、(留住存量—产业生态与营商环境): {scale}, got text '很重要'",
        "export.csv: row 6, column 1、您的专家编号（见邀请函）: "
        "expert 'chen_gang' is not on panel 'wuhan2025'",
        "export.csv: row 6, column 9、(开展定向招商): expected a number in 0..60, got 75",
    ]
    assert describe(caught.value.errors[1], "zh") == (
        "export.csv：第3行，9、(开展定向招商)列：应为 0..60 范围内的数字，实际为 75"
    )


def test_a_column_the_export_lacks_refuses_the_file(problem, mapping):
    rows = [row[:-1] for row in table()]
    with pytest.raises(FileRefused) as caught:
        survey(as_csv(rows), problem, mapping)
    (error,) = caught.value.errors
    assert str(error) == (
        "export.csv: column '11、(直观感觉)' is not in export.csv "
        "(columns: 序号, 提交答卷时间, 所用时间, 来源, "
        "来源详情, 来自IP, 1、您的专家编号（见邀请函）, 2、您的工作单位类型, ...)"
    )


def test_the_mapping_saves_and_reads_back(problem, mapping):
    again = parse_mapping(mapping_document(mapping), "saved", problem)
    assert (again.respondent, again.questions, dict(again.experts), dict(again.choices)) == (
        mapping.respondent, mapping.questions, dict(mapping.experts), dict(mapping.choices),
    )  # fmt: skip


def test_a_pair_asked_the_other_way_round_is_stored_in_tree_order(problem):
    text = """{"version": 1, "respondent": "id", "questions": [
        {"column": "q", "node": "retention", "a": "talent", "b": "firm_retention"}]}"""
    mapping = parse_mapping_text(text, "m.json", problem)
    (answers,) = survey(as_csv([["id", "q"], ["li_na", "3（左侧稍微重要）"]]), problem, mapping)
    assert dict(answers.judgments["retention"]) == {("firm_retention", "talent"): pytest.approx(1 / 3)}


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ('[{"column": "q", "node": "retention", "a": "talent", "b": "talent"}]',
         "m.json: questions[0]: a judgment compares two different criteria, got 'talent' twice"),
        ('[{"column": "q", "node": "goal", "a": "retention", "b": "ecosystem"}]',
         "m.json: questions: missing the judgment between 'retention' and 'feasibility'"),
        ('[{"column": "q", "node": "goal", "a": "retention", "b": "talent"}]',
         "m.json: questions[0].b: 'talent' is not a child of 'goal' "
         "(children: retention, ecosystem, feasibility)"),
        ('[{"column": "q", "measure": "tech_finance", "criterion": "cost"}]',
         "m.json: questions[0].criterion: expected one of firm_retention, talent, chain_completeness, "
         "financing_access, industry_fit, regional_synergy, policy_speed, fiscal_cost, time_to_impact, "
         "implementation_difficulty, risk, got text 'cost'"),
        ('[{"column": "q", "self_rating": "familiarity"}, {"column": "q", "self_rating": "basis.theory"}]',
         "m.json: questions[1].column: duplicate id 'q' (first used at questions[0])"),
        ('[{"column": "q", "self_rating": "familiarity"}]',
         "m.json: questions: missing key 'self_rating: basis.practice'"),
        ('[{"column": "q", "score": 3}]', "m.json: questions[0].score: unknown key 'score' (expected one of: "
         "column, node, a, b, measure, criterion, self_rating, field)"),
    ],
)  # fmt: skip
def test_mapping_mistakes_are_named(problem, questions, message):
    text = f'{{"version": 1, "respondent": "id", "questions": {questions}}}'
    with pytest.raises(InputError) as caught:
        parse_mapping_text(text, "m.json", problem)
    assert str(caught.value) == message
