"""The screening page's spec documents, without Streamlit: defaults for a table, choices to a document."""

from __future__ import annotations

from types import MappingProxyType

import yaml

from engine.screening import SAMPLE_SPEC, TableProfile, parse_spec
from ui.screening_spec import (
    AUTO,
    STARTING_CRITERION_COUNT,
    Choices,
    build_document,
    cluster_values,
    default_document,
    label_column,
    starting_bound,
    starting_direction,
    starting_values,
    starting_weight,
)


def sample_document() -> dict:
    return yaml.safe_load(SAMPLE_SPEC.read_text(encoding="utf-8"))


def profile(columns, numeric, values=None) -> TableProfile:
    return TableProfile("t.csv", 10, tuple(columns), frozenset(numeric), MappingProxyType(values or {}))


def test_a_table_with_the_samples_columns_starts_from_the_samples_spec():
    sample = sample_document()
    columns = sorted({sample["id"], *sample["keep"], *(c["column"] for c in sample["criteria"])})
    columns += sorted({f["column"] for f in sample["filters"]} - set(columns))
    document = default_document(profile(columns, []), sample)
    assert document == sample and document is not sample


def test_another_table_starts_with_its_first_numeric_columns_at_equal_weights():
    columns = ["code", "name", "city", "a", "b", "c", "d"]
    document = default_document(profile(columns, ["a", "b", "c", "d"]), sample_document())
    assert document == {
        "method": "topsis",
        "id": "code",
        "keep": ["name"],
        "missing": "drop",
        "criteria": [
            {"column": c, "direction": "benefit", "weight": 1.0}
            for c in ["a", "b", "c", "d"][:STARTING_CRITERION_COUNT]
        ],
    }
    parse_spec(document, "page")  # the engine accepts it


def test_the_cluster_button_offers_only_the_industries_present():
    table = profile(["industry"], [], {"industry": ("生物医药", "集成电路", "新型显示")})
    assert cluster_values(table) == ["集成电路", "新型显示"]
    assert cluster_values(profile(["city"], [], {"city": ("上海",)})) == []


def test_widgets_start_from_the_document():
    document = {
        "id": "code",
        "criteria": [
            {"column": "a", "direction": "cost", "weight": 3.0},
            {"column": "b", "direction": "benefit"},
        ],
        "filters": [{"column": "city", "in": ["上海", "苏州"]}, {"column": "a", "min": 2}],
    }
    assert starting_direction(document, "a") == "cost" and starting_direction(document, "x") == "benefit"
    assert starting_weight(document, "a", None) == 1.0  # sliders run 0..1
    assert starting_weight(document, "b", {"b": 0.2345}) == 0.23
    assert starting_weight(document, "b", None) == 0.1
    assert starting_values(document, "city", ["北京", "上海"]) == ["上海"]
    assert starting_values(document, "industry", ["x", "y"]) == ["x", "y"]
    assert starting_bound(document, "a", "min") == 2.0 and starting_bound(document, "a", "max") is None
    assert label_column("code", ["name"]) == "name" and label_column("code", ["city"]) == "code"


def test_choices_make_a_document_the_engine_accepts():
    base = sample_document()
    choices = Choices(
        id_column="firm_id",
        keep=["name"],
        criteria=[("revenue_yi", "benefit", 0.7), ("cost_gap_wan", "benefit", 0.3)],
        ahp=False,
        filters=[{"column": "city", "in": ["上海"]}],
        method="wsm",
        normalization=AUTO,
        missing="worst",
    )
    document = build_document(base, choices)
    assert document == {
        "title": base["title"],
        "method": "wsm",
        "id": "firm_id",
        "keep": ["name"],
        "missing": "worst",
        "filters": [{"column": "city", "in": ["上海"]}],
        "criteria": [
            {"column": "revenue_yi", "direction": "benefit", "weight": 0.7},
            {"column": "cost_gap_wan", "direction": "benefit", "weight": 0.3},
        ],
    }
    spec = parse_spec(document, "page")
    assert spec.normalization == "minmax"  # AUTO leaves the method's default


def test_judged_choices_carry_the_base_judgments():
    base = sample_document()
    criteria = [(c["column"], c["direction"], None) for c in base["criteria"]]
    choices = Choices("firm_id", [], criteria, True, [], "topsis", "vector", "drop")
    document = build_document(base, choices)
    assert document["judgments"] == base["judgments"] and document["judgments"] is not base["judgments"]
    assert document["normalization"] == "vector"
    assert parse_spec(document, "page").ahp is not None
