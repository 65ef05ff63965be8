"""三、把握程度: how sure the recommendation is, in plain words, what would overturn it, what a budget
changes, and a chart of the ranking with its uncertainty."""

from __future__ import annotations

import numpy as np

from engine.mcda.registry import evaluate, get
from engine.memo.document import Block, Chart, Heading, Paragraph, Series
from engine.memo.sections.context import Context
from engine.memo.sections.key_points import FIRMNESS
from engine.recommendation import Budget, WeightThreshold
from engine.robustness.study import performance_ranges
from engine.text import join_and, money, percent, share
from engine.text.rounded import sample_count

HEADING = ("三、把握程度", "3. How sure we are")
SHOWN_SHARE = 0.05  # countermeasures first in fewer runs are left to the chart
SHOWN_MEASURES = 3
OVERTURN_CRITERIA = 2


def confidence(ctx: Context) -> list[Block]:
    rec = ctx.recommendation
    blocks: list[Block] = [Heading(ctx.t(*HEADING))]
    if rec is None:
        blocks.append(
            Paragraph(
                ctx.t(
                    "本期未做扰动测算，排序对权重和评分变化的敏感程度尚未检验；"
                    "下图为各对策综合得分及其估算区间，区间重叠的对策先后并不确定。",
                    "No robustness study was run for this brief, so how the order responds to other "
                    "weights and scores is untested; the chart shows each score with the range its "
                    "estimates allow, and where ranges overlap the order is not settled.",
                )
            )
        )
        blocks.append(score_chart(ctx))
        illustrative = _illustrative(ctx)
        if illustrative:
            blocks.append(Paragraph(illustrative[0]))
    else:
        verdict = FIRMNESS[rec.firmness]
        sentences = [ctx.t(verdict[0] + "。", verdict[1] + "."), _shares(ctx), rec.summary[2].get(ctx.lang)]
        blocks.append(Paragraph(_joined(ctx, sentences)))
        blocks.append(share_chart(ctx))
        overturn = [_overturn(ctx)]
        if rec.experts_agree is not None:
            overturn.append(rec.experts_agree.text.get(ctx.lang))
        if rec.panel is not None:
            overturn.append(rec.panel.text.get(ctx.lang))
        overturn += _illustrative(ctx)
        blocks.append(Paragraph(_joined(ctx, overturn), ctx.t("什么会改变结论：", "What would change it: ")))
        if rec.budget is not None:
            blocks.append(Paragraph(_budget(ctx), ctx.t("预算约束：", "The budget: ")))
    return blocks


def _illustrative(ctx: Context) -> list[str]:
    """The clause saying the judgments are examples, when they are."""
    if not (ctx.illustrative and ctx.analysis.settings.weight_source == "ahp"):
        return []
    return [
        ctx.t(
            "所用专家判断为示例，待专家组评议后替换，结论可能随之改变。",
            "The expert judgments used here are illustrative until a panel replaces them, which may "
            "change the conclusion.",
        )
    ]


def _joined(ctx: Context, sentences: list[str]) -> str:
    return (" " if ctx.lang == "en" else "").join(sentences)


def _shares(ctx: Context) -> str:
    """ "在十万次扰动测算中，营商环境居首的比例为58%，产业生态链为28%（见图1）。" """
    rec = ctx.recommendation
    assert rec is not None
    runs = sample_count(rec.share_first.samples, ctx.lang)
    ever = [(item, s) for item, s in rec.share_first.shares if s >= SHOWN_SHARE][:SHOWN_MEASURES]
    if ctx.lang == "en":
        parts = [f"{ctx.short(item)} in {share(s)}" for item, s in ever]
        parts[0] += " of them"
        listed = join_and(parts, "en")
        return f"In {runs} runs with perturbed judgments and scores, first place went to {listed} (Figure 1)."
    first, *others = ever
    parts = [f"{ctx.short(first[0])}居首的比例为{share(first[1])}"]
    parts += [f"{ctx.short(item)}为{share(s)}" for item, s in others]
    return f"在{runs}次扰动测算中，" + "，".join(parts) + "（见图1）。"


def _weights(now: float, then: float) -> tuple[str, str]:
    """Two weights as percentages with as many decimals as it takes to tell them apart."""
    for digits in (1, 2, 3):
        a, b = f"{100 * now:.{digits}f}%", f"{100 * then:.{digits}f}%"
        if a != b:
            return a, b
    return percent(now), percent(then)


def _overturn(ctx: Context) -> str:
    """The nearest weight changes that put another countermeasure first, at most two criteria.

    Without any, the recommendation's own sentence (which then says what else makes it fragile).
    """
    rec = ctx.recommendation
    assert rec is not None
    chosen: list[WeightThreshold] = []
    for threshold in rec.overturn.thresholds:  # nearest first
        if all(t.criterion != threshold.criterion for t in chosen):
            chosen.append(threshold)
        if len(chosen) == OVERTURN_CRITERIA:
            break
    if not chosen:
        return rec.overturn.text.get(ctx.lang)
    clauses = []
    for t in chosen:
        now, then = _weights(t.weight, t.threshold)
        name = ctx.criterion(t.criterion)
        move, end = ("降至", "以下") if t.side < 0 else ("升至", "以上")
        clauses.append(
            ctx.t(
                f"{name}权重由{now}{move}{then}{end}时{ctx.short(t.leader_then)}居首",
                f"if the weight of {name} {'falls' if t.side < 0 else 'rises'} from {now} to "
                f"{'below' if t.side < 0 else 'above'} {then}, {ctx.short(t.leader_then)} comes first",
            )
        )
    text = ctx.t("；", "; ").join(clauses)
    return (text[:1].upper() + text[1:] if ctx.lang == "en" else text) + ctx.end


def _as_required(ctx: Context, budget: Budget) -> str:
    """The countermeasures the package had to include or leave out (the analyst's choice), so the
    reader does not take them for what the budget decided."""
    parts = []
    if budget.required:
        parts.append(ctx.t(f"纳入{ctx.shorts(budget.required)}", f"includes {ctx.shorts(budget.required)}"))
    if budget.excluded:
        parts.append(
            ctx.t(f"不纳入{ctx.shorts(budget.excluded)}", f"leaves out {ctx.shorts(budget.excluded)}")
        )
    if not parts:
        return ""
    return ctx.t("，按要求" + "、".join(parts), "; as required it " + " and ".join(parts))


def _budget(ctx: Context) -> str:
    """What the budget's package leaves out of the recommendation and adds to it, what it had to
    include or leave out, and which of the two 二、对策建议 follows. The package itself is named in
    核心观点."""
    rec = ctx.recommendation
    assert rec is not None and rec.budget is not None
    budget = rec.budget
    if not budget.feasible:
        return budget.text.get(ctx.lang) + ctx.t(
            "二、对策建议仍按推荐对策安排，所需投入超出预算。",
            " Section 2 still sets out the recommended countermeasures, which cost more than the budget.",
        )
    if not budget.package:
        return budget.text.get(ctx.lang)
    amount, spent = money(budget.budget, ctx.lang), money(budget.cost or 0.0, ctx.lang)
    forced, added = budget.forced_out, budget.added
    tier = any(item in rec.action.members for item in forced)
    if ctx.lang == "en":
        text = f"The package within {amount} a year costs {spent}" + _as_required(ctx, budget)
        if forced:
            role = "a member of the first tier" if tier else "one of the recommended countermeasures"
            text += f"; it leaves out {ctx.shorts(forced)}, {role}"
        if added:
            text += f", and adds {ctx.shorts(added)}"
        text += "; section 2 follows the package"
        if forced:
            text += f", and a larger budget should restore {ctx.shorts(forced)} first"
        return text + "."
    text = f"每年{amount}预算内的组合合计{spent}" + _as_required(ctx, budget)
    if forced:
        text += f"，舍去了{'第一梯队中的' if tier else '推荐对策中的'}{ctx.shorts(forced)}"
    if added:
        text += f"，另纳入{ctx.shorts(added)}"
    text += "；二、对策建议已按该组合安排"
    if forced:
        text += f"，预算增加时应先补回{ctx.shorts(forced)}"
    return text + "。"


def share_chart(ctx: Context) -> Chart:
    """Each countermeasure's share of first places over the perturbed runs, in ranking order."""
    rec = ctx.recommendation
    assert rec is not None
    ids = ctx.problem.alternative_ids
    if ctx.robustness is not None:
        first = np.asarray(ctx.robustness.smaa.first, dtype=float)
        shares = {item: float(first[ids.index(item)]) for item in ctx.ranked}
    else:
        shares = dict(rec.share_first.shares)
    values = tuple(shares.get(item, 0.0) for item in ctx.ranked)
    labels = tuple(ctx.short(item) for item in ctx.ranked)
    runs = sample_count(rec.share_first.samples, ctx.lang)
    listed = ctx.t("，", ", ").join(f"{label} {share(v)}" for label, v in zip(labels, values, strict=True))
    return Chart(
        kind="first_shares",
        labels=labels,
        series=(Series(name=ctx.t("居首比例", "Share of first places"), values=values),),
        caption=ctx.t(
            f"图1　{runs}次扰动测算中各对策居首的比例",
            f"Figure 1. How often each countermeasure came first in {runs} perturbed runs",
        ),
        alt=ctx.t(f"各对策居首比例：{listed}", f"Share of first places: {listed}"),
        axis=ctx.t("居首比例", "Share of first places"),
        percent=True,
    )


def score_chart(ctx: Context) -> Chart:
    """Each countermeasure's score with the range its estimates allow, in ranking order.

    The low (high) end scores every estimate with a range at its unfavourable (favourable) end:
    the low end of a benefit criterion and the high end of a cost one (and the reverse). Both
    ends are scored in one call each, with the weights and method of the analysis.
    """
    analysis, problem = ctx.analysis, ctx.problem
    low, high = performance_ranges(problem)
    matrix = problem.matrix
    benefit = problem.directions[None, :] > 0
    worst = np.where(np.isnan(low), matrix, np.where(benefit, low, high))
    best = np.where(np.isnan(high), matrix, np.where(benefit, high, low))
    method = analysis.settings.method
    options = get(method).configured(analysis.settings) | {"normalization": analysis.normalization}
    ends = np.stack(
        [
            np.asarray(
                evaluate(method, x, analysis.weights, problem.directions, **options).scores, dtype=float
            )
            for x in (worst, best)
        ]
    )
    now = np.asarray(analysis.primary.scores, dtype=float)
    span = np.vstack([ends, now[None, :]])
    order = [problem.alternative_ids.index(item) for item in ctx.ranked]
    labels = tuple(ctx.short(item) for item in ctx.ranked)
    values = tuple(float(now[i]) for i in order)
    better = (
        ctx.t("越高越好", "higher is better")
        if analysis.primary.higher_is_better
        else ctx.t("越低越好", "lower is better")
    )
    listed = ctx.t("，", ", ").join(f"{label} {v:.2f}" for label, v in zip(labels, values, strict=True))
    return Chart(
        kind="first_shares",
        labels=labels,
        series=(
            Series(
                name=ctx.t("综合得分", "Score"),
                values=values,
                low=tuple(float(span[:, i].min()) for i in order),
                high=tuple(float(span[:, i].max()) for i in order),
            ),
        ),
        caption=ctx.t(
            f"图1　各对策综合得分及其估算区间（{better}）",
            f"Figure 1. Each countermeasure's score and the range its estimates allow ({better})",
        ),
        alt=ctx.t(f"综合得分：{listed}", f"Scores: {listed}"),
        axis=ctx.t("综合得分", "Score"),
        percent=False,
    )
