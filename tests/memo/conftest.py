"""Shared memos for the memo tests: built once per session, since rendering a PDF takes a second."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from typing import Any

import pytest
from docx import Document

from engine.analysis import Analysis, run
from engine.cli.main import main
from engine.load import load_problem
from engine.memo import Memo, build_memo
from engine.model import Problem
from engine.robustness.study import Robustness, analyze
from engine.settings import Settings
from tests.conftest import MINI, ROOT

DAY = dt.date(2025, 3, 4)
MINI_ARGS = ["--criteria", str(MINI / "criteria.yaml"), "--data", str(MINI / "countermeasures.yaml")]


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
def shipped_study(shipped: Problem, shipped_analysis: Analysis) -> Robustness:
    """A small study of the shipped analysis: enough for the recommendation the brief states."""
    return analyze(shipped, shipped_analysis.settings, analysis=shipped_analysis, samples=2_000)


@pytest.fixture(scope="session")
def memo_zh(shipped_analysis: Analysis, shipped_study: Robustness) -> Memo:
    return build_memo(shipped_analysis, lang="zh", robustness=shipped_study, today=DAY)


@pytest.fixture(scope="session")
def memo_en(shipped_analysis: Analysis, shipped_study: Robustness) -> Memo:
    return build_memo(shipped_analysis, lang="en", robustness=shipped_study, today=DAY)


@pytest.fixture(scope="session")
def mini() -> Problem:
    with contextlib.chdir(ROOT):
        return load_problem(MINI / "criteria.yaml", MINI / "countermeasures.yaml")
