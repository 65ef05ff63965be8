"""Weight sensitivity on the weights page: every countermeasure's score and rank as one criterion's
weight sweeps 0 -> 1 (the other weights keep their proportions), who overtakes whom where, and a
slider that sets that weight for the whole app.

It sits on the weights page, not the robustness page, because moving the weight changes the
settings: here that costs one analysis, on the robustness page every move would also redraw the
robustness study (100,000 samples on request) that the page is built on. The numbers come from
:func:`engine.robustness.sweep.weight_sweeps`; the slider writes the same manual weights as the
direct sliders, so every page ranks with them and they survive page switches.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from engine.analysis import Analysis
from engine.mcda.registry import get
from engine.robustness.stability import weight_path
from engine.robustness.sweep import Crossing, WeightSweep, weight_sweeps
from engine.settings import Settings
from ui import boundary, current, state, tables
from ui.format import md, percent
from ui.i18n import label, local, t

SWEEP_POINTS = 201
WEIGHT_STEP = 0.1  # percentage points on the slider
AXES = ("score", "rank")
CHART_HEIGHT = 360
FIRST_COLOUR = "#b22222"
# the y title above the axis, level: a vertical CJK title only reads sideways
LEVEL_TITLE = {"titleAngle": 0, "titleAlign": "left", "titleBaseline": "bottom", "titleX": 0, "titleY": -8}


@st.cache_resource(show_spinner=False, max_entries=32)
def _sweeps(sources: tuple, settings: Settings, _analysis: Analysis) -> tuple[WeightSweep, ...]:
    problem = _analysis.problem
    options = get(settings.method).configured(settings)
    options["normalization"] = _analysis.normalization
    return weight_sweeps(
        problem.matrix,
        _analysis.weights,
        problem.directions,
        method=settings.method,
        options=options,
        points=SWEEP_POINTS,
    )


def sweeps(analysis: Analysis) -> tuple[WeightSweep, ...]:
    """Every criterion's sweep under the analysis' method and weights, cached."""
    return _sweeps(current.source_key(analysis.problem), analysis.settings, analysis)


def most_critical(found: tuple[WeightSweep, ...]) -> int:
    """The criterion whose smallest weight change changes the first place; the heaviest if none does."""
    margins = np.array([sweep.margin for sweep in found])
    if np.isfinite(margins).any():
        return int(np.argmin(margins))
    return int(np.argmax([sweep.weight for sweep in found]))


def beyond(crossing: Crossing, start: float) -> float:
    """A weight just past `crossing` seen from `start`, to the 0.1 percentage point, within [0, 1]."""
    if crossing.weight > start:
        return min(1.0, math.floor(crossing.weight * 1000 + 1) / 1000)
    return max(0.0, math.ceil(crossing.weight * 1000 - 1) / 1000)


@boundary.callback
def _set_weight(leaf_id: str, weight: float | None = None) -> None:
    """Give `leaf_id` the slider's weight (or `weight`), the other criteria keeping their proportions."""
    analysis = current.analysis()
    leaf_ids = analysis.problem.leaf_ids
    if weight is None:
        weight = float(st.session_state[state.W_SENSITIVITY_WEIGHT]) / 100
    moved = weight_path(analysis.weights, [leaf_ids.index(leaf_id)], [weight])[0]
    state.set_settings(
        state.settings().with_manual_weights(dict(zip(leaf_ids, map(float, moved), strict=True)))
    )
    state.reset_sliders()
    # the criterion stays chosen although another may now be the most critical
    st.session_state[state.SENSITIVITY_CRITERION] = leaf_id


def change_text(crossing: Crossing, sweep: WeightSweep, names: list[str]) -> str:
    """What happens when the weight moves from where it is across `crossing`, as a sentence."""
    overtaker, overtaken = crossing.overtaker(sweep.weight)
    place = t("sensitivity.first") if crossing.place == 1 else t("sensitivity.place", n=crossing.place)
    return t(
        "sensitivity.up" if crossing.weight > sweep.weight else "sensitivity.down",
        weight=percent(crossing.weight),
        overtaker=names[overtaker],
        overtaken=names[overtaken],
        place=place,
    )


def highlighted(sweep: WeightSweep) -> list[Crossing]:
    """The crossings worth a sentence: the nearest on each side, and the nearest changes of first place."""
    found = [*sweep.nearest(), *sweep.nearest(place=1)]
    unique = {c.weight: c for c in found if c is not None}
    return [unique[w] for w in sorted(unique)]


def chart(
    sweep: WeightSweep, names: list[str], order: list[int], axis: str, criterion: str
) -> alt.LayerChart:
    """Lines of every countermeasure along the sweep, the current weight, and the crossings."""
    m = len(names)
    by_rank = axis == "rank"
    lines = pd.DataFrame(
        {
            "weight": np.repeat(sweep.t, m),
            "measure": np.tile(names, len(sweep.t)),
            "score": sweep.scores.ravel(),
            "rank": sweep.ranks.ravel(),
        }
    )
    score_title = label("score") + ("" if sweep.higher_is_better else label("lower_better"))
    if by_rank:
        y = alt.Y(
            "rank:Q",
            title=label("rank"),
            scale=alt.Scale(domain=[m + 0.3, 0.7], nice=False),
            axis=alt.Axis(values=list(range(1, m + 1)), format="d", grid=False, **LEVEL_TITLE),
        )
    else:
        # better is up for every method (VIKOR's Q, lower is better, is drawn upside down)
        y = alt.Y(
            "score:Q",
            title=score_title,
            scale=alt.Scale(zero=False, reverse=not sweep.higher_is_better),
            axis=alt.Axis(**LEVEL_TITLE),
        )
    x = alt.X(
        "weight:Q",
        title=t("sensitivity.weight_axis", name=criterion),
        scale=alt.Scale(domain=[0, 1], nice=False),
        axis=alt.Axis(format="%", tickCount=10),
    )
    legend_order = [names[i] for i in order]
    colour = alt.Color(
        "measure:N",
        title=None,
        sort=legend_order,
        scale=alt.Scale(domain=legend_order, scheme="tableau10" if m <= 10 else "category20"),
        # two columns fit the English names in a 440-pixel column too
        legend=alt.Legend(orient="bottom", columns=2, labelLimit=220, symbolType="stroke"),
    )
    # the crossings crowd where weights are small: the weight axis zooms with the wheel and pans
    zoom = alt.selection_interval(bind="scales", encodings=["x"])
    drawn = (
        alt.Chart(lines)
        .add_params(zoom)
        .mark_line(strokeWidth=2, interpolate="step-after" if by_rank else "linear")
        .encode(
            x=x,
            y=y,
            color=colour,
            tooltip=[
                alt.Tooltip("measure:N", title=label("measure")),
                alt.Tooltip("weight:Q", title=label("weight"), format=".1%"),
                alt.Tooltip("score:Q", title=score_title, format=".4f"),
                alt.Tooltip("rank:Q", title=label("rank")),
            ],
        )
    )
    now = pd.DataFrame(
        {"weight": [sweep.weight], "text": [t("sensitivity.now", weight=percent(sweep.weight))]}
    )
    rule = alt.Chart(now).mark_rule(color="black", strokeDash=[5, 4]).encode(x="weight:Q")
    rule_text = (
        alt.Chart(now)
        .mark_text(align="left", baseline="top", dx=4, dy=2, fontWeight="bold")
        .encode(x="weight:Q", y=alt.value(0), text="text:N")
    )
    layers = drawn + rule + rule_text
    if sweep.crossings:
        points = pd.DataFrame(
            {
                "weight": [c.weight for c in sweep.crossings],
                "score": [
                    float(np.interp(c.weight, sweep.t, sweep.scores[:, c.above])) for c in sweep.crossings
                ],
                "rank": [c.place + 0.5 for c in sweep.crossings],
                "first": [c.place == 1 for c in sweep.crossings],
                "change": [change_text(c, sweep, names) for c in sweep.crossings],
                "leader": [
                    t("sensitivity.leads", name=names[c.overtaker(sweep.weight)[0]]) if c.place == 1 else ""
                    for c in sweep.crossings
                ],
            }
        )
        marks = (
            alt.Chart(points)
            .mark_point(filled=True, stroke="white", strokeWidth=1)
            .encode(
                x="weight:Q",
                y=alt.Y(f"{axis}:Q"),
                size=alt.condition("datum.first", alt.value(140), alt.value(45)),
                color=alt.condition("datum.first", alt.value(FIRST_COLOUR), alt.value("#555555")),
                tooltip=[alt.Tooltip("change:N", title=t("sensitivity.change"))],
            )
        )
        leaders = (
            alt.Chart(points)
            .transform_filter("datum.first")
            .mark_text(dy=-14, fontWeight="bold", color=FIRST_COLOUR)
            .encode(x="weight:Q", y=alt.Y(f"{axis}:Q"), text="leader:N")
        )
        layers = layers + marks + leaders
    return layers.properties(height=CHART_HEIGHT)


def _crossing_table(sweep: WeightSweep, names: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            label("weight"): [percent(c.weight) for c in sweep.crossings],
            t("sensitivity.change"): [change_text(c, sweep, names) for c in sweep.crossings],
            t("sensitivity.distance"): [f"{100 * (c.weight - sweep.weight):+.1f}" for c in sweep.crossings],
        }
    )


def render(analysis: Analysis) -> None:
    """The section: criterion, chart, the nearest changes with a button each, the slider, all crossings."""
    problem = analysis.problem
    st.subheader(t("sensitivity.title"))
    leaf_ids = problem.leaf_ids
    if len(leaf_ids) < 2:
        st.info(t("sensitivity.one_criterion"))
        return
    found = sweeps(analysis)
    critical = most_critical(found)
    # labels are bound now: a format function must not depend on state read later
    criteria = {leaf.id: local(leaf.name) for leaf in problem.leaves}
    options = {
        leaf_id: name + (" ★" if j == critical else "") for j, (leaf_id, name) in enumerate(criteria.items())
    }
    axes = {axis: label(axis) for axis in AXES}
    pick, show = st.columns([3, 2], vertical_alignment="bottom")
    leaf_id = pick.selectbox(
        label("criterion"),
        leaf_ids,
        format_func=options.__getitem__,
        help=t("sensitivity.criterion_help"),
        **state.bind(
            state.SENSITIVITY_CRITERION,
            state.W_SENSITIVITY_CRITERION,
            default=leaf_ids[critical],
            options=leaf_ids,
        ),
    )
    axis = (
        show.segmented_control(
            t("sensitivity.axis"),
            list(axes),
            format_func=axes.__getitem__,
            required=True,
            **state.bind(state.SENSITIVITY_AXIS, state.W_SENSITIVITY_AXIS, default="score", options=AXES),
        )
        or "score"
    )
    sweep = found[leaf_ids.index(leaf_id)]
    name = criteria[leaf_id]
    names = [local(item.short) for item in problem.countermeasures]
    order = [problem.alternative_ids.index(entry.id) for entry in analysis.ranking]
    state.mirror(state.W_SENSITIVITY_WEIGHT, round(100 * sweep.weight, 1), low=0.0, high=100.0)
    st.slider(
        t("sensitivity.weight", name=md(name)),
        min_value=0.0,
        max_value=100.0,
        step=WEIGHT_STEP,
        format="%.1f%%",
        key=state.W_SENSITIVITY_WEIGHT,
        on_change=_set_weight,
        args=(leaf_id,),
        help=t("sensitivity.weight_help"),
    )
    st.altair_chart(chart(sweep, names, order, axis, name), width="stretch")
    st.caption(t("sensitivity.chart_help"))
    worst = found[critical]
    if math.isfinite(worst.margin):
        st.caption(
            t(
                "sensitivity.critical",
                name=md(criteria[leaf_ids[critical]]),
                change=f"{100 * worst.margin:.1f}",
            )
        )
    if not sweep.crossings:
        st.markdown(
            t("sensitivity.no_crossing", name=md(name), order=md(" > ".join(names[i] for i in order)))
        )
        return
    for crossing in highlighted(sweep):
        target = beyond(crossing, sweep.weight)
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(md(change_text(crossing, sweep, names)), width="stretch")
            st.button(
                t("sensitivity.go", weight=percent(target)),
                key=f"w:sensitivity:go:{leaf_id}:{crossing.below}:{crossing.above}:{crossing.weight:.6f}",
                on_click=_set_weight,
                args=(leaf_id, target),
            )
    with st.expander(t("sensitivity.all", n=len(sweep.crossings))):
        tables.show(_crossing_table(sweep, names))
