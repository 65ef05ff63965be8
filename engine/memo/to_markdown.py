"""Render a memo as CommonMark/GFM Markdown."""

from __future__ import annotations

import re

from engine.memo.blocks import Bullets, Heading, Memo, Paragraph, Preformatted, Table

# Characters that can open or close inline Markdown (GFM tables, HTML, entities, Streamlit's $math$).
# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that matter
# mid-line, so Chinese prose and numbers ("0.7120") stay readable in the source.
_INLINE = re.compile(r"([\\`*_\[\]<>|#~&$!])")
# What only matters at the start of a line: list markers, setext underlines.
_LINE_START = re.compile(r"^(\s*)(\d+[.)]|[-+=])")
_LEAD_TAIL = re.compile(r"[\s:：]+$")


def escape(text: str) -> str:
    """Escape ``text`` so that it renders literally, inline, on one line (newlines become spaces)."""
    return _INLINE.sub(r"\\\1", " ".join(text.splitlines()))


def _line_safe(text: str) -> str:
    """Escape what would turn the start of a line into a list item or a setext underline."""
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)


def _paragraph(block: Paragraph) -> str:
    body = escape(block.text.strip())
    if not block.lead:
        return _line_safe(body)
    # The colon stays outside the emphasis: "**主要举措：**正文" is not bold in CommonMark, whose
    # flanking rules reject a closing "**" between punctuation and a letter.
    tail = _LEAD_TAIL.search(block.lead)
    core = block.lead[: tail.start()] if tail else block.lead
    lead = f"**{escape(core)}**{tail.group(0) if tail else ''}"
    return f"{lead}{body}" if body else lead


def _cell(text: str) -> str:
    return escape(text) or " "


def _table(block: Table) -> list[str]:
    lines = []
    if block.caption:
        lines += [f"**{escape(block.caption)}**", ""]
    numeric = list(block.numeric) + [False] * (len(block.header) - len(block.numeric))
    lines.append("| " + " | ".join(_cell(h) for h in block.header) + " |")
    lines.append("|" + "|".join("---:" if right else ":---" for right in numeric) + "|")
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
    return lines


def _fence(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def render_markdown(memo: Memo) -> bytes:
    """The memo as UTF-8 Markdown; every input text is escaped, tables keep their columns."""
    title = memo.title
    out = [
        f"**{escape(title.masthead)}**",
        "",
        f"# {escape(title.text)}",
        "",
        f"*{escape(title.byline)}*",
        "",
    ]
    for block in memo.blocks:
        if isinstance(block, Heading):
            out += [f"{'#' * (block.level + 1)} {escape(block.text)}", ""]
        elif isinstance(block, Paragraph):
            out += [_paragraph(block), ""]
        elif isinstance(block, Bullets):
            out += [f"- {_paragraph(item)}" for item in block.items] + [""]
        elif isinstance(block, Table):
            out += [*_table(block), ""]
        elif isinstance(block, Preformatted):
            fence = _fence(block.text)
            out += [f"{fence}{block.syntax}", block.text.rstrip("\n"), fence, ""]
    return ("\n".join(out).rstrip("\n") + "\n").encode("utf-8")
