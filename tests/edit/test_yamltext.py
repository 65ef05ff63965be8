"""engine.edit.yamltext: edits change the lines of the entry they touch and nothing else."""

from __future__ import annotations

import yaml

from engine.edit.yamltext import YamlText

TEXT = """\
version: 1
# a comment the analyst wrote
items:
  - id: a   # trailing comment
    name: {zh: 甲, en: A}
    scores:
      x:
        value: 3
        why: |
          a block
          scalar
      y: {value: 4, why: short}
  # between the items
  - id: b
    name: {zh: 乙, en: B}
    scores:
      x: {value: 1, why: one}
      y: {value: 2, why: two}
tail: [1, 2]
"""


def test_set_replaces_only_the_entry_lines() -> None:
    edited = YamlText(TEXT).set(["items", 0, "scores", "x"], {"value": 5, "why": "new"})
    assert edited.text == TEXT.replace(
        "      x:\n        value: 3\n        why: |\n          a block\n          scalar\n",
        "      x: {value: 5, why: new}\n",
    )


def test_set_inside_a_flow_mapping_rewrites_that_mapping_only() -> None:
    edited = YamlText(TEXT).set(["items", 1, "name", "en"], "Bee")
    assert edited.text == TEXT.replace("{zh: 乙, en: B}", "{zh: 乙, en: Bee}")


def test_set_adds_a_missing_key_after_the_last_entry() -> None:
    edited = YamlText(TEXT).set(["items", 0, "retired"], True)
    assert "      y: {value: 4, why: short}\n    retired: true\n  # between the items\n" in edited.text
    assert yaml.safe_load(edited.text)["items"][0]["retired"] is True


def test_append_and_delete_sequence_items() -> None:
    document = YamlText(TEXT)
    appended = document.append(["items"], {"id": "c", "name": {"zh": "丙", "en": "C"}})
    assert (
        "      y: {value: 2, why: two}\n  - id: c\n    name: {zh: 丙, en: C}\ntail: [1, 2]\n" in appended.text
    )
    removed = document.delete(["items", 0])
    assert removed.text.startswith(
        "version: 1\n# a comment the analyst wrote\nitems:\n  # between the items\n  - id: b"
    )
    assert [item["id"] for item in yaml.safe_load(removed.text)["items"]] == ["b"]
    assert YamlText(TEXT).append(["tail"], 3).text.endswith("tail: [1, 2, 3]\n")


def test_long_values_are_written_as_blocks_and_quoted_when_needed() -> None:
    long = "x" * 120
    edited = YamlText(TEXT).set(
        ["items", 1, "scores", "x"], {"value": 1.0, "why": {"zh": "理由: 一", "en": long}}
    )
    assert (
        f"      x:\n        value: 1\n        why:\n          zh: '理由: 一'\n          en: {long}\n"
        in edited.text
    )
    assert yaml.safe_load(edited.text)["items"][1]["scores"]["x"]["why"]["zh"] == "理由: 一"


def test_line_breaks_byte_order_mark_and_a_last_line_without_break() -> None:
    crlf = TEXT.replace("\n", "\r\n")
    edited = YamlText(crlf).set(["items", 1, "scores", "y"], {"value": 9, "why": "w"})
    assert "\n" not in edited.text.replace("\r\n", "")
    assert YamlText("\ufeff" + TEXT).text == TEXT
    open_end = YamlText("a: 1\nb: [x]").append(["b"], "y")
    assert yaml.safe_load(open_end.text) == {"a": 1, "b": ["x", "y"]}
    added = YamlText("a:\n  k: 1").set(["a", "m"], 2)
    assert added.text == "a:\n  k: 1\n  m: 2\n"


def test_moved_lines_are_re_indented_with_their_comments() -> None:
    document = YamlText(
        "outer:\n  - id: a\n    list:\n      - id: b  # keep\n        v: 1\nother:\n  - id: c\n"
    )
    lines, indent = document.lines_of(["outer", 0, "list", 0])
    moved = document.insert_lines(["other"], lines, indent)
    assert moved.text.endswith("other:\n  - id: c\n  - id: b  # keep\n    v: 1\n")
