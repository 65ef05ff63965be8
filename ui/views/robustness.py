"""Robustness: verdicts, rank acceptability (SMAA-2), weight stability intervals, modelling audit."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import streamlit as st

from engine.robustness.study import PERFORMANCE_MODELS, default_weight_model
from ui import page, state, studies
from ui.format import md, method, percent, ratio
from ui.i18n import label, local, t

# the default, ui.state.DEFAULTS[SAMPLES] (20,000), takes about half a second with the judgments model
SAMPLE_CHOICES = (10_000, 20_000, 50_000, 100_000)
HEIGHT_PER_ROW = 30


def choice_label(choice) -> str:
    parts = [method(choice.method)]
    if choice.normalization:
        parts.append(t(f"robustness.norm_{choice.normalization}"))
    if choice.cost:
        parts.append(t(f"robustness.cost_{choice.cost.replace('-', '_')}"))
    return " · ".join(parts)


def acceptability_chart(frame: pd.DataFrame, order: list[str]) -> alt.LayerChart:
    base = alt.Chart(frame).encode(
        x=alt.X("rank:O", title=t("robustness.rank_axis"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("measure:N", sort=order, title=None, axis=alt.Axis(labelLimit=240, labelOverlap=False)),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "share:Q",
            title=t("robustness.share"),
            scale=alt.Scale(scheme="reds", domain=[0, 1]),
            legend=alt.Legend(format="%"),
        ),
        tooltip=[
            alt.Tooltip("measure:N", title=label("measure")),
            alt.Tooltip("rank:O", title=t("robustness.rank_axis")),
            alt.Tooltip("share:Q", title=t("robustness.share"), format=".1%"),
        ],
    )
    labels = base.mark_text(fontSize=11).encode(
        text=alt.Text("share:Q", format=".0%"),
        color=alt.condition("datum.share > 0.5", alt.value("white"), alt.value("black")),
    )
    return (cells + labels).properties(height=HEIGHT_PER_ROW * len(order))


def stability_chart(frame: pd.DataFrame) -> alt.LayerChart:
    order = list(frame["criterion"])
    base = alt.Chart(frame).encode(
        y=alt.Y("criterion:N", sort=order, title=None, axis=alt.Axis(labelLimit=240))
    )
    axis = alt.X("top_low:Q", title=t("robustness.weight_axis"), scale=alt.Scale(domain=[0, 1]))
    top = base.mark_bar(color="#f4a3a3", size=16).encode(
        x=axis,
        x2="top_high:Q",
        tooltip=[
            alt.Tooltip("criterion:N", title=label("criterion")),
            alt.Tooltip("weight:Q", title=label("weight"), format=".3f"),
            alt.Tooltip("top_low:Q", title=t("robustness.top_from"), format=".3f"),
            alt.Tooltip("top_high:Q", title=t("robustness.top_to"), format=".3f"),
        ],
    )
    whole = base.mark_bar(color="#b22222", size=6).encode(x="order_low:Q", x2="order_high:Q")
    now = base.mark_tick(color="black", thickness=2, size=22).encode(x="weight:Q")
    return (top + whole + now).properties(height=HEIGHT_PER_ROW * len(order))


def agreement_chart(frame: pd.DataFrame, order: list[str]) -> alt.LayerChart:
    base = alt.Chart(frame).encode(
        x=alt.X("second:N", sort=order, title=None, axis=alt.Axis(labelAngle=-40, labelLimit=200)),
        y=alt.Y("first:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("tau:Q", title="Kendall τ", scale=alt.Scale(scheme="redblue", domain=[-1, 1])),
        tooltip=[
            alt.Tooltip("first:N", title=t("robustness.choice")),
            alt.Tooltip("second:N", title=t("robustness.choice")),
            alt.Tooltip("tau:Q", title="Kendall τ", format=".2f"),
        ],
    )
    labels = base.mark_text(fontSize=9).encode(text=alt.Text("tau:Q", format=".1f"))
    return (cells + labels).properties(height=22 * len(order))


# --------------------------------------------------------------------------- the page

analysis = page.start("robustness")
problem = analysis.problem
settings = analysis.settings

models = studies.weight_models(settings)
# the sample count is the memo's too, where any count can be typed: offer it here as well
sample_choices = sorted({*SAMPLE_CHOICES, int(st.session_state[state.SAMPLES])})

# labels are bound now: a format function must not depend on state read later
model_labels = {name: t(f"robustness.model_{name}") for name in models}
performance_labels = {name: t(f"robustness.performance_{name}") for name in PERFORMANCE_MODELS}

left, middle, right = st.columns(3)
with left:
    # a judgments model chosen under AHP weights comes back when the weights are AHP's again
    model = st.selectbox(
        t("robustness.weight_model"),
        models,
        format_func=model_labels.__getitem__,
        help=t("robustness.weight_model_help"),
        **state.bind(
            state.ROBUST_MODEL, state.W_ROBUST_MODEL, default=default_weight_model(settings), options=models
        ),
    )
with middle:
    performance = st.selectbox(
        t("robustness.performance"),
        PERFORMANCE_MODELS,
        format_func=performance_labels.__getitem__,
        help=t("robustness.performance_help"),
        **state.bind(
            state.ROBUST_PERFORMANCE,
            state.W_ROBUST_PERFORMANCE,
            default=PERFORMANCE_MODELS[0],
            options=PERFORMANCE_MODELS,
        ),
    )
with right:
    samples = st.selectbox(
        t("robustness.samples"),
        sample_choices,
        format_func=lambda n: f"{n:,}",
        help=t("robustness.samples_help"),
        **state.bind(state.SAMPLES, state.W_ROBUST_SAMPLES, options=sample_choices),
    )

with st.spinner(t("robustness.running")):
    # the overview and the memo show this same study (ui.studies)
    result = studies.study(analysis, studies.resolve(settings, samples, model, performance))
st.caption(t("robustness.sampling", text=local(result.sampling)))

short = [local(item.short) for item in problem.countermeasures]
order = [problem.alternative_ids.index(v.id) for v in result.verdicts]

st.subheader(label("verdicts"))
st.markdown("\n".join(f"- {md(local(v.text))}" for v in result.verdicts))

st.subheader(t("robustness.acceptability"))
st.caption(t("robustness.acceptability_help"))
sm = result.smaa
m = len(short)
cells = pd.DataFrame(
    [
        {"measure": short[i], "rank": r + 1, "share": float(sm.acceptability[i, r])}
        for i in order
        for r in range(m)
    ]
)
st.altair_chart(acceptability_chart(cells, [short[i] for i in order]), width="stretch")
st.dataframe(
    pd.DataFrame(
        {label("measure"): [short[i] for i in order]}
        | {label("rank_n", r=r + 1): [percent(sm.acceptability[i, r]) for i in order] for r in range(m)}
        | {
            t("robustness.confidence"): [
                "–" if math.isnan(sm.confidence[i]) else percent(sm.confidence[i]) for i in order
            ],
            t("robustness.holistic"): [ratio(sm.holistic[i]) for i in order],
        }
    ),
    hide_index=True,
    width="stretch",
)

st.subheader(t("robustness.stability"))
st.caption(t("robustness.stability_help"))
st_result = result.stability
leaf_names = [local(leaf.name) for leaf in problem.leaves]


def who(i: int | None) -> str:
    return "–" if i is None else short[i]


intervals = pd.DataFrame(
    {
        "criterion": leaf_names,
        "weight": [c.weight for c in st_result.criteria],
        "top_low": [c.top_interval[0] for c in st_result.criteria],
        "top_high": [c.top_interval[1] for c in st_result.criteria],
        "order_low": [c.order_interval[0] for c in st_result.criteria],
        "order_high": [c.order_interval[1] for c in st_result.criteria],
    }
)
st.altair_chart(stability_chart(intervals), width="stretch")
st.caption(t("robustness.stability_legend", top=short[st_result.top]))
st.dataframe(
    pd.DataFrame(
        {
            label("criterion"): [
                name + (" ★" if st_result.critical == j else "") for j, name in enumerate(leaf_names)
            ],
            label("weight"): [f"{c.weight:.3f}" for c in st_result.criteria],
            label("top_interval"): [
                f"{c.top_interval[0]:.3f} – {c.top_interval[1]:.3f}" for c in st_result.criteria
            ],
            t("robustness.first_below"): [who(c.top_successors[0]) for c in st_result.criteria],
            t("robustness.first_above"): [who(c.top_successors[1]) for c in st_result.criteria],
            t("robustness.order_interval"): [
                f"{c.order_interval[0]:.3f} – {c.order_interval[1]:.3f}" for c in st_result.criteria
            ],
        }
    ),
    hide_index=True,
    width="stretch",
)
if st_result.critical is not None:
    st.caption(t("robustness.critical", name=leaf_names[st_result.critical]))

st.subheader(label("audit"))
st.caption(t("robustness.audit_help"))
au = result.audit
labels = [choice_label(c) for c in au.choices]
st.dataframe(
    pd.DataFrame(
        {
            t("robustness.choice"): [
                name + (label("current") if k == au.reference else "") for k, name in enumerate(labels)
            ],
            label("order"): [" > ".join(short[i] for i in au.orders[k]) for k in range(len(labels))],
            t("robustness.same_top"): [label("yes") if same else "–" for same in au.same_top],
        }
    ),
    hide_index=True,
    width="stretch",
)
if au.skipped:
    st.caption(t("robustness.skipped", choices="、".join(choice_label(c) for c, _ in au.skipped)))
consensus_borda = " > ".join(short[i] for i in sorted(range(m), key=lambda i: au.borda_ranks[i]))
consensus_copeland = " > ".join(short[i] for i in sorted(range(m), key=lambda i: au.copeland_ranks[i]))
st.markdown(
    f"**{t('robustness.borda')}**: {md(consensus_borda)}  \n"
    f"**{t('robustness.copeland')}**: {md(consensus_copeland)}"
)
pairs = pd.DataFrame(
    [
        {"first": labels[a], "second": labels[b], "tau": float(au.kendall[a, b])}
        for a in range(len(labels))
        for b in range(len(labels))
    ]
)
st.altair_chart(agreement_chart(pairs, labels), width="stretch")
st.caption(t("robustness.agreement_help"))

st.subheader(t("robustness.reversal"))
st.markdown(md(local(result.reversal_note)))
