"""The consistency of every expert's judgments at every judged node (λmax, CR) and what to revise."""

from __future__ import annotations

from engine.analysis import COMBINED, Analysis
from engine.memo.document import Block, Paragraph, Table
from engine.memo.sections.context import Context
from engine.memo.wording import word
from engine.model import Lang
from engine.text import label


def consistency_header(lang: Lang) -> tuple[str, ...]:
    return (word("node", lang), label("expert", lang), "λmax", "CR", word("verdict", lang))


def consistency_rows(analysis: Analysis, lang: Lang) -> tuple[tuple[str, ...], ...]:
    """(node, expert, λmax, CR, verdict) for every judged node and expert, the combination first."""
    criteria = analysis.problem.criteria
    names = {node.id: node.name.get(lang) for node in criteria.goal.walk()}
    # the goal's name is a whole sentence; in a table cell "the goal" says enough
    nodes = {**names, criteria.goal.id: word("goal", lang)}
    rows = []
    for record in analysis.consistency:
        expert = (
            word("combined", lang)
            if record.expert_id == COMBINED
            else criteria.expert(record.expert_id).name.get(lang)
        )
        if record.consistent:
            verdict = word("consistent", lang)
        elif record.revise_first is not None:
            a, b, value = record.revise_first
            verdict = word("inconsistent", lang, a=names[a], b=names[b], value=f"{value:.3g}")
        else:
            verdict = word("inconsistent", lang, a="?", b="?", value="?")
        rows.append(
            (
                nodes[record.node_id],
                expert,
                f"{record.result.lambda_max:.4f}",
                f"{record.result.cr:.4f}",
                verdict,
            )
        )
    return tuple(rows)


def consistency(ctx: Context, caption: str) -> list[Block]:
    if ctx.analysis.settings.weight_source != "ahp":
        return [
            Paragraph(
                ctx.t(
                    "本期权重未采用两两比较判断，无需一致性检验；下表供参考，列出判断文件中各专家判断的一致性。",
                    "The weights of this brief do not come from pairwise judgments, so no consistency "
                    "check applies to them; for reference, the table gives the consistency of the "
                    "judgments in the criteria file.",
                )
            ),
            _table(ctx, caption),
        ]
    return [_table(ctx, caption)]


def _table(ctx: Context, caption: str) -> Table:
    return Table(
        header=consistency_header(ctx.lang),
        rows=consistency_rows(ctx.analysis, ctx.lang),
        caption=caption,
        numeric=(False, False, True, True, False),
        widths=(3, 4, 1.5, 1.5, 3),
    )
