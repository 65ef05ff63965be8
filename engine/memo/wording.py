"""Every fixed phrase of a memo in Chinese and English.

Keeping the phrases in one table makes it easy to check that an English memo contains no Chinese
and that both languages say the same thing. Numbers, money, dates, lists and the column headers
the memo shares with the CLI and the app come from :mod:`engine.text`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from engine.model import Lang
from engine.text import chinese_numeral

_WORDS: dict[str, tuple[str, str]] = {
    # title and section headings
    "masthead": ("决策参考", "Policy Brief"),
    "title": ("{name}：排序结果与行动建议", "{name}: ranked countermeasures and recommendations"),
    "byline": (
        "{date}　｜　依据：{source}（{publisher}）与专家判断",
        "{date} | Based on {source} and expert judgments",
    ),
    "byline_plain": (
        "{date}　｜　依据：{source}与专家判断",
        "{date} | Based on {source} and expert judgments",
    ),
    "key_points": ("核心观点", "Key points"),
    "situation": ("一、形势研判", "1. The situation"),
    "ranking": ("二、对策排序", "2. Ranking of the countermeasures"),
    "advice": ("三、对策建议", "3. Recommendations"),
    "robustness": ("四、稳健性", "4. How firmly the order holds"),
    "method": ("五、方法与权重", "5. Method and weights"),
    "appendix": ("附录", "Appendix"),
    "app_facts": ("（一）引用事实", "A. Facts cited"),
    "app_settings": ("（二）完整设置", "B. Exact settings"),
    "app_sources": ("（三）输入文件指纹（SHA-256）", "C. Input file fingerprints (SHA-256)"),
    "app_command": ("（四）复现命令", "D. Command that reproduces the ranking"),
    # table headers and captions
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
    "file": ("文件", "File"),
    "figure": ("指标", "Figure"),
    "value": ("数值", "Value"),
    "gap_to_previous": ("与上一名得分差", "Gap to the one above"),
    "chosen": ("（本方案）", " (used here)"),
    "table_ranking": ("表{n}　对策综合排序", "Table {n}. Ranking of the countermeasures"),
    "table_methods": ("表{n}　不同评价方法下的排名", "Table {n}. Rank under each method"),
    "table_weights": ("表{n}　评价指标与权重", "Table {n}. Criteria and weights"),
    "table_consistency": (
        "表{n}　判断矩阵一致性检验（CR < 0.10 为可接受）",
        "Table {n}. Consistency of the judgments (CR < 0.10 is acceptable)",
    ),
    "table_robustness": ("表{n}　稳健性关键数据", "Table {n}. Key robustness figures"),
    "table_study": ("表{n}　各对策名次的稳健性", "Table {n}. How firmly each rank holds"),
    "table_sources": ("表{n}　输入文件", "Table {n}. Input files"),
    # paragraph leads
    "lead_position": ("定位：", "Position: "),
    "lead_actions": ("主要举措：", "Concrete actions:"),
    "lead_strengths": ("优势及依据：", "Strengths and why:"),
    "lead_weaknesses": ("短板及原因：", "Weak spots and why:"),
    "lead_threats": ("主要威胁：", "Main threats:"),
    "lead_benchmarks": ("对标城市：", "What rival cities do: "),
    "lead_method": ("评价方法：", "Method: "),
    "lead_weights": ("权重来源：", "Weights: "),
    "lead_experts": ("专家判断：", "Expert judgments: "),
    "lead_edits": ("判断调整：", "Edited judgments: "),
    "lead_contrib": ("优势与短板的判定：", "How strengths are found: "),
    "lead_gaps": ("相邻名次差距：", "Gaps between neighbours: "),
    "lead_sampling": ("抽样设置：", "Sampling: "),
    "lead_reversal": ("增删对策的影响：", "Adding or removing a countermeasure: "),
    "lead_methods": ("方法间比较：", "Other methods: "),
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


def subheading(index: int, text: str, lang: Lang) -> str:
    """The level-2 heading numbering: "（一）text" or "3.1 text"-like "(a) text"."""
    if lang == "en":
        return f"({chr(ord('a') + index - 1) if index <= 26 else index}) {text}"
    return f"（{chinese_numeral(index)}）{text}"


def quoted(text: str, lang: Lang) -> str:
    """A name in quotation marks; quotes inside it become single ones (“深化‘放管服’改革”)."""
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


def sentence_end(lang: Lang) -> str:
    return "." if lang == "en" else "。"


def strip_end(text: str) -> str:
    """A sentence without its final full stop, so it can be joined to others."""
    return text.rstrip().rstrip("。.；;")


def citation(fact_ids: Sequence[str]) -> str:
    """Fact ids as "[F07][F12]"."""
    return "".join(f"[{fact}]" for fact in fact_ids)
