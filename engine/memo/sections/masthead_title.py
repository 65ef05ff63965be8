"""The masthead (决策参考, 第×期, 编发单位, date, optional mark) and the title that states the judgement."""

from __future__ import annotations

from engine.memo.document import Masthead, Title
from engine.memo.options import localized
from engine.memo.sections.context import Context
from engine.text import date


def masthead(ctx: Context) -> Masthead:
    issue = ctx.options.issue
    issue_text = ctx.t(f"第{issue}期", f"No. {issue}") if isinstance(issue, int) else issue or ""
    return Masthead(
        name=ctx.t("决策参考", "Policy Brief"),
        issue=issue_text,
        publisher=ctx.publisher,
        date=date(ctx.today, ctx.lang),
        mark=localized(ctx.options.mark, ctx.lang),
    )


def title(ctx: Context) -> Title:
    """The recommendation's headline; the subtitle names the question the brief answers.

    Without a recommendation (no robustness study) the title says what the ranking puts first and
    that it has not been tested.
    """
    rec = ctx.recommendation
    if rec is not None:
        text = rec.headline.get(ctx.lang)
    else:
        leader = ctx.short(ctx.ranked[0])
        text = ctx.t(
            f"{leader}综合排名第一，稳固程度尚待检验", f"{leader} ranks first; how firmly is untested"
        )
    subject = ctx.problem.criteria.name.get(ctx.lang)
    return Title(text=text, subtitle=ctx.t(f"——{subject}", subject))
