"""The screening page's spec document: what a new table starts with, and the document the choices make.

The page's widgets only collect choices; these functions turn them into a spec document
(docs/formats.md, "Screening spec") that :func:`engine.screening.parse_spec` then validates, and
give each widget its starting value from a document. Nothing here draws anything.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from engine.screening import TableProfile

# 光芯屏端网 (optoelectronics, chips, displays, smart terminals, networks), Wuhan's cluster in the
# source article; scripts/make_firms_table.py flags exactly these industries as optics_chips_displays
CLUSTER_COLUMN = "industry"
CLUSTER_INDUSTRIES = ("光电子信息", "集成电路", "新型显示", "智能终端", "新一代通信网络")
NAME_COLUMN = "name"  # shown instead of the id when the table has it
DEFAULT_WEIGHT = 0.1
STARTING_CRITERION_COUNT = 3  # numeric columns a new upload starts with as criteria
AUTO = "auto"  # normalisation: the method's default


@dataclass(frozen=True)
class Choices:
    """What the user chose on the page.

    ``criteria`` holds (column, "benefit" or "cost", weight), the weight None when the AHP
    judgments weigh the criteria (``ahp``); ``filters`` are spec filter entries; ``normalization``
    is :data:`AUTO` for the method's default.
    """

    id_column: str
    keep: list[str]
    criteria: list[tuple[str, str, float | None]]
    ahp: bool
    filters: list[dict[str, Any]]
    method: str
    normalization: str
    missing: str


def spec_columns(document: dict[str, Any]) -> set[str]:
    """Every column a spec document names."""
    named = {document["id"], *document.get("keep", [])}
    named |= {c["column"] for c in document["criteria"]} | {f["column"] for f in document.get("filters", [])}
    return named


def default_document(profile: TableProfile, sample: dict[str, Any]) -> dict[str, Any]:
    """The sample's spec when the table has its columns; else the first numeric columns, equal weights."""
    if spec_columns(sample) <= set(profile.columns):
        return copy.deepcopy(sample)
    id_column = profile.columns[0]
    numeric = [c for c in numeric_columns(profile) if c != id_column]
    return {
        "method": "topsis",
        "id": id_column,
        "keep": [NAME_COLUMN] if NAME_COLUMN in profile.columns and id_column != NAME_COLUMN else [],
        "missing": "drop",
        "criteria": [
            {"column": c, "direction": "benefit", "weight": 1.0} for c in numeric[:STARTING_CRITERION_COUNT]
        ],
    }


def numeric_columns(profile: TableProfile) -> list[str]:
    """Columns that can be criteria or take a range filter, in table order."""
    return [c for c in profile.columns if c in profile.numeric]


def cluster_values(profile: TableProfile) -> list[str]:
    """The 光芯屏端网 industries present in the table's industry column (empty when it has none)."""
    return [v for v in profile.values.get(CLUSTER_COLUMN, ()) if v in CLUSTER_INDUSTRIES]


def label_column(id_column: str, keep: list[str]) -> str:
    """The column that names a row in the results: the firm's name when it is kept, else the id."""
    return NAME_COLUMN if NAME_COLUMN in keep else id_column


def criterion(document: dict[str, Any], column: str) -> dict[str, Any]:
    """The document's criterion entry for ``column`` ({} when it is no criterion)."""
    return next((c for c in document["criteria"] if c["column"] == column), {})


def bound(document: dict[str, Any], column: str, op: str) -> Any:
    """The operand of the document's ``op`` filter on ``column`` (None when it has none)."""
    return next((f[op] for f in document.get("filters", []) if f["column"] == column and op in f), None)


def starting_direction(document: dict[str, Any], column: str) -> str:
    """A criterion's first direction: the document's, else benefit."""
    return criterion(document, column).get("direction", "benefit")


def starting_bound(document: dict[str, Any], column: str, op: str) -> float | None:
    """A range filter's first ``op`` ("min" or "max") bound: the document's, else none."""
    start = bound(document, column, op)
    return float(start) if start is not None else None


def starting_weight(document: dict[str, Any], column: str, judged: dict[str, float] | None) -> float:
    """A weight slider's first value: the document's weight, else the AHP weight, within 0..1."""
    start = criterion(document, column).get("weight")
    if start is None:
        start = round(judged[column], 2) if judged and column in judged else DEFAULT_WEIGHT
    return float(min(max(start, 0.0), 1.0))


def starting_values(document: dict[str, Any], column: str, values: list[str]) -> list[str]:
    """The values an ``in`` filter on ``column`` starts with: the document's, else every value."""
    start = bound(document, column, "in")
    return [v for v in start if v in values] if start is not None else values


def build_document(base: dict[str, Any], choices: Choices) -> dict[str, Any]:
    """The spec document the choices stand for; title and judgments come from ``base``."""
    document: dict[str, Any] = {"title": base["title"]} if "title" in base else {}
    document["method"] = choices.method
    if choices.normalization != AUTO:
        document["normalization"] = choices.normalization
    document |= {"id": choices.id_column, "keep": list(choices.keep), "missing": choices.missing}
    if choices.filters:
        document["filters"] = choices.filters
    document["criteria"] = [
        {"column": c, "direction": d} if w is None else {"column": c, "direction": d, "weight": w}
        for c, d, w in choices.criteria
    ]
    if choices.ahp:
        document["judgments"] = copy.deepcopy(base["judgments"])
        if "ahp_method" in base:
            document["ahp_method"] = base["ahp_method"]
    return document
