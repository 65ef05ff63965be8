"""Engine messages from a code and parameters: the CLI's English line unchanged, the same in Chinese.

Every file of the bad-input corpus (tests/bad_inputs/cases.yaml pins the English) must also read
in Chinese, keeping the file name and the place; the common cases are pinned word for word.
"""

from __future__ import annotations

import string

import numpy as np
import pytest

from engine.analysis import run
from engine.errors import InputError
from engine.insight.portfolio import load_rules, select_package
from engine.io.safe_yaml import MAX_BYTES, parse_yaml
from engine.load import DEFAULT_DATA, load_problem
from engine.screening import parse_spec, screen_upload
from engine.text.messages import MESSAGES, coded, describe, expected, kind, shown
from tests.test_bad_inputs import CASES, CORPUS, load_with
from tests.test_screen import base_spec, random_table


def raised(case: dict) -> InputError:
    with pytest.raises(InputError) as caught:
        load_with(case["kind"], CORPUS / case["file"])
    return caught.value


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_every_corpus_message_reads_in_both_languages(case, monkeypatch):
    monkeypatch.chdir(CORPUS)
    error = raised(case)
    assert error.code in MESSAGES, "every corpus message carries a code"
    assert describe(error, "en") == str(error) == case["message"]
    zh = describe(error, "zh")
    assert zh.startswith(case["file"] + "：")
    # only PyYAML's own description of a syntax error stays English (quoted in brackets)
    rest = zh.removeprefix(case["file"] + "：")
    english = ("expected", " got ", "unknown key", "missing key", "duplicate", "not valid")
    assert error.code == "yaml_syntax" or not any(word in rest for word in english), zh


# the common cases after "FILE：", word for word (the place kept, worded in Chinese where it is words)
ZH = {
    "unknown_top_key.yaml": "weigths：未知的键 'weigths'（可用的键：version、id、name、goal、experts、groups）",  # noqa: E501
    "missing_version.yaml": "顶层：缺少键 'version'",
    "judgment_above_nine.yaml": "experts[0].judgments.goal[0].value：应为 1/9..9 范围内的数字，实际为 12",
    "judgment_as_word.yaml": "experts[0].judgments.goal[0].value：应为 1/9..9 范围内的数字，实际为 'high'",
    "weight_negative.yaml": "weights.jobs：应为不小于 0 的数字，实际为 -1",
    "top_level_list.yaml": "顶层：应为映射（键: 值），实际为列表",
    "actions_not_a_list.yaml": "countermeasures[0].actions：应为列表，实际为映射",
    "fact_empty_quote.yaml": "facts[0].quote：应为非空文本，实际为文本 ''",
    "score_as_text.yaml": "countermeasures[0].scores.jobs.value：应为数字，实际为文本 'eight'",
    "duplicate_countermeasure.yaml": "countermeasures[2]：编号 'alpha' 重复（首次出现于 countermeasures[0]）",
    "duplicate_node_id.yaml": "节点 jobs：编号 'jobs' 重复（首次出现于 节点 jobs）",
    "score_unknown_fact.yaml": "countermeasures[0].scores.jobs.evidence[0]：未知的事实编号 'F99'（证据文件中没有）",  # noqa: E501
    "not_utf8_gbk.yaml": "第31字节：应为 UTF-8 编码的文本（请把文件另存为 UTF-8）",
    "tab_indent.yaml": "第5行第1列：不是有效的 YAML：含制表符；YAML 只能用空格缩进",
    "unclosed_bracket.yaml": "第4行第5列：不是有效的 YAML（expected ',' or '}', but got ':'）",
    "empty.yaml": "文件为空",
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(ZH))
def test_the_common_messages_in_chinese(name, monkeypatch):
    monkeypatch.chdir(CORPUS)
    case = next(c for c in CASES if c["file"] == name)
    assert describe(raised(case), "zh") == f"{name}：{ZH[name]}"


def test_a_file_too_large():
    with pytest.raises(InputError) as caught:
        parse_yaml(b"#" * (MAX_BYTES + 1), "big.yaml")
    assert str(caught.value) == "big.yaml: file is larger than 5 MB"
    assert describe(caught.value, "zh") == "big.yaml：文件超过 5 MB 的上限"


def test_templates_agree_on_their_fields():
    def fields(template: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}

    # the CSV decoding message gives Python's reason in English and the byte in Chinese
    different = {"csv_not_utf8"}
    for code, (zh, en) in MESSAGES.items():
        if code not in different:
            assert fields(zh) == fields(en), code


def test_kinds_of_values_in_both_languages():
    got = {"got": kind(["a"])}
    assert expected("expected_mapping", got, "en") == "expected a mapping, got a list"
    assert expected("expected_mapping", got, "zh") == "应为映射（键: 值），实际为列表"
    assert expected("expected_text", {"got": kind(None)}, "zh") == "应为非空文本，实际为空值"
    assert expected("expected_number", {"got": kind(True)}, "en") == "expected a number, got a boolean (True)"
    assert expected("expected_number", {"got": shown("'x'")}, "zh") == "应为数字，实际为 'x'"
    error = coded("f.yaml", "line 3", "yaml_depth", depth=40)
    assert (str(error), error.code, dict(error.params)) == (
        "f.yaml: line 3: nesting deeper than 40 levels",
        "yaml_depth",
        {"depth": 40},
    )
    assert describe(error, "zh") == "f.yaml：第3行：嵌套超过 40 层"


def test_an_uncoded_error_stays_in_english():
    error = InputError("--flag", "", "something only the CLI says")
    assert describe(error, "en") == "--flag: something only the CLI says"
    assert describe(error, "zh") == "--flag：something only the CLI says"


# ---------------------------------------------------------------- a package the rules forbid


def test_infeasible_package_names_names_and_the_smallest_budget():
    problem = load_problem()
    rules = load_rules(DEFAULT_DATA.parent / "package_rules.yaml", problem.alternative_ids)
    rules = rules.merged(must=["chain_ecosystem"])
    with pytest.raises(InputError) as caught:
        select_package(run(problem), 54, rules=rules)
    error = caught.value
    # the CLI's line as before: ids, "budget <= 54"
    assert error.expected == (
        "no package satisfies these rules together: budget <= 54; must chain_ecosystem; "
        "group financing (at least 1 of tech_finance, application_scenarios); "
        "group recruitment (at least 1 of targeted_recruitment, overseas_recruitment)"
    )
    assert error.params["smallest"] == 58.0
    assert error.params["smallest_package"] == [
        "chain_ecosystem",
        "application_scenarios",
        "overseas_recruitment",
    ]
    names = {c.id: c.short for c in problem.countermeasures} | {g.id: g.name for g in rules.groups if g.name}
    zh = expected(error.code, error.params, "zh", names=names)
    assert zh == (
        "这些规则不能同时满足：预算不超过每年54亿元；必选“产业生态链”；“破解科技型企业融资难”：至少选1项（科技金融、场景开放）；"
        "“实施“靶向突破”招商策略”：至少选1项（定向招商、海外招商）"
    )
    en = expected(error.code, error.params, "en", names=names)
    assert en.startswith(
        "no package satisfies these rules together: a budget of at most CNY 5.4 billion a year; "
    )
    assert "chain_ecosystem" not in en and "Chain ecosystems included" in en


# ---------------------------------------------------------------- CSV uploads


def test_csv_upload_errors_in_chinese():
    spec = parse_spec(base_spec(), "spec.yaml")
    frame = random_table(np.random.default_rng(12), 30).astype({"c": object})
    frame.loc[4, "c"] = "many"
    data = frame.to_csv(index=False).encode("utf-8")
    with pytest.raises(InputError) as caught:
        screen_upload(data, "mine.csv", spec)
    assert describe(caught.value, "zh") == "mine.csv：第5行，'c'列：应为数字，实际为 'many'"
    with pytest.raises(InputError) as caught:
        screen_upload("名称,c\n甲,1\n".encode("gbk"), "mine.csv", spec)
    assert describe(caught.value, "en").startswith("mine.csv: not a readable CSV file (")
    assert describe(caught.value, "zh").startswith("mine.csv：不是 UTF-8 编码的 CSV 文件（第")
    with pytest.raises(InputError) as caught:
        screen_upload(b"PK\x03\x04", "mine.xlsx", spec)
    assert describe(caught.value, "zh") == "mine.xlsx：应为 .csv 或 .parquet 表格，实际为 '.xlsx'"
