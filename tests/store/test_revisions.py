"""What a scenario keeps beside its settings, where each user continues, and edits of the project's
files as revisions that can be read back and reverted."""

from __future__ import annotations

import pytest

from engine.errors import InputError
from engine.settings import Settings
from engine.store import SHIPPED_PROJECT, RevisionConflict

P = SHIPPED_PROJECT
CHOICES = {
    "budget": 54.0,
    "budget_rules": False,
    "budget_must": ["talent"],
    "budget_exclude": [],
    "samples": 100_000,
    "importance": {"fiscal_cost": 3.5},
}


def test_choices_are_saved_kept_by_a_settings_save_and_restored_by_a_revert(store):
    first = store.save_scenario(P, "s", Settings(), choices=CHOICES)
    assert store.scenario(P, "s").choices == CHOICES
    store.save_scenario(P, "s", Settings(method="wsm"))  # choices None: kept
    assert store.scenario(P, "s").choices == CHOICES
    store.save_scenario(P, "s", Settings(method="wsm"), choices={"budget": 80})
    change = store.history(P, entity_id=first.id, limit=1)[0]
    assert change.before["choices"] == CHOICES and change.after["choices"] == {"budget": 80}
    store.revert(P, change.id)
    assert store.scenario(P, "s").choices == CHOICES


@pytest.mark.parametrize(
    ("choices", "place", "expected"),
    [
        ({"budget": -1}, "choices.budget", "a number >= 0"),
        ({"budget": "a lot"}, "choices.budget", "a number >= 0"),
        ({"samples": 0}, "choices.samples", "a whole number of samples"),
        ({"budget_must": "talent"}, "choices.budget_must", "a list of ids"),
        ({"colour": "red"}, "choices.colour", "a known choice"),
        ({"importance": {"a": float("nan")}}, "choices.importance", "a mapping of criterion ids"),
    ],
)
def test_a_bad_choice_is_refused_by_name_and_nothing_is_written(store, choices, place, expected):
    with pytest.raises(InputError, match=rf"scenario s\.{place}: expected {expected}"):
        store.save_scenario(P, "s", Settings(), choices=choices)
    assert store.scenarios(P) == []


def test_each_user_continues_in_the_scenario_they_had_open(store):
    a = store.save_scenario(P, "a", Settings())
    b = store.save_scenario(P, "b", Settings(method="wsm"))
    assert store.opened(P, "ann") is None
    store.set_opened(P, a.id, "ann")
    store.set_opened(P, b.id, "bo")
    store.set_opened(P, b.id, "ann")
    assert store.opened(P, "ann").id == b.id and store.opened(P, "bo").id == b.id
    history_rows = len(store.history(P))
    store.delete(P, "b")
    assert store.opened(P, "ann") is None  # deleted since: the app opens another
    assert len(store.history(P)) == history_rows + 1  # the delete, not the openings
    with pytest.raises(InputError, match="no scenario"):
        store.set_opened(P, "no-such-id", "ann")


def _catalogue(store) -> str:
    return store.files(P)[0]["catalogue"].yaml


def test_an_edit_of_the_files_is_one_revision_with_its_history(store):
    before = store.project(P).revision
    old = _catalogue(store)
    new = old.replace("value: 40\n", "value: 41\n", 1)
    assert new != old
    info = store.update_files(P, {"catalogue": new}, expected_revision=before, who="ann", reason="new quote")
    assert info.revision == before + 1
    assert _catalogue(store) == new
    entry = store.history(P, limit=1)[0]
    assert (entry.entity, entry.action, entry.who, entry.reason) == ("project", "edit", "ann", "new quote")
    assert entry.before == {"revision": before, "files": {"catalogue": old}}
    assert entry.after == {"revision": before + 1, "files": {"catalogue": new}}
    assert store.files_at(P, before)["catalogue"].yaml == old
    assert store.problem_at(P, before).sources != store.problem(P).sources
    # the same text again is no change: no revision, no history row
    assert store.update_files(P, {"catalogue": new}).revision == before + 1
    assert store.history(P, limit=1)[0].id == entry.id


def test_a_stale_edit_is_refused_and_names_the_revisions(store):
    revision = store.project(P).revision
    store.update_files(P, {"catalogue": _catalogue(store) + "\n"})
    with pytest.raises(
        RevisionConflict, match=f"since revision {revision}; the current revision is {revision + 1}"
    ):
        store.update_files(P, {"catalogue": _catalogue(store) + "\n\n"}, expected_revision=revision)


def test_a_bad_edit_gives_the_file_message_and_writes_nothing(store):
    revision = store.project(P).revision
    criteria = store.files(P)[0]["criteria"]
    with pytest.raises(InputError, match=rf"^{criteria.label}: .*direction"):
        store.update_files(
            P, {"criteria": criteria.yaml.replace("direction: benefit", "direction: upward", 1)}
        )
    with pytest.raises(InputError, match="one of criteria, catalogue, evidence, got presets"):
        store.update_files(P, {"presets": criteria.yaml})
    assert store.project(P).revision == revision
    assert store.files(P)[0]["criteria"].yaml == criteria.yaml


def test_files_at_every_revision_and_a_revert_of_an_edit(store):
    texts = [_catalogue(store)]
    for extra in ("\n", "\n\n", "\n\n\n"):
        store.update_files(P, {"catalogue": texts[0] + extra})
        texts.append(_catalogue(store))
    last = store.project(P).revision
    for offset, text in enumerate(reversed(texts)):
        assert store.files_at(P, last - offset)["catalogue"].yaml == text
    with pytest.raises(InputError, match=f"a revision from 1 to {last}"):
        store.files_at(P, last + 1)
    edit = store.history(P, entity="project", limit=2)[1]  # the second-last edit
    store.revert(P, edit.id, who="bo")
    assert _catalogue(store) == texts[1]
    assert store.project(P).revision == last + 1
    reverted = store.history(P, limit=1)[0]
    assert (reverted.action, reverted.who, reverted.reason) == ("revert", "bo", f"revert of #{edit.id}")


def test_a_scenario_export_carries_its_choices(store):
    store.save_scenario(P, "s", Settings(), choices=CHOICES)
    text = store.export_scenario(P, "s")
    store.delete(P, "s")
    assert store.import_scenario(P, text).choices == CHOICES


def test_a_database_made_before_choices_is_migrated_in_place(tmp_path):
    import json

    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    from engine.store import open_store
    from engine.store.database import MIGRATIONS, make_engine

    url = f"sqlite+pysqlite:///{tmp_path / 'old.sqlite'}"
    engine = make_engine(sa.make_url(url))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(
            sa.text(
                "INSERT INTO projects VALUES ('p','n','c','x','h','c','x','h','e','x','h','[]',1,'t','t')"
            )
        )
        connection.execute(
            sa.text("INSERT INTO scenarios VALUES ('id1','p','old',:s,'',1,1,'t','t',NULL,NULL)"),
            {"s": json.dumps(Settings().to_mapping())},
        )
    engine.dispose()
    store = open_store(url)
    with store.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT choices FROM scenarios")).scalar() == "{}"
        assert connection.execute(sa.text("SELECT count(*) FROM openings")).scalar() == 0
    store.close()


def test_retiring_a_criterion_saves_the_presets_with_it_and_a_revert_brings_all_back(store):
    from engine.edit import ProjectFiles, retire_criterion

    main, presets = store.files(P)
    files = ProjectFiles.of(
        {k: (f.label, f.yaml) for k, f in main.items()}, {p.label: p.yaml for p in presets}
    )
    leaf = store.problem(P).leaf_ids[-1]
    edited = retire_criterion(files, leaf)
    assert edited.changed_presets, "every preset weighs every criterion"
    before = store.project(P).revision
    store.update_files(P, edited.changed, presets=edited.changed_presets, expected_revision=before)
    assert leaf not in store.problem(P).leaf_ids
    assert [p.yaml for p in store.presets_at(P, before)] == [p.yaml for p in presets]
    assert leaf in store.problem_at(P, before).leaf_ids
    with pytest.raises(InputError, match="expected one of criteria/presets/"):
        store.update_files(P, {}, presets={"criteria/presets/none.yaml": "x"})
    store.revert(P, store.history(P, entity="project", limit=1)[0].id)
    assert leaf in store.problem(P).leaf_ids
    assert [p.yaml for p in store.files(P)[1]] == [p.yaml for p in presets]
