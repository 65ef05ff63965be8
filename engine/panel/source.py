"""Where weights came from when an expert panel set them, and how the memo and the overview say so.

"Use the panel" makes a panel's weights a scenario's manual weights; the scenario keeps a
:class:`PanelSource` beside them (its ``choices["panel"]``): which panel and round, how many experts
from which stakeholder groups, how the judgments were combined, the panel's agreement (Kendall's W
with its χ² test) and the weights themselves. :meth:`PanelSource.fits` tells whether the weights in
use are still those (a later slider move makes them the analyst's again), and :func:`describe`
writes the sentence the recommendation, the memo and the overview show.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.errors import InputError
from engine.model import Lang, Problem, Text, frozen_mapping
from engine.settings import AGGREGATIONS, Settings
from engine.text import join_list

__all__ = ["PanelSource", "describe", "source_from_status"]

ALPHA = 0.05  # the level at which Kendall's W is called significant (as engine.panel.rounds uses)
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class PanelSource:
    """A panel's weights as a scenario uses them, with what the memo says about the panel.

    ``groups`` counts the experts whose judgments entered, by stakeholder group id ("" when the
    criteria file declares no groups); ``kendall_w``, ``chi2``, ``df`` and ``p`` are None when fewer
    than two experts answered every judgment. ``weights`` are the leaf weights that were set.
    """

    name: str
    round: int
    experts: int
    groups: Mapping[str, int]
    aggregation: str
    kendall_w: float | None
    chi2: float | None
    df: float | None
    p: float | None
    weights: Mapping[str, float] = field(default_factory=frozen_mapping)

    def fits(self, settings: Settings, leaf_ids: tuple[str, ...]) -> bool:
        """Whether ``settings`` rank with these weights (manual weights equal to them)."""
        if settings.weight_source != "manual" or set(self.weights) != set(leaf_ids):
            return False
        manual = dict(settings.manual_weights)
        if set(manual) != set(leaf_ids):
            return False
        total = sum(manual.values())
        return total > 0 and all(
            math.isclose(manual[leaf] / total, self.weights[leaf], abs_tol=_TOLERANCE) for leaf in leaf_ids
        )

    def to_choice(self) -> dict[str, Any]:
        """JSON for ``Scenario.choices["panel"]``."""
        return {
            "name": self.name,
            "round": self.round,
            "experts": self.experts,
            "groups": dict(self.groups),
            "aggregation": self.aggregation,
            "kendall_w": self.kendall_w,
            "chi2": self.chi2,
            "df": self.df,
            "p": self.p,
            "weights": dict(self.weights),
        }

    @classmethod
    def from_choice(
        cls, value: Mapping[str, Any], source: str = "choices", place: str = "panel"
    ) -> PanelSource:
        """Read :meth:`to_choice`'s JSON back; a malformed one is an :class:`InputError`."""
        if not isinstance(value, Mapping):
            raise InputError(source, place, f"expected a mapping, got {type(value).__name__}")
        try:
            name = value["name"]
            round_ = value["round"]
            groups = {str(k): int(v) for k, v in dict(value.get("groups") or {}).items()}
            weights = {str(k): float(v) for k, v in dict(value["weights"]).items()}
            optional = {
                key: None if value.get(key) is None else float(value[key])
                for key in ("kendall_w", "chi2", "df", "p")
            }
            aggregation = value.get("aggregation", "judgments")
            experts = int(value["experts"])
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(
                source, place, f"expected a panel source with name, round, experts, weights ({exc})"
            ) from None
        if not isinstance(name, str) or not name or isinstance(round_, bool) or not isinstance(round_, int):
            raise InputError(source, place, "expected a panel name and a whole round number")
        if aggregation not in AGGREGATIONS:
            raise InputError(source, f"{place}.aggregation", f"expected one of {', '.join(AGGREGATIONS)}")
        numbers = [*weights.values(), *(v for v in optional.values() if v is not None)]
        if not all(math.isfinite(v) for v in numbers) or any(v < 0 for v in weights.values()):
            raise InputError(source, f"{place}.weights", "expected finite weights >= 0")
        return cls(
            name=name,
            round=round_,
            experts=experts,
            groups=frozen_mapping(groups),
            aggregation=aggregation,
            weights=frozen_mapping(weights),
            **optional,
        )


def source_from_status(
    status: Mapping[str, Any], weights: Mapping[str, float], aggregation: str
) -> PanelSource:
    """The source of ``weights`` set from a panel, from its status document
    (:meth:`engine.store.panel.Panels.status`): the experts who answered every judgment of the
    current round, by group, and that round's Kendall's W."""
    complete = [e for e in status["experts"] if e["complete_judgments"]]
    groups: dict[str, int] = {}
    for expert in complete:
        groups[expert["group"] or ""] = groups.get(expert["group"] or "", 0) + 1
    w = status["agreement"]["kendall_w"] or {}
    total = sum(weights.values())
    return PanelSource(
        name=status["panel"]["name"],
        round=int(status["panel"]["round"]),
        experts=len(complete),
        groups=frozen_mapping(groups),
        aggregation=aggregation,
        kendall_w=w.get("w"),
        chi2=w.get("chi2"),
        df=w.get("df"),
        p=w.get("p"),
        weights=frozen_mapping({leaf: float(v) / total for leaf, v in weights.items()}),
    )


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def describe(source: PanelSource, problem: Problem) -> Text:
    """One sentence in each language: the panel, its experts by group, and how far they agree."""
    group_names = {group.id: group.name for group in problem.criteria.groups}

    def groups(lang: Lang) -> str:
        parts = []
        for group, count in source.groups.items():
            name = group_names[group].get(lang) if group in group_names else ""
            if lang == "zh":
                parts.append(f"{name}{count}位" if name else f"{count}位")
            else:
                parts.append(f"{count} from {name}" if name else str(count))
        return join_list(parts, lang)  # type: ignore[arg-type]  # "zh" or "en"

    how = {
        "judgments": ("逐项判断按加权几何平均汇总", "their judgments combined by weighted geometric mean"),
        "priorities": ("各自的权重加权平均汇总", "their own weights averaged"),
    }[source.aggregation]
    zh = (
        f"权重来自专家咨询“{source.name}”第{source.round}轮：{source.experts}位专家"
        f"（{groups('zh')}），{how[0]}。"
    )
    experts_en = "one expert" if source.experts == 1 else f"{source.experts} experts"
    en = (
        f"The weights come from round {source.round} of the expert panel “{source.name}”: {experts_en} "
        f"({groups('en')}), {how[1]}."
    )
    if source.kendall_w is None or source.p is None:
        zh += "完成全部判断的专家不足两位，尚无法检验意见的协调程度。"
        en += " Fewer than two experts answered every judgment, so their agreement cannot be tested yet."
    else:
        figures = f"W = {source.kendall_w:.2f}，χ² = {source.chi2:.2f}，{_p(source.p)}"
        figures_en = f"W = {source.kendall_w:.2f}, χ² = {source.chi2:.2f}, {_p(source.p)}"
        if source.p < ALPHA:
            zh += f"专家意见的协调程度显著（肯德尔协调系数 {figures}）。"
            en += f" The experts agree significantly (Kendall's {figures_en})."
        else:
            zh += f"专家意见的协调程度不显著，分歧仍较大（肯德尔协调系数 {figures}）。"
            en += (
                " The experts' agreement is not significant; they still differ widely "
                f"(Kendall's {figures_en})."
            )
    return Text(zh=zh, en=en)
