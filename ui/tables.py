"""Tables shared by several pages."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine.analysis import Analysis
from ui.format import score
from ui.i18n import label, local

RANK_WIDTH, SCORE_WIDTH = 56, 72  # pixels


def compact_ranking(analysis: Analysis, *, name_width: int) -> None:
    """Rank, name and score in a narrow column; fixed widths keep the score in view."""
    st.dataframe(
        pd.DataFrame(
            {
                label("rank"): [entry.rank for entry in analysis.ranking],
                label("measure"): [local(entry.name) for entry in analysis.ranking],
                label("score"): [score(entry.score) for entry in analysis.ranking],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            label("rank"): st.column_config.NumberColumn(width=RANK_WIDTH),
            label("measure"): st.column_config.TextColumn(width=name_width),
            label("score"): st.column_config.TextColumn(width=SCORE_WIDTH),
        },
    )
