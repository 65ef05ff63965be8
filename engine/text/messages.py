"""Engine messages in Chinese and English, from a code and its parameters.

An :class:`engine.errors.InputError` keeps the English one-line form the CLI prints
(``FILE: PLACE: expected ...``); the common ones also carry a ``code`` and ``params``, so the app
can show them in the user's language, with names instead of ids:

>>> from engine.errors import InputError
>>> error = coded("criteria.yaml", "goal.children[1].direction", "one_of", got=kind("costs"),
...               allowed=["benefit", "cost"])
>>> str(error)
"criteria.yaml: goal.children[1].direction: expected one of benefit, cost, got text 'costs'"
>>> describe(error, "zh")
"criteria.yaml：goal.children[1].direction：应为 benefit、cost 之一，实际为文本 'costs'"

The English template of each code *is* the CLI's wording (:func:`coded` builds ``expected``
from it), so the two languages cannot drift apart and the bad-input corpus
(``tests/bad_inputs/cases.yaml``) pins both forms. An error without a code (a rare message the
engine words only in English) is shown in English in either language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from engine.errors import InputError
from engine.model import Lang, Text
from engine.text.numbers import join_list, money

__all__ = ["MESSAGES", "coded", "describe", "describe_got", "expected", "kind", "place", "show", "shown"]

# code: (zh, en). Fields in braces are filled by expected(); {got} is a value's description (kind()).
MESSAGES: Mapping[str, tuple[str, str]] = {
    # reading a file
    "file_not_found": ("找不到文件", "file not found"),
    "not_a_file": ("应为文件，实际为文件夹", "expected a file, got a directory"),
    "unreadable": ("无法读取（{reason}）", "cannot be read ({reason})"),
    "file_empty": ("文件为空", "the file is empty"),
    "file_too_large": ("文件超过 {mb} MB 的上限", "file is larger than {mb} MB"),
    "not_utf8": (
        "应为 UTF-8 编码的文本（请把文件另存为 UTF-8）",
        "expected UTF-8 text (save the file as UTF-8)",
    ),
    # YAML syntax
    "yaml_syntax": ("不是有效的 YAML（{problem}）", "not valid YAML: {problem}"),
    "yaml_tab": (
        "不是有效的 YAML：含制表符；YAML 只能用空格缩进",
        "not valid YAML: a tab character; YAML indents with spaces only",
    ),
    "yaml_alias": (
        "不允许使用 YAML 别名（*name），请把值直接写出",
        "YAML aliases (*name) are not allowed; write the value out",
    ),
    "yaml_depth": ("嵌套超过 {depth} 层", "nesting deeper than {depth} levels"),
    "yaml_key": ("映射的键必须是简单值", "a mapping key must be a plain value"),
    "yaml_duplicate_key": ("键 {key} 重复", "duplicate key {key}"),
    "yaml_tag": (
        "不支持的 YAML 标签 {tag}（只读取普通值、列表和映射）",
        "unsupported YAML tag {tag} (only plain values, lists and mappings are read)",
    ),
    # the shape of a document
    "expected_mapping": ("应为映射（键: 值），实际为{got}", "expected a mapping, got {got}"),
    "expected_list": ("应为列表，实际为{got}", "expected a list, got {got}"),
    "expected_text": ("应为非空文本，实际为{got}", "expected a non-empty text, got {got}"),
    "text_too_long": ("文本超过 {limit} 个字符", "text longer than {limit} characters"),
    "expected_id": (
        "应为符合 {pattern} 的编号，实际为 {shown}",
        "expected an id matching {pattern}, got {shown}",
    ),
    "expected_number": ("应为数字，实际为{got}", "expected a number, got {got}"),
    "expected_finite": ("应为有限的数字，实际为 {shown}", "expected a finite number, got {shown}"),
    "number_range": (
        "应为 {low}..{high} 范围内的数字，实际为{got}",
        "expected a number in {low}..{high}, got {got}",
    ),
    "expected_boolean": ("应为 true 或 false，实际为{got}", "expected true or false, got {got}"),
    "one_of": ("应为 {allowed} 之一，实际为{got}", "expected one of {allowed}, got {got}"),
    "version": ("格式版本应为 {expected}，实际为 {shown}", "expected {expected}, got {shown}"),
    "too_few_items": (
        "至少需要 {minimum} 项，实际为 {count} 项",
        "expected at least {minimum} item(s), got {count}",
    ),
    "unknown_key": (
        "未知的键 {key}（可用的键：{allowed}）",
        "unknown key {key} (expected one of: {allowed})",
    ),
    "missing_key": ("缺少键 {key}", "missing key {key}"),
    "duplicate_id": ("编号 {id} 重复（首次出现于 {first}）", "duplicate id {id} (first used at {first})"),
    # the workspace
    "scenario_name_empty": ("方案名称不能为空", "a scenario needs a non-empty name"),
    "scenario_name_long": (
        "方案名称至多 {limit} 个字符，实际为 {count} 个",
        "a scenario name has at most {limit} characters, got {count}",
    ),
    "scenario_name_taken": ("已有名为 {name} 的方案", "a scenario named {name} already exists"),
    # the criteria tree and the judgments
    "leaf_only_key": (
        "只有叶准则（没有子节点的节点）才能有 {key}",
        "only leaf criteria (nodes without children) take {key}",
    ),
    "too_many_children": (
        "每个节点至多 {limit} 个子节点（Saaty 随机一致性指标只列到 n = {limit}），实际为 {count} 个",
        "at most {limit} children per node (Saaty's random index is tabulated to n = {limit}), got {count}",
    ),
    "tree_too_deep": ("准则树超过 {depth} 层", "the criteria tree is deeper than {depth} levels"),
    "missing_leaf_key": (
        "缺少键 {key}（叶准则需要 direction、unit 和 scale）",
        "missing key {key} (a leaf criterion needs direction, unit and scale)",
    ),
    "direction": (
        "应为 benefit（效益型）或 cost（成本型），实际为{got}",
        "expected benefit or cost, got {got}",
    ),
    "low_high": (
        "应为 low < high，实际 low 为 {low}、high 为 {high}",
        "expected low < high, got low {low} and high {high}",
    ),
    "not_a_child": (
        "{child} 不是 {node} 的子节点（子节点：{children}）",
        "{child} is not a child of {node} (children: {children})",
    ),
    "judgment_same": (
        "一条判断应比较两个不同的准则，实际两次都是 {criterion}",
        "a judgment compares two different criteria, got {criterion} twice",
    ),
    "judgment_twice": (
        "({a}, {b}) 这一对已在 [{index}] 判断过（{first_a} 比 {first_b} = {value}）；每一对只给一次",
        "the pair ({a}, {b}) is already judged at [{index}] ({first_a} vs {first_b} = {value}); "
        "give each pair once",
    ),
    "missing_judgment": (
        "缺少 {one} 与 {other} 之间的判断",
        "missing the judgment between {one} and {other}",
    ),
    "goal_children": (
        "目标节点需要子节点（准则组或叶准则）",
        "the goal needs children (groups or leaf criteria)",
    ),
    "two_leaves": ("至少需要两个叶准则", "expected at least two leaf criteria"),
    "groups_zero": ("至少一个群体的权重要大于 0", "at least one group needs a weight above 0"),
    "missing_group": ("缺少键 'group'（文件声明了群体）", "missing key 'group' (the file declares groups)"),
    "experts_zero": ("至少一位专家的权重要大于 0", "at least one expert needs a weight above 0"),
    # the content of the catalogue, criteria and weights
    "range_half": (
        "区间须同时给出 'low' 和 'high'，或都不给",
        "give both 'low' and 'high' for a range, or neither",
    ),
    "weights_zero": (
        "权重之和为零；至少一项要大于 0",
        "the weights sum to zero; at least one must be above 0",
    ),
    "unknown_fact": (
        "未知的事实编号 {fact}（证据文件中没有）",
        "unknown fact {fact} (not in the evidence file)",
    ),
    "missing_score": ("缺少准则 {criterion} 的评分", "missing the score for criterion {criterion}"),
    "all_retired": (
        "所有对策都已停用；至少保留一项参与排序",
        "every countermeasure is retired; keep at least one in the ranking",
    ),
    # edits made in the app (engine.edit)
    "unknown_measure": ("没有编号为 {id} 的对策", "no countermeasure {id}"),
    "unknown_node": ("没有编号为 {id} 的准则", "no criterion {id}"),
    "not_a_group": (
        "{id} 是叶准则，不能有子准则（请选一个准则组）",
        "{id} is a leaf criterion and cannot have children (choose a group)",
    ),
    "retire_goal": ("目标节点不能停用", "the goal cannot be retired"),
    "last_child": (
        "{id} 是 {node} 唯一的子准则；请停用 {node} 本身",
        "{id} is the only child of {node}; retire {node} itself",
    ),
    "move_inside": (
        "{id} 不能移到它自己或它的下级 {node} 之下",
        "{id} cannot move under itself or its own descendant {node}",
    ),
    "missing_weight": ("缺少准则 {criterion} 的权重", "missing the weight of criterion {criterion}"),
    "unknown_group": ("未知的群体 {group}", "unknown group {group}"),
    # tables (CSV and Parquet uploads)
    "table_format": (
        "应为 .csv 或 .parquet 表格，实际为 {suffix}",
        "expected a .csv or .parquet table, got {suffix}",
    ),
    "csv_not_utf8": (
        "不是 UTF-8 编码的 CSV 文件（第{byte}字节无法解码；请把文件另存为 UTF-8）",
        "not a readable CSV file ({reason})",
    ),
    "csv_unreadable": ("不是可读取的 CSV 文件（{reason}）", "not a readable CSV file ({reason})"),
    "unknown_column": (
        "表格 {table} 中没有 {column} 列（现有列：{known}）",
        "column {column} is not in {table} (columns: {known})",
    ),
    "numeric_column": ("应为数值列，实际为 {kind}", "expected a numeric column, got {kind}"),
    "missing_value": (
        "缺少数值（筛选规格要求 missing: error；改用 drop 或 worst 可允许空缺）",
        "missing value (the spec says missing: error; use drop or worst to allow gaps)",
    ),
    "no_header": ("应有一行列名作为表头，实际没有", "expected a header row naming the columns, got none"),
    "too_many_rows": (
        "超过 {limit:,} 行；上传的表格最多 {limit:,} 行"
        "（更大的表格请用 policyrank screen --table FILE --spec FILE 筛选）",
        "more than {limit:,} rows; an upload may have at most {limit:,} "
        "(screen larger tables with policyrank screen --table FILE --spec FILE)",
    ),
    # expert-panel questionnaires and survey exports (engine.panel)
    "not_xlsx": (
        "不是可读取的 Excel 工作簿（.xlsx）：{reason}",
        "not a readable Excel workbook (.xlsx): {reason}",
    ),
    "not_questionnaire": (
        "不是本系统生成的专家咨询表（缺少隐藏的 _meta 工作表）",
        "not a questionnaire written by policyrank (no hidden _meta sheet)",
    ),
    "wrong_panel": (
        "这份咨询表属于专家组 {found}，应为 {wanted}",
        "this file belongs to panel {found}, expected {wanted}",
    ),
    "wrong_round": (
        "这份咨询表属于第 {found} 轮，应为第 {wanted} 轮",
        "this file is for round {found}, expected round {wanted}",
    ),
    "wrong_criteria": (
        "这份咨询表按准则体系 {found} 生成，应为 {wanted}",
        "this file was written for the criteria {found}, expected {wanted}",
    ),
    "unknown_expert": ("专家 {expert} 不在专家组 {panel} 中", "expert {expert} is not on panel {panel}"),
    "missing_sheet": ("缺少工作表 {sheet}", "missing sheet {sheet}"),
    "unknown_sheet": (
        "多出工作表 {sheet}（咨询表只有：{known}）",
        "unexpected sheet {sheet} (the questionnaire has: {known})",
    ),
    "missing_header": ("找不到含 {columns} 列的表头行", "no header row with the columns {columns}"),
    "fixed_cell": (
        "应为 {wanted}（此单元格由咨询表固定，不能修改），实际为{got}",
        "expected {wanted} (this cell is fixed by the questionnaire), got {got}",
    ),
    "saaty_value": (
        "应为 9、8、…、2、1、1/2、…、1/9 之一，实际为{got}",
        "expected one of 9, 8, ..., 2, 1, 1/2, ..., 1/9, got {got}",
    ),
    "date_cell": (
        "Excel 把输入变成了日期 {date}，无法还原；请把单元格设为文本格式后重新输入（如 1/3）",
        "Excel turned the entry into the date {date}, which cannot be read back; format the cell as text "
        "and type the value again (e.g. 1/3)",
    ),
    "formula_cell": (
        "应直接填写数值，不能是公式（{formula}）",
        "expected a typed value, not a formula ({formula})",
    ),
    "missing_answer": ("缺少答案（请填写此单元格）", "missing answer (fill in this cell)"),
    "extra_row": ("多出一行；咨询表此处没有题目", "unexpected row; the questionnaire has no question here"),
    "extra_rows": ("这些行不是本工作表的题目；请删除", "not questions of this sheet; delete them"),
    "sheet_too_long": (
        "超过 {limit:,} 行；此工作表只有 {count} 道题",
        "more than {limit:,} rows; this sheet has {count} questions",
    ),
    "duplicate_respondent": (
        "专家 {expert} 已在第 {first} 行作答；每位专家只能有一行",
        "expert {expert} already answered in row {first}; one row per expert",
    ),
    "file_refused": (
        "{count} 处错误，此文件的答案一条也未导入",
        "{count} problem(s); nothing from this file was imported",
    ),
    # a policy package
    "no_package": (
        "这些规则不能同时满足：{conflicts}",
        "no package satisfies these rules together: {conflicts}",
    ),
}

_AT_LEAST = "应为不小于 {low} 的数字，实际为{got}"

# the parts of a package conflict (engine.insight.portfolio): the CLI's wording with ids, and
# (zh, en) with names
_CONFLICTS_CLI: Mapping[str, str] = {
    "budget": "budget <= {budget}",
    "must": "must {measure}",
    "exclude": "exclude {measure}",
    "exclusive": "exclusive {a} / {b}",
    "requires": "{a} requires {b}",
    "group": "group {group} (at least {at_least} of {measures})",
}
_CONFLICTS: Mapping[str, tuple[str, str]] = {
    "budget": ("预算不超过每年{budget}", "a budget of at most {budget} a year"),
    "must": ("必选{measure}", "{measure} included"),
    "exclude": ("不选{measure}", "{measure} left out"),
    "exclusive": ("{a}与{b}至多选一项", "at most one of {a} and {b}"),
    "requires": ("选{a}须同时选{b}", "{a} only together with {b}"),
    "group": ("{group}：至少选{at_least}项（{measures}）", "{group}: at least {at_least} of {measures}"),
}

_KINDS: Mapping[str, tuple[str, str]] = {
    "nothing": ("空值", "nothing"),
    "boolean": ("布尔值（{shown}）", "a boolean ({shown})"),
    "text": ("文本 {shown}", "text {shown}"),
    "mapping": ("映射", "a mapping"),
    "list": ("列表", "a list"),
    "value": (" {shown}", "{shown}"),
    "other": (" {type} {shown}", "{type} {shown}"),
}

# parameters quoted as Python writes them ('jobs'), in either language
_QUOTED = frozenset(("key", "id", "fact", "criterion", "group", "child", "node", "one", "other", "column"))

# places the engine words itself (everything else is a path inside the file and stays as written)
_PLACES: Sequence[tuple[re.Pattern[str], str]] = (
    (re.compile(r"^top level$"), "顶层"),
    (re.compile(r"^line (\d+), column (\d+)$"), r"第\1行第\2列"),
    (re.compile(r"^line (\d+)$"), r"第\1行"),
    (re.compile(r"^byte (\d+)$"), r"第\1字节"),
    (re.compile(r"^row (\d+), column (.+)$"), r"第\1行，\2列"),
    (re.compile(r"^column (.+)$"), r"\1列"),
    (re.compile(r"^node (.+)$"), r"节点 \1"),
    (re.compile(r"^sheet (.+), cell ([A-Z]+\d+)$"), r"工作表 \1，单元格 \2"),
    (re.compile(r"^sheet (.+), rows ([\d,]+)–([\d,]+)$"), r"工作表 \1，第 \2–\3 行"),
    (re.compile(r"^sheet (.+)$"), r"工作表 \1"),
)


def show(value: Any) -> str:
    """A value as messages quote it: its repr, cut to 40 characters."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def kind(value: Any) -> dict[str, str]:
    """What a value is, for a message's ``got`` parameter (worded by :func:`expected`)."""
    if value is None:
        return {"kind": "nothing"}
    if isinstance(value, bool):
        return {"kind": "boolean", "shown": str(value)}
    if isinstance(value, str):
        return {"kind": "text", "shown": show(value)}
    if isinstance(value, dict):
        return {"kind": "mapping"}
    if isinstance(value, list):
        return {"kind": "list"}
    return {"kind": "other", "type": type(value).__name__, "shown": show(value)}


def shown(text: str) -> dict[str, str]:
    """A ``got`` parameter that is quoted as it is, in either language."""
    return {"kind": "value", "shown": text}


def describe_got(found: Mapping[str, str], lang: Lang) -> str:
    """A ``got`` parameter (:func:`kind`, :func:`shown`) in words."""
    zh, en = _KINDS[found["kind"]]
    return (zh if lang == "zh" else en).format(**found)


def _name(item: str, names: Mapping[str, Text] | None, lang: Lang) -> str:
    """An id's name in ``lang`` when ``names`` has it; "“name”" in Chinese, else the id."""
    if names is None or item not in names:
        return item if lang == "en" else f"“{item}”"
    text = names[item].get(lang)
    return f"“{text}”" if lang == "zh" else text


def _conflict(part: Mapping[str, Any], lang: Lang, names: Mapping[str, Text] | None) -> str:
    if lang == "en" and names is None:
        fields = {k: ", ".join(v) if isinstance(v, list) else v for k, v in part.items()}
        if "budget" in part:
            fields["budget"] = f"{part['budget']:g}"
        return _CONFLICTS_CLI[part["kind"]].format(**fields)
    fields = {}
    for key, value in part.items():
        if key == "budget":
            fields[key] = money(value, lang)
        elif key in ("measure", "a", "b", "group"):
            fields[key] = _name(value, names, lang)
        elif key == "measures":
            fields[key] = join_list([_name(v, names, lang).strip("“”") for v in value], lang)
        else:
            fields[key] = value
    zh, en = _CONFLICTS[part["kind"]]
    return (zh if lang == "zh" else en).format(**fields)


def expected(
    code: str, params: Mapping[str, Any], lang: Lang, *, names: Mapping[str, Text] | None = None
) -> str:
    """The ``expected`` part of a coded message in ``lang``.

    ``names`` (id -> Text) turns countermeasure, criterion and group ids into their names; without
    it the English text is exactly the CLI's.
    """
    zh, en = MESSAGES[code]
    if code == "number_range" and not params.get("high"):
        zh = _AT_LEAST  # "0.." reads as a range in English only
    fields: dict[str, Any] = {}
    for key, value in params.items():
        if key == "got":
            fields[key] = describe_got(value, lang)
        elif key == "conflicts":
            separator = "；" if lang == "zh" else "; "
            fields[key] = separator.join(_conflict(part, lang, names) for part in value)
        elif key in ("allowed",) and isinstance(value, list):
            fields[key] = ("、" if lang == "zh" else ", ").join(value)
        elif key in ("criterion", "group") and names is not None and value in names:
            fields[key] = _name(value, names, lang)
        elif key in _QUOTED:
            fields[key] = repr(value)
        elif key == "children" and isinstance(value, list):
            fields[key] = ", ".join(value) if lang == "en" else "、".join(value)
        elif key == "first" and isinstance(value, str):
            fields[key] = place(value, lang)
        else:
            fields[key] = value
    return (zh if lang == "zh" else en).format(**fields)


def place(text: str, lang: Lang) -> str:
    """A place inside a file in ``lang`` ("line 5, column 1" is "第5行第1列"); paths stay as written."""
    if lang == "en":
        return text
    for pattern, replacement in _PLACES:
        if pattern.match(text):
            return pattern.sub(replacement, text)
    return text


def coded(source: str, where: str, code: str, **params: Any) -> InputError:
    """An :class:`InputError` whose English ``expected`` is the template of ``code``."""
    return InputError(source, where, expected(code, params, "en"), code=code, params=params)


def describe(error: InputError, lang: Lang, *, names: Mapping[str, Text] | None = None) -> str:
    """The whole message in ``lang``: "FILE：PLACE：…" in Chinese, the CLI's line in English.

    With ``names`` the ids in it read as names in either language. Without a code the English
    ``expected`` is kept (there is no Chinese wording for it).
    """
    if error.code is None or error.code not in MESSAGES:
        text = error.expected
    else:
        text = expected(error.code, error.params, lang, names=names)
    if lang == "en" and names is None:
        return str(error) if error.code is None else _joined(error.source, error.place, text, ": ")
    where = place(error.place, lang) if error.place else ""
    return _joined(error.source, where, text, "：" if lang == "zh" else ": ")


def _joined(source: str, where: str, text: str, colon: str) -> str:
    return colon.join(part for part in (source, where, text) if part)
