"""Every fixed phrase of a memo in Chinese and English.

Keeping the phrases in one table makes it easy to check that an English memo contains no Chinese
and that both languages say the same thing. Numbers, money, dates, lists and the column headers
the memo shares with the CLI and the app come from :mod:`engine.text`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from engine.model import Lang

_WORDS: dict[str, tuple[str, str]] = {
    "key_points": ("核心观点", "Key points"),
    "situation": ("一、形势研判", "1. The situation"),
    "advice": ("三、对策建议", "3. Recommendations"),
    "group": ("准则层", "Group"),
    "criterion": ("指标", "Criterion"),
    "unit": ("单位", "Unit"),
    "benefit": ("效益型（越高越好）", "benefit (higher is better)"),
    "cost": ("成本型（越低越好）", "cost (lower is better)"),
    "node": ("判断节点", "Judged node"),
    "goal": ("总目标", "Goal"),
    "combined": ("综合判断", "Combined judgments"),
    "verdict": ("结论", "Verdict"),
    "consistent": ("通过", "acceptable"),
    "inconsistent": (
        "未通过，建议先修改“{a}”与“{b}”的比较（建议值约{value}）",
        "not acceptable; revise {a} vs {b} first (suggested value about {value})",
    ),
}
WORDS: Mapping[str, tuple[str, str]] = MappingProxyType(_WORDS)

METHOD_NAMES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "topsis": ("TOPSIS（逼近理想解排序法）", "TOPSIS (closeness to the ideal solution)"),
        "wsm": ("加权和法（WSM）", "the weighted sum model (WSM)"),
        "vikor": ("VIKOR折衷排序法", "VIKOR (compromise ranking)"),
        "promethee": ("PROMETHEE II（偏好顺序结构评估法）", "PROMETHEE II (outranking flows)"),
    }
)
METHOD_SHORT: Mapping[str, str] = MappingProxyType(
    {"topsis": "TOPSIS", "wsm": "WSM", "vikor": "VIKOR", "promethee": "PROMETHEE II"}
)
SCORE_NAMES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "topsis": ("贴近度", "closeness"),
        "wsm": ("加权得分", "weighted score"),
        "vikor": ("折衷值Q", "compromise index Q"),
        "promethee": ("净流量", "net flow"),
    }
)
SCORE_MEANINGS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "topsis": (
            "得分为各对策与理想方案的相对贴近度，取值0–1，越高越好",
            "the score is each countermeasure's relative closeness to the ideal one, "
            "from 0 to 1, higher is better",
        ),
        "wsm": (
            "得分为各指标归一化值的加权和，越高越好",
            "the score is the weighted sum of the normalised criterion values, higher is better",
        ),
        "vikor": (
            "得分Q综合群体效用与最大单项遗憾（折衷系数v = {v}），取值0–1，越小越好",
            "the score Q combines group utility and the largest single regret (v = {v}), "
            "from 0 to 1, lower is better",
        ),
        "promethee": (
            "得分为净优先流（常规型偏好函数），取值−1–1，越高越好",
            "the score is the net outranking flow (usual preference function), "
            "from -1 to 1, higher is better",
        ),
    }
)
NORMALIZATION_NAMES: Mapping[str | None, tuple[str, str]] = MappingProxyType(
    {
        "vector": ("向量归一化", "vector normalisation"),
        "minmax": ("极差（最小–最大）归一化", "min-max normalisation"),
        "max": ("最大值归一化", "max normalisation"),
        "sum": ("总和归一化", "sum normalisation"),
        None: ("直接比较原始值，不另做归一化", "raw values, no separate normalisation"),
    }
)

CJK = re.compile(
    r"[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
)


def word(key: str, lang: Lang, **fields: object) -> str:
    """The phrase ``key`` in ``lang`` with ``{fields}`` filled in."""
    text = WORDS[key][1 if lang == "en" else 0]
    return text.format(**fields) if fields else text


def pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[1] if lang == "en" else pair[0]


def quoted(text: str, lang: Lang) -> str:
    """A name in quotation marks; quotes inside it become single ones (“深化‘放管服’改革”)."""
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"
