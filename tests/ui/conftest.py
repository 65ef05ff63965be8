"""AppTest helpers: one page script per test app, fresh caches, readable access to what is shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from engine.analysis import Analysis, run
from engine.load import load_problem
from engine.model import Problem
from engine.settings import Settings
from engine.text import label
from ui import current, state, workspace
from ui.i18n import catalogue

ROOT = Path(__file__).resolve().parents[2]
VIEWS = ROOT / "ui" / "views"
TIMEOUT = 60  # seconds; the first run of a session loads the data and renders every chart


@pytest.fixture(autouse=True)
def workspace_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every UI test writes to its own empty workspace, never to the user's real database."""
    database = tmp_path / "workspace.sqlite"
    monkeypatch.setenv("POLICYRANK_DB", str(database))
    workspace.forget_stores()
    yield database
    workspace.forget_stores()


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    """``st.cache_resource`` outlives an AppTest; without this one test's data leaks into the next."""
    current.clear()
    yield
    current.clear()


@pytest.fixture(scope="session")
def problem() -> Problem:
    return load_problem()


def page(name: str) -> AppTest:
    """An AppTest of ``ui/views/<name>.py``, not yet run."""
    return AppTest.from_file(str(VIEWS / f"{name}.py"), default_timeout=TIMEOUT)


def started(name: str) -> AppTest:
    app = page(name).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


#: the sections of the weights page, in the order its switcher offers them
WEIGHTS_SECTIONS = ("preset", "direct", "pairwise", "profile", "sensitivity")


def weights_section(app: AppTest, section: str) -> AppTest:
    """Open one section of the weights page (it draws the open one only) and run it."""
    app.button_group(key=state.W_WEIGHTS_SECTION).set_value(section).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def text(key: str, lang: str = "zh") -> str:
    return catalogue(lang)[key]


def ranking_table(app: AppTest, lang: str = "zh") -> pd.DataFrame:
    """The first table on the page with rank and countermeasure columns (a grid or a static table)."""
    for frame in [*app.dataframe, *app.table]:
        value = frame.value
        if label("rank", lang) in value.columns and label("measure", lang) in value.columns:
            return value
    raise AssertionError("no ranking table on the page")


def shown_order(app: AppTest, lang: str = "zh") -> list[str]:
    return list(ranking_table(app, lang)[label("measure", lang)])


def names(analysis: Analysis, lang: str = "zh") -> list[str]:
    return [entry.name.get(lang) for entry in analysis.ranking]


def expected(problem: Problem, settings: Settings) -> list[str]:
    return names(run(problem, settings))


def settings_of(app: AppTest) -> Settings:
    return app.session_state[state.SETTINGS]
