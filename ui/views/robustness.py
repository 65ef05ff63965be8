"""Robustness: verdicts, rank acceptability (SMAA-2), weight stability intervals, modelling audit."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from engine.robustness.study import PERFORMANCE_MODELS, default_weight_model
from ui import charts, layout, page, state, studies, tables
from ui.format import md, method, percent, ratio
from ui.i18n import label, local, t

# the default, ui.state.DEFAULTS[SAMPLES] (20,000), takes about half a second with the judgments model
SAMPLE_CHOICES = (10_000, 20_000, 50_000, 100_000)
# rows are sized by the step: a total height would include the axis labels, and angled ones took
# half of it, squeezing 18 rows into 13 pixels each
ROW = 30  # pixels
AGREEMENT_ROW = 24
CHOICE_WIDTH = 290  # pixels: three fit beside each other at 1400 pixels, one a row at 900


def choice_label(choice) -> str:
    parts = [method(choice.method)]
    if choice.normalization:
        parts.append(t(f"robustness.norm_{choice.normalization}"))
    if choice.cost:
        parts.append(t(f"robustness.cost_{choice.cost.replace('-', '_')}"))
    return " · ".join(parts)


def acceptability_chart(frame: pd.DataFrame, order: list[str]) -> dict[str, Any]:
    cell = {"field": "share", "type": "quantitative"}
    return {
        "data": {"values": frame.to_dict("records")},
        "height": {"step": ROW},
        "encoding": {
            "x": {
                "field": "rank",
                "type": "ordinal",
                "title": t("robustness.rank_axis"),
                "axis": {"labelAngle": 0},
            },
            "y": {
                "field": "measure",
                "type": "nominal",
                "sort": order,
                "title": None,
                "axis": {"labelLimit": 240, "labelOverlap": False},
            },
        },
        "layer": [
            {
                "mark": "rect",
                "encoding": {
                    "color": {
                        **cell,
                        "title": t("robustness.share"),
                        "scale": {"scheme": "reds", "domain": [0, 1]},
                        # below the cells, which keep the width in a narrow window
                        "legend": {
                            "format": "%",
                            "orient": "bottom",
                            "direction": "horizontal",
                            "gradientLength": 200,
                        },
                    },
                    "tooltip": [
                        {"field": "measure", "type": "nominal", "title": label("measure")},
                        {"field": "rank", "type": "ordinal", "title": t("robustness.rank_axis")},
                        {**cell, "title": t("robustness.share"), "format": ".1%"},
                    ],
                },
            },
            {
                "mark": {"type": "text", "fontSize": 11},
                "encoding": {
                    "text": {**cell, "format": ".0%"},
                    "color": {"condition": {"test": "datum.share > 0.5", "value": "white"}, "value": "black"},
                },
            },
        ],
    }


def stability_chart(frame: pd.DataFrame) -> dict[str, Any]:
    def weight(field: str) -> dict[str, Any]:
        return {"field": field, "type": "quantitative"}

    return {
        "data": {"values": frame.to_dict("records")},
        "height": {"step": ROW},
        "encoding": {
            "y": {
                "field": "criterion",
                "type": "nominal",
                "sort": list(frame["criterion"]),
                "title": None,
                "axis": {"labelLimit": 240},
            }
        },
        "layer": [
            {
                "mark": {"type": "bar", "color": "#f4a3a3", "size": 16},
                "encoding": {
                    "x": {
                        **weight("top_low"),
                        "title": t("robustness.weight_axis"),
                        "scale": {"domain": [0, 1]},
                    },
                    "x2": weight("top_high"),
                    "tooltip": [
                        {"field": "criterion", "type": "nominal", "title": label("criterion")},
                        {**weight("weight"), "title": label("weight"), "format": ".3f"},
                        {**weight("top_low"), "title": t("robustness.top_from"), "format": ".3f"},
                        {**weight("top_high"), "title": t("robustness.top_to"), "format": ".3f"},
                    ],
                },
            },
            {
                "mark": {"type": "bar", "color": "#b22222", "size": 6},
                "encoding": {"x": weight("order_low"), "x2": weight("order_high")},
            },
            {
                "mark": {"type": "tick", "color": "black", "thickness": 2, "size": 22},
                "encoding": {"x": weight("weight")},
            },
        ],
    }


def agreement_chart(frame: pd.DataFrame, rows: list[str], columns: list[str], current: int) -> dict[str, Any]:
    """Kendall τ of every pair of modelling choices, numbered as in the audit table.

    Full labels on both axes left room for 3 of 18 column labels; the columns carry the number
    only, the rows the number and the method, and the tooltip both full labels.
    """

    def bold(name: str) -> dict[str, Any]:
        """The choice in use in bold."""
        return {
            "labelFontWeight": {
                "condition": {"test": f"datum.value == '{name}'", "value": "bold"},
                "value": "normal",
            }
        }

    tau = {"field": "tau", "type": "quantitative"}
    return {
        "data": {"values": frame.to_dict("records")},
        "height": {"step": AGREEMENT_ROW},
        "encoding": {
            "x": {
                "field": "column",
                "type": "nominal",
                "sort": columns,
                "title": None,
                "axis": {"labelAngle": 0, "labelOverlap": False, "orient": "top", **bold(columns[current])},
            },
            "y": {
                "field": "row",
                "type": "nominal",
                "sort": rows,
                "title": None,
                "axis": {"labelOverlap": False, "labelLimit": 160, **bold(rows[current])},
            },
        },
        "layer": [
            {
                "mark": "rect",
                "encoding": {
                    "color": {
                        **tau,
                        "title": "Kendall τ",
                        "scale": {"scheme": "redblue", "domain": [-1, 1]},
                        "legend": {"orient": "bottom", "direction": "horizontal", "gradientLength": 200},
                    },
                    "tooltip": [
                        {"field": "first", "type": "nominal", "title": t("robustness.choice")},
                        {"field": "second", "type": "nominal", "title": t("robustness.choice")},
                        {**tau, "title": "Kendall τ", "format": ".2f"},
                    ],
                },
            },
            {
                "mark": {"type": "text", "fontSize": 9},
                "encoding": {
                    "text": {**tau, "format": ".1f"},
                    "color": {
                        "condition": {"test": "abs(datum.tau) > 0.6", "value": "white"},
                        "value": "black",
                    },
                },
            },
        ],
    }


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

left, middle, right = layout.row_of(3, CHOICE_WIDTH)
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

running = t("robustness.running", samples=f"{samples:,}")
with st.spinner(running, show_time=True):
    bar = st.empty()
    # the overview and the memo show this same study (ui.studies); the bar says how far it is
    result = studies.study_reporting(
        analysis,
        studies.resolve(settings, samples, model, performance),
        lambda share: bar.progress(share, text=f"{running} {share:.0%}"),
    )
    bar.empty()
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
charts.draw(acceptability_chart(cells, [short[i] for i in order]))
tables.show(
    pd.DataFrame(
        {label("measure"): [short[i] for i in order]}
        | {label("rank_n", r=r + 1): [percent(sm.acceptability[i, r]) for i in order] for r in range(m)}
        | {
            t("robustness.confidence"): [
                "–" if math.isnan(sm.confidence[i]) else percent(sm.confidence[i]) for i in order
            ],
            t("robustness.holistic"): [ratio(sm.holistic[i]) for i in order],
        }
    )
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
charts.draw(stability_chart(intervals))
st.caption(t("robustness.stability_legend", top=short[st_result.top]))
tables.show(
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
    )
)
if st_result.critical is not None:
    st.caption(t("robustness.critical", name=leaf_names[st_result.critical]))
st.caption(t("robustness.move_weights"))

st.subheader(label("audit"))
st.caption(t("robustness.audit_help"))
au = result.audit
labels = [choice_label(c) for c in au.choices]
tables.show(
    pd.DataFrame(
        {
            "#": list(range(1, len(labels) + 1)),
            t("robustness.choice"): [
                name + (label("current") if k == au.reference else "") for k, name in enumerate(labels)
            ],
            label("order"): [" > ".join(short[i] for i in au.orders[k]) for k in range(len(labels))],
            t("robustness.same_top"): [label("yes") if same else "–" for same in au.same_top],
        }
    )
)
if au.skipped:
    st.caption(t("robustness.skipped", choices="、".join(choice_label(c) for c, _ in au.skipped)))
consensus_borda = " > ".join(short[i] for i in sorted(range(m), key=lambda i: au.borda_ranks[i]))
consensus_copeland = " > ".join(short[i] for i in sorted(range(m), key=lambda i: au.copeland_ranks[i]))
st.markdown(
    f"**{t('robustness.borda')}**: {md(consensus_borda)}  \n"
    f"**{t('robustness.copeland')}**: {md(consensus_copeland)}"
)
rows = [f"{k + 1} {method(c.method)}" for k, c in enumerate(au.choices)]
columns = [str(k + 1) for k in range(len(labels))]
pairs = pd.DataFrame(
    [
        {
            "row": rows[a],
            "column": columns[b],
            "first": f"{a + 1} {labels[a]}",
            "second": f"{b + 1} {labels[b]}",
            "tau": float(au.kendall[a, b]),
        }
        for a in range(len(labels))
        for b in range(len(labels))
    ]
)
charts.draw(agreement_chart(pairs, rows, columns, au.reference))
st.caption(t("robustness.agreement_help"))

st.subheader(t("robustness.reversal"))
st.markdown(md(local(result.reversal_note)))
