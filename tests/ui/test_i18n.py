"""Interface texts: both languages have the same keys and placeholders, and every key used exists.

Labels the app shares with the CLI and the memo live in :mod:`engine.text.labels`, not in the
YAML files: every ``label("...")`` the pages use exists there.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from engine.text import LABELS
from ui.i18n import catalogue

UI = Path(__file__).resolve().parents[2] / "ui"
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["']""")
LITERAL_LABEL = re.compile(r"""(?<![\w.])label\(\s*["']([a-z0-9_.]+)["']""")


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_identical_keys():
    zh, en = catalogue("zh"), catalogue("en")
    assert set(zh) - set(en) == set(), "keys only in zh.yaml"
    assert set(en) - set(zh) == set(), "keys only in en.yaml"


def test_placeholders_agree_between_languages():
    zh, en = catalogue("zh"), catalogue("en")
    mismatched = {key: (fields(zh[key]), fields(en[key])) for key in zh if fields(zh[key]) != fields(en[key])}
    assert mismatched == {}


def test_no_text_is_empty():
    for lang in ("zh", "en"):
        assert [key for key, value in catalogue(lang).items() if not value.strip()] == []


def used_keys() -> set[str]:
    keys = set()
    for path in UI.rglob("*.py"):
        keys |= set(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    return keys


def test_every_key_the_code_uses_exists():
    used = used_keys()
    assert len(used) > 50  # the pattern really finds the calls
    assert sorted(used - set(catalogue("zh"))) == []


def test_every_shared_label_the_code_uses_exists():
    used = set()
    for path in UI.rglob("*.py"):
        used |= set(LITERAL_LABEL.findall(path.read_text(encoding="utf-8")))
    assert len(used) > 20  # the pattern really finds the calls
    assert sorted(used - set(LABELS)) == []


def test_ui_texts_do_not_repeat_a_shared_label():
    zh, en = catalogue("zh"), catalogue("en")
    shared = {pair: key for key, pair in LABELS.items()}
    # the screening page's own result table keeps its headers with its other texts
    own = {"screening.method", "screening.score"}
    repeated = {key: shared[(zh[key], en[key])] for key in zh if (zh[key], en[key]) in shared}
    assert set(repeated) <= own, repeated


@pytest.mark.parametrize("intensity", range(2, 10))
def test_the_verbal_scale_is_complete(intensity):
    assert f"saaty.degree.{intensity}" in catalogue("zh")
