"""Experts and groups: each view's weights and ranking side by side, dispersion, consensus, and how
the ranking moves as one group's weight moves."""

from __future__ import annotations

from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

from engine.insight.groups import AGGREGATIONS, stakeholder_groups
from ui import boundary, decisions, page, state, tables
from ui.format import md, percent, ratio
from ui.i18n import label, local, t

W_AGGREGATION = "w:experts:aggregation"
W_GROUP = "w:experts:group"
W_SHARE = "w:experts:share"


@boundary.callback
def _choose_aggregation() -> None:
    state.set_settings(replace(state.settings(), aggregation=st.session_state[W_AGGREGATION]))


analysis = page.start("experts")
problem = analysis.problem
settings = analysis.settings
st.caption(t("experts.intro"))

state.mirror(W_AGGREGATION, settings.aggregation)
st.radio(
    label("aggregation"),
    AGGREGATIONS,
    format_func={a: label(f"aggregation_{a}") for a in AGGREGATIONS}.__getitem__,  # bound now, not later
    key=W_AGGREGATION,
    on_change=_choose_aggregation,
    horizontal=True,
    help=t("experts.aggregation_help"),
)
if settings.weight_source != "ahp":
    st.info(t("experts.not_ahp"))

result = decisions.groups(analysis)
group_names = {g.id: local(g.name) for g in stakeholder_groups(problem.criteria)}
expert_names = {e.id: local(e.name) for e in problem.criteria.experts}
short = {m.id: local(m.short) for m in problem.countermeasures}
# a group of one expert is that expert: one row (and one column) for both, not the same twice
alone = {g.id: g.experts[0] for g in stakeholder_groups(problem.criteria) if len(g.experts) == 1}
views = [result.overall, *result.groups, *(v for v in result.experts if v.id not in alone.values())]


def view_name(view, *, full: bool = False) -> str:
    """The view's name; `full` adds the expert a one-expert group consists of."""
    if view.kind == "all":
        return label("everyone")
    if view.kind == "group":
        name = t("experts.group_label", name=group_names.get(view.id, view.id))
        if full and view.id in alone:
            return t(
                "experts.group_of_one", group=name, expert=expert_names.get(alone[view.id], alone[view.id])
            )
        return name
    return expert_names.get(view.id, view.id)


consensus, spread = st.columns(2)
consensus.metric(t("experts.consensus"), ratio(result.consensus), help=t("experts.consensus_help"))
worst = int(result.cv.argmax())
spread.metric(
    t("experts.most_disputed"),
    local(problem.leaves[worst].name),
    help=t("experts.most_disputed_help", cv=ratio(float(result.cv[worst]))),
)

st.subheader(t("experts.rankings"))
order_rows = []
for view in views:
    order = sorted(range(len(view.ranks)), key=lambda i: (view.ranks[i], i))
    order_rows.append(
        {
            label("view"): view_name(view, full=True),
            t("experts.share"): percent(view.share),
            "CR max": ratio(view.cr_max),
            t("experts.first"): short[problem.alternative_ids[order[0]]],
            label("order"): " > ".join(short[problem.alternative_ids[i]] for i in order),
        }
    )
tables.show(pd.DataFrame(order_rows))
if alone:
    st.caption(t("experts.alone_help"))

st.subheader(t("experts.weights"))
weights = pd.DataFrame(
    {label("criterion"): [local(leaf.name) for leaf in problem.leaves]}
    | {view_name(view): [percent(w) for w in view.weights] for view in views}
    | {
        t("experts.sd"): [percent(s) for s in result.std],
        label("low_high"): [
            f"{percent(lo)} ({expert_names.get(a, a)}) – {percent(hi)} ({expert_names.get(b, b)})"
            for lo, a, hi, b in zip(
                result.low, result.low_expert, result.high, result.high_expert, strict=True
            )
        ],
    }
)
tables.show(weights)

st.subheader(label("whose_view_decides"))
all_groups = stakeholder_groups(problem.criteria)
choices = [g.id for g in all_groups] if len(all_groups) > 1 else []
if not choices:
    st.info(t("experts.one_group"))
    st.stop()
group_id = st.selectbox(
    t("experts.group"),
    choices,
    format_func=group_names.__getitem__,
    **state.bind(state.EXPERTS_GROUP, W_GROUP, default=choices[0], options=choices),
)
try:
    sweep = decisions.sweep(analysis, group_id)
except ValueError as exc:
    st.info(md(str(exc)))
    st.stop()
share = st.slider(
    t("experts.share_of", name=group_names[group_id]),
    0.0,
    1.0,
    step=0.01,
    help=t("experts.share_help"),
    # until it is moved, the slider stands at the group's share in use
    **state.bind(
        state.experts_share_key(group_id),
        f"{W_SHARE}:{group_id}",
        default=round(sweep.current, 2),
        low=0.0,
        high=1.0,
    ),
)
row = round(share * (len(sweep.t) - 1))
order = sorted(range(sweep.ranks.shape[1]), key=lambda i: (sweep.ranks[row, i], i))
st.markdown(
    t(
        "experts.at_share",
        share=percent(sweep.t[row]),
        now=percent(sweep.current),
        order=md(" > ".join(short[problem.alternative_ids[i]] for i in order)),
    )
)
if sweep.switches:
    st.markdown(
        "\n".join(
            "- "
            + t(
                "experts.switch",
                share=percent((lo + hi) / 2),
                before=md(short[problem.alternative_ids[a]]),
                after=md(short[problem.alternative_ids[b]]),
            )
            for lo, hi, a, b in sweep.switches
        )
    )
else:
    st.markdown(t("experts.no_switch", first=md(short[problem.alternative_ids[int(sweep.leaders[0])]])))
lines = pd.DataFrame(
    [
        {
            "share": float(sweep.t[k]),
            "measure": short[problem.alternative_ids[i]],
            "score": float(sweep.scores[k, i]),
        }
        for k in range(len(sweep.t))
        for i in range(sweep.scores.shape[1])
    ]
)
chart = (
    alt.Chart(lines)
    .mark_line()
    .encode(
        x=alt.X(
            "share:Q", title=t("experts.share_axis", name=group_names[group_id]), axis=alt.Axis(format="%")
        ),
        y=alt.Y("score:Q", title=label("score")),
        color=alt.Color("measure:N", title=label("measure")),
        tooltip=[
            alt.Tooltip("measure:N"),
            alt.Tooltip("share:Q", format=".0%"),
            alt.Tooltip("score:Q", format=".4f"),
        ],
    )
)
rule = (
    alt.Chart(pd.DataFrame({"share": [float(sweep.t[row])]})).mark_rule(strokeDash=[4, 4]).encode(x="share:Q")
)
st.altair_chart(chart + rule, width="stretch")
st.caption(t("experts.chart_help"))
