"""An expert's answers, and how a filled questionnaire (.xlsx) is read back into them.

:class:`Answers` is plain data: judgments per judged node as ``{(a_id, b_id): value}`` (``a`` is
``value`` times as important as ``b``), scores as ``{(measure_id, criterion_id): value}`` on the
criterion's own scale, the reasons given, and the self-rating behind the authority coefficient.
Survey exports (:mod:`engine.panel.survey`) produce the same objects.

:func:`read_answers` checks the whole workbook before it returns anything: that it is a
questionnaire of this panel, round and criteria tree, for an expert of the panel; that no sheet
is missing or added, no id or name changed and no row added; and every answer cell. Each bad
cell gives one message naming the file, the sheet and the cell (``sheet 判断1-目标, cell C7``);
a file with any bad cell raises :class:`engine.panel.cells.FileRefused` with all of them, and
nothing of it is accepted.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from engine.errors import InputError
from engine.io.files import read_input
from engine.io.reader import display_path
from engine.model import Problem, frozen_mapping
from engine.panel import cells
from engine.panel.cells import CellProblem, FileRefused
from engine.panel.layout import (
    BASIS,
    FIRST_ROW,
    FORMAT,
    FORMAT_VERSION,
    HEADER_ROW,
    JUDGMENT_COLUMNS,
    MAX_ROWS,
    META_SHEET,
    SCORE_COLUMNS,
    SELF_RATING_COLUMNS,
    SELF_RATING_ITEMS,
    Identity,
    pairs,
    rating_choices,
    score_rows,
)
from engine.text.messages import coded, kind, show

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

__all__ = ["Answers", "SelfRating", "answers_from_bytes", "read_answers"]

MAX_FILE_BYTES = 20 * 1024 * 1024
_META_ROWS = 200

Pair = tuple[str, str]


@dataclass(frozen=True)
class SelfRating:
    """The self-rating behind the authority coefficient (专家权威系数).

    ``familiarity`` is an id of :data:`engine.panel.layout.FAMILIARITY` (very_familiar ..
    unfamiliar); ``basis`` maps each basis of judgment (practice, theory, literature, intuition)
    to how much it informed the answers (high, medium, low).
    """

    familiarity: str
    basis: Mapping[str, str]


@dataclass(frozen=True)
class Answers:
    """One expert's validated answers in one round (only the parts they were asked)."""

    identity: Identity
    judgments: Mapping[str, Mapping[Pair, float]] = field(default_factory=frozen_mapping)
    judgment_reasons: Mapping[str, Mapping[Pair, str]] = field(default_factory=frozen_mapping)
    scores: Mapping[Pair, float] = field(default_factory=frozen_mapping)
    score_reasons: Mapping[Pair, str] = field(default_factory=frozen_mapping)
    self_rating: SelfRating | None = None
    source: str = ""


def read_answers(
    path: str | os.PathLike[str],
    problem: Problem,
    *,
    panel: str,
    round: int,
    experts: Collection[str] | None = None,
    allow_blank: bool = False,
) -> Answers:
    """Read a filled questionnaire of ``panel`` in ``round``, all or nothing.

    ``experts`` are the panel's expert ids (None accepts any); ``allow_blank`` accepts unanswered
    cells and leaves them out (by default every question must be answered). Raises
    :class:`InputError` when the file is not such a questionnaire, :class:`FileRefused` listing
    every bad cell otherwise.
    """
    source = display_path(path)
    data = read_input(path, source)
    return answers_from_bytes(
        data, source, problem, panel=panel, round=round, experts=experts, allow_blank=allow_blank
    )


def answers_from_bytes(
    data: bytes,
    source: str,
    problem: Problem,
    *,
    panel: str,
    round: int,
    experts: Collection[str] | None = None,
    allow_blank: bool = False,
) -> Answers:
    """:func:`read_answers` for the bytes of an upload; ``source`` names the file in messages."""
    if len(data) > MAX_FILE_BYTES:
        raise coded(source, "", "file_too_large", mb=MAX_FILE_BYTES // (1024 * 1024))
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # a damaged or foreign file fails in many ways inside zipfile and XML
        reason = str(exc) or type(exc).__name__
        raise coded(source, "", "not_xlsx", reason=reason[:200]) from None
    try:
        return _Reader(source, problem, allow_blank).read(workbook, panel, round, experts)
    finally:
        workbook.close()


class _Reader:
    """One workbook's reading: the problems found so far and the answers of the good cells."""

    def __init__(self, source: str, problem: Problem, allow_blank: bool) -> None:
        self.source = source
        self.problem = problem
        self.allow_blank = allow_blank
        self.errors: list[InputError] = []

    def fail(self, place: str, code: str, **params: Any) -> None:
        self.errors.append(coded(self.source, place, code, **params))

    def read(self, workbook: Any, panel: str, round: int, experts: Collection[str] | None) -> Answers:
        meta, sheets = self._meta(workbook)
        identity = self._identity(meta, panel, round, experts)
        if self.errors:  # another questionnaire: its cells say nothing about this panel
            raise FileRefused(self.source, self.errors)
        by_kind: dict[str, list[tuple[str, str]]] = {}
        for title, sheet_kind, node in sheets:
            by_kind.setdefault(sheet_kind, []).append((title, node))
        known = [title for title, _, _ in sheets]
        for title in workbook.sheetnames:
            if title != META_SHEET and title not in known:
                self.fail(f"sheet {title}", "unknown_sheet", sheet=title, known=", ".join(known))
        present = [title for title in known if title in workbook.sheetnames]
        for title in known:
            if title not in present:
                self.fail("", "missing_sheet", sheet=title)

        judgments: dict[str, Mapping[Pair, float]] = {}
        judgment_reasons: dict[str, Mapping[Pair, str]] = {}
        judged = {node.id: node for node in self.problem.criteria.judged_nodes}
        asked_nodes = [node for _, node in by_kind.get("judgments", [])]
        if asked_nodes and sorted(asked_nodes) != sorted(judged):
            self.fail(
                f"sheet {META_SHEET}",
                "wrong_criteria",
                found=", ".join(asked_nodes),
                wanted=", ".join(judged),
            )
        for title, node_id in by_kind.get("judgments", []):
            if title in present and node_id in judged:
                values, reasons = self._judgments(workbook[title], title, pairs(judged[node_id]))
                judgments[node_id] = frozen_mapping(values)
                judgment_reasons[node_id] = frozen_mapping(reasons)

        scores: dict[Pair, float] = {}
        score_reasons: dict[Pair, str] = {}
        for title, _ in by_kind.get("scores", []):
            rows = self._score_rows(meta)
            if title in present and rows is not None:
                scores, score_reasons = self._scores(workbook[title], title, rows)

        rating = None
        for title, _ in by_kind.get("self_rating", []):
            if title in present:
                rating = self._self_rating(workbook[title], title)

        if self.errors:
            raise FileRefused(self.source, self.errors)
        return Answers(
            identity=identity,
            judgments=frozen_mapping(judgments),
            judgment_reasons=frozen_mapping(judgment_reasons),
            scores=frozen_mapping(scores),
            score_reasons=frozen_mapping(score_reasons),
            self_rating=rating,
            source=self.source,
        )

    # the hidden sheet: what the questionnaire is and whose

    def _meta(self, workbook: Any) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
        if META_SHEET not in workbook.sheetnames:
            raise coded(self.source, "", "not_questionnaire")
        meta: dict[str, Any] = {}
        sheets: list[tuple[str, str, str]] = []
        for row in workbook[META_SHEET].iter_rows(max_row=_META_ROWS, max_col=4, values_only=True):
            key, *rest = (*row, None, None, None)[:4]
            if key == "sheet":
                sheets.append((str(rest[0]), str(rest[1]), str(rest[2] or "")))
            elif isinstance(key, str):
                meta[key] = rest[0]
        if meta.get("format") != FORMAT:
            raise coded(self.source, "", "not_questionnaire")
        if meta.get("version") != FORMAT_VERSION:
            raise coded(
                self.source,
                f"sheet {META_SHEET}",
                "version",
                expected=FORMAT_VERSION,
                shown=show(meta.get("version")),
            )
        return meta, sheets

    def _identity(
        self, meta: Mapping[str, Any], panel: str, round: int, experts: Collection[str] | None
    ) -> Identity:
        found = Identity(
            str(meta.get("panel") or ""), str(meta.get("expert") or ""), _round(meta.get("round"))
        )
        if found.panel != panel:
            self.fail("", "wrong_panel", found=repr(found.panel), wanted=repr(panel))
        if found.round != round:
            self.fail("", "wrong_round", found=found.round, wanted=round)
        if experts is not None and found.expert not in experts:
            self.fail("", "unknown_expert", expert=repr(found.expert), panel=repr(panel))
        criteria = self.problem.criteria.id
        if meta.get("criteria") != criteria:
            self.fail("", "wrong_criteria", found=repr(meta.get("criteria")), wanted=repr(criteria))
        return found

    def _score_rows(self, meta: Mapping[str, Any]) -> tuple[Pair, ...] | None:
        measures = tuple(str(meta.get("measures") or "").split(","))
        scored = tuple(str(meta.get("scored") or "").split(","))
        if set(measures) - set(self.problem.alternative_ids) or set(scored) - set(self.problem.leaf_ids):
            self.fail(
                f"sheet {META_SHEET}",
                "wrong_criteria",
                found=", ".join((*measures, *scored)),
                wanted=", ".join((*self.problem.alternative_ids, *self.problem.leaf_ids)),
            )
            return None
        return score_rows(measures, scored)

    # the sheets

    def _table(
        self, sheet: ReadOnlyWorksheet, title: str, columns: Sequence[str], count: int
    ) -> list[Row] | None:
        """The ``count`` question rows below the header row, each as {column: (cell, place)}.

        Rows the sheet lacks come back empty (their fixed cells then fail); a wrong header row,
        non-empty rows below the questions (one message for all of them) and a sheet longer than
        :data:`MAX_ROWS` are reported. The rows are read to the sheet's real end: the size the
        file declares (its ``<dimension>``, openpyxl's ``max_row``) is whatever the writing
        program put there, and trusting it would let rows past it through unread.
        """
        from openpyxl.utils import get_column_letter

        width = len(columns)
        letters = [get_column_letter(i) for i in range(1, width + 1)]
        table: list[Row] = []
        header_seen = False
        extra = _ExtraRows()
        rows = sheet.iter_rows(min_row=HEADER_ROW, max_row=MAX_ROWS + 1, max_col=width)
        for number, row in enumerate(rows, start=HEADER_ROW):
            padded = (*row, *([None] * width))[:width]
            if number == HEADER_ROW:
                header_seen = [_value(cell) for cell in padded] == list(columns)
                if not header_seen:
                    break
            elif number > MAX_ROWS:
                self._extra_rows(title, letters, extra)
                self.fail(f"sheet {title}", "sheet_too_long", limit=MAX_ROWS, count=count)
                return None
            elif number < FIRST_ROW + count:
                places = (f"sheet {title}, cell {letter}{number}" for letter in letters)
                table.append(dict(zip(columns, zip(padded, places, strict=True), strict=True)))
            elif (filled := _first_filled(padded)) is not None:
                extra.add(number, filled)
        self._extra_rows(title, letters, extra)
        if not header_seen:
            self.fail(f"sheet {title}", "missing_header", columns=", ".join(columns))
            return None
        for number in range(FIRST_ROW + len(table), FIRST_ROW + count):
            places = (f"sheet {title}, cell {letter}{number}" for letter in letters)
            table.append(dict(zip(columns, ((None, place) for place in places), strict=True)))
        return table

    def _extra_rows(self, title: str, letters: Sequence[str], extra: _ExtraRows) -> None:
        """One message for the filled rows below the questions: a pasted block of thousands of rows
        is one thing to delete, not thousands of problems (a single row keeps its cell)."""
        if extra.first is None:
            return
        if extra.first == extra.last:
            self.fail(f"sheet {title}, cell {letters[extra.column]}{extra.first}", "extra_row")
        else:
            self.fail(f"sheet {title}, rows {extra.first:,}–{extra.last:,}", "extra_rows")

    def _fixed(self, row: Row, wanted: Mapping[str, str]) -> bool:
        """Whether the row's id cells still hold what the questionnaire wrote (each change reported)."""
        intact = True
        for column, value in wanted.items():
            cell, place = row[column]
            if _value(cell) != value:
                self.fail(place, "fixed_cell", wanted=repr(value), got=kind(_value(cell)))
                intact = False
        return intact

    def _answer(self, entry: tuple[Any, str], parse: Callable[[Any], Any]) -> Any:
        """The parsed answer of one cell, or None when it is bad (reported) or blank."""
        cell, place = entry
        if getattr(cell, "data_type", None) == "f":
            self.fail(place, "formula_cell", formula=show(_value(cell)))
            return None
        value = _value(cell)
        if parse is not cells.reason and cells.is_blank(value):
            if not self.allow_blank:
                self.fail(place, "missing_answer")
            return None
        try:
            return parse(value)
        except CellProblem as problem:
            self.errors.append(problem.at(self.source, place))
            return None

    def _judgments(
        self, sheet: ReadOnlyWorksheet, title: str, node_pairs: Sequence[Pair]
    ) -> tuple[dict[Pair, float], dict[Pair, str]]:
        values: dict[Pair, float] = {}
        reasons: dict[Pair, str] = {}
        table = self._table(sheet, title, JUDGMENT_COLUMNS, len(node_pairs)) or []
        for (a, b), row in zip(node_pairs, table, strict=False):
            if not self._fixed(row, {"a_id": a, "b_id": b}):
                continue
            value = self._answer(row["value"], cells.saaty)
            reason = self._answer(row["why"], cells.reason)
            if value is not None:
                values[a, b] = value
            if reason:
                reasons[a, b] = reason
        return values, reasons

    def _scores(
        self, sheet: ReadOnlyWorksheet, title: str, rows: Sequence[Pair]
    ) -> tuple[dict[Pair, float], dict[Pair, str]]:
        values: dict[Pair, float] = {}
        reasons: dict[Pair, str] = {}
        table = self._table(sheet, title, SCORE_COLUMNS, len(rows)) or []
        for (measure, criterion), row in zip(rows, table, strict=False):
            if not self._fixed(row, {"measure_id": measure, "criterion_id": criterion}):
                continue
            low, high = self.problem.criteria.node(criterion).scale or (0.0, 0.0)
            value = self._answer(row["value"], partial(cells.number, low=low, high=high))
            reason = self._answer(row["why"], cells.reason)
            if value is not None:
                values[measure, criterion] = value
            if reason:
                reasons[measure, criterion] = reason
        return values, reasons

    def _self_rating(self, sheet: ReadOnlyWorksheet, title: str) -> SelfRating | None:
        items = tuple(SELF_RATING_ITEMS)
        table = self._table(sheet, title, SELF_RATING_COLUMNS, len(items)) or []
        found: dict[str, str] = {}
        for item, row in zip(items, table, strict=False):
            if not self._fixed(row, {"item": item}):
                continue
            accepted, labels = rating_choices(item)
            answer = self._answer(row["value"], partial(cells.choice, options=accepted, labels=labels))
            if answer is not None:
                found[item] = answer
        if "familiarity" not in found or len(found) < len(items):
            return None  # a blank answer (allowed) leaves the rating incomplete
        basis = {key: found[f"basis.{key}"] for key in BASIS}
        return SelfRating(familiarity=found["familiarity"], basis=frozen_mapping(basis))


Row = dict[str, tuple[Any, str]]


@dataclass
class _ExtraRows:
    """The filled rows found below a sheet's questions: the first (with its first filled column)
    and the last. Blank rows between them belong to the span: deleting them loses nothing."""

    first: int | None = None
    column: int = 0
    last: int = 0

    def add(self, number: int, column: int) -> None:
        if self.first is None:
            self.first, self.column = number, column
        self.last = number


def _value(cell: Any) -> Any:
    return getattr(cell, "value", None)


def _first_filled(row: Sequence[Any]) -> int | None:
    return next((i for i, cell in enumerate(row) if not cells.is_blank(_value(cell))), None)


def _round(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
