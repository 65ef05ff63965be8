"""The memo as one self-contained HTML page: inline CSS, charts as inline SVG, no scripts.

On screen it is a white A4 sheet; printed, the page has the memo's margins and the annex starts
on a new page. Fonts are named as a government PC has them (仿宋_GB2312, 黑体, 楷体_GB2312,
方正小标宋简体) with common fallbacks; in Chinese text, Latin letters and digits take Times New
Roman through a ``unicode-range`` face, while quotation marks stay full-width. Every text from
the memo is escaped; the SVG comes from :mod:`engine.memo.charts` (outlines only, no text).
"""

from __future__ import annotations

import re
from html import escape

from engine.memo import charts
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
from engine.memo.render.layout import LOOKS, numeric_columns, spans, split_colophon_line

_STACKS = {
    "zh": {
        "body": '"MemoLatin", "仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", '
        '"Noto Serif CJK SC", "Noto Serif SC", "Source Han Serif SC", serif',
        "heading": '"MemoLatin", "黑体", "SimHei", "Heiti SC", "Noto Sans CJK SC", "Noto Sans SC", '
        "sans-serif",
        "kai": '"MemoLatin", "楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "AR PL UKai CN", '
        '"Noto Serif CJK SC", serif',
        "title": '"MemoLatin", "方正小标宋简体", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", '
        '"Source Han Serif SC", "SimSun", serif',
    },
    "en": {
        "body": '"Times New Roman", "Liberation Serif", "Noto Serif", Georgia, serif',
        "heading": '"Times New Roman", "Liberation Serif", "Noto Serif", Georgia, serif',
        "kai": '"Times New Roman", "Liberation Serif", "Noto Serif", Georgia, serif',
        "title": '"Times New Roman", "Liberation Serif", "Noto Serif", Georgia, serif',
    },
}
# Latin letters, digits and ASCII punctuation; not the quotation marks and dashes (U+2014..201D,
# U+2026) that Chinese text sets full-width.
_LATIN_FACE = """@font-face { font-family: "MemoLatin";
  unicode-range: U+0020-007E, U+00A0-00FF, U+0100-024F, U+2013;
  src: local("Times New Roman"), local("TimesNewRomanPSMT"), local("Liberation Serif"),
       local("Nimbus Roman"); }
"""

_CSS = """
html {{ background: #eceae6; }}
body {{ margin: 0; color: #111; font-family: {body}; font-size: {size}pt; line-height: {pitch}pt; }}
.sheet {{ background: #fff; width: 210mm; min-height: 297mm; box-sizing: border-box; margin: 12px auto;
  padding: {top}mm {right}mm {bottom}mm {left}mm; box-shadow: 0 1px 6px rgba(0,0,0,.18); }}
.mark {{ font-family: {heading}; margin: 0 0 .3em; }}
.masthead {{ font-family: {title}; color: #c00000; text-align: center; font-size: {masthead}pt;
  line-height: 1.25; margin: .2em 0 .15em; font-weight: 700; font-synthesis: none; }}
.info {{ display: flex; justify-content: space-between; gap: 1em; font-size: {info}pt; line-height: 1.6;
  border-bottom: 2.25pt solid #c00000; padding-bottom: 3pt; margin-bottom: {pitch}pt; }}
.info span:only-child {{ margin: 0 auto; }}
h1 {{ font-family: {title}; font-size: {title_size}pt; line-height: {title_pitch}pt; text-align: center;
  font-weight: {title_weight}; margin: 0; }}
.subtitle {{ font-family: {kai}; text-align: center; text-indent: 0; margin: 0; }}
header {{ margin-bottom: {pitch}pt; }}
h2, h3, h4 {{ font-size: {size}pt; line-height: {pitch}pt; margin: {h_before}pt 0 0; text-indent: {indent}em;
  font-weight: {h_weight}; break-after: avoid; }}
h2 {{ font-family: {heading}; }}
h3 {{ font-family: {kai}; }}
h4 {{ font-weight: 700; }}
p {{ margin: 0 0 {after}pt; text-indent: {indent}em; text-align: {align}; }}
strong {{ font-weight: 700; }}
code {{ font-family: Consolas, "Courier New", "DejaVu Sans Mono", monospace; font-size: .86em; }}
ol.list, ul.list {{ margin: 0 0 {after}pt; padding-left: 2em; }}
ol.list li, ul.list li {{ text-align: {align}; }}
figure {{ margin: .6em 0 .8em; break-inside: avoid; text-align: center; }}
figure svg {{ width: 100%; max-width: 156mm; height: auto; display: block; margin: 0 auto; }}
figcaption, caption {{ font-family: {heading}; font-size: {caption}pt; line-height: 1.5; text-align: center;
  font-weight: {h_weight}; }}
figcaption {{ margin-top: .3em; }}
table {{ border-collapse: collapse; width: 100%; margin: .4em 0 .9em; line-height: 1.4; }}
table.keep {{ break-inside: avoid; }}
caption {{ padding-bottom: .35em; }}
th, td {{ border: .75pt solid #222; padding: .8mm 1.5mm; vertical-align: top; text-align: left; }}
th {{ font-family: {heading}; font-weight: {h_weight}; background: #f2f2f2; text-align: center; }}
td.num {{ text-align: right; white-space: nowrap; }}
tr {{ break-inside: avoid; }}
pre {{ background: #f6f6f6; border: 1px solid #ddd; padding: .6em .8em; font-size: {code}pt; line-height: 1.4;
  white-space: pre-wrap; overflow-wrap: anywhere; }}
.signature {{ margin-top: {pitch}pt; text-align: right; padding-right: {sign_indent}em; }}
.signature p {{ text-indent: 0; text-align: right; margin: 0; }}
.colophon {{ margin-top: {pitch}pt; border-top: 1pt solid #000; border-bottom: 1pt solid #000;
  font-size: {colophon}pt; line-height: {colophon_pitch}pt; }}
.colophon div {{ display: flex; justify-content: space-between; padding: 0 1em; }}
.colophon div + div {{ border-top: .5pt solid #000; }}
.page-break {{ height: 0; }}
@page {{ size: A4; margin: {top}mm {right}mm {bottom}mm {left}mm; }}
@media print {{
  html {{ background: #fff; }}
  .sheet {{ width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }}
  .page-break {{ break-before: page; }}
}}
"""
KEEP_ROWS = 20  # a table this short is kept on one page when printed
_ID = re.compile(r'\bid="([^"]+)"')


def _inline(text: str) -> str:
    return "".join(
        f"<code>{escape(piece)}</code>" if is_code else escape(piece) for is_code, piece in spans(text)
    )


def _paragraph(block: Paragraph) -> str:
    lead = f"<strong>{escape(block.lead)}</strong>" if block.lead else ""
    return f"{lead}{_inline(block.text)}"


def _table(block: Table) -> str:
    numeric = numeric_columns(block)
    keep = ' class="keep"' if len(block.rows) <= KEEP_ROWS else ""
    parts = [f"<table{keep}>"]
    if block.caption:
        parts.append(f"<caption>{escape(block.caption)}</caption>")
    total = sum(block.widths) if len(block.widths) == len(block.header) and sum(block.widths) > 0 else 0
    if total:
        parts.append(
            "<colgroup>"
            + "".join(f'<col style="width:{w / total:.1%}">' for w in block.widths)
            + "</colgroup>"
        )
    parts.append(
        "<thead><tr>" + "".join(f"<th>{_inline(h)}</th>" for h in block.header) + "</tr></thead><tbody>"
    )
    for row in block.rows:
        cells = (
            f'<td class="num">{_inline(c)}</td>' if right else f"<td>{_inline(c)}</td>"
            for c, right in zip(row, numeric, strict=True)
        )
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    return "\n".join(parts)


def _chart(block: Chart, lang: str, number: int) -> str:
    """The chart's SVG, inlined with ids made unique in the page and the alt text as its label."""
    svg = charts.svg(block, lang)  # type: ignore[arg-type]
    prefix = f"c{number}-"
    svg = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = re.sub(r'(url\(#|href="#)([^")]+)', lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)
    # drop the fixed size in points: the viewBox scales it to the column
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1)
    svg = svg.replace("<svg", f'<svg role="img" aria-label="{escape(block.alt)}"', 1)
    caption = f"<figcaption>{escape(block.caption)}</figcaption>" if block.caption else ""
    return f"<figure>\n{svg}{caption}</figure>"


def _block(block: Block, lang: str, number: int) -> str:
    if isinstance(block, Heading):
        level = min(block.level + 1, 4)
        return f"<h{level}>{_inline(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        return f"<p>{_paragraph(block)}</p>"
    if isinstance(block, Bullets):
        if block.style == "plain":
            return "\n".join(f"<p>{_paragraph(item)}</p>" for item in block.items)
        tag = "ol" if block.style == "numbered" else "ul"
        items = "".join(f"<li>{_paragraph(item)}</li>" for item in block.items)
        return f'<{tag} class="list">{items}</{tag}>'
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):
        return _chart(block, lang, number)
    if isinstance(block, Preformatted):
        return f"<pre><code>{escape(block.text.rstrip())}</code></pre>"
    if isinstance(block, PageBreak):
        return '<div class="page-break"></div>'
    if isinstance(block, Signature):
        return (
            '<div class="signature">' + "".join(f"<p>{_inline(line)}</p>" for line in block.lines) + "</div>"
        )
    if isinstance(block, Colophon):
        rows = []
        for line in block.lines:
            left, right = split_colophon_line(line)
            rows.append(f"<div><span>{_inline(left)}</span><span>{_inline(right)}</span></div>")
        return '<div class="colophon">' + "".join(rows) + "</div>"
    raise TypeError(f"unknown memo block {block!r}")


def render_html(memo: Memo) -> bytes:
    """The memo as a complete HTML document (UTF-8)."""
    look = LOOKS[memo.lang]
    stacks = _STACKS[memo.lang]
    top, bottom, left, right = look.margins
    zh = memo.lang == "zh"
    css = _CSS.format(
        body=stacks["body"],
        heading=stacks["heading"],
        kai=stacks["kai"],
        title=stacks["title"],
        size=look.body,
        pitch=look.pitch,
        top=top,
        bottom=bottom,
        left=left,
        right=right,
        masthead=look.masthead,
        info=look.info,
        title_size=look.title,
        title_pitch=look.title_pitch,
        title_weight=400 if zh else 700,
        h_weight=400 if zh else 700,
        h_before=look.heading_before[0],
        indent=look.indent_chars,
        after=look.after,
        align="justify" if look.justify else "left",
        caption=look.caption,
        code=look.code,
        sign_indent=4 if zh else 0,
        colophon=look.colophon,
        colophon_pitch=look.colophon_pitch,
    )
    if zh:
        css = _LATIN_FACE + css
    head = memo.masthead
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{look.language}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(memo.title.text or head.name)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        '<main class="sheet">',
    ]
    if head.name or memo.title.text:
        out.append("<header>")
        if head.mark:
            out.append(f'<div class="mark">{escape(head.mark)}</div>')
        if head.name:
            out.append(f'<div class="masthead">{escape(head.name)}</div>')
            parts = [part for part in (head.issue, head.publisher, head.date) if part]
            out.append('<div class="info">' + "".join(f"<span>{escape(p)}</span>" for p in parts) + "</div>")
        if memo.title.text:
            out.append(f"<h1>{_inline(memo.title.text)}</h1>")
            if memo.title.subtitle:
                out.append(f'<p class="subtitle">{escape(memo.title.subtitle)}</p>')
        out.append("</header>")
    figures = 0
    for block in memo.blocks:
        if isinstance(block, Chart):
            figures += 1
        out.append(_block(block, memo.lang, figures))
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out).encode("utf-8")
