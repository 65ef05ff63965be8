"""The error boundary: an unexpected exception never shows as Streamlit's (redacted) exception box.

A page that raises ends with a short message in the interface language and a button that resets
only that page's choices (:data:`ui.state.PAGE_STATE`); the sidebar and the navigation stay usable.
A widget callback that raises changes nothing and says so on the next run. Either way the
exception and its traceback go to the server log. Streamlit's own control flow (``st.rerun``,
``st.stop``, ``st.switch_page`` raise ``RerunException`` or ``StopException``) passes through.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec

import streamlit as st
from streamlit.logger import get_logger
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.scriptrunner import RerunException, StopException

from ui import icons, state, workspace
from ui.i18n import t

P = ParamSpec("P")

logger = get_logger(__name__)


def reset_key(page_key: str) -> str:
    return f"w:boundary:reset:{page_key}"


def run_page(page: StreamlitPage) -> None:
    """Run the page ``st.navigation`` chose; an unexpected exception ends it with a message."""
    try:
        page.run()
        workspace.autosave()  # what the page's own buttons changed after its start
    except (RerunException, StopException):
        raise
    except Exception:
        logger.exception("page %r failed", page.url_path)
        st.error(t("errors.page_failed"))
        st.button(
            t("errors.reset_page"),
            key=reset_key(page.url_path),
            on_click=state.reset_page,
            args=(page.url_path,),
            icon=icons.RESET,
        )


def run_alone(draw: Callable[[], None]) -> None:
    """Run a page drawn without the navigation (the expert's questionnaire) inside the boundary."""
    try:
        draw()
    except (RerunException, StopException):
        raise
    except Exception:
        logger.exception("page %s failed", draw.__module__)
        st.error(t("errors.page_failed"))
    st.stop()


def _notify(message: str) -> None:
    state.notify("error", message)


def reporting(report: Callable[[str], None]) -> Callable[[Callable[P, None]], Callable[P, None]]:
    """A decorator of widget callbacks: an unexpected exception is logged and its localised
    sentence handed to `report` (a page outside the navigation shows it its own way)."""

    def decorate(function: Callable[P, None]) -> Callable[P, None]:
        @functools.wraps(function)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
            try:
                function(*args, **kwargs)
            except (RerunException, StopException):
                raise
            except Exception:
                logger.exception("callback %s failed", function.__qualname__)
                report(t("errors.callback_failed"))

        return guarded

    return decorate


#: `function` as a widget callback whose unexpected exception is logged and reported at the top
#: of the next run (:func:`ui.state.notify`).
callback = reporting(_notify)
