"""The workspace in the app: every change saved as it happens, continued in a new session, undone
and redone, opened from a link, refused (and kept) when someone else saved first."""

from __future__ import annotations

from dataclasses import replace

from streamlit.testing.v1 import AppTest

from engine.settings import Settings
from engine.store import HistoryEntry, open_store
from tests.ui.conftest import page, settings_of, text
from ui import state, workspace
from ui.sidebar import W_REDO, W_UNDO

W_BUDGET = "w:budget:amount"


def run(app: AppTest) -> AppTest:
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def history_rows() -> int:
    return len(workspace.store().history(workspace.project_id()))


def open_scenario(app: AppTest) -> workspace.Scenario:
    return app.session_state[workspace.OPEN]


def choose_method(app: AppTest, name: str) -> AppTest:
    app.selectbox(key=state.W_METHOD).select(name)
    return run(app)


def test_the_first_session_opens_a_working_scenario_made_from_the_defaults():
    app = run(page("ranking"))
    opened = open_scenario(app)
    assert opened.name == text("workspace.default_name") == "工作方案"
    assert opened.settings == Settings()
    assert app.query_params["scenario"] == opened.id
    assert any(f"?scenario={opened.id}`" in caption.value for caption in app.sidebar.caption)
    assert app.sidebar.button(key=W_UNDO).disabled and app.sidebar.button(key=W_REDO).disabled
    assert workspace.store().opened(workspace.project_id()).id == opened.id


def test_a_change_is_there_in_a_new_session_on_the_same_database():
    first = choose_method(run(page("ranking")), "vikor")
    assert settings_of(first).method == "vikor"
    budget = run(page("budget"))
    budget.slider(key=W_BUDGET).set_value(40.0)
    run(budget)

    again = run(page("ranking"))  # a new tab, or the app after a restart
    assert settings_of(again).method == "vikor"
    assert again.selectbox(key=state.W_METHOD).value == "vikor"
    assert again.session_state[state.BUDGET] == 40.0
    assert open_scenario(again).id == open_scenario(first).id


def test_choices_the_session_does_not_hold_are_kept_by_its_saves():
    app = run(page("ranking"))
    opened = open_scenario(app)
    store = workspace.store()
    # another page's choice, saved beside the session (here: no expert panel's weights in use)
    store.save_scenario(opened.project, opened.name, opened.settings, choices={"panel": None})
    app = run(page("ranking"))  # a new session, so that it starts from the version just saved
    choose_method(app, "vikor")
    saved = store.scenario(opened.project, opened.id)
    assert saved.settings.method == "vikor" and "panel" in saved.choices


def test_unchanged_reruns_write_no_history_row():
    app = run(page("ranking"))
    before = history_rows()
    for _ in range(3):
        run(app)
    assert history_rows() == before
    choose_method(app, "wsm")
    assert history_rows() == before + 1
    run(app)
    run(page("ranking"))  # opening the scenario in a new session is no change either
    assert history_rows() == before + 1


def test_undo_and_redo_round_trip_settings_and_choices():
    app = run(page("budget"))
    app.session_state[state.SETTINGS] = replace(Settings(), method="vikor")  # as a callback would
    run(app)
    app.slider(key=W_BUDGET).set_value(40.0)
    run(app)
    assert app.session_state[state.BUDGET] == 40.0

    app.sidebar.button(key=W_UNDO).click()
    run(app)
    assert app.session_state[state.BUDGET] is None  # the choice, and the slider, back to the proposal
    assert app.slider(key=W_BUDGET).value != 40.0
    assert settings_of(app).method == "vikor"
    assert not app.sidebar.button(key=W_REDO).disabled

    app.sidebar.button(key=W_UNDO).click()
    run(app)
    assert settings_of(app).method == "topsis"
    assert app.sidebar.button(key=W_UNDO).disabled  # back at the scenario as it was created

    app.sidebar.button(key=W_REDO).click()
    run(app)
    assert settings_of(app).method == "vikor" and app.session_state[state.BUDGET] is None
    app.sidebar.button(key=W_REDO).click()
    run(app)
    assert app.session_state[state.BUDGET] == 40.0 and app.slider(key=W_BUDGET).value == 40.0
    assert app.sidebar.button(key=W_REDO).disabled

    reasons = [entry.reason for entry in workspace.store().history(workspace.project_id(), limit=4)]
    assert reasons == ["redo", "redo", "undo", "undo"]


def test_undo_works_in_a_fresh_session_and_a_new_change_clears_redo():
    choose_method(run(page("ranking")), "vikor")
    fresh = run(page("ranking"))
    assert not fresh.sidebar.button(key=W_UNDO).disabled
    fresh.sidebar.button(key=W_UNDO).click()
    run(fresh)
    assert settings_of(fresh).method == "topsis"
    assert fresh.selectbox(key=state.W_METHOD).value == "topsis"
    assert not fresh.sidebar.button(key=W_REDO).disabled
    choose_method(fresh, "wsm")
    assert fresh.sidebar.button(key=W_REDO).disabled


def test_a_link_opens_its_scenario_and_an_unknown_one_falls_back_with_a_warning():
    store = workspace.store()
    talent = store.save_scenario(
        workspace.project_id(), "人才优先", Settings(method="promethee"), choices={"budget": 30.0}
    )
    linked = page("ranking")
    linked.query_params["scenario"] = talent.id
    run(linked)
    assert open_scenario(linked).id == talent.id
    assert settings_of(linked).method == "promethee" and linked.session_state[state.BUDGET] == 30.0
    assert "人才优先" in linked.sidebar.markdown[0].value
    assert store.opened(workspace.project_id()).id == talent.id  # the next plain visit continues here

    unknown = page("ranking")
    unknown.query_params["scenario"] = "nosuchid"
    run(unknown)
    assert open_scenario(unknown).id == talent.id
    assert any("nosuchid" in warning.value for warning in unknown.warning)
    assert unknown.query_params["scenario"] == talent.id
    assert not any("nosuchid" in warning.value for warning in run(unknown).warning)  # said once


def test_a_save_by_someone_else_in_between_is_reported_and_nothing_is_lost(workspace_database):
    app = run(page("ranking"))
    opened = open_scenario(app)
    other = open_store(str(workspace_database))
    theirs = other.save_scenario(
        opened.project, opened.name, Settings(method="wsm"), expected_version=opened.version, who="colleague"
    )
    rows = history_rows()

    choose_method(app, "vikor")
    conflict = app.session_state[workspace.CONFLICT]
    assert conflict == workspace.Conflict(
        opened.id, opened.name, opened.version, replace(Settings(), method="vikor"), conflict.choices
    )
    assert any(opened.name in warning.value for warning in app.warning)
    assert history_rows() == rows  # nothing saved over theirs
    assert other.scenario(opened.project, opened.id).settings == theirs.settings
    assert settings_of(app).method == "vikor"  # mine is still in the session

    choose_method(app, "promethee")  # further changes stay with the conflict, still unsaved
    assert app.session_state[workspace.CONFLICT].settings.method == "promethee"
    assert history_rows() == rows
    other.close()


def test_a_newer_catalogue_is_reported_and_reranking_saves_the_scenario_on_it():
    run(page("ranking"))
    store = workspace.store()
    project = workspace.project_id()
    files, _ = store.files(project)
    edited = files["catalogue"].yaml.replace("大力发展科技金融", "大力发展科技金融（修订）", 1)
    assert edited != files["catalogue"].yaml
    store.update_files(project, {"catalogue": edited})

    fresh = run(page("ranking"))
    assert open_scenario(fresh).revision == 1
    shown = " ".join(warning.value for warning in fresh.warning)
    assert "1" in shown and "2" in shown
    assert any("修订" in markdown.value for markdown in fresh.markdown)  # what changed, by name
    fresh.button(key="w:workspace:rerank").click()
    run(fresh)
    assert open_scenario(fresh).revision == 2
    assert store.scenario(project, open_scenario(fresh).id).revision == 2
    assert not [button for button in fresh.button if button.key == "w:workspace:rerank"]


def entry(
    reason: str | None, before: dict | None, after: dict | None, action: str = "update"
) -> HistoryEntry:
    return HistoryEntry("p", 0, "", "me", "scenario", "s", action, before, after, reason)


def state_of(method: str) -> dict:
    return {"name": "x", "settings": {"method": method}, "choices": {}, "note": "", "revision": 1}


def test_undo_restores_the_newest_change_not_yet_undone():
    a, b, c = state_of("topsis"), state_of("vikor"), state_of("wsm")
    created = entry(None, None, a, "create")
    first, second = entry(None, a, b), entry(None, b, c)
    undo_second, undo_first = entry("undo", c, b), entry("undo", b, a)
    redo_first = entry("redo", a, b)
    newest_first = workspace.previous_state
    assert newest_first([second, first, created]) == b
    assert newest_first([undo_second, second, first, created]) == a
    assert newest_first([undo_first, undo_second, second, first, created]) is None
    assert newest_first([redo_first, undo_first, undo_second, second, first, created]) == a
    renamed = entry(None, {**b, "name": "y"}, {**b, "name": "z"}, "rename")
    assert newest_first([renamed, first, created]) == a
    assert newest_first([]) is None
