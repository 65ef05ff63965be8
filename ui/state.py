"""Every session-state key the app uses, with its default.

Values that must survive page switches live in plain (non-widget) keys: Streamlit deletes a
widget's state when a page without that widget runs. Widgets get their own ``w:`` keys and are
*mirrored* from the plain keys before they are drawn (see :func:`mirror`), and copy back in their
``on_change`` callbacks.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from engine.model import Problem
from engine.settings import Settings

# ---------------------------------------------------------------- plain keys (survive page switches)

LANG = "lang"  # "zh" | "en"
SETTINGS = "settings"  # engine.settings.Settings in use
PROBLEM = "problem"  # an uploaded engine.model.Problem, or None for the shipped data
PROBLEM_FILES = "problem_files"  # names of the uploaded files behind PROBLEM (for the sidebar)
IMPORTANCE = "importance"  # {leaf id: raw importance} behind the direct sliders
HELD = "held"  # {leaf id: fixed weight} of the criteria held on the direct sliders
NOTICE = "notice"  # (level, message) shown once at the top of the next page run
MEMO_ROBUSTNESS = "memo_robustness"  # the memo includes the robustness study
MEMO_SAMPLES = "memo_samples"  # SMAA samples of that study
MEMO_PACKAGE = "memo_package"  # the memo includes the policy package for a budget
MEMO_BUDGET = "memo_budget"  # that budget (亿元 per year); None until the memo page proposes one

# ---------------------------------------------------------------- widget keys

W_LANG = "w:lang"
W_PRESET = "w:preset"
W_EXPERTS = "w:experts"
W_METHOD = "w:method"
W_PROFILE_UPLOAD = "w:profile_upload"
W_DATA_CRITERIA = "w:data:criteria"
W_DATA_CATALOGUE = "w:data:catalogue"
W_DATA_EVIDENCE = "w:data:evidence"
W_DATA_MEASURE = "w:data:measure"
W_MEMO_LANG = "w:memo:lang"
W_MEMO_ROBUSTNESS = "w:memo:robustness"
W_MEMO_SAMPLES = "w:memo:samples"
W_MEMO_PACKAGE = "w:memo:package"
W_MEMO_BUDGET = "w:memo:budget"
W_ROBUST_MODEL = "w:robustness:model"
W_ROBUST_PERFORMANCE = "w:robustness:performance"
W_ROBUST_SAMPLES = "w:robustness:samples"


def importance_key(leaf_id: str) -> str:
    return f"w:importance:{leaf_id}"


def hold_key(leaf_id: str) -> str:
    return f"w:hold:{leaf_id}"


def judgment_key(node_id: str, a: str, b: str) -> str:
    return f"w:judgment:{node_id}:{a}:{b}"


def suggestion_key(node_id: str) -> str:
    return f"w:suggest:{node_id}"


def memo_key(fmt: str) -> str:
    return f"w:memo:{fmt}"


DEFAULTS: dict[str, Any] = {
    LANG: "zh",
    SETTINGS: Settings(),
    PROBLEM: None,
    PROBLEM_FILES: (),
    IMPORTANCE: {},
    HELD: {},
    NOTICE: None,
    MEMO_ROBUSTNESS: False,
    MEMO_SAMPLES: 20_000,
    MEMO_PACKAGE: False,
    MEMO_BUDGET: None,
}


def init() -> None:
    """Fill in every plain key that is still missing (safe to call on every run of every page)."""
    for key, value in DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = value.copy() if isinstance(value, dict) else value


def mirror(widget_key: str, value: Any) -> None:
    """Show `value` in the widget drawn next with `widget_key` (call before drawing it)."""
    st.session_state[widget_key] = value


def settings() -> Settings:
    return st.session_state[SETTINGS]


def set_settings(new: Settings) -> None:
    st.session_state[SETTINGS] = new


def uploaded_problem() -> Problem | None:
    return st.session_state[PROBLEM]


def notify(level: str, message: str) -> None:
    """Queue a message (``"success"``, ``"info"``, ``"warning"`` or ``"error"``) for the next run."""
    st.session_state[NOTICE] = (level, message)


def take_notice() -> tuple[str, str] | None:
    notice = st.session_state.get(NOTICE)
    st.session_state[NOTICE] = None
    return notice


def reset_sliders() -> None:
    """Forget the direct-slider importances and holds (the weights came from elsewhere)."""
    st.session_state[IMPORTANCE] = {}
    st.session_state[HELD] = {}


# ---------------------------------------------------------------- the screening page

SCREEN_TABLE = "screen_table"  # the accepted upload (ui.views.screening.Table), None for the sample
SCREEN_DOCUMENT = "screen_document"  # the spec document the mapping widgets last stood for
SCREEN_LAST = "screen_last"  # the last successful run (key, table name, document, ScreenResult)
SCREEN_REJECTED = "screen_rejected"  # (file id, engine message) of the upload last refused
SCREEN_UPLOADS = "screen_uploads"  # generation of the uploader: a new key empties it

SCREEN_WIDGETS = "w:screening:"  # prefix of every mapping widget (forgotten when the table changes)
W_SCREEN_ID = "w:screening:id"
W_SCREEN_KEEP = "w:screening:keep"
W_SCREEN_LABEL = "w:screening:label"
W_SCREEN_CRITERIA = "w:screening:criteria"
W_SCREEN_AHP = "w:screening:ahp"
W_SCREEN_CATEGORIES = "w:screening:categories"
W_SCREEN_RANGES = "w:screening:ranges"
W_SCREEN_MISSING = "w:screening:missing"
W_SCREEN_METHOD = "w:screening:method"
W_SCREEN_NORMALIZATION = "w:screening:normalization"
W_SCREEN_TOP = "w:screening:top"
W_SCREEN_PAGE = "w:screening:page"
W_SCREEN_CSV = "w:screen_download:csv"
W_SCREEN_PARQUET = "w:screen_download:parquet"
W_SCREEN_SPEC = "w:screen_download:spec"


def screen_upload_key(generation: int) -> str:
    return f"w:screen_upload:{generation}"


def screen_direction_key(column: str) -> str:
    return f"w:screening:direction:{column}"


def screen_weight_key(column: str) -> str:
    return f"w:screening:weight:{column}"


def screen_values_key(column: str) -> str:
    return f"w:screening:values:{column}"


def screen_min_key(column: str) -> str:
    return f"w:screening:min:{column}"


def screen_max_key(column: str) -> str:
    return f"w:screening:max:{column}"


DEFAULTS.update(
    {
        SCREEN_TABLE: None,
        SCREEN_DOCUMENT: None,
        SCREEN_LAST: None,
        SCREEN_REJECTED: None,
        SCREEN_UPLOADS: 0,
    }
)
