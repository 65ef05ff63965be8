"""A seeded random walk over every widget of each page: no click may raise, and the ranking shown
always matches the engine's for the settings the session holds."""

from __future__ import annotations

import numpy as np
import pytest

from engine.analysis import run
from tests.ui.conftest import WEIGHTS_SECTIONS, names, settings_of, shown_order, started
from ui import current, state

STEPS = 40


def poke(app, rng: np.random.Generator) -> str:
    """Change one randomly chosen widget the way a user could; return what was done."""
    widgets = (
        [("slider", w) for w in app.slider if not w.disabled]
        + [("checkbox", w) for w in app.checkbox if not w.disabled]
        + [("select_slider", w) for w in app.select_slider if not w.disabled]
        + [("selectbox", w) for w in app.selectbox if not w.disabled]
        + [("multiselect", w) for w in app.multiselect if not w.disabled]
        + [("radio", w) for w in app.radio if not w.disabled]
        + [("button", w) for w in app.button if not w.disabled]
        + [("section", w) for w in app.button_group if w.key == state.W_WEIGHTS_SECTION]
    )
    kind, widget = widgets[rng.integers(len(widgets))]
    if kind == "slider":
        widget.set_value(round(float(rng.uniform(widget.min, widget.max)), 1))
    elif kind == "checkbox":
        widget.set_value(not widget.value)
    elif kind in ("select_slider", "selectbox", "radio"):
        widget.set_value(
            widget.options[rng.integers(len(widget.options))]
            if kind != "select_slider"
            else int(rng.integers(-8, 9))
        )
    elif kind == "section":
        widget.set_value(WEIGHTS_SECTIONS[rng.integers(len(WEIGHTS_SECTIONS))])
    elif kind == "multiselect":
        count = int(rng.integers(0, len(widget.options) + 1))
        widget.set_value(list(rng.choice(widget.options, size=count, replace=False)))
    else:
        widget.click()
    return f"{kind} {widget.key or widget.label}"


@pytest.mark.slow
@pytest.mark.parametrize(("page", "seed"), [("weights", 1), ("weights", 2), ("ranking", 3), ("overview", 4)])
def test_random_clicks_never_raise_and_the_ranking_stays_the_engines(page, seed):
    rng = np.random.default_rng(seed)
    app = started(page)
    done = []
    for _ in range(STEPS):
        done.append(poke(app, rng))
        app.run()
        assert not app.exception, (done, [e.value for e in app.exception])
        lang = app.session_state[state.LANG]
        problem = app.session_state[state.PROBLEM] or current.shipped_problem()
        expected = names(run(problem, settings_of(app)), lang)
        assert shown_order(app, lang) == expected, done
