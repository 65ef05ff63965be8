"""The page registry: one entry per page, in menu order; the first entry is the landing page.

To add a page, write ``ui/views/NAME.py`` (start it with ``analysis = ui.page.start("NAME")``),
add ``PageSpec("NAME", "NAME.py", icon, section)`` to :data:`PAGES` (within its section), add
``nav.NAME`` to both ``ui/i18n/zh.yaml`` and ``ui/i18n/en.yaml``, and name the plain session keys
of its choices in ``ui.state.PAGE_STATE`` (what the error boundary's reset button forgets).

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
    section: str  # the menu section it is listed under (one of SECTIONS)

    @property
    def path(self) -> Path:
        return FOLDER / self.file


PAGES: list[PageSpec] = [
    # the analysis, in the order an analyst works through it
    PageSpec("overview", "overview.py", "📊", "analysis"),
    PageSpec("weights", "weights.py", "🎚️", "analysis"),
    PageSpec("ranking", "ranking.py", "🏆", "analysis"),
    PageSpec("robustness", "robustness.py", "🛡️", "analysis"),
    PageSpec("judgments", "judgments.py", "🧭", "analysis"),
    PageSpec("experts", "experts.py", "👥", "analysis"),
    PageSpec("budget", "budget.py", "💰", "analysis"),
    # what is ranked
    PageSpec("data", "data.py", "🗂️", "data"),
    PageSpec("catalogue", "catalogue.py", "✏️", "data"),
    PageSpec("screening", "screening.py", "🔎", "data"),
    # the work kept in the workspace
    PageSpec("scenarios", "scenarios.py", "🗃️", "workspace"),
    PageSpec("compare", "compare.py", "⚖️", "workspace"),
    PageSpec("panel", "panel.py", "📋", "workspace"),
    PageSpec("history", "history.py", "🕘", "workspace"),
    # the memo gathers what every other page feeds it, so it comes last
    PageSpec("memo", "memo.py", "📝", "brief"),
]

#: Menu sections in order; each is titled ``nav_section.<key>`` in both languages.
SECTIONS: tuple[str, ...] = ("analysis", "data", "workspace", "brief")
