"""The memo as CommonMark/GFM Markdown: readable as plain text, every input text escaped.

Charts become their ``alt`` text and a small table of the numbers behind them; inline code
(paired backticks) stays code, with a fence long enough for what it holds.
"""

from __future__ import annotations

import re

import numpy as np

from engine.memo.document import (
    Block,
    Bullets,
    Chart,
    Colophon,
    Heading,
    Memo,
    PageBreak,
    Paragraph,
    Preformatted,
    Signature,
    Table,
)
from engine.memo.render.layout import numeric_columns, spans

# Characters that can open or close inline Markdown (GFM tables, HTML, entities, Streamlit's $math$).
# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that matter
# mid-line, so Chinese prose and numbers ("0.7120") stay readable in the source.
_INLINE = re.compile(r"([\\`*_\[\]<>|#~&$!])")
# What only matters at the start of a line: list markers, setext underlines, block quotes.
_LINE_START = re.compile(r"^(\s*)(\d+[.)]|[-+=>])")
_LEAD_TAIL = re.compile(r"[\s:：]+$")
SENSITIVITY_COLUMNS = 6  # weights shown for a sensitivity chart's table


def escape(text: str) -> str:
    """Escape ``text`` so that it renders literally, inline, on one line (newlines become spaces)."""
    return _INLINE.sub(r"\\\1", " ".join(text.splitlines()))


def _code(text: str) -> str:
    text = " ".join(text.splitlines())
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def inline(text: str) -> str:
    """Text with its inline code spans kept as code and everything else escaped."""
    return "".join(_code(piece) if is_code else escape(piece) for is_code, piece in spans(text))


def _line_safe(text: str) -> str:
    """Escape what would turn the start of a line into a list item, quote or setext underline."""
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)


def _paragraph(block: Paragraph) -> str:
    body = inline(block.text.strip())
    if not block.lead:
        return _line_safe(body)
    # The colon stays outside the emphasis: "**主要举措：**正文" is not bold in CommonMark, whose
    # flanking rules reject a closing "**" between punctuation and a letter.
    tail = _LEAD_TAIL.search(block.lead)
    core = block.lead[: tail.start()] if tail else block.lead
    lead = f"**{escape(core)}**{tail.group(0) if tail else ''}" if core else block.lead
    return f"{lead}{body}" if body else lead


def _cell(text: str) -> str:
    return inline(text) or " "


def _grid(header: list[str], rows: list[list[str]], numeric: list[bool]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |"]
    lines.append("|" + "|".join("---:" if right else ":---" for right in numeric) + "|")
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _table(block: Table) -> list[str]:
    lines = [f"**{escape(block.caption)}**", ""] if block.caption else []
    return lines + _grid(list(block.header), [list(r) for r in block.rows], numeric_columns(block))


def _number(value: float, percent: bool) -> str:
    if percent:
        return "<1%" if 0 < value < 0.005 else f"{value:.0%}"
    return f"{value:.2f}"


def _chart(block: Chart, lang: str) -> list[str]:
    out = [f"**{escape(block.caption)}**", "", _line_safe(escape(block.alt)), ""]
    if block.kind == "sensitivity" and block.x:
        x = np.asarray(block.x, dtype=float)
        picks = sorted(set(np.linspace(0, len(x) - 1, min(SENSITIVITY_COLUMNS, len(x))).round().astype(int)))
        header = [
            "对策 / 权重" if lang == "zh" else "Countermeasure / weight",
            *(f"{x[i]:.0%}" for i in picks),
        ]
        rows = [[s.name, *(_number(s.values[i], False) for i in picks)] for s in block.series]
        return out + _grid(header, rows, [False] + [True] * len(picks))
    if not block.series:
        return out
    series = block.series[0]
    with_range = len(series.low) == len(series.values) == len(series.high) and bool(series.values)
    if block.kind == "first_shares":
        header = ["对策" if lang == "zh" else "Countermeasure"]
    else:
        header = ["指标" if lang == "zh" else "Criterion"]
    header.append(block.axis or series.name)
    if with_range:
        header.append("区间" if lang == "zh" else "Range")
    rows = []
    for i, (label, value) in enumerate(zip(block.labels, series.values, strict=False)):
        row = [label, _number(value, block.percent)]
        if with_range:
            row.append(f"{_number(series.low[i], block.percent)}–{_number(series.high[i], block.percent)}")
        rows.append(row)
    return out + _grid(header, rows, [False, True] + ([True] if with_range else []))


def _fence(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _held_lines(lines: tuple[str, ...]) -> list[str]:
    """Lines kept as one block: a trailing backslash is a hard line break, as on paper."""
    text = [inline(line) for line in lines]
    return [line + "\\" for line in text[:-1]] + text[-1:]


def _block(block: Block, lang: str) -> list[str]:
    if isinstance(block, Heading):
        return [f"{'#' * min(block.level + 1, 6)} {inline(block.text)}"]
    if isinstance(block, Paragraph):
        return [_paragraph(block)]
    if isinstance(block, Bullets):
        if block.style == "plain":
            return [line for item in block.items for line in (_paragraph(item), "")][:-1]
        if block.style == "numbered":
            return [f"{n}. {_paragraph(item)}" for n, item in enumerate(block.items, start=1)]
        return [f"- {_paragraph(item)}" for item in block.items]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):
        return _chart(block, lang)
    if isinstance(block, Preformatted):
        fence = _fence(block.text)
        return [f"{fence}{block.syntax}", *block.text.rstrip("\n").split("\n"), fence]
    if isinstance(block, PageBreak):
        return ["---"]
    if isinstance(block, Signature):
        return _held_lines(block.lines)
    if isinstance(block, Colophon):
        return ["---", *_held_lines(block.lines)] if block.lines else []
    raise TypeError(f"unknown memo block {block!r}")


def render_markdown(memo: Memo) -> bytes:
    """The memo as UTF-8 Markdown."""
    out: list[str] = []
    head = memo.masthead
    if head.mark:
        out += [escape(head.mark), ""]
    if head.name:
        out += [f"**{escape(head.name)}**", ""]
        info = [part for part in (head.issue, head.publisher, head.date) if part]
        if info:
            out += [escape("　" if memo.lang == "zh" else " · ").join(escape(part) for part in info), ""]
    if memo.title.text:
        out += [f"# {inline(memo.title.text)}", ""]
        if memo.title.subtitle:
            out += [f"*{escape(memo.title.subtitle)}*", ""]
    for block in memo.blocks:
        out += [*_block(block, memo.lang), ""]
    return ("\n".join(out).rstrip("\n") + "\n").encode("utf-8")
