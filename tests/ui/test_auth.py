"""Sign-in: off by default (the OS user), a password file or OpenID Connect when the server says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from engine import passwords
from engine.settings import Settings
from engine.store import open_store
from engine.store.workspace import current_user
from tests.ui.conftest import ROOT, TIMEOUT, page, started, text
from ui import auth, state


@pytest.fixture
def password_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "passwords"
    passwords.add(path, "alice", "alice's long password")
    passwords.add(path, "bob", "bob's long password")
    monkeypatch.setenv(auth.MODE_VARIABLE, "password")
    monkeypatch.setenv(passwords.ENVIRONMENT, str(path))
    return path


def sign_in(app: AppTest, name: str, password: str) -> AppTest:
    app.text_input(key=auth.W_NAME).input(name)
    app.text_input(key=auth.W_PASSWORD).input(password)
    next(b for b in app.button if b.label == text("auth.sign_in")).click()
    return app.run()


def gated(app: AppTest) -> bool:
    return [t.value for t in app.title] == [text("auth.title")]


def test_sign_in_is_off_by_default_and_changes_are_the_os_users() -> None:
    app = started("ranking")
    assert not gated(app) and not any(b.key == auth.W_SIGN_OUT for b in app.sidebar.button)
    app.session_state[state.SETTINGS] = Settings(method="wsm")
    app.run()
    assert open_store().history("wuhan", limit=1)[0].who == current_user()


def test_the_password_gate_refuses_a_wrong_password_and_lets_the_right_one_in(password_file: Path) -> None:
    app = page("ranking").run()
    assert gated(app) and not app.dataframe and not app.table
    assert [e.who for e in open_store().history("wuhan")] == ["policyrank"]  # nothing opened or saved
    app.radio(key=auth.W_LANG).set_value("en").run()
    assert app.title[0].value == text("auth.title", "en")
    app.radio(key=auth.W_LANG).set_value("zh").run()
    sign_in(app, "alice", "bob's long password")
    assert gated(app) and app.error[0].value == text("auth.refused")
    assert app.text_input(key=auth.W_PASSWORD).value == ""  # not kept after the check
    sign_in(app, "mallory", "alice's long password")
    assert gated(app)
    sign_in(app, "alice", "alice's long password")
    assert not app.exception, [e.value for e in app.exception]
    assert not gated(app) and app.title[0].value == text("nav.ranking")
    assert text("auth.signed_in_as").format(name="alice") in [c.value for c in app.sidebar.caption]
    app.session_state[state.SETTINGS] = Settings(method="vikor")
    app.run()
    assert open_store().history("wuhan", limit=1)[0].who == "alice"
    app.button(key=auth.W_SIGN_OUT).click().run()
    assert gated(app)


def test_the_entry_script_runs_no_page_before_sign_in(password_file: Path) -> None:
    app = AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=TIMEOUT).run()
    assert not app.exception, [e.value for e in app.exception]
    assert gated(app) and len(app.main.children) <= 4  # title, caption, the form: no page
    sign_in(app, "bob", "bob's long password")
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == text("nav.overview")
    assert open_store().opened("wuhan", "bob") is not None  # the session opened its scenario as bob


def test_oidc_without_a_provider_configured_lets_nobody_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(auth.MODE_VARIABLE, "oidc")
    app = page("ranking").run()
    assert gated(app) and app.error[0].value == text("auth.oidc_missing")
    assert not any(b.key == auth.W_SIGN_IN for b in app.button)


def test_an_unknown_sign_in_mode_lets_nobody_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(auth.MODE_VARIABLE, "ldap")
    app = page("ranking").run()
    assert not app.title and "POLICYRANK_AUTH='ldap'" in app.error[0].value
