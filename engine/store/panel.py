"""Expert panels in the workspace: experts, personal links, answers saved one by one, rounds, status.

::

    from engine.store import open_store
    from engine.store.panel import Item, Panels

    panels = Panels(open_store())
    panels.create("wuhan", "wuhan2025", experts_csv_text, source="experts.csv")
    links = panels.issue_links("wuhan", "wuhan2025", base_url="https://policyrank.example/")
    # the expert's page, on every request:
    access = panels.expert_for_token(token)          # None: unknown, revoked or expired
    if access is not None:
        for item in panels.asked_items(access.project, access.panel, access.expert): ...
        item = Item.judgment("goal", "retention", "ecosystem")
        panels.save_answer(access.project, access.panel, access.expert, item, "3", "why I think so")
        panels.submit(access.project, access.panel, access.expert)
    panels.status("wuhan", "wuhan2025")              # progress, CR, Kendall's W, outliers, authority

A panel belongs to one project and asks the questions of the project revision it was created on
(its criteria tree, countermeasures and scales), so an edit of the project's files never changes
what an expert is answering. Each expert answers the current round; an answer is one row per item
(one pairwise judgment, one score, one self-rating item), written the moment it is given, so an
expert can leave and come back. Submitting locks that expert's round. :meth:`Panels.next_round`
opens round k + 1 and keeps round k for the Delphi feedback (:meth:`Panels.feedback`).

Every write is one transaction (:func:`engine.store.database.write`) that locks the project
first (queueing writers on PostgreSQL; SQLite's write lock does it there) and appends a history
row with entity ``"panel"``. Tokens are never stored: only their SHA-256, and they are never
written to the history.

The panel's judgments become weights in two ways (docs/panel.md, "The panel in the workspace"):
:meth:`Panels.analysis_inputs` gives a Problem whose criteria file's experts are the panel's
experts (so :func:`engine.analysis.run` combines them exactly as it combines a criteria file's
experts, with the file's stakeholder groups), and :meth:`Panels.scenario_settings` gives Settings
with those weights as manual weights, valid for the project's own Problem (what "use the panel"
saves in a scenario).
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import hmac
import io
import json
import math
import os
import secrets
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from sqlalchemy import Connection, Row, delete, insert, select, update

from engine.errors import InputError
from engine.model import Expert, Judgment, Problem, Text, frozen_mapping
from engine.panel import cells
from engine.panel.cells import CellProblem
from engine.panel.layout import ASKS, SELF_RATING_ITEMS, Asks, name_problem, pairs, rating_choices, score_rows
from engine.settings import AGGREGATIONS, Settings
from engine.store.database import lock_project, write
from engine.store.schema import (
    panel_answers,
    panel_experts,
    panel_submissions,
    panel_tokens,
    panels,
)
from engine.store.workspace import current_user, now, record

if TYPE_CHECKING:
    from engine.panel.answers import Answers
    from engine.store.workspace import Store

__all__ = [
    "DEFAULT_BASE_URL",
    "LINK_DAYS",
    "ExpertAccess",
    "ImportResult",
    "Item",
    "Link",
    "Locked",
    "PanelExpert",
    "PanelInfo",
    "PanelOptions",
    "Panels",
    "SavedAnswer",
]

ENTITY = "panel"
LINK_DAYS = 30
DEFAULT_BASE_URL = "http://localhost:8501/"
TOKEN_PARAMETER = "token"
MAX_TOKEN_LENGTH = 256
MAX_EXPERTS = 1000
ItemKind = Literal["judgment", "score", "rating"]
ScoreStatistic = Literal["median", "geometric"]
Spread = Literal["quartiles", "range"]


class Locked(InputError):
    """An answer or import refused because the expert has submitted that round."""


# ---------------------------------------------------------------- values


@dataclass(frozen=True, order=True)
class Item:
    """One question: a pairwise judgment (node, a, b), a score (measure, criterion) or a self-rating item.

    ``key`` is how it is stored and how the page may name it (``judgment:goal:retention:ecosystem``,
    ``score:talent_strategy:talent``, ``rating:familiarity``); :meth:`parse` reads it back.
    """

    kind: ItemKind
    parts: tuple[str, ...]

    @classmethod
    def judgment(cls, node: str, a: str, b: str) -> Item:
        """``a`` is ``value`` times as important as ``b`` at ``node`` (either order may be asked)."""
        return cls("judgment", (node, a, b))

    @classmethod
    def score(cls, measure: str, criterion: str) -> Item:
        return cls("score", (measure, criterion))

    @classmethod
    def rating(cls, item: str) -> Item:
        """``familiarity`` or ``basis.practice|theory|literature|intuition``."""
        return cls("rating", (item,))

    @property
    def key(self) -> str:
        return ":".join((self.kind, *self.parts))

    @classmethod
    def parse(cls, key: str) -> Item:
        kind, *parts = key.split(":")
        sizes = {"judgment": 3, "score": 2, "rating": 1}
        if kind not in sizes or len(parts) != sizes[kind] or not all(parts):
            raise InputError(
                "item",
                "",
                f"expected judgment:NODE:A:B, score:MEASURE:CRITERION or rating:ITEM, got {key!r}",
            )
        return cls(kind, tuple(parts))  # type: ignore[arg-type]  # kind checked against sizes


@dataclass(frozen=True)
class PanelOptions:
    """How the panel's answers are combined (recorded with the panel, shown in its status).

    ``aggregation``: "judgments" (AIJ, weighted geometric mean of the judgments per node) or
    "priorities" (AIP, weighted arithmetic mean of the experts' leaf weights), as
    :class:`engine.settings.Settings` takes it. ``score_statistic``: the panel's score per cell,
    "median" (weighted) or "geometric" (weighted geometric mean); ``score_spread``: the range
    handed to the robustness study, the experts' "quartiles" or their "range".
    ``scored``: the leaf criteria the experts score (None: all). ``link_days``: how long a link
    stays valid.
    """

    aggregation: str = "judgments"
    ahp_method: str = "eigen"
    score_statistic: ScoreStatistic = "median"
    score_spread: Spread = "quartiles"
    scored: tuple[str, ...] | None = None
    link_days: int = LINK_DAYS

    def to_dict(self) -> dict[str, Any]:
        return {
            "aggregation": self.aggregation,
            "ahp_method": self.ahp_method,
            "score_statistic": self.score_statistic,
            "score_spread": self.score_spread,
            "scored": None if self.scored is None else list(self.scored),
            "link_days": self.link_days,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PanelOptions:
        scored = data.get("scored")
        return cls(
            aggregation=data.get("aggregation", "judgments"),
            ahp_method=data.get("ahp_method", "eigen"),
            score_statistic=data.get("score_statistic", "median"),
            score_spread=data.get("score_spread", "quartiles"),
            scored=None if scored is None else tuple(scored),
            link_days=int(data.get("link_days", LINK_DAYS)),
        )


@dataclass(frozen=True)
class PanelExpert:
    """An expert of a panel: ``group`` is a stakeholder group of the criteria file (None when the
    file declares none), ``weight`` the expert's weight within it, ``asks`` what they are asked."""

    id: str
    name: str
    group: str | None
    weight: float
    asks: Asks

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "group": self.group,
            "weight": self.weight,
            "asks": self.asks,
        }


@dataclass(frozen=True)
class PanelInfo:
    id: str
    project: str
    name: str
    revision: int  # the project revision whose questions the panel asks
    asks: Asks
    options: PanelOptions
    round: int
    created: str
    updated: str
    experts: tuple[PanelExpert, ...]
    survey_mapping: Mapping[str, Any] | None = None

    def expert(self, expert_id: str) -> PanelExpert:
        for expert in self.experts:
            if expert.id == expert_id:
                return expert
        known = ", ".join(e.id for e in self.experts[:20]) + (", …" if len(self.experts) > 20 else "")
        raise InputError("--expert", "", f"no expert {expert_id!r} in panel {self.name!r} (known: {known})")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "project": self.project,
            "name": self.name,
            "revision": self.revision,
            "asks": self.asks,
            "options": self.options.to_dict(),
            "round": self.round,
            "created": self.created,
            "updated": self.updated,
            "experts": [expert.to_dict() for expert in self.experts],
            "survey_mapping": None if self.survey_mapping is None else dict(self.survey_mapping),
        }


@dataclass(frozen=True)
class Link:
    """A personal link, returned once by :meth:`Panels.issue_links`: the token is not kept."""

    expert: str
    name: str
    token: str
    url: str
    expires: str

    def to_dict(self) -> dict[str, Any]:
        return {"expert": self.expert, "name": self.name, "url": self.url, "expires": self.expires}


@dataclass(frozen=True)
class ExpertAccess:
    """Whom a valid token lets in, and to what: one expert's questionnaire of one panel's current round.

    The questionnaire page shows nothing else: no other page, no other expert's answers.
    ``submitted`` is when the expert submitted the current round (None: still open).
    """

    project: str
    panel: str
    panel_id: str
    expert: str
    name: str
    asks: Asks
    round: int
    expires: str
    submitted: str | None


@dataclass(frozen=True)
class SavedAnswer:
    """One stored answer. ``value`` is a float (judgment, score) or a level id (self-rating)."""

    item: Item
    value: float | str
    reason: str
    saved: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item.key,
            "value": self.value,
            "reason": self.reason,
            "saved": self.saved,
            "source": self.source,
        }


@dataclass(frozen=True)
class ImportResult:
    experts: tuple[str, ...]
    answers: int
    submitted: bool

    def to_dict(self) -> dict[str, Any]:
        return {"experts": list(self.experts), "answers": self.answers, "submitted": self.submitted}


# ---------------------------------------------------------------- helpers


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _number(value: Any) -> float | None:
    """A float for JSON: None where it is NaN or infinite."""
    number = float(value)
    return number if math.isfinite(number) else None


def _later(stamp: str, days: float) -> str:
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")) + timedelta(days=days)
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def asked_items(
    problem: Problem, asks: Asks, round: int, scored: Sequence[str] | None = None
) -> tuple[Item, ...]:
    """What an expert asked ``asks`` answers in ``round``, in the questionnaire's order: every pair
    of every judged node, every countermeasure on every scored criterion, and in round 1 the
    self-rating (as :func:`engine.panel.questionnaire.questionnaire_bytes` lays them out)."""
    items: list[Item] = []
    if asks in ("judgments", "both"):
        for node in problem.criteria.judged_nodes:
            items.extend(Item.judgment(node.id, a, b) for a, b in pairs(node))
    if asks in ("scores", "both"):
        leaves = tuple(problem.leaf_ids if scored is None else scored)
        items.extend(Item.score(m, c) for m, c in score_rows(problem.alternative_ids, leaves))
    if round == 1:
        items.extend(Item.rating(key) for key in SELF_RATING_ITEMS)
    return tuple(items)


# ---------------------------------------------------------------- the experts file


def read_experts_csv(
    data: bytes, source: str, problem: Problem, default_asks: Asks
) -> tuple[PanelExpert, ...]:
    """The experts of a CSV with columns ``id,name,group,weight`` (and optionally ``asks``).

    ``group`` must be a stakeholder group of the criteria file (blank when it declares none);
    ``weight`` (blank: 1) is the expert's weight within the group, a number > 0. Errors name the
    file, the row (the header is row 1) and the column.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise InputError(source, "", "expected a CSV file in UTF-8 (or GBK) text") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InputError(source, "", "expected a header row with the columns id,name,group,weight")
    header = [cells.normalised(cell).lower() for cell in rows[0]]
    for column in ("id", "name", "group", "weight"):
        if column not in header:
            raise InputError(
                source, "row 1", f"expected a column {column!r} (columns: id,name,group,weight[,asks])"
            )
    unknown = [c for c in header if c not in ("id", "name", "group", "weight", "asks")]
    if unknown:
        raise InputError(
            source, "row 1", f"unexpected column {unknown[0]!r} (columns: id,name,group,weight,asks)"
        )
    groups = {group.id for group in problem.criteria.groups}
    experts: list[PanelExpert] = []
    first_row: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(experts) >= MAX_EXPERTS:
            raise InputError(source, f"row {number}", f"at most {MAX_EXPERTS} experts in a panel")
        values = {column: cells.normalised(row[i]) if i < len(row) else "" for i, column in enumerate(header)}

        def place(column: str, number: int = number) -> str:
            return f"row {number}, column {column}"

        expert_id = values["id"]
        if problem_text := name_problem(expert_id):
            raise InputError(source, place("id"), problem_text)
        if expert_id in first_row:
            raise InputError(
                source, place("id"), f"expert {expert_id!r} is already on row {first_row[expert_id]}"
            )
        first_row[expert_id] = number
        name = values["name"]
        if not name:
            raise InputError(source, place("name"), "expected the expert's name")
        group: str | None = values["group"] or None
        if groups and group not in groups:
            raise InputError(
                source,
                place("group"),
                f"expected a group of the criteria file ({', '.join(sorted(groups))}), "
                f"got {values['group']!r}",
            )
        if not groups and group is not None:
            raise InputError(
                source, place("group"), f"the criteria file declares no groups; leave it blank, got {group!r}"
            )
        weight = _weight(values["weight"], source, place("weight"))
        asks = values.get("asks") or default_asks
        if asks not in ASKS:
            raise InputError(source, place("asks"), f"expected one of {', '.join(ASKS)}, got {asks!r}")
        experts.append(PanelExpert(expert_id, name, group, weight, asks))  # type: ignore[arg-type]
    if not experts:
        raise InputError(source, "", "expected at least one expert below the header row")
    return tuple(experts)


def _weight(text: str, source: str, place: str) -> float:
    if not text:
        return 1.0
    try:
        weight = float(text)
    except ValueError:
        raise InputError(source, place, f"expected a number above 0, got {text!r}") from None
    if not math.isfinite(weight) or weight <= 0:
        raise InputError(source, place, f"expected a number above 0, got {text!r}")
    return weight


# ---------------------------------------------------------------- the store's panels


class Panels:
    """The panels of a workspace (:class:`engine.store.Store`). Cheap; safe to share between threads.

    Panels are named per project (``panel`` arguments are names). Methods that write take ``who``
    (default: the signed-in user for the analyst's actions, ``expert <id>`` for an expert's).
    Bad input raises :class:`engine.errors.InputError` and writes nothing.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine
        self._asked: dict[tuple[str, int, str, int, tuple[str, ...] | None], frozenset[str]] = {}

    # ------------------------------------------------------------------ reading

    def panels(self, project: str) -> list[PanelInfo]:
        """Every panel of the project, by name."""
        with self.engine.connect() as connection:
            self.store._project_row(connection, project)
            rows = connection.execute(
                select(panels).where(panels.c.project_id == project).order_by(panels.c.name)
            ).all()
            return [self._info(connection, row) for row in rows]

    def panel(self, project: str, name: str) -> PanelInfo:
        with self.engine.connect() as connection:
            return self._info(connection, self._panel_row(connection, project, name))

    def problem(self, info: PanelInfo) -> Problem:
        """The project's Problem at the revision the panel asks about (cached by the store)."""
        return self.store.problem_at(info.project, info.revision)

    def asked_items(
        self, project: str, panel: str, expert: str, round: int | None = None
    ) -> tuple[Item, ...]:
        """The items ``expert`` is asked in ``round`` (default: the current one), in questionnaire order.

        Judgments come first, node by node (depth first) and pair by pair in the criteria file's
        order of the children, then the scores criterion by criterion (all countermeasures on one
        criterion), then in round 1 the self-rating: the order the questionnaire page should ask them.
        """
        info = self.panel(project, panel)
        person = info.expert(expert)
        scored = info.options.scored
        return asked_items(self.problem(info), person.asks, info.round if round is None else round, scored)

    def answers(
        self, project: str, panel: str, expert: str | None = None, round: int | None = None
    ) -> dict[str, dict[str, SavedAnswer]]:
        """Stored answers of ``round`` (default: the current one): expert id -> item key -> answer.

        With ``expert`` only that expert's (the page shows an expert their own answers and
        nobody else's).
        """
        info = self.panel(project, panel)
        chosen = info.round if round is None else round
        query = select(panel_answers).where(
            panel_answers.c.panel_id == info.id, panel_answers.c.round == chosen
        )
        if expert is not None:
            info.expert(expert)
            query = query.where(panel_answers.c.expert_id == expert)
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(panel_answers.c.expert_id, panel_answers.c.item)).all()
        found: dict[str, dict[str, SavedAnswer]] = {}
        for row in rows:
            found.setdefault(row.expert_id, {})[row.item] = _saved(row)
        return found

    def submitted(self, project: str, panel: str, round: int | None = None) -> dict[str, str]:
        """Expert id -> when they submitted ``round`` (default: the current one)."""
        info = self.panel(project, panel)
        with self.engine.connect() as connection:
            return _submissions(connection, info.id, info.round if round is None else round)

    # ------------------------------------------------------------------ creating

    def create(
        self,
        project: str,
        name: str,
        experts_csv: bytes | str,
        *,
        source: str = "experts.csv",
        asks: Asks = "judgments",
        options: PanelOptions | None = None,
        who: str | None = None,
    ) -> PanelInfo:
        """A new panel of ``project`` in round 1, its experts read from a CSV (see :func:`read_experts_csv`).

        ``name`` must be new in the project and usable in a file name (it names the Excel
        questionnaires). The panel asks the questions of the project's current revision.
        """
        if problem_text := name_problem(name):
            raise InputError("panel", "name", problem_text)
        if asks not in ASKS:
            raise InputError("--asks", "", f"expected one of {', '.join(ASKS)}, got {asks!r}")
        chosen = options or PanelOptions()
        revision = self.store.project(project).revision
        problem = self.store.problem_at(project, revision)
        _check_options(chosen, problem)
        data = experts_csv.encode("utf-8") if isinstance(experts_csv, str) else experts_csv
        experts = read_experts_csv(data, source, problem, asks)
        who = who or current_user()
        panel_id = str(uuid.uuid4())

        def work(connection: Connection) -> None:
            lock_project(connection, project)
            clash = connection.scalar(
                select(panels.c.id).where(panels.c.project_id == project, panels.c.name == name)
            )
            if clash is not None:
                raise InputError("panel", "name", f"project {project!r} already has a panel named {name!r}")
            stamp = now()
            connection.execute(
                insert(panels).values(
                    id=panel_id,
                    project_id=project,
                    name=name,
                    revision=revision,
                    asks=asks,
                    options=_json(chosen.to_dict()),
                    survey_mapping=None,
                    round=1,
                    created=stamp,
                    updated=stamp,
                )
            )
            connection.execute(
                insert(panel_experts),
                [
                    {
                        "panel_id": panel_id,
                        "id": e.id,
                        "position": position,
                        "name": e.name,
                        "group_id": e.group,
                        "weight": e.weight,
                        "asks": e.asks,
                    }
                    for position, e in enumerate(experts)
                ],
            )
            record(
                connection,
                project,
                who=who,
                entity=ENTITY,
                entity_id=panel_id,
                action="create",
                before=None,
                after={
                    "name": name,
                    "revision": revision,
                    "asks": asks,
                    "options": chosen.to_dict(),
                    "experts": [e.to_dict() for e in experts],
                },
            )

        write(self.engine, work)
        return self.panel(project, name)

    def set_survey_mapping(
        self,
        project: str,
        panel: str,
        mapping_text: str | bytes,
        *,
        source: str = "mapping",
        who: str | None = None,
    ) -> Mapping[str, Any]:
        """Check a survey export's column mapping (:mod:`engine.panel.survey`) and keep it with the panel."""
        from engine.panel.survey import mapping_document, parse_mapping_text

        info = self.panel(project, panel)
        document = mapping_document(parse_mapping_text(mapping_text, source, self.problem(info)))
        who = who or current_user()

        def work(connection: Connection) -> None:
            lock_project(connection, project)
            row = self._panel_row(connection, project, panel)
            connection.execute(
                update(panels)
                .where(panels.c.id == row.id)
                .values(survey_mapping=_json(document), updated=now())
            )
            record(
                connection,
                project,
                who=who,
                entity=ENTITY,
                entity_id=row.id,
                action="mapping",
                before=None if row.survey_mapping is None else json.loads(row.survey_mapping),
                after=document,
            )

        write(self.engine, work)
        return document

    # ------------------------------------------------------------------ links

    def issue_links(
        self,
        project: str,
        panel: str,
        experts: Sequence[str] | None = None,
        *,
        base_url: str = DEFAULT_BASE_URL,
        days: float | None = None,
        who: str | None = None,
    ) -> list[Link]:
        """Fresh personal links for ``experts`` (default: all), valid ``days`` (default: the panel's).

        The tokens are returned here once and only their SHA-256 is stored; every earlier link of
        those experts is revoked, so a link sent to the wrong address is cured by issuing again.
        A link is ``base_url`` with ``?token=TOKEN`` (``&token=`` when it has a query already).
        """
        info = self.panel(project, panel)
        chosen = [info.expert(e) for e in (experts if experts is not None else [e.id for e in info.experts])]
        valid_days = info.options.link_days if days is None else days
        if not (math.isfinite(valid_days) and 0 < valid_days <= 3660):
            raise InputError("--days", "", f"expected a number of days from 0 to 3660, got {valid_days!r}")
        if not base_url.startswith(("http://", "https://")):
            raise InputError("--base-url", "", f"expected an http:// or https:// address, got {base_url!r}")
        separator = "&" if "?" in base_url else "?"
        who = who or current_user()
        stamp = now()
        expires = _later(stamp, valid_days)
        links = [
            Link(e.id, e.name, token, f"{base_url}{separator}{TOKEN_PARAMETER}={token}", expires)
            for e, token in ((e, secrets.token_urlsafe(32)) for e in chosen)
        ]

        def work(connection: Connection) -> None:
            lock_project(connection, project)
            row = self._panel_row(connection, project, panel)
            ids = [link.expert for link in links]
            connection.execute(
                update(panel_tokens)
                .where(panel_tokens.c.panel_id == row.id, panel_tokens.c.expert_id.in_(ids))
                .values(revoked=1)
            )
            connection.execute(
                insert(panel_tokens),
                [
                    {
                        "token_sha256": token_hash(link.token),
                        "panel_id": row.id,
                        "expert_id": link.expert,
                        "created": stamp,
                        "expires": expires,
                        "revoked": 0,
                    }
                    for link in links
                ],
            )
            record(
                connection,
                project,
                who=who,
                entity=ENTITY,
                entity_id=row.id,
                action="links",
                before=None,
                after={"experts": ids, "expires": expires},
            )

        write(self.engine, work)
        return links

    def revoke(self, project: str, panel: str, expert: str, *, who: str | None = None) -> int:
        """Revoke every link of ``expert``; returns how many were still valid."""
        info = self.panel(project, panel)
        info.expert(expert)
        who = who or current_user()

        def work(connection: Connection) -> int:
            lock_project(connection, project)
            stamp = now()
            active = panel_tokens.c.panel_id == info.id, panel_tokens.c.expert_id == expert
            valid = connection.scalars(
                select(panel_tokens.c.expires).where(*active, panel_tokens.c.revoked == 0)
            ).all()
            connection.execute(update(panel_tokens).where(*active).values(revoked=1))
            count = sum(expires > stamp for expires in valid)
            record(
                connection,
                project,
                who=who,
                entity=ENTITY,
                entity_id=info.id,
                action="revoke",
                before=None,
                after={"expert": expert, "revoked": count},
            )
            return count

        return write(self.engine, work)

    def expert_for_token(self, token: Any) -> ExpertAccess | None:
        """Whom ``token`` lets in, or None for a token that is unknown, revoked or expired.

        The token is hashed and looked up by its hash, so the time taken does not depend on how
        much of a stored token a guess matches; anything that is not a plausible token (not a
        string, empty, too long) is None without a query. Call it on every request of the
        questionnaire page: a link revoked meanwhile must stop working at once.
        """
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        digest = token_hash(token)
        with self.engine.connect() as connection:
            row = connection.execute(
                select(
                    panel_tokens.c.token_sha256,
                    panel_tokens.c.expires,
                    panel_tokens.c.revoked,
                    panels.c.id.label("panel_id"),
                    panels.c.project_id,
                    panels.c.name.label("panel_name"),
                    panels.c.round,
                    panel_experts.c.id.label("expert_id"),
                    panel_experts.c.name.label("expert_name"),
                    panel_experts.c.asks,
                )
                .join(panels, panels.c.id == panel_tokens.c.panel_id)
                .join(
                    panel_experts,
                    (panel_experts.c.panel_id == panel_tokens.c.panel_id)
                    & (panel_experts.c.id == panel_tokens.c.expert_id),
                )
                .where(panel_tokens.c.token_sha256 == digest)
            ).one_or_none()
            if row is None or not hmac.compare_digest(row.token_sha256, digest):
                return None
            if row.revoked or row.expires <= now():
                return None
            submitted = connection.scalar(
                select(panel_submissions.c.at).where(
                    panel_submissions.c.panel_id == row.panel_id,
                    panel_submissions.c.expert_id == row.expert_id,
                    panel_submissions.c.round == row.round,
                )
            )
        return ExpertAccess(
            project=row.project_id,
            panel=row.panel_name,
            panel_id=row.panel_id,
            expert=row.expert_id,
            name=row.expert_name,
            asks=row.asks,
            round=row.round,
            expires=row.expires,
            submitted=submitted,
        )

    # ------------------------------------------------------------------ answering

    def save_answer(
        self,
        project: str,
        panel: str,
        expert: str,
        item: Item | str,
        value: Any,
        reason: str | None = None,
        *,
        source: str = "link",
        who: str | None = None,
    ) -> SavedAnswer:
        """Keep one answer of ``expert`` in the current round (replacing their earlier answer to it).

        ``value``: a judgment on Saaty's scale in any shape a cell may hold (``3``, ``"1/3"``,
        ``0.333``), a score on the criterion's own scale, or a self-rating level (its id or its
        label in either language). A judgment asked the other way round (``Item.judgment(node,
        b, a)``) is stored as the reciprocal under the questionnaire's order. ``reason`` is the
        expert's comment (at most 2,000 characters).

        Raises :class:`Locked` after the expert has submitted the round, and
        :class:`engine.errors.InputError` for an item the expert is not asked or a bad value (with
        ``code``/``params`` for the page's wording, :func:`engine.text.messages.describe`).
        """
        info = self.panel(project, panel)
        person = info.expert(expert)
        problem = self.problem(info)
        chosen = Item.parse(item) if isinstance(item, str) else item
        canonical, parsed = _checked_value(problem, chosen, value)
        if canonical.key not in self._asked_keys(info, person):
            raise InputError(
                f"panel {info.name}",
                canonical.key,
                f"not a question expert {expert!r} is asked in round {info.round}",
            )
        text = _reason(reason, canonical.key)
        who = who or f"expert {expert}"

        def work(connection: Connection) -> SavedAnswer:
            lock_project(connection, project)
            round = _current_round(connection, info.id)
            if round != info.round:
                raise InputError(
                    f"panel {info.name}", "", f"round {info.round} has closed; reload round {round}"
                )
            _refuse_if_submitted(connection, info, expert, round)
            stamp = now()
            saved = SavedAnswer(canonical, parsed, text, stamp, source)
            before = _put_answer(connection, info.id, expert, round, saved)
            record(
                connection,
                project,
                who=who,
                entity=ENTITY,
                entity_id=info.id,
                action="answer",
                before=before,
                after={
                    "expert": expert,
                    "round": round,
                    "item": canonical.key,
                    "value": parsed,
                    "reason": text,
                },
            )
            return saved

        return write(self.engine, work)

    def submit(self, project: str, panel: str, expert: str, *, who: str | None = None) -> str:
        """Lock ``expert``'s current round: later answers are refused. Returns when it was submitted
        (the earlier time when they had already submitted)."""
        info = self.panel(project, panel)
        info.expert(expert)
        who = who or f"expert {expert}"

        def work(connection: Connection) -> str:
            lock_project(connection, project)
            round = _current_round(connection, info.id)
            done = _submissions(connection, info.id, round).get(expert)
            if done is not None:
                return done
            stamp = now()
            connection.execute(
                insert(panel_submissions).values(panel_id=info.id, expert_id=expert, round=round, at=stamp)
            )
            record(
                connection,
                project,
                who=who,
                entity=ENTITY,
                entity_id=info.id,
                action="submit",
                before=None,
                after={"expert": expert, "round": round},
            )
            return stamp

        return write(self.engine, work)

    def import_answers(
        self,
        project: str,
        panel: str,
        found: Sequence[Answers],
        *,
        source: str,
        submit: bool = True,
        replace: bool = False,
        who: str | None = None,
    ) -> ImportResult:
        """Store validated :class:`engine.panel.answers.Answers` (from questionnaires or a survey
        export) in one transaction: all of them or, on any problem, none.

        Every Answers must be of this panel and its current round, of an expert of the panel, and
        hold only items that expert is asked; one expert appears once. A returned questionnaire is
        the expert's submission, so ``submit`` (default) locks their round. An expert who has
        submitted already is refused unless ``replace``, which first drops their answers of the
        round (a corrected file replaces the earlier one).
        """
        info = self.panel(project, panel)
        problem = self.problem(info)
        rows: list[tuple[str, SavedAnswer]] = []
        seen: dict[str, str] = {}
        for answers in found:
            identity = answers.identity
            where = answers.source or source
            if identity.panel != info.name or identity.round != info.round:
                raise InputError(
                    where,
                    "",
                    f"answers of panel {identity.panel!r} round {identity.round}; this is panel "
                    f"{info.name!r} in round {info.round}",
                )
            person = info.expert(identity.expert)
            if person.id in seen:
                raise InputError(where, "", f"expert {person.id!r} already answers in {seen[person.id]}")
            seen[person.id] = where
            asked = self._asked_keys(info, person)
            for item, value, reason in _answer_items(answers):
                canonical, parsed = _checked_value(problem, item, value)
                if canonical.key not in asked:
                    raise InputError(where, canonical.key, f"not a question expert {person.id!r} is asked")
                rows.append(
                    (person.id, SavedAnswer(canonical, parsed, _reason(reason, canonical.key), "", where))
                )
        experts = tuple(seen)
        who = who or current_user()

        def work(connection: Connection) -> ImportResult:
            lock_project(connection, project)
            round = _current_round(connection, info.id)
            if round != info.round:
                raise InputError(
                    source, "", f"the panel moved on to round {round}; export the questionnaires again"
                )
            for expert in experts:
                if replace:
                    _drop_round(connection, info.id, expert, round)
                else:
                    _refuse_if_submitted(connection, info, expert, round)
            stamp = now()
            for expert, answer in rows:
                _put_answer(connection, info.id, expert, round, dataclasses.replace(answer, saved=stamp))
            if submit:
                connection.execute(
                    insert(panel_submissions),
                    [{"panel_id": info.id, "expert_id": e, "round": round, "at": stamp} for e in experts],
                )
            record(
                connection,
                project,
                who=who,
                entity=ENTITY,
                entity_id=info.id,
                action="import",
                before=None,
                after={
                    "round": round,
                    "experts": list(experts),
                    "answers": len(rows),
                    "sources": sorted({answer.source for _, answer in rows} or {source}),
                    "submitted": submit,
                },
            )
            return ImportResult(experts, len(rows), submit)

        return write(self.engine, work)

    def import_files(
        self,
        project: str,
        panel: str,
        paths: Sequence[str | os.PathLike[str]],
        *,
        replace: bool = False,
        who: str | None = None,
    ) -> ImportResult:
        """Read filled questionnaires (.xlsx) and import them together: one bad file, nothing imported.

        Each file is checked whole by :func:`engine.panel.answers.read_answers` (every bad cell
        named by sheet and cell, :class:`engine.panel.cells.FileRefused`).
        """
        from engine.panel.answers import read_answers

        info = self.panel(project, panel)
        problem = self.problem(info)
        ids = [e.id for e in info.experts]
        found = [read_answers(p, problem, panel=info.name, round=info.round, experts=ids) for p in paths]
        label = ", ".join(str(p) for p in paths)
        return self.import_answers(project, panel, found, source=label, replace=replace, who=who)

    def import_survey(
        self,
        project: str,
        panel: str,
        path: str | os.PathLike[str],
        *,
        mapping: str | os.PathLike[str] | None = None,
        replace: bool = False,
        who: str | None = None,
    ) -> ImportResult:
        """Import a survey tool's export (CSV or .xlsx) through the panel's column mapping.

        ``mapping`` names a mapping file to check and keep with the panel first; without it the
        mapping kept earlier is used. Every respondent's row counts as their submission.
        """
        from engine.io.reader import display_path
        from engine.panel.survey import parse_mapping, read_survey

        info = self.panel(project, panel)
        problem = self.problem(info)
        if mapping is not None:
            data = Path(mapping).read_bytes() if Path(mapping).is_file() else None
            if data is None:
                raise InputError(display_path(mapping), "", "file not found")
            self.set_survey_mapping(project, panel, data, source=display_path(mapping), who=who)
            info = self.panel(project, panel)
        if info.survey_mapping is None:
            raise InputError(
                "--mapping", "", f"panel {info.name!r} has no survey column mapping yet; pass --mapping"
            )
        parsed = parse_mapping(dict(info.survey_mapping), f"panel {info.name} mapping", problem)
        ids = [e.id for e in info.experts]
        found = read_survey(path, parsed, problem, panel=info.name, round=info.round, experts=ids)
        return self.import_answers(project, panel, found, source=display_path(path), replace=replace, who=who)

    # ------------------------------------------------------------------ rounds

    def next_round(self, project: str, panel: str, *, who: str | None = None) -> int:
        """Open round k + 1 (returned). Round k's answers stay: they feed :meth:`feedback`.

        Experts' links keep working and now open the new round.
        """
        info = self.panel(project, panel)
        who = who or current_user()

        def work(connection: Connection) -> int:
            lock_project(connection, project)
            round = _current_round(connection, info.id)
            connection.execute(
                update(panels).where(panels.c.id == info.id).values(round=round + 1, updated=now())
            )
            record(
                connection,
                project,
                who=who,
                entity=ENTITY,
                entity_id=info.id,
                action="round",
                before={"round": round},
                after={"round": round + 1},
            )
            return round + 1

        return write(self.engine, work)

    def feedback(
        self, project: str, panel: str, expert: str, round: int | None = None
    ) -> list[dict[str, Any]]:
        """What round k shows ``expert`` beside each question: the group's answers of round k - 1.

        One entry per numeric item the expert is asked (judgments and scores): ``item`` (key),
        ``own`` (their round k - 1 answer or None), ``median``, ``q1``, ``q3`` (of all experts who
        answered it; judgments on the ratio scale, so 3 and 1/3 are equally far from 1),
        ``count``, and ``position`` -1 below the interquartile range, 0 within, +1 above (None
        when they did not answer). Other experts appear only in these figures, never by name.
        Empty in round 1.
        """
        from engine.panel.aggregate import feedback as group_feedback

        info = self.panel(project, panel)
        current = info.round if round is None else round
        if current <= 1:
            return []
        items = [i for i in self.asked_items(project, panel, expert, current) if i.kind != "rating"]
        previous = self.answers(project, panel, round=current - 1)
        experts = sorted(previous)
        out: list[dict[str, Any]] = []
        for kind, scale in (("judgment", "ratio"), ("score", "linear")):
            chosen = [i for i in items if i.kind == kind]
            if not chosen or not experts:
                out.extend({"item": i.key, "own": None, "median": None, "q1": None, "q3": None, "count": 0,
                            "position": None} for i in chosen)  # fmt: skip
                continue
            table = np.array(
                [[_float(previous[e].get(i.key)) for i in chosen] for e in experts], dtype=np.float64
            )
            result = group_feedback(table, scale=scale)  # type: ignore[arg-type]  # one of the two literals
            me = experts.index(expert) if expert in experts else None
            for column, item in enumerate(chosen):
                own = None if me is None else _number(table[me, column])
                out.append(
                    {
                        "item": item.key,
                        "own": own,
                        "median": _number(result.median[column]),
                        "q1": _number(result.q1[column]),
                        "q3": _number(result.q3[column]),
                        "count": int(result.count[column]),
                        "position": None if own is None or me is None else int(result.position[me, column]),
                    }
                )
        return out

    # ------------------------------------------------------------------ status and weights

    def status(self, project: str, panel: str) -> dict[str, Any]:
        """The panel page's figures as JSON-ready data (shape in docs/panel.md).

        Per expert: answered and asked counts in the current round, whether and when submitted,
        CR per judged node (null where the node is not fully answered), valid links. For the
        panel: its weights by its aggregation, Kendall's W over the experts' leaf weights with
        χ², df and p, CV and quartiles per criterion, outlier experts, authority coefficients,
        and W per round with the convergence verdict.
        """
        from engine.store.panel_status import panel_status

        info = self.panel(project, panel)
        problem = self.problem(info)
        with self.engine.connect() as connection:
            rows = connection.execute(select(panel_answers).where(panel_answers.c.panel_id == info.id)).all()
            submissions = connection.execute(
                select(panel_submissions).where(panel_submissions.c.panel_id == info.id)
            ).all()
            tokens = connection.execute(
                select(panel_tokens.c.expert_id, panel_tokens.c.expires, panel_tokens.c.revoked).where(
                    panel_tokens.c.panel_id == info.id
                )
            ).all()
        by_round: dict[int, dict[str, dict[str, Any]]] = {}
        for row in rows:
            by_round.setdefault(row.round, {}).setdefault(row.expert_id, {})[row.item] = json.loads(row.value)
        submitted = {(row.expert_id, row.round): row.at for row in submissions}
        stamp = now()
        links: dict[str, list[str]] = {}
        for token in tokens:
            if not token.revoked and token.expires > stamp:
                links.setdefault(token.expert_id, []).append(token.expires)
        asked = {e.id: asked_items(problem, e.asks, info.round, info.options.scored) for e in info.experts}
        return panel_status(info, problem, by_round, submitted, links, asked)

    def analysis_inputs(
        self,
        project: str,
        panel: str,
        *,
        base: Settings | None = None,
        aggregation: str | None = None,
        round: int | None = None,
    ) -> tuple[Problem, Settings]:
        """A Problem and Settings for :func:`engine.analysis.run` that rank with the panel's weights.

        The Problem is the project's at the panel's revision with the criteria file's experts
        replaced by the panel's experts who answered every judgment of ``round`` (default: the
        current one), each with their group and weight; the file's stakeholder groups and their
        weights stay. The Settings are ``base``'s (method, normalisation, …) with weights from
        AHP over all those experts, aggregated by ``aggregation`` (default: the panel's). So the
        ranking combines the panel exactly as it combines the experts of a criteria file
        (:func:`engine.hierarchy.combined_matrices`), and reports every expert's CR.
        """
        info = self.panel(project, panel)
        problem = self.problem(info)
        chosen = info.options.aggregation if aggregation is None else aggregation
        if chosen not in AGGREGATIONS:
            raise InputError(
                "--aggregation", "", f"expected one of {', '.join(AGGREGATIONS)}, got {chosen!r}"
            )
        current = info.round if round is None else round
        answered = self.answers(project, panel, round=current)
        experts = _complete_experts(problem, info, answered)
        if not experts:
            raise InputError(
                f"panel {info.name}",
                f"round {current}",
                "no expert has answered every pairwise judgment yet, so the panel has no weights",
            )
        criteria = dataclasses.replace(problem.criteria, experts=experts)
        panel_problem = dataclasses.replace(problem, criteria=criteria)
        settings = dataclasses.replace(
            base or Settings(),
            weight_source="ahp",
            preset=None,
            manual_weights=(),
            experts=(),
            judgment_edits=(),
            group_weights=(),
            aggregation=chosen,
            ahp_method=info.options.ahp_method,  # type: ignore[arg-type]  # checked on create
        )
        return panel_problem, settings

    def scenario_settings(
        self,
        project: str,
        panel: str,
        *,
        base: Settings | None = None,
        aggregation: str | None = None,
        round: int | None = None,
    ) -> Settings:
        """Settings for the project's own Problem whose weights are the panel's ("use the panel").

        The panel's leaf weights (:meth:`analysis_inputs`, then :func:`engine.analysis.run`) as
        manual weights over the project's current criteria, so a scenario saved with them ranks
        with the panel's weights whatever the criteria file's experts say. Refused when the
        project's leaf criteria have changed since the panel was created.
        """
        from engine.analysis import run

        panel_problem, settings = self.analysis_inputs(
            project, panel, base=base, aggregation=aggregation, round=round
        )
        current = self.store.problem(project)
        if current.leaf_ids != panel_problem.leaf_ids:
            raise InputError(
                f"panel {panel}",
                "",
                "the project's criteria have changed since the panel was created, so its weights do not "
                "fit them",
            )
        weights = run(panel_problem, settings).weights
        manual = dataclasses.replace(base or Settings(), experts=(), judgment_edits=(), group_weights=())
        return manual.with_manual_weights(dict(zip(current.leaf_ids, map(float, weights), strict=True)))

    # ------------------------------------------------------------------ internals

    def _asked_keys(self, info: PanelInfo, person: PanelExpert) -> frozenset[str]:
        key = (info.id, info.round, person.asks, info.revision, info.options.scored)
        if key not in self._asked:
            items = asked_items(self.problem(info), person.asks, info.round, info.options.scored)
            self._asked[key] = frozenset(item.key for item in items)
        return self._asked[key]

    def _panel_row(self, connection: Connection, project: str, name: str) -> Row[Any]:
        row = connection.execute(
            select(panels).where(panels.c.project_id == project, panels.c.name == name)
        ).one_or_none()
        if row is None:
            self.store._project_row(connection, project)  # names the known projects
            names = connection.scalars(
                select(panels.c.name).where(panels.c.project_id == project).order_by(panels.c.name)
            ).all()
            known = ", ".join(names) or "none yet"
            raise InputError("--panel", "", f"no panel {name!r} in project {project!r} (known: {known})")
        return row

    def _info(self, connection: Connection, row: Row[Any]) -> PanelInfo:
        experts = connection.execute(
            select(panel_experts).where(panel_experts.c.panel_id == row.id).order_by(panel_experts.c.position)
        ).all()
        return PanelInfo(
            id=row.id,
            project=row.project_id,
            name=row.name,
            revision=row.revision,
            asks=row.asks,
            options=PanelOptions.from_dict(json.loads(row.options)),
            round=row.round,
            created=row.created,
            updated=row.updated,
            experts=tuple(PanelExpert(e.id, e.name, e.group_id, float(e.weight), e.asks) for e in experts),
            survey_mapping=None
            if row.survey_mapping is None
            else frozen_mapping(json.loads(row.survey_mapping)),
        )


# ---------------------------------------------------------------- module internals


def _check_options(options: PanelOptions, problem: Problem) -> None:
    if options.aggregation not in AGGREGATIONS:
        raise InputError(
            "--aggregation", "", f"expected one of {', '.join(AGGREGATIONS)}, got {options.aggregation!r}"
        )
    if options.ahp_method not in ("eigen", "geometric"):
        raise InputError("--ahp-method", "", f"expected eigen or geometric, got {options.ahp_method!r}")
    if options.score_statistic not in ("median", "geometric"):
        raise InputError(
            "score_statistic", "", f"expected median or geometric, got {options.score_statistic!r}"
        )
    if options.score_spread not in ("quartiles", "range"):
        raise InputError("score_spread", "", f"expected quartiles or range, got {options.score_spread!r}")
    for criterion in options.scored or ():
        if criterion not in problem.leaf_ids:
            raise InputError(
                "--scored", criterion, f"expected a leaf criterion ({', '.join(problem.leaf_ids)})"
            )
    if not 0 < options.link_days <= 3660:
        raise InputError("--days", "", f"expected a number of days from 1 to 3660, got {options.link_days}")


def _checked_value(problem: Problem, item: Item, value: Any) -> tuple[Item, float | str]:
    """The item in the questionnaire's order and its parsed value; InputError for a bad one."""
    place = item.key
    try:
        if item.kind == "judgment":
            node_id, a, b = item.parts
            try:
                node = problem.criteria.node(node_id)
            except KeyError:
                raise InputError("answer", place, f"no criteria node {node_id!r}") from None
            order = [child.id for child in node.children]
            if a not in order or b not in order or a == b:
                raise InputError(
                    "answer", place, f"expected two different children of {node_id!r}: {', '.join(order)}"
                )
            judged = cells.saaty(value)
            if order.index(a) > order.index(b):
                return Item.judgment(node_id, b, a), 1.0 / judged
            return item, judged
        if item.kind == "score":
            measure, criterion = item.parts
            if measure not in problem.alternative_ids:
                raise InputError("answer", place, f"no countermeasure {measure!r}")
            if criterion not in problem.leaf_ids:
                raise InputError("answer", place, f"no leaf criterion {criterion!r}")
            low, high = problem.criteria.node(criterion).scale or (0.0, 0.0)
            return item, cells.number(value, low=low, high=high)
        (name,) = item.parts
        if name not in SELF_RATING_ITEMS:
            raise InputError("answer", place, f"expected one of {', '.join(SELF_RATING_ITEMS)}")
        accepted, labels = rating_choices(name)
        return item, cells.choice(value, options=accepted, labels=labels)
    except CellProblem as problem_found:
        raise problem_found.at("answer", place) from None


def _reason(reason: Any, place: str) -> str:
    try:
        return cells.reason(reason)
    except CellProblem as problem_found:
        raise problem_found.at("answer", f"{place} reason") from None


def _answer_items(answers: Answers) -> Iterable[tuple[Item, Any, str | None]]:
    for node, values in answers.judgments.items():
        reasons = answers.judgment_reasons.get(node, {})
        for (a, b), value in values.items():
            yield Item.judgment(node, a, b), value, reasons.get((a, b))
    for (measure, criterion), value in answers.scores.items():
        yield Item.score(measure, criterion), value, answers.score_reasons.get((measure, criterion))
    if answers.self_rating is not None:
        yield Item.rating("familiarity"), answers.self_rating.familiarity, None
        for basis, level in answers.self_rating.basis.items():
            yield Item.rating(f"basis.{basis}"), level, None


def _saved(row: Row[Any]) -> SavedAnswer:
    return SavedAnswer(Item.parse(row.item), json.loads(row.value), row.reason or "", row.saved, row.source)


def _float(answer: SavedAnswer | None) -> float:
    return float(answer.value) if answer is not None else math.nan


def _current_round(connection: Connection, panel_id: str) -> int:
    round = connection.scalar(select(panels.c.round).where(panels.c.id == panel_id))
    if round is None:  # deleted with its project since it was read
        raise InputError("--panel", "", "the panel no longer exists")
    return int(round)


def _submissions(connection: Connection, panel_id: str, round: int) -> dict[str, str]:
    rows = connection.execute(
        select(panel_submissions.c.expert_id, panel_submissions.c.at).where(
            panel_submissions.c.panel_id == panel_id, panel_submissions.c.round == round
        )
    ).all()
    return {row.expert_id: row.at for row in rows}


def _refuse_if_submitted(connection: Connection, info: PanelInfo, expert: str, round: int) -> None:
    at = connection.scalar(
        select(panel_submissions.c.at).where(
            panel_submissions.c.panel_id == info.id,
            panel_submissions.c.expert_id == expert,
            panel_submissions.c.round == round,
        )
    )
    if at is not None:
        raise Locked(
            f"panel {info.name}",
            f"expert {expert}",
            f"round {round} was submitted at {at} and is locked; nothing was changed",
        )


def _drop_round(connection: Connection, panel_id: str, expert: str, round: int) -> None:
    for table in (panel_answers, panel_submissions):
        connection.execute(
            delete(table).where(
                table.c.panel_id == panel_id, table.c.expert_id == expert, table.c.round == round
            )
        )


def _put_answer(
    connection: Connection, panel_id: str, expert: str, round: int, answer: SavedAnswer
) -> dict[str, Any] | None:
    """Insert or replace one answer in the caller's transaction; returns what it replaced (history)."""
    where = (
        panel_answers.c.panel_id == panel_id,
        panel_answers.c.expert_id == expert,
        panel_answers.c.round == round,
        panel_answers.c.item == answer.item.key,
    )
    old = connection.execute(
        select(panel_answers.c.value, panel_answers.c.reason).where(*where)
    ).one_or_none()
    values = {
        "value": _json(answer.value),
        "reason": answer.reason or None,
        "source": answer.source,
        "saved": answer.saved,
    }
    if old is None:
        connection.execute(
            insert(panel_answers).values(
                panel_id=panel_id, expert_id=expert, round=round, item=answer.item.key, **values
            )
        )
        return None
    connection.execute(update(panel_answers).where(*where).values(**values))
    return {"expert": expert, "round": round, "item": answer.item.key, "value": json.loads(old.value),
            "reason": old.reason or ""}  # fmt: skip


def _complete_experts(
    problem: Problem, info: PanelInfo, answered: Mapping[str, Mapping[str, SavedAnswer]]
) -> tuple[Expert, ...]:
    """The panel's experts who answered every pair of every judged node, as criteria-file experts."""
    nodes = problem.criteria.judged_nodes
    experts: list[Expert] = []
    for person in info.experts:
        mine = answered.get(person.id, {})
        judgments: dict[str, tuple[Judgment, ...]] = {}
        for node in nodes:
            given = [(a, b, mine.get(Item.judgment(node.id, a, b).key)) for a, b in pairs(node)]
            if any(answer is None for _, _, answer in given):
                break
            judgments[node.id] = tuple(
                Judgment(a, b, float(answer.value)) for a, b, answer in given if answer is not None
            )
        else:
            experts.append(
                Expert(
                    id=person.id,
                    name=Text(person.name, person.name),
                    judgments=frozen_mapping(judgments),
                    group=person.group,
                    weight=person.weight,
                )
            )
    return tuple(experts)
