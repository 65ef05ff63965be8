"""The project files edits start from: the small test problem and the shipped Wuhan files."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.edit import ProjectFiles
from engine.load import DEFAULT_CRITERIA, DEFAULT_DATA, DEFAULT_EVIDENCE, preset_files

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"


def files_of(criteria: Path, catalogue: Path, evidence: Path) -> ProjectFiles:
    return ProjectFiles.of(
        {
            "criteria": (criteria.name, criteria.read_text(encoding="utf-8")),
            "catalogue": (catalogue.name, catalogue.read_text(encoding="utf-8")),
            "evidence": (evidence.name, evidence.read_text(encoding="utf-8")),
        },
        {f"presets/{p.name}": p.read_text(encoding="utf-8") for p in preset_files(criteria)},
    )


@pytest.fixture
def mini() -> ProjectFiles:
    return files_of(MINI / "criteria.yaml", MINI / "countermeasures.yaml", MINI / "evidence.yaml")


@pytest.fixture(scope="session")
def shipped() -> ProjectFiles:
    return files_of(Path(DEFAULT_CRITERIA), Path(DEFAULT_DATA), Path(DEFAULT_EVIDENCE))
