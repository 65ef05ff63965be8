"""Nothing the app shows needs the internet: no Material icons (Streamlit fetches a Material page
icon from fonts.gstatic.com), no remote images, fonts or scripts; icons are emoji."""

from __future__ import annotations

import re

import pytest
from streamlit.string_util import is_emoji

from tests.ui.conftest import ROOT
from ui import icons
from ui.views import PAGES

UI_FILES = sorted(path for path in (ROOT / "ui").rglob("*") if path.suffix in {".py", ".yaml", ".toml"})
REMOTE = re.compile(r":material/|https?://")


@pytest.mark.parametrize("path", UI_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_file_of_the_app_names_a_remote_asset(path):
    found = [line for line in path.read_text(encoding="utf-8").splitlines() if REMOTE.search(line)]
    assert not found, found


def test_every_icon_is_an_emoji():
    shown = {name: value for name, value in vars(icons).items() if name.isupper()}
    shown |= {f"page {spec.key}": spec.icon for spec in PAGES}
    assert shown and all(is_emoji(icon) for icon in shown.values()), shown


def test_the_page_icon_is_the_shipped_emoji():
    assert "page_icon=icons.APP" in (ROOT / "ui" / "app.py").read_text(encoding="utf-8")
