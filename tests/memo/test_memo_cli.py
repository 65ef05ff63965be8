"""``policyrank memo``: formats from suffixes, one-line errors, no silent overwrites, atomic files,
the robustness study by default, the masthead options and a separate annex."""

from __future__ import annotations

import re
import subprocess
import sys

import pypdf
import pytest

from engine.cli.main import main
from engine.memo import FORMATS, MIME_TYPES, SUFFIXES, filename, format_for_path, render, sniff
from tests.conftest import ROOT
from tests.memo.conftest import MINI_ARGS

MAGIC = {"md": b"**", "docx": b"PK\x03\x04", "html": b"<!DOCTYPE html>", "pdf": b"%PDF-"}


def memo_cli(*args: str) -> int:
    # a small study keeps the default (with the robustness study) quick
    return main(["memo", *MINI_ARGS, "--date", "2025-03-04", "--samples", "300", *args])


def one_line(capsys) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_writes_each_format_from_the_suffix(tmp_path, fmt):
    out = tmp_path / f"memo{SUFFIXES[fmt]}"
    assert memo_cli("--out", str(out)) == 0
    assert out.read_bytes().startswith(MAGIC[fmt])
    assert sniff(out.read_bytes()) == fmt
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left behind


@pytest.mark.parametrize("fmt", FORMATS)
def test_success_is_one_line_naming_format_and_file(tmp_path, capsys, fmt):
    out = tmp_path / f"memo{SUFFIXES[fmt]}"
    assert memo_cli("--out", str(out)) == 0
    line = one_line(capsys)
    kind = {"md": "Markdown", "docx": "Word", "html": "HTML", "pdf": "PDF"}[fmt]
    assert line.startswith(f"policyrank memo: wrote a {kind} memo (") and line.endswith(f" to {out}")
    if fmt == "pdf":
        pages = len(pypdf.PdfReader(out).pages)
        assert f"({pages} pages, " in line


def test_explicit_format_and_english(tmp_path):
    out = tmp_path / "brief"
    assert memo_cli("--format", "html", "--lang", "en", "--out", str(out)) == 0
    page = out.read_text(encoding="utf-8")
    assert '<html lang="en-US">' in page and "4 March 2025" in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "memo.txt"], r"^--out: cannot tell the format from the suffix \.txt"),
        (["--out", "memo"], r"^--out: cannot tell the format from the suffix \(none\)"),
        (["--format", "pdf", "--out", "memo.docx"], r"^--format: pdf does not match the suffix \.docx"),
        (["--format", "md", "--out", "memo.html"], r"^--format: md does not match the suffix \.html"),
        (["--out", "missing-folder/memo.md"], r"^--out: the folder missing-folder does not exist"),
        (["--format", "md", "--out", "."], r"^--out: \. is a directory"),
    ],
)
def test_bad_format_and_out_combinations(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    assert memo_cli(*args) == 2
    assert re.search(message, one_line(capsys))
    assert [p.name for p in tmp_path.iterdir()] == []


def test_unknown_format_is_an_argument_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        memo_cli("--format", "rtf", "--out", str(tmp_path / "m.rtf"))
    assert stop.value.code == 2
    assert "invalid choice: 'rtf'" in one_line(capsys)


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [
        ("existing.txt", b"notes I want to keep\n", "md"),
        ("existing.pdf", b"not a pdf at all\n", None),
        ("existing.docx", b"%PDF-1.7 a PDF wearing a .docx name", None),
        ("existing.md", b"PK\x03\x04 a zip wearing a .md name", None),
        ("existing.html", b"# markdown, not html\n", None),
    ],
)
def test_refuses_to_overwrite_another_kind_of_file(tmp_path, capsys, name, content, fmt):
    target = tmp_path / name
    target.write_bytes(content)
    args = ["--out", str(target)] + (["--format", fmt] if fmt else [])
    assert memo_cli(*args) == 2
    line = one_line(capsys)
    assert "exists and is not a" in line and "--force" in line
    assert target.read_bytes() == content
    assert memo_cli(*args, "--force") == 0
    assert target.read_bytes() != content
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


@pytest.mark.slow
def test_replaces_an_earlier_memo_of_the_same_kind(tmp_path):
    out = tmp_path / "memo.pdf"
    assert memo_cli("--out", str(out)) == 0
    first = out.read_bytes()
    assert memo_cli("--out", str(out), "--lang", "en") == 0
    assert out.read_bytes() != first and out.read_bytes().startswith(b"%PDF-")
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    assert memo_cli("--out", str(empty)) == 0


def test_bad_input_file_is_one_line(tmp_path, capsys):
    broken = tmp_path / "criteria.yaml"
    broken.write_text("version: 1\nid: [unclosed\n", encoding="utf-8")
    out = tmp_path / "memo.md"
    assert main(["memo", "--criteria", str(broken), "--out", str(out)]) == 2
    assert "criteria.yaml" in one_line(capsys)
    assert not out.exists()


@pytest.mark.slow
def test_real_process_exit_codes(tmp_path):
    ok = subprocess.run(
        [sys.executable, "-m", "engine.cli", "memo", "--samples", "1000", "--out", str(tmp_path / "m.md")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "m.md").read_text(encoding="utf-8").startswith("**决策参考**")
    assert "一千次扰动测算" in (tmp_path / "m.md").read_text(encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, "-m", "engine.cli", "memo", "--out", str(tmp_path / "m.txt")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert bad.returncode == 2
    assert len(bad.stderr.splitlines()) == 1 and "Traceback" not in bad.stderr


def test_formats_table():
    assert FORMATS == ("md", "docx", "html", "pdf")
    assert set(MIME_TYPES) == set(SUFFIXES) == set(FORMATS)
    assert MIME_TYPES["docx"].endswith("wordprocessingml.document")
    for fmt, suffix in SUFFIXES.items():
        assert format_for_path(f"x{suffix.upper()}") == fmt
    assert format_for_path("x.markdown") == "md" and format_for_path("x.htm") == "html"
    assert format_for_path("x.txt") is None


def test_sniff():
    assert sniff(b"%PDF-1.7") == "pdf"
    assert sniff(b"PK\x03\x04") == "docx"
    assert sniff(b"\xef\xbb\xbf  <!doctype HTML><html>") == "html"
    assert sniff("# 标题\n".encode()) == "md"
    assert sniff(b"") is None
    assert sniff(b"\x00\x01binary") is None
    assert sniff(b"\xff\xfe\xfa") is None
    # a multi-byte character cut by the 4096-byte window is still text
    assert sniff(("a" * 4095 + "汉").encode()) == "md"


def test_render_rejects_unknown_formats(memo_zh):
    with pytest.raises(ValueError, match="unknown memo format 'rtf'"):
        render(memo_zh, "rtf")
    assert filename(memo_zh, "docx") == "policyrank-memo-2025-03-04-zh.docx"


def test_the_study_runs_by_default_and_can_be_left_out(tmp_path, capsys):
    out = tmp_path / "memo.md"
    assert memo_cli("--out", str(out)) == 0
    studied = out.read_text(encoding="utf-8")
    assert memo_cli("--robustness", "--out", str(out)) == 0  # the old flag is still accepted
    assert out.read_text(encoding="utf-8") == studied
    assert memo_cli("--no-robustness", "--out", str(out)) == 0
    untested = out.read_text(encoding="utf-8")
    assert "尚未检验" in untested and "尚未检验" not in studied
    capsys.readouterr()  # the lines that name the files written
    assert memo_cli("--samples", "0", "--out", str(out)) == 2
    assert one_line(capsys).startswith("--samples: expected a positive number of samples")


def test_masthead_options_and_a_separate_annex(tmp_path, capsys):
    out = tmp_path / "brief.md"
    args = [
        "--issue",
        "3",
        "--publisher",
        "市委政研室",
        "--mark",
        "内部资料",
        "--distribution",
        "市政府办公厅",
    ]
    assert memo_cli(*args, "--annex", "separate", "--out", str(out)) == 0
    brief = out.read_text(encoding="utf-8")
    assert "第3期" in brief and "市委政研室" in brief and "内部资料" in brief and "市政府办公厅" in brief
    annex = (tmp_path / "brief-annex.md").read_text(encoding="utf-8")
    assert "附件" in annex and "附件" not in brief and "SHA-256" in annex
    line = one_line(capsys)
    assert line.endswith(
        f" to {out} and a Markdown memo ({round(len(annex.encode()) / 1024)} KB) to {tmp_path}/brief-annex.md"
    )
    assert memo_cli("--issue", "0", "--out", str(out)) == 2
    assert one_line(capsys).startswith("--issue: issue must be a positive whole number or a text")
    (tmp_path / "other-annex.md").write_bytes(b"PK\x03\x04 not a memo")
    assert memo_cli("--annex", "separate", "--out", str(tmp_path / "other.md")) == 2
    assert "other-annex.md exists and is not a Markdown file" in one_line(capsys)
    assert not (tmp_path / "other.md").exists()


def test_budget_recommends_the_package_as_the_app_does(tmp_path, capsys):
    out = tmp_path / "memo.md"
    assert (
        main(["memo", "--date", "2025-03-04", "--samples", "1000", "--budget", "60", "--out", str(out)]) == 0
    )
    assert "在每年60亿元的预算内" in out.read_text(encoding="utf-8")
    capsys.readouterr()  # the line that names the file written
    assert main(["memo", "--budget", "1", "--out", str(tmp_path / "x.md")]) == 2
    assert "no package satisfies these rules together: budget <= 1" in one_line(capsys)
    assert main(["memo", "--rules", "r.yaml", "--out", str(tmp_path / "y.md")]) == 2
    assert one_line(capsys) == "--rules: package choices only apply with --budget"
    assert main(["memo", "--budget", "60", "--no-robustness", "--out", str(tmp_path / "z.md")]) == 2
    assert one_line(capsys).startswith("--budget: a package is recommended from the robustness study")


def test_budget_choices_reach_the_memo_as_the_budget_page_makes_them(tmp_path, capsys):
    import datetime as dt

    from engine.analysis import run
    from engine.insight.portfolio import load_rules, select_package
    from engine.load import load_problem
    from engine.memo import build_memo
    from engine.robustness.study import analyze

    problem = load_problem()
    analysis = run(problem)
    shipped = load_rules(ROOT / "data" / "package_rules.yaml", problem.alternative_ids)
    default = select_package(analysis, 60, rules=shipped)
    left_out = default.selected[0]
    outside = [i for i in problem.alternative_ids if i not in default.selected and i not in shipped.exclude]
    forced = outside[0]
    rules = shipped.merged(must=[forced], exclude=[left_out])
    chosen = select_package(analysis, 60, rules=rules, basis="primary")
    assert chosen.selected != default.selected and forced in chosen.selected

    out = tmp_path / "memo.md"
    args = ["--date", "2025-03-04", "--samples", "1000", "--budget", "60", "--value", "primary"]
    assert main(["memo", *args, "--must", forced, "--exclude", left_out, "--out", str(out)]) == 0
    study = analyze(problem, analysis.settings, analysis=analysis, samples=1000)
    today = dt.date(2025, 3, 4)
    expected = build_memo(
        analysis, lang="zh", today=today, robustness=study, budget=60, rules=rules, basis="primary"
    )
    assert out.read_bytes() == render(expected, "md")
    capsys.readouterr()

    for flags, message in (
        (["--must", "nowhere"], "--must: nowhere: unknown countermeasure"),
        (["--must", forced, "--exclude", forced], f"--exclude: {forced}: also given with --must"),
    ):
        assert main(["memo", "--budget", "60", *flags, "--out", str(tmp_path / "bad.md")]) == 2
        assert one_line(capsys).startswith(message)
    for flags in (["--must", forced], ["--exclude", left_out], ["--value", "primary"]):
        assert main(["memo", *flags, "--out", str(tmp_path / "bad.md")]) == 2
        assert one_line(capsys) == f"{flags[0]}: package choices only apply with --budget"
