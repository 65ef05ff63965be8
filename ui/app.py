"""Entry script: page configuration, session defaults and navigation only.

The chosen page runs inside the error boundary (:func:`ui.boundary.run_page`): an unexpected
exception shows a short message, not Streamlit's exception box, and the navigation stays usable.

Widgets drawn here would vanish after the first rerun under ``st.navigation``; the shared
sidebar is drawn by every page instead (:func:`ui.page.start`).
"""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run ui/app.py` puts ui/ on the path, not the folder that holds ui and engine (the
# checkout, or site-packages when installed, where the shipped data is found by engine.shipped)
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from ui import preload  # noqa: E402

preload.wait_for_imports()  # a fresh server's preload imports what follows; one thread imports it
from ui import auth, boundary, expert_page, icons, panels, state, studies  # noqa: E402
from ui.i18n import t  # noqa: E402
from ui.views import PAGES, SECTIONS  # noqa: E402

state.init()
if panels.link_token() is not None:
    # an expert's personal link opens their questionnaire and nothing else: no menu, no sidebar,
    # no other page (run() stops here, before any navigation exists), no sign-in
    boundary.run_alone(expert_page.run)
studies.warm_up()  # the landing page's robustness study, computed while the page imports its modules
st.set_page_config(page_title=t("app.title"), page_icon=icons.APP, layout="wide")
auth.gate()  # when sign-in is on, nothing below runs until someone has signed in
# sections, and every entry shown: Streamlit folds a long flat menu after its first ten entries
# under "View more", which hid the workspace pages and the memo
navigation = st.navigation(
    {
        t(f"nav_section.{section}"): [
            st.Page(
                spec.path,
                title=t(f"nav.{spec.key}"),
                icon=spec.icon,
                url_path=spec.key,
                default=spec is PAGES[0],
            )
            for spec in PAGES
            if spec.section == section
        ]
        for section in SECTIONS
    },
    expanded=True,
)
boundary.run_page(navigation)
