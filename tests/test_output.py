from __future__ import annotations

import pytest

from engine.io.files import display_width, safe_cell, text_table, to_csv, write_atomic


@pytest.mark.parametrize("text", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_is_neutralised(text):
    assert safe_cell(text) == "'" + text


def test_numbers_and_plain_text_pass_unchanged():
    assert safe_cell(-0.5) == -0.5
    assert safe_cell("产业生态链") == "产业生态链"
    assert to_csv(["a", "b"], [["=HYPERLINK()", -1.5]]) == "a,b\n'=HYPERLINK(),-1.5\n"


def test_atomic_write_replaces_and_leaves_nothing_behind(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    write_atomic(target, b"new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_failed_atomic_write_keeps_the_old_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_cjk_text_lines_up():
    assert display_width("对策a") == 5
    table = text_table(["名称", "x"], [["产业生态链", "1"], ["ab", "22"]], right=[False, True])
    lines = table.splitlines()
    assert len({display_width(line) for line in lines}) == 1


def test_atomic_write_gives_ordinary_permissions(tmp_path):
    import os

    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "memo.md", b"x")
    finally:
        os.umask(umask)
    assert (tmp_path / "memo.md").stat().st_mode & 0o777 == 0o644
