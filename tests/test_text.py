"""The wording layer: every number format, in both languages, and the shared labels."""

from __future__ import annotations

import datetime as dt
import re
import string

import pytest

from engine.model import Node, Score, Text
from engine.text import (
    LABELS,
    chinese_numeral,
    date,
    join_and,
    join_clauses,
    join_list,
    label,
    money,
    money_range,
    months,
    number,
    ordinal,
    percent,
    ratio,
    score,
    share,
    value_text,
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.712, "0.7120"), (0.71204999, "0.7120"), (0.71205001, "0.7121"), (1.0, "1.0000"), (-0.25, "-0.2500")],
)
def test_scores_have_four_decimals(value, shown):
    assert score(value) == shown


@pytest.mark.parametrize(
    ("weight", "shown"),
    [(0.085, "8.5%"), (0.0, "0.0%"), (1.0, "100.0%"), (1 / 3, "33.3%"), (0.12345, "12.3%"), (0.0004, "0.0%")],
)
def test_weights_are_percentages_with_one_decimal(weight, shown):
    assert percent(weight) == shown


@pytest.mark.parametrize(
    ("fraction", "shown"),
    [
        (0.0, "0%"),
        (0.003, "<1%"),
        (0.005, "<1%"),  # half a percent is still less than one
        (0.006, "1%"),
        (0.5, "50%"),
        (0.994, "99%"),
        (0.995, ">99%"),
        (0.997, ">99%"),
        (1.0, "100%"),
    ],
)
def test_sample_shares_are_whole_percentages_without_false_zeros(fraction, shown):
    assert share(fraction) == shown


@pytest.mark.parametrize(
    ("value", "shown"), [(0.0456, "0.046"), (0.1, "0.100"), (1.0, "1.000"), (-0.5, "-0.500")]
)
def test_ratios_have_three_decimals(value, shown):
    assert ratio(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (30.0, "30"),
        (30, "30"),
        (0.125, "0.125"),
        (2 / 3, "0.667"),
        (5.7, "5.7"),
        (0.1 + 0.2, "0.3"),
        (1e7, "10000000"),
        (1e-5, "0"),
        (-1e-5, "0"),
        (-2.5, "-2.5"),
        (float("nan"), "nan"),
        (float("inf"), "inf"),
    ],
)
def test_numbers_drop_trailing_zeros_and_never_use_exponents(value, shown):
    assert number(value) == shown


@pytest.mark.parametrize(
    ("yi", "zh", "en"),
    [
        (3, "3亿元", "CNY 300 million"),
        (23, "23亿元", "CNY 2.3 billion"),
        (2.3, "2.3亿元", "CNY 230 million"),  # 2.3 * 100 is 229.99999999999997 in floats
        (0.1 + 0.2, "0.3亿元", "CNY 30 million"),
        (1, "1亿元", "CNY 100 million"),
        (10, "10亿元", "CNY 1 billion"),
        (9.9996, "10亿元", "CNY 1 billion"),  # rounds to 10 亿元 first, so both languages agree
        (9.99, "9.99亿元", "CNY 999 million"),
        (60, "60亿元", "CNY 6 billion"),
        (600, "600亿元", "CNY 60 billion"),
        (0.001, "0.001亿元", "CNY 0.1 million"),
        (23.4567, "23.457亿元", "CNY 2.3457 billion"),
        (0, "0亿元", "CNY 0 million"),
    ],
)
def test_money_is_counted_in_yi_or_in_millions_and_billions(yi, zh, en):
    assert money(yi, "zh") == zh
    assert money(yi, "en") == en


@pytest.mark.parametrize(
    ("low", "high", "zh", "en"),
    [
        (1, 6, "1–6亿元", "CNY 100–600 million"),
        (25, 60, "25–60亿元", "CNY 2.5–6 billion"),
        (6, 12, "6–12亿元", "CNY 0.6–1.2 billion"),  # one unit for both ends: the larger end's
    ],
)
def test_money_ranges_name_the_unit_once(low, high, zh, en):
    assert money_range(low, high, "zh") == zh
    assert money_range(low, high, "en") == en


@pytest.mark.parametrize(
    ("count", "zh", "en"), [(1, "1个月", "1 month"), (3, "3个月", "3 months"), (1.5, "1.5个月", "1.5 months")]
)
def test_months(count, zh, en):
    assert months(count, "zh") == zh
    assert months(count, "en") == en


CHINESE_NUMERALS = {
    1: "一",
    2: "二",
    9: "九",
    10: "十",
    11: "十一",
    12: "十二",
    19: "十九",
    20: "二十",
    21: "二十一",
    30: "三十",
    45: "四十五",
    90: "九十",
    99: "九十九",
}


@pytest.mark.parametrize(("n", "shown"), CHINESE_NUMERALS.items())
def test_chinese_numerals(n, shown):
    assert chinese_numeral(n) == shown


def test_every_chinese_numeral_from_1_to_99_reads_back():
    digits = dict(zip("一二三四五六七八九", range(1, 10), strict=True))

    def read(text: str) -> int:
        if "十" not in text:
            return digits[text]
        tens, _, ones = text.partition("十")
        return 10 * (digits[tens] if tens else 1) + (digits[ones] if ones else 0)

    shown = [chinese_numeral(n) for n in range(1, 100)]
    assert [read(text) for text in shown] == list(range(1, 100))
    assert not any("零" in text or text.startswith("一十") for text in shown)


@pytest.mark.parametrize("n", [0, 100, -3])
def test_outside_1_to_99_numerals_are_digits(n):
    assert chinese_numeral(n) == str(n)


@pytest.mark.parametrize(
    ("n", "zh", "en"),
    [
        (1, "第一", "first"),
        (3, "第三", "third"),
        (10, "第十", "tenth"),
        (11, "第十一", "11th"),
        (12, "第十二", "12th"),
        (13, "第十三", "13th"),
        (21, "第二十一", "21st"),
        (22, "第二十二", "22nd"),
        (23, "第二十三", "23rd"),
        (111, "第111", "111th"),
    ],
)
def test_ordinals(n, zh, en):
    assert ordinal(n, "zh") == zh
    assert ordinal(n, "en") == en


@pytest.mark.parametrize(
    ("day", "zh", "en"),
    [
        (dt.date(2024, 6, 7), "2024年6月7日", "7 June 2024"),
        (dt.date(2025, 12, 31), "2025年12月31日", "31 December 2025"),
        (dt.date(2026, 1, 1), "2026年1月1日", "1 January 2026"),
    ],
)
def test_dates(day, zh, en):
    assert date(day, "zh") == zh
    assert date(day, "en") == en


@pytest.mark.parametrize(
    ("items", "zh", "en"),
    [
        ([], "", ""),
        (["A"], "A", "A"),
        (["A", "B"], "A和B", "A and B"),
        (["A", "B", "C"], "A、B和C", "A, B and C"),
    ],
)
def test_lists_joined_with_and(items, zh, en):
    assert join_and(items, "zh") == zh
    assert join_and(items, "en") == en


@pytest.mark.parametrize(
    ("items", "zh", "en"),
    [([], "", ""), (["A"], "A", "A"), (["A", "B", "C"], "A、B、C", "A, B, C")],
)
def test_enumerations(items, zh, en):
    assert join_list(items, "zh") == zh
    assert join_list(items, "en") == en


def test_clauses():
    assert join_clauses(["3亿元/年", "估算"], "zh") == "3亿元/年，估算"
    assert join_clauses(["3", "estimate"], "en") == "3, estimate"


# ---------------------------------------------------------------- criterion values

MONEY = Node(
    "fiscal_cost",
    Text("财政投入", "Fiscal cost"),
    Text("", ""),
    direction=-1,
    unit=Text("亿元/年", "100 million CNY per year"),
    scale=(0, 100),
    quantitative=True,
)
DELAY = Node(
    "time_to_effect",
    Text("见效时间", "Time to effect"),
    Text("", ""),
    direction=-1,
    unit=Text("月", "months"),
    scale=(1, 60),
    quantitative=True,
)
POINTS = Node(
    "talent",
    Text("人才", "Talent"),
    Text("", ""),
    direction=1,
    unit=Text("分（1-9，越高越好）", "points (1-9, higher is better)"),
    scale=(1, 9),
)


def scored(value: float, *, low: float | None = None, high: float | None = None) -> Score:
    return Score(value, Text("", ""), (), estimate=low is not None, low=low, high=high)


@pytest.mark.parametrize(
    ("leaf", "given", "zh", "en"),
    [
        (
            MONEY,
            scored(3, low=1, high=6),
            "3亿元/年，估算，区间1–6",
            "CNY 300 million per year, estimate, range CNY 100–600 million",
        ),
        (MONEY, scored(23), "23亿元/年", "CNY 2.3 billion per year"),
        (DELAY, scored(12), "12个月", "12 months"),
        (DELAY, scored(1), "1个月", "1 month"),
        (POINTS, scored(8), "8分", "8/9"),
        (POINTS, scored(5.7), "5.7分", "5.7/9"),
    ],
)
def test_criterion_values_carry_their_unit(leaf, given, zh, en):
    assert value_text(given, leaf, "zh") == zh
    assert value_text(given, leaf, "en") == en


def test_brief_values_leave_out_estimates_and_ranges():
    given = scored(3, low=1, high=6)
    assert value_text(given, MONEY, "zh", brief=True) == "3亿元/年"
    assert value_text(given, MONEY, "en", brief=True) == "CNY 300 million per year"


# ------------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    ("key", "zh", "en"),
    [
        ("rank", "排名", "Rank"),
        ("measure", "对策", "Countermeasure"),
        ("score", "得分", "Score"),
        ("weight", "权重", "Weight"),
        ("criterion", "准则", "Criterion"),
        ("benefit", "效益型", "benefit"),
        ("cost", "成本型", "cost"),
        ("consistent", "一致", "consistent"),
    ],
)
def test_labels(key, zh, en):
    assert label(key, "zh") == zh
    assert label(key, "en") == en


def test_labels_fill_their_fields():
    assert label("rank_n", "zh", r=3) == "第3名"
    assert label("group.switch", "en", t=0.456, a="A", b="B") == "at a share of about 0.46, A → B"


def test_every_label_has_both_languages_with_the_same_fields():
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key, (zh, en) in LABELS.items():
        assert zh.strip() and en.strip(), key
        assert fields(zh) == fields(en), key


def test_english_labels_hold_no_chinese():
    chinese = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    assert [key for key, (_, en) in LABELS.items() if chinese.search(en)] == []
