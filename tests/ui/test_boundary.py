"""The error boundary: a page or callback that raises shows a short localised message, keeps the
sidebar and navigation, resets only its own page's choices, logs the traceback, and lets
Streamlit's own control flow (st.stop, st.rerun, st.switch_page) through."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import TIMEOUT, text
from ui import boundary, state

MAIN = """
import streamlit as st
from ui import boundary, state
state.init()
navigation = st.navigation([
    st.Page("fine.py", title="fine", url_path="overview", default=True),
    st.Page("broken.py", title="broken", url_path="robustness"),
    st.Page("stops.py", title="stops", url_path="memo"),
    st.Page("moves.py", title="moves", url_path="budget"),
    st.Page("clicks.py", title="clicks", url_path="experts"),
])
boundary.run_page(navigation)
"""

PAGES = {
    "fine.py": "from ui import page\npage.start('overview')\n",
    "broken.py": (
        "import streamlit as st\nfrom ui import page\npage.start('robustness')\n"
        "st.markdown('drawn before the failure')\nraise RuntimeError('the secret details')\n"
    ),
    "stops.py": (
        "import streamlit as st\nfrom ui import page\npage.start('memo')\n"
        "if not st.session_state.get('rerun'):\n    st.session_state['rerun'] = True\n    st.rerun()\n"
        "st.markdown('after the rerun')\nst.stop()\nst.markdown('never drawn')\n"
    ),
    "moves.py": "import streamlit as st\nst.switch_page('fine.py')\n",
    "clicks.py": (
        "import streamlit as st\nfrom ui import boundary, page\npage.start('experts')\n"
        "@boundary.callback\ndef fails():\n    raise ValueError('callback details')\n"
        "st.button('go', on_click=fails)\n"
    ),
}


@pytest.fixture
def app(tmp_path: Path) -> AppTest:
    (tmp_path / "main.py").write_text(MAIN, encoding="utf-8")
    for name, source in PAGES.items():
        (tmp_path / name).write_text(source, encoding="utf-8")
    test = AppTest.from_file(str(tmp_path / "main.py"), default_timeout=TIMEOUT).run()
    assert not test.exception, [e.value for e in test.exception]
    return test


@pytest.fixture
def logged(caplog) -> Iterator[pytest.LogCaptureFixture]:
    """The boundary's log records (its logger, like Streamlit's, does not propagate to the root)."""
    boundary.logger.addHandler(caplog.handler)
    yield caplog
    boundary.logger.removeHandler(caplog.handler)


def go(app: AppTest, tmp: str) -> AppTest:
    app.switch_page(tmp).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_a_page_that_raises_shows_a_short_message_and_logs_the_traceback(app, tmp_path, logged):
    go(app, str(tmp_path / "broken.py"))
    assert [e.value for e in app.error] == [text("errors.page_failed")]
    assert "the secret details" not in str([m.value for m in app.markdown])
    assert app.main.markdown[-1].value == "drawn before the failure"
    assert app.button(key=boundary.reset_key("robustness")).label == text("errors.reset_page")
    # the sidebar was drawn and still works: the message follows the language
    app.sidebar.radio(key=state.W_LANG).set_value("en").run()
    assert not app.exception
    assert [e.value for e in app.error] == [text("errors.page_failed", "en")]
    failures = [r for r in logged.records if r.name == boundary.logger.name]
    assert failures and failures[0].levelno == logging.ERROR
    assert "'robustness'" in failures[0].getMessage()
    assert failures[0].exc_info and "the secret details" in str(failures[0].exc_info[1])
    # and the navigation too
    go(app, str(tmp_path / "fine.py"))
    assert not app.error and app.title[0].value == text("nav.overview", "en")


def test_the_reset_button_forgets_only_that_pages_choices(app, tmp_path):
    app.session_state[state.ROBUST_MODEL] = "uniform"
    app.session_state[state.SAMPLES] = 50_000
    app.session_state[state.BUDGET] = 80.0
    app.session_state[state.BUDGET_MUST] = ["tech_finance"]
    go(app, str(tmp_path / "broken.py"))
    app.button(key=boundary.reset_key("robustness")).click().run()
    assert not app.exception
    assert app.session_state[state.ROBUST_MODEL] is None
    assert app.session_state[state.SAMPLES] == state.DEFAULTS[state.SAMPLES]
    assert app.session_state[state.BUDGET] == 80.0
    assert app.session_state[state.BUDGET_MUST] == ["tech_finance"]


def test_every_page_owns_known_keys():
    from ui.views import PAGES as REGISTERED

    assert set(state.PAGE_STATE) == {spec.key for spec in REGISTERED}
    plain = set(state.DEFAULTS)
    for page, keys in state.PAGE_STATE.items():
        for key in keys:
            assert key.endswith(":") or key in plain, (page, key)


def test_rerun_stop_and_switch_page_pass_through(app, tmp_path):
    go(app, str(tmp_path / "stops.py"))
    assert not app.error
    assert app.main.markdown[-1].value == "after the rerun"
    go(app, str(tmp_path / "moves.py"))
    assert not app.error
    assert app.title[0].value == text("nav.overview")


def test_a_callback_that_raises_changes_nothing_and_says_so(app, tmp_path, logged):
    go(app, str(tmp_path / "clicks.py"))
    app.button[0].click().run()
    assert not app.exception
    assert [e.value for e in app.error] == [text("errors.callback_failed")]
    assert any("fails" in r.getMessage() and r.exc_info for r in logged.records)
    app.run()
    assert not app.error
