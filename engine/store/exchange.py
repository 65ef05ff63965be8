"""A project or a scenario as one YAML document: the exchange format of the workspace.

A project document holds the criteria, catalogue, evidence and presets as the exact text they
were loaded from, the scenarios, the whole history and the expert panels with every answer
(engine.store.panel_exchange), so export → import → export gives the same document byte for
byte. Imports are validated by the engine's own loaders before anything is written, with the
usual ``FILE: PLACE: expected`` messages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import yaml
from sqlalchemy import Connection, delete, insert, select

from engine.errors import InputError
from engine.io.reader import Reader
from engine.io.safe_yaml import parse_yaml
from engine.model import Problem
from engine.settings import Settings
from engine.store.choices import clean_choices
from engine.store.database import lock_project, write
from engine.store.panel_exchange import delete_panels, export_panels, insert_panels, read_panels, refuse_taken
from engine.store.schema import history, openings, projects, scenarios
from engine.store.workspace import (
    FILE_KINDS,
    ProjectFile,
    ProjectInfo,
    Scenario,
    Store,
    _files,
    _project_values,
    _scenario,
    _scenario_values,
    check_settings,
    files_before,
)

PROJECT_FORMAT = "policyrank-project"
SCENARIO_FORMAT = "policyrank-scenario"
FORMAT_VERSION = 1
HISTORY_KEYS = ("id", "at", "who", "entity", "entity_id", "action", "from", "to", "reason")
SCENARIO_KEYS = ("id", "name", "settings", "note", "revision", "version", "created", "updated")
OPENING_KEYS = ("who", "scenario", "updated")


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Multi-line text (the embedded files) as literal blocks, so the export reads like the files.
    PyYAML falls back to a quoted scalar whenever a block could not hold the text exactly. No
    anchors: the engine's loader refuses aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: Any, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump(document: Any) -> str:
    return yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def export_project(store: Store, project: str) -> str:
    with store.engine.connect() as connection:
        row = store._project_row(connection, project)
        rows = connection.execute(
            select(scenarios)
            .where(scenarios.c.project_id == project)
            .order_by(scenarios.c.created, scenarios.c.id)
        ).all()
        opened = connection.execute(
            select(openings).where(openings.c.project_id == project).order_by(openings.c.who)
        ).all()
        panel_documents = export_panels(connection, project)
    main, presets = _files(row)
    document = {
        "format": PROJECT_FORMAT,
        "version": FORMAT_VERSION,
        "id": row.id,
        "name": row.name,
        "revision": row.revision,
        "created": row.created,
        "updated": row.updated,
        "files": {
            **{kind: {"label": main[kind].label, "yaml": main[kind].yaml} for kind in FILE_KINDS},
            "presets": [{"label": p.label, "yaml": p.yaml} for p in presets],
        },
        "scenarios": [_scenario_document(_scenario(r)) for r in rows],
        "history": [entry.to_dict() for entry in reversed(store.history(project))],
        "openings": [{"who": o.who, "scenario": o.scenario_id, "updated": o.updated} for o in opened],
        "panels": panel_documents,
    }
    return dump(document)


def _scenario_document(scenario: Scenario) -> dict[str, Any]:
    return {
        "id": scenario.id,
        "name": scenario.name,
        "settings": scenario.settings.to_mapping(),
        "choices": scenario.choices,
        "note": scenario.note,
        "revision": scenario.revision,
        "version": scenario.version,
        "created": scenario.created,
        "updated": scenario.updated,
    }


def _string(reader: Reader, value: Any, place: str, *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise reader.fail(place, f"expected text, got {type(value).__name__}")
    return value


def _whole(reader: Reader, value: Any, place: str, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise reader.fail(place, f"expected a whole number >= {low}, got {value!r}")
    return value


def _file(reader: Reader, value: Any, place: str) -> ProjectFile:
    fields = reader.mapping(value, place, ("label", "yaml"))
    return ProjectFile(
        _string(reader, fields["label"], f"{place}.label"), _string(reader, fields["yaml"], f"{place}.yaml")
    )


def import_project(store: Store, text: str, *, source: str, replace: bool) -> ProjectInfo:
    """Write the project of an exported document, replacing one of the same id only if ``replace``."""
    from engine.load import problem_from_bytes

    reader = Reader(source)
    document = parse_yaml(text, source)
    top = reader.mapping(
        document,
        "",
        (
            "format",
            "version",
            "id",
            "name",
            "revision",
            "created",
            "updated",
            "files",
            "scenarios",
            "history",
        ),
        ("openings", "panels"),  # absent from exports written before users' openings and panels
    )
    if top["format"] != PROJECT_FORMAT or top["version"] != FORMAT_VERSION:
        raise reader.fail("format", f"expected format {PROJECT_FORMAT} version {FORMAT_VERSION}")
    project = reader.ident(top["id"], "id")
    name = _string(reader, top["name"], "name")
    revision = _whole(reader, top["revision"], "revision", 1)
    created, updated = (_string(reader, top[k], k) for k in ("created", "updated"))
    files_fields = reader.mapping(top["files"], "files", (*FILE_KINDS, "presets"))
    files = {kind: _file(reader, files_fields[kind], f"files.{kind}") for kind in FILE_KINDS}
    presets = [
        _file(reader, item, f"files.presets[{i}]")
        for i, item in enumerate(reader.sequence(files_fields["presets"], "files.presets", min_items=0))
    ]
    labelled = [(files[k], f"{source}: files.{k}") for k in FILE_KINDS]
    labelled += [(p, f"{source}: files.presets[{i}]") for i, p in enumerate(presets)]
    parts = [(f.yaml.encode("utf-8"), label) for f, label in labelled]
    problem = problem_from_bytes(parts[0], parts[1], parts[2], parts[3:])

    scenario_rows = []
    for i, item in enumerate(reader.sequence(top["scenarios"], "scenarios", min_items=0)):
        place = f"scenarios[{i}]"
        fields = reader.mapping(item, place, SCENARIO_KEYS, ("choices",))
        settings = Settings.from_mapping(fields["settings"], source, f"{place}.settings")
        check_settings(problem, settings, source, f"{place}.settings")
        scenario = Scenario(
            id=_string(reader, fields["id"], f"{place}.id"),
            project=project,
            name=_string(reader, fields["name"], f"{place}.name"),
            settings=settings,
            note=_string(reader, fields["note"], f"{place}.note"),
            revision=_whole(reader, fields["revision"], f"{place}.revision", 1),
            version=_whole(reader, fields["version"], f"{place}.version", 1),
            created=_string(reader, fields["created"], f"{place}.created"),
            updated=_string(reader, fields["updated"], f"{place}.updated"),
            choices=clean_choices(fields.get("choices"), source, f"{place}.choices"),
        )
        scenario_rows.append(_scenario_values(scenario))
    reader.unique((f"scenarios[{i}].name", row["name"]) for i, row in enumerate(scenario_rows))
    reader.unique((f"scenarios[{i}].id", row["id"]) for i, row in enumerate(scenario_rows))

    history_rows = []
    for i, item in enumerate(reader.sequence(top["history"], "history", min_items=0)):
        place = f"history[{i}]"
        fields = reader.mapping(item, place, HISTORY_KEYS)
        history_rows.append(
            {
                "project_id": project,
                "seq": _whole(reader, fields["id"], f"{place}.id", 1),
                "at": _string(reader, fields["at"], f"{place}.at"),
                "who": _string(reader, fields["who"], f"{place}.who"),
                "entity": _string(reader, fields["entity"], f"{place}.entity"),
                "entity_id": _string(reader, fields["entity_id"], f"{place}.entity_id"),
                "action": _string(reader, fields["action"], f"{place}.action"),
                "from_state": None
                if fields["from"] is None
                else json.dumps(fields["from"], ensure_ascii=False),
                "to_state": None if fields["to"] is None else json.dumps(fields["to"], ensure_ascii=False),
                "reason": _string(reader, fields["reason"], f"{place}.reason", optional=True),
            }
        )
    reader.unique((f"history[{i}].id", str(row["seq"])) for i, row in enumerate(history_rows))
    scenario_ids = {row["id"] for row in scenario_rows}
    opening_rows = []
    for i, item in enumerate(reader.sequence(top.get("openings", []), "openings", min_items=0)):
        place = f"openings[{i}]"
        fields = reader.mapping(item, place, OPENING_KEYS)
        scenario_id = _string(reader, fields["scenario"], f"{place}.scenario")
        if scenario_id not in scenario_ids:
            raise reader.fail(
                f"{place}.scenario", f"expected the id of a scenario of this project, got {scenario_id!r}"
            )
        opening_rows.append(
            {
                "project_id": project,
                "who": _string(reader, fields["who"], f"{place}.who"),
                "scenario_id": scenario_id,
                "updated": _string(reader, fields["updated"], f"{place}.updated"),
            }
        )
    reader.unique((f"openings[{i}].who", row["who"]) for i, row in enumerate(opening_rows))
    edits = [
        (row["from_state"], row["to_state"])
        for row in sorted(history_rows, key=lambda row: row["seq"], reverse=True)
        if row["entity"] == "project" and row["action"] in ("edit", "revert")
    ]
    problems = {revision: problem}

    def problem_at(asked: int) -> Problem:
        """The project's Problem at an earlier revision, from the document's files and history."""
        if asked not in problems:
            try:
                main, older = files_before(files, presets, edits, asked)
            except (KeyError, TypeError, ValueError, AttributeError):
                raise reader.fail(
                    "history", f"expected the edits of the project's files back to revision {asked}"
                ) from None
            labelled = [(main[k], f"{source}: files.{k} at revision {asked}") for k in FILE_KINDS]
            labelled += [
                (p, f"{source}: files.presets[{i}] at revision {asked}") for i, p in enumerate(older)
            ]
            texts = [(f.yaml.encode("utf-8"), label) for f, label in labelled]
            problems[asked] = problem_from_bytes(texts[0], texts[1], texts[2], texts[3:])
        return problems[asked]

    panel_rows = read_panels(reader, top.get("panels", []), project, revision, problem_at)
    values = _project_values(project, name, files, presets, revision, updated, created)

    def work(connection: Connection) -> None:
        lock_project(connection, project)
        exists = connection.scalar(select(projects.c.id).where(projects.c.id == project)) is not None
        if exists and not replace:
            raise InputError(source, "id", f"project {project!r} already exists; import it with --replace")
        taken = connection.scalars(
            select(scenarios.c.id).where(
                scenarios.c.project_id != project, scenarios.c.id.in_([r["id"] for r in scenario_rows])
            )
        ).first()
        if taken is not None:
            raise InputError(source, "scenarios", f"scenario id {taken} belongs to another project")
        refuse_taken(connection, project, panel_rows, source)
        if exists:
            delete_panels(connection, project)
            connection.execute(delete(openings).where(openings.c.project_id == project))
            connection.execute(delete(history).where(history.c.project_id == project))
            connection.execute(delete(scenarios).where(scenarios.c.project_id == project))
            connection.execute(delete(projects).where(projects.c.id == project))
        connection.execute(insert(projects).values(values))
        if scenario_rows:
            connection.execute(insert(scenarios), scenario_rows)
        if history_rows:
            connection.execute(insert(history), history_rows)
        if opening_rows:
            connection.execute(insert(openings), opening_rows)
        insert_panels(connection, panel_rows)

    write(store.engine, work)
    return store.project(project)


# ---------------------------------------------------------------- one scenario


@dataclass(frozen=True)
class ScenarioDocument:
    name: str
    note: str
    settings: Settings
    choices: dict[str, Any]


def export_scenario(scenario: Scenario) -> str:
    return dump(
        {
            "format": SCENARIO_FORMAT,
            "version": FORMAT_VERSION,
            "name": scenario.name,
            "note": scenario.note,
            "settings": scenario.settings.to_mapping(),
            "choices": scenario.choices,
        }
    )


def read_scenario(text: str, source: str) -> ScenarioDocument:
    reader = Reader(source)
    fields = reader.mapping(
        parse_yaml(text, source), "", ("format", "version", "name", "settings"), ("note", "choices")
    )
    if fields["format"] != SCENARIO_FORMAT or fields["version"] != FORMAT_VERSION:
        raise reader.fail("format", f"expected format {SCENARIO_FORMAT} version {FORMAT_VERSION}")
    return ScenarioDocument(
        name=_string(reader, fields["name"], "name"),
        note=_string(reader, fields.get("note", ""), "note"),
        settings=Settings.from_mapping(fields["settings"], source, "settings"),
        choices=clean_choices(fields.get("choices"), source, "choices"),
    )
