"""Ranking: the table with changes against the shipped defaults, a chart, and the other methods."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from engine.insight.explain import rank_changes
from engine.mcda.methods import METHODS
from ui import boundary, charts, current, decisions, layout, page, state, studies, tables
from ui.format import method, ratio, score
from ui.i18n import label, local, t


@boundary.callback
def _choose_method() -> None:
    state.set_settings(replace(state.settings(), method=st.session_state[state.W_METHOD], normalization=None))


def change_text(places: int) -> str:
    """▲ n / ▼ n places against the shipped defaults, or a dash when unchanged."""
    if places > 0:
        return t("ranking.up", n=places)
    if places < 0:
        return t("ranking.down", n=-places)
    return "–"


analysis = page.start("ranking")
problem = analysis.problem
settings = analysis.settings

state.mirror(state.W_METHOD, settings.method, options=METHODS)
st.selectbox(
    t("ranking.method"),
    METHODS,
    format_func=method,
    key=state.W_METHOD,
    on_change=_choose_method,
    help=t("ranking.method_help"),
)

score_title = label("score") + ("" if analysis.primary.higher_is_better else label("lower_better"))
changes = rank_changes(analysis, current.baseline())
table, chart = layout.beside(520)
with table:
    st.subheader(t("ranking.table"))
    tables.show(
        pd.DataFrame(
            {
                label("rank"): [entry.rank for entry in analysis.ranking],
                label("measure"): [local(entry.name) for entry in analysis.ranking],
                score_title: [score(entry.score) for entry in analysis.ranking],
                t("ranking.change"): [change_text(changes[entry.id]) for entry in analysis.ranking],
            }
        )
    )
    st.caption(t("ranking.change_help"))
with chart:
    st.subheader(t("ranking.chart"))
    frame = pd.DataFrame(
        {
            "measure": [local(entry.short) for entry in analysis.ranking],
            "score": [entry.score for entry in analysis.ranking],
        }
    )
    charts.draw(
        charts.bars(
            frame,
            label="measure",
            value="score",
            label_title=label("measure"),
            value_title=f"{score_title} ({method(settings.method)})",
            value_format=".4f",
            axis_format=".2f",
        )
    )
    if not analysis.primary.higher_is_better:
        st.caption(t("ranking.lower_is_better"))

st.subheader(t("ranking.methods"))
st.caption(t("ranking.methods_help"))
order = [problem.alternative_ids.index(entry.id) for entry in analysis.ranking]
# short names, as the data page's columns: with the full names (the table above has them) the
# method columns were pushed out of view at 900 px
methods_frame = pd.DataFrame(
    {label("measure"): [local(problem.countermeasure(entry.id).short) for entry in analysis.ranking]}
    | {method(name): [int(result.ranks[i]) for i in order] for name, result in analysis.results.items()}
)
tables.show(methods_frame, column_config=tables.fitted(methods_frame))

st.subheader(t("ranking.agreement"))
tables.show(
    pd.DataFrame(
        {
            t("ranking.pair"): [f"{method(a.first)} – {method(a.second)}" for a in analysis.agreement],
            "Spearman ρ": [ratio(a.spearman) for a in analysis.agreement],
            "Kendall τ": [ratio(a.kendall) for a in analysis.agreement],
            "WS": [ratio(a.ws) for a in analysis.agreement],
        }
    )
)
st.caption(t("ranking.agreement_help"))

decisions.render_explanations(analysis, studies.recommendation(analysis))
