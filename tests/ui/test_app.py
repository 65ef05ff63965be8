"""The entry script: navigation over the registered pages, the shared sidebar, state across pages."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from engine.settings import Settings
from tests.ui.conftest import ROOT, TIMEOUT, expected, settings_of, shown_order, text, weights_section
from ui import state
from ui.views import PAGES


def entry() -> AppTest:
    app = AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=TIMEOUT).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_the_landing_page_is_the_overview():
    app = entry()
    assert app.title[0].value == text("nav.overview")


def test_every_registered_page_exists_and_has_a_title_in_both_languages():
    for spec in PAGES:
        assert spec.path.is_file(), spec.path
        assert text(f"nav.{spec.key}", "zh") and text(f"nav.{spec.key}", "en")


@pytest.mark.parametrize("spec", PAGES[1:], ids=lambda spec: spec.key)
def test_switching_to_each_page(spec):
    app = entry()
    app.switch_page(str(spec.path)).run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == text(f"nav.{spec.key}")


def test_language_and_settings_survive_page_switches(problem):
    app = entry()
    app.sidebar.radio(key=state.W_LANG).set_value("en").run()
    app.switch_page(str(ROOT / "ui" / "views" / "weights.py")).run()
    weights_section(app, "preset")
    preset = problem.presets[0].id
    app.selectbox(key=state.W_PRESET).select(preset).run()
    app.switch_page(str(ROOT / "ui" / "views" / "ranking.py")).run()
    assert not app.exception
    assert app.title[0].value == text("nav.ranking", "en")
    assert app.sidebar.radio(key=state.W_LANG).value == "en"
    assert settings_of(app) == Settings().with_preset(preset)
    assert shown_order(app, "en") == [
        name_en(problem, zh) for zh in expected(problem, Settings().with_preset(preset))
    ]


def name_en(problem, zh: str) -> str:
    return next(item.name.en for item in problem.countermeasures if item.name.zh == zh)
