"""Corrections of the shipped data against the source article, each guarded so it cannot come back.

The source article (财经进言一点号, no title) is not part of the repository; test_shipped_data.py checks
the quotes against it when it is present. These tests read only repository files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import ROOT, read

CRITERIA = ROOT / "criteria" / "wuhan.yaml"
CATALOGUE = ROOT / "data" / "countermeasures.yaml"
EVIDENCE = ROOT / "data" / "evidence.yaml"
README = ROOT / "README.md"

# every place the source's wording can be shown from
SHOWN = [
    *sorted((ROOT / "data").glob("*.yaml")),
    *sorted((ROOT / "criteria").rglob("*.yaml")),
    *sorted((ROOT / "engine").rglob("*.py")),
    *sorted((ROOT / "ui").rglob("*.py")),
    *sorted((ROOT / "ui").rglob("*.yaml")),
    README,
]

NUMBER = re.compile(r"\d+(?:\.\d+)?")


def texts(node: Any) -> Iterator[str]:
    """Every string in a YAML document."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from texts(value)


@pytest.fixture(scope="module")
def data_texts() -> list[str]:
    return [text for path in (CRITERIA, CATALOGUE, EVIDENCE) for text in texts(read(path))]


@pytest.fixture(scope="module")
def catalogue() -> dict[str, dict[str, Any]]:
    return {measure["id"]: measure["scores"] for measure in read(CATALOGUE)["countermeasures"]}


@pytest.fixture(scope="module")
def facts() -> dict[str, dict[str, Any]]:
    return {fact["id"]: fact for fact in read(EVIDENCE)["facts"]}


@pytest.fixture(scope="module")
def experts() -> dict[str, dict[str, Any]]:
    return {expert["id"]: expert for expert in read(CRITERIA)["experts"]}


def judgment(expert: dict[str, Any], node: str, a: str, b: str) -> dict[str, Any]:
    return next(j for j in expert["judgments"][node] if {j["a"], j["b"]} == {a, b})


def test_hangzhou_grant_keeps_the_source_wording_gao_chu_3_bei(data_texts):
    converted = re.compile(r"1/3左右|3倍以上|是[^，。；（）]{0,12}3倍|threefold|roughly a third|three times")
    assert [text for text in data_texts if converted.search(text)] == []
    for text in data_texts:
        if "3倍" in text:
            assert "高出3倍" in text, text


def test_shanghai_roadshow_attracted_more_than_52_yi_not_signed(data_texts):
    for text in data_texts:
        assert "签约52" not in text and "signed 5.2" not in text, text
        for found in re.finditer("52亿", text):
            assert text[: found.start()].endswith(("超过", "超")), text
        for found in re.finditer(r"5\.2 billion", text):
            assert re.search(r"(more than|over) (the )?$", text[: found.start()]), text


def test_relocations_are_told_as_the_source_tells_them(data_texts):
    for wrong in ("鼎康生物等十余家药企外迁", "已在外迁的本地企业", "团队带走了企业", "企业与团队同时离开"):
        assert [text for text in data_texts if wrong in text] == [], wrong
    # Dingkang and the others moved their clinical R&D centres; CSOT moved its MicroLED R&D team
    for text in data_texts:
        if "鼎康" in text:
            assert "临床研发" in text, text
        if "Dingkang" in text:
            assert "clinical" in text, text
        if "华星光电" in text:
            assert "MicroLED" in text, text
        if "CSOT" in text:
            assert "MicroLED" in text, text
    # the Everbright founding team left Wuhan for Suzhou and founded the company there
    assert [text for text in data_texts if "left with its team" in text or "with the company" in text] == []


def test_business_environment_synergy_does_not_cite_tier1_pulling_rd_inward(catalogue):
    assert "F16" not in catalogue["business_environment"]["regional_synergy"]["evidence"]


def test_targeted_recruitment_synergy_does_not_rest_on_shanghai_manufacturing_share(catalogue):
    score = catalogue["targeted_recruitment"]["regional_synergy"]
    assert "F14" not in score["evidence"]
    assert "23.4" not in score["why"]["zh"] and "23.4" not in score["why"]["en"]


def test_regional_synergy_criterion_does_not_rest_on_shanghai_manufacturing_share():
    leaf = next(
        node
        for group in read(CRITERIA)["goal"]["children"]
        for node in group["children"]
        if node["id"] == "regional_synergy"
    )
    for text in texts(leaf["description"]):
        assert "23.4" not in text and "20.2" not in text, text


def test_chain_ecosystem_time_to_impact_no_longer_cites_the_nio_lag(catalogue):
    score = catalogue["chain_ecosystem"]["time_to_impact"]
    assert "F40" not in score["evidence"]
    assert "1.8" not in score["why"]["zh"] and "1.8" not in score["why"]["en"]


def test_talent_strategy_difficulty_no_longer_cites_graduate_start_ups(catalogue):
    assert "F36" not in catalogue["talent_strategy"]["implementation_difficulty"]["evidence"]


def test_hidden_champions_as_equipment_makers_is_labelled_an_analyst_judgment(catalogue, data_texts):
    assert [text for text in data_texts if "德日韩隐形冠军多为设备和零部件企业" in text] == []
    why = catalogue["overseas_recruitment"]["chain_completeness"]["why"]
    assert "分析判断" in why["zh"] and "analyst's judgment" in why["en"]


def test_nio_was_lost_to_fund_supervision_restrictions(catalogue, data_texts):
    assert [text for text in data_texts if "资金受限" in text or "funding limits" in text] == []
    why = catalogue["tech_finance"]["firm_retention"]["why"]
    assert "资金监管限制" in why["zh"] and "fund-supervision" in why["en"]


def test_planning_judgment_gives_no_slow_decision_cause_for_nio(experts):
    why = judgment(experts["ndrc_officer"], "ecosystem", "financing_access", "policy_speed")["why"]
    assert "流程跟不上" not in why["zh"] and "too slow" not in why["en"]
    assert "资金监管限制" in why["zh"]


def test_nio_judgments_do_not_claim_wuhan_had_the_money(experts):
    analyst = experts["analyst_default"]
    why = judgment(analyst, "feasibility", "fiscal_cost", "implementation_difficulty")["why"]
    assert "不是因为没钱" not in why["zh"] and "not for lack of money" not in why["en"]


def test_no_constructed_title_for_the_untitled_source():
    shown = {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8") for path in SHOWN}
    assert len(shown) > 20  # the globs really find the files
    constructed = ("策略研究", "Strategies for Wuhan")
    assert [name for name, text in shown.items() if any(title in text for title in constructed)] == []


def test_the_source_is_described_as_untitled_and_shown_without_title_marks():
    title = read(EVIDENCE)["source"]["title"]
    assert "无标题" in title["zh"] and "untitled" in title["en"]
    memo = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "engine" / "memo").glob("*.py"))
    assert "《{source}》" not in memo and "“{source}”" not in memo


def test_gcp_platforms_are_shanghais_not_zhangjiangs(facts):
    summary = facts["F28"]["summary"]["en"]
    assert "Shanghai holds 32%" in summary
    assert "Zhangjiang, which hosts" not in summary


def test_readme_does_not_count_suzhou_and_hefei_as_tier1():
    first = README.read_text(encoding="utf-8").split("\n\n")[1]
    tier1, _, rivals = first.partition("rival")
    assert rivals, "the first paragraph should call Suzhou and Hefei rival cities"
    assert "Suzhou" not in tier1 and "Hefei" not in tier1
    assert "Suzhou" in rivals and "Hefei" in rivals


def test_shipped_judgment_sets_are_named_as_illustrative(experts):
    assert set(experts) == {"analyst_default", "ndrc_officer"}
    for expert in experts.values():
        name = expert["name"]
        assert "默认" not in name["zh"] and "default" not in name["en"].lower(), name
        assert "示例" in name["zh"] and "Illustrative" in name["en"], name
    lines = CRITERIA.read_text(encoding="utf-8").splitlines()
    start = lines.index("experts:")
    comment = []
    for line in reversed(lines[:start]):
        if not line.startswith("#"):
            break
        comment.append(line)
    note = " ".join(comment)
    assert "illustrative" in note and "panel" in note


def test_situation_facts_f04_f05_f06_are_there(facts):
    assert facts["F04"]["quote"].endswith("成功引资超过52亿元")
    assert "川渝" in facts["F04"]["quote"]
    assert "闵大勇带领核心团队从武汉转投苏州" in facts["F05"]["quote"]
    assert "长光华芯" in facts["F05"]["quote"]
    assert "武汉大学信息管理学院5位顶尖学者" in facts["F06"]["quote"]


def test_every_number_in_a_reason_is_in_a_cited_quote_unless_it_is_an_estimate(catalogue, facts):
    unsupported = []
    for measure_id, scores in catalogue.items():
        for leaf_id, score in scores.items():
            if score.get("estimate"):
                continue
            quoted = " ".join(facts[fact_id]["quote"] for fact_id in score["evidence"])
            missing = [n for n in NUMBER.findall(score["why"]["zh"]) if n not in quoted]
            if missing:
                unsupported.append((measure_id, leaf_id, missing))
    assert unsupported == []
