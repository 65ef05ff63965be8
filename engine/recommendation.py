"""The recommendation: what to do, how firm that is, what it costs and what a budget forces out.

``recommend(analysis, robustness)`` derives it once from figures already computed (the scores of
every method, the weight stability intervals, the SMAA first-rank shares, and optionally a
package for a budget and the experts' own rankings); it draws no samples of its own. The app's
first screen, ``policyrank rank --format json`` and the memo all show this one object.

Firmness
--------
Three pieces of evidence about the leader (the first of the ranking in use):

(a) ``share``: the share of SMAA samples that rank it first;
(b) ``agreeing``: how many of the compared scoring methods (TOPSIS, WSM, VIKOR, PROMETHEE II,
    all with the same weights) put it first, out of ``methods``;
(c) ``weight change``: the smallest *relative* change of one criterion's weight (the others
    keeping their proportions) that costs it first place, from the stability intervals:
    ``|threshold - weight| / weight``, minimised over the criteria.

The verdict, checked in this order:

* **contested** when any of: ``share < 0.50`` (the leader is first in fewer than half of the
  plausible variations); more than half of the methods put another countermeasure first; a
  rival's share is within ``0.10`` of the leader's; or a relative weight change of at most 10 %
  overturns it.
* **firm** when all of: ``share >= 0.75``, every method puts it first, and no relative weight
  change of 25 % or less overturns it.
* **leaning** otherwise.

Why these numbers. 0.75 is "three in four": below it a decision maker would still meet the
other answer once in every few plausible readings of the judgments. 0.50 is the point below
which the leader is less likely first than not. A gap of 0.10 between two shares is what a
reader cannot tell apart in words ("about 4 in 10" against "about 3 in 10" is already close),
and well above the sampling error of a share (at most 0.005 for 10,000 samples). One step on
Saaty's 1-9 scale (3 to 4, say) changes a ratio by a third and moves a leaf weight by about
10-25 % of itself, so a leader that a 10 % change overturns is inside the noise of a single
judgment, and one that survives 25 % survives a full step. All four methods agreeing is
demanded for "firm" because the methods are equally defensible ways to score; a majority
against the leader makes the answer depend on that choice, which is a contest. Comparisons
allow 1e-9 of float noise, so a share of exactly 0.75 counts as 0.75.

The experts' agreement (``experts_agree``) is reported beside the verdict and does not enter it:
the SMAA samples already perturb every expert's own judgments, and the verdict must not change
with whether the caller passed the per-expert analysis.

Action
------
Firm or leaning: the leader alone (leaning names the contender as the one to keep in view).
Contested: a first tier, the leader followed by the other countermeasures that could as well be
first, by their first-rank share: the contender, any other first in at least 10 % of the
samples, any other a compared method puts first and, when a weight change of at most 10 %
decided the verdict, the countermeasure that change puts first. What orders the tier is read
off the stability intervals: raising (lowering) criterion j past the end of the leader's
interval puts member X first, so more weight on j favours X (the leader).

Cost
----
The recommended items are the ones to pursue together: the first three of the ranking (or all,
if fewer), plus any first-tier member ranked below them. Their annual cost is summed from the
catalogue's fiscal-cost criterion (:func:`engine.insight.portfolio.cost_criterion`), as the
point value and as the low and high ends of the estimate ranges, beside the average cost of all
countermeasures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any

import numpy as np

from engine.analysis import Analysis
from engine.errors import InputError
from engine.insight.explain import drivers
from engine.insight.groups import GroupAnalysis
from engine.insight.portfolio import Rules, cheapest_package, cost_criterion, costs, select_package
from engine.model import Lang, Node, Problem, Score, Text, frozen_mapping
from engine.panel.source import PanelSource, describe
from engine.robustness.study import Robustness
from engine.text.numbers import join_and, money, money_range, percent
from engine.text.rounded import count, sample_count, tenths
from engine.text.values import value_text

__all__ = [
    "CONTESTED_SHARE",
    "CONTESTED_WEIGHT_CHANGE",
    "FIRMNESS",
    "FIRM_SHARE",
    "FIRM_WEIGHT_CHANGE",
    "RECOMMENDED",
    "RIVAL_GAP",
    "TIER_SHARE",
    "Action",
    "Budget",
    "Cost",
    "Decider",
    "Driver",
    "ExpertView",
    "ExpertsAgree",
    "MethodFirst",
    "MethodsFirst",
    "Overturn",
    "Recommendation",
    "ShareFirst",
    "WeightThreshold",
    "Why",
    "classify",
    "recommend",
]

FIRMNESS: tuple[str, ...] = ("firm", "leaning", "contested")
FIRM_SHARE = 0.75
CONTESTED_SHARE = 0.50
RIVAL_GAP = 0.10
FIRM_WEIGHT_CHANGE = 0.25
CONTESTED_WEIGHT_CHANGE = 0.10
TIER_SHARE = 0.10
RECOMMENDED = 3
_EPS = 1e-9  # float noise allowed at every threshold
_UNWRITTEN = Text("", "")  # a text that recommend() writes once every figure is known


# ---------------------------------------------------------------- the object


@dataclass(frozen=True)
class MethodFirst:
    """Who one scoring method puts first (several ids when they tie)."""

    method: str
    first: tuple[str, ...]
    agrees: bool


@dataclass(frozen=True)
class MethodsFirst:
    """Evidence (b): the compared methods' first places.

    ``fixed_bounds`` is the first under the fixed-bounds mode (SPOTIS) of the rank-reversal
    check and ``choices_agreeing`` / ``choices`` the modelling-choice audit; both are reported,
    neither is counted in ``agreeing``.
    """

    methods: tuple[MethodFirst, ...]
    agreeing: int
    total: int
    fixed_bounds: tuple[str, ...]
    choices_agreeing: int
    choices: int
    text: Text = _UNWRITTEN  # who the methods put first, in plain words


@dataclass(frozen=True)
class ShareFirst:
    """Evidence (a): SMAA first-rank shares. ``shares`` lists every countermeasure ever first."""

    leader: float
    contender: float | None
    shares: tuple[tuple[str, float], ...]
    samples: int
    seed: int
    sampling: Text
    text: Text = _UNWRITTEN  # how often the leader (and the tier or contender) came first, in words


@dataclass(frozen=True)
class WeightThreshold:
    """Moving one criterion's weight past ``threshold`` (side -1 below, +1 above) puts
    ``leader_then`` first instead of the leader; ``relative`` is ``|change| / weight``."""

    criterion: str
    weight: float
    threshold: float
    side: int
    change: float
    relative: float
    leader_then: str


@dataclass(frozen=True)
class Overturn:
    """What would overturn the leader.

    ``critical`` is the stability study's critical criterion (the smallest absolute weight
    change); ``smallest_relative`` the smallest relative one, evidence (c) of the verdict;
    ``thresholds`` every end of the leader's stability intervals where another takes first
    place, nearest first. ``text`` says what is known, including fragility shown by the methods
    and the samples when no single weight does it.
    """

    critical: WeightThreshold | None
    smallest_relative: WeightThreshold | None
    thresholds: tuple[WeightThreshold, ...]
    text: Text


@dataclass(frozen=True)
class Decider:
    """More weight on ``criterion`` puts (or keeps) ``favours`` ahead of ``over``: moving it past
    ``threshold`` on ``side`` is where the first place changes between them."""

    criterion: str
    favours: str
    over: str
    weight: float
    threshold: float
    side: int


@dataclass(frozen=True)
class Action:
    """``kind`` "single" (the leader) or "tier" (``members``, leader first)."""

    kind: str
    members: tuple[str, ...]
    watch: str | None
    deciders: tuple[Decider, ...]
    text: Text


@dataclass(frozen=True)
class ExpertView:
    id: str
    kind: str  # "expert" | "group"
    name: Text
    first: str


@dataclass(frozen=True)
class ExpertsAgree:
    """Whether every expert and stakeholder group puts the same countermeasure first."""

    agree: bool
    views: tuple[ExpertView, ...]
    overall_first: str
    text: Text


@dataclass(frozen=True)
class FromPanel:
    """The weights came from an expert panel: which, how many experts from which groups, how far
    they agree (:mod:`engine.panel.source`); ``text`` says it in one sentence."""

    source: PanelSource
    text: Text


@dataclass(frozen=True)
class Driver:
    """One strength or weak spot (:func:`engine.insight.explain.drivers`), in natural units."""

    criterion: str
    value: float
    average: float
    advantage: float


@dataclass(frozen=True)
class Why:
    id: str
    strengths: tuple[Driver, ...]
    weak_spots: tuple[Driver, ...]
    text: Text


@dataclass(frozen=True)
class Cost:
    """Annual cost of the recommended ``items`` on the fiscal-cost ``criterion`` (亿元/年)."""

    criterion: str
    items: tuple[str, ...]
    value: float
    low: float
    high: float
    average: float
    rule: Text
    text: Text


@dataclass(frozen=True)
class Budget:
    """The package a budget pays for and what it changes in the recommendation.

    When no package obeys the rules within the budget, ``feasible`` is False, ``package`` is
    empty and ``smallest`` is the smallest budget that works (the cheapest package that obeys
    the rules, ``smallest_package``); both stay None / empty when the rules conflict whatever
    the budget, ``reason`` saying why. ``required`` and ``excluded`` are the countermeasures the
    rules force in and out (an analyst's must-include and exclude choices); ``forced_out`` is
    what the budget, not an exclusion, leaves out of the recommendation. ``basis`` is what a
    countermeasure is worth in the package (:data:`engine.insight.portfolio.VALUE_BASES`).
    """

    budget: float
    feasible: bool
    package: tuple[str, ...]
    cost: float | None
    value: float | None
    forced_out: tuple[str, ...]
    added: tuple[str, ...]
    smallest: float | None
    smallest_package: tuple[str, ...]
    reason: str | None
    required: tuple[str, ...]
    excluded: tuple[str, ...]
    basis: str
    text: Text


@dataclass(frozen=True)
class Recommendation:
    """The one recommendation every front end shows (see the module notes and
    docs/recommendation.md). Countermeasures and criteria are named by id; ``names`` holds their
    names in both languages."""

    firmness: str
    firmness_reasons: tuple[str, ...]
    leader: str
    contender: str | None
    runner_up: str | None
    action: Action
    methods_first: MethodsFirst
    share_first: ShareFirst
    overturn: Overturn
    experts_agree: ExpertsAgree | None
    why: tuple[Why, ...]
    cost: Cost | None
    budget: Budget | None
    headline: Text
    summary: tuple[Text, ...]
    names: Mapping[str, Text]
    panel: FromPanel | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dataclasses become objects, tuples lists, infinities None."""
        return _plain(self)


def _plain(value: Any) -> Any:
    if isinstance(value, Text):
        return {"zh": value.zh, "en": value.en}
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# ---------------------------------------------------------------- the verdict


def classify(
    share: float, rival_share: float, agreeing: int, methods: int, weight_change: float
) -> tuple[str, tuple[str, ...]]:
    """The firmness and the conditions that decided it.

    Parameters
    ----------
    share : float
        The leader's SMAA first-rank share.
    rival_share : float
        The largest first-rank share of any other countermeasure (0 if none was ever first).
    agreeing, methods : int
        Methods that put the leader first, out of how many.
    weight_change : float
        Smallest relative change of one weight that costs the leader first place (inf if none).

    Returns
    -------
    (str, tuple of str)
        ``"contested"`` with the conditions that made it so, ``"leaning"`` with the conditions
        of "firm" it misses, or ``("firm", ())``. Conditions: "share", "methods", "rival",
        "weight".
    """
    contested = []
    if share < CONTESTED_SHARE - _EPS:
        contested.append("share")
    if methods - agreeing > methods / 2:
        contested.append("methods")
    if share - rival_share < RIVAL_GAP - _EPS:
        contested.append("rival")
    if weight_change <= CONTESTED_WEIGHT_CHANGE + _EPS:
        contested.append("weight")
    if contested:
        return "contested", tuple(contested)
    missed = []
    if share < FIRM_SHARE - _EPS:
        missed.append("share")
    if agreeing < methods:
        missed.append("methods")
    if weight_change <= FIRM_WEIGHT_CHANGE + _EPS:
        missed.append("weight")
    return ("leaning", tuple(missed)) if missed else ("firm", ())


# ---------------------------------------------------------------- evidence


def _methods_first(analysis: Analysis, robustness: Robustness, leader: str) -> MethodsFirst:
    ids = analysis.problem.alternative_ids
    entries = []
    for method, result in analysis.results.items():
        first = tuple(ids[i] for i in np.flatnonzero(np.asarray(result.ranks) == 1))
        entries.append(MethodFirst(method=method, first=first, agrees=leader in first))
    fixed = np.asarray(robustness.reversal.fixed_ranks)
    audit = robustness.audit
    return MethodsFirst(
        methods=tuple(entries),
        agreeing=sum(e.agrees for e in entries),
        total=len(entries),
        fixed_bounds=tuple(ids[i] for i in np.flatnonzero(fixed == fixed.min())),
        choices_agreeing=int(np.sum(audit.same_top)),
        choices=len(audit.choices),
    )


def _thresholds(analysis: Analysis, robustness: Robustness) -> tuple[WeightThreshold, ...]:
    ids, leaves = analysis.problem.alternative_ids, analysis.problem.leaf_ids
    found = []
    for c in robustness.stability.criteria:
        ends = ((-1, c.top_interval[0], c.top_successors[0]), (1, c.top_interval[1], c.top_successors[1]))
        for side, end, successor in ends:
            if successor is None:
                continue
            change = end - c.weight
            found.append(
                WeightThreshold(
                    criterion=leaves[c.index],
                    weight=c.weight,
                    threshold=end,
                    side=side,
                    change=change,
                    relative=abs(change) / c.weight if c.weight > 0 else math.inf,
                    leader_then=ids[successor],
                )
            )
    # nearest first; on a tie the lower end first, as the stability study picks it
    return tuple(sorted(found, key=lambda t: (abs(t.change), t.side)))


def _contender(share: np.ndarray, ranks: np.ndarray, leader: int) -> int | None:
    others = [i for i in range(len(share)) if i != leader and share[i] > 0]
    if not others:
        return None
    return min(others, key=lambda i: (-share[i], ranks[i], i))


def _tier(
    problem: Problem,
    leader: int,
    contender: int | None,
    share: np.ndarray,
    ranks: np.ndarray,
    methods: MethodsFirst,
    reasons: tuple[str, ...],
    nearest: WeightThreshold | None,
) -> tuple[str, ...]:
    ids = problem.alternative_ids
    members = {i for i in range(len(ids)) if i != leader and share[i] >= TIER_SHARE - _EPS}
    if contender is not None:
        members.add(contender)
    members |= {ids.index(x) for m in methods.methods for x in m.first}
    if "weight" in reasons and nearest is not None:
        members.add(ids.index(nearest.leader_then))
    members.discard(leader)
    ordered = sorted(members, key=lambda i: (-share[i], ranks[i], i))
    return (ids[leader], *(ids[i] for i in ordered))


def _deciders(
    leader: str, members: Sequence[str], thresholds: Sequence[WeightThreshold]
) -> tuple[Decider, ...]:
    out = []
    for t in thresholds:  # already nearest first
        if t.leader_then not in members:
            continue
        favours, over = (t.leader_then, leader) if t.side > 0 else (leader, t.leader_then)
        out.append(Decider(t.criterion, favours, over, t.weight, t.threshold, t.side))
    return tuple(out)


def _experts(groups: GroupAnalysis | None, problem: Problem) -> tuple[tuple[ExpertView, ...], str] | None:
    if groups is None:
        return None
    if tuple(groups.alternative_ids) != problem.alternative_ids:
        raise ValueError("the group analysis ranks other countermeasures than the analysis")
    ids = problem.alternative_ids
    views = tuple(
        ExpertView(id=v.id, kind=v.kind, name=v.name, first=ids[v.leader])
        for v in (*groups.experts, *groups.groups)
    )
    if len(groups.experts) < 2 and len(groups.groups) < 2:
        return None
    return views, ids[groups.overall.leader]


def _why(
    analysis: Analysis, members: Sequence[str]
) -> tuple[tuple[str, tuple[Driver, ...], tuple[Driver, ...]], ...]:
    problem = analysis.problem
    found = drivers(analysis, top=2)
    out = []
    for item in members:
        row = problem.alternative_ids.index(item)

        def entry(j: int, row: int = row) -> Driver:
            return Driver(
                criterion=problem.leaf_ids[j],
                value=float(problem.matrix[row, j]),
                average=float(found.average[j]),
                advantage=float(found.advantage[row, j]),
            )

        out.append((item, tuple(map(entry, found.strengths(row))), tuple(map(entry, found.weak_spots(row)))))
    return tuple(out)


def _recommended(analysis: Analysis, tier: Sequence[str]) -> tuple[str, ...]:
    top = [entry.id for entry in analysis.ranking[:RECOMMENDED]]
    return (*top, *(item for item in tier if item not in top))


def _cost(words: _Words, analysis: Analysis, members: Sequence[str]) -> Cost | None:
    problem = analysis.problem
    try:
        criterion = cost_criterion(problem)
    except InputError:
        return None  # a catalogue without one fiscal-cost criterion has no cost to report
    items = _recommended(analysis, members)
    chosen = np.isin(problem.alternative_ids, items)
    point, low, high = (costs(problem, criterion, estimate=e) for e in ("value", "low", "high"))
    value, low_sum, high_sum = (float(x[chosen].sum()) for x in (point, low, high))
    average = float(point.mean())
    top = {entry.id for entry in analysis.ranking[:RECOMMENDED]}
    rule, text = _cost_text(
        words, items, value, low_sum, high_sum, average, any(m not in top for m in members)
    )
    return Cost(
        criterion=criterion,
        items=items,
        value=value,
        low=low_sum,
        high=high_sum,
        average=average,
        rule=rule,
        text=text,
    )


def _budget(
    words: _Words,
    analysis: Analysis,
    budget: float,
    rules: Rules | None,
    basis: str,
    recommended: Sequence[str],
) -> Budget:
    try:
        amount = float(budget)
    except (TypeError, ValueError):
        amount = math.nan
    if isinstance(budget, bool) or not math.isfinite(amount) or amount < 0:
        raise InputError("--budget", "", f"expected a finite number >= 0, got {budget!r}")
    problem = analysis.problem
    required = rules.must if rules is not None else ()
    excluded = rules.exclude if rules is not None else ()
    try:
        package = select_package(analysis, amount, rules=rules, basis=basis)
    except InputError as exc:
        if exc.source in ("--budget", "--cost-criterion"):
            raise
        found = replace(
            _smallest_budget(problem, amount, rules, str(exc)),
            required=required,
            excluded=excluded,
            basis=basis,
        )
    else:
        found = Budget(
            budget=amount,
            feasible=True,
            package=package.selected,
            cost=package.cost,
            value=package.value,
            forced_out=tuple(i for i in recommended if i not in package.selected and i not in excluded),
            added=tuple(i for i in package.selected if i not in recommended),
            smallest=None,
            smallest_package=(),
            reason=None,
            required=required,
            excluded=excluded,
            basis=basis,
            text=Text("", ""),
        )
    return replace(found, text=_budget_text(words, found))


def _smallest_budget(problem: Problem, amount: float, rules: Rules | None, reason: str) -> Budget:
    """The budget nothing fits in, with the smallest that works (its text still to be written)."""
    ids = problem.alternative_ids
    cheapest = cheapest_package(costs(problem, cost_criterion(problem)), ids, rules)
    smallest: float | None = None
    package: tuple[str, ...] = ()
    if cheapest is not None:
        chosen, smallest = cheapest
        package = tuple(i for i, keep in zip(ids, chosen, strict=True) if keep)
    return Budget(
        budget=amount,
        feasible=False,
        package=(),
        cost=None,
        value=None,
        forced_out=(),
        added=(),
        smallest=smallest,
        smallest_package=package,
        reason=reason,
        required=(),
        excluded=(),
        basis="",
        text=Text("", ""),
    )


# ---------------------------------------------------------------- wording


class _Words:
    """Names and figures in both languages, for the sentences of one recommendation."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.leaves: dict[str, Node] = {leaf.id: leaf for leaf in problem.leaves}

    def measure(self, item: str, lang: Lang) -> str:
        return self.problem.countermeasure(item).short.get(lang)

    def measures(self, items: Sequence[str], lang: Lang) -> str:
        return join_and([self.measure(i, lang) for i in items], lang)

    def criterion(self, leaf_id: str, lang: Lang) -> str:
        name = self.leaves[leaf_id].name.get(lang)
        if lang == "en" and name[:2].istitle():  # "Risk" -> "risk", but "HQ ..." stays
            name = name[0].lower() + name[1:]
        return f"“{name}”"

    def value(self, leaf_id: str, value: float, lang: Lang) -> str:
        score = Score(value=round(value, 1), why=Text("", ""), evidence=())
        return value_text(score, self.leaves[leaf_id], lang, brief=True)


def _weight_pair(now: float, threshold: float) -> tuple[str, str]:
    """Two weights as percentages with enough decimals to tell them apart ("8.5%", "6.3%")."""
    for digits in range(1, 5):
        a, b = f"{100 * now:.{digits}f}%", f"{100 * threshold:.{digits}f}%"
        if a != b:
            return a, b
    return percent(now), percent(threshold)


def _decider_clause(words: _Words, favours: str, criteria: Sequence[str], leader: str, lang: Lang) -> str:
    if lang == "zh":
        # a cost criterion weighs keeping it down: "控制“财政投入”"
        costly = [words.leaves[c].direction < 0 for c in criteria]
        parts = [
            ("控制" if cost and not all(costly) else "") + words.criterion(c, "zh")
            for c, cost in zip(criteria, costly, strict=True)
        ]
        verb = "仍居首" if favours == leader else "居首"
        return (
            f"更看重{'控制' if all(costly) else ''}{'或'.join(parts)}则{words.measure(favours, 'zh')}{verb}"
        )
    names = " or ".join(words.criterion(c, "en") for c in criteria)
    verb = "keeps" if favours == leader else "puts"
    return f"more weight on {names} {verb} {words.measure(favours, 'en')} first"


def _action_text(
    words: _Words,
    kind: str,
    members: Sequence[str],
    watch: str | None,
    deciders: Sequence[Decider],
    methods_differ: bool,
) -> Text:
    leader = members[0]
    out = {}
    for lang in ("zh", "en"):
        if kind == "single":
            head = (
                f"首选{words.measure(leader, 'zh')}"
                if lang == "zh"
                else f"Pursue {words.measure(leader, 'en')} first"
            )
            if watch is not None:
                head += (
                    f"，{words.measure(watch, 'zh')}作为备选"
                    if lang == "zh"
                    else f", with {words.measure(watch, 'en')} as the alternative to keep in view"
                )
            out[lang] = head + ("。" if lang == "zh" else ".")
            continue
        head = (
            f"把{words.measures(members, 'zh')}作为第一梯队一并推进"
            if lang == "zh"
            else f"Treat {words.measures(members, 'en')} as one first tier"
        )
        clauses = []
        for member in (*members[1:], leader):  # the others first, then what keeps the leader ahead
            chosen = [d.criterion for d in deciders if d.favours == member][:2]
            if chosen:
                clauses.append(_decider_clause(words, member, chosen, leader, lang))
        if clauses:
            tail = "；".join(clauses) if lang == "zh" else "; ".join(clauses)
            out[lang] = head + ("：" + tail + "。" if lang == "zh" else ": " + tail + ".")
        elif lang == "zh":
            source = "判断和评分的不确定性" + ("以及计分方式" if methods_differ else "")
            out[lang] = head + f"；单独调整某一项权重不会改变二者先后，差别来自{source}。"
        else:
            source = "the uncertain judgments and scores" + (
                " and the way of scoring" if methods_differ else ""
            )
            out[lang] = head + f"; no single weight change reorders them: the difference comes from {source}."
    return Text(zh=out["zh"], en=out["en"])


def _share_text(words: _Words, shares: ShareFirst, members: Sequence[str], lang: Lang) -> str:
    share = dict(shares.shares)
    n = sample_count(shares.samples, lang)
    parts = []
    for member in members:
        name, fraction = words.measure(member, lang), share.get(member, 0.0)
        if lang == "zh":
            parts.append(
                f"{name}每次都居首"
                if fraction >= 1
                else f"{name}从未居首"
                if fraction <= 0
                else f"{name}居首{tenths(fraction, 'zh')}"
            )
        else:
            parts.append(
                f"{name} came first every time"
                if fraction >= 1
                else f"{name} never came first"
                if fraction <= 0
                else f"{name} came first in {tenths(fraction, 'en')}"
            )
    if lang == "zh":
        return f"在{n}次扰动测算中，{'，'.join(parts)}。"
    return f"In {n} perturbed runs, {', '.join(parts)}."


def _methods_text(words: _Words, methods: MethodsFirst, leader: str, lang: Lang) -> str:
    total, agreeing = methods.total, methods.agreeing
    others: dict[tuple[str, ...], int] = {}
    for entry in methods.methods:
        if not entry.agrees:
            others[entry.first] = others.get(entry.first, 0) + 1
    name = words.measure(leader, lang)
    if lang == "zh":
        if not others:
            text = f"{count(total, 'zh')}种计分方式都把{name}排在首位"
        else:
            rest = "，".join(
                f"{count(k, 'zh')}种把{words.measures(first, 'zh')}排在首位" for first, k in others.items()
            )
            text = f"{count(total, 'zh')}种计分方式中{count(agreeing, 'zh')}种把{name}排在首位，{rest}"
        if leader not in methods.fixed_bounds:
            text += f"；按各项指标的固定量程计分，{words.measures(methods.fixed_bounds, 'zh')}居首"
        return text + "。"
    if not others:
        text = f"All {total} ways of scoring put {name} first"
    else:
        rest = ", ".join(
            f"{k} put{'s' if k == 1 else ''} {words.measures(first, 'en')} first"
            for first, k in others.items()
        )
        verb = "puts" if agreeing == 1 else "put"
        text = f"Of {total} ways of scoring, {agreeing} {verb} {name} first and {rest}"
    if leader not in methods.fixed_bounds:
        fixed = words.measures(methods.fixed_bounds, "en")
        text += f"; scored against each criterion's fixed scale, {fixed} comes first"
    return text + "."


def _overturn_text(
    words: _Words, critical: WeightThreshold | None, methods: MethodsFirst, share: ShareFirst, leader: str
) -> Text:
    if critical is not None:
        now, then = _weight_pair(critical.weight, critical.threshold)
        zh_move = "降到" if critical.side < 0 else "升到"
        zh_end = "以下" if critical.side < 0 else "以上"
        en_move = "falls" if critical.side < 0 else "rises"
        en_end = "below" if critical.side < 0 else "above"
        return Text(
            zh=f"若{words.criterion(critical.criterion, 'zh')}的权重由{now}{zh_move}{then}{zh_end}，"
            f"{words.measure(critical.leader_then, 'zh')}将居首。",
            en=f"If the weight of {words.criterion(critical.criterion, 'en')} {en_move} from {now} "
            f"to {en_end} {then}, {words.measure(critical.leader_then, 'en')} comes first.",
        )
    zh = "单独调整任何一项权重都不会改变首位"
    en = "No change of a single weight changes the first place"
    caveats_zh, caveats_en = [], []
    if methods.agreeing < methods.total:
        k = methods.total - methods.agreeing
        caveats_zh.append(f"{count(methods.total, 'zh')}种计分方式中有{count(k, 'zh')}种把别的对策排在首位")
        caveats_en.append(f"{k} of {methods.total} ways of scoring put another countermeasure first")
    if share.leader < 1 - _EPS:
        rest = 1 - share.leader
        caveats_zh.append(f"扰动测算中{tenths(rest, 'zh')}的情形由别的对策居首")
        caveats_en.append(f"in {tenths(rest, 'en')} perturbed runs another came first")
    if caveats_zh:
        return Text(
            zh=zh + "；但" + "，".join(caveats_zh) + "。", en=en + "; but " + ", and ".join(caveats_en) + "."
        )
    return Text(zh=zh + "。", en=en + ".")


def _experts_text(words: _Words, views: Sequence[ExpertView], agree: bool) -> Text:
    groups = [v for v in views if v.kind == "group"]
    shown = groups if len(groups) >= 2 else [v for v in views if v.kind == "expert"]
    who_zh = "各利益相关方" if shown is groups else "各位专家"
    who_en = "Every stakeholder group" if shown is groups else "Every expert"
    if agree:
        first = shown[0].first
        return Text(
            zh=f"{who_zh}都把{words.measure(first, 'zh')}排在首位。",
            en=f"{who_en} puts {words.measure(first, 'en')} first.",
        )
    zh = "，".join(f"{v.name.zh}首选{words.measure(v.first, 'zh')}" for v in shown)
    en = "; ".join(f"{v.name.en}: {words.measure(v.first, 'en')} first" for v in shown)
    return Text(zh=f"专家意见在首位上不一致：{zh}。", en=f"The experts disagree on the top ({en}).")


def _why_text(words: _Words, item: str, strengths: Sequence[Driver], weak: Sequence[Driver]) -> Text:
    def listed(found: Sequence[Driver], lang: Lang) -> str:
        parts = []
        for d in found:
            value, average = (
                words.value(d.criterion, d.value, lang),
                words.value(d.criterion, d.average, lang),
            )
            name = words.criterion(d.criterion, lang)
            # on a cost criterion a strength is a low value and a weak spot a high one: say so
            level = "" if words.leaves[d.criterion].direction > 0 else ("low" if d.advantage > 0 else "high")
            if lang == "zh":
                parts.append(
                    f"{name}{'低' if level == 'low' else '高' if level else ''}（{value}，平均{average}）"
                )
            else:
                parts.append(
                    f"{level + ' ' if level else ''}{name} ({value} against an average of {average})"
                )
        return join_and(parts, lang)

    name_zh, name_en = words.measure(item, "zh"), words.measure(item, "en")
    zh, en = [], []
    if strengths:
        zh.append(f"{name_zh}的长处在于{listed(strengths, 'zh')}")
        en.append(f"{name_en} is strong on {listed(strengths, 'en')}")
    if weak:
        zh.append(
            f"短板在于{listed(weak, 'zh')}" if strengths else f"{name_zh}的短板在于{listed(weak, 'zh')}"
        )
        en.append(
            f"weak on {listed(weak, 'en')}" if strengths else f"{name_en} is weak on {listed(weak, 'en')}"
        )
    if not zh:
        return Text(
            zh=f"{name_zh}在各项指标上都接近平均水平。",
            en=f"{name_en} is close to the average on every criterion.",
        )
    return Text(zh="；".join(zh) + "。", en="; ".join(en) + ".")


def _cost_text(
    words: _Words,
    items: Sequence[str],
    value: float,
    low: float,
    high: float,
    average: float,
    tier_extra: bool,
) -> tuple[Text, Text]:
    m = len(words.problem.countermeasures)
    k = len(items)
    top = min(RECOMMENDED, m)
    rule = Text(
        zh=f"排名前{count(top, 'zh')}的对策" + ("及排名更后的第一梯队成员" if tier_extra else ""),
        en=f"the first {top} of the ranking"
        + (" and the first-tier members ranked below them" if tier_extra else ""),
    )
    mean = round(average, 1)  # a sentence compares; the exact mean stays in the data
    zh = (
        f"建议一并推进的{count(k, 'zh')}项对策（{words.measures(items, 'zh')}）每年约需{money(value, 'zh')}"
        f"（估算区间{money_range(low, high, 'zh')}）"
    )
    what = "countermeasure to pursue costs" if k == 1 else "countermeasures to pursue together cost"
    en = (
        f"The {k} {what} about {money(value, 'en')} a year "
        f"({words.measures(items, 'en')}; estimated range {money_range(low, high, 'en')})"
    )
    if m > 1:
        zh += f"，全部{count(m, 'zh')}项对策平均每项{money(mean, 'zh')}"
        en += f"; the {m} countermeasures average {money(mean, 'en')} each"
    return rule, Text(zh=zh + "。", en=en + ".")


def _forced_text(words: _Words, found: Budget) -> Text:
    """ "，按要求纳入A、不纳入B" / "; as required it includes A and leaves out B", or nothing."""
    zh, en = [], []
    if found.required:
        zh.append(f"纳入{words.measures(found.required, 'zh')}")
        en.append(f"includes {words.measures(found.required, 'en')}")
    if found.excluded:
        zh.append(f"不纳入{words.measures(found.excluded, 'zh')}")
        en.append(f"leaves out {words.measures(found.excluded, 'en')}")
    if not zh:
        return Text("", "")
    return Text(zh="，按要求" + "、".join(zh), en="; as required it " + " and ".join(en))


def _budget_text(words: _Words, found: Budget) -> Text:
    b_zh, b_en = money(found.budget, "zh"), money(found.budget, "en")
    forced = _forced_text(words, found)
    if found.feasible:
        if not found.package or found.cost is None:
            return Text(
                zh=f"每年{b_zh}的预算不足以推进任何一项对策。",
                en=f"A budget of {b_en} a year pays for no countermeasure.",
            )
        names_zh, names_en = words.measures(found.package, "zh"), words.measures(found.package, "en")
        spent_zh, spent_en = money(found.cost, "zh"), money(found.cost, "en")
        zh = f"在每年{b_zh}的预算内，建议的组合是{names_zh}（合计{spent_zh}）{forced.zh}"
        en = f"Within a budget of {b_en} a year the package is {names_en} ({spent_en}){forced.en}"
        if found.forced_out:
            zh += f"，预算迫使舍去{words.measures(found.forced_out, 'zh')}"
            en += f"; the budget leaves out {words.measures(found.forced_out, 'en')}"
        if found.added:
            zh += f"，另纳入{words.measures(found.added, 'zh')}"
            en += f"; it adds {words.measures(found.added, 'en')}"
        return Text(zh=zh + "。", en=en + ".")
    if found.smallest is None:
        return Text(
            zh="组合规则本身相互冲突，任何预算都无法满足。",
            en="The package rules conflict with each other; no budget can meet them.",
        )
    s_zh, s_en = money(found.smallest, "zh"), money(found.smallest, "en")
    names = found.smallest_package
    return Text(
        zh=f"每年{b_zh}的预算无法满足组合规则{forced.zh}，"
        f"至少需要每年{s_zh}（{words.measures(names, 'zh')}）。",
        en=f"A budget of {b_en} a year cannot meet the package rules{forced.en}; the smallest that can is "
        f"{s_en} a year ({words.measures(names, 'en')}).",
    )


def _headline(words: _Words, firmness: str, action: Action, contender: str | None) -> Text:
    leader = action.members[0]
    if firmness == "firm":
        return Text(
            zh=f"首选{words.measure(leader, 'zh')}，结论稳固",
            en=f"{words.measure(leader, 'en')} first, and firmly so",
        )
    if firmness == "leaning":
        if contender is None:
            return Text(
                zh=f"优先推进{words.measure(leader, 'zh')}，结论尚不稳固",
                en=f"Lean towards {words.measure(leader, 'en')}; the lead is not yet firm",
            )
        return Text(
            zh=f"优先推进{words.measure(leader, 'zh')}，{words.measure(contender, 'zh')}为备选",
            en=f"Lean towards {words.measure(leader, 'en')}, "
            f"with {words.measure(contender, 'en')} as the alternative",
        )
    if len(action.members) == 1:
        return Text(
            zh=f"{words.measure(leader, 'zh')}暂居首位，但结论存在争议",
            en=f"{words.measure(leader, 'en')} leads for now, but the lead is contested",
        )
    return Text(
        zh=f"{words.measures(action.members, 'zh')}同列第一梯队，首位尚无定论",
        en=f"{words.measures(action.members, 'en')} share the first tier; first place is not settled",
    )


_VERDICT = {
    "firm": ("首位稳固。", "First place is firm. "),
    "leaning": ("首位有倾向但不稳固。", "First place leans one way but is not firm. "),
    "contested": ("首位存在争议。", "First place is contested. "),
}


# ---------------------------------------------------------------- the facade


def recommend(
    analysis: Analysis,
    robustness: Robustness,
    *,
    budget: float | None = None,
    rules: Rules | None = None,
    basis: str = "wsm",
    groups: GroupAnalysis | None = None,
    panel: PanelSource | None = None,
) -> Recommendation:
    """The recommendation for one analysis and its robustness study.

    Parameters
    ----------
    analysis : Analysis
        :func:`engine.analysis.run`.
    robustness : Robustness
        :func:`engine.robustness.study.analyze` of the same analysis.
    budget : float, optional
        Annual budget in 亿元 (the unit of the fiscal-cost criterion): adds the package it pays
        for (:func:`engine.insight.portfolio.select_package`) and what it forces out.
    rules : Rules, optional
        Package rules for the budget, with any countermeasures forced in (``must``) or out
        (``exclude``); the package text names them.
    basis : {"wsm", "primary"}, optional
        What a countermeasure is worth in the package (:func:`engine.insight.portfolio.select_package`).
    groups : GroupAnalysis, optional
        :func:`engine.insight.groups.analyse_groups`: whether the experts and groups agree on
        the top (reported when there are at least two).
    panel : PanelSource, optional
        The expert panel whose weights the analysis ranks with ("use the panel"): the summary
        names it, its experts by group and their agreement (Kendall's W and p).

    Returns
    -------
    Recommendation

    Raises
    ------
    ValueError
        When the robustness study or the group analysis belongs to another analysis.
    InputError
        For a budget that is not a finite number >= 0, or a budget without a fiscal-cost
        criterion.
    """
    problem = analysis.problem
    study = robustness.analysis
    if (
        study.problem.alternative_ids != problem.alternative_ids
        or study.settings.method != analysis.settings.method
        or not np.array_equal(study.weights, analysis.weights)
    ):
        raise ValueError(
            "the robustness study was run on another analysis (other countermeasures, method or weights)"
        )
    ids = problem.alternative_ids
    ranks = np.asarray(analysis.primary.ranks)
    leader_id = analysis.ranking[0].id
    leader = ids.index(leader_id)
    share = np.asarray(robustness.smaa.first, dtype=float)
    contender = _contender(share, ranks, leader)
    contender_id = None if contender is None else ids[contender]
    runner = analysis.ranking[1].id if len(analysis.ranking) > 1 else None
    runner_up = runner if runner != contender_id else None

    methods = _methods_first(analysis, robustness, leader_id)
    thresholds = _thresholds(analysis, robustness)
    critical_index = robustness.stability.critical
    critical = None
    if critical_index is not None:
        leaf = problem.leaf_ids[critical_index]
        critical = next(t for t in thresholds if t.criterion == leaf)
    nearest = min(thresholds, key=lambda t: (t.relative, abs(t.change), t.side), default=None)
    weight_change = nearest.relative if nearest is not None else math.inf
    rival = float(share[contender]) if contender is not None else 0.0
    firmness, reasons = classify(float(share[leader]), rival, methods.agreeing, methods.total, weight_change)

    shares = ShareFirst(
        leader=float(share[leader]),
        contender=None if contender is None else rival,
        shares=tuple(
            (ids[i], float(share[i]))
            for i in sorted(np.flatnonzero(share > 0), key=lambda i: (-share[i], ranks[i], i))
        ),
        samples=robustness.smaa.samples,
        seed=robustness.seed,
        sampling=robustness.sampling,
    )
    if firmness == "contested":
        members = _tier(problem, leader, contender, share, ranks, methods, reasons, nearest)
    else:
        members = (leader_id,)
    kind = "tier" if len(members) > 1 else "single"
    watch = contender_id if firmness == "leaning" else None
    deciders = _deciders(leader_id, members[1:] if kind == "tier" else [x for x in [watch] if x], thresholds)
    words = _Words(problem)
    action = Action(
        kind=kind,
        members=members,
        watch=watch,
        deciders=deciders,
        text=_action_text(words, kind, members, watch, deciders, methods.agreeing < methods.total),
    )

    overturn = Overturn(
        critical=critical,
        smallest_relative=nearest,
        thresholds=thresholds,
        text=_overturn_text(words, critical, methods, shares, leader_id),
    )

    experts = None
    found = _experts(groups, problem)
    if found is not None:
        views, overall = found
        agree = len({v.first for v in views}) == 1
        experts = ExpertsAgree(
            agree=agree, views=views, overall_first=overall, text=_experts_text(words, views, agree)
        )

    from_panel = None
    if panel is not None:
        if not panel.fits(analysis.settings, problem.leaf_ids):
            raise ValueError(f"the analysis does not rank with the weights of panel {panel.name!r}")
        from_panel = FromPanel(panel, describe(panel, problem))

    explained = [leader_id] + ([contender_id] if contender_id is not None else [])
    why = tuple(
        Why(id=item, strengths=strong, weak_spots=weak, text=_why_text(words, item, strong, weak))
        for item, strong, weak in _why(analysis, explained)
    )

    cost = _cost(words, analysis, members)
    package = None
    if budget is not None:
        package = _budget(words, analysis, budget, rules, basis, _recommended(analysis, members))

    headline = _headline(words, firmness, action, contender_id)
    shown = members if kind == "tier" else explained
    shares = replace(
        shares,
        text=Text(zh=_share_text(words, shares, shown, "zh"), en=_share_text(words, shares, shown, "en")),
    )
    methods = replace(
        methods,
        text=Text(
            zh=_methods_text(words, methods, leader_id, "zh"),
            en=_methods_text(words, methods, leader_id, "en"),
        ),
    )
    summary = [
        Text(zh=_VERDICT[firmness][0] + action.text.zh, en=_VERDICT[firmness][1] + action.text.en),
        shares.text,
        methods.text,
        overturn.text,
    ]
    if experts is not None:
        summary.append(experts.text)
    if from_panel is not None:
        summary.append(from_panel.text)
    summary.append(why[0].text)
    if cost is not None:
        summary.append(cost.text)
    if package is not None:
        summary.append(package.text)

    names = {c.id: c.short for c in problem.countermeasures} | {leaf.id: leaf.name for leaf in problem.leaves}
    return Recommendation(
        firmness=firmness,
        firmness_reasons=reasons,
        leader=leader_id,
        contender=contender_id,
        runner_up=runner_up,
        action=action,
        methods_first=methods,
        share_first=shares,
        overturn=overturn,
        experts_agree=experts,
        why=why,
        cost=cost,
        budget=package,
        headline=headline,
        summary=tuple(summary),
        names=frozen_mapping(names),
        panel=from_panel,
    )
