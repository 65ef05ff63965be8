"""Memo blocks for decisions beyond the ranking: what would change the order, and a policy package.

``order_conditions`` goes at the end of 三、对策建议: the smallest changes of a score or of a
weight after which the second countermeasure overtakes the first (:func:`engine.insight.explain.
counterfactual`). ``package_section`` is a section of its own (六、政策组合) when the memo is
built with a package (:func:`engine.insight.portfolio.select_package`).
"""

from __future__ import annotations

import math
from dataclasses import replace

from engine.analysis import Analysis
from engine.insight.explain import counterfactual
from engine.insight.portfolio import Package, Rules
from engine.memo.blocks import Block, Bullets, Heading, Paragraph, Table
from engine.memo.wording import quoted
from engine.model import Lang
from engine.text import is_money, join_and, label, money, number, percent, score, value_text

MAX_SCORE_CHANGES = 3
MAX_WEIGHT_CHANGES = 2

_TEXT: dict[str, tuple[str, str]] = {
    "lead": ("改变排序的条件：", "What would change the order: "),
    "intro": (
        "{second}要超过{first}（得分差{gap}），在其他条件不变时，下列任一变化即可：",
        "For {second} to overtake {first} (a gap of {gap}), any one of these changes, all else equal,"
        " is enough:",
    ),
    "score": (
        "将{second}在{criterion}上的得分由{now}{verb}至{needed}",
        "{verb} {second}'s {criterion} from {now} to {needed}",
    ),
    "raise": ("提高", "raise"),
    "lower": ("降低", "lower"),
    "step": (
        "将{second}在{criterion}上的得分略{verb}于{now}",
        "{verb} {second}'s {criterion} just past {now}",
    ),
    "weight": (
        "将{criterion}的权重由{now}调至{needed}（其余权重按比例调整）",
        "set the weight of {criterion} from {now} to {needed} (the others in proportion)",
    ),
    "none": (
        "在各准则量表范围内单独改变任一得分或权重，{second}都无法超过{first}，排序第一位较为稳固。",
        "No change of a single score within its scale, and no single weight, lets {second} overtake "
        "{first}: the first place is firm.",
    ),
    "package": ("六、政策组合", "6. Policy package"),
    "package_text": (
        "在每年{budget}的财政预算内，按{basis}选出合计价值最高的对策组合：{names}，合计成本{cost}，结余{left}。",
        "Within an annual budget of {budget}, the set of countermeasures with the highest total value "
        "({basis}) is {names}, costing {cost} with {left} left.",
    ),
    "basis_wsm": ("加权和得分（可加总）", "weighted-sum scores, which add up"),
    "basis_primary": ("所选方法的得分", "the chosen method's scores"),
    "empty": ("预算内没有可选的对策。", "The budget pays for no countermeasure."),
    "rules": ("组合规则：", "Rules: "),
    "must": ("必须纳入{x}", "must include {x}"),
    "exclude": ("不纳入{x}", "leave out {x}"),
    "exclusive": ("{a}与{b}至多选一", "at most one of {a} and {b}"),
    "requires": ("选{a}须同时选{b}", "{a} only together with {b}"),
    "group": ("{x}中至少选{k}项", "at least {k} of {x}"),
    "caption": ("表{n}　政策组合", "Table {n}. The policy package"),
}


def _beyond(value: float, upward: bool, digits: int) -> float:
    """``value`` rounded to ``digits`` significant digits away from the current value, so that the
    rounded figure a reader acts on still achieves the change."""
    if value == 0:
        return 0.0
    decimals = digits - 1 - math.floor(math.log10(abs(value)))
    factor = 10.0**decimals
    return (math.ceil if upward else math.floor)(value * factor - (1e-9 if upward else -1e-9)) / factor


def _w(key: str, lang: Lang, **fields: object) -> str:
    text = _TEXT[key][0 if lang == "zh" else 1]
    return text.format(**fields) if fields else text


def order_conditions(analysis: Analysis, lang: Lang) -> list[Block]:
    """What the second countermeasure needs to overtake the first, as memo blocks."""
    if len(analysis.ranking) < 2:
        return []
    problem = analysis.problem
    found = counterfactual(analysis)
    names = {m.id: quoted(m.name.get(lang), lang) for m in problem.countermeasures}
    leaves = {leaf.id: leaf for leaf in problem.leaves}
    first, second = names[found.leader], names[found.challenger]
    challenger = problem.countermeasure(found.challenger)
    scores = [c for c in found.scores if c.needed is not None]
    span = {leaf.id: abs(leaf.scale[1] - leaf.scale[0]) if leaf.scale else 1.0 for leaf in problem.leaves}
    scores.sort(key=lambda c: abs(c.change or 0.0) / (span[c.criterion] or 1.0))
    weights = sorted((c for c in found.weights if c.needed is not None), key=lambda c: abs(c.change or 0.0))
    items: list[Paragraph] = []
    for change in scores[:MAX_SCORE_CHANGES]:
        leaf = leaves[change.criterion]
        criterion = quoted(leaf.name.get(lang), lang)
        verb = _w("raise" if (change.change or 0) > 0 else "lower", lang)
        current = challenger.scores[leaf.id]
        now = value_text(current, leaf, lang, brief=True)
        if abs(change.change or 0.0) < 1e-9 * (span[leaf.id] or 1.0):
            items.append(Paragraph(_w("step", lang, second=second, criterion=criterion, verb=verb, now=now)))
            continue
        rounded = _beyond(change.needed, (change.change or 0) > 0, 3)
        needed = value_text(replace(current, value=rounded, low=None, high=None), leaf, lang, brief=True)
        items.append(
            Paragraph(
                _w("score", lang, second=second, criterion=criterion, verb=verb, now=now, needed=needed)
            )
        )
    for change in weights[:MAX_WEIGHT_CHANGES]:
        criterion = quoted(leaves[change.criterion].name.get(lang), lang)
        items.append(
            Paragraph(
                _w(
                    "weight",
                    lang,
                    criterion=criterion,
                    now=percent(change.current),
                    needed=percent(change.needed),
                )
            )
        )
    lead = _w("lead", lang)
    if not items:
        return [Paragraph(_w("none", lang, first=first, second=second), lead)]
    intro = _w("intro", lang, first=first, second=second, gap=score(found.gap))
    return [Paragraph(intro, lead), Bullets(tuple(items))]


def _rule_items(rules: Rules, names: dict[str, str], lang: Lang) -> list[Paragraph]:
    items = (
        [Paragraph(_w("must", lang, x=join_and([names[m] for m in rules.must], lang)))] if rules.must else []
    )
    if rules.exclude:
        items.append(Paragraph(_w("exclude", lang, x=join_and([names[m] for m in rules.exclude], lang))))
    items += [Paragraph(_w("exclusive", lang, a=names[a], b=names[b])) for a, b in rules.exclusive]
    items += [Paragraph(_w("requires", lang, a=names[a], b=names[b])) for a, b in rules.requires]
    items += [
        Paragraph(_w("group", lang, x=join_and([names[m] for m in g.measures], lang), k=g.at_least))
        for g in rules.groups
    ]
    return items


def package_section(
    analysis: Analysis, package: Package, lang: Lang, *, rules: Rules | None = None, table_number: int = 0
) -> list[Block]:
    """Section 六: the package for the budget, with each countermeasure's value and cost."""
    problem = analysis.problem
    leaf = next(leaf for leaf in problem.leaves if leaf.id == package.criterion)
    unit = leaf.unit.get(lang) if leaf.unit else ""
    unit = unit.split("/")[0] if lang == "zh" else unit

    def spent(value: float) -> str:
        if is_money(leaf):
            return money(value, lang)
        amount = number(round(value, 6))
        return f"{amount}{unit}" if lang == "zh" else f"{amount} × {unit.replace(' per year', '')}"

    names = {m.id: quoted(m.name.get(lang), lang) for m in problem.countermeasures}
    blocks: list[Block] = [Heading(_w("package", lang))]
    if package.selected:
        text = _w(
            "package_text",
            lang,
            budget=spent(package.budget),
            basis=_w("basis_wsm" if package.basis == "wsm" else "basis_primary", lang),
            names=join_and([names[m] for m in package.selected], lang),
            cost=spent(package.cost),
            left=spent(package.left),
        )
        blocks.append(Paragraph(text))
    else:
        blocks.append(Paragraph(_w("empty", lang)))
    if rules is not None:
        items = _rule_items(rules, names, lang)
        if items:
            blocks += [Paragraph("", _w("rules", lang)), Bullets(tuple(items))]
    rows = tuple(
        (m.short.get(lang), "✓" if keep else "", f"{value:.3f}", number(round(float(cost), 6)))
        for m, keep, value, cost in zip(
            problem.countermeasures, package.chosen, package.values, package.costs, strict=True
        )
    )
    cost_header = (
        f"{label('outlay', lang)}（{unit}）" if lang == "zh" else f"{label('outlay', lang)} ({unit})"
    )
    blocks.append(
        Table(
            header=(label("measure", lang), label("chosen", lang), label("value", lang), cost_header),
            rows=rows,
            caption=_w("caption", lang, n=table_number) if table_number else "",
            numeric=(False, False, True, True),
            widths=(4, 1, 2, 2),
        )
    )
    return blocks
