"""Weight sensitivity on the weights page: every countermeasure's score and rank as one criterion's
weight sweeps 0 -> 1 (the other weights keep their proportions), who overtakes whom where, a
slider to try a weight and buttons that set it for the whole app.

It sits on the weights page, not the robustness page, because setting the weight changes the
settings: here that costs one analysis, on the robustness page it would also redraw the
robustness study (100,000 samples on request) that the page is built on. The numbers come from
:func:`engine.robustness.sweep.weight_sweeps`. The section is a fragment: choosing a criterion or
trying a weight reruns only the section, and the weights in use do not change until a button
sets them; the buttons write the same manual weights as the direct sliders, so every page ranks
with them and they survive page switches.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from engine.analysis import Analysis
from engine.mcda.registry import get
from engine.robustness.stability import weight_path
from engine.robustness.sweep import Crossing, WeightSweep, weight_sweeps
from engine.settings import Settings
from ui import charts, current, state, tables
from ui.format import md, percent
from ui.i18n import label, local, t

SWEEP_POINTS = 201
WEIGHT_STEP = 0.1  # percentage points on the slider
AXES = ("score", "rank")
CHART_HEIGHT = 360
FIRST_COLOUR = "#b22222"
TRIAL_COLOUR = "#1f5fbf"
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


def moved(analysis: Analysis, leaf_id: str, weight: float) -> Settings:
    """The settings with `leaf_id` at `weight` and the other criteria in their current proportions."""
    leaf_ids = analysis.problem.leaf_ids
    weights = weight_path(analysis.weights, [leaf_ids.index(leaf_id)], [weight])[0]
    return analysis.settings.with_manual_weights(dict(zip(leaf_ids, map(float, weights), strict=True)))


def _set_weight(analysis: Analysis, leaf_id: str, weight: float) -> None:
    """Use `weight` for `leaf_id` on every page, then run the whole page again."""
    state.set_settings(moved(analysis, leaf_id, weight))
    state.reset_sliders()
    # the criterion stays chosen although another may now be the most critical
    st.session_state[state.SENSITIVITY_CRITERION] = leaf_id
    st.rerun(scope="app")


def try_key(leaf_id: str, weight: float) -> str:
    """The trial slider's key: a new one whenever the criterion or its weight in use changes, so
    the slider starts from the weight in use."""
    return f"{state.W_SENSITIVITY_TRY}:{leaf_id}:{round(weight * 1e6)}"


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
    sweep: WeightSweep, names: list[str], axis: str, criterion: str, trial: float | None = None
) -> dict[str, Any]:
    """Lines of every countermeasure along the sweep, the weight in use, the trial weight and the
    crossings, as a Vega-Lite specification (:func:`ui.charts.draw`).

    Everything that changes with the weights is in the named datasets, so the specification
    itself stays the same while one criterion is swept: the browser then updates the data of
    the chart it has instead of building a new one (which took most of a rerun's time there).
    """
    m = len(names)
    by_rank = axis == "rank"
    score_title = label("score") + ("" if sweep.higher_is_better else label("lower_better"))
    if by_rank:
        y: dict[str, Any] = {
            "field": "rank",
            "type": "quantitative",
            "title": label("rank"),
            "scale": {"domain": [m + 0.3, 0.7], "nice": False},
            "axis": {
                "values": list(range(1, m + 1)),
                "format": "d",
                "grid": False,
                "labelOverlap": False,
                **LEVEL_TITLE,
            },
        }
    else:
        # better is up for every method (VIKOR's Q, lower is better, is drawn upside down)
        y = {
            "field": "score",
            "type": "quantitative",
            "title": score_title,
            "scale": {"zero": False, "reverse": not sweep.higher_is_better},
            "axis": LEVEL_TITLE,
        }
    weight = {"field": "weight", "type": "quantitative"}
    x = {
        **weight,
        "title": t("sensitivity.weight_axis", name=criterion),
        "scale": {"domain": [0, 1], "nice": False},
        "axis": {"format": "%", "tickCount": 10},
    }
    crossings = sweep.crossings
    datasets = {
        "lines": pd.DataFrame(
            {
                "weight": np.repeat(sweep.t, m),
                "measure": np.tile(names, len(sweep.t)),
                "score": sweep.scores.ravel(),
                "rank": sweep.ranks.ravel(),
            }
        ),
        "now": pd.DataFrame(
            {"weight": [sweep.weight], "text": [t("sensitivity.now", weight=percent(sweep.weight))]}
        ),
        "trial": pd.DataFrame(
            {
                "weight": [] if trial is None else [trial],
                "text": [] if trial is None else [t("sensitivity.trial", weight=percent(trial))],
            }
        ),
        "crossings": pd.DataFrame(
            {
                "weight": [c.weight for c in crossings],
                "score": [float(np.interp(c.weight, sweep.t, sweep.scores[:, c.above])) for c in crossings],
                "rank": [c.place + 0.5 for c in crossings],
                "first": [c.place == 1 for c in crossings],
                "change": [change_text(c, sweep, names) for c in crossings],
                "leader": [
                    t("sensitivity.leads", name=names[c.overtaker(sweep.weight)[0]]) for c in crossings
                ],
            }
        ),
    }
    at = {"x": weight, "y": {"field": axis, "type": "quantitative"}}

    def marker(dataset: str, colour: str, dy: int) -> list[dict[str, Any]]:
        """A dashed rule at a weight, labelled at the top."""
        return [
            {
                "data": {"name": dataset},
                "mark": {"type": "rule", "color": colour, "strokeDash": [5, 4]},
                "encoding": {"x": weight},
            },
            {
                "data": {"name": dataset},
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "top",
                    "dx": 4,
                    "dy": 2 + dy,
                    "fontWeight": "bold",
                    "color": colour,
                },
                "encoding": {"x": weight, "y": {"value": 0}, "text": {"field": "text", "type": "nominal"}},
            },
        ]

    lines = {
        "data": {"name": "lines"},
        # the crossings crowd where weights are small: the weight axis zooms with the wheel and pans
        "params": [{"name": "zoom", "select": {"type": "interval", "encodings": ["x"]}, "bind": "scales"}],
        "mark": {"type": "line", "strokeWidth": 2, "interpolate": "step-after" if by_rank else "linear"},
        "encoding": {
            "x": x,
            "y": y,
            "color": {
                "field": "measure",
                "type": "nominal",
                "title": None,
                "sort": names,
                "scale": {"domain": names, "scheme": "tableau10" if m <= 10 else "category20"},
                # two columns fit the English names in a 440-pixel column too
                "legend": {"orient": "bottom", "columns": 2, "labelLimit": 220, "symbolType": "stroke"},
            },
            "tooltip": [
                {"field": "measure", "type": "nominal", "title": label("measure")},
                {**weight, "title": label("weight"), "format": ".1%"},
                {"field": "score", "type": "quantitative", "title": score_title, "format": ".4f"},
                {"field": "rank", "type": "quantitative", "title": label("rank")},
            ],
        },
    }
    dots = {
        "data": {"name": "crossings"},
        "mark": {"type": "point", "filled": True, "stroke": "white", "strokeWidth": 1, "opacity": 1},
        "encoding": {
            **at,
            "size": {"condition": {"test": "datum.first", "value": 140}, "value": 45},
            "color": {"condition": {"test": "datum.first", "value": FIRST_COLOUR}, "value": "#555555"},
            "tooltip": [{"field": "change", "type": "nominal", "title": t("sensitivity.change")}],
        },
    }
    leaders = {
        "data": {"name": "crossings"},
        "transform": [{"filter": "datum.first"}],
        # below the dot when ranks are plotted (above it is the chart's top edge), starting at the
        # dot: the first place often changes at small weights, near the chart's left edge
        "mark": {
            "type": "text",
            "align": "left",
            "dx": -6,
            "dy": 16 if by_rank else -14,
            "fontWeight": "bold",
            "color": FIRST_COLOUR,
        },
        "encoding": {**at, "text": {"field": "leader", "type": "nominal"}},
    }
    return {
        "datasets": datasets,
        "layer": [lines, *marker("now", "black", 0), *marker("trial", TRIAL_COLOUR, 16), dots, leaders],
        "height": CHART_HEIGHT,
    }


def _crossing_table(sweep: WeightSweep, names: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            label("weight"): [percent(c.weight) for c in sweep.crossings],
            t("sensitivity.change"): [change_text(c, sweep, names) for c in sweep.crossings],
            t("sensitivity.distance"): [f"{100 * (c.weight - sweep.weight):+.1f}" for c in sweep.crossings],
        }
    )


def _trial_line(trial: Analysis, now: Analysis, names: dict[str, str]) -> str:
    """The order at the trial weight, each countermeasure that moved marked ▲ n or ▼ n."""
    before = {entry.id: entry.rank for entry in now.ranking}
    shown = []
    for entry in trial.ranking:
        places = before[entry.id] - entry.rank
        mark = f" ▲{places}" if places > 0 else f" ▼{-places}" if places < 0 else ""
        shown.append(md(names[entry.id]) + mark)
    return " > ".join(shown)


def render(analysis: Analysis) -> None:
    """The section's title, then the section itself (a fragment)."""
    st.subheader(t("sensitivity.title"))
    if len(analysis.problem.leaf_ids) < 2:
        st.info(t("sensitivity.one_criterion"))
        return
    _explore()


@st.fragment
def _explore() -> None:
    """Criterion, plot, trial slider, chart, the nearest changes with a button each, all crossings.

    A fragment: its own widgets rerun only this function. Whatever changes the weights in use
    reruns the whole page, so the fragment always starts from the analysis the page shows.
    """
    analysis = current.analysis()
    problem = analysis.problem
    leaf_ids = problem.leaf_ids
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
    trial = (
        st.slider(
            t("sensitivity.weight", name=md(name)),
            min_value=0.0,
            max_value=100.0,
            value=state.widget_value(round(100 * sweep.weight, 1), low=0.0, high=100.0),
            step=WEIGHT_STEP,
            format="%.1f%%",
            key=try_key(leaf_id, sweep.weight),
            help=t("sensitivity.weight_help"),
        )
        / 100
    )
    # the slider shows the weight in use to 0.1 percentage point: closer than that is no trial
    trying = abs(trial - sweep.weight) >= WEIGHT_STEP / 200
    charts.draw(chart(sweep, names, axis, name, trial if trying else None))
    if trying:
        # the trial's analysis is cached under the settings the button would set
        tried = current.analyse(problem, moved(analysis, leaf_id, trial))
        short = {item.id: local(item.short) for item in problem.countermeasures}
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(
                t("sensitivity.trial_line", weight=percent(trial), order=_trial_line(tried, analysis, short)),
                width="stretch",
            )
            if st.button(
                t("sensitivity.apply", weight=percent(trial)), type="primary", key=state.W_SENSITIVITY_APPLY
            ):
                _set_weight(analysis, leaf_id, trial)
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
            if st.button(
                t("sensitivity.go", weight=percent(target)),
                key=f"{state.W_SENSITIVITY_GO}:{leaf_id}:{crossing.below}:{crossing.above}:{crossing.weight:.6f}",
            ):
                _set_weight(analysis, leaf_id, target)
    # the table is built only while the expander is open: a data grid costs the browser a moment
    # on every rerun, open or not
    with st.expander(
        t("sensitivity.all", n=len(sweep.crossings)), key=state.W_SENSITIVITY_ALL, on_change="rerun"
    ) as box:
        if box.open:
            tables.show(_crossing_table(sweep, names))
