"""附件 (technical annex): the scenario comparison when one is asked for, every method's ranking, the
weights and their sources, the consistency of the judgments, the robustness figures and charts, the
evidence with quotes, the settings profile, the inputs' SHA-256 and the command that reproduces the
ranking.

Method names, λmax, CR and four-decimal scores belong here, not in the brief.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.memo.document import Block, Heading
from engine.memo.sections.annex.consistency import consistency
from engine.memo.sections.annex.evidence import evidence
from engine.memo.sections.annex.ranking import ranking
from engine.memo.sections.annex.reproduce import reproduce
from engine.memo.sections.annex.robustness import robustness
from engine.memo.sections.annex.settings import settings_profile
from engine.memo.sections.annex.sources import sources
from engine.memo.sections.annex.weights import weights
from engine.memo.sections.comparison import comparison
from engine.memo.sections.context import Context
from engine.text import chinese_numeral

__all__ = ["annex"]


def annex(ctx: Context) -> list[Block]:
    """The annex's blocks; call it after the brief, whose citations it quotes."""
    tables = iter(range(1, 100))

    def table(zh: str, en: str) -> str:
        n = next(tables)
        return ctx.t(f"附表{n}　{zh}", f"Annex table {n}. {en}")

    parts: list[tuple[tuple[str, str], Callable[[], list[Block]]]] = []
    document = ctx.comparison
    if document is not None:
        parts.append(
            (
                ("方案比较", "Scenario comparison"),
                lambda: comparison(
                    ctx,
                    document,
                    table("各方案下的对策名次", "Rank of each countermeasure under each scenario"),
                ),
            )
        )
    parts += [
        (
            ("各方法下的排序", "Ranking under every method"),
            lambda: ranking(ctx, table("各方法下的名次与得分", "Rank and score under each method")),
        ),
        (
            ("权重及其来源", "Weights and where they come from"),
            lambda: weights(
                ctx,
                table("评价指标与权重", "Criteria and weights"),
                ctx.t("附图1　各指标权重", "Annex figure 1. Criterion weights"),
            ),
        ),
        (
            ("判断一致性", "Consistency of the judgments"),
            lambda: consistency(
                ctx,
                table(
                    "判断矩阵一致性检验（CR < 0.10 为可接受）",
                    "Consistency of the judgments (CR < 0.10 is acceptable)",
                ),
            ),
        ),
        (
            ("稳健性", "Robustness"),
            lambda: robustness(
                ctx,
                table("各对策名次的稳健性", "How firmly each rank holds")
                if ctx.robustness is not None
                else "",
                2,
            ),
        ),
        (("引用事实", "Facts cited"), lambda: evidence(ctx)),
        (("完整设置", "Exact settings"), lambda: settings_profile(ctx)),
        (
            ("输入文件指纹（SHA-256）", "Input file fingerprints (SHA-256)"),
            lambda: sources(ctx, table("输入文件", "Input files")),
        ),
        (("复现命令", "Command that reproduces the ranking"), lambda: reproduce(ctx)),
    ]
    blocks: list[Block] = [Heading(ctx.t("附件　技术说明", "Annex: technical notes"))]
    for number, ((zh, en), build) in enumerate(parts, start=1):
        blocks.append(Heading(ctx.t(f"{chinese_numeral(number)}、{zh}", f"A{number}. {en}")))
        blocks += build()
    return blocks
