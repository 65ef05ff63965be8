"""Single answer cells: every shape a judgment, score or rating arrives in, and what is refused."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from engine.errors import InputError
from engine.panel.cells import (
    SAATY_TEXTS,
    SAATY_VALUES,
    CellProblem,
    FileRefused,
    choice,
    number,
    reason,
    saaty,
)
from engine.panel.layout import SCALE_MEANINGS, rating_choices
from engine.text.messages import describe


def test_the_scale_is_the_seventeen_values_strongest_first():
    assert tuple(SCALE_MEANINGS) == SAATY_TEXTS
    assert SAATY_TEXTS[:9] == ("9", "8", "7", "6", "5", "4", "3", "2", "1")
    assert SAATY_TEXTS[-1] == "1/9"
    assert tuple(sorted(SAATY_VALUES, reverse=True)) == SAATY_VALUES


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (3, 3),
        (3.0, 3),
        ("3", 3),
        (" 9 ", 9),
        ("1/3", 1 / 3),
        ("1 / 3", 1 / 3),
        ("1:3", 1 / 3),
        ("3:1", 3),
        ("１/３", 1 / 3),  # full-width digits
        ("１／３", 1 / 3),  # and a full-width slash
        ("１：３", 1 / 3),  # and a full-width colon
        ("1比3", 1 / 3),
        ("0.5", 1 / 2),
        ("0.33", 1 / 3),  # a decimal correct to two places
        (0.333, 1 / 3),
        ("0.14", 1 / 7),
        (0.125, 1 / 8),
        ("0.11", 1 / 9),
    ],
)
def test_a_judgment_in_any_shape_that_has_one_meaning(typed, expected):
    assert saaty(typed) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("mangled", "expected"),
    [
        # Chinese and US Excel read "1/3" as month/day: 3 January of this year
        (dt.datetime(2025, 1, 3), 1 / 3),
        # British Excel reads it day/month: 1 March. Either way the pair {1, 3} means 1/3, since the
        # questionnaire writes reciprocals as 1/k and never k/1
        (dt.datetime(2025, 3, 1), 1 / 3),
        (dt.date(2024, 1, 9), 1 / 9),
        (dt.datetime(2025, 1, 1), 1),
        ("1月3日", 1 / 3),  # how Chinese Excel shows that date, as a CSV saved from it holds it
        ("3-Jan", 1 / 3),  # how US Excel shows it
        # "1:3" typed into a General cell becomes the time 01:03, "3:1" the time 03:01
        (dt.time(1, 3), 1 / 3),
        (dt.time(3, 1), 3),
    ],
)
def test_dates_and_times_excel_made_of_a_judgment_are_recovered(mangled, expected):
    assert saaty(mangled) == pytest.approx(expected)


def test_a_date_that_no_judgment_makes_is_refused_with_the_fix():
    with pytest.raises(CellProblem) as caught:
        saaty(dt.datetime(2025, 3, 4))
    error = caught.value.at("e.xlsx", "sheet 判断1-目标层, cell C5")
    assert str(error) == (
        "e.xlsx: sheet 判断1-目标层, cell C5: Excel turned the entry into the date 2025-03-04, "
        "which cannot be "
        "read back; format the cell as text and type the value again (e.g. 1/3)"
    )
    assert describe(error, "zh").startswith(
        "e.xlsx：工作表 判断1-目标层，单元格 C5：Excel 把输入变成了日期 2025-03-04"
    )


@pytest.mark.parametrize(
    ("typed", "got"),
    [
        (2.5, "2.5"),
        (10, "10"),
        (0, "0"),
        (-3, "-3"),
        ("high", "text 'high'"),
        ("1/0", "text '1/0'"),
        ("0.3", "text '0.3'"),  # neither 1/3 nor 1/4 to two places
        (True, "a boolean (True)"),
        (math.nan, "nan"),
        (dt.time(2, 3), "02:03"),
    ],
)
def test_values_off_the_scale_are_refused(typed, got):
    with pytest.raises(CellProblem) as caught:
        saaty(typed)
    message = str(caught.value.at("f.xlsx", "sheet x, cell C9"))
    assert message == f"f.xlsx: sheet x, cell C9: expected one of 9, 8, ..., 2, 1, 1/2, ..., 1/9, got {got}"


def test_scores_on_the_criterion_scale():
    assert number("３.５", 1, 9) == 3.5
    assert number(24, 0, 60) == 24
    assert number("1,200", 0, 5000) == 1200
    with pytest.raises(CellProblem) as caught:
        number(12, 1, 9)
    assert str(caught.value.at("f.xlsx", "p")) == "f.xlsx: p: expected a number in 1..9, got 12"
    with pytest.raises(CellProblem, match="expected_number"):
        number("很高", 1, 9)


def test_self_ratings_in_either_language_or_by_id():
    accepted, labels = rating_choices("familiarity")
    assert choice("很熟悉", accepted, labels) == "very_familiar"
    assert choice("familiar", accepted, labels) == "familiar"
    assert choice("unfamiliar", accepted, labels) == "unfamiliar"
    levels, level_labels = rating_choices("basis.practice")
    assert choice(" 中 ", levels, level_labels) == "medium"
    with pytest.raises(CellProblem) as caught:
        choice("较大", levels, level_labels)
    assert str(caught.value.at("f", "p")) == "f: p: expected one of 大, 中, 小, got text '较大'"


def test_reasons_are_text_and_survey_blanks_are_empty():
    assert reason("  人才外流  ") == "人才外流"
    assert reason("(跳过)") == ""
    assert reason(None) == ""
    assert reason(3.0) == "3"
    with pytest.raises(CellProblem, match="text_too_long"):
        reason("x" * 2001)


def test_a_refused_file_lists_every_problem_under_one_line():
    errors = [
        InputError("a.xlsx", "sheet s, cell C5", "bad"),
        InputError("a.xlsx", "sheet s, cell C6", "worse"),
    ]
    refused = FileRefused("a.xlsx", errors)
    assert isinstance(refused, InputError)
    assert str(refused).splitlines() == [
        "a.xlsx: 2 problem(s); nothing from this file was imported",
        "a.xlsx: sheet s, cell C5: bad",
        "a.xlsx: sheet s, cell C6: worse",
    ]
    assert describe(refused, "zh") == "a.xlsx：2 处错误，此文件的答案一条也未导入"
