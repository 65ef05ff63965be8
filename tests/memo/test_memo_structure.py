"""The format-free memo: sections, content derived from the analysis, robustness hook, appendix."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shlex
from types import SimpleNamespace

import numpy as np
import pytest
import yaml

from engine.analysis import run
from engine.mcda.methods import METHODS
from engine.memo import (
    Bullets,
    Heading,
    Paragraph,
    Preformatted,
    RobustnessSummary,
    Table,
    build_memo,
    render,
    reproduce_command,
)
from engine.memo.drivers import drivers
from engine.model import Text
from engine.settings import Settings
from tests.conftest import ROOT
from tests.memo.conftest import CJK, DAY, EN_SECTIONS, ZH_SECTIONS, cli_json


def all_text(memo) -> str:
    parts = [memo.title.masthead, memo.title.text, memo.title.byline]
    for block in memo.blocks:
        if isinstance(block, Heading | Preformatted):
            parts.append(block.text)
        elif isinstance(block, Paragraph):
            parts += [block.lead, block.text]
        elif isinstance(block, Bullets):
            parts += [part for item in block.items for part in (item.lead, item.text)]
        elif isinstance(block, Table):
            parts += [*block.header, block.caption, *(cell for row in block.rows for cell in row)]
    return "\n".join(parts)


def section(memo, title: str) -> list:
    """The blocks between the level-1 heading ``title`` and the next level-1 heading."""
    blocks = list(memo.blocks)
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == title)
    end = next(
        (i for i in range(start + 1, len(blocks)) if isinstance(blocks[i], Heading) and blocks[i].level == 1),
        len(blocks),
    )
    return blocks[start + 1 : end]


def after(blocks: list, lead: str) -> Bullets:
    """The bullet list that follows the paragraph led by ``lead``."""
    index = next(i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and b.lead == lead)
    follower = blocks[index + 1]
    assert isinstance(follower, Bullets)
    return follower


def test_sections_in_order(memo_zh, memo_en):
    assert list(memo_zh.headings(level=1)) == ZH_SECTIONS
    assert list(memo_en.headings(level=1)) == EN_SECTIONS
    assert memo_zh.title.masthead == "决策参考"
    assert memo_zh.title.byline.startswith("2025年3月4日")
    assert memo_en.title.byline.startswith("4 March 2025")


def test_advice_follows_the_ranking(memo_zh, memo_en, shipped_analysis):
    for memo, lang in ((memo_zh, "zh"), (memo_en, "en")):
        names = [e.name.get(lang) for e in shipped_analysis.ranking]
        subheadings = [b.text for b in section(memo, memo.headings(1)[3]) if isinstance(b, Heading)]
        assert len(subheadings) == len(names)
        for heading, name in zip(subheadings, names, strict=True):
            assert heading.endswith(name)
    assert section(memo_zh, "三、对策建议")[0].text == "（一）" + shipped_analysis.ranking[0].name.zh


def test_every_action_and_cited_reason_comes_from_the_catalogue(memo_zh, shipped):
    text = all_text(memo_zh)
    for item in shipped.countermeasures:
        for action in item.actions:
            assert action.zh in text
    cited = set(re.findall(r"\[(F\d{2,3})\]", text))
    assert cited, "the memo cites no fact"
    known = {fact.id for fact in shipped.evidence.facts}
    assert cited <= known
    # the appendix lists exactly the facts cited in the body
    appendix = section(memo_zh, "附录")
    listed = {item.lead.strip("[] ") for b in appendix if isinstance(b, Bullets) for item in b.items}
    assert listed == cited


def test_strengths_are_the_largest_weighted_contributions(shipped_analysis, memo_zh, shipped):
    why = drivers(shipped_analysis)
    weighted = np.asarray(shipped_analysis.primary.details["weighted"])
    first = int(why.order[0])
    centred = weighted[first] - weighted.mean(axis=0)
    best = shipped.leaves[int(np.argmax(centred))].name.zh
    worst = shipped.leaves[int(np.argmin(centred))].name.zh
    blocks = section(memo_zh, "三、对策建议")
    second = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and i > 0)
    strengths = after(blocks[:second], "优势及依据：")
    weaknesses = after(blocks[:second], "短板及原因：")
    assert strengths.items[0].lead.startswith(best)
    assert weaknesses.items[0].lead.startswith(worst)
    # the reason shown is the catalogue's reason for that score
    leaf = shipped.leaves[int(np.argmax(centred))]
    reason = shipped.countermeasures[first].scores[leaf.id].why.zh.rstrip("。")
    assert reason in strengths.items[0].text


def test_key_points_are_three_to_five_sentences_naming_the_top_three(memo_zh, shipped_analysis):
    blocks = section(memo_zh, "核心观点")
    assert len(blocks) == 1 and isinstance(blocks[0], Bullets)
    points = [item.text for item in blocks[0].items]
    assert 3 <= len(points) <= 5
    top = [e.name.zh.replace("“", "‘").replace("”", "’") for e in shipped_analysis.ranking[:3]]
    first = points[0]
    assert [first.index(name) for name in top] == sorted(first.index(name) for name in top)
    for entry in shipped_analysis.ranking[:3]:
        assert f"{entry.score:.4f}" in first
    gap = shipped_analysis.ranking[0].score - shipped_analysis.ranking[1].score
    assert any(f"{gap:.4f}" in p for p in points)


def test_ranking_table_matches_cli_json(memo_zh, shipped_analysis):
    tables = [b for b in section(memo_zh, "二、对策排序") if isinstance(b, Table)]
    assert len(tables) == 1
    with contextlib.chdir(ROOT):
        data = cli_json()
    expected = [(str(e["rank"]), e["name"]["zh"], f"{e['score']:.4f}") for e in data["ranking"]]
    assert list(tables[0].rows) == expected


def test_method_comparison_lists_every_method(memo_zh, shipped_analysis):
    blocks = section(memo_zh, "四、稳健性")
    table = next(b for b in blocks if isinstance(b, Table))
    assert len(table.header) == 1 + len(METHODS)
    assert "（本方案）" in table.header[1 + METHODS.index("topsis")]
    for row, entry in zip(table.rows, shipped_analysis.ranking, strict=True):
        index = [item.id for item in shipped_analysis.problem.countermeasures].index(entry.id)
        ranks = [str(int(shipped_analysis.results[m].ranks[index])) for m in METHODS]
        assert list(row) == [entry.name.zh, *ranks]
    text = " ".join(b.text for b in blocks if isinstance(b, Paragraph))
    for agreement in shipped_analysis.agreement:
        if "topsis" in (agreement.first, agreement.second):
            assert f"ρ={agreement.spearman:.2f}" in text
            assert f"τ={agreement.kendall:.2f}" in text
    gaps = np.abs(np.diff([e.score for e in shipped_analysis.ranking]))
    for gap in gaps:
        assert f"{gap:.4f}" in text


def test_robustness_notes_are_plugged_in(shipped_analysis):
    notes = RobustnessSummary(
        verdicts=(Text("首位在92%的权重抽样中不变。", "The leader stays first in 92% of weight samples."),),
        figures=((Text("首位保持率", "Share of samples with the same leader"), "92%"),),
    )
    memo = build_memo(shipped_analysis, lang="en", robustness=notes, today=DAY)
    blocks = section(memo, "4. How firmly the order holds")
    assert blocks[0] == Paragraph("The leader stays first in 92% of weight samples.")
    figures = next(b for b in blocks if isinstance(b, Table))
    assert figures.rows == (("Share of samples with the same leader", "92%"),)
    key_points = section(memo, "Key points")[0].items
    assert any(p.text == "The leader stays first in 92% of weight samples." for p in key_points)
    # any object with verdicts (and optionally figures) will do
    duck = SimpleNamespace(verdicts=[Text("稳。", "Firm.")])
    memo = build_memo(shipped_analysis, lang="zh", robustness=duck, today=DAY)
    assert section(memo, "四、稳健性")[0] == Paragraph("稳。")


def test_weights_section_lists_criteria_and_consistency(memo_zh, shipped_analysis, shipped):
    blocks = section(memo_zh, "五、方法与权重")
    tables = [b for b in blocks if isinstance(b, Table)]
    weights = tables[0]
    assert [row[1] for row in weights.rows] == [leaf.name.zh for leaf in shipped.leaves]
    assert [row[4] for row in weights.rows] == [f"{100 * w:.1f}%" for w in shipped_analysis.weights]
    consistency = tables[1]
    assert len(consistency.rows) == len(shipped_analysis.consistency)
    assert consistency.rows[0][:2] == ("总目标", "综合判断")
    crs = [f"{c.result.cr:.4f}" for c in shipped_analysis.consistency]
    assert [row[3] for row in consistency.rows] == crs
    text = all_text(memo_zh)
    for expert in shipped.criteria.experts:
        assert expert.name.zh in text


def test_preset_and_manual_weights_are_named(shipped):
    preset = shipped.presets[0]
    memo = build_memo(run(shipped, Settings().with_preset(preset.id)), lang="zh", today=DAY)
    text = all_text(memo)
    assert f"预设方案“{preset.name.zh}”" in text and preset.description.zh in text
    assert "判断矩阵一致性检验" not in text  # AHP consistency only when AHP gave the weights
    manual = Settings().with_manual_weights(dict.fromkeys(shipped.leaf_ids, 1.0))
    assert "手动设定" in all_text(build_memo(run(shipped, manual), lang="zh", today=DAY))


def test_english_memo_has_no_chinese(memo_en):
    found = CJK.findall(all_text(memo_en))
    assert not found, f"Chinese in the English memo: {''.join(found[:20])}"
    for fmt in ("md", "html"):
        found = CJK.findall(render(memo_en, fmt).decode("utf-8"))
        assert not found, f"Chinese in the English {fmt}: {''.join(found[:20])}"


def test_chinese_memo_uses_chinese_names(memo_zh, shipped):
    text = all_text(memo_zh)
    for item in shipped.countermeasures:
        assert item.name.zh in text
        assert item.name.en not in text


def test_appendix_yaml_and_command_reproduce_the_ranking(tmp_path, shipped):
    settings = Settings(method="wsm", normalization="vector").with_preset(shipped.presets[-1].id)
    analysis = run(shipped, settings)
    memo = build_memo(analysis, lang="zh", today=DAY)
    yaml_block = memo.find(Preformatted, lambda b: b.syntax == "yaml")[0]
    command = memo.find(Preformatted, lambda b: b.syntax == "shell")[0].text
    assert command == reproduce_command(analysis)
    profile = yaml.safe_load(yaml_block.text)
    assert profile["settings"]["method"] == "wsm"
    (tmp_path / "memo-weights.yaml").write_text(yaml_block.text, encoding="utf-8")
    argv = shlex.split(command)
    assert argv[:2] == ["policyrank", "rank"]
    with contextlib.chdir(tmp_path):
        data = cli_json(*argv[2:-2])
    table = memo.find(Table)[0]
    names = {item.id: item.name.zh for item in shipped.countermeasures}
    ranked = [(str(e["rank"]), names[e["id"]], f"{e['score']:.4f}") for e in data["ranking"]]
    assert ranked == list(table.rows)


def test_command_names_non_default_inputs(mini):
    command = reproduce_command(run(mini, Settings()))
    assert "--criteria tests/fixtures/mini/criteria.yaml" in command
    assert "--data tests/fixtures/mini/countermeasures.yaml" in command
    assert command.endswith("--weights memo-weights.yaml --method topsis --format json")


def test_sha256_of_every_input_file(memo_zh, shipped):
    table = next(b for b in section(memo_zh, "附录") if isinstance(b, Table))
    assert dict(table.rows) == dict(shipped.sources)
    assert all(re.fullmatch(r"[0-9a-f]{64}", digest) for _, digest in table.rows)


def test_small_problems_and_bad_language(mini):
    analysis = run(mini, Settings())
    memo = build_memo(analysis, lang="zh", today=dt.date(2024, 12, 31))
    assert list(memo.headings(1)) == ZH_SECTIONS
    with pytest.raises(ValueError, match="unknown memo language 'fr'"):
        build_memo(analysis, lang="fr")  # type: ignore[arg-type]


def test_table_rows_must_fit_the_header():
    with pytest.raises(ValueError, match="has 1 cells, the header 2"):
        Table(header=("a", "b"), rows=(("x",),))


@pytest.fixture(scope="module")
def study(shipped, shipped_analysis):
    from engine.robustness.study import analyze

    return analyze(shipped, shipped_analysis.settings, analysis=shipped_analysis, samples=2000)


def test_robustness_study_goes_into_section_four(shipped_analysis, study):
    memo = build_memo(shipped_analysis, lang="zh", robustness=study, today=DAY)
    blocks = section(memo, "四、稳健性")
    table = next(b for b in blocks if isinstance(b, Table))
    assert table.header[2] == "保持该名次的抽样占比"
    for row, verdict, entry in zip(table.rows, study.verdicts, shipped_analysis.ranking, strict=True):
        assert row[:3] == (str(verdict.rank), entry.name.zh, f"{100 * verdict.share:.1f}%")
        assert row[4] == f"{verdict.agreeing}/{verdict.choices}"
    paragraphs = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert study.reversal_note.zh in paragraphs
    assert study.verdicts[0].text.zh in [p.text for p in section(memo, "核心观点")[0].items]
    english = all_text(build_memo(shipped_analysis, lang="en", robustness=study, today=DAY))
    assert not CJK.findall(english)


def test_robustness_study_must_match_the_analysis(shipped, study):
    other = run(shipped, Settings(method="wsm"))
    with pytest.raises(ValueError, match="belongs to another analysis"):
        build_memo(other, robustness=study, today=DAY)
