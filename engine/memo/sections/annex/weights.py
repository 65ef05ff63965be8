"""The weights and where they came from: source, experts and their groups, edits, table and chart."""

from __future__ import annotations

from engine.analysis import Analysis
from engine.memo.document import Block, Chart, Paragraph, Series, Table
from engine.memo.sections.context import Context
from engine.memo.wording import METHOD_SHORT, word
from engine.model import Lang
from engine.text import label, number, percent


def weight_source_label(analysis: Analysis, lang: Lang) -> str:
    """Where the weights come from, in a few words ("2位专家的AHP两两比较判断")."""
    settings, problem = analysis.settings, analysis.problem
    if settings.weight_source == "preset":
        try:
            preset_name = problem.preset(settings.preset or "").name.get(lang)
        except KeyError:
            preset_name = settings.preset or ""
        return f"preset “{preset_name}”" if lang == "en" else f"预设方案“{preset_name}”"
    if settings.weight_source == "manual":
        return "weights set by hand" if lang == "en" else "手动设定的权重"
    experts = len(settings.experts or problem.criteria.experts)
    if lang == "en":
        return f"AHP pairwise judgments of {experts} expert{'s' if experts != 1 else ''}"
    return f"{experts}位专家的AHP两两比较判断"


def derivation_text(analysis: Analysis, lang: Lang) -> str:
    """How the weights were derived from their source."""
    settings, problem = analysis.settings, analysis.problem
    source = weight_source_label(analysis, lang)
    if settings.weight_source == "preset":
        try:
            description = problem.preset(settings.preset or "").description.get(lang)
        except KeyError:
            return source + ("." if lang == "en" else "。")
        return f"{source}. {description}" if lang == "en" else f"{source}。{description}"
    if settings.weight_source == "manual":
        if lang == "en":
            return "set by hand (sliders or a weight file) and rescaled to sum to 100%."
        return "手动设定（界面滑块或权重文件），已按合计100%归一。"
    geometric = settings.ahp_method == "geometric"
    if lang == "en":
        method = "geometric mean" if geometric else "eigenvector"
        return (
            f"derived by AHP from pairwise comparisons of the criteria ({method} method); the global "
            "weight of a criterion is the product of the local weights on its path."
        )
    return (
        f"由层次分析法（AHP）根据指标两两比较判断导出（{'几何平均法' if geometric else '特征向量法'}），"
        "指标的全局权重为其所在路径上各层局部权重之积。"
    )


def weight_rows(analysis: Analysis, lang: Lang) -> tuple[tuple[str, ...], ...]:
    """(group, criterion, direction, unit, weight) per leaf criterion, in the tree's order."""
    problem = analysis.problem
    rows = []
    for leaf, weight in zip(problem.leaves, analysis.weights, strict=True):
        path = problem.criteria.path_to(leaf.id)
        group = path[-2].name.get(lang) if len(path) > 2 else ""
        rows.append(
            (
                group,
                leaf.name.get(lang),
                word("benefit" if leaf.direction > 0 else "cost", lang),
                leaf.unit.get(lang) if leaf.unit else "",
                percent(float(weight)),
            )
        )
    return tuple(rows)


def weight_header(lang: Lang) -> tuple[str, ...]:
    return (
        word("group", lang),
        word("criterion", lang),
        label("direction", lang),
        word("unit", lang),
        label("weight", lang),
    )


def experts_text(analysis: Analysis, lang: Lang) -> str:
    """The experts whose judgments were used, their groups and how the judgments were combined."""
    settings, criteria = analysis.settings, analysis.problem.criteria
    chosen = settings.experts or tuple(e.id for e in criteria.experts)
    groups = {g.id: g for g in criteria.groups}
    group_weights = dict(settings.group_weights)
    described = []
    for expert_id in chosen:
        expert = criteria.expert(expert_id)
        group = groups.get(expert.group or "")
        if group is None:
            described.append(expert.name.get(lang))
            continue
        gw = number(group_weights.get(group.id, group.weight))
        described.append(
            f"{expert.name.get(lang)} ({group.name.get(lang)}, group weight {gw})"
            if lang == "en"
            else f"{expert.name.get(lang)}（{group.name.get(lang)}，组权重{gw}）"
        )
    pooled = getattr(settings, "aggregation", "judgments") == "priorities"
    if lang == "en":
        how = (
            "each expert's own weights are averaged with the expert weights (AIP)"
            if pooled
            else "their judgments are combined by the weighted geometric mean (AIJ)"
        )
        experts = f"{len(chosen)} expert{'s' if len(chosen) != 1 else ''}"
        return (
            f"{experts}: {'; '.join(described)}. {how[0].upper()}{how[1:]}; "
            "a group's weight is shared among its experts."
        )
    how = (
        "先由各专家判断分别导出权重，再按专家权重加权平均（AIP）"
        if pooled
        else "各专家判断按专家权重以加权几何平均合成后再导出权重（AIJ）"
    )
    return f"共{len(chosen)}位专家：{'；'.join(described)}。{how}，组权重在组内专家间分配。"


def edits_text(analysis: Analysis, lang: Lang) -> str:
    """The hand edits of the combined judgments, or "" when there are none."""
    criteria = analysis.problem.criteria
    edits = []
    for node_id, node_edits in analysis.settings.judgment_edits:
        node = criteria.node(node_id)
        for a, b, value in node_edits:
            a_name, b_name = criteria.node(a).name.get(lang), criteria.node(b).name.get(lang)
            edits.append(f"{node.name.get(lang)}: {a_name} / {b_name} = {value:.3g}")
    if not edits:
        return ""
    head = "the combined judgments were edited: " if lang == "en" else "合成判断已手工调整："
    return head + "; ".join(edits) + ("." if lang == "en" else "。")


def strengths_text(analysis: Analysis, basis: str, lang: Lang) -> str:
    """How the memo finds a countermeasure's strengths and weak spots."""
    method = analysis.settings.method
    if lang == "en":
        return (
            "a criterion counts as a strength (weak spot) of a countermeasure when its weighted "
            "normalised value lies furthest above (below) the average of all countermeasures"
            + (
                f"; {METHOD_SHORT[method]} carries no normalised matrix, so the min-max normalised "
                "matrix of the weighted sum is used."
                if basis != method
                else "."
            )
        )
    return "按各指标加权归一化值相对全部对策平均水平的差额判定，高出最多者为优势，低于最多者为短板" + (
        f"；{METHOD_SHORT[method]}不产生归一化矩阵，故采用加权和法的极差归一化矩阵。"
        if basis != method
        else "。"
    )


def weights(ctx: Context, caption: str, figure: str) -> list[Block]:
    analysis, lang = ctx.analysis, ctx.lang
    blocks: list[Block] = [Paragraph(derivation_text(analysis, lang), ctx.t("权重来源：", "Weights: "))]
    rec = ctx.recommendation
    if rec is not None and rec.panel is not None:
        blocks.append(Paragraph(rec.panel.text.get(lang), ctx.t("专家咨询：", "Expert panel: ")))
    if analysis.settings.weight_source == "ahp":
        blocks.append(Paragraph(experts_text(analysis, lang), ctx.t("专家判断：", "Expert judgments: ")))
        edits = edits_text(analysis, lang)
        if edits:
            blocks.append(Paragraph(edits, ctx.t("判断调整：", "Edited judgments: ")))
        if ctx.illustrative:
            blocks.append(
                Paragraph(
                    ctx.t(
                        "本期所用两两比较判断是分析人员依据原文论述拟定的示例，尚未经专家组评议；"
                        "专家组给出判断后，应以其替换并重新生成本报告，结论可能随之改变。",
                        "The pairwise judgments used here are illustrative: an analyst wrote them from "
                        "the source article, and no expert panel has reviewed them. Once a panel "
                        "gives its judgments, replace these and generate the brief again; the "
                        "conclusion may change.",
                    ),
                    ctx.t("说明：", "Note: "),
                )
            )
    names = tuple(leaf.name.get(lang) for leaf in ctx.problem.leaves)
    values = tuple(float(w) for w in analysis.weights)
    listed = ctx.t("，", ", ").join(f"{n} {percent(v)}" for n, v in zip(names, values, strict=True))
    blocks += [
        Table(
            header=weight_header(lang),
            rows=weight_rows(analysis, lang),
            caption=caption,
            numeric=(False, False, False, False, True),
            widths=(3, 4, 3, 3, 1.5),
        ),
        Chart(
            kind="weights",
            labels=names,
            series=(Series(name=label("weight", lang), values=values),),
            caption=figure,
            alt=ctx.t(f"各指标权重：{listed}", f"Criterion weights: {listed}"),
            axis=label("weight", lang),
            percent=True,
        ),
        Paragraph(
            strengths_text(analysis, ctx.drivers.basis, lang),
            ctx.t("优势与短板的判定：", "How strengths are found: "),
        ),
    ]
    return blocks
