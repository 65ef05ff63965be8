"""What every section of one memo reads: the analysis, its recommendation, the options and the names.

A :class:`Context` is made once per memo by :func:`engine.memo.compose.build_memo`. Sections read it
and add blocks; the only thing they write back is the list of facts the brief cites, so the annex
can quote exactly those.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from engine.analysis import Analysis
from engine.errors import InputError
from engine.insight.explain import Drivers, drivers
from engine.insight.portfolio import cost_criterion
from engine.memo.options import DEFAULT_PUBLISHER, MemoOptions, localized
from engine.model import Lang, Node, Problem
from engine.recommendation import RECOMMENDED, Recommendation
from engine.robustness.study import Robustness
from engine.text import join_and

__all__ = ["Context", "pick"]


def pick(lang: Lang, zh: str, en: str) -> str:
    """The phrase in ``lang``."""
    return en if lang == "en" else zh


@dataclass
class Context:
    """One memo being written. Everything but ``cited`` is fixed once made."""

    analysis: Analysis
    lang: Lang
    recommendation: Recommendation | None
    robustness: Robustness | None
    options: MemoOptions
    today: dt.date
    illustrative: bool
    # Store.compare's document of the scenarios the memo compares (engine.store.compare), or None
    comparison: Mapping[str, Any] | None = None
    cited: list[str] = field(default_factory=list)

    @property
    def problem(self) -> Problem:
        return self.analysis.problem

    def t(self, zh: str, en: str) -> str:
        return pick(self.lang, zh, en)

    @property
    def end(self) -> str:
        return self.t("。", ".")

    @property
    def publisher(self) -> str:
        return localized(self.options.publisher, self.lang, DEFAULT_PUBLISHER)

    # ------------------------------------------------------------------ names

    def short(self, item: str) -> str:
        """A countermeasure's short name ("营商环境"), as the recommendation names it."""
        return self.problem.countermeasure(item).short.get(self.lang)

    def shorts(self, items: Sequence[str]) -> str:
        return join_and([self.short(i) for i in items], self.lang)

    def full(self, item: str) -> str:
        """A countermeasure's full name, for the headings of 二、对策建议."""
        return self.problem.countermeasure(item).name.get(self.lang)

    def leaf(self, leaf_id: str) -> Node:
        return self.problem.leaves[self.problem.leaf_ids.index(leaf_id)]

    def criterion(self, leaf_id: str) -> str:
        """A criterion's name in quotation marks; English lower-cases a capitalised common noun."""
        name = self.leaf(leaf_id).name.get(self.lang)
        if self.lang == "en" and name[:2].istitle():
            name = name[0].lower() + name[1:]
        return f"“{name}”"

    def cite(self, fact_ids: Sequence[str]) -> str:
        """ "[F04][F54]", remembering the facts for the annex's evidence list."""
        for fact_id in fact_ids:
            if fact_id not in self.cited:
                self.cited.append(fact_id)
        return "".join(f"[{fact_id}]" for fact_id in fact_ids)

    # ---------------------------------------------------------------- figures

    @property
    def ranked(self) -> tuple[str, ...]:
        """Countermeasure ids in ranking order."""
        return tuple(entry.id for entry in self.analysis.ranking)

    @cached_property
    def drivers(self) -> Drivers:
        """Strengths and weak spots against the average countermeasure (the app's definition)."""
        return drivers(self.analysis, top=2)

    @cached_property
    def cost_leaf(self) -> Node | None:
        """The fiscal-cost criterion, or None when the criteria have no single one."""
        try:
            return self.leaf(cost_criterion(self.problem))
        except InputError:
            return None

    @cached_property
    def recommended(self) -> tuple[str, ...]:
        """The countermeasures 二、对策建议 sets out one by one.

        The package a budget pays for when there is one; otherwise the countermeasures the
        recommendation costs as the ones to pursue together; without a recommendation the first
        :data:`engine.recommendation.RECOMMENDED` of the ranking.
        """
        rec = self.recommendation
        if rec is None:
            return self.ranked[:RECOMMENDED]
        if rec.budget is not None and rec.budget.feasible and rec.budget.package:
            return tuple(i for i in self.ranked if i in rec.budget.package)
        if rec.cost is not None:
            return rec.cost.items
        members = rec.action.members
        return (*members, *(i for i in self.ranked[:RECOMMENDED] if i not in members))

    @property
    def forced_out(self) -> tuple[str, ...]:
        """What the budget leaves out of the recommended countermeasures."""
        rec = self.recommendation
        if rec is None or rec.budget is None or not rec.budget.feasible:
            return ()
        return rec.budget.forced_out
