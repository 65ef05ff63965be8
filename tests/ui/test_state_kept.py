"""Nothing the user entered is lost: weights and judgments survive reruns, page switches and failed
uploads, and a downloaded weight profile uploads back to the same weights and ranking."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import yaml
from numpy.testing import assert_allclose
from streamlit.testing.v1 import AppTest

from engine.analysis import run
from engine.errors import InputError
from engine.insight.sliders import step_value
from engine.io.safe_yaml import parse_yaml
from engine.load import DEFAULT_CRITERIA, DEFAULT_DATA, DEFAULT_EVIDENCE, parse_preset, problem_from_bytes
from engine.settings import Settings
from engine.text.messages import describe
from tests.ui.conftest import ROOT, TIMEOUT, VIEWS, names, settings_of, shown_order, text, weights_section
from tests.ui.downloads import capture
from ui import state, workspace
from ui.format import md

YAML = "application/x-yaml"
BROKEN_PROFILE = b"version: 1\nid: x\nname: {zh: a, en: b}\nweights: {firm_retention: high}\n"


def entry(scenario: str | None = None) -> AppTest:
    app = AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=TIMEOUT)
    if scenario is not None:
        app.query_params["scenario"] = scenario
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def go(app: AppTest, page: str) -> AppTest:
    app.switch_page(str(VIEWS / f"{page}.py")).run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == text(f"nav.{page}")
    return app


def weights_view(app: AppTest, problem) -> dict[str, Any]:
    """Everything the weights page shows of what the user entered, and what it rests on (read from
    the judgments and the sliders sections, then the section that was open is opened again)."""
    opened = app.button_group(key=state.W_WEIGHTS_SECTION).value
    weights_section(app, "pairwise")
    judgments = {s.key: s.value for s in app.select_slider if s.key and s.key.startswith("w:judgment:")}
    assert judgments, "the pairwise section shows no judgment"
    weights_section(app, "direct")
    view = {
        "settings": settings_of(app),
        "importance": dict(app.session_state[state.IMPORTANCE]),
        "held": dict(app.session_state[state.HELD]),
        "sliders": {leaf: app.slider(key=state.importance_key(leaf)).value for leaf in problem.leaf_ids},
        "disabled": {leaf: app.slider(key=state.importance_key(leaf)).disabled for leaf in problem.leaf_ids},
        "holds": {leaf: app.checkbox(key=state.hold_key(leaf)).value for leaf in problem.leaf_ids},
        "judgments": judgments,
        "order": shown_order(app),
    }
    weights_section(app, opened)
    return view


def hold_and_move(app: AppTest, problem) -> tuple[str, str]:
    """Hold the first criterion's weight, then move the last one's slider."""
    first, last = problem.leaf_ids[0], problem.leaf_ids[-1]
    app.checkbox(key=state.hold_key(first)).check().run()
    app.slider(key=state.importance_key(last)).set_value(9.5).run()
    assert not app.exception
    assert settings_of(app).weight_source == "manual"
    assert app.session_state[state.HELD].keys() == {first}
    return first, last


def edit_judgment(app: AppTest, problem) -> tuple[str, str, str]:
    node = problem.criteria.judged_nodes[0]
    a, b = node.children[0].id, node.children[1].id
    key = state.judgment_key(node.id, a, b)
    weights_section(app, "pairwise")
    step = -3 if app.select_slider(key=key).value >= 0 else 5
    app.select_slider(key=key).set_value(step).run()
    assert not app.exception
    assert (a, b, step_value(step)) in dict(settings_of(app).judgment_edits)[node.id]
    return node.id, key, step


# ---------------------------------------------------------------- reruns and page switches


def test_held_slider_weights_survive_reruns_and_page_switches(problem):
    app = go(entry(), "weights")
    first, _ = hold_and_move(app, problem)
    before = weights_view(app, problem)
    assert before["disabled"][first] and before["holds"][first]
    app.run()
    assert weights_view(app, problem) == before
    go(app, "ranking")
    assert settings_of(app) == before["settings"]
    assert shown_order(app) == before["order"] == names(run(problem, before["settings"]))
    go(app, "overview")
    go(app, "weights")
    assert weights_view(app, problem) == before
    # and the hold still holds: moving another slider keeps the held weight
    held_weight = before["held"][first]
    app.slider(key=state.importance_key(problem.leaf_ids[1])).set_value(0.5).run()
    assert dict(settings_of(app).manual_weights)[first] == pytest.approx(held_weight, abs=1e-12)


def test_judgment_edits_survive_reruns_and_page_switches(problem):
    app = go(entry(), "weights")
    _, key, step = edit_judgment(app, problem)
    before = weights_view(app, problem)
    assert before["judgments"][key] == step
    app.run()
    assert weights_view(app, problem) == before
    go(app, "ranking")
    assert shown_order(app) == before["order"] == names(run(problem, before["settings"]))
    go(app, "judgments")
    go(app, "weights")
    assert weights_view(app, problem) == before


def test_the_open_section_of_the_weights_page_survives_page_and_language_switches(problem):
    app = go(entry(), "weights")
    switcher = state.W_WEIGHTS_SECTION
    assert app.button_group(key=switcher).value == "direct"
    weights_section(app, "pairwise")
    go(app, "ranking")
    go(app, "weights")
    assert app.button_group(key=switcher).value == "pairwise"
    assert app.select_slider and not app.slider
    app.sidebar.radio(key=state.W_LANG).set_value("en").run()
    assert not app.exception
    assert app.button_group(key=switcher).value == "pairwise"
    assert app.select_slider and not app.slider


def test_language_switch_keeps_weights_and_judgments(problem):
    app = go(entry(), "weights")
    hold_and_move(app, problem)
    before = weights_view(app, problem)
    app.sidebar.radio(key=state.W_LANG).set_value("en").run()
    app.sidebar.radio(key=state.W_LANG).set_value("zh").run()
    assert not app.exception
    assert weights_view(app, problem) == before


# ---------------------------------------------------------------- failed uploads change nothing


def enter(app: AppTest, problem, what: str) -> None:
    if what == "held sliders":
        hold_and_move(app, problem)
    else:
        edit_judgment(app, problem)


@pytest.mark.parametrize("what", ["held sliders", "judgment edits"])
def test_a_failed_profile_upload_keeps_everything(problem, what):
    app = go(entry(), "weights")
    enter(app, problem, what)
    before = weights_view(app, problem)
    weights_section(app, "profile")
    app.file_uploader(key=state.W_PROFILE_UPLOAD).set_value(("bad.yaml", BROKEN_PROFILE, YAML)).run()
    assert not app.exception
    with pytest.raises(InputError) as caught:
        parse_preset(parse_yaml(BROKEN_PROFILE, "bad.yaml"), "bad.yaml", problem.leaf_ids)
    errors = [e.value for e in app.error]
    assert len(errors) == 1 and md(describe(caught.value, "zh")) in errors[0]
    assert weights_view(app, problem) == before
    # still kept on the next run, once the error has been shown
    app.run()
    assert not app.error
    assert weights_view(app, problem) == before


def broken_catalogue() -> tuple[bytes, str]:
    """A catalogue citing an unknown fact, and the engine's message about it."""
    original = DEFAULT_DATA.read_text(encoding="utf-8")
    broken = original.replace("evidence: [F", "evidence: [X", 1).encode("utf-8")
    with pytest.raises(InputError) as caught:
        problem_from_bytes(
            (DEFAULT_CRITERIA.read_bytes(), "c"), (broken, "mine.yaml"), (DEFAULT_EVIDENCE.read_bytes(), "e")
        )
    return broken, describe(caught.value, "zh")


@pytest.mark.parametrize("what", ["held sliders", "judgment edits"])
def test_a_failed_catalogue_upload_keeps_everything(problem, what):
    app = go(entry(), "weights")
    enter(app, problem, what)
    before = weights_view(app, problem)
    go(app, "data")
    data, message = broken_catalogue()
    app.file_uploader(key=state.W_DATA_CATALOGUE).set_value(("mine.yaml", data, YAML))
    next(b for b in app.button if b.label == text("data.load")).click().run()
    assert not app.exception
    assert len(app.error) == 1 and md(message) in app.error[0].value
    assert app.session_state[state.PROBLEM] is None
    assert settings_of(app) == before["settings"]
    go(app, "ranking")
    assert shown_order(app) == before["order"]
    go(app, "weights")
    assert weights_view(app, problem) == before


# ---------------------------------------------------------------- profile round trip


def served_profile(app: AppTest, served) -> bytes:
    weights_section(app, "profile")
    button = next(b for b in app.download_button if b.label == text("weights.download_profile"))
    return served.bytes(button)


@pytest.mark.slow
@pytest.mark.parametrize("what", ["held sliders", "judgment edits and VIKOR"])
def test_a_downloaded_profile_uploads_back_to_the_same_weights_and_ranking(problem, what):
    with capture() as served:
        app = go(entry(), "weights")
        if what == "held sliders":
            hold_and_move(app, problem)
        else:
            edit_judgment(app, problem)
            go(app, "ranking")
            app.selectbox(key=state.W_METHOD).select("vikor").run()
            go(app, "weights")
        settings = settings_of(app)
        data = served_profile(app, served)
    analysis = run(problem, settings)
    engine_bytes = yaml.safe_dump(analysis.weight_profile(), allow_unicode=True, sort_keys=False)
    assert data == engine_bytes.encode("utf-8")

    # a new session on a scenario of the shipped defaults (without a link it would continue the
    # scenario changed above), then the profile
    defaults = workspace.store().save_scenario(workspace.project_id(), "defaults", Settings())
    fresh = go(entry(defaults.id), "weights")
    assert names(run(problem, settings_of(fresh))) != [] and settings_of(fresh) != settings
    weights_section(fresh, "profile")
    fresh.file_uploader(key=state.W_PROFILE_UPLOAD).set_value(("profile.yaml", data, YAML)).run()
    assert not fresh.exception and not fresh.error
    restored = run(problem, settings_of(fresh))
    assert restored.settings.method == settings.method
    assert_allclose(restored.weights, analysis.weights, rtol=0, atol=1e-12)
    assert [e.id for e in restored.ranking] == [e.id for e in analysis.ranking]
    assert_allclose(
        [e.score for e in restored.ranking], [e.score for e in analysis.ranking], rtol=0, atol=1e-12
    )
    assert shown_order(fresh) == names(analysis)
    weights_section(fresh, "direct")
    shares = np.array([float(m.value.strip("*%")) for m in fresh.markdown if m.value.endswith("%**")])
    assert_allclose(shares, np.round(100 * analysis.weights, 1))
