"""A project's expert panels in the exchange document (engine.store.exchange): written, checked, stored.

Each panel is written with everything its tables hold: its settings, its experts, its links
(only the SHA-256 of each token, as the database keeps them; docs/workspace.md says why they
move with the project), every answer of every round and every submission. An import checks each
part against the project's files at the revision the panel asks about, with the
``FILE: PLACE: expected`` messages of the rest of the document, before anything is written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from engine.errors import InputError
from engine.io.reader import Reader
from engine.model import Problem
from engine.panel.layout import ASKS, name_problem
from engine.store.panel import (
    Item,
    PanelOptions,
    _check_options,
    _checked_value,
    _json,
    _reason,
    asked_items,
)
from engine.store.schema import panel_answers, panel_experts, panel_submissions, panel_tokens, panels

PANEL_KEYS = ("id", "name", "revision", "asks", "options", "survey_mapping", "round", "created", "updated")
PARTS = ("experts", "links", "answers", "submissions")
OPTION_KEYS = tuple(PanelOptions().to_dict())
EXPERT_KEYS = ("id", "name", "group", "weight", "asks")
LINK_KEYS = ("token_sha256", "expert", "created", "expires", "revoked")
ANSWER_KEYS = ("expert", "round", "item", "value", "reason", "source", "saved")
SUBMISSION_KEYS = ("expert", "round", "at")
CHILD_TABLES = (panel_answers, panel_submissions, panel_tokens, panel_experts)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_ID_LENGTH = 36  # panels.id is String(36): a uuid4
_CHUNK = 500  # ids per IN (…): far below every database's limit on bound parameters


# ---------------------------------------------------------------- export


def export_panels(connection: Connection, project: str) -> list[dict[str, Any]]:
    """The project's panels as the document's ``panels`` list. Sorted here, not by the database:
    PostgreSQL orders text by its collation, SQLite by code point, and the export must be the
    same bytes from either."""
    rows = sorted(
        connection.execute(select(panels).where(panels.c.project_id == project)).all(),
        key=lambda row: (row.created, row.id),
    )
    return [_panel_document(connection, row) for row in rows]


def _panel_document(connection: Connection, row: Any) -> dict[str, Any]:
    def of(table: Any) -> list[Any]:
        return list(connection.execute(select(table).where(table.c.panel_id == row.id)).all())

    experts = sorted(of(panel_experts), key=lambda e: e.position)
    position = {e.id: e.position for e in experts}
    tokens = sorted(of(panel_tokens), key=lambda t: (t.created, t.token_sha256))
    answers = sorted(of(panel_answers), key=lambda a: (a.round, position.get(a.expert_id, -1), a.item))
    submissions = sorted(of(panel_submissions), key=lambda s: (s.round, position.get(s.expert_id, -1)))
    return {
        "id": row.id,
        "name": row.name,
        "revision": row.revision,
        "asks": row.asks,
        "options": json.loads(row.options),
        "survey_mapping": None if row.survey_mapping is None else json.loads(row.survey_mapping),
        "round": row.round,
        "created": row.created,
        "updated": row.updated,
        "experts": [
            {"id": e.id, "name": e.name, "group": e.group_id, "weight": e.weight, "asks": e.asks}
            for e in experts
        ],
        "links": [
            {
                "token_sha256": t.token_sha256,
                "expert": t.expert_id,
                "created": t.created,
                "expires": t.expires,
                "revoked": bool(t.revoked),
            }
            for t in tokens
        ],
        "answers": [
            {
                "expert": a.expert_id,
                "round": a.round,
                "item": a.item,
                "value": json.loads(a.value),
                "reason": a.reason,
                "source": a.source,
                "saved": a.saved,
            }
            for a in answers
        ],
        "submissions": [{"expert": s.expert_id, "round": s.round, "at": s.at} for s in submissions],
    }


# ---------------------------------------------------------------- import


@dataclass
class PanelRows:
    """The rows of the panel tables an import writes, checked."""

    panels: list[dict[str, Any]] = field(default_factory=list)
    experts: list[dict[str, Any]] = field(default_factory=list)
    tokens: list[dict[str, Any]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    submissions: list[dict[str, Any]] = field(default_factory=list)
    token_places: list[tuple[str, str]] = field(default_factory=list)  # (place, hash): unique in the database


def read_panels(
    reader: Reader, value: Any, project: str, revision: int, problem_at: Callable[[int], Problem]
) -> PanelRows:
    """Check the document's ``panels`` (absent in exports written before panels existed).

    ``problem_at(r)`` is the project's Problem at revision r, built from the document: a panel's
    experts, options, survey mapping and answers are checked against the questions it asks.
    """
    rows = PanelRows()
    for index, item in enumerate(reader.sequence(value, "panels", min_items=0)):
        _read_panel(reader, item, f"panels[{index}]", project, revision, problem_at, rows)
    reader.unique((f"panels[{i}].id", row["id"]) for i, row in enumerate(rows.panels))
    reader.unique((f"panels[{i}].name", row["name"]) for i, row in enumerate(rows.panels))
    reader.unique(rows.token_places)
    return rows


def _read_panel(
    reader: Reader,
    value: Any,
    place: str,
    project: str,
    revision: int,
    problem_at: Callable[[int], Problem],
    rows: PanelRows,
) -> None:
    fields = reader.mapping(value, place, (*PANEL_KEYS, *PARTS))
    panel_id = _text(reader, fields["id"], f"{place}.id")
    if len(panel_id) > _ID_LENGTH:
        raise reader.fail(f"{place}.id", f"expected at most {_ID_LENGTH} characters, got {len(panel_id)}")
    name = _text(reader, fields["name"], f"{place}.name")
    if problem_text := name_problem(name):
        raise reader.fail(f"{place}.name", problem_text)
    asked_revision = _whole(reader, fields["revision"], f"{place}.revision", 1)
    if asked_revision > revision:
        raise reader.fail(
            f"{place}.revision", f"expected a revision of the project, 1 to {revision}, got {asked_revision}"
        )
    problem = problem_at(asked_revision)
    asks = _choice(reader, fields["asks"], f"{place}.asks", ASKS)
    options = _options(reader, fields["options"], f"{place}.options", problem)
    mapping = _survey_mapping(reader, fields["survey_mapping"], f"{place}.survey_mapping", problem)
    current = _whole(reader, fields["round"], f"{place}.round", 1)
    rows.panels.append(
        {
            "id": panel_id,
            "project_id": project,
            "name": name,
            "revision": asked_revision,
            "asks": asks,
            "options": _json(options.to_dict()),
            "survey_mapping": None if mapping is None else _json(mapping),
            "round": current,
            "created": _text(reader, fields["created"], f"{place}.created"),
            "updated": _text(reader, fields["updated"], f"{place}.updated"),
        }
    )
    groups = {group.id for group in problem.criteria.groups}
    experts: dict[str, str] = {}  # id -> what they are asked
    for i, item in enumerate(reader.sequence(fields["experts"], f"{place}.experts")):
        at = f"{place}.experts[{i}]"
        expert = reader.mapping(item, at, EXPERT_KEYS)
        expert_id = _text(reader, expert["id"], f"{at}.id")
        if problem_text := name_problem(expert_id):
            raise reader.fail(f"{at}.id", problem_text)
        if expert_id in experts:
            raise reader.fail(f"{at}.id", f"expected each expert once, got {expert_id!r} again")
        group = expert["group"]
        if group is not None and group not in groups:
            wanted = f"one of {', '.join(sorted(groups))}" if groups else "null (the criteria file has none)"
            raise reader.fail(f"{at}.group", f"expected {wanted}, got {group!r}")
        if group is None and groups:
            raise reader.fail(f"{at}.group", f"expected one of {', '.join(sorted(groups))}, got null")
        experts[expert_id] = _choice(reader, expert["asks"], f"{at}.asks", ASKS)
        rows.experts.append(
            {
                "panel_id": panel_id,
                "id": expert_id,
                "position": i,
                "name": reader.string(expert["name"], f"{at}.name"),
                "group_id": group,
                "weight": _weight(reader, expert["weight"], f"{at}.weight"),
                "asks": experts[expert_id],
            }
        )

    def expert_of(value: Any, at: str) -> str:
        if value not in experts:
            raise reader.fail(at, f"expected an expert of this panel ({', '.join(experts)}), got {value!r}")
        return str(value)

    def round_of(value: Any, at: str) -> int:
        number = _whole(reader, value, at, 1)
        if number > current:
            raise reader.fail(at, f"expected a round of this panel, 1 to {current}, got {number}")
        return number

    for i, item in enumerate(reader.sequence(fields["links"], f"{place}.links", min_items=0)):
        at = f"{place}.links[{i}]"
        link = reader.mapping(item, at, LINK_KEYS)
        digest = link["token_sha256"]
        if not isinstance(digest, str) or not _SHA256.match(digest):
            raise reader.fail(f"{at}.token_sha256", "expected 64 lowercase hexadecimal digits")
        if not isinstance(link["revoked"], bool):
            raise reader.fail(f"{at}.revoked", f"expected true or false, got {link['revoked']!r}")
        rows.token_places.append((f"{at}.token_sha256", digest))
        rows.tokens.append(
            {
                "token_sha256": digest,
                "panel_id": panel_id,
                "expert_id": expert_of(link["expert"], f"{at}.expert"),
                "created": _text(reader, link["created"], f"{at}.created"),
                "expires": _text(reader, link["expires"], f"{at}.expires"),
                "revoked": int(link["revoked"]),
            }
        )

    asked: dict[tuple[str, int], frozenset[str]] = {}
    given: dict[tuple[str, int, str], str] = {}
    for i, item in enumerate(reader.sequence(fields["answers"], f"{place}.answers", min_items=0)):
        at = f"{place}.answers[{i}]"
        answer = reader.mapping(item, at, ANSWER_KEYS)
        expert_id = expert_of(answer["expert"], f"{at}.expert")
        round = round_of(answer["round"], f"{at}.round")
        key, value = _answer_value(reader, answer["item"], answer["value"], at, problem)
        if (experts[expert_id], round) not in asked:
            questions = asked_items(problem, experts[expert_id], round, options.scored)  # type: ignore[arg-type]
            asked[experts[expert_id], round] = frozenset(question.key for question in questions)
        if key not in asked[experts[expert_id], round]:
            wanted = f"expected a question expert {expert_id!r} is asked in round {round}"
            raise reader.fail(f"{at}.item", wanted)
        if (expert_id, round, key) in given:
            first = given[expert_id, round, key]
            raise reader.fail(f"{at}.item", f"expected each answer once; {first} has it already")
        given[expert_id, round, key] = at
        reason = answer["reason"]
        try:
            text = "" if reason is None else _reason(reason, key)
        except InputError as error:
            raise reader.fail(f"{at}.reason", error.expected) from None
        rows.answers.append(
            {
                "panel_id": panel_id,
                "expert_id": expert_id,
                "round": round,
                "item": key,
                "value": _json(value),
                "reason": text or None,
                "source": _text(reader, answer["source"], f"{at}.source"),
                "saved": _text(reader, answer["saved"], f"{at}.saved"),
            }
        )

    submitted: dict[tuple[str, int], str] = {}
    for i, item in enumerate(reader.sequence(fields["submissions"], f"{place}.submissions", min_items=0)):
        at = f"{place}.submissions[{i}]"
        submission = reader.mapping(item, at, SUBMISSION_KEYS)
        expert_id = expert_of(submission["expert"], f"{at}.expert")
        round = round_of(submission["round"], f"{at}.round")
        if (expert_id, round) in submitted:
            first = submitted[expert_id, round]
            raise reader.fail(at, f"expected one submission per expert and round; {first} has it already")
        submitted[expert_id, round] = at
        rows.submissions.append(
            {
                "panel_id": panel_id,
                "expert_id": expert_id,
                "round": round,
                "at": _text(reader, submission["at"], f"{at}.at"),
            }
        )


def _options(reader: Reader, value: Any, place: str, problem: Problem) -> PanelOptions:
    fields = reader.mapping(value, place, (), OPTION_KEYS)
    defaults = PanelOptions()
    for key in ("aggregation", "ahp_method", "score_statistic", "score_spread"):
        if key in fields:
            _text(reader, fields[key], f"{place}.{key}")
    scored = fields.get("scored")
    if scored is not None:
        items = reader.sequence(scored, f"{place}.scored", min_items=0)
        scored = tuple(_text(reader, item, f"{place}.scored[{i}]") for i, item in enumerate(items))
    options = PanelOptions(
        aggregation=fields.get("aggregation", defaults.aggregation),
        ahp_method=fields.get("ahp_method", defaults.ahp_method),
        score_statistic=fields.get("score_statistic", defaults.score_statistic),
        score_spread=fields.get("score_spread", defaults.score_spread),
        scored=scored,
        link_days=_whole(reader, fields.get("link_days", defaults.link_days), f"{place}.link_days", 1),
    )
    try:
        _check_options(options, problem)
    except InputError as error:
        raise reader.fail(place, error.expected) from None
    return options


def _survey_mapping(reader: Reader, value: Any, place: str, problem: Problem) -> dict[str, Any] | None:
    """The mapping as :meth:`engine.store.panel.Panels.set_survey_mapping` keeps it, checked the same way."""
    from engine.panel.survey import mapping_document, parse_mapping

    if value is None:
        return None
    return mapping_document(parse_mapping(value, f"{reader.source}: {place}", problem))


def _answer_value(reader: Reader, item: Any, value: Any, place: str, problem: Problem) -> tuple[str, Any]:
    """The item's key in the questionnaire's order and the value as the database keeps it."""
    text = _text(reader, item, f"{place}.item")
    try:
        parsed = Item.parse(text)
    except InputError as error:
        raise reader.fail(f"{place}.item", error.expected) from None
    try:
        canonical, checked = _checked_value(problem, parsed, value)
    except InputError as error:
        raise reader.fail(f"{place}.value", error.expected) from None
    return canonical.key, checked


def _text(reader: Reader, value: Any, place: str) -> str:
    if not isinstance(value, str):
        raise reader.fail(place, f"expected text, got {type(value).__name__}")
    return value


def _whole(reader: Reader, value: Any, place: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise reader.fail(place, f"expected a whole number >= {low}, got {value!r}")
    return value


def _choice(reader: Reader, value: Any, place: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise reader.fail(place, f"expected one of {', '.join(allowed)}, got {value!r}")
    return str(value)


def _weight(reader: Reader, value: Any, place: str) -> float:
    weight = reader.number(value, place)
    if weight <= 0:
        raise reader.fail(place, f"expected a number above 0, got {value!r}")
    return weight


# ---------------------------------------------------------------- the database


def delete_panels(connection: Connection, project: str) -> None:
    """Remove the project's panels and everything of them, in the caller's transaction."""
    ids = select(panels.c.id).where(panels.c.project_id == project)
    for table in CHILD_TABLES:
        connection.execute(delete(table).where(table.c.panel_id.in_(ids)))
    connection.execute(delete(panels).where(panels.c.project_id == project))


def refuse_taken(connection: Connection, project: str, rows: PanelRows, source: str) -> None:
    """Panel ids and token hashes are unique across the database: refuse ones another project holds."""
    ids = [row["id"] for row in rows.panels]
    for chunk in _chunks(ids):
        taken = connection.scalars(
            select(panels.c.id).where(panels.c.project_id != project, panels.c.id.in_(chunk))
        ).first()
        if taken is not None:
            raise InputError(source, "panels", f"panel id {taken} belongs to another project")
    for chunk in _chunks([row["token_sha256"] for row in rows.tokens]):
        taken = connection.scalars(
            select(panel_tokens.c.token_sha256)
            .join(panels, panels.c.id == panel_tokens.c.panel_id)
            .where(panels.c.project_id != project, panel_tokens.c.token_sha256.in_(chunk))
        ).first()
        if taken is not None:
            raise InputError(source, "panels", f"link {taken[:12]}… belongs to a panel of another project")


def insert_panels(connection: Connection, rows: PanelRows) -> None:
    for table, values in (
        (panels, rows.panels),
        (panel_experts, rows.experts),
        (panel_tokens, rows.tokens),
        (panel_answers, rows.answers),
        (panel_submissions, rows.submissions),
    ):
        if values:
            connection.execute(insert(table), values)


def _chunks(values: Sequence[str]) -> list[Sequence[str]]:
    return [values[start : start + _CHUNK] for start in range(0, len(values), _CHUNK)]
