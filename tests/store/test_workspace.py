"""The workspace API: scenarios saved, versioned, listed with their top three, compared, reverted."""

from __future__ import annotations

import pytest

from engine.analysis import run
from engine.errors import InputError
from engine.settings import Settings
from engine.store import SHIPPED_PROJECT, VersionConflict
from tests.store.panels import EXPERTS_CSV, busy_panel, panel_tables

P = SHIPPED_PROJECT
TALENT = Settings(method="vikor").with_preset("talent_first")


def test_first_use_creates_the_shipped_project(store):
    [project] = store.projects()
    assert (project.id, project.revision) == ("wuhan", 1)
    assert store.problem(P).leaf_ids  # the stored files load as the engine's Problem
    assert store.scenarios(P) == []
    assert [e.action for e in store.history(P)] == ["create"]


def test_open_twice_migrates_once(db_url):
    from engine.store import open_store

    first, second = open_store(db_url), open_store(db_url)
    assert [p.id for p in second.projects()] == ["wuhan"]
    first.close()
    second.close()


def test_save_list_and_top_three(store):
    saved = store.save_scenario(P, "talent", TALENT, note="人才优先")
    assert (saved.version, saved.revision, saved.note) == (1, 1, "人才优先")
    assert saved.updated.endswith("Z") and saved.created == saved.updated
    store.save_scenario(P, "base", Settings())
    listed = {s.scenario.name: s for s in store.scenarios(P)}
    expected = [e.id for e in run(store.problem(P), TALENT).ranking[:3]]
    assert list(listed["talent"].top) == expected
    assert listed["talent"].to_dict()["method"] == "vikor"
    # the top three are kept with the scenario: a second listing reads them back
    again = {s.scenario.name: s.top for s in store.scenarios(P)}
    assert again == {name: s.top for name, s in listed.items()}


def test_scenario_by_id_or_name(store):
    saved = store.save_scenario(P, "base", Settings())
    assert store.scenario(P, saved.id) == store.scenario(P, "base") == saved


def test_a_stale_save_is_refused_with_the_current_version(store):
    first = store.save_scenario(P, "shared", Settings())
    store.save_scenario(P, "shared", TALENT, expected_version=first.version)  # alice: version 2
    with pytest.raises(VersionConflict, match="current version is 2") as refused:
        store.save_scenario(P, "shared", Settings(method="wsm"), expected_version=first.version)  # bob
    assert refused.value.current == 2
    assert store.scenario(P, "shared").settings == TALENT
    with pytest.raises(VersionConflict, match="already exists"):
        store.save_scenario(P, "shared", Settings(), expected_version=0)


def test_bad_settings_are_refused_before_writing(store):
    with pytest.raises(InputError, match="unknown preset 'nope'"):
        store.save_scenario(P, "x", Settings().with_preset("nope"))
    with pytest.raises(InputError, match="unknown expert"):
        store.save_scenario(P, "x", Settings(experts=("ghost",)))
    with pytest.raises(InputError, match="non-empty name"):
        store.save_scenario(P, "  ", Settings())
    assert store.scenarios(P) == []
    with pytest.raises(InputError, match="no project 'elsewhere'"):
        store.scenarios("elsewhere")


def test_rename_duplicate_delete_and_history(store):
    saved = store.save_scenario(P, "a", Settings())
    store.rename(P, "a", "b")
    copy = store.duplicate(P, "b", "c")
    assert copy.id != saved.id and copy.settings == saved.settings
    with pytest.raises(InputError, match="already exists"):
        store.rename(P, "b", "c")
    store.delete(P, "c")
    assert sorted(s.scenario.name for s in store.scenarios(P)) == ["b"]
    entries = store.history(P)
    assert [e.action for e in entries] == ["delete", "duplicate", "rename", "create", "create"]
    assert entries[2].before["name"] == "a" and entries[2].after["name"] == "b"
    assert entries[0].after is None and entries[0].to_dict()["from"]["name"] == "c"
    assert [e.action for e in store.history(P, entity_id=saved.id)] == ["rename", "create"]
    assert store.history(P, limit=1)[0].id == entries[0].id


def test_revert_brings_back_the_state_before_a_change(store):
    store.save_scenario(P, "s", Settings())
    store.save_scenario(P, "s", TALENT)
    update = store.history(P, limit=1)[0]
    reverted = store.revert(P, update.id, reason="back to AHP")
    assert reverted is not None and reverted.settings == Settings() and reverted.version == 3
    last = store.history(P, limit=1)[0]
    assert (last.action, last.reason) == ("revert", "back to AHP")
    store.delete(P, "s")
    restored = store.revert(P, store.history(P, limit=1)[0].id)
    assert restored is not None and store.scenario(P, "s").id == restored.id
    with pytest.raises(InputError, match="no change #999"):
        store.revert(P, 999)


def test_compare_shows_weights_rank_changes_and_costs(store):
    store.save_scenario(P, "base", Settings())
    store.save_scenario(P, "talent", TALENT)
    compared = store.compare(P, ["base", "talent"])
    assert [s["name"] for s in compared["scenarios"]] == ["base", "talent"]
    problem = store.problem(P)
    base, talent = run(problem, Settings()), run(problem, TALENT)
    for row in compared["ranking"]:
        ranks = [next(e.rank for e in a.ranking if e.id == row["id"]) for a in (base, talent)]
        assert row["ranks"] == ranks and row["change"] == [0, ranks[0] - ranks[1]]
    assert sum(w["weights"][1] for w in compared["weights"]) == pytest.approx(1)
    assert len(compared["costs"]["top"]) == 2
    with pytest.raises(InputError, match="two to four"):
        store.compare(P, ["base"])


def test_export_import_export_is_identical(store):
    store.save_scenario(P, "base", Settings(), note="first\nsecond line")
    store.save_scenario(P, "talent", TALENT)
    store.rename(P, "talent", "人才")
    exported = store.export_project(P)
    store.delete(P, "base")
    store.import_project(exported, replace=True)
    assert store.export_project(P) == exported
    assert store.scenario(P, "base").note == "first\nsecond line"
    with pytest.raises(InputError, match="already exists; import it with --replace"):
        store.import_project(exported)


def _tables(store):
    import sqlalchemy as sa

    from engine.store.schema import history, openings, projects, scenarios

    with store.engine.connect() as connection:
        return {
            **panel_tables(connection),
            "openings": connection.execute(sa.select(openings).order_by(openings.c.who)).all(),
            "projects": connection.execute(sa.select(projects)).all(),
            "scenarios": connection.execute(
                sa.select(*(c for c in scenarios.c if c.name not in ("top", "top_revision"))).order_by(
                    scenarios.c.id
                )
            ).all(),
            "history": connection.execute(sa.select(history).order_by(history.c.seq)).all(),
        }


def test_import_into_another_database_copies_every_row(tmp_path, store):
    from engine.store import open_store
    from engine.store.panel import Panels

    store.save_scenario(P, "base", Settings(), note="n")
    store.save_scenario(P, "base", TALENT, choices={"budget": 54.0, "budget_must": ["talent"]})
    store.set_opened(P, "base", who="analyst")
    token = busy_panel(store, P)  # asks revision 1's questions
    store.update_files(P, {"evidence": store.files(P)[0]["evidence"].yaml + "\n"}, reason="blank line")
    Panels(store).create(P, "second", EXPERTS_CSV)  # revision 2's
    exported = store.export_project(P)
    other = open_store(f"sqlite+pysqlite:///{tmp_path / 'other.sqlite'}")
    other.import_project(exported, replace=True)
    assert _tables(other) == _tables(store)
    assert other.export_project(P) == exported
    assert Panels(other).expert_for_token(token).expert == "li"  # the links sent keep working
    other.close()


def test_import_names_the_place_of_a_bad_file(store):
    exported = store.export_project(P)
    broken = exported.replace("direction: benefit", "direction: upward", 1)
    with pytest.raises(InputError, match=r"^import: files\.criteria: .*direction"):
        store.import_project(broken, replace=True)
    with pytest.raises(InputError, match=r"^import: line"):
        store.import_project("files: [", replace=True)
    bad_settings = exported.replace("scenarios: []", "scenarios:\n- {id: x, name: y}")
    with pytest.raises(InputError, match=r"scenarios\[0\]"):
        store.import_project(bad_settings, replace=True)


def test_scenario_export_and_import(store):
    store.save_scenario(P, "talent", TALENT, note="note")
    text = store.export_scenario(P, "talent")
    imported = store.import_scenario(P, text, name="talent copy")
    assert imported.settings == TALENT and imported.note == "note"
    with pytest.raises(VersionConflict):
        store.import_scenario(P, text)
