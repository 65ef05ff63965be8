from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture
def mini_docs() -> dict[str, Any]:
    """The small test problem as plain, freely mutable documents."""
    return {
        "criteria": copy.deepcopy(read(MINI / "criteria.yaml")),
        "catalogue": copy.deepcopy(read(MINI / "countermeasures.yaml")),
        "evidence": copy.deepcopy(read(MINI / "evidence.yaml")),
        "preset": copy.deepcopy(read(MINI / "presets" / "even.yaml")),
    }
