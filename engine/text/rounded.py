"""Figures rounded into words for a headline or a summary: "约六成", "about 6 in 10", "十万次".

A decision maker reads "about 6 in 10" faster than "58.4%", and a rounded word does not claim a
precision that a sampled share does not have. The exact figures stay in the data; these words
are only for sentences.
"""

from __future__ import annotations

from engine.model import Lang
from engine.text.numbers import chinese_numeral

__all__ = ["count", "sample_count", "tenths"]

# Below 1 in 20 a share no longer rounds to "about 1 in 10"; from 19 in 20 on, "more than 9 in 10".
_RARE = 0.05
_NEARLY_ALL = 0.95


def tenths(fraction: float, lang: Lang) -> str:
    """A share in tenths: "约六成" / "about 6 in 10"; "不到一成" / "fewer than 1 in 10" below 5 %.

    From 95 % on it reads "九成以上" / "more than 9 in 10", so that a share which is not all is
    never rounded up to all (nor a small one down to none); exactly none and all read "无" /
    "none" and "全部" / "all".
    """
    if fraction <= 0:
        return "无" if lang == "zh" else "none"
    if fraction >= 1:
        return "全部" if lang == "zh" else "all"
    if fraction >= _NEARLY_ALL:
        return "九成以上" if lang == "zh" else "more than 9 in 10"
    if fraction < _RARE:
        return "不到一成" if lang == "zh" else "fewer than 1 in 10"
    k = int(fraction * 10 + 0.5)  # half up: 0.25 is "about 3 in 10", as a reader rounds
    return f"约{chinese_numeral(k)}成" if lang == "zh" else f"about {k} in 10"


def count(n: int, lang: Lang) -> str:
    """A small count before a measure word: "两" (两种) or "2"; Chinese numerals up to 99."""
    if lang == "en":
        return str(n)
    return "两" if n == 2 else chinese_numeral(n)


def sample_count(n: int, lang: Lang) -> str:
    """A number of samples: "十万" / "两万" / "五千" or "100,000"; other counts with digit groups."""
    if lang == "en":
        return f"{n:,}"
    for unit, size in (("万", 10_000), ("千", 1_000)):
        whole, rest = divmod(n, size)
        if rest == 0 and 0 < whole < 100 and (size == 10_000 or whole < 10):
            return count(whole, "zh") + unit
    return f"{n:,}"
