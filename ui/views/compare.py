"""Compare: two to four saved scenarios side by side, their leaders and how firm, the rankings with
the moves against the first scenario chosen, the weights, and the cost of each one's top three.

The choice is the plain session key ``ui.state.COMPARE_SCENARIOS`` (:mod:`ui.comparison`), so it
survives page switches and the memo page can include the same comparison.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from engine.store import Scenario
from engine.text import money, money_range, share
from ui import charts, comparison, page, state, tables, workspace
from ui.format import md, method, percent
from ui.i18n import label, lang, local, t
from ui.recommendation import FIRMNESS_COLOURS
from ui.sidebar import weight_source

W_CHOICE = "w:compare:scenarios"
UP = "background-color: #e6f4ea; color: #137333; font-weight: 600"
DOWN = "background-color: #fce8e6; color: #a50e0e; font-weight: 600"


def _keep_choice() -> None:
    st.session_state[state.COMPARE_SCENARIOS] = tuple(st.session_state[W_CHOICE])


def rank_text(rank: int, change: int) -> str:
    """ "4 ▼3": the rank and its move against the first scenario (arrows, so it reads without colour)."""
    if change > 0:
        return f"{rank} ▲{change}"
    if change < 0:
        return f"{rank} ▼{-change}"
    return str(rank)


def _names(document: dict[str, Any]) -> list[str]:
    """Column titles: the scenario names, kept apart from the countermeasure column's title."""
    taken = {label("measure"), label("criterion")}
    return [s["name"] + (" " if s["name"] in taken else "") for s in document["scenarios"]]


def _short(entry: dict[str, Any]) -> str:
    try:
        return local(problem.countermeasure(entry["id"]).short)
    except KeyError:
        return entry["name"][lang()]


def _card(scenario: Scenario, rec, cost: dict[str, float] | None, is_open: bool) -> None:
    title = f"**{md(scenario.name)}**"
    if is_open:
        title += f"  :blue-badge[{t('compare.open')}]"
    st.markdown(title)
    st.caption(
        f"{method(scenario.settings.method)} · {weight_source(problem, scenario.settings)}  \n"
        + t("compare.updated", when=scenario.updated[:16].replace("T", " "))
    )
    colour = FIRMNESS_COLOURS[rec.firmness]
    leader = md(rec.names[rec.leader].get(lang()))
    st.markdown(
        f"{t('compare.leader')}{'：' if lang() == 'zh' else ': '}**{leader}**  \n"
        f":{colour}-background[:{colour}[{t(f'overview.firmness_{rec.firmness}')}]] "
        + t("compare.share", share=share(rec.share_first.leader)),
        help=t("overview.firmness_help"),
    )
    if cost is not None:
        st.markdown(
            t(
                "compare.cost",
                value=money(cost["value"], lang()),
                range=money_range(cost["low"], cost["high"], lang()),
            )
        )
    if scenario.note:
        st.caption(md(scenario.note))


def _rankings(document: dict[str, Any]) -> None:
    names = _names(document)
    frame = pd.DataFrame(
        {
            # short names keep every scenario's column in view in a narrow window
            label("measure"): [_short(entry) for entry in document["ranking"]],
            **{
                name: [rank_text(e["ranks"][j], e["change"][j]) for e in document["ranking"]]
                for j, name in enumerate(names)
            },
        }
    )
    moves = pd.DataFrame(
        {name: [e["change"][j] for e in document["ranking"]] for j, name in enumerate(names)}
    )

    def colours(shown: pd.DataFrame) -> pd.DataFrame:
        css = pd.DataFrame("", index=shown.index, columns=shown.columns)
        for name in names:
            css[name] = [UP if m > 0 else DOWN if m < 0 else "" for m in moves[name]]
        return css

    tables.show(frame.style.apply(colours, axis=None))  # type: ignore[arg-type]
    st.caption(t("compare.rank_help", first=md(document["scenarios"][0]["name"])))


def _weights(document: dict[str, Any]) -> None:
    names = _names(document)
    rows = document["weights"]
    table = pd.DataFrame(
        {
            label("criterion"): [row["name"][lang()] for row in rows],
            **{name: [percent(row["weights"][j]) for row in rows] for j, name in enumerate(names)},
        }
    )
    left, right = st.columns([2, 3], gap="large")
    with left:
        tables.show(table)
    with right:
        long = pd.DataFrame(
            [
                {"criterion": row["name"][lang()], "scenario": name, "weight": row["weights"][j]}
                for row in rows
                for j, name in enumerate(names)
            ]
        )
        charts.draw(
            charts.grouped_bars(
                long,
                label="criterion",
                group="scenario",
                value="weight",
                label_title=label("criterion"),
                group_title=t("compare.scenario"),
                value_title=label("weight"),
                value_format=".0%",
            )
        )


analysis = page.start("compare")
store = workspace.store()
project = workspace.project_id()
summaries = store.scenarios(project)
open_id = workspace.current().id
problem = store.problem(project)

if len(summaries) < comparison.MIN:
    st.info(t("compare.too_few", page=t("nav.scenarios")))
    st.stop()

by_id = {s.scenario.id: s.scenario for s in summaries}
st.session_state[W_CHOICE] = comparison.chosen(summaries, open_id)
st.multiselect(
    t("compare.choose"),
    list(by_id),
    format_func=lambda scenario_id: by_id[scenario_id].name,
    max_selections=comparison.MAX,
    key=W_CHOICE,
    on_change=_keep_choice,
    help=t("compare.choose_help"),
)
ids = comparison.chosen(summaries, open_id)
if len(ids) < comparison.MIN:
    st.info(t("compare.choose_more"))
    st.stop()

compared = comparison.key([by_id[i] for i in ids], st.session_state[state.SAMPLES])
with st.spinner(t("compare.running", n=len(ids))):
    document = comparison.document(compared)
    recs = comparison.recommendations(compared)

costs = document.get("costs") or {}
for column, scenario_id, rec, j in zip(
    st.columns(len(ids), border=True), ids, recs, range(len(ids)), strict=True
):
    with column:
        _card(by_id[scenario_id], rec, costs["top"][j] if costs else None, scenario_id == open_id)
samples = f"{compared.samples:,}"
st.caption(t("compare.firmness_help", samples=samples) + " " + (t("compare.cost_help") if costs else ""))

st.subheader(t("compare.rankings"))
_rankings(document)

st.subheader(t("compare.weights"))
_weights(document)
st.caption(t("compare.memo_hint", memo=t("nav.memo")))
