"""How firmly the ranking holds, in figures: the evidence behind the verdict, every rank's share of
the samples and weight threshold, rank reversal, the gaps between neighbours, and the scores of
every countermeasure as the critical criterion's weight sweeps from 0 to 1."""

from __future__ import annotations

import numpy as np

from engine.analysis import Analysis
from engine.mcda.registry import evaluate, get
from engine.memo.document import Block, Chart, Paragraph, Series, Table
from engine.memo.sections.context import Context
from engine.memo.wording import METHOD_SHORT, SCORE_NAMES, pick, quoted
from engine.model import Lang
from engine.recommendation import (
    CONTESTED_SHARE,
    CONTESTED_WEIGHT_CHANGE,
    FIRM_SHARE,
    FIRM_WEIGHT_CHANGE,
    RIVAL_GAP,
)
from engine.robustness.stability import stability_intervals, weight_path
from engine.robustness.study import Robustness
from engine.text import percent, score, share

SWEEP_POINTS = 51  # weights 0, 0.02, ..., 1
VERDICTS = {
    "firm": ("稳固", "firm"),
    "leaning": ("有倾向但不稳固", "leaning, not firm"),
    "contested": ("存在争议", "contested"),
}


def study_rows(analysis: Analysis, study: Robustness, lang: Lang) -> tuple[tuple[str, ...], ...]:
    """(rank, countermeasure, share keeping the rank, weight that moves it, choices agreeing)."""
    names = {leaf.id: leaf.name.get(lang) for leaf in analysis.problem.leaves}
    rows = []
    for verdict, entry in zip(study.verdicts, analysis.ranking, strict=True):
        if verdict.threshold is None:
            limit = "no single weight moves it" if lang == "en" else "单项权重变化不改变名次"
        else:
            leaf, weight, side = verdict.threshold
            now = percent(analysis.weight_of(leaf))
            if lang == "en":
                limit = f"{names[leaf]} {'above' if side > 0 else 'below'} {percent(weight)} (now {now})"
            else:
                limit = f"{names[leaf]}{'高于' if side > 0 else '低于'}{percent(weight)}（现{now}）"
        rows.append(
            (
                str(verdict.rank),
                entry.name.get(lang),
                percent(verdict.share),
                limit,
                f"{verdict.agreeing}/{verdict.choices}",
            )
        )
    return tuple(rows)


def study_header(lang: Lang) -> tuple[str, ...]:
    if lang == "en":
        return (
            "Rank",
            "Countermeasure",
            "Samples keeping the rank",
            "Weight change that moves it",
            "Choices agreeing",
        )
    return ("排名", "对策", "保持该名次的抽样占比", "改变名次的单项权重临界值", "建模选择一致")


def gaps_text(analysis: Analysis, lang: Lang) -> str:
    """The score differences between neighbouring ranks and the closest pair."""
    scores = np.array([entry.score for entry in analysis.ranking], dtype=float)
    if scores.size < 2:
        return ""
    gaps = np.abs(np.diff(scores))
    spread = float(np.ptp(scores))
    closest = int(gaps.argmin())
    entries = analysis.ranking
    steps = [(f"{entries[i].rank}→{entries[i + 1].rank}", score(float(gaps[i]))) for i in range(len(gaps))]
    relative = percent(float(gaps[closest] / spread) if spread > 0 else 0.0)
    a, b = (quoted(entries[i].name.get(lang), lang) for i in (closest, closest + 1))
    if lang == "en":
        listing = ", ".join(f"{pair} {gap}" for pair, gap in steps)
        return (
            f"score differences between neighbouring ranks are {listing}. The narrowest is between {a} "
            f"and {b} ({score(float(gaps[closest]))}, {relative} of the best-to-worst spread): these two "
            "swap places most easily when the weights move."
        )
    listing = "，".join(f"第{pair}位{gap}" for pair, gap in steps)
    return (
        f"相邻名次的得分差依次为{listing}。差距最小的是{a}与{b}（{score(float(gaps[closest]))}，"
        f"占最高与最低得分之差的{relative}），二者次序最易随权重调整而互换。"
    )


def _firmness(ctx: Context) -> list[Block]:
    """The three pieces of evidence behind the verdict, beside the thresholds it uses."""
    rec = ctx.recommendation
    if rec is None:
        return []
    lang = ctx.lang
    methods = rec.methods_first
    nearest = rec.overturn.smallest_relative
    change = (
        ctx.t(
            f"{percent(nearest.relative)}（{ctx.criterion(nearest.criterion)}）",
            f"{percent(nearest.relative)} ({ctx.criterion(nearest.criterion)})",
        )
        if nearest is not None
        else ctx.t("任何单项权重变化都不改变首位", "none changes first place")
    )
    rival = rec.share_first.contender or 0.0
    rows = (
        (
            ctx.t("首位者居首的抽样占比", "Samples ranking the leader first"),
            share(rec.share_first.leader),
            f"≥ {share(FIRM_SHARE)}",
            f"< {share(CONTESTED_SHARE)}",
        ),
        (
            ctx.t("与最接近对手的占比之差", "Lead over the nearest rival's share"),
            share(rec.share_first.leader - rival),
            "—",
            f"< {share(RIVAL_GAP)}",
        ),
        (
            ctx.t("把首位者排第一的计分方法", "Scoring methods putting the leader first"),
            f"{methods.agreeing}/{methods.total}",
            ctx.t("全部", "all"),
            ctx.t("不足半数", "fewer than half"),
        ),
        (
            ctx.t("改变首位的最小相对权重变化", "Smallest relative weight change that changes first place"),
            change,
            f"> {share(FIRM_WEIGHT_CHANGE)}",
            f"≤ {share(CONTESTED_WEIGHT_CHANGE)}",
        ),
    )
    verdict = pick(VERDICTS[rec.firmness], lang)
    firsts = ctx.t("；", "; ").join(
        f"{METHOD_SHORT.get(m.method, m.method)}: {ctx.shorts(m.first)}" for m in methods.methods
    )
    return [
        Paragraph(
            ctx.t(
                f"判定为“{verdict}”。稳固须同时满足“稳固”一列的全部条件，满足“争议”一列任一条件即为存在争议，"
                "其余为有倾向但不稳固。",
                f"The verdict is “{verdict}”. Firm needs every condition in the “firm” column; any "
                "condition in the “contested” column makes it contested; anything between leans.",
            ),
            ctx.t("把握程度：", "How sure: "),
        ),
        Table(
            header=(
                ctx.t("证据", "Evidence"),
                ctx.t("本期", "Here"),
                ctx.t("稳固", "Firm"),
                ctx.t("争议", "Contested"),
            ),
            rows=rows,
            caption="",
            numeric=(False, True, False, False),
            widths=(5, 2.5, 1.5, 1.5),
        ),
        Paragraph(firsts + ctx.end, ctx.t("各方法的第一：", "First under each method: ")),
    ]


def _critical(ctx: Context) -> int | None:
    """The criterion whose smallest weight change changes first place (column index), or None."""
    rec = ctx.recommendation
    if rec is not None and rec.overturn.critical is not None:
        return ctx.problem.leaf_ids.index(rec.overturn.critical.criterion)
    if ctx.robustness is not None:
        return ctx.robustness.stability.critical
    analysis, problem = ctx.analysis, ctx.problem
    found = stability_intervals(
        problem.matrix,
        analysis.weights,
        problem.directions,
        method=analysis.settings.method,
        normalization=analysis.normalization,
        v=analysis.settings.vikor_v,
    )
    return found.critical


def sensitivity_chart(ctx: Context, column: int, figure: int) -> Chart:
    """Every countermeasure's score as one criterion's weight sweeps 0 -> 1, the others rescaled."""
    analysis, problem = ctx.analysis, ctx.problem
    x = np.linspace(0.0, 1.0, SWEEP_POINTS)
    batch = weight_path(analysis.weights, np.full(x.shape, column), x)
    method = analysis.settings.method
    options = get(method).configured(analysis.settings)
    options["normalization"] = analysis.normalization
    scores = np.asarray(evaluate(method, problem.matrix, batch, problem.directions, **options).scores)
    ids = problem.alternative_ids
    series = tuple(
        Series(name=ctx.short(item), values=tuple(float(s) for s in scores[:, ids.index(item)]))
        for item in ctx.ranked
    )
    leaf = problem.leaves[column]
    name = ctx.criterion(leaf.id)
    score_name = pick(SCORE_NAMES[method], ctx.lang)
    now = float(analysis.weights[column])
    return Chart(
        kind="sensitivity",
        labels=tuple(ctx.short(item) for item in ctx.ranked),
        series=series,
        caption=ctx.t(
            f"附图{figure}　{name}权重变化时各对策的得分（竖线为现权重）",
            f"Annex figure {figure}. Scores as the weight of {name} changes (the line marks today's weight)",
        ),
        alt=ctx.t(
            f"{name}权重由0升至1（其余权重按比例缩放）时各对策{METHOD_SHORT[method]}{score_name}的变化；"
            f"现权重{percent(now)}",
            f"{METHOD_SHORT[method]} {score_name} of each countermeasure as the weight of {name} goes "
            f"from 0 to 1 (the others rescaled); its weight now is {percent(now)}",
        ),
        x=tuple(float(t) for t in x),
        marker=now,
        axis=f"{METHOD_SHORT[method]} {score_name}"
        if ctx.lang == "en"
        else f"{METHOD_SHORT[method]}{score_name}",
    )


def robustness(ctx: Context, caption: str, figure: int) -> list[Block]:
    analysis, lang, study = ctx.analysis, ctx.lang, ctx.robustness
    blocks: list[Block] = _firmness(ctx)
    if study is not None:
        blocks += [
            Paragraph(study.sampling.get(lang) + ctx.end, ctx.t("抽样设置：", "Sampling: ")),
            Table(
                header=study_header(lang),
                rows=study_rows(analysis, study, lang),
                caption=caption,
                numeric=(True, False, True, False, True),
                widths=(1, 4, 2, 4, 1.6),
            ),
            Paragraph(
                study.reversal_note.get(lang),
                ctx.t("增删对策的影响：", "Adding or removing a countermeasure: "),
            ),
        ]
    elif ctx.recommendation is None:
        blocks.append(
            Paragraph(
                ctx.t(
                    "本期未做扰动测算（policyrank memo --robustness 可补做），"
                    "以下仅列得分差距和单项权重的影响。",
                    "No robustness study was run (policyrank memo --robustness adds one); below are only "
                    "the score gaps and the effect of one weight.",
                )
            )
        )
    gaps = gaps_text(analysis, lang)
    if gaps:
        blocks.append(Paragraph(gaps, ctx.t("相邻名次差距：", "Gaps between neighbours: ")))
    column = _critical(ctx)
    if column is not None:
        blocks.append(sensitivity_chart(ctx, column, figure))
    return blocks
