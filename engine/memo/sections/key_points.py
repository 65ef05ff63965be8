"""核心观点: four points a leader reads first, 一是 what to do, 二是 why, 三是 how sure, 四是 what it costs.

Every figure comes from the :class:`engine.recommendation.Recommendation`; without one (no
robustness study) the points say what the ranking puts first and that its firmness is untested.
When the points run over the section's length, the reasons are told more briefly: first without
the contender's, then without the figures beside the leader's.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.memo.document import Block, Bullets, Heading, Paragraph
from engine.memo.length import block_length, limit
from engine.memo.sections.context import Context
from engine.model import Score, Text
from engine.recommendation import Driver
from engine.text import chinese_numeral, join_and, money, money_range, value_text
from engine.text.rounded import count, sample_count, tenths

HEADING = ("核心观点", "Key points")
EN_LEADS = ("First", "Second", "Third", "Fourth", "Fifth")
FIRMNESS = {
    "firm": ("首位稳固", "The lead is firm"),
    "leaning": ("首位有倾向但不稳固", "The lead leans one way but is not firm"),
    "contested": ("首位尚有争议", "First place is contested"),
}
# how the reasons are told, most detailed first: (how many countermeasures, with figures)
WHY_DETAIL = ((2, True), (1, True), (1, False))


def lead(ctx: Context, index: int) -> str:
    """ "一是" / "First, "."""
    return ctx.t(f"{chinese_numeral(index)}是", f"{EN_LEADS[index - 1]}, ")


def key_points(ctx: Context) -> list[Block]:
    if ctx.recommendation is None:
        return _listed(ctx, untested(ctx))
    for explained, figures in WHY_DETAIL:
        points = [
            what_to_do(ctx),
            why(ctx, explained=explained, figures=figures),
            how_sure(ctx),
            what_it_costs(ctx),
        ]
        blocks = _listed(ctx, points)
        if block_length(blocks) <= limit("key_points", ctx.lang):
            break
    return blocks


def _listed(ctx: Context, points: Sequence[str]) -> list[Block]:
    items = tuple(Paragraph(text, lead(ctx, i)) for i, text in enumerate((p for p in points if p), start=1))
    return [Heading(ctx.t(*HEADING)), Bullets(items, style="plain")]


def _lower_first(ctx: Context, sentence: str) -> str:
    """An English sentence continued after a colon or semicolon ("First place ..." -> "first place ...")."""
    if ctx.lang == "en" and sentence[:1].isupper() and sentence[1:2].islower():
        return sentence[0].lower() + sentence[1:]
    return sentence


def what_to_do(ctx: Context) -> str:
    """The recommended action and, under a budget, the package it funds and what waits."""
    rec = ctx.recommendation
    assert rec is not None
    action = rec.action
    if action.kind == "tier":
        text = ctx.t(
            f"建议把{ctx.shorts(action.members)}作为第一梯队",
            f"treat {ctx.shorts(action.members)} as one first tier",
        )
    elif action.watch is not None:
        text = ctx.t(
            f"建议优先推进{ctx.short(rec.leader)}，{ctx.short(action.watch)}作为备选",
            f"put {ctx.short(rec.leader)} first, with {ctx.short(action.watch)} as the alternative",
        )
    else:
        text = ctx.t(f"建议首选{ctx.short(rec.leader)}", f"put {ctx.short(rec.leader)} first")
    budget = rec.budget
    if budget is not None and budget.feasible and budget.package:
        text += ctx.t(
            f"；在每年{money(budget.budget, 'zh')}的预算内，推进{ctx.shorts(ctx.recommended)}",
            f"; within a budget of {money(budget.budget, 'en')} a year, pursue {ctx.shorts(ctx.recommended)}",
        )
        if ctx.forced_out:
            text += ctx.t(f"，{ctx.shorts(ctx.forced_out)}暂缓", f", and defer {ctx.shorts(ctx.forced_out)}")
        return text + ctx.end
    if action.kind == "tier":
        text += ctx.t("一并推进", " and pursue them together")
    alongside = [i for i in ctx.recommended if i not in action.members]
    if alongside:
        text += ctx.t(f"，同步推进{ctx.shorts(alongside)}", f", with {ctx.shorts(alongside)} alongside")
    return text + ctx.end


def _value(ctx: Context, leaf_id: str, value: float) -> str:
    score = Score(value=round(value, 1), why=Text("", ""), evidence=())
    return value_text(score, ctx.leaf(leaf_id), ctx.lang, brief=True)


def _drivers(ctx: Context, found: Sequence[Driver], *, figures: bool) -> str:
    """ "“风险”低（2分，平均5分）和“财政投入”低" / "low “risk” (2/9 against 5/9 on average)"."""
    parts = []
    for d in found:
        name = ctx.criterion(d.criterion)
        level = ""
        if ctx.leaf(d.criterion).direction < 0:  # on a cost criterion a strength is a low value
            level = ctx.t("低" if d.advantage > 0 else "高", "low " if d.advantage > 0 else "high ")
        part = f"{level}{name}" if ctx.lang == "en" else f"{name}{level}"
        if figures:
            shown, average = _value(ctx, d.criterion, d.value), _value(ctx, d.criterion, d.average)
            part += ctx.t(f"（{shown}，平均{average}）", f" ({shown} against {average} on average)")
        parts.append(part)
    return join_and(parts, ctx.lang)


def why(ctx: Context, *, explained: int = 2, figures: bool = True) -> str:
    """The strengths and the main weak spot of the leader (with figures) and of the contender."""
    rec = ctx.recommendation
    assert rec is not None
    sentences = []
    for index, found in enumerate(rec.why[:explained]):
        name = ctx.short(found.id)
        shown = figures and index == 0
        strong = _drivers(ctx, found.strengths, figures=shown) if found.strengths else ""
        weak = _drivers(ctx, found.weak_spots[:1], figures=shown) if found.weak_spots else ""
        if strong and weak:
            sentences.append(
                ctx.t(
                    f"{name}的长处在于{strong}，短板是{weak}",
                    f"{name} is strong on {strong} but weak on {weak}",
                )
            )
        elif strong:
            sentences.append(ctx.t(f"{name}的长处在于{strong}", f"{name} is strong on {strong}"))
        elif weak:
            sentences.append(ctx.t(f"{name}的短板是{weak}", f"{name} is weak on {weak}"))
    if not sentences:
        return ""
    return ctx.t("；", "; ").join(sentences) + ctx.end


def how_sure(ctx: Context) -> str:
    """How firm, the first-rank shares in tenths, and the nearest weight change that overturns it."""
    rec = ctx.recommendation
    assert rec is not None
    share = rec.share_first
    shares = [(rec.leader, share.leader)]
    if rec.contender is not None and share.contender is not None:
        shares.append((rec.contender, share.contender))
    runs = sample_count(share.samples, ctx.lang)
    if ctx.lang == "en":
        firmness = _lower_first(ctx, FIRMNESS[rec.firmness][1])
        listed = " and ".join(f"{ctx.short(i)} {tenths(s, 'en')}" for i, s in shares)
        text = f"{firmness}: in {runs} perturbed runs, first place went to {listed}"
    else:
        listed = "、".join(f"{ctx.short(i)}居首{tenths(s, 'zh')}" for i, s in shares)
        text = f"{FIRMNESS[rec.firmness][0]}：{runs}次扰动测算中，{listed}"
    return text + ctx.t("；", "; ") + _lower_first(ctx, rec.overturn.text.get(ctx.lang))


def what_it_costs(ctx: Context) -> str:
    """The annual cost of the recommended countermeasures, and of the budget's package."""
    rec = ctx.recommendation
    assert rec is not None
    cost, budget = rec.cost, rec.budget
    if cost is None:
        return ""
    k = len(cost.items)
    span = money_range(cost.low, cost.high, ctx.lang)
    whole = ctx.t(
        f"{count(k, 'zh')}项对策每年约需{money(cost.value, 'zh')}（估算区间{span}）",
        f"the {k} countermeasures cost about {money(cost.value, 'en')} a year (estimated range {span})",
    )
    if budget is None:
        return whole + ctx.end
    if budget.feasible and budget.package:
        spent = money(budget.cost or 0.0, ctx.lang)
        if budget.forced_out:
            return ctx.t(
                f"预算内组合每年约需{spent}；若不受预算约束，推荐的{whole}。",
                f"the package within the budget costs about {spent} a year; without the budget, {whole}.",
            )
        return ctx.t(
            f"预算内组合每年约需{spent}，其中推荐的{whole}。",
            f"the package within the budget costs about {spent} a year, of which {whole}.",
        )
    if budget.smallest is not None:
        return (
            ctx.t(
                f"{whole}，超出每年{money(budget.budget, 'zh')}的预算；"
                f"满足组合规则至少需要每年{money(budget.smallest, 'zh')}",
                f"{whole}, more than the budget of {money(budget.budget, 'en')} a year; the package rules "
                f"need at least {money(budget.smallest, 'en')} a year",
            )
            + ctx.end
        )
    return whole + ctx.t("；", "; ") + _lower_first(ctx, budget.text.get(ctx.lang))


def untested(ctx: Context) -> list[str]:
    """The points without a robustness study: the ranking's first three and their cost, untested."""
    top = ctx.recommended
    m = len(ctx.ranked)
    points = [
        ctx.t(
            f"综合排名前{count(len(top), 'zh')}的是{ctx.shorts(top)}（共{count(m, 'zh')}项对策）。",
            f"the ranking puts {ctx.shorts(top)} at the top of {m} countermeasures.",
        ),
        ctx.t(
            "本期未做扰动测算，排序的稳固程度尚未检验，决策前宜补做。",
            "no robustness study was run for this brief, so how firmly the order holds is untested; run one "
            "before deciding.",
        ),
    ]
    leaf = ctx.cost_leaf
    if leaf is not None:
        column = ctx.problem.leaf_ids.index(leaf.id)
        rows = [ctx.problem.alternative_ids.index(i) for i in top]
        total = float(ctx.problem.matrix[rows, column].sum())
        points.append(
            ctx.t(
                f"上述{count(len(top), 'zh')}项对策每年约需{money(total, 'zh')}。",
                f"together they cost about {money(total, 'en')} a year.",
            )
        )
    return points
