"""The recommendation the app shows, computed straight from the engine for comparison."""

from __future__ import annotations

from engine.analysis import run
from engine.insight.groups import analyse_groups
from engine.model import Problem
from engine.recommendation import Recommendation, recommend
from engine.robustness.study import DEFAULT_SEED, analyze
from engine.settings import Settings
from ui import state


def recommended(problem: Problem, settings: Settings | None = None) -> Recommendation:
    """The session's study (``ui.state`` default sample count, default models, the engine's seed)."""
    analysis = run(problem, settings or Settings())
    samples = state.DEFAULTS[state.SAMPLES]
    study = analyze(problem, analysis.settings, samples=samples, seed=DEFAULT_SEED, analysis=analysis)
    return recommend(analysis, study, groups=analyse_groups(problem, analysis.settings))
