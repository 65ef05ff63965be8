"""二、对策建议: each recommended countermeasure as （一）…: three actions, the suggested lead unit and
timeframe, the annual cost and the main risk; the others in one paragraph. (Strengths and weak
spots are told once, in 核心观点.)

Which countermeasures are set out comes from the recommendation (:attr:`Context.recommended`):
the package a budget pays for, or the ones it costs as the set to pursue together.
"""

from __future__ import annotations

import re

from engine.memo.document import Block, Heading, Paragraph
from engine.memo.sections.context import Context
from engine.memo.sections.key_points import lead
from engine.model import Node, Score
from engine.text import chinese_numeral, is_money, money, money_range, value_text

HEADING = ("二、对策建议", "2. Recommendations")
ACTIONS = 3  # the catalogue lists the most important actions first
# The criterion whose reasons describe what can go wrong, when the criteria have one.
RISK_CRITERION = "risk"


def advice(ctx: Context) -> list[Block]:
    """The section: each recommended item, then the others in one paragraph."""
    blocks: list[Block] = [Heading(ctx.t(*HEADING))]
    for number, item in enumerate(ctx.recommended, start=1):
        name = ctx.full(item)
        blocks.append(Heading(ctx.t(f"（{chinese_numeral(number)}）{name}", f"({number}) {name}"), level=2))
        blocks += _item(ctx, item)
    rest = _rest(ctx)
    if rest:
        blocks.append(Paragraph(rest, ctx.t("其余对策：", "The others: ")))
    return blocks


def _item(ctx: Context, item: str) -> list[Block]:
    measure = ctx.problem.countermeasure(item)
    blocks: list[Block] = []
    actions = [a.get(ctx.lang).rstrip().rstrip("。.；;") for a in measure.actions[:ACTIONS]]
    if len(actions) == 1:
        blocks.append(Paragraph(actions[0] + ctx.end, ctx.t("主要举措：", "Action: ")))
    elif actions:
        listed = [f"{lead(ctx, i)}{a}" for i, a in enumerate(actions, start=1)]
        if ctx.lang == "en":
            listed = [f"{lead(ctx, i).lower()}{a[:1].lower()}{a[1:]}" for i, a in enumerate(actions, start=1)]
            listed[0] = listed[0][:1].upper() + listed[0][1:]
        blocks.append(Paragraph(ctx.t("；", "; ").join(listed) + ctx.end, ctx.t("主要举措：", "Actions: ")))
    arrangement = _arrangement(ctx, item)
    if arrangement:
        blocks.append(Paragraph(arrangement, ctx.t("实施安排：", "Implementation: ")))
    return blocks


def _clause(ctx: Context, text: str) -> str:
    """A catalogue text as one clause of a line whose clauses are separated by semicolons."""
    text = text.rstrip().rstrip("。.；;")
    return text.replace("；", "，") if ctx.lang == "zh" else text.replace("; ", ", ")


def _arrangement(ctx: Context, item: str) -> str:
    """Who leads and by when (the catalogue's suggestions, labelled so), the annual cost, the main risk."""
    measure = ctx.problem.countermeasure(item)
    suggested = ctx.t("（建议）", " (suggested)")
    parts = []
    if measure.lead_unit is not None:
        unit = _clause(ctx, measure.lead_unit.get(ctx.lang))
        parts.append(ctx.t(f"{unit}{suggested}", f"led by {unit}{suggested}"))
    if measure.timeframe is not None:
        parts.append(_clause(ctx, measure.timeframe.get(ctx.lang)) + suggested)
    cost_leaf = ctx.cost_leaf
    if cost_leaf is not None:
        parts.append(_cost(ctx, measure.scores[cost_leaf.id], cost_leaf))
    if RISK_CRITERION in ctx.problem.leaf_ids:
        # the reason's first clause: told in full, the risks of three items ran the Chinese brief
        # to a fifth page
        reason = _clause(ctx, measure.scores[RISK_CRITERION].why.get(ctx.lang))
        reason = re.split("，" if ctx.lang == "zh" else ", ", reason)[0]
        parts.append(ctx.t(f"主要风险：{reason}", f"main risk: {reason[:1].lower()}{reason[1:]}"))
    if not parts:
        return ""
    text = ctx.t("；", "; ").join(parts)
    return (text[:1].upper() + text[1:] if ctx.lang == "en" else text) + ctx.end


def _cost(ctx: Context, score: Score, leaf: Node) -> str:
    """ "每年约3亿元（估算区间1–6亿元）" / "about CNY 300 million a year (estimated range ...)"."""
    if not is_money(leaf):
        return ctx.t(f"投入{value_text(score, leaf, 'zh')}", f"cost {value_text(score, leaf, 'en')}")
    text = ctx.t(f"每年约{money(score.value, 'zh')}", f"about {money(score.value, 'en')} a year")
    if score.low is not None and score.high is not None:
        span = money_range(score.low, score.high, ctx.lang)
        kind = ctx.t("估算区间", "estimated range ") if score.estimate else ctx.t("区间", "range ")
        text += ctx.t(f"（{kind}{span}）", f" ({kind}{span})")
    elif score.estimate:
        text += ctx.t("（估算）", " (estimate)")
    return text


def _rest(ctx: Context) -> str:
    """The countermeasures not set out: deferred by the budget, supporting, or deferred as last."""
    chosen = set(ctx.recommended)
    rest = [i for i in ctx.ranked if i not in chosen]
    if not rest:
        return ""
    rec = ctx.recommendation
    sentences = []
    forced = [i for i in rest if i in ctx.forced_out]
    if forced and rec is not None and rec.budget is not None:
        costs = _costs(ctx, forced)
        sentences.append(
            ctx.t(
                f"{ctx.shorts(forced)}{costs}超出每年{money(rec.budget.budget, 'zh')}预算的余额，暂缓推进，"
                "预算增加时优先纳入",
                f"{ctx.shorts(forced)}{costs} does not fit in what the budget of "
                f"{money(rec.budget.budget, 'en')} a year leaves, so it waits and comes first when the "
                "budget grows",
            )
        )
    others = [i for i in rest if i not in forced]
    budgeted = rec is not None and rec.budget is not None and rec.budget.feasible
    if budgeted:
        deferred, supporting = others, []
    else:
        supporting, deferred = others[:-1], others[-1:]
        if len(others) == 1:
            supporting, deferred = others, []
    if supporting:
        sentences.append(
            ctx.t(
                f"{ctx.shorts(supporting)}可作为配套措施，视财力择机推进",
                f"{ctx.shorts(supporting)} can follow as supporting measures when funds allow",
            )
        )
    if deferred:
        last = (
            ctx.t("综合排名末位，", " ranks last and")
            if not budgeted
            else ctx.t("不在预算内组合中，", " is outside the package and")
        )
        sentences.append(
            ctx.t(
                f"{ctx.shorts(deferred)}{last}暂缓推进",
                f"{ctx.shorts(deferred)}{last} should wait",
            )
        )
    text = ctx.t("；", "; ").join(sentences)
    return (text[:1].upper() + text[1:] if ctx.lang == "en" else text) + ctx.end


def _costs(ctx: Context, items: list[str]) -> str:
    leaf = ctx.cost_leaf
    if leaf is None:
        return ""
    rows = [ctx.problem.alternative_ids.index(i) for i in items]
    column = ctx.problem.leaf_ids.index(leaf.id)
    amounts = [money(float(ctx.problem.matrix[r, column]), ctx.lang) for r in rows]
    joined = ctx.t("、", ", ").join(amounts)
    return ctx.t(f"（每年{joined}）", f" ({joined} a year)")
