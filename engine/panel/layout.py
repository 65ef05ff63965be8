"""The expert questionnaire's layout: sheets, columns, scale wording and the identity it carries.

The writer (:mod:`engine.panel.questionnaire`) and the reader (:mod:`engine.panel.answers`) both
follow this one description, so a change of layout cannot reach only one of them. The layout is
documented for people in docs/panel-files.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from engine.model import Lang, Node, Text
from engine.panel.cells import normalised

Asks = Literal["judgments", "scores", "both"]
ASKS: tuple[Asks, ...] = ("judgments", "scores", "both")

FORMAT = "policyrank-panel-questionnaire"
FORMAT_VERSION = 1
META_SHEET = "_meta"
HEADER_ROW = 4  # the row of machine column names; the readable labels sit on the row above
FIRST_ROW = HEADER_ROW + 1
MAX_ROWS = 10_000  # a sheet longer than this is refused without reading on (a pasted 10^6 rows)

JUDGMENT_COLUMNS = ("a_id", "a_name", "value", "b_name", "b_id", "meaning", "why")
SCORE_COLUMNS = ("measure_id", "criterion_id", "measure", "criterion", "unit", "low", "high", "value", "why")
SELF_RATING_COLUMNS = ("item", "question", "value")
ANSWER_COLUMNS = frozenset(("value", "why"))  # the only cells an expert may change

COLUMN_LABELS: Mapping[str, Text] = {
    "a_id": Text("准则A编号", "Criterion A id"),
    "a_name": Text("准则A", "Criterion A"),
    "value": Text("判断值（请选择）", "Judgment (choose)"),
    "b_name": Text("准则B", "Criterion B"),
    "b_id": Text("准则B编号", "Criterion B id"),
    "meaning": Text("含义", "Meaning"),
    "why": Text("理由（选填）", "Reason (optional)"),
    "measure_id": Text("对策编号", "Measure id"),
    "criterion_id": Text("准则编号", "Criterion id"),
    "measure": Text("对策", "Countermeasure"),
    "criterion": Text("准则", "Criterion"),
    "unit": Text("单位与方向", "Unit and direction"),
    "low": Text("下限", "Lowest"),
    "high": Text("上限", "Highest"),
    "item": Text("项目编号", "Item id"),
    "question": Text("问题", "Question"),
}
SCORE_VALUE_LABEL = Text("评分（请填写）", "Score (fill in)")
RATING_VALUE_LABEL = Text("自评（请选择）", "Rating (choose)")

# what "A is worth `value` times B" means, in the words of Saaty's verbal scale
SCALE_MEANINGS: Mapping[str, Text] = {
    "9": Text("A 比 B 极端重要", "A is extremely more important than B"),
    "8": Text("A 比 B 介于强烈重要与极端重要之间", "A is between very strongly and extremely more important"),
    "7": Text("A 比 B 强烈重要", "A is very strongly more important than B"),
    "6": Text("A 比 B 介于明显重要与强烈重要之间", "A is between strongly and very strongly more important"),
    "5": Text("A 比 B 明显重要", "A is strongly more important than B"),
    "4": Text("A 比 B 介于稍微重要与明显重要之间", "A is between moderately and strongly more important"),
    "3": Text("A 比 B 稍微重要", "A is moderately more important than B"),
    "2": Text("A 比 B 介于同等重要与稍微重要之间", "A is between equally and moderately more important"),
    "1": Text("A 与 B 同等重要", "A and B are equally important"),
    "1/2": Text("B 比 A 介于同等重要与稍微重要之间", "B is between equally and moderately more important"),
    "1/3": Text("B 比 A 稍微重要", "B is moderately more important than A"),
    "1/4": Text("B 比 A 介于稍微重要与明显重要之间", "B is between moderately and strongly more important"),
    "1/5": Text("B 比 A 明显重要", "B is strongly more important than A"),
    "1/6": Text(
        "B 比 A 介于明显重要与强烈重要之间", "B is between strongly and very strongly more important"
    ),
    "1/7": Text("B 比 A 强烈重要", "B is very strongly more important than A"),
    "1/8": Text(
        "B 比 A 介于强烈重要与极端重要之间", "B is between very strongly and extremely more important"
    ),
    "1/9": Text("B 比 A 极端重要", "B is extremely more important than A"),
}

# the authority coefficient's self-rating (专家权威系数): familiarity and the basis of judgment
FAMILIARITY: Mapping[str, Text] = {
    "very_familiar": Text("很熟悉", "very familiar"),
    "familiar": Text("熟悉", "familiar"),
    "fair": Text("一般", "somewhat familiar"),
    "slightly": Text("不太熟悉", "not very familiar"),
    "unfamiliar": Text("不熟悉", "unfamiliar"),
}
BASIS: Mapping[str, Text] = {
    "practice": Text("实践经验", "practical experience"),
    "theory": Text("理论分析", "theoretical analysis"),
    "literature": Text("参考国内外资料", "domestic and foreign literature"),
    "intuition": Text("直观感觉", "intuition"),
}
LEVELS: Mapping[str, Text] = {
    "high": Text("大", "large"),
    "medium": Text("中", "medium"),
    "low": Text("小", "small"),
}
SELF_RATING_ITEMS: Mapping[str, Text] = {
    "familiarity": Text(
        "您对本次咨询所涉领域（武汉应对“反向招商”的对策）的熟悉程度",
        "How familiar are you with the field of this consultation (Wuhan's response to reverse promotion)?",
    ),
    **{
        f"basis.{basis}": Text(
            f"判断依据“{label.zh}”对您本次判断的影响程度", f"How much did {label.en} inform your judgments?"
        )
        for basis, label in BASIS.items()
    },
}

SHEET_TITLES: Mapping[str, Text] = {
    "instructions": Text("填写说明", "Instructions"),
    "scores": Text("对策评分", "Scores"),
    "self_rating": Text("专家自评", "Self-rating"),
}
_JUDGMENT_PREFIX = Text("判断", "J")
_GOAL = Text("目标层", "Goal")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")
_NAME_PATTERN = re.compile(r'^[^\\/:*?"<>|\x00-\x1f]{1,64}$')


@dataclass(frozen=True)
class Identity:
    """Whose answers a workbook holds: the panel, the expert and the round."""

    panel: str
    expert: str
    round: int

    @property
    def file_name(self) -> str:
        return f"{self.panel}_{self.expert}_r{self.round}.xlsx"


def name_problem(name: str) -> str | None:
    """Why a panel or expert id cannot stand in a file name, or None when it can."""
    if not _NAME_PATTERN.match(name) or name.strip() != name or name.startswith("."):
        return f'expected 1 to 64 characters without \\ / : * ? " < > | or control characters, got {name!r}'
    return None


def judgment_sheet_title(index: int, node: Node, lang: Lang, *, goal: bool = False) -> str:
    """``判断1-目标层``, ``判断2-留住存量``: numbered so titles stay unique after cutting to Excel's 31
    characters; the goal, whose name is a sentence, is called the goal level."""
    name = _GOAL.get(lang) if goal else _SHEET_FORBIDDEN.sub("", node.name.get(lang)).strip()
    return f"{_JUDGMENT_PREFIX.get(lang)}{index}-{name}"[:31].rstrip()


def pairs(node: Node) -> tuple[tuple[str, str], ...]:
    """Every pair of a node's children once, in file order: (first, second), (first, third), ..."""
    children = [child.id for child in node.children]
    return tuple((a, b) for i, a in enumerate(children) for b in children[i + 1 :])


def score_rows(measures: tuple[str, ...], scored: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(measure, criterion) in the order the scores sheet asks them: criterion by criterion, so an
    expert compares all countermeasures on one criterion at a time."""
    return tuple((measure, criterion) for criterion in scored for measure in measures)


def rating_choices(item: str) -> tuple[dict[str, str], list[str]]:
    """What a self-rating item accepts (its ids and labels in either language, each mapped to the id)
    and the labels a message offers."""
    options = FAMILIARITY if item == "familiarity" else LEVELS
    accepted = {key: key for key in options}
    for key, label in options.items():
        accepted[normalised(label.zh)] = accepted[normalised(label.en)] = key
    return accepted, [label.zh for label in options.values()]
