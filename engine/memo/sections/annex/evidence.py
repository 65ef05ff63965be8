"""The facts the brief cites, each with its summary and (in Chinese) the source's own words."""

from __future__ import annotations

from engine.memo.document import Block, Bullets, Paragraph
from engine.memo.sections.context import Context


def evidence(ctx: Context) -> list[Block]:
    facts = [fact for fact in ctx.problem.evidence.facts if fact.id in set(ctx.cited)]
    blocks: list[Block] = []
    source = ctx.problem.evidence
    intro = ctx.t(
        f"以下为简报所引事实，均摘自{source.title.zh}（{source.publisher}），“原文”为其原话。",
        f"The facts the brief cites, all from {source.title.en}. The verbatim Chinese quotes are in the "
        "Chinese edition of this brief.",
    )
    blocks.append(Paragraph(intro))
    if source.reliability is not None:
        blocks.append(Paragraph(source.reliability.get(ctx.lang), ctx.t("可靠性：", "Reliability: ")))
    if not facts:
        return [*blocks, Paragraph("—")]
    items = []
    for fact in facts:
        summary = fact.summary.get(ctx.lang)
        text = summary if ctx.lang == "en" else f"{summary}原文：“{fact.quote}”"
        items.append(Paragraph(text, f"[{fact.id}] "))
    return [*blocks, Bullets(tuple(items), style="bullet")]
