"""``policyrank rank --format json`` for every method and weight source, against files recorded before the
engine moved into subpackages: a layout change must not move a single number.

The files were written by ``policyrank rank --method M [--weights P | --experts E | --normalization minmax
--ahp-method geometric] --format json`` with ``sources`` (the inputs' SHA-256, which change whenever a
reason text is corrected) left out. Keys added to the JSON later are not compared.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.cli.main import main

GOLDEN = Path(__file__).parent / "golden"
ROOT = Path(__file__).resolve().parents[1]


def _flags(stem: str) -> list[str]:
    _, method, variant = stem.split("_", 2)
    flags = ["--method", method]
    if variant == "exp1":
        flags += ["--experts", "analyst_default"]
    elif variant == "minmax_geo":
        flags += ["--normalization", "minmax", "--ahp-method", "geometric"]
    elif variant != "ahp":
        flags += ["--weights", variant]
    return flags


def _subset(actual, expected, place="$"):
    """Assert that every key and value of ``expected`` is in ``actual`` (floats to 1e-12)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), place
        for key, value in expected.items():
            assert key in actual, f"{place}.{key} missing"
            _subset(actual[key], value, f"{place}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), place
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            _subset(a, e, f"{place}[{i}]")
    elif isinstance(expected, float):
        assert actual == pytest.approx(expected, rel=1e-12, abs=1e-12), place
    else:
        assert actual == expected, place


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("rank_*.json")), ids=lambda p: p.stem)
def test_rank_json_matches_the_recorded_output(golden, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["rank", *_flags(golden.stem), "--format", "json"]) == 0
    actual = json.loads(capsys.readouterr().out)
    _subset(actual, json.loads(golden.read_text(encoding="utf-8")))
