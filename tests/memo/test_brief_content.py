"""The content of the policy brief (决策参考) and its annex, on the shipped problem, without rendering.

What a leader reads must be short, plain and sourced: the sections in order and within their
lengths, no method names or four-decimal scores, the poaching cases with their fact ids, the
source's reliability, the recommended cost, and one chart bar per countermeasure.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from engine.analysis import Analysis
from engine.insight.portfolio import load_rules
from engine.memo.compose import LIMITS, build_memo
from engine.memo.document import (
    Block,
    Bullets,
    Chart,
    Colophon,
    Heading,
    Memo,
    PageBreak,
    Paragraph,
    Preformatted,
    Signature,
    Table,
)
from engine.memo.length import block_length, text_length
from engine.memo.options import INTERNAL, MemoOptions
from engine.model import Problem
from engine.recommendation import recommend
from engine.robustness.study import Robustness, analyze
from engine.text import money
from tests.conftest import ROOT

DAY = dt.date(2026, 11, 27)
SAMPLES = 20_000
SECTIONS = {
    "zh": ("核心观点", "一、形势研判", "二、对策建议", "三、把握程度"),
    "en": ("Key points", "1. The situation", "2. Recommendations", "3. How sure we are"),
}
KEYS = ("key_points", "situation", "advice", "confidence")
BANNED = re.compile(r"TOPSIS|VIKOR|PROMETHEE|WSM|λ|\bCR\b|Spearman|Kendall|贴近度|SHA")
FOUR_DECIMALS = re.compile(r"\d\.\d{4}")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def texts(blocks: tuple[Block, ...] | list[Block]) -> list[str]:
    """Every string a reader could see in ``blocks``."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(block.text)
        elif isinstance(block, Paragraph):
            out += [block.lead, block.text]
        elif isinstance(block, Bullets):
            out += [part for item in block.items for part in (item.lead, item.text)]
        elif isinstance(block, Table):
            out += [block.caption, *block.header, *(cell for row in block.rows for cell in row)]
        elif isinstance(block, Preformatted):
            out.append(block.text)
        elif isinstance(block, Chart):
            out += [block.caption, block.alt, block.axis, *block.labels, *(s.name for s in block.series)]
        elif isinstance(block, Signature | Colophon):
            out += list(block.lines)
    return out


def memo_texts(memo: Memo) -> list[str]:
    head = [memo.masthead.name, memo.masthead.issue, memo.masthead.publisher, memo.masthead.date]
    return [
        *head,
        memo.masthead.mark,
        memo.title.text,
        memo.title.subtitle,
        *texts(memo.brief),
        *texts(memo.annex),
    ]


def sections(memo: Memo) -> dict[str, list[Block]]:
    """The brief's blocks under each level-1 heading, by heading text."""
    found: dict[str, list[Block]] = {}
    current: list[Block] | None = None
    for block in memo.brief:
        if isinstance(block, Heading) and block.level == 1:
            current = found.setdefault(block.text, [])
        elif current is not None:
            current.append(block)
    return found


@pytest.fixture(scope="module")
def study(shipped: Problem, shipped_analysis: Analysis) -> Robustness:
    return analyze(shipped, shipped_analysis.settings, analysis=shipped_analysis, samples=SAMPLES)


@pytest.fixture(scope="module", params=["zh", "en"])
def brief(request, shipped_analysis: Analysis, study: Robustness) -> Memo:
    return build_memo(shipped_analysis, lang=request.param, robustness=study, today=DAY)


def test_the_brief_has_its_sections_in_order_then_the_closing(brief):
    headings = [b.text for b in brief.brief if isinstance(b, Heading) and b.level == 1]
    assert tuple(headings) == SECTIONS[brief.lang]
    assert isinstance(brief.brief[-2], Signature) and isinstance(brief.brief[-1], Colophon)
    assert brief.brief[-2].lines[-1] == ("2026年11月27日" if brief.lang == "zh" else "27 November 2026")
    assert not any(isinstance(b, PageBreak | Table | Preformatted) for b in brief.brief)
    assert isinstance(brief.blocks[len(brief.brief)], PageBreak)  # the annex follows on a new page


def test_every_section_keeps_within_its_length(brief):
    found = sections(brief)
    column = 1 if brief.lang == "en" else 0
    for heading, key in zip(SECTIONS[brief.lang], KEYS, strict=True):
        assert 0 < block_length(found[heading]) <= LIMITS[key][column], heading


def test_key_points_are_numbered_one_two_three_four(brief):
    (points,) = [b for b in sections(brief)[SECTIONS[brief.lang][0]] if isinstance(b, Bullets)]
    assert points.style == "plain"
    expected = (
        ("一是", "二是", "三是", "四是")
        if brief.lang == "zh"
        else ("First, ", "Second, ", "Third, ", "Fourth, ")
    )
    assert tuple(item.lead for item in points.items) == expected


def test_the_brief_names_no_method_and_shows_no_four_decimal_score(brief):
    shown = [brief.title.text, brief.title.subtitle, *texts(brief.brief)]
    for text in shown:
        assert not BANNED.search(text), text
        assert not FOUR_DECIMALS.search(text), text
        assert "18 种建模选择" not in text and "modelling choices" not in text


def test_the_situation_cites_the_three_poaching_cases_and_calls_the_source_self_media(brief):
    situation = " ".join(texts(sections(brief)[SECTIONS[brief.lang][1]]))
    for fact in ("[F04]", "[F05]", "[F06]"):
        assert fact in situation
    assert ("自媒体" if brief.lang == "zh" else "self-media") in situation
    if brief.lang == "zh":
        assert "52亿元" in situation and "长光华芯" in situation and "70亿元" in situation


def test_key_points_state_the_recommendation_and_its_cost(brief, shipped_analysis, study):
    rec = recommend(shipped_analysis, study)
    points = " ".join(texts(sections(brief)[SECTIONS[brief.lang][0]]))
    assert rec.cost is not None
    assert money(rec.cost.value, brief.lang) in points
    for member in rec.action.members:
        assert rec.names[member].get(brief.lang) in points
    assert brief.title.text == rec.headline.get(brief.lang)


def test_the_advice_sets_out_three_actions_a_suggested_lead_and_the_cost_of_each_item(brief, shipped):
    advice = sections(brief)[SECTIONS[brief.lang][2]]
    items = [b.text for b in advice if isinstance(b, Heading) and b.level == 2]
    assert len(items) == 3
    leads = [b.lead for b in advice if isinstance(b, Paragraph)]
    assert leads.count("实施安排：" if brief.lang == "zh" else "Implementation: ") == 3
    assert leads.count("主要举措：" if brief.lang == "zh" else "Actions: ") == 3
    text = " ".join(texts(advice))
    assert text.count("（建议）" if brief.lang == "zh" else "(suggested)") == 6
    for item in shipped.countermeasures:
        if item.name.get(brief.lang) in items:
            assert item.lead_unit is not None and item.lead_unit.get(brief.lang) in text
    for separate in ("定位：", "Position: "):
        assert separate not in leads


def test_the_confidence_section_gives_weights_as_percentages_and_the_illustrative_clause(brief):
    confidence = " ".join(texts(sections(brief)[SECTIONS[brief.lang][3]]))
    assert "8.5%" in confidence and "6.3%" in confidence
    assert "0.063" not in confidence and "0.085" not in confidence
    assert ("示例" if brief.lang == "zh" else "illustrative") in confidence


def test_the_chart_has_one_bar_per_countermeasure(brief, shipped):
    (chart,) = [b for b in brief.brief if isinstance(b, Chart)]
    assert chart.kind == "first_shares" and chart.percent
    assert len(chart.labels) == len(shipped.countermeasures) == len(set(chart.labels))
    (series,) = chart.series
    assert len(series.values) == len(chart.labels)
    assert sum(series.values) == pytest.approx(1.0)


def test_the_english_memo_has_no_chinese(brief):
    if brief.lang != "en":
        pytest.skip("Chinese memo")
    for text in memo_texts(brief):
        assert not CJK.search(text), text


def test_the_annex_holds_the_technical_detail(brief):
    annex = texts(brief.annex)
    joined = "\n".join(annex)
    for term in ("TOPSIS", "λmax", "CR", "SHA-256", "policyrank rank", "version: 1"):
        assert term in joined
    kinds = {b.kind for b in brief.annex if isinstance(b, Chart)}
    assert kinds == {"weights", "sensitivity"}
    (sweep,) = [b for b in brief.annex if isinstance(b, Chart) and b.kind == "sensitivity"]
    assert sweep.x[0] == 0.0 and sweep.x[-1] == 1.0 and sweep.marker == pytest.approx(0.0846, abs=1e-3)
    assert all(len(s.values) == len(sweep.x) for s in sweep.series)
    if brief.lang == "zh":
        assert "原文：“2023年,上海市创新开展反向招商" in joined  # the evidence is quoted
        assert "示例" in joined


def test_a_budget_is_reconciled_with_the_recommendation(shipped, shipped_analysis, study):
    rules = load_rules(ROOT / "data" / "package_rules.yaml", shipped.alternative_ids)
    memo = build_memo(shipped_analysis, robustness=study, budget=50, rules=rules, today=DAY)
    rec = recommend(shipped_analysis, study, budget=50, rules=rules)
    assert rec.budget is not None and rec.budget.forced_out == ("chain_ecosystem",)
    found = sections(memo)
    for heading, key in zip(SECTIONS["zh"], KEYS, strict=True):
        assert block_length(found[heading]) <= LIMITS[key][0], heading
    items = [b.text for b in found["二、对策建议"] if isinstance(b, Heading) and b.level == 2]
    assert not any("产业生态链" in item for item in items)  # the package, not the first three
    points = " ".join(texts(found["核心观点"]))
    assert "产业生态链暂缓" in points and "50亿元" in points
    assert "预算" in " ".join(texts(found["三、把握程度"]))


def test_without_a_robustness_study_the_brief_charts_scores_and_says_it_is_untested(shipped_analysis):
    memo = build_memo(shipped_analysis, today=DAY)
    (chart,) = [b for b in memo.brief if isinstance(b, Chart)]
    assert not chart.percent and len(chart.series[0].low) == len(chart.labels)
    low, high = chart.series[0].low, chart.series[0].high
    assert all(lo <= v <= hi for lo, v, hi in zip(low, chart.series[0].values, high, strict=True))
    assert "未做扰动测算" in " ".join(texts(memo.brief))


def test_the_options_fill_the_masthead_and_the_colophon(shipped_analysis, study):
    options = MemoOptions(
        issue=3, publisher="武汉市发展研究中心", mark=INTERNAL, distribution="市委办公厅", annex="separate"
    )
    memo = build_memo(shipped_analysis, robustness=study, options=options, today=DAY)
    assert (memo.masthead.issue, memo.masthead.mark) == ("第3期", "内部资料　注意保存")
    assert memo.brief[-2].lines == ("武汉市发展研究中心", "2026年11月27日")
    assert memo.brief[-1].lines == ("抄送：市委办公厅", "武汉市发展研究中心　　2026年11月27日印发")
    assert memo.blocks == memo.brief
    annex = memo.annex_document()
    assert annex is not None and annex.brief == memo.annex and annex.masthead.name == ""


def test_section_lengths_count_characters_and_words():
    assert text_length("在十万次扰动测算中，营商环境居首约六成。") == 20
    assert text_length("2023年上海引资超过52亿元[F04]") == 12
    assert text_length("If the weight falls from 8.5% to below 6.3%.") == 9


def test_a_study_of_another_analysis_is_refused(shipped, study):
    from engine.analysis import run
    from engine.settings import Settings

    other = run(shipped, Settings(method="wsm"))
    with pytest.raises(ValueError, match="another analysis"):
        build_memo(other, robustness=study)


def test_a_given_recommendation_is_stated_as_it_is(shipped_analysis, study):
    rec = recommend(shipped_analysis, study)
    given = build_memo(shipped_analysis, recommendation=rec, today=DAY)
    made = build_memo(shipped_analysis, robustness=study, today=DAY)
    assert given.title == made.title
    assert sections(given)["核心观点"] == sections(made)["核心观点"]
    with pytest.raises(ValueError, match="without this budget"):
        build_memo(shipped_analysis, recommendation=rec, budget=50)
    with pytest.raises(ValueError, match="needs a robustness study"):
        build_memo(shipped_analysis, budget=50)


def test_a_problem_without_patterns_or_shipped_judgments(mini):
    from engine.analysis import run

    analysis = run(mini)
    study = analyze(mini, analysis.settings, analysis=analysis, samples=2_000)
    memo = build_memo(analysis, robustness=study, today=DAY)
    found = sections(memo)
    situation = found["一、形势研判"]
    assert [b.lead for b in situation if isinstance(b, Paragraph)] == ["主要威胁：", "数据可靠性："]
    assert "示例" not in " ".join(texts(memo.brief))
    for heading, key in zip(SECTIONS["zh"], KEYS, strict=True):
        assert block_length(found[heading]) <= LIMITS[key][0], heading
