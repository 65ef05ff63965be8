"""Render a memo as one standalone HTML page (UTF-8, inline CSS, no scripts)."""

from __future__ import annotations

from html import escape

from engine.memo.blocks import Bullets, Heading, Memo, Paragraph, Preformatted, Table

_FONTS = {
    "zh": (
        '"FangSong", "仿宋", "STFangsong", "Noto Serif CJK SC", "Noto Serif SC", serif',
        '"SimHei", "黑体", "Heiti SC", "Noto Sans CJK SC", "Noto Sans SC", sans-serif',
    ),
    "en": ('"Times New Roman", Georgia, serif', 'Calibri, "Helvetica Neue", Arial, sans-serif'),
}

_CSS = """
body {{ font-family: {body}; font-size: 16px; line-height: 1.75; color: #111; background: #fff;
       max-width: 46em; margin: 2em auto; padding: 0 1.5em; }}
h1, h2, h3, .masthead, caption {{ font-family: {heading}; font-weight: normal; }}
.masthead {{ color: #c00000; font-size: 2.4em; text-align: center; letter-spacing: .3em;
            border-bottom: 3px solid #c00000; padding-bottom: .2em; margin-bottom: .6em; }}
h1 {{ font-size: 1.6em; text-align: center; margin: .4em 0; }}
.byline {{ text-align: center; color: #444; margin-bottom: 2em; }}
h2 {{ font-size: 1.3em; margin-top: 1.6em; }}
h3 {{ font-size: 1.1em; margin-top: 1.2em; }}
p {{ margin: .5em 0; {indent} }}
li > p, td p {{ text-indent: 0; }}
strong {{ font-family: {heading}; font-weight: normal; }}
table {{ border-collapse: collapse; margin: .6em 0 1.2em; width: 100%; font-size: .92em; }}
caption {{ text-align: center; padding-bottom: .3em; }}
th, td {{ border: 1px solid #333; padding: .25em .5em; vertical-align: top; overflow-wrap: anywhere; }}
th {{ background: #f2f2f2; }}
td.num, th.num {{ text-align: right; white-space: nowrap; }}
pre {{ background: #f6f6f6; border: 1px solid #ddd; padding: .8em; overflow-x: auto;
      font-size: .85em; line-height: 1.4; white-space: pre-wrap; word-break: break-all; }}
"""


def _paragraph(block: Paragraph) -> str:
    lead = f"<strong>{escape(block.lead)}</strong>" if block.lead else ""
    return f"{lead}{escape(block.text)}"


def _table(block: Table) -> str:
    numeric = list(block.numeric) + [False] * (len(block.header) - len(block.numeric))

    def cell(tag: str, text: str, right: bool) -> str:
        attribute = ' class="num"' if right else ""
        return f"<{tag}{attribute}>{escape(text)}</{tag}>"

    parts = ["<table>"]
    if block.caption:
        parts.append(f"<caption>{escape(block.caption)}</caption>")
    parts.append(
        "<thead><tr>"
        + "".join(cell("th", h, r) for h, r in zip(block.header, numeric, strict=True))
        + "</tr></thead><tbody>"
    )
    for row in block.rows:
        parts.append("<tr>" + "".join(cell("td", c, r) for c, r in zip(row, numeric, strict=True)) + "</tr>")
    parts.append("</tbody></table>")
    return "\n".join(parts)


def render_html(memo: Memo) -> bytes:
    """The memo as a complete HTML document; every text is HTML-escaped, nothing is raw."""
    lang = "zh-CN" if memo.lang == "zh" else "en"
    body_font, heading_font = _FONTS[memo.lang]
    css = _CSS.format(
        body=body_font, heading=heading_font, indent="text-indent: 2em;" if memo.lang == "zh" else ""
    )
    title = memo.title
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title.text)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        f'<div class="masthead">{escape(title.masthead)}</div>',
        f"<h1>{escape(title.text)}</h1>",
        f'<div class="byline">{escape(title.byline)}</div>',
    ]
    for block in memo.blocks:
        if isinstance(block, Heading):
            level = min(block.level + 1, 6)
            out.append(f"<h{level}>{escape(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            out.append(f"<p>{_paragraph(block)}</p>")
        elif isinstance(block, Bullets):
            out.append("<ul>" + "".join(f"<li>{_paragraph(item)}</li>" for item in block.items) + "</ul>")
        elif isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, Preformatted):
            out.append(f"<pre><code>{escape(block.text)}</code></pre>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out).encode("utf-8")
