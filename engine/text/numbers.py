"""How numbers, money, dates and lists are written, in Chinese and English.

The CLI tables, the memo and the app all print through these functions, so a score, a weight or
a budget reads the same wherever it appears. Each function is pure and returns text; none of them
knows about Markdown or any other target format.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from engine.model import Lang

__all__ = [
    "chinese_numeral",
    "date",
    "join_and",
    "join_clauses",
    "join_list",
    "money",
    "money_range",
    "months",
    "number",
    "ordinal",
    "percent",
    "ratio",
    "score",
    "share",
]

_CHINESE_DIGITS = "零一二三四五六七八九"
_ENGLISH_ORDINALS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
)
_ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# 1 亿元 is CNY 100 million; from 10 亿元 (CNY 1 billion) on, English counts in billions.
_MILLIONS_PER_YI = 100
_YI_PER_BILLION = 10


def score(value: float) -> str:
    """A method's score or a gap between two scores: four decimals ("0.7120")."""
    return f"{value:.4f}"


def percent(weight: float) -> str:
    """A weight or another share of a whole as a percentage with one decimal ("8.5%")."""
    return f"{100 * weight:.1f}%"


def share(fraction: float) -> str:
    """A share of samples as a whole percentage ("72%").

    A share that is neither none nor all never reads "0%" or "100%": it reads "<1%" or ">99%",
    so a reader is not told that something never or always happens when it only rarely does.
    """
    whole = round(100 * fraction)
    if whole == 0 and fraction > 0:
        return "<1%"
    if whole == 100 and fraction < 1:
        return ">99%"
    return f"{whole}%"


def ratio(value: float) -> str:
    """A consistency ratio or a rank correlation: three decimals ("0.046")."""
    return f"{value:.3f}"


def number(value: float) -> str:
    """A value in its natural unit: at most three decimals, no trailing zeros, never an exponent.

    ``30.0`` reads "30", ``0.125`` "0.125", ``2/3`` "0.667" and ``1e7`` "10000000"; a value
    that rounds to zero reads "0", not "-0". NaN and infinities read "nan", "inf" and "-inf".
    """
    return _trimmed(value, 3)


def _trimmed(value: float, decimals: int) -> str:
    if not math.isfinite(value):
        return f"{value}"
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def money(yi: float, lang: Lang) -> str:
    """An amount given in 亿元 (units of CNY 100 million): "3亿元" or "CNY 300 million".

    English counts in millions below CNY 1 billion and in billions from there ("23亿元" is
    "CNY 2.3 billion"). Both languages carry the same precision: the 亿元 figure to three decimals.
    """
    if lang == "zh":
        return f"{number(yi)}亿元"
    # round in 亿元 first, so both languages show the same amount and float noise (2.3 * 100)
    # disappears before the unit changes
    yi = round(yi, 3)
    if abs(yi) >= _YI_PER_BILLION:
        return f"CNY {_trimmed(yi / _YI_PER_BILLION, 4)} billion"
    return f"CNY {_trimmed(yi * _MILLIONS_PER_YI, 1)} million"


def money_range(low: float, high: float, lang: Lang) -> str:
    """Two amounts in 亿元 with the unit once: "20–45亿元" or "CNY 2–4.5 billion".

    English takes the unit of the larger end, so both ends are counted alike.
    """
    if lang == "zh":
        return f"{number(low)}–{number(high)}亿元"
    low, high = round(low, 3), round(high, 3)
    if max(abs(low), abs(high)) >= _YI_PER_BILLION:
        a, b = _trimmed(low / _YI_PER_BILLION, 4), _trimmed(high / _YI_PER_BILLION, 4)
        return f"CNY {a}–{b} billion"
    a, b = _trimmed(low * _MILLIONS_PER_YI, 1), _trimmed(high * _MILLIONS_PER_YI, 1)
    return f"CNY {a}–{b} million"


def months(count: float, lang: Lang) -> str:
    """A duration: "3个月" or "3 months" ("1 month")."""
    if lang == "zh":
        return f"{number(count)}个月"
    return f"{number(count)} month" + ("" if count == 1 else "s")


def chinese_numeral(n: int) -> str:
    """1..99 in Chinese numerals ("一", "十", "十一", "二十一"), for "（一）" and "第三"; else digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CHINESE_DIGITS[ones]
    return ("" if tens == 1 else _CHINESE_DIGITS[tens]) + "十" + (_CHINESE_DIGITS[ones] if ones else "")


def ordinal(n: int, lang: Lang) -> str:
    """A place in an order: "第三" or "third"; "第十二" or "12th"."""
    if lang == "zh":
        return "第" + chinese_numeral(n)
    if 1 <= n <= len(_ENGLISH_ORDINALS):
        return _ENGLISH_ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def date(day: dt.date, lang: Lang) -> str:
    """ "2024年6月7日" or "7 June 2024"."""
    if lang == "en":
        return f"{day.day} {_ENGLISH_MONTHS[day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def join_and(items: Sequence[str], lang: Lang) -> str:
    """A list read as a whole: "A、B和C" or "A, B and C"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if lang == "en":
        return ", ".join(items[:-1]) + " and " + items[-1]
    return "、".join(items[:-1]) + "和" + items[-1]


def join_list(items: Sequence[str], lang: Lang) -> str:
    """An enumeration without a conjunction: "A、B、C" or "A, B, C"."""
    return ("、" if lang == "zh" else ", ").join(items)


def join_clauses(items: Sequence[str], lang: Lang) -> str:
    """Clauses of one sentence: "A，B" or "A, B"."""
    return ("，" if lang == "zh" else ", ").join(items)
