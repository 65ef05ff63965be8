"""Judgments: which pairwise judgment to revise first, its effect before accepting, one click to accept."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine.insight.coaching import Revision, revision_settings, saaty_text
from ui import boundary, current, decisions, page, state, tables
from ui.format import md, percent, ratio
from ui.i18n import label, local, t

W_NODE = "w:judgments:node"


@boundary.callback
def _accept(node_id: str, count: int) -> None:
    """Accept the first ``count`` steps of the node's revision path (callback of the buttons)."""
    analysis = current.analysis()
    coaching = decisions.coaching(analysis, node_id)
    steps = coaching.path[:count]
    state.set_settings(revision_settings(analysis.settings, node_id, coaching, steps))
    state.reset_sliders()
    state.notify("success", t("judgments.accepted", n=len(steps), cr=ratio(steps[-1].cr_after)))


def revision_text(revision: Revision, names: dict[str, str]) -> str:
    return t(
        "judgments.revision",
        a=md(names[revision.a]),
        b=md(names[revision.b]),
        now=saaty_text(revision.current),
        proposed=saaty_text(revision.proposed),
        before=ratio(revision.cr_before),
        after=ratio(revision.cr_after),
    )


analysis = page.start("judgments")
problem = analysis.problem
names = {node.id: local(node.name) for node in problem.criteria.goal.walk()}
entries = analysis.combined_consistency()

if analysis.settings.weight_source != "ahp":
    st.info(t("judgments.not_ahp"))
st.caption(t("judgments.intro"))
if not entries:
    st.stop()

summary = pd.DataFrame(
    {
        label("node"): [names[c.node_id] for c in entries],
        "CR": [ratio(c.result.cr) for c in entries],
        t("judgments.status"): [
            label("consistent") if c.consistent else t("judgments.inconsistent") for c in entries
        ],
    }
)
tables.show(summary)

worst = max(entries, key=lambda c: c.result.cr)
node_ids = [c.node_id for c in entries]
# until a node is chosen, the least consistent one is shown
node_id = st.selectbox(
    t("judgments.choose"),
    node_ids,
    format_func=names.__getitem__,
    **state.bind(state.JUDGMENTS_NODE, W_NODE, default=worst.node_id, options=node_ids),
)
coaching = decisions.coaching(analysis, node_id)

before, after = st.columns(2)
before.metric(t("judgments.cr_now"), ratio(coaching.cr))
if coaching.consistent:
    st.success(t("judgments.ok", cr=ratio(coaching.cr)))
else:
    first = coaching.first
    final = coaching.path[-1].cr_after if coaching.path else coaching.cr
    after.metric(
        t("judgments.cr_after_path", n=len(coaching.path)),
        ratio(final),
        delta=ratio(final - coaching.cr),
        delta_color="inverse",
    )
    if first is not None:
        st.markdown(f"**{t('judgments.first')}** {revision_text(first, names)}")
        effect = pd.DataFrame(
            {
                label("criterion"): [names[c] for c in coaching.labels],
                t("judgments.weight_before"): [percent(w) for w in first.weights_before],
                t("judgments.weight_after"): [percent(w) for w in first.weights_after],
            }
        )
        tables.show(effect)
        one, all_steps = st.columns(2)
        one.button(
            t("judgments.accept_first"),
            key=f"w:judgments:accept1:{node_id}",
            on_click=_accept,
            args=(node_id, 1),
            type="primary",
        )
        if len(coaching.path) > 1:
            all_steps.button(
                t("judgments.accept_path", n=len(coaching.path)),
                key=f"w:judgments:acceptall:{node_id}",
                on_click=_accept,
                args=(node_id, len(coaching.path)),
            )
    st.markdown(f"**{t('judgments.path')}**")
    st.markdown(
        "\n".join(f"{k}. {revision_text(step, names)}" for k, step in enumerate(coaching.path, start=1))
        or t("judgments.no_path")
    )
    st.markdown(f"**{t('judgments.single')}**")
    tables.show(
        pd.DataFrame(
            {
                label("judgment"): [f"{names[r.a]} / {names[r.b]}" for r in coaching.revisions],
                label("now"): [saaty_text(r.current) for r in coaching.revisions],
                label("proposed"): [saaty_text(r.proposed) for r in coaching.revisions],
                label("cr_after"): [ratio(r.cr_after) for r in coaching.revisions],
            }
        )
    )
    if coaching.triads:
        st.markdown(f"**{t('judgments.triads')}**")
        tables.show(
            pd.DataFrame(
                {
                    t("judgments.triad"): [" → ".join(names[i] for i in tr.items) for tr in coaching.triads],
                    t("judgments.direct"): [saaty_text(tr.direct) for tr in coaching.triads],
                    t("judgments.implied"): [f"{tr.implied:.3g}" for tr in coaching.triads],
                    "Koczkodaj": [ratio(tr.inconsistency) for tr in coaching.triads],
                }
            )
        )
        st.caption(t("judgments.triads_help"))

with st.expander(t("judgments.experts")):
    rows = [
        {
            label("expert"): expert,
            label("node"): names[node],
            "CR": ratio(found.cr),
            t("judgments.first_short"): revision_text(found.first, names) if found.first else "–",
        }
        for expert, node, found in decisions.expert_coaching(analysis)
    ]
    tables.show(pd.DataFrame(rows))
