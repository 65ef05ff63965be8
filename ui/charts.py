"""Charts with titles and labels in the current language, as plain Vega-Lite specifications."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

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
) -> dict[str, Any]:
    """Horizontal bars in the frame's row order (the first row on top), a spec for :func:`draw`.

    `value_format` formats the tooltip, `axis_format` (default: the same) the axis ticks.
    """
    return {
        "data": {"values": frame.to_dict("records")},
        "height": {"step": HEIGHT_PER_BAR},
        "mark": {"type": "bar", "cornerRadiusEnd": 3},
        "encoding": {
            "x": {
                "field": value,
                "type": "quantitative",
                "title": value_title,
                "axis": {"format": axis_format or value_format, "tickCount": 5},
            },
            # the labels speak for themselves; a vertical CJK axis title only reads sideways
            "y": {
                "field": label,
                "type": "nominal",
                "title": None,
                "sort": list(frame[label]),
                "axis": {"labelLimit": 320},
            },
            "tooltip": [
                {"field": label, "type": "nominal", "title": label_title},
                {"field": value, "type": "quantitative", "title": value_title, "format": value_format},
            ],
        },
    }


NAMED_ROW = 40  # pixels per bar with its name above it


def draw(spec: dict[str, Any]) -> None:
    """A Vega-Lite chart as wide as its container.

    Charts drawn on every slider move are plain Vega-Lite dictionaries: building and validating
    the same chart with Altair took about as long as the rest of the weights page together.
    """
    st.vega_lite_chart(spec, width="stretch")


def named_bars(
    frame: pd.DataFrame,
    *,
    label: str,
    value: str,
    label_title: str,
    value_title: str,
    value_format: str,
) -> dict[str, Any]:
    """Horizontal bars, each with its name and value written above it.

    The names do not take a column of their own, so the bars keep the chart's whole width in a
    narrow column (beside the axis, long English criterion names left no room for the bars), and
    a name longer than the chart is cut at the chart's width, never at a fixed number of pixels.
    The specification does not depend on the values (they are data), so when only the values
    change the browser updates the chart it has instead of building a new one.
    """
    return {
        "data": {"values": frame},
        "height": {"step": NAMED_ROW},
        "transform": [
            {
                "calculate": f"datum[{label!r}] + '  ' + format(datum[{value!r}], {value_format!r})",
                "as": "caption",
            }
        ],
        "encoding": {
            "y": {"field": label, "type": "nominal", "sort": list(frame[label]), "axis": None, "title": None},
            "tooltip": [
                {"field": label, "type": "nominal", "title": label_title},
                {"field": value, "type": "quantitative", "title": value_title, "format": value_format},
            ],
        },
        "layer": [
            {
                "mark": {"type": "bar", "cornerRadiusEnd": 3, "height": 12, "yOffset": 8},
                "encoding": {
                    "x": {"field": value, "type": "quantitative", "title": value_title, "axis": None}
                },
            },
            {
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "middle",
                    "yOffset": -7,
                    "fontSize": 12,
                    "limit": {"expr": "width"},
                },
                "encoding": {"x": {"value": 0}, "text": {"field": "caption", "type": "nominal"}},
            },
        ],
    }


def leaf_weights(analysis: Analysis) -> dict[str, Any]:
    """The weights in use, one bar per leaf criterion in tree order (a Vega-Lite spec for :func:`draw`)."""
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


GROUPED_BAR = 9  # pixels per bar of a group
GROUP_GAP = 14  # pixels between two groups


def grouped_bars(
    frame: pd.DataFrame,
    *,
    label: str,
    group: str,
    value: str,
    label_title: str,
    group_title: str,
    value_title: str,
    value_format: str,
) -> dict[str, Any]:
    """Horizontal bars in groups: one group per `label` (in the frame's order), a bar per `group` in
    its own colour, the legend above the chart so it does not take width from the bars."""
    labels = list(dict.fromkeys(frame[label]))
    groups = list(dict.fromkeys(frame[group]))
    return {
        "data": {"values": frame.to_dict("records")},
        "height": len(labels) * (len(groups) * GROUPED_BAR + GROUP_GAP),
        "mark": {"type": "bar", "cornerRadiusEnd": 2},
        "encoding": {
            "y": {
                "field": label,
                "type": "nominal",
                "sort": labels,
                "title": None,
                "axis": {"labelLimit": 220},
                "scale": {"paddingInner": 0.25},
            },
            "yOffset": {"field": group, "type": "nominal", "sort": groups},
            "x": {
                "field": value,
                "type": "quantitative",
                "title": value_title,
                "axis": {"format": value_format, "tickCount": 5},
            },
            "color": {
                "field": group,
                "type": "nominal",
                "sort": groups,
                "title": None,
                "legend": {"orient": "top", "labelLimit": 240},
            },
            "tooltip": [
                {"field": label, "type": "nominal", "title": label_title},
                {"field": group, "type": "nominal", "title": group_title},
                {"field": value, "type": "quantitative", "title": value_title, "format": value_format},
            ],
        },
    }
