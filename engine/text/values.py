"""A criterion value with its unit, as a reader expects it: "30亿元/年", "CNY 3 billion per year", "8分".

The unit comes from the criteria file; money (a Chinese unit in 亿元) and durations in months
are written through :mod:`engine.text.numbers`, so "23 × 100 million CNY" never reaches a reader.
"""

from __future__ import annotations

from engine.model import Lang, Node, Score
from engine.text.numbers import join_clauses, money, money_range, months, number

__all__ = ["amount", "is_money", "value_text"]

_YI = "亿元"
_MONTH = "月"
# the rate after a money unit, "亿元/年", in English
_PER = {"": "", "/年": " per year", "/月": " per month"}


def is_money(leaf: Node) -> bool:
    """Whether the leaf is measured in 亿元 (possibly per year)."""
    return leaf.quantitative and leaf.unit is not None and leaf.unit.zh.startswith(_YI)


def amount(value: float, leaf: Node, lang: Lang) -> str:
    """The figure without its rate: "30亿元" or "CNY 3 billion" for money, the bare number otherwise."""
    return money(value, lang) if is_money(leaf) else number(value)


def _quantity(value: float, leaf: Node, lang: Lang) -> str:
    unit = leaf.unit.get(lang) if leaf.unit is not None else ""
    zh_unit = leaf.unit.zh if leaf.unit is not None else ""
    rate = zh_unit[len(_YI) :]
    if is_money(leaf) and rate in _PER:
        return money(value, lang) + (rate if lang == "zh" else _PER[rate])
    if zh_unit == _MONTH:
        return months(value, lang)
    if lang == "en":
        return f"{number(value)} × {unit}" if unit[:1].isdigit() else f"{number(value)} {unit}".rstrip()
    return f"{number(value)}{unit}"


def value_text(score: Score, leaf: Node, lang: Lang, *, brief: bool = False) -> str:
    """A criterion value with its unit: "30亿元/年，估算，区间20–45", "8分", "8/9".

    ``brief`` leaves out the estimate note and the range. There are no brackets around the
    notes: callers already put the value in brackets.
    """
    value = number(score.value)
    if not leaf.quantitative:
        unit = leaf.unit.get(lang) if leaf.unit is not None else ""
        if lang == "en":
            high = leaf.scale[1] if leaf.scale else None
            return f"{value}/{number(high)}" if high is not None else value
        return f"{value}分" if not unit or unit.startswith("分") else f"{value}{unit}"
    text = _quantity(score.value, leaf, lang)
    if brief:
        return text
    notes = []
    if score.estimate:
        notes.append("estimate" if lang == "en" else "估算")
    if score.low is not None and score.high is not None:
        # Chinese reads the unit from the value in front ("3亿元/年，区间1–6"); English money
        # needs its own ("CNY 300 million, range CNY 100–600 million")
        if lang == "en" and is_money(leaf):
            span = money_range(score.low, score.high, lang)
        else:
            span = f"{number(score.low)}–{number(score.high)}"
        notes.append(f"range {span}" if lang == "en" else f"区间{span}")
    return join_clauses([text, *notes], lang)
