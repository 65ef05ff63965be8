"""scripts/make_firms_table.py: chunked writing gives the same file for a seed, whatever the chunk size."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_script():
    spec = importlib.util.spec_from_file_location(
        "make_firms_table", ROOT / "scripts" / "make_firms_table.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


script = load_script()


def test_the_shipped_sample_is_what_its_readme_command_writes(tmp_path):
    # data/firms_sample.README.md: --rows 3000 --seed 2026 --missing 0.03
    out = tmp_path / "firms.csv"
    script.write_firms(out, 3000, seed=2026, missing=0.03, chunk_rows=700)
    assert out.read_bytes() == (ROOT / "data" / "firms_sample.csv").read_bytes()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_the_chunk_size_does_not_change_the_file(tmp_path, suffix):
    files = []
    for chunk_rows in (1000, 2500, script.CHUNK_ROWS):
        out = tmp_path / f"firms_{chunk_rows}{suffix}"
        script.write_firms(out, 5001, seed=7, extra=2, missing=0.1, chunk_rows=chunk_rows)
        files.append(out.read_bytes())
    assert files[0] == files[1] == files[2]
    frame = pd.read_csv(tmp_path / f"firms_1000{suffix}") if suffix == ".csv" else pd.read_parquet(out)
    assert len(frame) == 5001 and list(frame.columns[-2:]) == ["extra_01", "extra_02"]
    assert frame["firm_id"].iloc[-1] == "F0005001" and frame["patents"].isna().any()


def test_progress_is_one_line_per_tenth_and_no_temporary_file_is_left(tmp_path):
    stream = io.StringIO()
    script.write_firms(tmp_path / "firms.parquet", 20_000, seed=1, chunk_rows=1000, progress=stream)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "writing firms.parquet: 10% (2,000 of 20,000 rows)"
    assert len(lines) == 10 and lines[-1] == "writing firms.parquet: 100% (20,000 of 20,000 rows)"
    assert [p.name for p in tmp_path.iterdir()] == ["firms.parquet"]


def test_an_empty_table_still_names_its_columns(tmp_path):
    out = tmp_path / "empty.csv"
    script.write_firms(out, 0, seed=1)
    assert out.read_text(encoding="utf-8").startswith("firm_id,name,city,")


def test_parquet_chunks_must_fit_the_row_groups(tmp_path):
    with pytest.raises(ValueError, match="chunk_rows must divide 250,000"):
        script.write_firms(tmp_path / "firms.parquet", 10, seed=1, chunk_rows=3000)
