"""The one robustness study and the one recommendation that every page shows, cached.

The overview, the robustness page and the memo show the same study: the one the robustness
page's choices describe (``ui.state.SAMPLES``, ``ROBUST_MODEL``, ``ROBUST_PERFORMANCE``), with
the engine's seed. A study is keyed on the SHA-256 of the input files, the settings, and the
study's choices with every "default" resolved first, so a page that leaves a model unset and a
page that names the default model share one entry. ``st.cache_resource``, like the analysis
(:mod:`ui.current`): a :class:`~engine.robustness.study.Robustness` is immutable and holds
read-only mappings that cannot be pickled.

The sample count is the robustness page's default, 20,000 (a fifth of the 100,000 of
``policyrank robustness``): the landing page needs the study for its first paint, and at 20,000
samples a first-rank share is within about 0.7 percentage points (two standard errors at 58 %).
Every page states the count it used. A smaller count for the first paint alone would save little
(the 10,000 confidence samples and the stability, audit and rank-reversal checks cost the same at
any count) and would show the overview other shares than the robustness page.

:func:`warm_up` starts the shipped data's default study when a server process runs its first
page, so it is computed while that page still imports its modules.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from engine.analysis import Analysis
from engine.errors import InputError
from engine.panel.source import PanelSource
from engine.recommendation import Recommendation, recommend
from engine.robustness.study import (
    DEFAULT_SEED,
    PERFORMANCE_MODELS,
    Robustness,
    analyze,
    default_weight_model,
)
from engine.settings import Settings
from ui import current, decisions, panels, state

CACHE_ENTRIES = 16
PROGRESS_INTERVAL = 0.1  # seconds between two progress reports while a study runs
logger = logging.getLogger(__name__)
_warming: list[threading.Thread] = []  # the one warm-up thread of this process, once started


@dataclass(frozen=True)
class StudyChoice:
    """How the SMAA samples are drawn; every field resolved (no "default" left)."""

    samples: int
    weight_model: str
    performance: str
    seed: int = DEFAULT_SEED


def weight_models(settings: Settings) -> tuple[str, ...]:
    """The weight models that fit the weight source, the default first (judgments need AHP)."""
    if settings.weight_source == "ahp":
        return ("judgments", "dirichlet", "uniform")
    return ("dirichlet", "uniform")


def resolve(
    settings: Settings,
    samples: int,
    weight_model: str | None = None,
    performance: str | None = None,
) -> StudyChoice:
    """A choice with unset or no longer fitting models replaced by the defaults."""
    models = weight_models(settings)
    return StudyChoice(
        samples=int(samples),
        weight_model=weight_model if weight_model in models else default_weight_model(settings),
        performance=performance if performance in PERFORMANCE_MODELS else PERFORMANCE_MODELS[0],
    )


def chosen(settings: Settings) -> StudyChoice:
    """The study the robustness page's choices describe (the session's)."""
    return resolve(
        settings,
        st.session_state[state.SAMPLES],
        st.session_state.get(state.ROBUST_MODEL),
        st.session_state.get(state.ROBUST_PERFORMANCE),
    )


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _study(
    sources: tuple,
    settings: Settings,
    choice: StudyChoice,
    _analysis: Analysis,
    _progress: Callable[[int, int], None] | None = None,
) -> Robustness:
    return analyze(
        _analysis.problem,
        settings,
        samples=choice.samples,
        seed=choice.seed,
        weight_model=choice.weight_model,
        performance=choice.performance,
        analysis=_analysis,
        progress=_progress,
    )


def study(analysis: Analysis, choice: StudyChoice | None = None) -> Robustness:
    """:func:`engine.robustness.study.analyze` of `analysis`, cached; by default the session's choice."""
    choice = choice or chosen(analysis.settings)
    return _study(current.source_key(analysis.problem), analysis.settings, choice, analysis)


def study_reporting(analysis: Analysis, choice: StudyChoice, report: Callable[[float], None]) -> Robustness:
    """:func:`study`, calling ``report(share done)`` in this thread while the samples are drawn.

    The study runs in a worker thread and this one reports how far it is: a Streamlit element
    updated from inside a cached function would be recorded for replay on the next cache hit,
    where the element no longer exists. A cached study returns at once, with no report.
    """
    done = [0.0]
    outcome: list[Robustness] = []
    failure: list[BaseException] = []

    def note(count: int, total: int) -> None:
        done[0] = count / total

    def work() -> None:
        try:
            outcome.append(
                _study(current.source_key(analysis.problem), analysis.settings, choice, analysis, note)
            )
        except BaseException as exc:  # re-raised in the page's thread, where the boundary reports it
            failure.append(exc)

    worker = threading.Thread(target=work, name="policyrank-study", daemon=True)
    context = get_script_run_ctx()
    if context is not None:  # cached functions expect a script context, as in the page itself
        add_script_run_ctx(worker, context)
    worker.start()
    worker.join(PROGRESS_INTERVAL)
    while worker.is_alive():
        report(done[0])
        worker.join(PROGRESS_INTERVAL)
    if failure:
        raise failure[0]
    return outcome[0]


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _recommendation(
    sources: tuple,
    settings: Settings,
    choice: StudyChoice,
    panel: tuple | None,
    _analysis: Analysis,
    _study: Robustness,
    _panel: PanelSource | None,
) -> Recommendation:
    try:
        groups = decisions.groups(_analysis)
    except (InputError, ValueError):  # e.g. an uploaded catalogue with one expert and no groups
        groups = None
    return recommend(_analysis, _study, groups=groups, panel=_panel)


def recommendation(analysis: Analysis, choice: StudyChoice | None = None) -> Recommendation:
    """:func:`engine.recommendation.recommend` on the cached study, with the experts' agreement and
    the expert panel the weights come from (when they do)."""
    choice = choice or chosen(analysis.settings)
    found = study(analysis, choice)
    panel = panels.source_in_use(analysis.settings)
    key = None if panel is None else panels.source_key(panel)
    return _recommendation(
        current.source_key(analysis.problem), analysis.settings, choice, key, analysis, found, panel
    )


def warm_default_study() -> None:
    """Compute (and cache) the shipped data's default recommendation and the study under it."""
    try:
        settings = Settings()
        analysis = current.analyse(current.shipped_problem(), settings)
        recommendation(analysis, resolve(settings, state.DEFAULTS[state.SAMPLES]))
    except Exception:  # the page computes it again and reports any error itself
        logger.exception("warming up the default recommendation failed")


def warm_up() -> None:
    """Compute the shipped data's default recommendation in the background, once per process.

    On a fresh server the first visitor's landing page spends about a second importing its
    modules (altair, pandas) before it asks for the study; started from the entry script, the
    study runs beside that instead of after it. The cache's per-key lock makes the page wait for
    this computation rather than repeat it; later visitors find it cached.
    """
    if _warming:
        return
    thread = threading.Thread(target=warm_default_study, name="policyrank-warm-up", daemon=True)
    context = get_script_run_ctx()
    if context is not None:  # cached functions expect a script context, as in the page itself
        add_script_run_ctx(thread, context)
    _warming.append(thread)
    thread.start()


def wait_for_warm_up(timeout: float | None = None) -> None:
    """Return once the warm-up, if this process started one, has finished."""
    for thread in _warming:
        thread.join(timeout)
