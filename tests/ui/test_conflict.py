"""Two analysts, one scenario: the second save is refused and the banner offers three ways out.

Each session signs in with the password file, so the history shows who saved what.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from engine import passwords
from engine.settings import Settings
from engine.store import open_store
from tests.ui.conftest import page, settings_of, text
from ui import auth, conflict, state, workspace


@pytest.fixture(autouse=True)
def password_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "passwords"
    passwords.add(path, "alice", "alice's long password")
    passwords.add(path, "bob", "bob's long password")
    monkeypatch.setenv(auth.MODE_VARIABLE, "password")
    monkeypatch.setenv(passwords.ENVIRONMENT, str(path))
    return path


def signed_in(name: str) -> AppTest:
    app = page("history").run()
    app.text_input(key=auth.W_NAME).input(name)
    app.text_input(key=auth.W_PASSWORD).input(f"{name}'s long password")
    next(b for b in app.button if b.label == text("auth.sign_in")).click()
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def clean(app: AppTest) -> AppTest:
    assert not app.exception, [e.value for e in app.exception]
    return app


def banner_shown(app: AppTest) -> bool:
    return any(text("conflict.title").split("{name}")[1][:6] in w.value for w in app.warning)


def refused_save(bob_method: str | None = None) -> tuple[AppTest, AppTest, str]:
    """Alice switches to VIKOR and saves; Bob, on the same version, sets a budget (and a method)."""
    alice, bob = signed_in("alice"), signed_in("bob")
    scenario = alice.session_state[workspace.OPEN].id
    assert bob.session_state[workspace.OPEN].id == scenario  # both opened the working scenario
    alice.session_state[state.SETTINGS] = Settings(method="vikor")
    clean(alice.run())
    bob.session_state[state.BUDGET] = 54.0
    if bob_method:
        bob.session_state[state.SETTINGS] = Settings(method=bob_method)
    clean(bob.run())
    assert banner_shown(bob) and not banner_shown(alice)
    return alice, bob, scenario


def test_the_second_save_is_refused_and_the_banner_says_by_whom_and_what_differs() -> None:
    _, bob, scenario = refused_save()
    stored = open_store().scenario("wuhan", scenario)
    assert stored.settings.method == "vikor" and stored.choices.get("budget") is None  # bob saved nothing
    by = [m.value for m in bob.markdown if "alice" in m.value]
    assert by and f"{stored.version}" in by[0]
    differs = bob.dataframe[0].value
    fields = list(differs[text("conflict.col_field")])
    assert text("history.field.method") in fields and text("history.field.budget") in fields
    row = differs[differs[text("conflict.col_field")] == text("history.field.budget")].iloc[0]
    assert row[text("conflict.col_mine")] == "54" and row[text("conflict.col_theirs")] == "—"


def test_taking_theirs_keeps_mine_as_a_copy() -> None:
    _, bob, scenario = refused_save()
    bob.button(key=conflict.W_TAKE).click()
    clean(bob.run())
    assert not banner_shown(bob)
    assert settings_of(bob).method == "vikor" and bob.session_state[state.BUDGET] is None
    assert conflict.W_COPY_NAME not in bob.session_state  # a later conflict proposes a fresh name
    store = open_store()
    copies = [s.scenario for s in store.scenarios("wuhan") if s.scenario.id != scenario]
    assert len(copies) == 1 and copies[0].choices["budget"] == 54.0  # nothing bob changed is lost
    assert {e.who for e in store.history("wuhan", entity="scenario")} == {"alice", "bob"}


def test_merging_disjoint_changes_keeps_both() -> None:
    _, bob, scenario = refused_save()
    bob.button(key=conflict.W_MERGE).click()
    clean(bob.run())
    assert not banner_shown(bob)
    store = open_store()
    merged = store.scenario("wuhan", scenario)
    assert merged.settings.method == "vikor" and merged.choices["budget"] == 54.0
    assert settings_of(bob).method == "vikor" and bob.session_state[state.BUDGET] == 54.0
    newest = store.history("wuhan", entity_id=scenario, limit=2)
    assert [(e.who, e.reason) for e in newest] == [("bob", conflict.MERGE_REASON), ("alice", None)]


@pytest.mark.parametrize("side, method", [("mine", "wsm"), ("theirs", "vikor")])
def test_a_setting_both_changed_is_picked_by_hand(side: str, method: str) -> None:
    _, bob, scenario = refused_save(bob_method="wsm")
    pick = bob.radio(key=conflict.pick_key(("settings", "method")))
    pick.set_value(side).run()
    bob.button(key=conflict.W_MERGE).click()
    clean(bob.run())
    merged = open_store().scenario("wuhan", scenario)
    assert merged.settings.method == method and merged.choices["budget"] == 54.0
    assert settings_of(bob).method == method


def test_saving_mine_as_a_copy_opens_the_copy_and_leaves_theirs() -> None:
    _, bob, scenario = refused_save()
    bob.text_input(key=conflict.W_COPY_NAME).input("bob's budget")
    bob.button(key=conflict.W_COPY).click()
    clean(bob.run())
    assert not banner_shown(bob)
    store = open_store()
    copy = store.scenario("wuhan", "bob's budget")
    assert copy.choices["budget"] == 54.0 and copy.settings.method == "topsis"
    assert bob.session_state[workspace.OPEN].id == copy.id
    assert store.scenario("wuhan", scenario).settings.method == "vikor"
    assert store.history("wuhan", entity_id=copy.id)[0].who == "bob"
