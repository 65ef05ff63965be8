"""The scenarios page: save as, switch, rename, duplicate, note, link and delete, each through the
store of the test's own workspace; refused names show the store's reason and keep what was typed."""

from __future__ import annotations

from dataclasses import replace

from streamlit.testing.v1 import AppTest

from engine.settings import Settings
from tests.ui.conftest import page, started, text
from ui import state, workspace

TALENT = Settings(weight_source="preset", preset="talent_first")
W_SAVE_AS, W_SAVE_AS_GO, W_SELECT, W_SWITCH = (
    f"w:scenarios:{k}" for k in ("save_as", "save_as_go", "select", "switch")
)
W_DELETE, W_DELETE_YES, W_DELETE_NO = (f"w:scenarios:{k}" for k in ("delete", "delete_yes", "delete_no"))


def rename_key(scenario_id: str) -> str:
    return f"w:scenarios:rename:{scenario_id}"


def duplicate_key(scenario_id: str) -> str:
    return f"w:scenarios:duplicate:{scenario_id}"


def note_key(scenario_id: str) -> str:
    return f"w:scenarios:note:{scenario_id}"


def listed(app: AppTest, lang: str = "zh") -> list[str]:
    return list(app.dataframe[0].value[text("scenarios.name", lang)])


def open_name(app: AppTest) -> str:
    return app.session_state[workspace.OPEN].name


def ok(app: AppTest) -> AppTest:
    assert not app.exception, [e.value for e in app.exception]
    return app


def save_as(app: AppTest, name: str) -> AppTest:
    app.text_input(key=W_SAVE_AS).input(name).run()
    return ok(app.button(key=W_SAVE_AS_GO).click().run())


def select(app: AppTest, name: str) -> AppTest:
    scenario_id = workspace.store().scenario("wuhan", name).id
    return ok(app.selectbox(key=f"{W_SELECT}:zh").set_value(scenario_id).run())


def test_the_working_scenario_is_listed_and_open():
    app = started("scenarios")
    assert listed(app) == [text("workspace.default_name")]
    assert app.dataframe[0].value[text("scenarios.open")].tolist() == ["●"]
    assert "1. 营商环境" in app.dataframe[0].value[text("scenarios.top")][0]
    assert any("?scenario=" in code.value for code in app.code)


def test_save_as_switch_rename_duplicate_delete_round_trip():
    app = started("scenarios")
    working = text("workspace.default_name")

    # save the open scenario under a new name: the copy is now open, and changes save into it
    save_as(app, "人才优先")
    assert open_name(app) == "人才优先"
    app.session_state[state.SETTINGS] = TALENT
    ok(app.run())
    assert app.query_params["scenario"] == app.session_state[workspace.OPEN].id
    assert sorted(listed(app)) == sorted(["人才优先", working])
    assert workspace.store().scenario("wuhan", "人才优先").settings == TALENT
    assert app.text_input(key=W_SAVE_AS).value == ""  # cleared once saved

    # switch back to the working scenario: its settings return to the session
    select(app, working)
    ok(app.button(key=W_SWITCH).click().run())
    assert open_name(app) == working
    assert app.session_state[state.SETTINGS] == Settings()

    # rename the open scenario: it stays open under its new name, and the next change saves into it
    scenario_id = app.session_state[workspace.OPEN].id
    app.text_input(key=rename_key(scenario_id)).input("基准").run()
    ok(app.button(key="w:scenarios:rename_go").click().run())
    assert open_name(app) == "基准" and "基准" in listed(app)
    app.session_state[state.SETTINGS] = replace(Settings(), method="vikor")
    ok(app.run())
    assert workspace.store().scenario("wuhan", "基准").settings.method == "vikor"
    assert workspace.CONFLICT not in app.session_state

    # duplicate it
    app.text_input(key=duplicate_key(scenario_id)).input("基准副本").run()
    ok(app.button(key="w:scenarios:duplicate_go").click().run())
    assert sorted(listed(app)) == sorted(["人才优先", "基准", "基准副本"])
    assert workspace.store().scenario("wuhan", "基准副本").settings.method == "vikor"

    # the note
    app.text_area(key=note_key(scenario_id)).input("五月会议用").run()
    ok(app.button(key="w:scenarios:note_go").click().run())
    assert workspace.store().scenario("wuhan", "基准").note == "五月会议用"
    assert app.session_state[workspace.OPEN].note == "五月会议用"

    # delete the open one, after the confirmation: another scenario opens
    ok(app.button(key=W_DELETE).click().run())
    assert text("scenarios.delete_yes") in [b.label for b in app.button]
    assert "基准" in listed(app)  # nothing deleted before the confirmation
    ok(app.button(key=W_DELETE_YES).click().run())
    assert sorted(listed(app)) == sorted(["人才优先", "基准副本"])
    assert open_name(app) in ("人才优先", "基准副本")


def test_cancel_keeps_the_scenario():
    app = started("scenarios")
    ok(app.button(key=W_DELETE).click().run())
    ok(app.button(key=W_DELETE_NO).click().run())
    assert listed(app) == [text("workspace.default_name")]
    assert app.session_state[state.SCENARIOS_DELETE] is None


def test_deleting_the_last_scenario_makes_the_working_one_again():
    app = started("scenarios")
    first_id = app.session_state[workspace.OPEN].id
    ok(app.button(key=W_DELETE).click().run())
    ok(app.button(key=W_DELETE_YES).click().run())
    assert listed(app) == [text("workspace.default_name")]
    assert app.session_state[workspace.OPEN].id != first_id


def test_a_taken_name_is_refused_and_the_text_kept():
    app = started("scenarios")
    save_as(app, "人才优先")
    save_as(app, "人才优先")
    assert [e.value for e in app.error] == [text("scenarios.taken").format(name="人才优先")]
    assert app.text_input(key=W_SAVE_AS).value == "人才优先"
    assert sorted(listed(app)) == sorted(["人才优先", text("workspace.default_name")])


def test_an_empty_or_long_name_is_refused_with_the_stores_reason():
    app = started("scenarios")
    save_as(app, "   ")
    assert len(app.error) == 1 and "方案名称不能为空" in app.error[0].value  # the store's reason, in Chinese
    long = "长" * 201
    save_as(app, long)
    assert "方案名称至多 200 个字符" in app.error[0].value
    assert app.text_input(key=W_SAVE_AS).value == long
    assert listed(app) == [text("workspace.default_name")]


def test_rename_to_a_taken_name_is_refused_under_its_input():
    app = started("scenarios")
    save_as(app, "人才优先")
    scenario_id = app.session_state[workspace.OPEN].id
    app.text_input(key=rename_key(scenario_id)).input(text("workspace.default_name")).run()
    ok(app.button(key="w:scenarios:rename_go").click().run())
    assert len(app.error) == 1 and "已有名为" in app.error[0].value
    assert app.text_input(key=rename_key(scenario_id)).value == text("workspace.default_name")
    assert open_name(app) == "人才优先"


def test_english():
    app = page("scenarios")
    app.session_state[state.LANG] = "en"
    ok(app.run())
    assert app.title[0].value == text("nav.scenarios", "en")
    assert listed(app, "en") == [text("workspace.default_name", "en")]
