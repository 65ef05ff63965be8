"""Reading a project's history a page at a time, filtered in the database.

:meth:`Store.history` returns every matching change; a page of the app's history shows fifty of
perhaps ten thousand, filtered by what, who, when and words of the reason, so the filtering,
counting and paging happen in SQL and only the shown rows' states are decoded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, select

from engine.store.schema import history, scenarios
from engine.store.workspace import HistoryEntry, Store, _entry

PAGE_SIZE = 50


@dataclass(frozen=True)
class HistoryQuery:
    """Which changes to show; None (or empty text) leaves a filter out."""

    entity: str | None = None  # "scenario" or "project"
    entity_id: str | None = None  # one scenario (its id)
    who: str | None = None
    since: str | None = None  # ISO-8601 UTC, inclusive
    until: str | None = None  # ISO-8601 UTC, exclusive
    text: str | None = None  # words of the reason, any case


@dataclass(frozen=True)
class HistoryPage:
    entries: tuple[HistoryEntry, ...]  # newest first
    total: int  # how many changes match the query
    offset: int


def _conditions(project: str, query: HistoryQuery) -> ColumnElement[bool]:
    parts: list[ColumnElement[bool]] = [history.c.project_id == project]
    if query.entity:
        parts.append(history.c.entity == query.entity)
    if query.entity_id:
        parts.append(history.c.entity_id == query.entity_id)
    if query.who:
        parts.append(history.c.who == query.who)
    if query.since:
        parts.append(history.c.at >= query.since)
    if query.until:
        parts.append(history.c.at < query.until)
    if query.text and query.text.strip():
        parts.append(history.c.reason.icontains(query.text.strip(), autoescape=True))
    return and_(*parts)


def history_page(
    store: Store,
    project: str,
    query: HistoryQuery = HistoryQuery(),
    *,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> HistoryPage:
    """The changes ``offset`` to ``offset + limit`` (newest first) of those ``query`` matches."""
    where = _conditions(project, query)
    with store.engine.connect() as connection:
        total = connection.scalar(select(func.count()).select_from(history).where(where)) or 0
        rows = connection.execute(
            select(history).where(where).order_by(history.c.seq.desc()).offset(max(offset, 0)).limit(limit)
        ).all()
    return HistoryPage(tuple(_entry(row) for row in rows), int(total), max(offset, 0))


def last_change(store: Store, project: str) -> int:
    """The id of the project's newest change (0: none): what changes when anything is changed."""
    with store.engine.connect() as connection:
        last = connection.scalar(select(func.max(history.c.seq)).where(history.c.project_id == project))
    return int(last or 0)


def authors(store: Store, project: str) -> list[str]:
    """Everyone who changed something in the project, alphabetically."""
    with store.engine.connect() as connection:
        return list(
            connection.scalars(
                select(history.c.who)
                .where(history.c.project_id == project)
                .distinct()
                .order_by(history.c.who)
            )
        )


def scenario_names(store: Store, project: str) -> dict[str, str]:
    """``{id: name}`` of every scenario the history mentions: the current name, or for a deleted
    scenario the name it last had."""
    with store.engine.connect() as connection:
        names: dict[str, str] = {
            row.id: row.name
            for row in connection.execute(
                select(scenarios.c.id, scenarios.c.name).where(scenarios.c.project_id == project)
            )
        }
        last = (
            select(history.c.entity_id, func.max(history.c.seq).label("seq"))
            .where(history.c.project_id == project, history.c.entity == "scenario")
            .group_by(history.c.entity_id)
            .subquery()
        )
        gone = connection.execute(
            select(history.c.entity_id, history.c.from_state, history.c.to_state).join(
                last,
                and_(
                    history.c.project_id == project,
                    history.c.entity_id == last.c.entity_id,
                    history.c.seq == last.c.seq,
                ),
            )
        ).all()
    for entity_id, before, after in gone:
        if entity_id in names:
            continue
        state = json.loads(after or before or "{}")
        names[entity_id] = str(state.get("name", entity_id))
    return names
