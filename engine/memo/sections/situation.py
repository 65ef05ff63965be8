"""一、形势研判: how rival cities poach, told through the source's cases with their fact ids, and how
far the source's figures can be trusted.

The cases come from the evidence file's ``patterns``; a file without them gets the threat facts
the ranking leans on most instead.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from engine.memo.document import Block, Heading, Paragraph
from engine.memo.length import block_length, limit, text_length
from engine.memo.sections.context import Context
from engine.model import Fact
from engine.text.rounded import count

HEADING = ("一、形势研判", "1. The situation")
THREAT_FACTS = 4  # threat facts told when the evidence file defines no patterns
_CJK_START = "\u2e80"


def situation(ctx: Context) -> list[Block]:
    evidence = ctx.problem.evidence
    facts = {fact.id: fact for fact in evidence.facts}
    blocks: list[Block] = [Heading(ctx.t(*HEADING))]
    reliability = Paragraph(_reliability(ctx), ctx.t("数据可靠性：", "How reliable: "))
    if evidence.patterns:
        n = len(evidence.patterns)
        blocks.append(
            Paragraph(
                ctx.t(
                    f"竞争城市有{count(n, 'zh')}种“挖角”方式（方括号内为事实编号）：",
                    f"Rival cities poach in {n} ways (fact ids in brackets):",
                )
            )
        )
        for pattern in evidence.patterns:
            name = pattern.name.get(ctx.lang) + ctx.t("：", ": ")
            blocks.append(Paragraph(_told(ctx, [facts[i] for i in pattern.facts]), name))
    else:
        # without patterns, the threats the ranking leans on most, as many as the length allows
        lead = ctx.t("主要威胁：", "Main threats: ")
        room = limit("situation", ctx.lang) - block_length([*blocks, reliability]) - text_length(lead)
        threats = _threats(ctx, k=THREAT_FACTS)
        while threats and text_length(_told(ctx, threats, cite=False)) > room:
            threats = _threats(ctx, k=len(threats) - 1)
        if threats:
            blocks.append(Paragraph(_told(ctx, threats), lead))
    blocks.append(reliability)
    return blocks


def _told(ctx: Context, facts: Sequence[Fact], *, cite: bool = True) -> str:
    """The facts' summaries, each with its id: one sentence in Chinese, one sentence each in English.

    ``cite=False`` writes the ids without recording them as cited (for measuring a draft).
    """
    parts = []
    for fact in facts:
        ids = ctx.cite([fact.id]) if cite else f"[{fact.id}]"
        summary = fact.summary.get(ctx.lang).rstrip().rstrip("。.；;")
        parts.append(ctx.t(f"{summary}{ids}", f"{summary} {ids}"))
    return ctx.t("；", ". ").join(parts) + ctx.end


def _weights(ctx: Context, facts: Sequence[Fact]) -> dict[str, float]:
    """How much the ranking leans on each fact: the summed weights of the criteria whose scores
    cite it, over all countermeasures."""
    problem = ctx.problem
    index = {fact.id: row for row, fact in enumerate(facts)}
    cited = np.zeros((len(facts), len(problem.leaf_ids)))
    for item in problem.countermeasures:
        for column, leaf_id in enumerate(problem.leaf_ids):
            for fact_id in item.scores[leaf_id].evidence:
                if fact_id in index:
                    cited[index[fact_id], column] += 1
    weight = cited @ np.asarray(ctx.analysis.weights, dtype=float)
    return {fact.id: float(w) for fact, w in zip(facts, weight, strict=True)}


def _threats(ctx: Context, *, k: int) -> list[Fact]:
    """The ``k`` threat facts the ranking leans on most (see :func:`_weights`), in the source's order."""
    candidates = [f for f in ctx.problem.evidence.facts if f.topic == "threat"]
    weight = _weights(ctx, candidates)
    chosen = sorted(candidates, key=lambda fact: -weight[fact.id])[:k]
    return [fact for fact in candidates if fact in chosen and weight[fact.id] > 0]


def _reliability(ctx: Context) -> str:
    evidence = ctx.problem.evidence
    if evidence.reliability is not None:
        return evidence.reliability.get(ctx.lang)
    title = evidence.title.get(ctx.lang)
    publisher = evidence.publisher
    if ctx.lang == "en":
        if any(ch >= _CJK_START for ch in publisher):
            publisher = ""
        source = f"{title} ({publisher})" if publisher else title
        return (
            f"The facts above come from {source}; check its figures against primary sources before "
            "quoting them."
        )
    return f"以上事实引自{title}（{publisher}），引用前宜核对原始数据。"
