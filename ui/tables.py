"""Tables shared by several pages."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine.analysis import Analysis
from ui.format import score
from ui.i18n import local, t

RANK_WIDTH, SCORE_WIDTH = 56, 72  # pixels


def compact_ranking(analysis: Analysis, *, name_width: int) -> None:
    """Rank, name and score in a narrow column; fixed widths keep the score in view."""
    st.dataframe(
        pd.DataFrame(
            {
                t("table.rank"): [entry.rank for entry in analysis.ranking],
                t("table.measure"): [local(entry.name) for entry in analysis.ranking],
                t("table.score"): [score(entry.score) for entry in analysis.ranking],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            t("table.rank"): st.column_config.NumberColumn(width=RANK_WIDTH),
            t("table.measure"): st.column_config.TextColumn(width=name_width),
            t("table.score"): st.column_config.TextColumn(width=SCORE_WIDTH),
        },
    )
