"""One Excel questionnaire (.xlsx) per expert: the AHP pairwise judgments of the criteria tree, the
countermeasures' scores and the self-rating behind the authority coefficient.

The workbook follows :mod:`engine.panel.layout` (described for people in docs/panel-files.md):
an instructions sheet with Saaty's verbal scale, one sheet per judged node, a scores sheet when
scores are asked, a self-rating sheet (round 1 by default) and a very hidden ``_meta`` sheet
holding the panel, the expert and the round. Ids and names are locked; only answer cells can be
edited. Answer cells for judgments are text cells (``@``) with a drop-down of the 17 scale values,
so Excel keeps ``1/3`` as typed instead of making a date of it.

openpyxl is imported inside the functions: ``policyrank rank`` never pays for it.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.errors import InputError
from engine.io.files import write_atomic
from engine.model import Lang, Node, Problem, Text
from engine.panel.cells import SAATY_TEXTS
from engine.panel.layout import (
    ASKS,
    COLUMN_LABELS,
    FAMILIARITY,
    FIRST_ROW,
    FORMAT,
    FORMAT_VERSION,
    HEADER_ROW,
    JUDGMENT_COLUMNS,
    LEVELS,
    META_SHEET,
    RATING_VALUE_LABEL,
    SCALE_MEANINGS,
    SCORE_COLUMNS,
    SCORE_VALUE_LABEL,
    SELF_RATING_COLUMNS,
    SELF_RATING_ITEMS,
    SHEET_TITLES,
    Asks,
    Identity,
    judgment_sheet_title,
    name_problem,
    pairs,
    score_rows,
)

if TYPE_CHECKING:
    from openpyxl.cell import Cell
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["questionnaire_bytes", "write_questionnaire"]

_LOCKED_FILL = "E7E6E6"
_ANSWER_FILL = "FFF2CC"
_HEADER_FILL = "D9E1F2"
_JUDGMENT_WIDTHS = (18, 26, 16, 26, 18, 34, 50)
_SCORE_WIDTHS = (20, 20, 26, 22, 22, 8, 8, 16, 50)
_RATING_WIDTHS = (20, 70, 18)


def write_questionnaire(
    problem: Problem,
    identity: Identity,
    out_dir: str | os.PathLike[str],
    *,
    expert_name: str | None = None,
    asks: Asks = "judgments",
    scored: Sequence[str] | None = None,
    self_rating: bool | None = None,
    lang: Lang = "zh",
) -> Path:
    """Write ``<panel>_<expert>_r<round>.xlsx`` into ``out_dir`` and return its path.

    See :func:`questionnaire_bytes` for the options.
    """
    data = questionnaire_bytes(
        problem,
        identity,
        expert_name=expert_name,
        asks=asks,
        scored=scored,
        self_rating=self_rating,
        lang=lang,
    )
    path = Path(out_dir) / identity.file_name
    write_atomic(path, data)
    return path


def questionnaire_bytes(
    problem: Problem,
    identity: Identity,
    *,
    expert_name: str | None = None,
    asks: Asks = "judgments",
    scored: Sequence[str] | None = None,
    self_rating: bool | None = None,
    lang: Lang = "zh",
) -> bytes:
    """The questionnaire of one expert as .xlsx bytes.

    ``asks`` is what the expert is asked: pairwise ``judgments`` of every judged node, ``scores``
    of every countermeasure on the ``scored`` leaf criteria (all leaves when None), or ``both``.
    ``self_rating`` adds the familiarity and basis-of-judgment sheet (by default in round 1 only,
    where Delphi studies ask it). ``expert_name`` is printed on the instructions sheet.
    """
    for label, value in (("panel", identity.panel), ("expert", identity.expert)):
        if problem_text := name_problem(value):
            raise InputError(label, "", problem_text)
    if asks not in ASKS:
        raise InputError("asks", "", f"expected one of {', '.join(ASKS)}, got {asks!r}")
    if identity.round < 1:
        raise InputError("round", "", f"expected a round number from 1, got {identity.round}")
    leaf_ids = problem.leaf_ids
    scored_ids = tuple(leaf_ids if scored is None else scored) if asks != "judgments" else ()
    for criterion in scored_ids:
        if criterion not in leaf_ids:
            raise InputError("scored", criterion, f"expected a leaf criterion ({', '.join(leaf_ids)})")
    rating = identity.round == 1 if self_rating is None else self_rating

    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    workbook = Workbook()
    sheets: list[tuple[str, str, str]] = []  # (title, kind, node id)
    instructions = workbook.active
    instructions.title = SHEET_TITLES["instructions"].get(lang)
    sheets.append((instructions.title, "instructions", ""))
    scale_range = _write_instructions(
        instructions, problem, identity, expert_name, asks, bool(scored_ids), rating, lang
    )
    if asks != "scores":
        for index, node in enumerate(problem.criteria.judged_nodes, start=1):
            title = judgment_sheet_title(index, node, lang, goal=node is problem.criteria.goal)
            sheet = workbook.create_sheet(title)
            _write_judgments(sheet, problem, node, scale_range, lang)
            sheets.append((sheet.title, "judgments", node.id))
    if scored_ids:
        sheet = workbook.create_sheet(SHEET_TITLES["scores"].get(lang))
        _write_scores(sheet, problem, scored_ids, lang)
        sheets.append((sheet.title, "scores", ""))
    if rating:
        sheet = workbook.create_sheet(SHEET_TITLES["self_rating"].get(lang))
        _write_self_rating(sheet, lang)
        sheets.append((sheet.title, "self_rating", ""))
    _write_meta(workbook, problem, identity, asks, scored_ids, rating, lang, sheets)

    workbook.security = WorkbookProtection(lockStructure=True)
    properties = workbook.properties
    properties.title = f"{problem.criteria.name.get(lang)} {_QUESTIONNAIRE.get(lang)}"
    properties.subject = f"{identity.panel} / {identity.expert} / r{identity.round}"
    properties.identifier = identity.file_name.removesuffix(".xlsx")
    properties.creator = "policyrank"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_QUESTIONNAIRE = Text("专家咨询表", "expert questionnaire")


def _put(sheet: Worksheet, row: int, column: int, value: Any, *, answer: bool = False) -> Cell:
    """Write one cell; text is stored as text even when it starts with "=" (never a formula)."""
    from openpyxl.styles import Alignment, Protection

    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    cell.alignment = Alignment(vertical="top", wrap_text=True)
    cell.protection = Protection(locked=not answer)
    return cell


def _fill(cell: Cell, colour: str) -> None:
    from openpyxl.styles import PatternFill

    cell.fill = PatternFill("solid", start_color=colour, end_color=colour)


def _title_rows(sheet: Worksheet, title: str, note: str, width: int) -> None:
    from openpyxl.styles import Font

    _put(sheet, 1, 1, title).font = Font(bold=True, size=14)
    _put(sheet, 2, 1, note)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.row_dimensions[2].height = 48


def _header(sheet: Worksheet, columns: Sequence[str], labels: Sequence[str], widths: Sequence[int]) -> None:
    """The readable labels on the row above the header row of machine column names."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for column, (name, label, width) in enumerate(zip(columns, labels, widths, strict=True), start=1):
        readable = _put(sheet, HEADER_ROW - 1, column, label)
        readable.font = Font(bold=True)
        _fill(readable, _HEADER_FILL)
        _put(sheet, HEADER_ROW, column, name).font = Font(color="808080", size=9)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=1)


def _protect(sheet: Worksheet) -> None:
    """Lock the sheet (no password: this guards against slips, not against a determined editor);
    widths and heights stay adjustable. Printed, each sheet is one page wide (some experts print)."""
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.formatCells = False


_GREETING = Text(
    "尊敬的专家：感谢您参加本次咨询。本表请您判断各评价准则的相对重要性（层次分析法）{scores}。"
    "您的答案只用于本次评估的汇总分析。",
    "Thank you for taking part. This workbook asks how important the evaluation criteria are relative "
    "to each other (the analytic hierarchy process){scores}. Your answers are used only for this "
    "evaluation's aggregate analysis.",
)
_GREETING_SCORES = Text("并为各项对策评分", " and how each countermeasure scores")
_WHO = Text(
    "专家组：{panel}　　专家：{who}（编号 {expert}）　　第 {round} 轮",
    "Panel: {panel}    Expert: {who} (id {expert})    Round {round}",
)
_HOW = Text("填写方法", "How to fill it in")
_STEPS_JUDGMENTS = (
    Text(
        "每个“判断”工作表对应准则体系的一个层次，每一行比较两个准则 A 与 B："
        "就该层次的上级目标而言，A 相对 B 有多重要？",
        "Each sheet starting with J is one level of the criteria tree; each row compares criteria A and B: "
        "for the goal of that level, how important is A compared with B?",
    ),
    Text(
        "在“判断值”列的下拉列表中选一个值：9、8、…、2 表示 A 比 B 重要（越大越重要），1 表示同等重要，"
        "1/2、…、1/9 表示 B 比 A 重要。“含义”列会显示所选值的意思（见下表）。",
        "Choose a value from the drop-down in the Judgment column: 9, 8, ..., 2 mean A is more important "
        "(the larger, the more), 1 means equally important, 1/2, ..., 1/9 mean B is more important. The "
        "Meaning column shows what the chosen value says (see the table below).",
    ),
    Text(
        "请尽量前后一致：若 A 比 B 重要、B 比 C 重要，则 A 应比 C 更重要。汇总时会计算一致性比率（CR），"
        "CR ≥ 0.10 时会请您复核。",
        "Please keep your judgments consistent: if A matters more than B and B more than C, A should "
        "matter more than C. The consistency ratio (CR) is computed; at CR >= 0.10 you will be asked to "
        "review.",
    ),
    Text(
        "“理由”列可写下判断的依据，便于汇总时理解分歧。",
        "The Reason column is for what your judgment rests on; it helps to understand disagreement.",
    ),
)
_STEP_SCORES = Text(
    "“对策评分”工作表：按每项准则自身的量纲为每项对策打分。定性准则为 1–9 分"
    "（“单位与方向”列说明分值越高越好还是越差），定量准则填写估计值（如亿元/年、月），须在下限与上限之间。",
    "The Scores sheet: score each countermeasure on each criterion's own scale. Qualitative criteria take "
    "1-9 points (the Unit column says whether higher is better or worse); quantitative ones take an "
    "estimate in their unit (e.g. 100 million CNY a year, months) between the lowest and highest value.",
)
_STEP_RATING = Text(
    "“专家自评”工作表：请选择您对本领域的熟悉程度，以及各判断依据对您判断的影响程度（大、中、小），"
    "用于计算专家权威系数。",
    "The Self-rating sheet: choose how familiar you are with the field and how much each basis of "
    "judgment informed your answers (large, medium, small); this gives your authority coefficient.",
)
_STEPS_ALWAYS = (
    Text(
        "灰色单元格（编号、名称）已锁定，请勿修改，也请勿增删工作表或行。若判断值显示成了日期，"
        "请把该单元格设为“文本”格式后重新输入（如 1/3）。",
        "Grey cells (ids and names) are locked; do not change them, and do not add or delete sheets or "
        "rows. If a judgment shows as a date, format the cell as Text and type it again (e.g. 1/3).",
    ),
    Text(
        "填写完毕后保存（保持 .xlsx 格式，文件名 {file} 不变），发回组织方。",
        "When done, save (keep the .xlsx format and the file name {file}) and send it back.",
    ),
)
_SCALE_HEADING = (Text("判断值", "Judgment"), Text("含义", "Meaning"), Text("说明", "Note"))


def _write_instructions(
    sheet: Worksheet,
    problem: Problem,
    identity: Identity,
    expert_name: str | None,
    asks: Asks,
    scores: bool,
    rating: bool,
    lang: Lang,
) -> str:
    """Write the instructions and Saaty's scale; return the scale table's range for lookups."""
    from openpyxl.styles import Font

    who = _WHO.get(lang).format(
        panel=identity.panel, who=expert_name or identity.expert, expert=identity.expert, round=identity.round
    )
    greeting = _GREETING.get(lang).format(scores=_GREETING_SCORES.get(lang) if scores else "")
    steps = [
        *(_STEPS_JUDGMENTS if asks != "scores" else ()),
        *((_STEP_SCORES,) if scores else ()),
        *((_STEP_RATING,) if rating else ()),
        *_STEPS_ALWAYS,
    ]
    _put(sheet, 1, 1, f"{problem.criteria.name.get(lang)} {_QUESTIONNAIRE.get(lang)}").font = Font(
        bold=True, size=14
    )
    lines = [who, greeting, _HOW.get(lang)]
    lines += [
        f"{n}. {step.get(lang).format(file=identity.file_name)}" for n, step in enumerate(steps, start=1)
    ]
    for row, line in enumerate(lines, start=2):
        _put(sheet, row, 1, line)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        sheet.row_dimensions[row].height = 20 if line == _HOW.get(lang) else 48
    sheet.cell(row=4, column=1).font = Font(bold=True)
    sheet.merge_cells("A1:C1")
    row = len(lines) + 3
    for column, label in enumerate(_SCALE_HEADING, start=1):
        cell = _put(sheet, row, column, label.get(lang))
        cell.font = Font(bold=True)
        _fill(cell, _HEADER_FILL)
    first = row + 1
    for text in SAATY_TEXTS:
        row += 1
        _put(sheet, row, 1, text).number_format = "@"
        _put(sheet, row, 2, SCALE_MEANINGS[text].get(lang))
        _put(sheet, row, 3, _SCALE_NOTES.get(text, Text("", "")).get(lang))
    for letter, width in zip("ABC", (12, 44, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    _protect(sheet)
    return f"'{sheet.title}'!$A${first}:$B${row}"


_SCALE_NOTES = {
    "9": Text("偏向 A 的证据具有最高的可信度", "the evidence favouring A is of the highest possible order"),
    "7": Text(
        "A 强烈地受到偏好，并已在实践中得到证明",
        "A is favoured very strongly; its dominance is shown in practice",
    ),
    "5": Text("经验和判断明显偏向 A", "experience and judgment strongly favour A"),
    "3": Text("经验和判断稍微偏向 A", "experience and judgment slightly favour A"),
    "1": Text("两个准则对目标的贡献相同", "the two contribute equally to the objective"),
    "2": Text("2、4、6、8 为相邻判断的中间值", "2, 4, 6, 8 are intermediate values"),
    "1/3": Text("倒数：B 比 A 重要，读法同上", "reciprocals: B is more important, read as above"),
}


def _write_judgments(sheet: Worksheet, problem: Problem, node: Node, scale_range: str, lang: Lang) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    names = {child.id: child.name.get(lang) for child in node.children}
    name = node.name.get(lang)
    note = (
        f"就“{name}”而言，准则 A 相对准则 B 的重要程度如何？大于 1 表示 A 更重要，小于 1 表示 B 更重要。"
        if lang == "zh"
        else f"With respect to “{name}”, how important is criterion A compared with criterion B? "
        "Above 1: A matters more; below 1: B matters more."
    )
    _title_rows(sheet, f"{_JUDGMENT_TITLE.get(lang)}{name}", note, len(JUDGMENT_COLUMNS))
    _header(sheet, JUDGMENT_COLUMNS, [COLUMN_LABELS[c].get(lang) for c in JUDGMENT_COLUMNS], _JUDGMENT_WIDTHS)
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(SAATY_TEXTS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_INVALID.get(lang),
        error=_SCALE_ERROR.get(lang),
        promptTitle=COLUMN_LABELS["value"].get(lang),
        prompt=_SCALE_PROMPT.get(lang),
        showInputMessage=True,
    )
    sheet.add_data_validation(validation)
    for row, (a, b) in enumerate(pairs(node), start=FIRST_ROW):
        for column, value in enumerate((a, names[a], None, names[b], b), start=1):
            if column != 3:
                _fill(_put(sheet, row, column, value), _LOCKED_FILL)
        answer = _put(sheet, row, 3, None, answer=True)
        answer.number_format = "@"
        _fill(answer, _ANSWER_FILL)
        validation.add(answer)
        meaning = _put(sheet, row, 6, None)
        meaning.value = f'=IFERROR(VLOOKUP(C{row},{scale_range},2,FALSE),"")'  # the one formula we write
        _fill(meaning, _LOCKED_FILL)
        _put(sheet, row, 7, None, answer=True).number_format = "@"
    _protect(sheet)


_JUDGMENT_TITLE = Text("两两比较：", "Pairwise comparison: ")
_INVALID = Text("无效的判断值", "Not on the scale")
_SCALE_ERROR = Text(
    "请从列表中选择：9、8、…、2、1、1/2、…、1/9", "Choose from the list: 9, 8, ..., 2, 1, 1/2, ..., 1/9"
)
_SCALE_PROMPT = Text(
    "A 比 B 重要选 2–9，同等重要选 1，B 比 A 重要选 1/2–1/9",
    "2-9: A matters more; 1: equal; 1/2-1/9: B matters more",
)


def _write_scores(sheet: Worksheet, problem: Problem, scored: tuple[str, ...], lang: Lang) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    note = (
        "请按每项准则自身的量纲为每项对策评分：定性准则 1–9 分，定量准则填写估计值，须在下限与上限之间。"
        if lang == "zh"
        else "Score each countermeasure on each criterion's own scale: 1-9 points for qualitative criteria, "
        "an estimate in the unit for quantitative ones, between the lowest and highest value."
    )
    _title_rows(sheet, SHEET_TITLES["scores"].get(lang), note, len(SCORE_COLUMNS))
    labels = [(SCORE_VALUE_LABEL if c == "value" else COLUMN_LABELS[c]).get(lang) for c in SCORE_COLUMNS]
    _header(sheet, SCORE_COLUMNS, labels, _SCORE_WIDTHS)
    validations: dict[str, DataValidation] = {}
    for row, (measure_id, criterion_id) in enumerate(
        score_rows(problem.alternative_ids, scored), start=FIRST_ROW
    ):
        measure = problem.countermeasure(measure_id)
        leaf = problem.criteria.node(criterion_id)
        low, high = leaf.scale or (0.0, 0.0)
        unit = leaf.unit.get(lang) if leaf.unit else ""
        fixed = (measure_id, criterion_id, measure.name.get(lang), leaf.name.get(lang), unit, low, high)
        for column, value in enumerate(fixed, start=1):
            _fill(_put(sheet, row, column, value), _LOCKED_FILL)
        answer = _put(sheet, row, 8, None, answer=True)
        _fill(answer, _ANSWER_FILL)
        if criterion_id not in validations:
            validations[criterion_id] = validation = DataValidation(
                type="decimal",
                operator="between",
                formula1=f"{low:g}",
                formula2=f"{high:g}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_INVALID_SCORE.get(lang),
                error=_SCORE_ERROR.get(lang).format(low=f"{low:g}", high=f"{high:g}", unit=unit),
                promptTitle=leaf.name.get(lang)[:32],
                prompt=_SCORE_ERROR.get(lang).format(low=f"{low:g}", high=f"{high:g}", unit=unit),
                showInputMessage=True,
            )
            sheet.add_data_validation(validation)
        validations[criterion_id].add(answer)
        _put(sheet, row, 9, None, answer=True).number_format = "@"
    _protect(sheet)


_INVALID_SCORE = Text("超出范围", "Out of range")
_SCORE_ERROR = Text(
    "请填写 {low} 到 {high} 之间的数（{unit}）", "Enter a number from {low} to {high} ({unit})"
)


def _write_self_rating(sheet: Worksheet, lang: Lang) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    note = (
        "请选择您对本领域的熟悉程度，以及各判断依据对您本次判断的影响程度，用于计算专家权威系数。"
        if lang == "zh"
        else "Choose how familiar you are with the field and how much each basis informed your judgments; "
        "this gives your authority coefficient."
    )
    _title_rows(sheet, SHEET_TITLES["self_rating"].get(lang), note, len(SELF_RATING_COLUMNS))
    labels = [
        (RATING_VALUE_LABEL if c == "value" else COLUMN_LABELS[c]).get(lang) for c in SELF_RATING_COLUMNS
    ]
    _header(sheet, SELF_RATING_COLUMNS, labels, _RATING_WIDTHS)
    familiarity = ",".join(label.get(lang) for label in FAMILIARITY.values())
    levels = ",".join(label.get(lang) for label in LEVELS.values())
    for row, (item, question) in enumerate(SELF_RATING_ITEMS.items(), start=FIRST_ROW):
        _fill(_put(sheet, row, 1, item), _LOCKED_FILL)
        _fill(_put(sheet, row, 2, question.get(lang)), _LOCKED_FILL)
        answer = _put(sheet, row, 3, None, answer=True)
        answer.number_format = "@"
        _fill(answer, _ANSWER_FILL)
        options = familiarity if item == "familiarity" else levels
        validation = DataValidation(
            type="list", formula1=f'"{options}"', allow_blank=True, showErrorMessage=True
        )
        sheet.add_data_validation(validation)
        validation.add(answer)
    _protect(sheet)


def _write_meta(
    workbook: Workbook,
    problem: Problem,
    identity: Identity,
    asks: Asks,
    scored: tuple[str, ...],
    rating: bool,
    lang: Lang,
    sheets: list[tuple[str, str, str]],
) -> None:
    """The very hidden sheet the reader trusts for whose answers these are and where they stand."""
    sheet = workbook.create_sheet(META_SHEET)
    rows: list[tuple[Any, ...]] = [
        ("format", FORMAT),
        ("version", FORMAT_VERSION),
        ("panel", identity.panel),
        ("expert", identity.expert),
        ("round", identity.round),
        ("lang", lang),
        ("asks", asks),
        ("criteria", problem.criteria.id),
        ("measures", ",".join(problem.alternative_ids) if scored else ""),
        ("scored", ",".join(scored)),
        ("self_rating", "yes" if rating else "no"),
        *(("sheet", title, kind, node) for title, kind, node in sheets),
    ]
    for row, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
    sheet.sheet_state = "veryHidden"
    _protect(sheet)
