"""The page registry: one entry per page, in menu order; the first entry is the landing page.

To add a page, write ``ui/views/NAME.py`` (start it with ``analysis = ui.page.start("NAME")``),
append ``PageSpec("NAME", "NAME.py", icon)`` to :data:`PAGES`, add ``nav.NAME`` to both
``ui/i18n/zh.yaml`` and ``ui/i18n/en.yaml``, and name the plain session keys of its choices in
``ui.state.PAGE_STATE`` (what the error boundary's reset button forgets).

The folder is deliberately not called ``pages``: Streamlit treats a ``pages/`` folder beside the
entry script as a legacy multipage app, and the first run after a server start (or any run until
``ui/app.py`` has called ``st.navigation`` once) would then list the files instead of this menu.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PageSpec:
    key: str  # URL path and the i18n key ``nav.<key>`` of the title
    file: str  # the script, relative to ui/views/
    icon: str  # an emoji, never a Material icon (see ui.icons)

    @property
    def path(self) -> Path:
        return FOLDER / self.file


PAGES: list[PageSpec] = [
    PageSpec("overview", "overview.py", "📊"),
    PageSpec("weights", "weights.py", "🎚️"),
    PageSpec("ranking", "ranking.py", "🏆"),
    PageSpec("robustness", "robustness.py", "🛡️"),
    PageSpec("data", "data.py", "🗂️"),
    PageSpec("catalogue", "catalogue.py", "✏️"),
    PageSpec("judgments", "judgments.py", "🧭"),
    PageSpec("experts", "experts.py", "👥"),
    PageSpec("budget", "budget.py", "💰"),
    PageSpec("screening", "screening.py", "🔎"),
    PageSpec("history", "history.py", "🕘"),
    PageSpec("scenarios", "scenarios.py", "🗃️"),
    PageSpec("compare", "compare.py", "⚖️"),
    PageSpec("panel", "panel.py", "📋"),
    # the memo gathers what every other page feeds it, so it comes last
    PageSpec("memo", "memo.py", "📝"),
]
