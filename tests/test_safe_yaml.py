"""libyaml's C parser and the pure-Python loader read every text alike.

``parse_yaml`` reads with libyaml when PyYAML has it and falls back on the pure-Python loader for
whatever libyaml cannot vouch for. Random documents are dumped in random styles, or taken from the
small test problem and the broken-input corpus, then broken the ways hand edits break YAML
(duplicated keys, aliases, tabs, deep nesting, foreign tags, truncation, stray characters); both
paths must give the same document or the same message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from engine.errors import InputError
from engine.io import safe_yaml
from engine.io.safe_yaml import MAX_DEPTH, parse_yaml

pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml has one path")

TESTS = Path(__file__).resolve().parent
SAMPLES = sorted(
    path.read_text(encoding="utf-8")
    for path in [*(TESTS / "fixtures" / "mini").rglob("*.yaml"), *(TESTS / "bad_inputs").glob("*.yaml")]
    if path.stat().st_size < 20_000 and path.name != "not_utf8_gbk.yaml"
)

KEYS = st.one_of(
    st.sampled_from(["id", "name", "zh", "en", "value", "version", "children", "2", "yes", "~", "a b"]),
    st.text(max_size=6),
    st.integers(-3, 3),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(
        ["1/3", "2024-05-01", "0x1F", "1e3", "no", "null", "武汉", "a: b", "- x", "#c", "'q'", '"']
    ),
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=20,
)
STRAY = ["\t", ":", "- ", "#", '"', "'", "\n", "  ", "{", "}", "[", "]", ",", "&a ", "*a", "!", "%", "|",
         ">", "?", "\r", "\r\n", "\x85", "\u2028", "\ufeff", "\x00", "\x07", "\\", "---\n", "...\n", "@",
         "`"]  # fmt: skip
TAGS = ["!!python/object/apply:os.system ", "!foo ", "!!int ", "!!float ", "!!binary ", "!!set ", "!!str ",
        "!!timestamp ", "!!map ", "!!seq ", "!<tag:yaml.org,2002:str> ", "!e!x "]  # fmt: skip


@st.composite
def dumped(draw: st.DrawFn) -> str:
    return yaml.safe_dump(
        draw(DOCUMENTS),
        default_flow_style=draw(st.sampled_from([False, True, None])),
        allow_unicode=draw(st.booleans()),
        width=draw(st.sampled_from([20, 80, 1000])),
        indent=draw(st.sampled_from([2, 4])),
        explicit_start=draw(st.booleans()),
        sort_keys=draw(st.booleans()),
    )


def nested(depth: int, block: bool) -> str:
    if block:
        return "".join(f"{'  ' * level}k{level}:\n" for level in range(depth)) + "  " * depth + "leaf\n"
    return "[" * depth + "1" + "]" * depth + "\n"


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.one_of(dumped(), st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(0, 3), label="edits")):
        lines = text.splitlines(keepends=True) or [""]
        at = draw(st.integers(0, len(lines) - 1), label="line")
        spot = draw(st.integers(0, len(text)), label="offset")
        edit = draw(
            st.sampled_from(["duplicate", "alias", "stray", "tag", "deep", "truncate", "cut", "directive"])
        )
        if edit == "duplicate":
            lines.insert(at, lines[at])
            text = "".join(lines)
        elif edit == "alias":
            anchor = draw(st.sampled_from(["&a ", "&b "]))
            text = text[:spot] + anchor + text[spot:]
            later = draw(st.integers(spot, len(text)))
            text = text[:later] + draw(st.sampled_from(["*a", "*b", " *a\n", "\n- *a\n"])) + text[later:]
        elif edit == "stray":
            text = text[:spot] + draw(st.sampled_from(STRAY)) + text[spot:]
        elif edit == "tag":
            text = text[:spot] + draw(st.sampled_from(TAGS)) + text[spot:]
        elif edit == "deep":
            deep = nested(draw(st.integers(MAX_DEPTH - 2, MAX_DEPTH + 2)), draw(st.booleans()))
            text = text[:spot] + deep + text[spot:]
        elif edit == "truncate":
            text = text[:spot]
        elif edit == "cut":
            text = text[:spot] + text[spot + draw(st.integers(1, 8)) :]
        else:
            text = (
                draw(st.sampled_from(["%YAML 1.1\n---\n", "%YAML 1.3\n---\n", "%TAG !e! tag:x,1:\n---\n"]))
                + text
            )
    return text


def outcome(text: str, *, libyaml: bool) -> tuple[Any, ...]:
    with mock.patch.object(safe_yaml, "LIBYAML", libyaml):
        try:
            document = parse_yaml(text, "t.yaml")
        except InputError as error:
            return ("refused", str(error), error.code, dict(error.params))
        except Exception as error:  # a crash must at least be the same crash
            return ("raised", type(error).__name__, str(error))
    return ("read", type(document).__name__, repr(document))  # repr: nan equals nan, order counts


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated())
@example(text="a: value\t# comment\n")  # libyaml skips this tab, PyYAML refuses it
@example(text="a: &x 1\nb: &x 2\n")  # both refuse a repeated anchor, in different words
@example(text="a: 1\nb: *a\nc: \x07\n")  # PyYAML checks every character before the first token
@example(text="%YAML 1.3\n---\na: 1\n")  # libyaml refuses YAML 1.3, PyYAML reads it
@example(text="- [a?string]\n- {key?: value}\n")  # libyaml reads ? in flow plain scalars (YAML 1.2)
@example(text="a: !\n")  # '' from libyaml, None from PyYAML
@example(text="{foo: !!str, !!str : bar}\n")
@example(text="block: ># comment\n  scalar\n")
@example(text="a: 1\n\ufeffb: 2\n")  # libyaml skips a byte-order mark at the start of any line
@example(text="a: b\n---\nc: d\n")
@example(text="a:\n- - - x\n  - y\n")
@example(text=nested(MAX_DEPTH, block=True))
@example(text=nested(MAX_DEPTH + 1, block=True))
@example(text="k:\n" + "".join(f"{'  ' * i}- \n" for i in range(MAX_DEPTH + 1)))
def test_libyaml_and_pure_python_read_alike(text: str) -> None:
    assert outcome(text, libyaml=True) == outcome(text, libyaml=False)


def test_the_shipped_files_take_the_libyaml_path_and_read_alike() -> None:
    root = TESTS.parent
    for path in [*(root / "criteria").rglob("*.yaml"), *(root / "data").glob("*.yaml")]:
        text = path.read_text(encoding="utf-8")
        assert safe_yaml._vouch(text), path
        assert outcome(text, libyaml=True) == outcome(text, libyaml=False), path


@pytest.mark.parametrize("libyaml", [True, False])
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!int x", "f.yaml: line 1: not valid YAML: !!int cannot hold 'x'"),
        ("b: 1\na: !!float abc", "f.yaml: line 2: not valid YAML: !!float cannot hold 'abc'"),
        ("a: !!timestamp 2020-13-45", "f.yaml: line 1: not valid YAML: !!timestamp cannot hold '2020-13-45'"),
    ],
)
def test_a_tag_on_a_value_it_cannot_hold_is_a_message_not_a_crash(
    text: str, message: str, libyaml: bool
) -> None:
    with mock.patch.object(safe_yaml, "LIBYAML", libyaml), pytest.raises(InputError) as caught:
        safe_yaml.parse_yaml(text, "f.yaml")
    assert str(caught.value).startswith(message)
