"""Screening: spec validation, streaming == in-memory engine.mcda.methods, the CLI end to end."""

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from numpy.testing import assert_allclose, assert_array_equal

import engine.screening.tables
from engine.cli.main import main
from engine.errors import InputError
from engine.mcda.ahp import pairwise_matrix, priorities
from engine.mcda.methods import topsis, wsm
from engine.mcda.ranking import rank
from engine.screening import (
    load_spec,
    parse_spec,
    profile_upload,
    result_bytes,
    screen,
    screen_upload,
    write_result,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "firms_sample.csv"
SAMPLE_SPEC = ROOT / "data" / "screen_spec.yaml"


def base_spec(**changes):
    spec = {
        "id": "firm",
        "keep": ["label"],
        "missing": "error",
        "criteria": [
            {"column": "a", "direction": "benefit", "weight": 3},
            {"column": "b", "direction": "cost", "weight": 2},
            {"column": "c", "direction": "benefit", "weight": 1},
        ],
    }
    spec.update(changes)
    return spec


def random_table(rng, rows):
    return pd.DataFrame(
        {
            "firm": [f"F{i:05d}" for i in range(rows)],
            "label": rng.choice(["=cmd", "甲", "乙", "+1"], rows),
            "group": rng.choice(["x", "y", "z"], rows),
            "a": rng.random(rows) * 100,
            "b": rng.random(rows) * 5 + 1,
            "c": rng.integers(0, 50, rows).astype(float),
        }
    )


def in_memory(frame, spec):
    """The reference: filter and fill in pandas, then engine.mcda.methods on the whole matrix."""
    keep = np.ones(len(frame), dtype=bool)
    for f in spec.filters:
        values = frame[f.column]
        if f.op == "in":
            keep &= values.isin(f.value).to_numpy()
        elif f.op == "not_in":
            keep &= ~values.isin(f.value).to_numpy()
        elif f.op == "min":
            keep &= (values >= f.value).to_numpy()
        elif f.op == "max":
            keep &= (values <= f.value).to_numpy()
        else:
            keep &= (values == f.value).to_numpy()
    sub = frame[keep]
    x = sub[list(spec.columns)].to_numpy(dtype=float)
    d = spec.directions
    if spec.missing == "drop":
        complete = ~np.isnan(x).any(axis=1)
        sub, x = sub[complete], x[complete]
    elif spec.missing == "worst":
        worst = np.where(d > 0, np.nanmin(x, axis=0), np.nanmax(x, axis=0))
        x = np.where(np.isnan(x), worst, x)
    fn = topsis if spec.method == "topsis" else wsm
    bounds = spec.bounds
    scores = fn(x, spec.weights, d, spec.normalization, bounds=bounds)
    return sub.reset_index(drop=True), scores


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("chunk_rows", [13, 128, 100_000])
@pytest.mark.parametrize(
    ("method", "normalization", "missing"),
    [
        ("topsis", "vector", "drop"),
        ("topsis", "minmax", "worst"),
        ("wsm", "max", "worst"),
        ("wsm", "sum", "drop"),
    ],
)
def test_streaming_equals_in_memory(tmp_path, fmt, chunk_rows, method, normalization, missing):
    rng = np.random.default_rng(chunk_rows + len(method) + len(normalization))
    frame = random_table(rng, 600)
    frame.loc[rng.random(600) < 0.05, "c"] = np.nan
    path = tmp_path / f"t.{fmt}"
    frame.to_csv(path, index=False) if fmt == "csv" else frame.to_parquet(path, index=False)
    doc = base_spec(
        method=method,
        normalization=normalization,
        missing=missing,
        filters=[{"column": "group", "in": ["x", "y"]}, {"column": "a", "min": 5}],
    )
    spec = parse_spec(doc, "spec.yaml")
    sub, expected = in_memory(frame, spec)
    result = screen(path, spec, top=None, chunk_rows=chunk_rows)
    got = result.ranked
    assert_array_equal(got["firm"].to_numpy(), sub["firm"].to_numpy())
    assert_allclose(got["score"].to_numpy(), expected, rtol=0, atol=1e-12)
    assert_array_equal(got["rank"].to_numpy(), rank(expected))
    top = screen(path, spec, top=25, chunk_rows=chunk_rows).ranked
    order = np.lexsort((np.arange(len(expected)), -expected))[:25]
    assert_array_equal(top["firm"].to_numpy(), sub["firm"].to_numpy()[order])
    assert_array_equal(top["rank"].to_numpy(), rank(expected)[order])
    assert result.rows_ranked == len(sub)


def test_single_row_chunks(tmp_path):
    frame = random_table(np.random.default_rng(9), 40)
    path = tmp_path / "t.csv"
    frame.to_csv(path, index=False)
    spec = parse_spec(base_spec(), "spec.yaml")
    _, expected = in_memory(frame, spec)
    assert_allclose(screen(path, spec, top=None, chunk_rows=1).ranked["score"], expected, atol=1e-12)


def test_bounds_and_ahp_weights(tmp_path):
    frame = random_table(np.random.default_rng(3), 300)
    path = tmp_path / "t.csv"
    frame.to_csv(path, index=False)
    doc = base_spec(
        method="wsm",
        judgments=[
            {"a": "a", "b": "b", "value": 3},
            {"a": "a", "b": "c", "value": 5},
            {"a": "b", "b": "c", "value": 2},
        ],
    )
    for item in doc["criteria"]:
        del item["weight"]
    doc["criteria"][0]["bounds"] = [0, 200]
    spec = parse_spec(doc, "spec.yaml")
    expected_weights = priorities(pairwise_matrix(3, [(0, 1, 3), (0, 2, 5), (1, 2, 2)])).weights
    assert_allclose(spec.weights, expected_weights)
    assert spec.normalization == "minmax" and spec.ahp is not None
    got = screen(path, spec, top=None, chunk_rows=64).ranked["score"].to_numpy()
    x = frame[["a", "b", "c"]].to_numpy()
    bounds = [[0, 200], [x[:, 1].min(), x[:, 1].max()], [x[:, 2].min(), x[:, 2].max()]]
    assert_allclose(got, wsm(x, expected_weights, [1, -1, 1], "minmax", bounds=bounds), atol=1e-12)


def test_output_files_are_formula_safe_and_atomic(tmp_path):
    frame = random_table(np.random.default_rng(4), 200)
    path = tmp_path / "t.parquet"
    frame.to_parquet(path, index=False)
    result = screen(path, parse_spec(base_spec(), "spec.yaml"), top=50)
    write_result(result, tmp_path / "top.csv")
    text = (tmp_path / "top.csv").read_text(encoding="utf-8")
    assert "'=cmd" in text or "'+1" in text
    assert not any(line.split(",")[3].startswith(("=", "+")) for line in text.splitlines()[1:])
    write_result(result, tmp_path / "top.parquet")
    back = pd.read_parquet(tmp_path / "top.parquet")
    assert list(back["firm"]) == list(result.ranked["firm"])
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# ------------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"method": "vikor"}, r"spec\.yaml: method: expected one of topsis, wsm, got 'vikor'"),
        ({"missing": "zero"}, r"missing: expected one of drop, worst, error, got 'zero'"),
        ({"normalization": "l3"}, r"normalization: expected one of vector, minmax, max, sum"),
        ({"colour": 1}, r"colour: unknown key 'colour'"),
        ({"criteria": []}, r"criteria: expected at least 1 item"),
        ({"filters": [{"column": "group", "contains": "x"}]}, r"filters\[0\]\.contains: unknown key"),
        (
            {"filters": [{"column": "group"}]},
            r"filters\[0\]: expected exactly one of in, not_in, min, max, equals",
        ),
        ({"filters": [{"column": "a", "min": "big"}]}, r"filters\[0\]\.min: expected a number, got"),
        ({"filters": [{"column": "a", "in": "x"}]}, r"filters\[0\]\.in: expected a list"),
    ],
)
def test_spec_messages(change, message):
    with pytest.raises(InputError, match=message):
        parse_spec(base_spec(**change), "spec.yaml")


@pytest.mark.parametrize(
    ("criterion", "message"),
    [
        (
            {"column": "a", "direction": "up", "weight": 1},
            r"criteria\[0\]\.direction: expected benefit or cost, got 'up'",
        ),
        (
            {"column": "a", "direction": "cost", "weight": -1},
            r"criteria\[0\]\.weight: expected a number in 0\.\.",
        ),
        ({"column": "a", "direction": "cost"}, r"criteria\[0\]: missing key 'weight'"),
        ({"column": "a", "direction": "cost", "weight": 1, "bounds": [5, 1]}, r"bounds: expected low < high"),
        (
            {"column": "b", "direction": "cost", "weight": 1},
            r"criteria\[1\]\.column: column 'b' is already criterion 0",
        ),
    ],
)
def test_criterion_messages(criterion, message):
    doc = base_spec()
    doc["criteria"][0] = criterion
    with pytest.raises(InputError, match=message):
        parse_spec(doc, "spec.yaml")


def test_judgment_messages():
    doc = base_spec(judgments=[{"a": "a", "b": "zz", "value": 3}])
    for item in doc["criteria"]:
        del item["weight"]
    with pytest.raises(InputError, match=r"judgments\[0\]\.b: expected one of the criteria's columns"):
        parse_spec(doc, "spec.yaml")
    doc["judgments"] = [{"a": "a", "b": "b", "value": 3}]
    with pytest.raises(InputError, match=r"spec\.yaml: judgments: missing judgment for pair"):
        parse_spec(doc, "spec.yaml")
    doc["judgments"] = [{"a": "a", "b": "b", "value": 30}]
    with pytest.raises(InputError, match=r"judgments\[0\]\.value: expected a number in"):
        parse_spec(doc, "spec.yaml")
    both = base_spec(judgments=[])
    with pytest.raises(InputError, match=r"criteria\[0\]\.weight: give weights or judgments, not both"):
        parse_spec(both, "spec.yaml")
    bounded = base_spec(normalization="vector")
    bounded["criteria"][0]["bounds"] = [0, 100]
    with pytest.raises(InputError, match=r"normalization: fixed bounds need 'minmax', got 'vector'"):
        parse_spec(bounded, "spec.yaml")


def table_error(tmp_path, frame, doc, fmt="csv"):
    path = tmp_path / f"t.{fmt}"
    frame.to_csv(path, index=False) if fmt == "csv" else frame.to_parquet(path, index=False)
    with pytest.raises(InputError) as info:
        screen(path, parse_spec(doc, "spec.yaml"), chunk_rows=7)
    return str(info.value)


def test_table_messages(tmp_path):
    rng = np.random.default_rng(5)
    frame = random_table(rng, 30)
    doc = base_spec()
    bad = dict(
        doc, criteria=[*doc["criteria"][:2], {"column": "revenue", "direction": "benefit", "weight": 1}]
    )
    assert "criteria[2].column: column 'revenue' is not in t.csv" in table_error(
        tmp_path, frame, bad
    ).replace(str(tmp_path) + "/", "")
    text = frame.astype({"c": object})
    text.loc[12, "c"] = "12 units"
    assert table_error(tmp_path, text, doc).endswith("row 13, column 'c': expected a number, got '12 units'")
    assert table_error(tmp_path, frame.astype({"c": str}), doc, "parquet").endswith(
        "column 'c': expected a numeric column, got large_string"
    )
    gap = frame.copy()
    gap.loc[20, "b"] = np.nan
    assert table_error(tmp_path, gap, doc).endswith(
        "row 21, column 'b': missing value (the spec says missing: error; use drop or worst to allow gaps)"
    )
    infinite = frame.copy()
    infinite.loc[3, "a"] = np.inf
    assert table_error(tmp_path, infinite, doc, "parquet").endswith(
        "row 4, column 'a': expected a finite number, got inf"
    )
    negative = frame.copy()
    negative.loc[8, "a"] = -2.0
    assert "row 9, column 'a': 'max' normalization needs values >= 0, got -2" in table_error(
        tmp_path, negative, dict(doc, normalization="max")
    )
    bounded = base_spec()
    bounded["criteria"][0]["bounds"] = [0, 10]
    assert "column 'a': value" in table_error(tmp_path, frame, bounded)
    assert "lies outside the spec's bounds [0, 10]" in table_error(tmp_path, frame, bounded)
    text_filter = base_spec(filters=[{"column": "group", "min": 3}])
    assert "filters[0].min: min needs a numeric column; 'group'" in table_error(tmp_path, frame, text_filter)
    none_left = base_spec(filters=[{"column": "group", "in": ["nobody"]}])
    assert table_error(tmp_path, frame, none_left).endswith(
        "no rows left to rank after the spec's filters and missing-value policy"
    )


def test_table_file_messages(tmp_path):
    spec = parse_spec(base_spec(), "spec.yaml")
    with pytest.raises(InputError, match="file not found"):
        screen(tmp_path / "none.csv", spec)
    (tmp_path / "t.xlsx").write_bytes(b"x")
    with pytest.raises(InputError, match=r"expected a \.csv or \.parquet table, got '\.xlsx'"):
        screen(tmp_path / "t.xlsx", spec)
    (tmp_path / "t.parquet").write_bytes(b"not parquet")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        screen(tmp_path / "t.parquet", spec)
    with pytest.raises(InputError, match=r"--top: expected a positive number, got 0"):
        screen(SAMPLE, load_spec(SAMPLE_SPEC), top=0)


# -------------------------------------------------------------------------------- the sample


def test_sample_spec_is_consistent_and_ranks_the_sample():
    spec = load_spec(SAMPLE_SPEC)
    assert spec.ahp is not None and spec.ahp.cr < 0.10
    result = screen(SAMPLE, spec, top=None, chunk_rows=512)
    frame = pd.read_csv(SAMPLE)
    sub, expected = in_memory(frame, spec)
    assert set(sub["function"]) == {"研发中心", "区域总部"}
    assert_allclose(result.ranked["score"].to_numpy(), expected, atol=1e-12)
    assert frame[["patents", "relocation_risk"]].isna().any().all()  # the worst-value policy is exercised


def test_cli_end_to_end(tmp_path):
    out = tmp_path / "ranked.csv"
    args = ["screen", "--table", str(SAMPLE), "--spec", str(SAMPLE_SPEC), "--top", "15", "--out", str(out)]
    assert main(args) == 0
    ranked = pd.read_csv(out)
    assert len(ranked) == 15 and list(ranked["rank"]) == sorted(ranked["rank"])
    assert list(ranked.columns[:4]) == ["rank", "row", "firm_id", "name"]


def test_cli_bad_spec_is_one_line_and_exit_2(tmp_path):
    spec = yaml.safe_load(SAMPLE_SPEC.read_text(encoding="utf-8"))
    spec["id"] = "firm_no"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "engine.cli", "screen", "--table", str(SAMPLE), "--spec", str(bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "bad.yaml: id: column 'firm_no' is not in" in lines[0]
    assert "(columns: firm_id, name, city," in lines[0]


def test_cli_prints_a_table_without_out(capsys):
    assert (
        main(["screen", "--table", str(SAMPLE), "--spec", str(SAMPLE_SPEC), "--top", "3", "--method", "wsm"])
        == 0
    )
    captured = capsys.readouterr()
    assert len(captured.out.strip().splitlines()) == 2 + 3
    assert captured.err.startswith("WSM (minmax), weights from AHP")


# ------------------------------------------------------------------------- uploads (the app)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_an_upload_screens_like_the_file_on_disk(tmp_path, fmt):
    frame = random_table(np.random.default_rng(11), 500)
    path = tmp_path / f"t.{fmt}"
    frame.to_csv(path, index=False) if fmt == "csv" else frame.to_parquet(path, index=False)
    spec = parse_spec(base_spec(filters=[{"column": "group", "not_in": ["z"]}]), "spec.yaml")
    on_disk = screen(path, spec, top=40, chunk_rows=64)
    uploaded = screen_upload(path.read_bytes(), f"mine.{fmt}", spec, top=40, chunk_rows=64)
    assert_array_equal(uploaded.ranked["firm"].to_numpy(), on_disk.ranked["firm"].to_numpy())
    assert_array_equal(uploaded.ranked["score"].to_numpy(), on_disk.ranked["score"].to_numpy())
    assert (uploaded.rows_read, uploaded.rows_ranked) == (on_disk.rows_read, on_disk.rows_ranked)


def test_upload_messages_name_the_upload_not_a_temporary_file(tmp_path):
    frame = random_table(np.random.default_rng(12), 30).astype({"c": object})
    frame.loc[4, "c"] = "many"
    data = frame.to_csv(index=False).encode("utf-8")
    spec = parse_spec(base_spec(), "spec.yaml")
    with pytest.raises(InputError, match=r"^mine\.csv: row 5, column 'c': expected a number, got 'many'$"):
        screen_upload(data, "mine.csv", spec)
    wrong = parse_spec(base_spec(id="firm_no"), "spec.yaml")
    with pytest.raises(
        InputError, match=r"^spec\.yaml: id: column 'firm_no' is not in mine\.csv \(columns: firm,"
    ):
        screen_upload(data, "mine.csv", wrong)
    with pytest.raises(InputError, match=r"^mine\.xlsx: expected a \.csv or \.parquet table, got '\.xlsx'$"):
        screen_upload(b"PK\x03\x04", "mine.xlsx", spec)
    with pytest.raises(InputError, match=r"^mine\.csv: not a readable CSV file"):
        screen_upload(b"PK\x03\x04\x14\x00\xff\xfe\x00binary", "mine.csv", spec)
    with pytest.raises(InputError, match=r"^mine\.parquet: not a readable Parquet file"):
        screen_upload(data, "mine.parquet", spec)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_uploads_have_a_row_limit(tmp_path, fmt, monkeypatch):
    frame = random_table(np.random.default_rng(13), 120)
    path = tmp_path / f"t.{fmt}"
    frame.to_csv(path, index=False) if fmt == "csv" else frame.to_parquet(path, index=False)
    data = path.read_bytes()
    spec = parse_spec(base_spec(), "spec.yaml")
    message = r"^big\.\w+: more than 100 rows; an upload may have at most 100 \(screen larger tables"
    with pytest.raises(InputError, match=message):
        screen_upload(data, f"big.{fmt}", spec, max_rows=100, chunk_rows=16)
    with pytest.raises(InputError, match=message):
        profile_upload(data, f"big.{fmt}", max_rows=100)
    assert len(screen_upload(data, f"big.{fmt}", spec, max_rows=120, top=None).ranked) == 120
    # the default limit is the module's constant at call time
    monkeypatch.setattr(engine.screening.tables, "MAX_UPLOAD_ROWS", 100)
    with pytest.raises(InputError, match=message):
        screen_upload(data, f"big.{fmt}", spec)


SAMPLE_ROWS = 3000  # data/firms_sample.README.md


def test_the_sample_profile_lists_numeric_columns_and_text_values():
    profile = profile_upload(SAMPLE.read_bytes(), SAMPLE.name)
    frame = pd.read_csv(SAMPLE)
    assert profile.rows == len(frame) == SAMPLE_ROWS
    assert profile.columns == tuple(frame.columns)
    numeric = {c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]) or frame[c].dtype == bool}
    assert profile.numeric == numeric
    assert "cost_gap_wan" in numeric and "city" not in numeric
    assert profile.values["industry"] == tuple(sorted(frame["industry"].unique()))
    assert profile.values["function"] == ("区域总部", "生产基地", "研发中心")
    assert "name" not in profile.values and "firm_id" not in profile.values  # thousands of values


def test_profile_reads_text_that_only_looks_numeric_as_text(tmp_path):
    data = b"id,n,label\n1,2,x\n2,n/a,y\n3,4 units,x\n"
    profile = profile_upload(data, "t.csv")
    assert profile.numeric == {"id"}
    assert profile.values == {"n": ("2", "4 units"), "label": ("x", "y")}
    with pytest.raises(InputError, match=r"^empty\.csv: "):
        profile_upload(b"", "empty.csv")
    late = "n\n" + "1\n" * 1500 + "x\n" + "2\n" * 10  # the first text cell after many numbers
    assert profile_upload(late.encode(), "t.csv", max_rows=2000).numeric == frozenset()
    assert profile_upload(late.replace("x", "3").encode(), "t.csv").numeric == {"n"}


def test_result_bytes_are_what_write_result_writes(tmp_path):
    frame = random_table(np.random.default_rng(14), 200)
    path = tmp_path / "t.csv"
    frame.to_csv(path, index=False)
    result = screen(path, parse_spec(base_spec(), "spec.yaml"), top=60)
    write_result(result, tmp_path / "top.csv")
    data = result_bytes(result, "csv")
    assert data == (tmp_path / "top.csv").read_bytes()
    assert data.startswith(b"rank,row,firm,label,score,a,b,c\n")
    labels = [line.split(",")[3] for line in data.decode("utf-8").splitlines()[1:]]
    assert {"'=cmd", "'+1"} & set(labels) and not any(v.startswith(("=", "+")) for v in labels)
    back = pd.read_parquet(io.BytesIO(result_bytes(result, "parquet")))
    assert list(back["firm"]) == list(result.ranked["firm"])
    assert_array_equal(back["score"].to_numpy(), result.ranked["score"].to_numpy())
    with pytest.raises(InputError, match=r"format: expected csv or parquet, got 'xlsx'"):
        result_bytes(result, "xlsx")


def test_csv_export_keeps_negative_numbers_as_numbers():
    # text cells that look like formulas are neutralised; negative numbers must not be mistaken for them
    from engine.io.files import to_csv
    from engine.screening.export import _csv_row

    assert _csv_row((-2328.7, 1.5e-17, "=cmd", float("nan"))) == [-2328.7, 1.5e-17, "=cmd", ""]
    assert to_csv(["a", "b"], [_csv_row((-2328.7, "-x"))]).splitlines()[1] == "-2328.7,'-x"
