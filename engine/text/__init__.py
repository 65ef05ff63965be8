"""The one bilingual wording layer: numbers, money, dates, lists and the shared labels.

The CLI, the memo and the app write a score, a weight, an amount of money or a column header
through this package, so they agree in both languages:

>>> from engine.text import label, money, percent
>>> label("rank", "zh"), money(23, "en"), percent(0.085)
('排名', 'CNY 2.3 billion', '8.5%')
"""

from __future__ import annotations

from engine.text.labels import LABELS, label
from engine.text.numbers import (
    chinese_numeral,
    date,
    join_and,
    join_clauses,
    join_list,
    money,
    money_range,
    months,
    number,
    ordinal,
    percent,
    ratio,
    score,
    share,
)
from engine.text.values import amount, is_money, value_text

__all__ = [
    "LABELS",
    "amount",
    "chinese_numeral",
    "date",
    "is_money",
    "join_and",
    "join_clauses",
    "join_list",
    "label",
    "money",
    "money_range",
    "months",
    "number",
    "ordinal",
    "percent",
    "ratio",
    "score",
    "share",
    "value_text",
]
