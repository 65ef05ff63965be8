"""Landing page: the current ranking, the top three and why, the weights, consistency, the threat."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine.explain import strongest_criteria
from ui import charts, page
from ui.format import md, method, percent, ratio, score
from ui.i18n import local, t

THREAT_FACTS = 5

analysis = page.start("overview")
problem = analysis.problem
leaves = {leaf.id: leaf for leaf in problem.leaves}
st.caption(md(local(problem.criteria.name)))

top = analysis.ranking[0]
worst = max(analysis.combined_consistency(), key=lambda c: c.result.cr, default=None)
first, second, third = st.columns(3)
first.metric(t("overview.top_measure"), md(local(top.short)), help=md(local(top.name)))
second.metric(
    t("overview.top_score", method=method(analysis.settings.method)),
    score(top.score),
    help=t("ranking.lower_is_better") if not analysis.primary.higher_is_better else None,
)
if worst is not None:
    third.metric(
        t("overview.largest_cr"),
        ratio(worst.result.cr),
        delta=t("overview.consistent") if worst.consistent else t("overview.inconsistent"),
        delta_color="green" if worst.consistent else "red",
        delta_arrow="off",
    )

st.subheader(t("overview.top_three"))
strongest = dict(zip(problem.alternative_ids, strongest_criteria(problem, analysis.weights), strict=True))
for entry in analysis.ranking[:3]:
    leaf_id = strongest[entry.id]
    reason = problem.countermeasure(entry.id).scores[leaf_id].why
    strength = t(
        "overview.strongest",
        criterion=md(local(leaves[leaf_id].name)),
        weight=percent(analysis.weight_of(leaf_id)),
    )
    st.markdown(f"**{entry.rank}. {md(local(entry.name))}** · {strength}  \n{md(local(reason))}")

left, right = st.columns([1, 1], gap="large")
with left:
    st.subheader(t("overview.ranking"))
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
    )
with right:
    st.subheader(t("overview.weights"))
    weights = pd.DataFrame(
        {
            "criterion": [local(leaf.name) for leaf in problem.leaves],
            "weight": [float(w) for w in analysis.weights],
        }
    )
    st.altair_chart(
        charts.bars(
            weights,
            label="criterion",
            value="weight",
            label_title=t("table.criterion"),
            value_title=t("table.weight"),
            value_format=".0%",
        ),
        width="stretch",
    )

st.subheader(t("overview.consistency"))
nodes = {node.id: node for node in problem.criteria.goal.walk()}
if analysis.settings.weight_source != "ahp":
    st.caption(t("overview.consistency_not_used"))
for entry in analysis.combined_consistency():
    colour, verdict = (
        ("green", t("overview.consistent")) if entry.consistent else ("red", t("overview.inconsistent"))
    )
    st.markdown(
        f"{md(local(nodes[entry.node_id].name))}: :{colour}[**CR {ratio(entry.result.cr)}** · {verdict}]"
    )
st.caption(t("overview.cr_rule"))

st.subheader(t("overview.threat"))
facts = [fact for fact in problem.evidence.facts if fact.topic == "threat"][:THREAT_FACTS]
for fact in facts:
    st.markdown(f"> {md(fact.quote)}")
    st.caption(f"{fact.id} · {md(local(fact.summary))}")
st.caption(
    t("overview.source", title=md(local(problem.evidence.title)), publisher=md(problem.evidence.publisher))
)
