"""落款 (the issuing unit and the date under the body) and 版记 (抄送 and 印发 between two rules)."""

from __future__ import annotations

from engine.memo.document import Colophon, Signature
from engine.memo.options import localized
from engine.memo.sections.context import Context
from engine.text import date


def signature(ctx: Context) -> Signature:
    return Signature(lines=(ctx.publisher, date(ctx.today, ctx.lang)))


def colophon(ctx: Context) -> Colophon:
    """ "抄送：…" when a distribution is given, then "{编发单位}　　{date}印发"."""
    lines = []
    copies = localized(ctx.options.distribution, ctx.lang)
    if copies:
        lines.append(ctx.t(f"抄送：{copies}", f"Copies to: {copies}"))
    day = date(ctx.today, ctx.lang)
    lines.append(ctx.t(f"{ctx.publisher}　　{day}印发", f"Issued by {ctx.publisher}, {day}"))
    return Colophon(lines=tuple(lines))
