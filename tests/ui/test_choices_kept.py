"""Every choice is one setting, kept in a plain session key: it survives page switches, language
switches and failed uploads, and pages that show the same setting show the same value.

Streamlit deletes the state of every widget the page being run does not draw, so a widget keyed
only by itself loses its value on the first page switch (the budget went 80 -> 54, the robustness
sample count 100,000 -> 20,000). Also: no value computed from the engine can break a widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import engine.insight.sliders as sliders
from engine.insight.sliders import IMPORTANCE_SCALE
from engine.settings import Settings
from tests.ui.conftest import WEIGHTS_SECTIONS, settings_of, text, weights_section
from tests.ui.test_state_kept import BROKEN_PROFILE, YAML, broken_catalogue, entry
from ui import state
from ui.views import PAGES

PAGE_FILES = {spec.key: str(spec.path) for spec in PAGES}


@dataclass(frozen=True)
class Choice:
    page: str
    kind: str  # the AppTest element: slider, selectbox, ...
    key: str  # the widget's key
    setting: str | None  # the plain key that keeps it (None: the page keeps it in a spec document)
    value: Any


CHOICES = (
    Choice("budget", "slider", "w:budget:amount", state.BUDGET, 80.0),
    Choice("budget", "multiselect", "w:budget:must", state.BUDGET_MUST, ["tech_finance"]),
    Choice("budget", "multiselect", "w:budget:exclude", state.BUDGET_EXCLUDE, ["overseas_recruitment"]),
    Choice("budget", "checkbox", "w:budget:rules", state.BUDGET_RULES, False),
    Choice("budget", "radio", "w:budget:basis", state.BUDGET_BASIS, "primary"),
    Choice("robustness", "selectbox", state.W_ROBUST_MODEL, state.ROBUST_MODEL, "uniform"),
    Choice("robustness", "selectbox", state.W_ROBUST_PERFORMANCE, state.ROBUST_PERFORMANCE, "fixed"),
    Choice("robustness", "selectbox", state.W_ROBUST_SAMPLES, state.SAMPLES, 10_000),
    Choice("memo", "radio", state.W_MEMO_LANG, state.MEMO_LANG, "en"),
    Choice("memo", "text_input", state.W_MEMO_ISSUE, state.MEMO_ISSUE, "2026年第3期"),
    Choice("memo", "checkbox", state.W_MEMO_PACKAGE, state.MEMO_PACKAGE, True),
    Choice("judgments", "selectbox", "w:judgments:node", state.JUDGMENTS_NODE, "feasibility"),
    Choice("experts", "selectbox", "w:experts:group", state.EXPERTS_GROUP, "development_reform"),
    Choice(
        "experts", "slider", "w:experts:share:development_reform", "experts_share:development_reform", 0.7
    ),
    Choice("data", "selectbox", state.W_DATA_MEASURE, state.DATA_MEASURE, "application_scenarios"),
    # the mapping widgets are seeded again from the spec document, kept in a plain key
    Choice("screening", "multiselect", state.screen_values_key("function"), None, ["研发中心"]),
    Choice("screening", "selectbox", state.W_SCREEN_MISSING, None, "drop"),
    Choice("screening", "toggle", state.W_SCREEN_AHP, None, False),
    Choice("screening", "slider", state.screen_weight_key("patents"), None, 0.5),
    Choice("screening", "selectbox", state.W_SCREEN_LABEL, state.SCREEN_LABEL, "city"),
    Choice("screening", "number_input", state.W_SCREEN_TOP, state.SCREEN_TOP, 200),
    Choice("screening", "selectbox", state.W_SCREEN_PAGE, state.SCREEN_PAGE, 2),
)

# the same setting on another page: (page, widget kind, widget key, the choice it shows)
SHARED = (
    ("memo", "number_input", state.W_MEMO_BUDGET, CHOICES[0]),
    ("memo", "number_input", state.W_MEMO_SAMPLES, CHOICES[7]),
)


def widget(app: AppTest, kind: str, key: str):
    return getattr(app, kind)(key=key)


def go(app: AppTest, page: str, lang: str = "zh") -> AppTest:
    if app.title and app.title[0].value == text(f"nav.{page}", lang):
        return app
    app.switch_page(PAGE_FILES[page]).run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == text(f"nav.{page}", lang)
    return app


def choose_everything() -> AppTest:
    app = entry()
    for choice in CHOICES:
        go(app, choice.page)
        widget(app, choice.kind, choice.key).set_value(choice.value).run()
        assert not app.exception, (choice, [e.value for e in app.exception])
        if choice.setting is not None:
            assert app.session_state[choice.setting] == choice.value, choice
    return app


def assert_kept(app: AppTest, lang: str = "zh") -> None:
    """Every page shows every choice made on it, and the plain keys still hold them."""
    for choice in CHOICES:
        go(app, choice.page, lang)
        assert widget(app, choice.kind, choice.key).value == choice.value, choice
        if choice.setting is not None:
            assert app.session_state[choice.setting] == choice.value, choice
    for page, kind, key, choice in SHARED:
        go(app, page, lang)
        assert widget(app, kind, key).value == choice.value, (page, key)


@pytest.mark.slow
def test_every_choice_survives_page_switches_and_a_rerun():
    app = choose_everything()
    go(app, "overview").run()
    assert_kept(app)


@pytest.mark.slow
def test_every_choice_survives_the_language_switch():
    app = choose_everything()
    app.sidebar.radio(key=state.W_LANG).set_value("en").run()
    assert not app.exception
    assert_kept(app, "en")
    app.sidebar.radio(key=state.W_LANG).set_value("zh").run()
    assert_kept(app)


@pytest.mark.slow
def test_every_choice_survives_failed_uploads():
    app = choose_everything()
    go(app, "data")
    data, _ = broken_catalogue()
    app.file_uploader(key=state.W_DATA_CATALOGUE).set_value(("mine.yaml", data, YAML))
    next(b for b in app.button if b.label == text("data.load")).click().run()
    assert not app.exception and len(app.error) == 1
    weights_section(go(app, "weights"), "profile")
    app.file_uploader(key=state.W_PROFILE_UPLOAD).set_value(("bad.yaml", BROKEN_PROFILE, YAML)).run()
    assert not app.exception and len(app.error) == 1
    assert_kept(app)


def test_the_budget_is_one_number_on_the_budget_and_memo_pages():
    app = go(entry(), "budget")
    proposal = app.slider(key="w:budget:amount").value
    go(app, "memo")
    assert app.number_input(key=state.W_MEMO_BUDGET).value == proposal
    app.checkbox(key=state.W_MEMO_PACKAGE).check().run()
    app.number_input(key=state.W_MEMO_BUDGET).set_value(42.0).run()
    go(app, "budget")
    assert app.slider(key="w:budget:amount").value == 42.0
    app.slider(key="w:budget:amount").set_value(80.0).run()
    go(app, "memo")
    assert app.number_input(key=state.W_MEMO_BUDGET).value == 80.0


def test_a_sample_count_typed_on_the_memo_page_is_offered_on_the_robustness_page():
    app = go(entry(), "memo")
    app.number_input(key=state.W_MEMO_SAMPLES).set_value(15_000).run()
    go(app, "robustness")
    box = app.selectbox(key=state.W_ROBUST_SAMPLES)
    assert box.value == 15_000 and "15,000" in box.options


# ---------------------------------------------------------------- engine values into widgets


def extreme_goal_judgments(app: AppTest, problem, steps: tuple[int, int, int]) -> None:
    goal = problem.criteria.goal
    a, b, c = (child.id for child in goal.children)
    weights_section(app, "pairwise")
    for (first, second), step in zip(((a, b), (a, c), (b, c)), steps, strict=True):
        app.select_slider(key=state.judgment_key(goal.id, first, second)).set_value(step).run()
        assert not app.exception, [e.value for e in app.exception]


@pytest.mark.parametrize("steps", [(8, -8, 8), (8, 8, -8), (-8, 8, -8)])
def test_one_click_fixes_of_extreme_judgments_never_break_the_weights_page(problem, steps):
    """9:1, 1:9, 9:1 at the goal, then the suggested value until the node is consistent: the
    weights of one of the fixes made the importance slider 10.000000000000002, above its maximum."""
    app = go(entry(), "weights")
    extreme_goal_judgments(app, problem, steps)
    fix = state.suggestion_key(problem.criteria.goal.id)
    for _ in range(10):
        buttons = [button for button in app.button if button.key == fix]
        if not buttons:
            break
        before = settings_of(app)
        buttons[0].click().run()
        assert not app.exception, [e.value for e in app.exception]
        assert not app.error, [e.value for e in app.error]
        if settings_of(app) == before:
            break  # the suggestion is the judgment already in use
    for page in ("ranking", "overview", "weights"):
        go(app, page)
        assert not app.error
    for section in WEIGHTS_SECTIONS:  # the importance sliders are in one of them
        assert not weights_section(app, section).error


def test_importances_beyond_the_scale_are_shown_clamped(problem, monkeypatch):
    """Whatever the engine computes, the sliders get a value inside their bounds."""

    def overshooting(weights):
        w = np.asarray(weights, dtype=float)
        return IMPORTANCE_SCALE * w / w.max() * (1 + 1e-15) - 1e-15

    monkeypatch.setattr(sliders, "importance_from_weights", overshooting)
    app = go(entry(), "weights")
    values = [app.slider(key=state.importance_key(leaf)).value for leaf in problem.leaf_ids]
    assert max(values) == IMPORTANCE_SCALE and min(values) >= 0.0


@pytest.mark.parametrize(
    ("value", "fit", "shown"),
    [
        (10.000000000000002, {"low": 0.0, "high": 10.0}, 10.0),
        (-1e-17, {"low": 0.0, "high": 10.0}, 0.0),
        (np.float64(3.5), {"low": 0.0, "high": 10.0}, 3.5),
        (float("nan"), {"low": 0.0, "high": 1.0, "default": 0.5}, 0.5),
        (54, {"low": 0.0, "high": 50.0}, 50.0),
        (2_000_000, {"low": 1_000, "high": 1_000_000}, 1_000_000),
        (12_345.0, {"low": 1_000, "high": 1_000_000}, 12_345),
        ("gone", {"options": ("a", "b"), "default": "b"}, "b"),
        ("gone", {"options": ("a", "b")}, "a"),
        (["b", "gone"], {"options": ("a", "b")}, ["b"]),
        ((), {"options": ("a", "b")}, []),
        ("kept", {}, "kept"),
    ],
)
def test_widget_value_fits_bounds_and_options(value, fit, shown):
    result = state.widget_value(value, **fit)
    assert result == shown and type(result) is type(shown)


def test_settings_from_a_preset_keep_every_widget_in_range(problem):
    app = go(entry(), "weights")
    for preset in problem.presets:
        app.session_state[state.SETTINGS] = Settings().with_preset(preset.id)
        for section in WEIGHTS_SECTIONS:  # the page draws the open section only
            weights_section(app, section)
            assert not app.exception, (preset.id, section, [e.value for e in app.exception])
