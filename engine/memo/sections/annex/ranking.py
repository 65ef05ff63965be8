"""The ranking under every scoring method, how the method in use scores, and how far the methods agree."""

from __future__ import annotations

import numpy as np

from engine.analysis import Analysis
from engine.mcda.methods import METHODS
from engine.memo.document import Block, Paragraph, Table
from engine.memo.sections.annex.weights import weight_source_label
from engine.memo.sections.context import Context
from engine.memo.wording import METHOD_NAMES, METHOD_SHORT, NORMALIZATION_NAMES, SCORE_MEANINGS, pick, quoted
from engine.model import Lang
from engine.text import join_and, label, number, score

TOP = 3  # the agreement text says whether the first three are the same under every method


def method_sentence(analysis: Analysis, lang: Lang) -> str:
    """ "采用TOPSIS（逼近理想解排序法），向量归一化，权重来自…；得分为…。" """
    settings = analysis.settings
    method = pick(METHOD_NAMES[settings.method], lang)
    norm = pick(NORMALIZATION_NAMES[analysis.normalization], lang)
    meaning = pick(SCORE_MEANINGS[settings.method], lang).format(v=number(settings.vikor_v))
    source = weight_source_label(analysis, lang)
    if lang == "en":
        return f"Scored with {method}, {norm}, using {source}; {meaning}."
    return f"采用{method}，{norm}，权重来自{source}；{meaning}。"


def method_ranks(analysis: Analysis) -> np.ndarray:
    """The rank of every countermeasure under each method, (m, len(METHODS)), rows in ranking order."""
    order = [analysis.problem.alternative_ids.index(entry.id) for entry in analysis.ranking]
    return np.stack([np.asarray(analysis.results[m].ranks)[order] for m in METHODS], axis=1)


def agreement_text(analysis: Analysis, lang: Lang) -> str:
    """Rank correlations of the method in use with the others, and who each puts first."""
    method = analysis.settings.method
    pairs = [a for a in analysis.agreement if method in (a.first, a.second)]
    parts = []
    for pair in pairs:
        other = METHOD_SHORT[pair.second if pair.first == method else pair.first]
        if lang == "en":
            parts.append(f"{other} Spearman ρ={pair.spearman:.2f}, Kendall τ={pair.kendall:.2f}")
        else:
            parts.append(f"{other}：Spearman ρ={pair.spearman:.2f}，Kendall τ={pair.kendall:.2f}")
    mean_rho = sum(p.spearman for p in pairs) / len(pairs) if pairs else 1.0
    short = METHOD_SHORT[method]
    ranks = method_ranks(analysis)
    k = len(METHODS)
    firsts = [METHOD_SHORT[m] for m, r in zip(METHODS, ranks[0], strict=True) if r == 1]
    top = min(TOP, len(analysis.ranking))
    same_top = bool((ranks[:top] <= top).all())
    leader = quoted(analysis.ranking[0].name.get(lang), lang)
    if lang == "en":
        if mean_rho >= 0.9:
            verdict = "the methods agree closely"
        elif mean_rho >= 0.7:
            verdict = "the methods broadly agree"
        else:
            verdict = "the methods disagree noticeably, so read the ranking with care"
        text = f"rank correlation of the {short} order with the others - " + "; ".join(parts)
        text += f". On average {verdict} (mean ρ={mean_rho:.2f}). "
        text += f"{leader} comes first under {len(firsts)} of {k} methods"
        text += f" ({join_and(firsts, lang)})" if firsts else ""
        if len(analysis.ranking) > top:
            text += f"; the top {top} are {'the same' if same_top else 'not the same'} under every method"
        return text + "."
    if mean_rho >= 0.9:
        verdict = "各方法排序高度一致"
    elif mean_rho >= 0.7:
        verdict = "各方法排序基本一致"
    else:
        verdict = "各方法排序分歧明显，结论需审慎使用"
    text = f"以{short}排序为基准，与其他方法的等级相关系数为：" + "；".join(parts)
    text += f"。平均ρ={mean_rho:.2f}，{verdict}。"
    text += f"{leader}在{k}种方法中有{len(firsts)}种排第一"
    text += f"（{join_and(firsts, lang)}）" if firsts else ""
    if len(analysis.ranking) > top:
        text += f"；前{top}名在各方法下{'相同' if same_top else '不完全相同'}"
    return text + "。"


def ranking(ctx: Context, caption: str) -> list[Block]:
    """The method sentence, a table of every method's rank and score, and the agreement."""
    analysis, lang = ctx.analysis, ctx.lang
    ids = ctx.problem.alternative_ids
    chosen = ctx.t("（本方案）", " (used)")
    header = (
        label("rank", lang),
        label("measure", lang),
        *(METHOD_SHORT[m] + (chosen if m == analysis.settings.method else "") for m in METHODS),
    )
    rows = []
    for entry in analysis.ranking:
        i = ids.index(entry.id)
        cells = []
        for m in METHODS:
            result = analysis.results[m]
            cells.append(f"{int(result.ranks[i])} ({score(float(result.scores[i]))})")
        rows.append((str(entry.rank), entry.name.get(lang), *cells))
    lower = [METHOD_SHORT[m] for m in METHODS if not analysis.results[m].higher_is_better]
    note = ctx.t(
        "单元格为名次（得分）；"
        + (f"{join_and(lower, lang)}得分越小越好，其余越大越好。" if lower else "得分越大越好。"),
        "Cells give the rank (score); "
        + (
            f"lower is better for {join_and(lower, lang)}, higher for the others."
            if lower
            else "higher is better."
        ),
    )
    return [
        Paragraph(method_sentence(analysis, lang)),
        Table(
            header=header,
            rows=tuple(rows),
            caption=caption,
            numeric=(True, False, *(True for _ in METHODS)),
            widths=(1, 5, *(2.2 for _ in METHODS)),
        ),
        Paragraph(note),
        Paragraph(agreement_text(analysis, lang), ctx.t("方法间比较：", "Other methods: ")),
    ]
