"""Shared memos for the memo tests: built once per session, since rendering a PDF takes a second."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from docx import Document

from engine.analysis import Analysis, run
from engine.cli.main import main
from engine.load import load_problem
from engine.memo import Memo, build_memo, render
from engine.model import Problem
from engine.settings import Settings
from tests.conftest import MINI, ROOT

DAY = dt.date(2025, 3, 4)
MINI_ARGS = ["--criteria", str(MINI / "criteria.yaml"), "--data", str(MINI / "countermeasures.yaml")]
ZH_SECTIONS = [
    "核心观点",
    "一、形势研判",
    "二、对策排序",
    "三、对策建议",
    "四、稳健性",
    "五、方法与权重",
    "附录",
]
EN_SECTIONS = [
    "Key points",
    "1. The situation",
    "2. Ranking of the countermeasures",
    "3. Recommendations",
    "4. How firmly the order holds",
    "5. Method and weights",
    "Appendix",
]
# Han characters, CJK punctuation and full-width forms
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def cli_json(*args: str) -> dict[str, Any]:
    """``policyrank rank ... --format json`` through the real entry point."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["rank", *args, "--format", "json"])
    assert code == 0
    return json.loads(out.getvalue())


def docx_text(data: bytes) -> str:
    """Every piece of text a reader sees in a .docx: paragraphs, table cells, footer."""
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


@pytest.fixture(scope="session")
def shipped() -> Problem:
    if not (ROOT / "data" / "countermeasures.yaml").exists():
        pytest.skip("the shipped catalogue is not there yet")
    with contextlib.chdir(ROOT):
        return load_problem()


@pytest.fixture(scope="session")
def shipped_analysis(shipped: Problem) -> Analysis:
    return run(shipped, Settings())


@pytest.fixture(scope="session")
def memo_zh(shipped_analysis: Analysis) -> Memo:
    return build_memo(shipped_analysis, lang="zh", today=DAY)


@pytest.fixture(scope="session")
def memo_en(shipped_analysis: Analysis) -> Memo:
    return build_memo(shipped_analysis, lang="en", today=DAY)


@pytest.fixture(scope="session")
def docx_zh(memo_zh: Memo) -> bytes:
    return render(memo_zh, "docx")


@pytest.fixture(scope="session")
def docx_en(memo_en: Memo) -> bytes:
    return render(memo_en, "docx")


@pytest.fixture(scope="session")
def pdf_zh(memo_zh: Memo) -> bytes:
    return render(memo_zh, "pdf")


@pytest.fixture(scope="session")
def pdf_en(memo_en: Memo) -> bytes:
    return render(memo_en, "pdf")


@pytest.fixture(scope="session")
def mini() -> Problem:
    with contextlib.chdir(ROOT):
        return load_problem(MINI / "criteria.yaml", MINI / "countermeasures.yaml")
