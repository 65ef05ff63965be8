"""Tables shared by several pages, and the one way every page shows a table."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from engine.analysis import Analysis
from ui.format import score
from ui.i18n import label, local

# the grid's 14 px font: a CJK character is about a square, other characters about half of one;
# the padding is the cell's left and right margins and the header's menu button
_WIDE_PX, _NARROW_PX, _PADDING_PX = 13.0, 6.2, 24
#: The width of the main column in a 1400-pixel window with the sidebar open: a table meant to be
#: read whole fits this (narrower windows scroll what does not fit)
PAGE_WIDTH = 930


def text_width(text: str) -> int:
    """About how many pixels a grid cell or header needs to show ``text`` uncut."""
    wide = sum(unicodedata.east_asian_width(char) in "WF" for char in text)
    return round(wide * _WIDE_PX + (len(text) - wide) * _NARROW_PX) + _PADDING_PX


def fitted(
    frame: pd.DataFrame,
    column_config: Mapping[str, Any] | None = None,
    *,
    most: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Column configuration that gives every column the width its header and cells need.

    Left to itself the grid sizes columns generously and scrolls sideways once they add up to
    more than the page is wide (the ranks by method at 900 px, the score matrix in English at
    1400 px). Widths that just fit keep them in view; the grid shares out any room left over.
    ``most`` caps a column (its header then ends in an ellipsis: give it a ``help`` tooltip).
    """
    config: dict[str, Any] = dict(column_config or {})
    for column in frame.columns:
        entry = dict(config.get(column) or {})
        header = entry.get("label") or str(column)
        need = max([text_width(header), *(text_width(str(value)) for value in frame[column])])
        cap = (most or {}).get(column)
        entry["width"] = min(need, cap) if cap is not None else need
        config[column] = entry
    return config


def show(frame: pd.DataFrame, *, column_config: Mapping[str, Any] | None = None) -> None:
    """A table as tall as its rows, without the index.

    ``st.dataframe`` is ten rows high by default and hides the rest behind a scroll inside the
    table, which readers do not notice: an 11-criterion table lost its last row (风险) that way.
    """
    st.dataframe(frame, hide_index=True, width="stretch", height="content", column_config=column_config)


def compact_ranking(analysis: Analysis) -> None:
    """Rank, name and score for a narrow column: long names wrap instead of being cut, and the
    score stays in view at any width (a static table, not a scrolling grid)."""
    st.table(
        pd.DataFrame(
            {
                label("rank"): [entry.rank for entry in analysis.ranking],
                label("measure"): [local(entry.name) for entry in analysis.ranking],
                label("score"): [score(entry.score) for entry in analysis.ranking],
            }
        ),
        hide_index=True,
    )
