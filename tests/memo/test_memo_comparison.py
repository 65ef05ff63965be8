"""方案比较 in the memo: the annex opens with the saved scenarios' ranks side by side, in every format,
from the Python API and from ``policyrank memo --compare``."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from engine.analysis import Analysis
from engine.cli.main import main
from engine.memo import FORMATS, Table, build_memo, render
from engine.settings import Settings
from engine.store import open_store
from tests.memo.conftest import DAY, docx_text

TALENT = Settings(weight_source="preset", preset="talent_first")
FISCAL = Settings(weight_source="preset", preset="fiscal_prudence", method="vikor")


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throwaway workspace with three scenarios of the shipped project (POLICYRANK_DB names it)."""
    path = tmp_path / "workspace.sqlite"
    monkeypatch.setenv("POLICYRANK_DB", str(path))
    store = open_store()
    store.save_scenario("wuhan", "默认", Settings())
    store.save_scenario("wuhan", "人才优先", TALENT)
    store.save_scenario("wuhan", "财政审慎 <b>", FISCAL)
    store.close()
    return path


@pytest.fixture
def compared(database: Path) -> dict[str, Any]:
    store = open_store()
    try:
        return store.compare("wuhan", ["默认", "人才优先", "财政审慎 <b>"], firmness_samples=500)
    finally:
        store.close()


def comparison_table(memo) -> Table:
    return memo.find(Table, lambda t: "附表1" in t.caption or "Annex table 1." in t.caption)[0]


def test_the_annex_opens_with_the_comparison(shipped_analysis: Analysis, compared: dict[str, Any]):
    memo = build_memo(shipped_analysis, lang="zh", comparison=compared, today=DAY)
    annex = memo.headings(level=1)
    assert annex[annex.index("附件　技术说明") + 1] == "一、方案比较"
    table = comparison_table(memo)
    assert table.header == ("对策", "默认", "人才优先", "财政审慎 <b>")
    assert len(table.rows) == len(shipped_analysis.ranking) + 1  # a row per countermeasure, then the leaders
    ranks = {row[0]: row[1:] for row in table.rows}
    assert ranks["营商环境"] == ("1", "4（降3）", "2（降1）")
    assert ranks["人才强市"][:2] == ("4", "1（升3）")
    leaders = table.rows[-1]
    assert leaders[0] == "居首（把握程度）"
    assert leaders[2].startswith("人才强市（") and leaders[2].endswith("）")


def test_without_a_comparison_the_annex_is_as_before(shipped_analysis: Analysis):
    memo = build_memo(shipped_analysis, lang="en", today=DAY)
    assert "A1. Ranking under every method" in memo.headings(level=1)
    assert "Scenario comparison" not in " ".join(memo.headings())


def test_the_sentence_says_what_differs(shipped_analysis: Analysis, compared: dict[str, Any]):
    memo = build_memo(shipped_analysis, lang="en", comparison=compared, today=DAY)
    text = render(memo, "md").decode("utf-8")
    start = text.index("## A1. Scenario comparison")
    section = text[start : text.index("## A2.")]
    assert "First place differs: Business climate under “默认”, Talent City 2.0 under “人才优先”" in section
    assert "the weights differ most on “talent retention and attraction”" in section
    assert "Business climate moves most (1st to 4th)" in section
    assert "| Business climate | 1 | 4 (down 3) | 2 (down 1) |" in section
    assert "<b>" not in section  # a scenario name is text, escaped by the renderer


def test_leaders_without_firmness_are_named_alone(shipped_analysis: Analysis, database: Path):
    store = open_store()
    document = store.compare("wuhan", ["默认", "人才优先"])
    store.close()
    table = comparison_table(build_memo(shipped_analysis, lang="zh", comparison=document, today=DAY))
    assert table.rows[-1] == ("居首", "营商环境", "人才强市")


def test_two_to_four_scenarios(shipped_analysis: Analysis, compared: dict[str, Any]):
    with pytest.raises(ValueError, match="two to four"):
        build_memo(shipped_analysis, comparison={**compared, "scenarios": compared["scenarios"][:1]})


def test_every_renderer_draws_it(shipped_analysis: Analysis, compared: dict[str, Any]):
    memo = build_memo(shipped_analysis, lang="zh", comparison=compared, today=DAY)
    for fmt in FORMATS:
        assert render(memo, fmt)  # no renderer trips over the table's width or its text


def test_the_section_is_in_the_docx(shipped_analysis: Analysis, compared: dict[str, Any]):
    data = render(build_memo(shipped_analysis, lang="zh", comparison=compared, today=DAY), "docx")
    text = docx_text(data)
    assert "一、方案比较" in text and "附表1　各方案下的对策名次" in text
    document = Document(io.BytesIO(data))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "对策")
    assert [c.text for c in table.rows[0].cells] == ["对策", "默认", "人才优先", "财政审慎 <b>"]
    first = next(r for r in table.rows if r.cells[0].text == "营商环境")
    assert [c.text for c in first.cells[1:]] == ["1", "4（降3）", "2（降1）"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_section_is_in_the_pdf(shipped_analysis: Analysis, compared: dict[str, Any], tmp_path: Path):
    path = tmp_path / "memo.pdf"
    path.write_bytes(render(build_memo(shipped_analysis, lang="en", comparison=compared, today=DAY), "pdf"))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "A1. Scenario comparison" in text
    assert "First place differs" in text and "4 (down 3)" in text


def test_cli_memo_compare(database: Path, tmp_path: Path, capsys):
    out = tmp_path / "memo.docx"
    scenarios = ["--scenario", "人才优先", "--compare", "默认", "人才优先"]
    code = main(["memo", *scenarios, "--samples", "300", "--date", "2025-03-04", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    text = docx_text(out.read_bytes())
    assert "一、方案比较" in text and "居首（把握程度）" in text
    # --scenario ranks the talent-first scenario: the brief leads with its leader
    assert "人才强市" in text.split("附件")[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--compare", "默认"], "--compare: expected two to four scenarios, got 1"),
        (["--compare", "默认", "默认"], "--compare: a scenario is named twice"),
        (["--compare", "默认", "无此方案"], "--scenario: no scenario '无此方案' in project 'wuhan'"),
        (["--compare", "默认", "人才优先", "--project", "nowhere"], "--project: no project 'nowhere'"),
    ],
)
def test_cli_memo_compare_refuses_bad_names(database: Path, tmp_path: Path, capsys, args, message):
    out = tmp_path / "memo.md"
    assert main(["memo", *args, "--no-robustness", "--out", str(out)]) == 2
    assert capsys.readouterr().err.startswith(message)
    assert not out.exists()
