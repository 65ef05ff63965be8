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


def leaf_weights(analysis: Analysis) -> alt.Chart:
    """The weights in use, one bar per leaf criterion in tree order."""
    frame = pd.DataFrame(
        {
            "criterion": [local(leaf.name) for leaf in analysis.problem.leaves],
            "weight": [float(w) for w in analysis.weights],
        }
    )
    return bars(
        frame,
        label="criterion",
        value="weight",
        label_title=label("criterion"),
        value_title=label("weight"),
        value_format=".0%",
    )
