"""What a fresh server process does before its first visitor: import the app, open the workspace,
compute the landing page's study.

Streamlit runs none of the app's code until a browser connects, so the first visitor of a fresh
server used to wait for all of it: about 3.4 s of script time on the landing page against 0.7 s
for every later visitor (``benchmarks/app_latency.py``), most of it imports (pandas, SQLAlchemy,
Alembic, the app's own modules), opening and migrating the workspace database, and the default
robustness study. ``policyrank app`` starts the server through :mod:`ui.server`, which calls
:func:`start` first, so that work runs while Streamlit starts and the browser loads its bundle.

This module imports only the standard library: the entry script imports it to wait for the
preload's imports (:func:`wait_for_imports`) before importing the same modules itself, so two
threads never import the app's modules at once.
"""

from __future__ import annotations

import logging
import threading

THREAD_NAME = "policyrank-preload"
IMPORT_WAIT_SECONDS = 60.0  # past this the page imports on its own; the preload only saves time
logger = logging.getLogger(__name__)
_imported = threading.Event()
_started: list[threading.Thread] = []


class _QuietPreload(logging.Filter):
    """Drops Streamlit's "missing ScriptRunContext" warning for the preload thread, which calls
    cached functions outside any page run on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.threadName != THREAD_NAME


def _import_the_app() -> None:
    """The modules of the entry script and the landing page, and what they pull in."""
    import altair  # noqa: F401  (Streamlit imports it on the first chart)

    import ui.boundary
    import ui.charts
    import ui.expert_page
    import ui.page
    import ui.recommendation
    import ui.tables
    import ui.views  # noqa: F401


def _run() -> None:
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_QuietPreload())
    try:
        _import_the_app()
        _imported.set()
        from ui import studies, workspace

        workspace.store()  # opens (creates, migrates) the workspace and the shipped project
        studies.warm_default_study()
    except Exception:  # the pages do the same work again and report any error themselves
        logger.exception("preloading the app failed")
    finally:
        _imported.set()  # a failed import must not keep the entry script waiting


def start() -> None:
    """Start the preload thread, once per process."""
    if _started:
        return
    thread = threading.Thread(target=_run, name=THREAD_NAME, daemon=True)
    _started.append(thread)
    thread.start()


def wait_for_imports(timeout: float = IMPORT_WAIT_SECONDS) -> None:
    """Return once the preload has imported the app's modules (at once when there is no preload)."""
    if _started:
        _imported.wait(timeout)


def wait(timeout: float | None = None) -> None:
    """Return once the preload, if this process started one, has finished."""
    for thread in _started:
        thread.join(timeout)
