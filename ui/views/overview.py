"""Landing page: the recommendation and how firm it is, the top three and why, the ranking, the weights,
the quality of the judgments, the threat."""

from __future__ import annotations

import streamlit as st

from engine.insight.explain import drivers
from engine.model import Countermeasure, Score, Text
from engine.text import value_text
from ui import charts, layout, page, recommendation, studies, tables
from ui.format import md, ratio
from ui.i18n import label, lang, local, t

THREAT_FACTS = 5

analysis = page.start("overview")
problem = analysis.problem
st.caption(md(local(problem.criteria.name)))

# the recommendation first: who leads, how firmly, what would change it, what it costs
with st.spinner(t("overview.running")):
    recommended = studies.recommendation(analysis)
recommendation.render(recommended, analysis)

st.subheader(t("overview.top_three"))
# the memo's definition: strongest and weakest against the average countermeasure
why = drivers(analysis)
rows = {item_id: row for row, item_id in enumerate(problem.alternative_ids)}


def versus_average(key: str, item: Countermeasure, column: int) -> str:
    leaf = problem.leaves[column]
    average = Score(round(float(why.average[column]), 1), Text("", ""), ())
    return t(
        key,
        criterion=md(local(leaf.name)),
        value=md(value_text(item.scores[leaf.id], leaf, lang(), brief=True)),
        average=md(value_text(average, leaf, lang(), brief=True)),
    )


for entry in analysis.ranking[:3]:
    item = problem.countermeasure(entry.id)
    strengths, weak_spots = why.strengths(rows[entry.id]), why.weak_spots(rows[entry.id])
    parts = [f"**{entry.rank}. {md(local(entry.name))}**"]
    parts += [versus_average("overview.strength", item, j) for j in strengths]
    parts += [versus_average("overview.weak_spot", item, j) for j in weak_spots]
    reason = f"  \n{md(local(item.scores[problem.leaf_ids[strengths[0]]].why))}" if strengths else ""
    st.markdown(" · ".join(parts) + reason)
st.caption(t("overview.drivers_help"))

left, right = layout.beside(440)
with left:
    st.subheader(t("overview.ranking"))
    tables.compact_ranking(analysis)
with right:
    st.subheader(t("overview.weights"))
    charts.draw(charts.leaf_weights(analysis))

st.subheader(t("overview.consistency"))
nodes = {node.id: node for node in problem.criteria.goal.walk()}
if analysis.settings.weight_source != "ahp":
    st.caption(t("overview.consistency_not_used"))
for entry in analysis.combined_consistency():
    colour, verdict = (
        ("green", label("consistent")) if entry.consistent else ("red", t("overview.inconsistent"))
    )
    st.markdown(
        f"{md(local(nodes[entry.node_id].name))}{'：' if lang() == 'zh' else ': '}"
        f":{colour}[**CR {ratio(entry.result.cr)}** · {verdict}]"
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
