"""Weight sensitivity on the weights page: the sweep of one criterion, its crossings, and the slider and
buttons that set that criterion's weight for the whole app."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from streamlit.testing.v1 import AppTest

from engine.analysis import run
from engine.insight.sliders import importance_from_weights
from engine.robustness.stability import stability_intervals, weight_path
from engine.robustness.sweep import Crossing
from engine.settings import Settings
from engine.text import label
from tests.ui.conftest import (
    ROOT,
    TIMEOUT,
    VIEWS,
    expected,
    settings_of,
    shown_order,
    started,
    text,
    weights_section,
)
from ui import state
from ui.format import md, percent
from ui.sensitivity import beyond, sweeps


def weight_slider(app: AppTest):
    """The trial slider (its key names the criterion and the weight in use)."""
    return next(s for s in app.slider if s.key.startswith(state.W_SENSITIVITY_TRY))


def apply_button(app: AppTest):
    return app.button(key=state.W_SENSITIVITY_APPLY)


def test_the_criterion_nearest_to_changing_first_place_is_shown_first(problem):
    app = weights_section(started("weights"), "sensitivity")
    analysis = run(problem)
    critical = stability_intervals(
        problem.matrix, analysis.weights, problem.directions, normalization=analysis.normalization
    ).critical
    chosen = app.selectbox(key=state.W_SENSITIVITY_CRITERION)
    assert chosen.value == problem.leaf_ids[critical]
    assert weight_slider(app).value == pytest.approx(100 * analysis.weights[critical], abs=0.05)
    assert any(text("sensitivity.title") == s.value for s in app.subheader)


def test_the_slider_only_tries_a_weight_and_the_button_sets_it_for_every_page(problem):
    app = weights_section(started("weights"), "sensitivity")
    leaf = problem.leaf_ids[3]
    app.selectbox(key=state.W_SENSITIVITY_CRITERION).select(leaf).run()
    weight_slider(app).set_value(40.0).run()
    assert not app.exception
    # trying changes nothing in use, and shows the engine's order at the trial weight
    assert settings_of(app) == Settings()
    tried = run(
        problem,
        Settings().with_manual_weights(
            dict(zip(problem.leaf_ids, weight_path(run(problem).weights, [3], [0.4])[0], strict=True))
        ),
    )
    line = next(m.value for m in app.markdown if m.value.startswith("**试算"))
    assert [part.split(" ▲")[0].split(" ▼")[0] for part in line.split("：", 1)[1].split(" > ")] == [
        md(e.short.zh) for e in (problem.countermeasure(entry.id) for entry in tried.ranking)
    ]
    apply_button(app).click().run()
    assert not app.exception
    settings = settings_of(app)
    assert settings.weight_source == "manual"
    moved = weight_path(run(problem).weights, [3], [0.4])[0]
    assert_allclose([dict(settings.manual_weights)[leaf] for leaf in problem.leaf_ids], moved)
    assert shown_order(app) == expected(problem, settings)
    # the criterion stays chosen and the slider shows the weight now in use
    assert app.selectbox(key=state.W_SENSITIVITY_CRITERION).value == leaf
    assert weight_slider(app).value == pytest.approx(40.0)
    # the direct sliders start again from the new weights
    weights_section(app, "direct")
    assert app.session_state[state.IMPORTANCE] == pytest.approx(
        dict(zip(problem.leaf_ids, map(float, importance_from_weights(moved)), strict=True))
    )


def test_a_set_to_button_moves_the_weight_just_past_its_crossing(problem):
    app = weights_section(started("weights"), "sensitivity")
    buttons = [b for b in app.button if b.key and b.key.startswith(state.W_SENSITIVITY_GO)]
    assert buttons, "no crossing offered near the current weight"
    _, _, _, leaf, below, above, at = buttons[0].key.split(":")
    crossing = Crossing(weight=float(at), below=int(below), above=int(above), place=1)
    before = run(problem).weights[problem.leaf_ids.index(leaf)]
    buttons[0].click().run()
    assert not app.exception
    now = run(problem, settings_of(app))
    target = beyond(crossing, before)
    assert now.weight_of(leaf) == pytest.approx(target)
    overtaker, overtaken = crossing.overtaker(before)
    ids = problem.alternative_ids
    ranks = {entry.id: entry.rank for entry in now.ranking}
    assert ranks[ids[overtaker]] < ranks[ids[overtaken]]


def test_the_rank_view_and_the_choice_survive_a_page_switch(problem):
    app = AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=TIMEOUT).run()
    weights_section(app.switch_page(str(VIEWS / "weights.py")).run(), "sensitivity")
    leaf = problem.leaf_ids[0]
    app.selectbox(key=state.W_SENSITIVITY_CRITERION).select(leaf).run()
    app.button_group(key=state.W_SENSITIVITY_AXIS).set_value("rank").run()
    weight_slider(app).set_value(12.5).run()
    apply_button(app).click().run()
    for page in ("ranking", "weights"):
        app.switch_page(str(VIEWS / f"{page}.py")).run()
        assert not app.exception, [e.value for e in app.exception]
    assert app.selectbox(key=state.W_SENSITIVITY_CRITERION).value == leaf
    assert app.button_group(key=state.W_SENSITIVITY_AXIS).value == "rank"
    assert weight_slider(app).value == pytest.approx(12.5)
    assert dict(settings_of(app).manual_weights)[leaf] == pytest.approx(0.125)


@pytest.mark.parametrize(
    ("weight", "start", "target"),
    [
        (0.3121, 0.1, 0.313),
        (0.3121, 0.5, 0.312),
        (0.3120, 0.5, 0.311),
        (0.9996, 0.2, 1.0),
        (0.0004, 0.2, 0.0),
    ],
)
def test_just_past_a_crossing_is_on_its_far_side(weight, start, target):
    found = beyond(Crossing(weight=weight, below=0, above=1, place=2), start)
    assert found == pytest.approx(target)
    assert (found - weight) * (weight - start) >= 0 or found in (0.0, 1.0)


def test_every_method_draws_its_sweep(problem):
    app = weights_section(started("weights"), "sensitivity")
    for method in ("wsm", "vikor", "promethee"):
        app.session_state[state.SETTINGS] = Settings(method=method)
        app.run()
        assert not app.exception, (method, [e.value for e in app.exception])
        assert np.isfinite(weight_slider(app).value)


def test_every_crossing_is_listed_once_the_expander_is_open(problem):
    app = weights_section(started("weights"), "sensitivity")
    before = len(app.dataframe)  # the table is not built while the expander is closed
    app.session_state[state.W_SENSITIVITY_ALL] = True
    app.run()
    assert not app.exception
    assert len(app.dataframe) == before + 1
    leaf = app.selectbox(key=state.W_SENSITIVITY_CRITERION).value
    found = sweeps(run(problem))[problem.leaf_ids.index(leaf)]
    table = app.dataframe[-1].value
    assert list(table[label("weight", "zh")]) == [percent(c.weight) for c in found.crossings]
