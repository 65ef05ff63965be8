"""Altair charts with titles and labels in the current language (Altair ships with Streamlit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from ui.i18n import label, local

if TYPE_CHECKING:
    from engine.analysis import Analysis

HEIGHT_PER_BAR = 34


def bars(
    frame: pd.DataFrame,
    *,
    label: str,
    value: str,
    label_title: str,
    value_title: str,
    value_format: str,
    axis_format: str | None = None,
) -> alt.Chart:
    """Horizontal bars in the frame's row order (the first row on top).

    `value_format` formats the tooltip, `axis_format` (default: the same) the axis ticks.
    """
    order = list(frame[label])
    return (
        alt.Chart(frame)
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            x=alt.X(
                f"{value}:Q",
                title=value_title,
                axis=alt.Axis(format=axis_format or value_format, tickCount=5),
            ),
            # the labels speak for themselves; a vertical CJK axis title only reads sideways
            y=alt.Y(f"{label}:N", title=None, sort=order, axis=alt.Axis(labelLimit=320)),
            tooltip=[
                alt.Tooltip(f"{label}:N", title=label_title),
                alt.Tooltip(f"{value}:Q", title=value_title, format=value_format),
            ],
        )
        .properties(height=HEIGHT_PER_BAR * len(frame))
    )


NAMED_ROW = 40  # pixels per bar with its name above it


def named_bars(
    frame: pd.DataFrame,
    *,
    label: str,
    value: str,
    label_title: str,
    value_title: str,
    value_format: str,
) -> alt.LayerChart:
    """Horizontal bars with each name written above its bar and the value at its end.

    The names do not take a column of their own, so the bars keep the chart's whole width in a
    narrow column (beside the axis, long English criterion names left no room for the bars), and
    a name longer than the chart is cut at the chart's width, never at a fixed number of pixels.
    """
    order = list(frame[label])
    top = float(frame[value].max()) if len(frame) else 1.0
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{label}:N", sort=order, axis=None, title=None),
        tooltip=[
            alt.Tooltip(f"{label}:N", title=label_title),
            alt.Tooltip(f"{value}:Q", title=value_title, format=value_format),
        ],
    )
    # each bar carries its value, so no axis; the room right of the longest bar is for its value
    x = alt.X(f"{value}:Q", title=value_title, scale=alt.Scale(domain=[0, top * 1.18 or 1.0]), axis=None)
    bars = base.mark_bar(cornerRadiusEnd=3, height=12, yOffset=8).encode(x=x)
    values = base.mark_text(align="left", baseline="middle", dx=4, yOffset=8, fontSize=11).encode(
        x=x, text=alt.Text(f"{value}:Q", format=value_format)
    )
    names = base.mark_text(
        align="left", baseline="middle", yOffset=-7, fontSize=12, limit=alt.ExprRef("width")
    ).encode(x=alt.value(0), text=f"{label}:N")
    return (bars + values + names).properties(height=alt.Step(NAMED_ROW))


def leaf_weights(analysis: Analysis) -> alt.LayerChart:
    """The weights in use, one bar per leaf criterion in tree order."""
    frame = pd.DataFrame(
        {
            "criterion": [local(leaf.name) for leaf in analysis.problem.leaves],
            "weight": [float(w) for w in analysis.weights],
        }
    )
    return named_bars(
        frame,
        label="criterion",
        value="weight",
        label_title=label("criterion"),
        value_title=label("weight"),
        value_format=".0%",
    )
