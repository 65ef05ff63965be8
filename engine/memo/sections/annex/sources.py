"""The SHA-256 of every input file, so a reader can tell whether the files at hand are the ones used."""

from __future__ import annotations

from engine.memo.document import Block, Table
from engine.memo.sections.context import Context


def sources(ctx: Context, caption: str) -> list[Block]:
    return [
        Table(
            header=(ctx.t("文件", "File"), "SHA-256"),
            rows=tuple((label, digest) for label, digest in ctx.problem.sources.items()),
            caption=caption,
            widths=(2, 5),
        )
    ]
