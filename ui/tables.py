"""Tables shared by several pages, and the one way every page shows a table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from engine.analysis import Analysis
from ui.format import score
from ui.i18n import label, local


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
