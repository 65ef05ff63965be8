"""Answers from a survey tool's export (问卷星 and the like): one row per respondent, one column per question.

The analyst sets once which column holds the respondent's expert id and what each question
column asks; the mapping is a small YAML (or JSON) document saved with the panel
(docs/panel-files.md):

.. code-block:: yaml

    version: 1
    respondent: "1、您的专家编号"        # the column holding each respondent's expert id
    experts: {赵敏: zhao_min}            # optional: what a respondent typed -> expert id
    choices: {同等重要: "1"}             # optional: option texts that do not start with their value
    questions:
      - {column: "3、留住存量—产业生态", node: goal, a: retention, b: ecosystem}
      - {column: "4、理由", node: goal, a: retention, b: ecosystem, field: why}
      - {column: "10、人才战略·人才留用", measure: talent_strategy, criterion: talent}
      - {column: "20、熟悉程度", self_rating: familiarity}

Cells are checked like the Excel questionnaire's (:mod:`engine.panel.cells`); an option text that
starts with its value (``3（A稍微重要）``, ``1/5 B明显重要``) counts as that value. Every bad cell
is reported with its row (as the spreadsheet numbers it, the header being row 1) and its column,
and an export with any bad cell is refused whole (:class:`engine.panel.cells.FileRefused`).
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

from engine.errors import InputError
from engine.io.files import read_input
from engine.io.reader import Reader, display_path, join_place
from engine.io.safe_yaml import parse_yaml, read_yaml
from engine.model import Problem, frozen_mapping
from engine.panel import cells
from engine.panel.answers import MAX_FILE_BYTES, Answers, SelfRating
from engine.panel.cells import CellProblem, FileRefused
from engine.panel.layout import BASIS, MAX_ROWS, SELF_RATING_ITEMS, Identity, pairs, rating_choices
from engine.text.messages import coded, kind, show

__all__ = [
    "Question",
    "SurveyMapping",
    "load_mapping",
    "mapping_document",
    "parse_mapping",
    "parse_mapping_text",
    "read_survey",
    "survey_from_bytes",
]

Field = Literal["value", "why"]
_LEADING_VALUE = re.compile(r"^([0-9]+(?:\.[0-9]+)?(?:\s*[/:]\s*[0-9]+)?)(?:\s+|\s*[(（\-—:：、])")
_SHOWN_COLUMNS = 8


@dataclass(frozen=True)
class Question:
    """What one export column holds: a judgment (``node``, ``a``, ``b``), a score (``measure``,
    ``criterion``) or a self-rating ``item``; ``field`` is the answer or its reason."""

    column: str
    node: str | None = None
    a: str | None = None
    b: str | None = None
    measure: str | None = None
    criterion: str | None = None
    item: str | None = None
    field: Field = "value"


@dataclass(frozen=True)
class SurveyMapping:
    respondent: str
    questions: tuple[Question, ...]
    experts: Mapping[str, str]
    choices: Mapping[str, str]
    source: str = ""


def load_mapping(path: str | os.PathLike[str], problem: Problem) -> SurveyMapping:
    """Read and check a mapping file against the criteria tree and the catalogue."""
    label = display_path(path)
    document, _ = read_yaml(path, label)
    return parse_mapping(document, label, problem)


def parse_mapping(document: Any, source: str, problem: Problem) -> SurveyMapping:
    """Check a parsed mapping document (YAML or JSON); see the module docstring for its shape."""
    reader = Reader(source)
    fields = reader.mapping(document, "", ("version", "respondent", "questions"), ("experts", "choices"))
    reader.version(fields)
    respondent = reader.string(fields["respondent"], "respondent")
    experts = {
        cells.normalised(reader.string(k, "experts")): reader.string(v, join_place("experts", str(k)))
        for k, v in _mapping(reader, fields.get("experts", {}), "experts").items()
    }
    choices = {}
    for key, value in _mapping(reader, fields.get("choices", {}), "choices").items():
        place = join_place("choices", str(key))
        try:
            cells.saaty(value)
        except CellProblem as problem_found:
            raise problem_found.at(source, place) from None
        choices[cells.normalised(reader.string(key, "choices"))] = str(value)

    judged = {node.id: node for node in problem.criteria.judged_nodes}
    questions: list[Question] = []
    columns: dict[str, str] = {respondent: "respondent"}
    asked: dict[tuple[Any, ...], str] = {}
    for index, raw in enumerate(reader.sequence(fields["questions"], "questions")):
        place = join_place("questions", index)
        item = reader.mapping(
            raw, place, ("column",), ("node", "a", "b", "measure", "criterion", "self_rating", "field")
        )
        column = reader.string(item["column"], join_place(place, "column"))
        if column in columns:
            raise reader.coded(join_place(place, "column"), "duplicate_id", id=column, first=columns[column])
        columns[column] = place
        field = item.get("field", "value")
        if field not in ("value", "why"):
            raise reader.coded(
                join_place(place, "field"), "one_of", allowed=["value", "why"], got=kind(field)
            )
        question, key = _question(reader, item, place, column, field, judged, problem)
        if key in asked:
            raise reader.coded(place, "duplicate_id", id=" ".join(map(str, key)), first=asked[key])
        asked[key] = place
        questions.append(question)

    for node_id, node in judged.items():
        mapped = {frozenset((q.a, q.b)) for q in questions if q.node == node_id and q.field == "value"}
        if mapped:
            for one, other in pairs(node):
                if frozenset((one, other)) not in mapped:
                    raise reader.coded("questions", "missing_judgment", one=one, other=other)
    rated = {q.item for q in questions if q.item and q.field == "value"}
    if rated and rated != set(SELF_RATING_ITEMS):
        missing = next(item for item in SELF_RATING_ITEMS if item not in rated)
        raise reader.coded("questions", "missing_key", key=f"self_rating: {missing}")
    return SurveyMapping(
        respondent, tuple(questions), frozen_mapping(experts), frozen_mapping(choices), source
    )


def _mapping(reader: Reader, value: Any, place: str) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise reader.coded(place, "expected_mapping", got=kind(value))
    return value


def _question(
    reader: Reader,
    item: Mapping[str, Any],
    place: str,
    column: str,
    field: Field,
    judged: Mapping[str, Any],
    problem: Problem,
) -> tuple[Question, tuple[Any, ...]]:
    if "node" in item:
        node_id = reader.string(item["node"], join_place(place, "node"))
        if node_id not in judged:
            raise reader.coded(join_place(place, "node"), "one_of", allowed=list(judged), got=kind(node_id))
        children = [child.id for child in judged[node_id].children]
        a, b = (reader.string(item.get(k), join_place(place, k)) for k in ("a", "b"))
        for key, child in (("a", a), ("b", b)):
            if child not in children:
                raise reader.coded(
                    join_place(place, key), "not_a_child", child=child, node=node_id, children=children
                )
        if a == b:
            raise reader.coded(place, "judgment_same", criterion=a)
        return Question(column, node=node_id, a=a, b=b, field=field), (
            "node",
            node_id,
            *sorted((a, b)),
            field,
        )
    if "measure" in item:
        measure = reader.string(item["measure"], join_place(place, "measure"))
        criterion = reader.string(item.get("criterion"), join_place(place, "criterion"))
        if measure not in problem.alternative_ids:
            raise reader.coded(
                join_place(place, "measure"),
                "one_of",
                allowed=list(problem.alternative_ids),
                got=kind(measure),
            )
        if criterion not in problem.leaf_ids:
            raise reader.coded(
                join_place(place, "criterion"), "one_of", allowed=list(problem.leaf_ids), got=kind(criterion)
            )
        return Question(column, measure=measure, criterion=criterion, field=field), (
            measure,
            criterion,
            field,
        )
    if "self_rating" in item:
        rating = item["self_rating"]
        if rating not in SELF_RATING_ITEMS or field != "value":
            raise reader.coded(
                join_place(place, "self_rating"), "one_of", allowed=list(SELF_RATING_ITEMS), got=kind(rating)
            )
        return Question(column, item=rating), ("self_rating", rating)
    raise reader.coded(place, "missing_key", key="node, measure or self_rating")


def mapping_document(mapping: SurveyMapping) -> dict[str, Any]:
    """The mapping as the document :func:`parse_mapping` reads (to save it with the panel)."""
    questions = []
    for q in mapping.questions:
        if q.node is not None:
            entry: dict[str, Any] = {"column": q.column, "node": q.node, "a": q.a, "b": q.b}
        elif q.measure is not None:
            entry = {"column": q.column, "measure": q.measure, "criterion": q.criterion}
        else:
            entry = {"column": q.column, "self_rating": q.item}
        if q.field != "value":
            entry["field"] = q.field
        questions.append(entry)
    document: dict[str, Any] = {"version": 1, "respondent": mapping.respondent, "questions": questions}
    if mapping.experts:
        document["experts"] = dict(mapping.experts)
    if mapping.choices:
        document["choices"] = dict(mapping.choices)
    return document


def read_survey(
    path: str | os.PathLike[str],
    mapping: SurveyMapping,
    problem: Problem,
    *,
    panel: str,
    round: int,
    experts: Collection[str] | None = None,
    allow_blank: bool = False,
) -> tuple[Answers, ...]:
    """Every respondent's answers from a CSV or .xlsx export, all or nothing.

    ``experts`` are the panel's expert ids (None accepts any id); a respondent answers once.
    """
    source = display_path(path)
    data = read_input(path, source)
    return survey_from_bytes(
        data, source, mapping, problem, panel=panel, round=round, experts=experts, allow_blank=allow_blank
    )


def survey_from_bytes(
    data: bytes,
    source: str,
    mapping: SurveyMapping,
    problem: Problem,
    *,
    panel: str,
    round: int,
    experts: Collection[str] | None = None,
    allow_blank: bool = False,
) -> tuple[Answers, ...]:
    """:func:`read_survey` for the bytes of an upload; ``source`` names the file (its suffix says
    CSV or xlsx)."""
    if len(data) > MAX_FILE_BYTES:
        raise coded(source, "", "file_too_large", mb=MAX_FILE_BYTES // (1024 * 1024))
    if not data.strip():
        raise coded(source, "", "file_empty")
    header, rows = _xlsx_rows(data, source) if data[:2] == b"PK" else _csv_rows(data, source)
    # full-width and ASCII brackets differ between exports of one survey; compare names without that
    index = {cells.normalised(name): i for i, name in reversed(list(enumerate(header)))}
    wanted = [mapping.respondent, *(q.column for q in mapping.questions)]
    missing = [column for column in wanted if cells.normalised(column) not in index]
    if missing:
        shown = ", ".join(header[:_SHOWN_COLUMNS]) + (", ..." if len(header) > _SHOWN_COLUMNS else "")
        errors = [
            coded(source, "", "unknown_column", column=column, table=source, known=shown)
            for column in missing
        ]
        raise FileRefused(source, errors)
    return _Survey(source, mapping, problem, allow_blank).read(rows, index, panel, round, experts)


def _csv_rows(data: bytes, source: str) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    # 问卷星 and Excel write UTF-8 with a BOM or, on Chinese Windows, GBK (read as its superset GB18030)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise coded(source, f"byte {exc.start}", "not_utf8") from None
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, [])
        rows = []
        for number, row in enumerate(reader, start=2):
            if number > MAX_ROWS:
                raise coded(source, "", "too_many_rows", limit=MAX_ROWS)
            rows.append((number, list(row)))
    except csv.Error as exc:
        raise coded(source, "", "csv_unreadable", reason=str(exc)) from None
    return header, rows


def _xlsx_rows(data: bytes, source: str) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # a damaged or foreign file fails in many ways inside zipfile and XML
        raise coded(source, "", "not_xlsx", reason=(str(exc) or type(exc).__name__)[:200]) from None
    try:
        sheet = workbook.worksheets[0]
        header: list[str] = []
        rows: list[tuple[int, list[Any]]] = []
        for number, row in enumerate(sheet.iter_rows(), start=1):
            if number > MAX_ROWS:
                raise coded(source, "", "too_many_rows", limit=MAX_ROWS)
            if number == 1:
                header = ["" if cell.value is None else str(cell.value) for cell in row]
            else:
                rows.append((number, list(row)))
        return header, rows
    finally:
        workbook.close()


class _Survey:
    def __init__(self, source: str, mapping: SurveyMapping, problem: Problem, allow_blank: bool) -> None:
        self.source = source
        self.mapping = mapping
        self.problem = problem
        self.allow_blank = allow_blank
        self.errors: list[InputError] = []

    def read(
        self,
        rows: Sequence[tuple[int, list[Any]]],
        index: Mapping[str, int],
        panel: str,
        round: int,
        experts: Collection[str] | None,
    ) -> tuple[Answers, ...]:
        found: list[Answers] = []
        first_row: dict[str, int] = {}
        for number, row in rows:
            if all(cells.is_blank(_value(cell)) for cell in row):
                continue
            expert = self._expert(row, number, index, panel, experts)
            if expert is not None and expert in first_row:
                place = f"row {number}, column {self.mapping.respondent}"
                self.errors.append(
                    coded(
                        self.source,
                        place,
                        "duplicate_respondent",
                        expert=repr(expert),
                        first=first_row[expert],
                    )
                )
            elif expert is not None:
                first_row[expert] = number
            answers = self._row(row, number, index)
            if expert is not None:
                found.append(Answers(identity=Identity(panel, expert, round), source=self.source, **answers))
        if self.errors:
            raise FileRefused(self.source, self.errors)
        return tuple(found)

    def _cell(self, row: list[Any], number: int, index: Mapping[str, int], column: str) -> tuple[Any, str]:
        position = index[cells.normalised(column)]
        return (row[position] if position < len(row) else None), f"row {number}, column {column}"

    def _expert(
        self,
        row: list[Any],
        number: int,
        index: Mapping[str, int],
        panel: str,
        experts: Collection[str] | None,
    ) -> str | None:
        cell, place = self._cell(row, number, index, self.mapping.respondent)
        value = _value(cell)
        typed = cells.normalised(str(value)) if value is not None else ""
        if not typed:
            self.errors.append(coded(self.source, place, "missing_answer"))
            return None
        expert = self.mapping.experts.get(typed, typed)
        if experts is not None and expert not in experts:
            self.errors.append(
                coded(self.source, place, "unknown_expert", expert=repr(expert), panel=repr(panel))
            )
            return None
        return expert

    def _answer(self, cell: Any, place: str, parse: Any) -> Any:
        if getattr(cell, "data_type", None) == "f":
            self.errors.append(coded(self.source, place, "formula_cell", formula=show(_value(cell))))
            return None
        value = _value(cell)
        if parse is not cells.reason and cells.is_blank(value):
            if not self.allow_blank:
                self.errors.append(coded(self.source, place, "missing_answer"))
            return None
        try:
            return parse(value)
        except CellProblem as problem:
            self.errors.append(problem.at(self.source, place))
            return None

    def _saaty(self, value: Any) -> float:
        if isinstance(value, str):
            text = cells.normalised(value)
            if text in self.mapping.choices:
                value = self.mapping.choices[text]
            elif match := _LEADING_VALUE.match(text):
                value = match[1]
        return cells.saaty(value)

    def _row(self, row: list[Any], number: int, index: Mapping[str, int]) -> dict[str, Any]:
        judgments: dict[str, dict[tuple[str, str], float]] = {}
        judgment_reasons: dict[str, dict[tuple[str, str], str]] = {}
        scores: dict[tuple[str, str], float] = {}
        score_reasons: dict[tuple[str, str], str] = {}
        ratings: dict[str, str] = {}
        for question in self.mapping.questions:
            cell, place = self._cell(row, number, index, question.column)
            if question.node is not None and question.a is not None and question.b is not None:
                # stored in the order the criteria file lists the children, as the questionnaire asks
                order = [child.id for child in self.problem.criteria.node(question.node).children]
                flipped = order.index(question.a) > order.index(question.b)
                pair = (question.b, question.a) if flipped else (question.a, question.b)
                if question.field == "why":
                    if text := self._answer(cell, place, cells.reason):
                        judgment_reasons.setdefault(question.node, {})[pair] = text
                elif (value := self._answer(cell, place, self._saaty)) is not None:
                    judgments.setdefault(question.node, {})[pair] = 1 / value if flipped else value
            elif question.measure is not None and question.criterion is not None:
                key = (question.measure, question.criterion)
                if question.field == "why":
                    if text := self._answer(cell, place, cells.reason):
                        score_reasons[key] = text
                    continue
                low, high = self.problem.criteria.node(question.criterion).scale or (0.0, 0.0)
                value = self._answer(cell, place, partial(cells.number, low=low, high=high))
                if value is not None:
                    scores[key] = value
            elif question.item is not None:
                accepted, labels = rating_choices(question.item)
                parsed = self._answer(cell, place, partial(cells.choice, options=accepted, labels=labels))
                if parsed is not None:
                    ratings[question.item] = parsed
        rating = None
        if len(ratings) == len(SELF_RATING_ITEMS):
            rating = SelfRating(
                ratings["familiarity"], frozen_mapping({b: ratings[f"basis.{b}"] for b in BASIS})
            )
        return {
            "judgments": frozen_mapping({node: frozen_mapping(v) for node, v in judgments.items()}),
            "judgment_reasons": frozen_mapping(
                {node: frozen_mapping(v) for node, v in judgment_reasons.items()}
            ),
            "scores": frozen_mapping(scores),
            "score_reasons": frozen_mapping(score_reasons),
            "self_rating": rating,
        }


def _value(cell: Any) -> Any:
    """A CSV cell is its text; an xlsx cell carries its value."""
    return cell if isinstance(cell, str) or cell is None else getattr(cell, "value", cell)


def parse_mapping_text(text: str | bytes, source: str, problem: Problem) -> SurveyMapping:
    """:func:`parse_mapping` for the text of a mapping file (YAML or JSON)."""
    return parse_mapping(parse_yaml(text, source), source, problem)
