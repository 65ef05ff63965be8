"""Every session-state key the app uses, with its default.

Values that must survive page switches live in plain (non-widget) keys: Streamlit deletes a
widget's state when a page without that widget runs. Widgets get their own ``w:`` keys and are
*mirrored* from the plain keys before they are drawn (see :func:`mirror`), and copy back in their
``on_change`` callbacks; :func:`bind` does both for a widget that shows one setting. A choice is
one setting however many pages show it (the budget on the budget page and on the memo page).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
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
MEMO_PACKAGE = "memo_package"  # the memo recommends the policy package for the budget
MEMO_ISSUE = "memo_issue"  # the memo's issue number (期号), as typed; "": none
MEMO_PUBLISHER = "memo_publisher"  # the issuing unit (编发单位); "": the engine's default
MEMO_MARK = "memo_mark"  # print 内部资料　注意保存 above the masthead
MEMO_LANG = "memo_lang"  # the memo's language; None: the interface language
SAMPLES = "samples"  # SMAA samples of the robustness study, on the robustness page and in the memo
BUDGET = "budget"  # 亿元 per year, on the budget page and in the memo; None: a third of the total cost
BUDGET_RULES = "budget_rules"  # apply the shipped package rules; None: whenever they fit the catalogue
BUDGET_MUST = "budget_must"  # countermeasures every package includes
BUDGET_EXCLUDE = "budget_exclude"  # countermeasures no package includes
BUDGET_BASIS = "budget_basis"  # what a countermeasure is worth in a package; None: the engine's first basis
ROBUST_MODEL = "robustness_model"  # the weight model; None: the one that fits the weight source
ROBUST_PERFORMANCE = "robustness_performance"  # the score model; None: the engine's first
JUDGMENTS_NODE = "judgments_node"  # the node being revised; None: the least consistent one
EXPERTS_GROUP = "experts_group"  # the group whose share is swept; None: the first
DATA_MEASURE = "data_measure"  # the countermeasure shown in the catalogue; None: the first
DATA_UPLOAD_FAILED = "data_upload_failed"  # the last load of own files failed: keep the uploaders open
SENSITIVITY_CRITERION = "sensitivity_criterion"  # leaf swept on the weights page; None: the most critical
SENSITIVITY_AXIS = "sensitivity_axis"  # what the sweep chart plots: "score" or "rank"
COMPARE_SCENARIOS = "compare_scenarios"  # ids of the scenarios compared, in order; None: not chosen yet
MEMO_COMPARE = "memo_compare"  # the memo includes the comparison of the compare page's scenarios
SCENARIOS_DELETE = "scenarios_delete"  # the scenario whose deletion awaits confirmation; None: none
SCENARIOS_SELECTED = "scenarios_selected"  # the scenario the scenarios page acts on; None: the open one
SCENARIOS_ERROR = "scenarios_error"  # (action, message) of the last refused action, shown once
WEIGHTS_SECTION = "weights_section"  # the open section of the weights page
CATALOGUE_EDITS = "catalogue_edits"  # saves made on the edit-data page: a new count starts its editors afresh
CATALOGUE_FLAGS = "catalogue_flags"  # (flagged judgments, names by id) of the last criteria-tree edit
SIGNED_IN = "signed_in"  # the name signed in with a password (ui.auth); None: nobody yet
SIGN_IN_FAILED = "sign_in_failed"  # the last password sign-in was refused
HISTORY_FILTER = "history_filter"  # the history page's filters (ui.views.history.Filter)
HISTORY_PAGE = "history_page"  # the page of the history shown, 1 = the newest changes
HISTORY_CHOSEN = "history_chosen"  # the change chosen to revert; None: the newest revertible one
HISTORY_REVERT = "history_revert"  # the change whose revert awaits confirmation; None: none
PANEL_SELECTED = "panel_selected"  # the panel the panel page shows, by name; None: the first
PANEL_LINKS = "panel_links"  # (panel id, links just issued): their tokens are shown this once only
PANEL_REFUSED = "panel_refused"  # (action, messages) of the panel page's last refused action
PANEL_NEXT = "panel_next"  # opening the next round awaits confirmation
PANEL_SOURCE = "panel_source"  # the panel whose weights were set (engine.panel.source JSON); None: none

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
W_MEMO_SAMPLES = "w:memo:samples"
W_MEMO_PACKAGE = "w:memo:package"
W_MEMO_BUDGET = "w:memo:budget"
W_MEMO_ISSUE = "w:memo:issue"
W_MEMO_PUBLISHER = "w:memo:publisher"
W_MEMO_MARK = "w:memo:mark"
W_ROBUST_MODEL = "w:robustness:model"
W_ROBUST_PERFORMANCE = "w:robustness:performance"
W_ROBUST_SAMPLES = "w:robustness:samples"
W_SENSITIVITY_CRITERION = "w:sensitivity:criterion"
W_SENSITIVITY_AXIS = "w:sensitivity:axis"
W_SENSITIVITY_TRY = "w:sensitivity:try"  # prefix: the trial weight, one key per criterion and weight in use
W_SENSITIVITY_APPLY = "w:sensitivity:apply"
W_SENSITIVITY_GO = "w:sensitivity:go"  # prefix: "set to" a weight just past a crossing
W_SENSITIVITY_ALL = "w:sensitivity:all"  # the expander of every crossing
W_WEIGHTS_SECTION = "w:weights:section"


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


def experts_share_key(group_id: str) -> str:
    """The plain key of the share a group's weight is swept to (one per group)."""
    return f"experts_share:{group_id}"


DEFAULTS: dict[str, Any] = {
    LANG: "zh",
    SETTINGS: Settings(),
    PROBLEM: None,
    PROBLEM_FILES: (),
    IMPORTANCE: {},
    HELD: {},
    NOTICE: None,
    MEMO_PACKAGE: False,
    MEMO_ISSUE: "",
    MEMO_PUBLISHER: "",
    MEMO_MARK: False,
    MEMO_LANG: None,
    SAMPLES: 20_000,
    BUDGET: None,
    BUDGET_RULES: None,
    BUDGET_MUST: (),
    BUDGET_EXCLUDE: (),
    BUDGET_BASIS: None,
    ROBUST_MODEL: None,
    ROBUST_PERFORMANCE: None,
    JUDGMENTS_NODE: None,
    EXPERTS_GROUP: None,
    DATA_MEASURE: None,
    DATA_UPLOAD_FAILED: False,
    SENSITIVITY_CRITERION: None,
    SENSITIVITY_AXIS: "score",
    COMPARE_SCENARIOS: None,
    MEMO_COMPARE: False,
    SCENARIOS_DELETE: None,
    SCENARIOS_SELECTED: None,
    SCENARIOS_ERROR: None,
    WEIGHTS_SECTION: "direct",
    CATALOGUE_EDITS: 0,
    CATALOGUE_FLAGS: None,
    SIGNED_IN: None,
    SIGN_IN_FAILED: False,
    HISTORY_FILTER: None,
    HISTORY_PAGE: 1,
    HISTORY_CHOSEN: None,
    HISTORY_REVERT: None,
    PANEL_SELECTED: None,
    PANEL_LINKS: None,
    PANEL_REFUSED: None,
    PANEL_NEXT: False,
    PANEL_SOURCE: None,
}


def init() -> None:
    """Fill in every plain key that is still missing (safe to call on every run of every page)."""
    for key, value in DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = value.copy() if isinstance(value, dict) else value


# ---------------------------------------------------------------- values into widgets


def widget_value(
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    options: Iterable[Any] | None = None,
    default: Any = None,
) -> Any:
    """`value` as a widget with these bounds or options can show it.

    The one place where engine and session values become widget values. Streamlit refuses a value
    outside a widget's bounds or options with an exception that breaks the page on every rerun,
    and float arithmetic lands beside bounds (``10 * w / w.max()`` can be 10.000000000000002); an
    uploaded catalogue can make a kept budget or selection out of range. Numbers are clamped to
    ``[low, high]`` and take the bounds' type; a single option not offered becomes `default` (or
    the first option); a selection keeps only the offered options.
    """
    if options is not None:
        offered = list(options)
        if isinstance(value, (list, tuple)):
            return [item for item in value if item in offered]
        if value in offered:
            return value
        return default if default in offered or not offered else offered[0]
    if low is None and high is None:
        return value
    if isinstance(value, float) and math.isnan(value):
        value = default if default is not None else low if low is not None else high
    if low is not None:
        value = max(value, low)
    if high is not None:
        value = min(value, high)
    # a float bound makes a float widget; Streamlit refuses a mix of ints and floats
    if isinstance(low, float) or isinstance(high, float):
        return float(value)
    return round(float(value))


def mirror(widget_key: str, value: Any, **fit: Any) -> None:
    """Show `value` in the widget drawn next with `widget_key` (call before drawing it).

    `fit` are the widget's bounds or options (see :func:`widget_value`).
    """
    st.session_state[widget_key] = widget_value(value, **fit)


def _keep(setting: str, widget_key: str, options: tuple[Any, ...] | None = None) -> None:
    value = st.session_state[widget_key]
    if options is not None:
        # A select box whose option labels changed between runs (a language switch, a count in a
        # label) hands back the label the browser still showed instead of an option; the choice
        # then stays as it was rather than become that text.
        if isinstance(value, (list, tuple)):
            value = type(value)(item for item in value if item in options)
        elif value not in options:
            return
    st.session_state[setting] = value


def bind(setting: str, widget_key: str, *, default: Any = None, **fit: Any) -> dict[str, Any]:
    """Keyword arguments for a widget that shows and changes the plain key `setting`.

    The widget is mirrored from the setting before it is drawn and copies the user's change back,
    so the choice survives page switches, language switches and failed uploads, and every page
    that shows the setting shows the same value. `default` stands in while the setting is None
    (nothing chosen yet); `fit` are the widget's bounds or options (see :func:`widget_value`)::

        st.slider(label, 0.0, 10.0, **state.bind(state.BUDGET, "w:budget:amount", low=0.0, high=10.0))
    """
    value = st.session_state.get(setting)
    mirror(widget_key, default if value is None else value, default=default, **fit)
    options = tuple(fit["options"]) if fit.get("options") is not None else None
    return {"key": widget_key, "on_change": _keep, "args": (setting, widget_key, options)}


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
SCREEN_REJECTED = "screen_rejected"  # (file id, engine InputError) of the upload last refused
SCREEN_UPLOADS = "screen_uploads"  # generation of the uploader: a new key empties it
SCREEN_LABEL = "screen_label"  # the column that names the ranked rows; None: the name column or the id
SCREEN_TOP = "screen_top"  # how many rows are ranked; None: the page's default
SCREEN_PAGE = "screen_page"  # the page of results shown

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


SCREEN_UPLOAD_PREFIX = "w:screen_upload:"


def screen_upload_key(generation: int) -> str:
    return f"{SCREEN_UPLOAD_PREFIX}{generation}"


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
        SCREEN_LABEL: None,
        SCREEN_TOP: None,
        SCREEN_PAGE: 1,
    }
)

# ---------------------------------------------------------------- what each page may reset

#: The plain keys each page's choices live in (and the prefixes of its keys, ending in ":"), by
#: page key (ui.views.PAGES). The error boundary's reset button forgets only these, so a broken
#: page can be started afresh without losing what was chosen elsewhere. The settings belong to
#: every page that edits them: a page broken by them needs them reset.
PAGE_STATE: dict[str, tuple[str, ...]] = {
    "overview": (),
    "weights": (SETTINGS, IMPORTANCE, HELD, SENSITIVITY_CRITERION, SENSITIVITY_AXIS, WEIGHTS_SECTION),
    "ranking": (SETTINGS,),
    "robustness": (ROBUST_MODEL, ROBUST_PERFORMANCE, SAMPLES),
    "data": (PROBLEM, PROBLEM_FILES, SETTINGS, IMPORTANCE, HELD, DATA_MEASURE, DATA_UPLOAD_FAILED),
    "scenarios": (SCENARIOS_DELETE, SCENARIOS_SELECTED, SCENARIOS_ERROR, "w:scenarios:"),
    "compare": (COMPARE_SCENARIOS, "w:compare:"),
    "memo": (MEMO_PACKAGE, MEMO_ISSUE, MEMO_PUBLISHER, MEMO_MARK, MEMO_LANG, SAMPLES, BUDGET, MEMO_COMPARE),
    "judgments": (SETTINGS, IMPORTANCE, HELD, JUDGMENTS_NODE),
    "experts": (SETTINGS, EXPERTS_GROUP, experts_share_key("")),
    "budget": (BUDGET, BUDGET_RULES, BUDGET_MUST, BUDGET_EXCLUDE, BUDGET_BASIS),
    "history": (HISTORY_FILTER, HISTORY_PAGE, HISTORY_CHOSEN, HISTORY_REVERT, "w:history:"),
    "panel": (PANEL_SELECTED, PANEL_LINKS, PANEL_REFUSED, PANEL_NEXT, "w:panel:"),
    "catalogue": (CATALOGUE_FLAGS, "w:catalogue:"),
    "screening": (
        SCREEN_TABLE,
        SCREEN_DOCUMENT,
        SCREEN_LAST,
        SCREEN_REJECTED,
        SCREEN_LABEL,
        SCREEN_TOP,
        SCREEN_PAGE,
        SCREEN_WIDGETS,
        SCREEN_UPLOAD_PREFIX,
    ),
}


def reset_page(page_key: str) -> None:
    """Forget one page's choices (:data:`PAGE_STATE`); the defaults return on the next run."""
    owned = PAGE_STATE.get(page_key, ())
    exact = {key for key in owned if not key.endswith(":")}
    prefixes = tuple(key for key in owned if key.endswith(":"))
    for key in [k for k in st.session_state if str(k) in exact or str(k).startswith(prefixes)]:
        del st.session_state[key]
    init()
