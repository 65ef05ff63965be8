"""History page: the project's changes, filtered and paged in the database, each revertible."""

from __future__ import annotations

import datetime as dt
import json
import math
import time
from dataclasses import asdict

from streamlit.testing.v1 import AppTest

from engine.settings import Settings
from engine.store import open_store
from engine.store.browse import PAGE_SIZE
from engine.store.database import write
from engine.store.schema import history
from tests.ui.conftest import settings_of, started, text
from ui import state
from ui.views.history import Filter

COL_WHO, COL_CHANGE = text("history.col_who"), text("history.col_change")


def seed_scenarios() -> None:
    store = open_store()
    first = store.save_scenario("wuhan", "财政审慎", Settings(), who="li.wei", reason="first draft")
    store.save_scenario(
        "wuhan",
        "财政审慎",
        Settings(method="vikor"),
        expected_version=first.version,
        who="wang.fang",
        reason="VIKOR trial",
    )
    store.save_scenario("wuhan", "人才优先", Settings(method="wsm"), who="li.wei")
    store.close()


def shown(app: AppTest):
    return app.dataframe[0].value


def test_changes_are_listed_newest_first_with_what_changed() -> None:
    seed_scenarios()
    app = started("history")
    table = shown(app)
    # the project's creation, three scenario saves, and the session's own working scenario
    assert list(table["#"]) == sorted(table["#"], reverse=True)
    trial = table[table[text("history.col_reason")] == "VIKOR trial"].iloc[0]
    assert trial[COL_WHO] == "wang.fang"
    assert "TOPSIS" in trial[COL_CHANGE].upper() and "VIKOR" in trial[COL_CHANGE].upper()
    assert trial[text("history.col_utc")].endswith("Z")


def test_filters_narrow_the_list() -> None:
    seed_scenarios()
    app = started("history")
    app.selectbox(key="w:history:who:zh").set_value("wang.fang").run()
    assert list(shown(app)[COL_WHO]) == ["wang.fang"]
    app.selectbox(key="w:history:who:zh").set_value("").run()
    app.text_input(key="w:history:text").set_value("draft").run()
    assert list(shown(app)[text("history.col_reason")]) == ["first draft"]
    app.text_input(key="w:history:text").set_value("").run()
    app.selectbox(key="w:history:what:zh").set_value("project").run()
    assert list(shown(app)[text("history.col_action")]) == [text("history.action.create")]
    app.selectbox(key="w:history:what:zh").set_value("scenario").run()
    talent = open_store().scenario("wuhan", "人才优先").id
    app.selectbox(key="w:history:scenario:zh").set_value(talent).run()
    assert len(shown(app)) == 1
    # dates in the browser's zone: nothing was changed before 2020
    app.selectbox(key="w:history:scenario:zh").set_value("").run()
    app.date_input(key="w:history:until").set_value(dt.date(2020, 1, 1)).run()
    assert not app.dataframe and app.info[0].value == text("history.none")
    # the filters are kept for the next visit (the page script defines its own class on every run)
    assert asdict(app.session_state[state.HISTORY_FILTER]) == asdict(
        Filter(what="scenario", until=dt.date(2020, 1, 1))
    )


def test_a_revert_asks_first_and_is_recorded_with_its_reason() -> None:
    seed_scenarios()
    app = started("history")
    store = open_store()
    vikor_save = next(e.id for e in store.history("wuhan") if e.reason == "VIKOR trial")
    app.selectbox(key="w:history:chosen:zh").set_value(vikor_save).run()
    app.text_input(key="w:history:reason").set_value("VIKOR not agreed").run()
    app.button(key="w:history:revert").click().run()
    assert store.scenario("wuhan", "财政审慎").settings.method == "vikor"  # not before the confirmation
    app.button(key="w:history:cancel").click().run()
    assert not any(b.key == "w:history:confirm" for b in app.button)
    app.button(key="w:history:revert").click().run()
    app.button(key="w:history:confirm").click().run()
    assert not app.exception
    assert store.scenario("wuhan", "财政审慎").settings.method == "topsis"
    newest = store.history("wuhan", limit=1)[0]
    assert (newest.action, newest.reason) == ("revert", "VIKOR not agreed")
    assert app.success[0].value == text("history.reverted").format(id=vikor_save)
    store.close()


def test_reverting_a_change_of_the_open_scenario_reloads_it() -> None:
    app = started("history")
    app.session_state[state.SETTINGS] = Settings(method="wsm")
    app.run()  # autosaved into the session's working scenario
    store = open_store()
    saved = store.history("wuhan", limit=1)[0]
    assert saved.action == "update" and saved.after["settings"]["method"] == "wsm"
    app.selectbox(key="w:history:chosen:zh").set_value(saved.id).run()
    app.button(key="w:history:revert").click().run()
    app.button(key="w:history:confirm").click().run()
    assert not app.exception
    assert settings_of(app).method == "topsis"
    assert store.history("wuhan", limit=1)[0].action == "revert"  # and no autosave of the old session copy
    store.close()


def seed_history(rows: int) -> None:
    """``rows`` changes written straight into the table (this measures reading, not saving)."""
    store = open_store()
    scenario = store.save_scenario("wuhan", "大项目", Settings(), who="li.wei")
    methods = ("topsis", "vikor", "wsm", "promethee")
    states = [
        json.dumps({"name": "大项目", "settings": Settings(method=m).to_mapping(), "note": ""})
        for m in methods
    ]

    def add(connection) -> None:
        first = store.history("wuhan", limit=1)[0].id + 1
        connection.execute(
            history.insert(),
            [
                {
                    "project_id": "wuhan",
                    "seq": first + i,
                    "at": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:{i % 60:02d}.000000Z",
                    "who": ("li.wei", "wang.fang", "zhao.lei")[i % 3],
                    "entity": "scenario",
                    "entity_id": scenario.id,
                    "action": "update",
                    "from_state": states[i % 4],
                    "to_state": states[(i + 1) % 4],
                    "reason": f"step {i}",
                }
                for i in range(rows)
            ],
        )

    write(store.engine, add)
    store.close()


def test_ten_thousand_changes_open_a_page_at_a_time() -> None:
    seed_history(10_000)
    began = time.perf_counter()
    app = started("history")
    first_paint = time.perf_counter() - began
    assert len(shown(app)) == PAGE_SIZE
    total = len(open_store().history("wuhan"))
    assert total > 10_000
    pages = app.number_input(key="w:history:page")
    assert pages.max == math.ceil(total / PAGE_SIZE)
    pages.set_value(3).run()
    assert list(shown(app)["#"]) == list(range(total - 2 * PAGE_SIZE, total - 3 * PAGE_SIZE, -1))
    app.text_input(key="w:history:text").set_value("step 9999").run()
    assert list(shown(app)[text("history.col_reason")]) == ["step 9999"]
    print(f"history page, 10,000 changes: first run {first_paint:.2f} s")
    assert first_paint < 20  # the AppTest first run imports the app; the page itself reads 50 rows


def test_a_catalogue_edit_names_the_file_and_what_changed_and_can_be_reverted() -> None:
    from engine.edit.catalogue import retire_countermeasure
    from engine.edit.project import ProjectFiles, TextFile

    store = open_store()
    main, presets = store.files("wuhan")
    files = ProjectFiles(
        *(TextFile(main[kind].label, main[kind].yaml) for kind in ("criteria", "catalogue", "evidence")),
        tuple(TextFile(p.label, p.yaml) for p in presets),
    )
    retired = store.problem("wuhan").countermeasures[0]
    store.update_files(
        "wuhan", retire_countermeasure(files, retired.id).changed, who="zhao.lei", reason="duplicate"
    )
    app = started("history")
    app.selectbox(key="w:history:what:zh").set_value("project").run()
    edit = shown(app).iloc[0]
    assert edit[COL_WHO] == "zhao.lei" and edit[text("history.col_action")] == text("history.action.edit")
    assert text("history.file.catalogue") in edit[COL_CHANGE] and retired.short.get("zh") in edit[COL_CHANGE]
    entry = store.history("wuhan", entity="project", limit=1)[0]
    app.selectbox(key="w:history:chosen:zh").set_value(entry.id).run()
    app.button(key="w:history:revert").click().run()
    app.button(key="w:history:confirm").click().run()
    assert not app.exception
    assert retired.id in store.problem("wuhan").alternative_ids
    store.close()
