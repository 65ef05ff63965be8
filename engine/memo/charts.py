"""A memo's charts drawn from their data: SVG (vector, for HTML and PDF) and PNG (for DOCX).

matplotlib is imported inside these functions only, so that nothing else in the engine pays its
start-up cost. In HTML, text is drawn as outlines (``svg.fonttype = "path"``): an SVG needs no
fonts on the reader's machine. The PDF takes the SVG with ``<text>`` and embeds the font itself.
Labels are set in Noto Sans SC from ``pylopdf-fonts-zh-cn`` (CJK and Latin in one face).
Colours are chosen to stay apart in grey print: the leading countermeasure dark red, the others
a light slate; uncertainty as dark whiskers.

Drawing is cached per chart (a :class:`~engine.memo.document.Chart` is immutable and hashable),
so a memo rendered in several formats, or again after a rerun of the app, draws each chart once.
"""

from __future__ import annotations

import functools
import html
import io
import re
import threading
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.memo.document import Chart
from engine.memo.render.fonts import chart_font
from engine.memo.render.layout import LOOKS
from engine.model import Lang

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

MM_PER_INCH = 25.4
FONT_SIZE = 8.5  # points, at the chart's printed size
PNG_DPI = 220  # print resolution for the Word document
LEADER = "#A50F15"
OTHER = "#9AA9B8"
INK = "#222222"
GRID = "#DDDDDD"
# Lines of a sensitivity chart: the leader in red and heavier, then colours that differ in grey
# too, each with its own dash pattern.
LINE_COLOURS = ("#A50F15", "#1F4E79", "#6B8E23", "#B8860B", "#5B5B5B", "#7B4F9E", "#2E8B8B", "#C55A11")
LINE_STYLES = ("-", "--", "-.", ":", (0, (5, 1.5, 1, 1.5, 1, 1.5)), (0, (8, 2)))
_WORDS = {
    "zh": {"weight": "该指标权重", "now": "现权重"},
    "en": {"weight": "Weight of the criterion", "now": "now"},
}
TEXT_FAMILY = "memo-chart"  # the font family of chart text in SVG for the PDF
# rcParams are global and Streamlit serves sessions from threads: draw one chart at a time.
_LOCK = threading.Lock()


def text_width(lang: Lang) -> float:
    """The width charts are drawn at (mm): the text block of the memo's page."""
    return LOOKS[lang].text_width


def height(chart: Chart, width: float) -> float:
    """The chart's height in mm when drawn ``width`` mm wide."""
    if chart.kind == "sensitivity":
        rows = -(-len(chart.series) // _legend_columns(chart))
        return 62.0 + 5.0 * rows
    # 5.4 mm a bar keeps the labels readable at print size and the Chinese brief within four pages
    return max(38.0, 5.4 * len(chart.labels) + 17.0)


def svg(chart: Chart, lang: Lang, width: float | None = None, *, outlines: bool = True) -> str:
    """The chart as a standalone SVG document (no XML prolog or metadata).

    With ``outlines`` (for HTML) text is drawn as glyph outlines and needs no font. Without (for
    the PDF, whose SVG import is far faster with real text) text stays ``<text>`` in the family
    :data:`TEXT_FAMILY` with sizes in user units (points), for a renderer that embeds
    :func:`engine.memo.render.fonts.chart_font` under that name.
    """
    return _svg(chart, lang, width or text_width(lang), outlines)


def png(chart: Chart, lang: Lang, width: float | None = None, dpi: int = PNG_DPI) -> bytes:
    """The chart as a PNG image at ``dpi`` (≥ 200 for print)."""
    return _png(chart, lang, width or text_width(lang), dpi)


def svg_text(document: str) -> str:
    """The text of every ``<text>`` element of an SVG from :func:`svg`, one a line."""
    return "\n".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", document))


@functools.lru_cache(maxsize=64)
def _svg(chart: Chart, lang: Lang, width: float, outlines: bool) -> str:
    buffer = io.BytesIO()
    with _LOCK, _style(fonttype="path" if outlines else "none"):
        _draw(chart, lang, width).savefig(
            buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None}
        )
    text = buffer.getvalue().decode("utf-8")
    text = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<metadata>.*?</metadata>|<!--.*?-->", "", text, flags=re.S)
    if not outlines:
        # matplotlib's "px" are the viewBox's user units, which are points here
        text = re.sub(r"font-size: ([0-9.]+)px", r"font-size: \1", text)
        text = re.sub(r"font-family: [^;\"]*", f"font-family: {TEXT_FAMILY}", text)
    return text.strip() + "\n"


@functools.lru_cache(maxsize=64)
def _png(chart: Chart, lang: Lang, width: float, dpi: int) -> bytes:
    buffer = io.BytesIO()
    with _LOCK, _style():
        _draw(chart, lang, width).savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


@functools.cache
def _font_family() -> str:
    from matplotlib import font_manager

    path = str(chart_font())
    font_manager.fontManager.addfont(path)
    return str(font_manager.FontProperties(fname=path).get_name())


def _style(fonttype: str = "path") -> Any:
    import matplotlib

    return matplotlib.rc_context(
        {
            "svg.fonttype": fonttype,
            "svg.hashsalt": "policyrank-memo",  # the same chart gives the same file
            "text.parse_math": False,  # "$" in a countermeasure's name is a dollar sign
            "font.family": [_font_family(), "DejaVu Sans"],
            "font.size": FONT_SIZE,
            "text.color": INK,
            "axes.labelcolor": INK,
            "axes.edgecolor": "#777777",
            "axes.linewidth": 0.6,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "xtick.color": INK,
            "ytick.color": INK,
            "xtick.major.width": 0.6,
            "ytick.major.width": 0.6,
            "xtick.major.size": 3,
            "ytick.major.size": 0,
            "axes.unicode_minus": False,  # a hyphen-minus: every face has one
            "legend.frameon": False,
            "legend.fontsize": 8,
            "figure.facecolor": "white",
            "savefig.facecolor": "white",
        }
    )


def _draw(chart: Chart, lang: Lang, width: float) -> Figure:
    from matplotlib.figure import Figure

    size = (width / MM_PER_INCH, height(chart, width) / MM_PER_INCH)
    figure = Figure(figsize=size)
    axes = figure.add_subplot()
    if chart.kind == "sensitivity":
        _lines(figure, axes, chart, lang)
    else:
        _bars(axes, chart)
    # margins from the labels' lengths: matplotlib's constrained layout measures every text
    # and costs more than drawing the chart
    left, right, top, bottom = _margins(chart, lang)
    points = (size[0] * 72, size[1] * 72)
    # a label from a user file can be longer than the chart is wide: keep half the width for bars
    left = min(left, points[0] / 2 - right)
    bottom = min(bottom, points[1] / 2 - top)
    figure.subplots_adjust(
        left=left / points[0], right=1 - right / points[0], top=1 - top / points[1], bottom=bottom / points[1]
    )
    return figure


def _text_width(text: str, size: float = FONT_SIZE) -> float:
    """Width in points of ``text`` in Noto Sans SC, generously estimated."""
    return sum(1.0 if ord(c) >= 0x2E80 else 0.6 for c in text) * size


def _margins(chart: Chart, lang: Lang) -> tuple[float, float, float, float]:
    """Room (points) for tick labels, axis labels and the legend: left, right, top, bottom."""
    line = FONT_SIZE * 1.3
    axis_label = line + 4 if chart.axis else 0
    if chart.kind == "sensitivity":
        rows = -(-len(chart.series) // _legend_columns(chart))
        ticks = _text_width("0.00") + 6
        return ticks + axis_label + 6, 14, 18, 2 * line + 10 + rows * 13 + 6
    labels = max((_text_width(label) for label in chart.labels), default=0.0)
    return labels + 10, 8, 6, line + 6 + (line + 4 if chart.axis else 0) + 4


def _value(value: float, percent: bool) -> str:
    if not percent:
        return f"{value:.2f}"
    if 0 < value < 0.005:
        return "<1%"
    return f"{value:.0%}"


def _percent_axis(axis: Any) -> None:
    from matplotlib.ticker import PercentFormatter

    axis.set_major_formatter(PercentFormatter(1.0, decimals=0))


def _bars(axes: Axes, chart: Chart) -> None:
    series = chart.series[0]
    values = np.asarray(series.values, dtype=float)
    count = len(values)
    has_range = len(series.low) == count and len(series.high) == count and count > 0
    low = np.asarray(series.low, dtype=float) if has_range else values
    high = np.asarray(series.high, dtype=float) if has_range else values
    rows = np.arange(count)
    # first_shares lists the countermeasures in ranking order: the first is the leader
    leader = chart.kind == "first_shares"
    colours = [LEADER if leader and i == 0 else OTHER for i in range(count)]
    axes.barh(rows, values, height=0.62, color=colours, zorder=2)
    if has_range:
        axes.errorbar(
            values,
            rows,
            xerr=np.vstack([np.maximum(values - low, 0), np.maximum(high - values, 0)]),
            fmt="none",
            ecolor=INK,
            elinewidth=0.8,
            capsize=2.5,
            capthick=0.8,
            zorder=3,
        )
    left = min(0.0, float(np.min(low, initial=0.0)))
    right = max(0.0, float(np.max(high, initial=0.0)))
    span = (right - left) or 1.0
    for row, value in enumerate(values):
        if value >= 0:
            axes.text(max(value, high[row]) + span * 0.015, row, _value(value, chart.percent), va="center")
        else:
            axes.text(
                min(value, low[row]) - span * 0.015,
                row,
                _value(value, chart.percent),
                va="center",
                ha="right",
            )
    axes.set_xlim(left - (span * 0.14 if left < 0 else 0), right + span * 0.14)
    axes.set_yticks(rows, labels=list(chart.labels))
    axes.invert_yaxis()
    if leader and count:
        axes.get_yticklabels()[0].set_color(LEADER)
    if left < 0:
        axes.axvline(0, color="#777777", linewidth=0.6, zorder=2)
        axes.spines["left"].set_visible(False)
    axes.xaxis.grid(True, color=GRID, linewidth=0.5)
    axes.set_axisbelow(True)
    if chart.percent:
        _percent_axis(axes.xaxis)
    if chart.axis:
        axes.set_xlabel(chart.axis)


def _legend_columns(chart: Chart) -> int:
    longest = max((sum(2 if ord(c) > 0x2E80 else 1 for c in s.name) for s in chart.series), default=1)
    return max(1, min(4, 96 // max(longest + 6, 1)))


def _lines(figure: Figure, axes: Axes, chart: Chart, lang: Lang) -> None:
    words = _WORDS[lang]
    x = np.asarray(chart.x, dtype=float)
    curves = [np.asarray(s.values, dtype=float) for s in chart.series]
    for i, (series, y) in enumerate(zip(chart.series, curves, strict=True)):
        axes.plot(
            x,
            y,
            color=LINE_COLOURS[i % len(LINE_COLOURS)],
            linestyle=LINE_STYLES[0] if i == 0 else LINE_STYLES[i % len(LINE_STYLES)],
            linewidth=2.0 if i == 0 else 1.1,
            label=series.name,
            zorder=3 if i == 0 else 2,
        )
    if chart.marker is not None:
        axes.axvline(chart.marker, color=INK, linewidth=0.8, linestyle=(0, (4, 3)), zorder=1)
        axes.annotate(
            f"{words['now']} {chart.marker:.0%}",
            xy=(chart.marker, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )
    for cross_x, cross_y in _crossings(x, curves):
        axes.plot(
            [cross_x], [cross_y], marker="o", markersize=4, markerfacecolor="white",
            markeredgecolor=INK, markeredgewidth=0.8, linestyle="none", zorder=4,
        )  # fmt: skip
        axes.annotate(
            f"{cross_x:.0%}",
            xy=(cross_x, cross_y),
            xytext=(0, 6),
            textcoords="offset points",
            ha="center",
            fontsize=7.5,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
            zorder=5,
        )
    if len(x) and x.max() > x.min():
        axes.set_xlim(float(x.min()), float(x.max()))
    _percent_axis(axes.xaxis)
    axes.set_xlabel(words["weight"])
    if chart.axis:
        axes.set_ylabel(chart.axis)
    axes.yaxis.grid(True, color=GRID, linewidth=0.5)
    axes.set_axisbelow(True)
    axes.tick_params(axis="y", length=3)
    figure.legend(
        loc="lower center",
        bbox_to_anchor=(0.5, 0.01),
        ncol=_legend_columns(chart),
        handlelength=2.6,
        columnspacing=1.4,
    )


def _crossings(x: np.ndarray, curves: list[np.ndarray], limit: int = 6) -> list[tuple[float, float]]:
    """Where the leader's line (the first) meets another: the weights at which the order changes."""
    if len(curves) < 2 or len(x) < 2:
        return []
    leader = curves[0]
    found: list[tuple[float, float]] = []
    for other in curves[1:]:
        gap = leader - other
        sign = np.sign(gap)
        steps = np.flatnonzero((sign[:-1] * sign[1:] < 0) | ((sign[1:] == 0) & (sign[:-1] != 0)))
        for k in steps:
            share = gap[k] / (gap[k] - gap[k + 1]) if gap[k] != gap[k + 1] else 0.0
            at = float(x[k] + share * (x[k + 1] - x[k]))
            found.append((at, float(leader[k] + share * (leader[k + 1] - leader[k]))))
    found.sort()
    kept: list[tuple[float, float]] = []
    span = float(x.max() - x.min()) or 1.0
    for point in found:  # one label where several lines cross at nearly the same weight
        if not kept or point[0] - kept[-1][0] > span * 0.04:
            kept.append(point)
    return kept[:limit]
