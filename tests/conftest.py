from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent

# Hypothesis's timing checks (a deadline per example, "too slow" data generation) measure the
# machine, not the code: on a loaded two-core CI runner the merge test's documents once took 2 s
# to draw and the run failed. What the tests check is what they assert.
settings.register_profile("policyrank", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("policyrank")
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
