"""Progress of the two screening passes: a redrawn line on a terminal, plain lines in a log."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from engine.cli.main import main
from engine.screening import load_spec, screen
from engine.screening.progress import Progress

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "firms_sample.csv"
SAMPLE_SPEC = ROOT / "data" / "screen_spec.yaml"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def parquet_sample(tmp_path: Path) -> Path:
    path = tmp_path / "firms.parquet"
    pd.read_csv(SAMPLE).to_parquet(path, index=False)
    return path


def test_a_log_gets_one_plain_line_per_tenth_and_the_last_once():
    stream = io.StringIO()
    bar = Progress(stream, "pass 1/2", 4000)
    for done in np.arange(100, 4001, 100):  # 40 chunks of 2.5 %
        bar.update(int(done))
    bar.finish(4000)
    lines = stream.getvalue().splitlines(keepends=True)
    assert [line.split(": ")[1].split("%")[0] for line in lines] == [str(p) for p in range(10, 101, 10)]
    assert all(line.endswith("\n") and "\r" not in line for line in lines)
    assert lines[-1] == "pass 1/2: 100% (4,000 of 4,000 rows)\n"


def test_a_log_of_a_table_of_unknown_length_gets_its_count():
    stream = io.StringIO()
    bar = Progress(stream, "pass 1/2", None)
    bar.update(1000)
    bar.update(2000)  # within 5 s of the last line: skipped
    bar.finish(3000)
    assert stream.getvalue() == "pass 1/2: 1,000 rows\npass 1/2: 3,000 rows\n"


def test_a_terminal_line_is_redrawn_and_ends_once_at_100_percent():
    stream = Terminal()
    bar = Progress(stream, "pass 2/2", 4000)
    for done in (1000, 2000, 3000, 4000):
        bar.update(done)
    bar.finish(4000)
    text = stream.getvalue()
    assert text.startswith("\rpass 2/2: [") and text.endswith(" 4,000 rows\n")
    assert text.count("100.0%") == 1 and text.count("\n") == 1


def test_no_stream_no_output():
    bar = Progress(None, "pass 1/2", 10)
    bar.update(5)
    bar.finish(10)  # nothing to write to, and no error


def test_screen_progress_on_a_terminal_shows_100_percent_once_per_pass(tmp_path):
    stream = Terminal()
    screen(parquet_sample(tmp_path), load_spec(SAMPLE_SPEC), top=5, chunk_rows=1000, progress=stream)
    lines = stream.getvalue().split("\n")
    assert lines[-1] == ""  # every pass ends its line
    for line, label in zip(lines[:2], ("pass 1/2", "pass 2/2"), strict=True):
        assert line.startswith(f"\r{label}: ") and line.count("100.0%") == 1
        assert line.endswith("3,000 rows")


def test_cli_progress_into_a_log_is_plain_lines_with_every_step(tmp_path, capsys):
    table = parquet_sample(tmp_path)
    args = ["screen", "--table", str(table), "--spec", str(SAMPLE_SPEC), "--top", "5", "--chunk-rows", "750"]
    assert main([*args, "--progress"]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err
    steps = [line for line in err.splitlines() if line.startswith("pass ")]
    expected = [
        f"{label}: {percent}% ({rows:,} of 3,000 rows)"
        for label in ("pass 1/2", "pass 2/2")
        for percent, rows in ((25, 750), (50, 1500), (75, 2250), (100, 3000))
    ]
    assert steps == expected
    # without --progress a log (not a terminal) gets none
    assert main(args) == 0
    assert not [line for line in capsys.readouterr().err.splitlines() if line.startswith("pass ")]
