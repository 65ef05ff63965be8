"""The workspace API the app and the CLI call: projects, scenarios, their history, compare.

Every method that writes is one transaction (:func:`engine.store.database.write`) that also
appends what it changed to the history, so nothing is lost and every change can be reverted.
Scenarios carry a version: a save that names the version it started from is refused when someone
saved in between (:class:`VersionConflict`), never silently overwritten.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, Row, bindparam, delete, func, insert, select, update

from engine.errors import InputError
from engine.model import Problem
from engine.settings import Settings
from engine.store.choices import clean_choices
from engine.store.database import database_url, lock_project, make_engine, migrate, write
from engine.store.schema import history, openings, projects, scenarios
from engine.text.messages import coded

SOURCE = "workspace"
TOP = 3
FILE_KINDS = ("criteria", "catalogue", "evidence")

# the statements of an autosave, built once: building a statement costs more than running it
_REVISION = select(projects.c.revision).where(projects.c.id == bindparam("project"))
_PROJECT_INFO = select(
    projects.c.id, projects.c.name, projects.c.revision, projects.c.created, projects.c.updated
).where(projects.c.id == bindparam("project"))
_BY_NAME = select(scenarios).where(
    scenarios.c.project_id == bindparam("project"), scenarios.c.name == bindparam("name")
)
_LAST_SEQ = select(func.max(history.c.seq)).where(history.c.project_id == bindparam("project"))
_INSERT_HISTORY = insert(history)
_INSERT_SCENARIO = insert(scenarios)
_UPDATE_SCENARIO = update(scenarios).where(scenarios.c.id == bindparam("scenario_id"))


class VersionConflict(ValueError):
    """A save started from an older version of a scenario than the one stored now."""

    def __init__(self, name: str, expected: int, current: int | None) -> None:
        self.name, self.expected, self.current = name, expected, current
        if current is None:
            state = "it no longer exists (deleted by someone else)"
        elif expected == 0:
            state = f"a scenario of that name already exists (version {current})"
        else:
            state = f"it was saved by someone else since version {expected}: the current version is {current}"
        super().__init__(
            f"scenario {name!r} not saved: {state}; reload it to merge, or save it under another name"
        )


class RevisionConflict(ValueError):
    """An edit of the project's files started from an older revision than the one stored now."""

    def __init__(self, project: str, expected: int, current: int) -> None:
        self.project, self.expected, self.current = project, expected, current
        super().__init__(
            f"project {project!r} not saved: it was edited by someone else since revision {expected}; "
            f"the current revision is {current}: reload it and edit again"
        )


@dataclass(frozen=True)
class ProjectFile:
    label: str  # how messages name it, e.g. data/countermeasures.yaml
    yaml: str


@dataclass(frozen=True)
class ProjectInfo:
    id: str
    name: str
    revision: int
    created: str
    updated: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "revision": self.revision,
            "created": self.created,
            "updated": self.updated,
        }


@dataclass(frozen=True)
class Scenario:
    id: str
    project: str
    name: str
    settings: Settings
    note: str
    revision: int  # the project (catalogue) revision it was saved on
    version: int
    created: str
    updated: str
    choices: dict[str, Any] = field(default_factory=dict)  # engine.store.choices: budget, samples, …

    def state(self) -> dict[str, Any]:
        """What the history records of it (the version is the store's, not the analyst's)."""
        return {
            "name": self.name,
            "settings": self.settings.to_mapping(),
            "choices": self.choices,
            "note": self.note,
            "revision": self.revision,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "project": self.project,
            "name": self.name,
            "method": self.settings.method,
            "settings": self.settings.to_mapping(),
            "choices": self.choices,
            "note": self.note,
            "revision": self.revision,
            "version": self.version,
            "created": self.created,
            "updated": self.updated,
        }


@dataclass(frozen=True)
class ScenarioSummary:
    """A line of the scenario list: the scenario and its top three countermeasures (ids)."""

    scenario: Scenario
    top: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        s = self.scenario
        return {
            "id": s.id,
            "name": s.name,
            "method": s.settings.method,
            "top": list(self.top),
            "updated": s.updated,
        }


@dataclass(frozen=True)
class HistoryEntry:
    project: str
    id: int  # 1, 2, … within the project
    at: str
    who: str
    entity: str
    entity_id: str
    action: str
    before: Any  # the state before (JSON value), None when the entity did not exist
    after: Any  # the state after, None when it no longer exists
    reason: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "who": self.who,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "action": self.action,
            "from": self.before,
            "to": self.after,
            "reason": self.reason,
        }


def now() -> str:
    """The current time, ISO-8601 UTC to the microsecond (sorts as text)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def settings_json(settings: Settings) -> str:
    return json.dumps(settings.to_mapping(), ensure_ascii=False)


def check_settings(problem: Problem, settings: Settings, source: str, place: str) -> None:
    """Refuse settings that name a preset, expert or criterion the project does not have."""
    if settings.preset and not any(p.id == settings.preset for p in problem.presets):
        known = ", ".join(p.id for p in problem.presets) or "none"
        raise InputError(source, f"{place}.preset", f"unknown preset {settings.preset!r} (known: {known})")
    experts = [e.id for e in problem.criteria.experts]
    for expert in settings.experts:
        if expert not in experts:
            raise InputError(
                source, f"{place}.experts", f"unknown expert {expert!r} (known: {', '.join(experts)})"
            )
    for leaf, _ in settings.manual_weights:
        if leaf not in problem.leaf_ids:
            raise InputError(source, f"{place}.manual_weights", f"unknown criterion {leaf!r}")


def _scenario(row: Row[Any]) -> Scenario:
    return Scenario(
        id=row.id,
        project=row.project_id,
        name=row.name,
        settings=Settings.from_mapping(json.loads(row.settings), SOURCE, f"scenario {row.name}"),
        note=row.note,
        revision=row.revision,
        version=row.version,
        created=row.created,
        updated=row.updated,
        choices=json.loads(row.choices),
    )


def _entry(row: Row[Any]) -> HistoryEntry:
    return HistoryEntry(
        project=row.project_id,
        id=row.seq,
        at=row.at,
        who=row.who,
        entity=row.entity,
        entity_id=row.entity_id,
        action=row.action,
        before=None if row.from_state is None else json.loads(row.from_state),
        after=None if row.to_state is None else json.loads(row.to_state),
        reason=row.reason,
    )


def _project(row: Any) -> ProjectInfo:
    return ProjectInfo(
        id=row.id, name=row.name, revision=row.revision, created=row.created, updated=row.updated
    )


def record(
    connection: Connection,
    project: str,
    *,
    who: str,
    entity: str,
    entity_id: str,
    action: str,
    before: Any,
    after: Any,
    reason: str | None = None,
) -> int:
    """Append one history row in the caller's transaction; returns its id within the project."""
    last = connection.scalar(_LAST_SEQ, {"project": project})
    seq = (last or 0) + 1
    connection.execute(
        _INSERT_HISTORY,
        {
            "project_id": project,
            "seq": seq,
            "at": now(),
            "who": who,
            "entity": entity,
            "entity_id": entity_id,
            "action": action,
            "from_state": None if before is None else json.dumps(before, ensure_ascii=False),
            "to_state": None if after is None else json.dumps(after, ensure_ascii=False),
            "reason": reason,
        },
    )
    return seq


class Store:
    """One workspace database. Cheap to keep open; safe to share between threads."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._problems: dict[tuple[str, int], Problem] = {}
        self._tops: dict[tuple[str, int, str], tuple[str, ...]] = {}

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ projects

    def projects(self) -> list[ProjectInfo]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(projects).order_by(projects.c.id)).all()
        return [_project(row) for row in rows]

    def project(self, project: str) -> ProjectInfo:
        with self.engine.connect() as connection:
            row = connection.execute(_PROJECT_INFO, {"project": project}).one_or_none()
            if row is None:
                self._project_row(connection, project)  # names the known projects
            assert row is not None
            return _project(row)

    def _revision(self, connection: Connection, project: str) -> int:
        revision = connection.scalar(_REVISION, {"project": project})
        if revision is None:
            self._project_row(connection, project)  # names the known projects
        assert revision is not None
        return int(revision)

    def _project_row(self, connection: Connection, project: str) -> Row[Any]:
        row = connection.execute(select(projects).where(projects.c.id == project)).one_or_none()
        if row is None:
            known = ", ".join(connection.scalars(select(projects.c.id).order_by(projects.c.id))) or "none"
            raise InputError("--project", "", f"no project {project!r} in the workspace (known: {known})")
        return row

    def files(self, project: str) -> tuple[dict[str, ProjectFile], list[ProjectFile]]:
        """The project's criteria, catalogue and evidence, and its weight presets."""
        with self.engine.connect() as connection:
            row = self._project_row(connection, project)
        return _files(row)

    def problem(self, project: str) -> Problem:
        """The validated Problem of the project's current revision (cached per revision)."""
        return self._problem(project, self.project(project).revision)

    def _problem(self, project: str, revision: int) -> Problem:
        return self.problem_at(project, revision)

    def create_project(
        self,
        project: str,
        name: str,
        files: Mapping[str, ProjectFile],
        presets: Sequence[ProjectFile] = (),
        *,
        who: str | None = None,
    ) -> ProjectInfo:
        """A new project from its files (validated first, with the usual file messages)."""
        from engine.load import problem_from_bytes

        parts = [(files[k].yaml.encode("utf-8"), files[k].label) for k in FILE_KINDS]
        problem_from_bytes(parts[0], parts[1], parts[2], [(p.yaml.encode("utf-8"), p.label) for p in presets])
        stamp = now()

        def work(connection: Connection) -> None:
            lock_project(connection, project)
            if connection.scalar(select(projects.c.id).where(projects.c.id == project)) is not None:
                return  # created by another process a moment ago
            connection.execute(
                insert(projects).values(_project_values(project, name, files, presets, 1, stamp))
            )
            record(
                connection,
                project,
                who=who or current_user(),
                entity="project",
                entity_id=project,
                action="create",
                before=None,
                after={"name": name, "revision": 1},
            )

        write(self.engine, work)
        return self.project(project)

    # ------------------------------------------------------------------ scenarios

    def _find(self, connection: Connection, project: str, key: str) -> Row[Any] | None:
        by_id = connection.execute(
            select(scenarios).where(scenarios.c.project_id == project, scenarios.c.id == key)
        ).one_or_none()
        if by_id is not None:
            return by_id
        return connection.execute(
            select(scenarios).where(scenarios.c.project_id == project, scenarios.c.name == key)
        ).one_or_none()

    def _require(self, connection: Connection, project: str, key: str) -> Row[Any]:
        row = self._find(connection, project, key)
        if row is None:
            self._project_row(connection, project)
            names = connection.scalars(
                select(scenarios.c.name).where(scenarios.c.project_id == project).order_by(scenarios.c.name)
            ).all()
            known = ", ".join(names[:20]) + (", …" if len(names) > 20 else "") if names else "none saved yet"
            raise InputError("--scenario", "", f"no scenario {key!r} in project {project!r} (known: {known})")
        return row

    def scenario(self, project: str, key: str) -> Scenario:
        """A scenario by its id or its name."""
        with self.engine.connect() as connection:
            return _scenario(self._require(connection, project, key))

    def save_scenario(
        self,
        project: str,
        name: str,
        settings: Settings,
        *,
        choices: Mapping[str, Any] | None = None,
        note: str | None = None,
        expected_version: int | None = None,
        who: str | None = None,
        reason: str | None = None,
    ) -> Scenario:
        """Save ``settings`` under ``name``: a new scenario, or a new version of the one of that name.

        ``expected_version`` is the version the caller started from (0: the name must be new);
        when the stored one differs the save is refused with :class:`VersionConflict`. ``None``
        saves whatever is stored (the history keeps what it replaced). ``note`` and ``choices``
        None keep the stored ones (:mod:`engine.store.choices` says what a choice may be).
        """
        name = _clean_name(name)
        stored = settings_json(settings)
        cleaned = None if choices is None else clean_choices(choices, SOURCE, f"scenario {name}.choices")
        who = who or current_user()

        def work(connection: Connection) -> Scenario:
            lock_project(connection, project)
            revision = self._revision(connection, project)
            check_settings(self._problem(project, revision), settings, SOURCE, f"scenario {name}")
            row = connection.execute(_BY_NAME, {"project": project, "name": name}).one_or_none()
            current = None if row is None else row.version
            if expected_version is not None and expected_version != (current or 0):
                raise VersionConflict(name, expected_version, current)
            stamp = now()
            if row is None:
                new = Scenario(
                    id=str(uuid.uuid4()),
                    project=project,
                    name=name,
                    settings=settings,
                    note=note or "",
                    revision=revision,
                    version=1,
                    created=stamp,
                    updated=stamp,
                    choices=cleaned or {},
                )
                connection.execute(_INSERT_SCENARIO, _scenario_values(new))
                before = None
            else:
                old = _scenario(row)
                new = Scenario(
                    id=old.id,
                    project=project,
                    name=name,
                    settings=settings,
                    note=old.note if note is None else note,
                    revision=revision,
                    version=old.version + 1,
                    created=old.created,
                    updated=stamp,
                    choices=old.choices if cleaned is None else cleaned,
                )
                connection.execute(
                    _UPDATE_SCENARIO,
                    {
                        "scenario_id": old.id,
                        "settings": stored,
                        "choices": json.dumps(new.choices, ensure_ascii=False),
                        "note": new.note,
                        "revision": revision,
                        "version": new.version,
                        "updated": stamp,
                    },
                )
                before = old.state()
            record(
                connection,
                project,
                who=who,
                entity="scenario",
                entity_id=new.id,
                action="create" if before is None else "update",
                before=before,
                after=new.state(),
                reason=reason,
            )
            return new

        return write(self.engine, work)

    def _change(
        self,
        project: str,
        key: str,
        action: str,
        *,
        new_name: str | None,
        expected_version: int | None,
        who: str | None,
        reason: str | None,
    ) -> Scenario | None:
        """Rename, duplicate or delete one scenario in one transaction, with its history row."""
        who = who or current_user()

        def work(connection: Connection) -> Scenario | None:
            lock_project(connection, project)
            old = _scenario(self._require(connection, project, key))
            if expected_version is not None and expected_version != old.version:
                raise VersionConflict(old.name, expected_version, old.version)
            if new_name is not None and self._find(connection, project, new_name) is not None:
                raise coded(SOURCE, f"project {project}", "scenario_name_taken", name=repr(new_name))
            stamp = now()
            result: Scenario | None
            if action == "delete":
                connection.execute(delete(scenarios).where(scenarios.c.id == old.id))
                result, entity_id, before, after = None, old.id, old.state(), None
            elif action == "rename":
                assert new_name is not None
                result = _renamed(old, new_name, old.version + 1, stamp)
                connection.execute(
                    update(scenarios)
                    .where(scenarios.c.id == old.id)
                    .values(name=new_name, version=result.version, updated=stamp)
                )
                entity_id, before, after = old.id, old.state(), result.state()
            else:  # duplicate
                assert new_name is not None
                result = Scenario(
                    id=str(uuid.uuid4()),
                    project=project,
                    name=new_name,
                    settings=old.settings,
                    note=old.note,
                    revision=old.revision,
                    version=1,
                    created=stamp,
                    updated=stamp,
                    choices=old.choices,
                )
                connection.execute(insert(scenarios).values(_scenario_values(result)))
                entity_id, before, after = result.id, None, result.state()
            record(
                connection,
                project,
                who=who,
                entity="scenario",
                entity_id=entity_id,
                action=action,
                before=before,
                after=after,
                reason=reason,
            )
            return result

        return write(self.engine, work)

    def rename(
        self,
        project: str,
        key: str,
        new_name: str,
        *,
        expected_version: int | None = None,
        who: str | None = None,
        reason: str | None = None,
    ) -> Scenario:
        renamed = self._change(
            project,
            key,
            "rename",
            new_name=_clean_name(new_name),
            expected_version=expected_version,
            who=who,
            reason=reason,
        )
        assert renamed is not None
        return renamed

    def duplicate(
        self, project: str, key: str, new_name: str, *, who: str | None = None, reason: str | None = None
    ) -> Scenario:
        copy = self._change(
            project,
            key,
            "duplicate",
            new_name=_clean_name(new_name),
            expected_version=None,
            who=who,
            reason=reason,
        )
        assert copy is not None
        return copy

    def delete(
        self,
        project: str,
        key: str,
        *,
        expected_version: int | None = None,
        who: str | None = None,
        reason: str | None = None,
    ) -> None:
        self._change(
            project, key, "delete", new_name=None, expected_version=expected_version, who=who, reason=reason
        )

    def top_three(self, project: str, settings: Settings) -> tuple[str, ...]:
        """The first three countermeasures these settings rank (cached per revision and settings)."""
        revision = self.project(project).revision
        return self._top(project, revision, settings_json(settings), settings)

    def _top(self, project: str, revision: int, stored: str, settings: Settings) -> tuple[str, ...]:
        key = (project, revision, stored)
        if key not in self._tops:
            from engine.analysis import run

            ranking = run(self.problem(project), settings).ranking
            self._tops[key] = tuple(entry.id for entry in ranking[:TOP])
        return self._tops[key]

    def scenarios(self, project: str) -> list[ScenarioSummary]:
        """Every scenario of the project, newest first, each with its top three.

        The top three are kept with the scenario once computed for the current revision, so
        listing a large project ranks only what changed since the last listing.
        """
        with self.engine.connect() as connection:
            revision = self._revision(connection, project)
            rows = connection.execute(
                select(scenarios)
                .where(scenarios.c.project_id == project)
                .order_by(scenarios.c.updated.desc(), scenarios.c.name)
            ).all()
        out: list[ScenarioSummary] = []
        fresh: list[tuple[str, int, str]] = []
        for row in rows:
            scenario = _scenario(row)
            if row.top is not None and row.top_revision == revision:
                top = tuple(json.loads(row.top))
            else:
                top = self._top(project, revision, row.settings, scenario.settings)
                fresh.append((row.id, row.version, json.dumps(list(top))))
            out.append(ScenarioSummary(scenario, top))
        if fresh:
            self._keep_tops(fresh, revision)
        return out

    def _keep_tops(self, fresh: list[tuple[str, int, str]], revision: int) -> None:
        def work(connection: Connection) -> None:
            for scenario_id, version, top in fresh:
                connection.execute(
                    update(scenarios)
                    .where(scenarios.c.id == scenario_id, scenarios.c.version == version)
                    .values(top=top, top_revision=revision)
                )

        write(self.engine, work)

    # ------------------------------------------------------------------ history

    def history(
        self,
        project: str,
        *,
        entity: str | None = None,
        entity_id: str | None = None,
        who: str | None = None,
        since: str | None = None,
        limit: int | None = None,
    ) -> list[HistoryEntry]:
        """The project's changes, newest first, narrowed by the filters given."""
        query = select(history).where(history.c.project_id == project)
        if entity is not None:
            query = query.where(history.c.entity == entity)
        if entity_id is not None:
            query = query.where(history.c.entity_id == entity_id)
        if who is not None:
            query = query.where(history.c.who == who)
        if since is not None:
            query = query.where(history.c.at >= since)
        query = query.order_by(history.c.seq.desc())
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as connection:
            self._project_row(connection, project)
            rows = connection.execute(query).all()
        return [_entry(row) for row in rows]

    def revert(
        self, project: str, entry_id: int, *, who: str | None = None, reason: str | None = None
    ) -> Scenario | None:
        """Put the entity of history entry ``entry_id`` back as it was before that change.

        The revert is itself a change in the history. Returns the scenario as it now is (None
        when reverting its creation deleted it, and for an edit of the project's files, which
        puts the files back as a new revision).
        """
        who = who or current_user()
        problem = self.problem(project)

        def work(connection: Connection) -> Scenario | None:
            lock_project(connection, project)
            row = connection.execute(
                select(history).where(history.c.project_id == project, history.c.seq == entry_id)
            ).one_or_none()
            if row is None:
                raise InputError("history", f"project {project}", f"no change #{entry_id}")
            entry = _entry(row)
            if entry.entity == "project" and entry.action in ("edit", "revert"):
                self._put_files(
                    connection,
                    project,
                    entry.before["files"],
                    who,
                    reason or f"revert of #{entry_id}",
                    "revert",
                    presets=entry.before.get("presets", {}),
                )
                return None
            if entry.entity != "scenario":
                raise InputError(
                    "history", f"#{entry_id}", f"a {entry.entity} {entry.action} cannot be reverted"
                )
            target = entry.before
            current_row = connection.execute(
                select(scenarios).where(scenarios.c.id == entry.entity_id)
            ).one_or_none()
            current = None if current_row is None else _scenario(current_row)
            stamp = now()
            result: Scenario | None = None
            if target is None:
                if current is not None:
                    connection.execute(delete(scenarios).where(scenarios.c.id == current.id))
            else:
                settings = Settings.from_mapping(target["settings"], "history", f"#{entry_id}.from.settings")
                check_settings(problem, settings, "history", f"#{entry_id}.from")
                clash = connection.scalar(
                    select(scenarios.c.id).where(
                        scenarios.c.project_id == project,
                        scenarios.c.name == target["name"],
                        scenarios.c.id != entry.entity_id,
                    )
                )
                if clash is not None:
                    raise InputError(
                        "history",
                        f"#{entry_id}",
                        f"another scenario is now named {target['name']!r}; rename it first",
                    )
                result = Scenario(
                    id=entry.entity_id,
                    project=project,
                    name=target["name"],
                    settings=settings,
                    note=target["note"],
                    revision=target["revision"],
                    version=1 if current is None else current.version + 1,
                    created=stamp if current is None else current.created,
                    updated=stamp,
                    choices=clean_choices(target.get("choices"), "history", f"#{entry_id}.from.choices"),
                )
                values = _scenario_values(result)
                if current is None:
                    connection.execute(insert(scenarios).values(values))
                else:
                    del values["id"], values["created"]
                    connection.execute(update(scenarios).where(scenarios.c.id == current.id).values(values))
            record(
                connection,
                project,
                who=who,
                entity="scenario",
                entity_id=entry.entity_id,
                action="revert",
                before=None if current is None else current.state(),
                after=None if result is None else result.state(),
                reason=reason or f"revert of #{entry_id}",
            )
            return result

        return write(self.engine, work)

    # ------------------------------------------------------------------ where each user is

    def opened(self, project: str, who: str | None = None) -> Scenario | None:
        """The scenario ``who`` last had open in the project (None: none yet, or it was deleted)."""
        who = who or current_user()
        with self.engine.connect() as connection:
            row = connection.execute(
                select(scenarios)
                .join(openings, openings.c.scenario_id == scenarios.c.id)
                .where(openings.c.project_id == project, openings.c.who == who)
            ).one_or_none()
        return None if row is None else _scenario(row)

    def set_opened(self, project: str, scenario_id: str, who: str | None = None) -> None:
        """Remember that ``who`` works on this scenario (id or name) now (not a change: no history row)."""
        who = who or current_user()

        def work(connection: Connection) -> None:
            row = self._require(connection, project, scenario_id)
            connection.execute(
                delete(openings).where(openings.c.project_id == project, openings.c.who == who)
            )
            connection.execute(
                insert(openings).values(project_id=project, who=who, scenario_id=row.id, updated=now())
            )

        write(self.engine, work)

    # ------------------------------------------------------------------ the project's files

    def update_files(
        self,
        project: str,
        files: Mapping[str, str],
        *,
        presets: Mapping[str, str] | None = None,
        expected_revision: int | None = None,
        who: str | None = None,
        reason: str | None = None,
    ) -> ProjectInfo:
        """Replace some of the project's criteria, catalogue and evidence texts: one new revision.

        ``presets`` replaces weight presets by label (a criterion added or retired changes every
        preset with it). The new files are validated together by the engine's loader first,
        under the labels the project's files have, so a bad edit gives the same message as a bad
        file and writes nothing.
        ``expected_revision`` is the revision the caller edited (:class:`RevisionConflict` when
        someone else saved one since); None edits whatever is stored.
        """
        unknown = sorted(set(files) - set(FILE_KINDS))
        if unknown:
            raise InputError(SOURCE, "files", f"one of {', '.join(FILE_KINDS)}, got {', '.join(unknown)}")
        who = who or current_user()

        def work(connection: Connection) -> None:
            lock_project(connection, project)
            row = self._project_row(connection, project)
            if expected_revision is not None and expected_revision != row.revision:
                raise RevisionConflict(project, expected_revision, row.revision)
            self._put_files(connection, project, files, who, reason, presets=presets or {})

        write(self.engine, work)
        return self.project(project)

    def _put_files(
        self,
        connection: Connection,
        project: str,
        files: Mapping[str, str],
        who: str,
        reason: str | None,
        action: str = "edit",
        *,
        presets: Mapping[str, str],
    ) -> None:
        """Write ``files`` and ``presets`` as the project's next revision, in the caller's transaction."""
        from engine.load import problem_from_bytes

        row = self._project_row(connection, project)
        main, old_presets = _files(row)
        known = {p.label for p in old_presets}
        unknown = sorted(set(presets) - known)
        if unknown:
            raise InputError(
                SOURCE, "presets", f"expected one of {', '.join(sorted(known))}, got {', '.join(unknown)}"
            )
        changed = {kind: text for kind, text in files.items() if text != main[kind].yaml}
        changed_presets = {
            p.label: presets[p.label] for p in old_presets if presets.get(p.label, p.yaml) != p.yaml
        }
        if not changed and not changed_presets:
            return
        new = {kind: ProjectFile(main[kind].label, changed.get(kind, main[kind].yaml)) for kind in FILE_KINDS}
        new_presets = [ProjectFile(p.label, changed_presets.get(p.label, p.yaml)) for p in old_presets]
        parts = [(new[k].yaml.encode("utf-8"), new[k].label) for k in FILE_KINDS]
        problem_from_bytes(
            parts[0], parts[1], parts[2], [(p.yaml.encode("utf-8"), p.label) for p in new_presets]
        )
        revision = row.revision + 1
        values = _project_values(project, row.name, new, new_presets, revision, now(), row.created)
        replaced = {p.label: p.yaml for p in old_presets if p.label in changed_presets}
        connection.execute(update(projects).where(projects.c.id == project).values(values))
        record(
            connection,
            project,
            who=who,
            entity="project",
            entity_id=project,
            action=action,
            before={
                "revision": row.revision,
                "files": {kind: main[kind].yaml for kind in changed},
                **({"presets": replaced} if replaced else {}),
            },
            after={
                "revision": revision,
                "files": changed,
                **({"presets": changed_presets} if changed_presets else {}),
            },
            reason=reason,
        )

    def files_at(self, project: str, revision: int) -> dict[str, ProjectFile]:
        """The project's criteria, catalogue and evidence as they were at ``revision``."""
        return self._state_at(project, revision)[0]

    def presets_at(self, project: str, revision: int) -> list[ProjectFile]:
        """The project's weight presets as they were at ``revision``."""
        return self._state_at(project, revision)[1]

    def _state_at(self, project: str, revision: int) -> tuple[dict[str, ProjectFile], list[ProjectFile]]:
        """Every edit of the files keeps the texts it replaced in the history, so walking the edits
        back from the current files gives any earlier revision."""
        with self.engine.connect() as connection:
            row = self._project_row(connection, project)
            edits = connection.execute(
                select(history.c.from_state, history.c.to_state)
                .where(history.c.project_id == project, history.c.entity == "project")
                .where(history.c.action.in_(("edit", "revert")))
                .order_by(history.c.seq.desc())
            ).all()
        if not 1 <= revision <= row.revision:
            raise InputError(
                SOURCE, f"project {project}", f"a revision from 1 to {row.revision}, got {revision}"
            )
        main, presets = _files(row)
        return files_before(main, presets, edits, revision)

    def problem_at(self, project: str, revision: int) -> Problem:
        """The validated Problem of an earlier revision (cached like the current one)."""
        key = (project, revision)
        if key not in self._problems:
            from engine.load import problem_from_bytes

            main, presets = self._state_at(project, revision)
            parts = [(main[k].yaml.encode("utf-8"), main[k].label) for k in FILE_KINDS]
            self._problems[key] = problem_from_bytes(
                parts[0], parts[1], parts[2], [(p.yaml.encode("utf-8"), p.label) for p in presets]
            )
        return self._problems[key]

    # ------------------------------------------------------------------ compare and exchange

    def compare(self, project: str, keys: Sequence[str], *, firmness_samples: int = 0) -> dict[str, Any]:
        """Two to four scenarios side by side (see :func:`engine.store.compare.compare`)."""
        from engine.store.compare import check_count, compare

        check_count(keys)
        chosen = [self.scenario(project, key) for key in keys]
        return compare(self.problem(project), chosen, firmness_samples=firmness_samples)

    def export_project(self, project: str) -> str:
        from engine.store.exchange import export_project

        return export_project(self, project)

    def import_project(self, text: str, *, source: str = "import", replace: bool = False) -> ProjectInfo:
        from engine.store.exchange import import_project

        return import_project(self, text, source=source, replace=replace)

    def export_scenario(self, project: str, key: str) -> str:
        from engine.store.exchange import export_scenario

        return export_scenario(self.scenario(project, key))

    def import_scenario(
        self,
        project: str,
        text: str,
        *,
        source: str = "import",
        name: str | None = None,
        who: str | None = None,
    ) -> Scenario:
        from engine.store.exchange import read_scenario

        document = read_scenario(text, source)
        settings = document.settings
        check_settings(self.problem(project), settings, source, "settings")
        return self.save_scenario(
            project,
            name or document.name,
            settings,
            choices=document.choices,
            note=document.note,
            expected_version=0,
            who=who,
        )


def _renamed(old: Scenario, name: str, version: int, stamp: str) -> Scenario:
    return Scenario(
        id=old.id,
        project=old.project,
        name=name,
        settings=old.settings,
        note=old.note,
        revision=old.revision,
        version=version,
        created=old.created,
        updated=stamp,
        choices=old.choices,
    )


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise coded(SOURCE, "name", "scenario_name_empty")
    if len(cleaned) > 200:
        raise coded(SOURCE, "name", "scenario_name_long", limit=200, count=len(cleaned))
    return cleaned


def _scenario_values(scenario: Scenario) -> dict[str, Any]:
    return {
        "id": scenario.id,
        "project_id": scenario.project,
        "name": scenario.name,
        "settings": settings_json(scenario.settings),
        "choices": json.dumps(scenario.choices, ensure_ascii=False),
        "note": scenario.note,
        "revision": scenario.revision,
        "version": scenario.version,
        "created": scenario.created,
        "updated": scenario.updated,
    }


def _project_values(
    project: str,
    name: str,
    files: Mapping[str, ProjectFile],
    presets: Sequence[ProjectFile],
    revision: int,
    stamp: str,
    created: str | None = None,
) -> dict[str, Any]:
    values: dict[str, Any] = {"id": project, "name": name, "revision": revision, "created": created or stamp}
    values["updated"] = stamp
    for kind in FILE_KINDS:
        values[f"{kind}_label"] = files[kind].label
        values[f"{kind}_yaml"] = files[kind].yaml
        values[f"{kind}_sha256"] = sha256(files[kind].yaml)
    values["presets"] = json.dumps([{"label": p.label, "yaml": p.yaml} for p in presets], ensure_ascii=False)
    return values


def files_before(
    main: Mapping[str, ProjectFile],
    presets: Sequence[ProjectFile],
    edits: Iterable[Sequence[Any]],
    revision: int,
) -> tuple[dict[str, ProjectFile], list[ProjectFile]]:
    """The files at ``revision`` from the current ones and the history's edits of them (the
    ``from_state`` and ``to_state`` JSON of each edit or revert of the files, newest first)."""
    texts = {kind: main[kind].yaml for kind in FILE_KINDS}
    preset_texts = {p.label: p.yaml for p in presets}
    for before, after in edits:
        if json.loads(after)["revision"] <= revision:
            break
        replaced = json.loads(before)
        texts.update(replaced["files"])
        preset_texts.update(replaced.get("presets", {}))
    return (
        {kind: ProjectFile(main[kind].label, texts[kind]) for kind in FILE_KINDS},
        [ProjectFile(p.label, preset_texts[p.label]) for p in presets],
    )


def _files(row: Row[Any]) -> tuple[dict[str, ProjectFile], list[ProjectFile]]:
    main = {
        kind: ProjectFile(getattr(row, f"{kind}_label"), getattr(row, f"{kind}_yaml")) for kind in FILE_KINDS
    }
    presets = [ProjectFile(p["label"], p["yaml"]) for p in json.loads(row.presets)]
    return main, presets


def shipped_files() -> tuple[dict[str, ProjectFile], list[ProjectFile]]:
    """The shipped Wuhan files, labelled as ``policyrank rank`` names them."""
    from pathlib import Path

    from engine.load import DEFAULT_CRITERIA, DEFAULT_DATA, DEFAULT_EVIDENCE, preset_files
    from engine.shipped import ROOT

    def read(path: Path) -> ProjectFile:
        return ProjectFile(path.relative_to(ROOT).as_posix(), path.read_bytes().decode("utf-8"))

    main = {
        "criteria": read(DEFAULT_CRITERIA),
        "catalogue": read(DEFAULT_DATA),
        "evidence": read(DEFAULT_EVIDENCE),
    }
    return main, [read(Path(p)) for p in preset_files(DEFAULT_CRITERIA)]


SHIPPED_PROJECT = "wuhan"
SHIPPED_NAME = "武汉应对反向招商 / Wuhan: countering reverse investment promotion"


def open_store(url: str | None = None) -> Store:
    """The workspace at ``url`` (else ``POLICYRANK_DB``, else the user's SQLite file), migrated,
    with the shipped Wuhan project in it."""
    engine = make_engine(database_url(url))
    migrate(engine)
    store = Store(engine)
    with engine.connect() as connection:
        present = connection.scalar(select(projects.c.id).where(projects.c.id == SHIPPED_PROJECT))
    if present is None:
        main, presets = shipped_files()
        store.create_project(SHIPPED_PROJECT, SHIPPED_NAME, main, presets, who="policyrank")
    return store
