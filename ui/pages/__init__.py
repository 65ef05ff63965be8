"""The page registry: one entry per page, in menu order; the first entry is the landing page.

To add a page, write ``ui/pages/NAME.py`` (start it with ``analysis = ui.page.start("NAME")``),
append ``PageSpec("NAME", "NAME.py", icon)`` here and add ``nav.NAME`` to both
``ui/i18n/zh.yaml`` and ``ui/i18n/en.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PageSpec:
    key: str  # URL path and the i18n key ``nav.<key>`` of the title
    file: str  # the script, relative to ui/pages/
    icon: str  # a Material Symbols name or an emoji

    @property
    def path(self) -> Path:
        return FOLDER / self.file


PAGES: list[PageSpec] = [
    PageSpec("overview", "overview.py", ":material/dashboard:"),
    PageSpec("weights", "weights.py", ":material/tune:"),
    PageSpec("ranking", "ranking.py", ":material/leaderboard:"),
    PageSpec("data", "data.py", ":material/dataset:"),
    PageSpec("memo", "memo.py", ":material/description:"),
]
