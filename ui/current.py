"""The problem and analysis in use, computed by the engine and cached across reruns.

``st.cache_resource`` rather than ``st.cache_data``: an :class:`~engine.analysis.Analysis` holds
read-only mappings that cannot be pickled, and it is immutable, so one shared instance is both
possible and safe (``cache_data`` would pickle and copy it on every hit). The cache is keyed on
the settings (a frozen, hashable value) and on the SHA-256 of every source file of the problem.
"""

from __future__ import annotations

import streamlit as st

from engine.analysis import Analysis, run
from engine.load import load_problem
from engine.model import Problem
from engine.settings import Settings
from ui import state, workspace

CACHE_ENTRIES = 64


@st.cache_resource(show_spinner=False)
def shipped_problem() -> Problem:
    """The criteria, catalogue, evidence and presets shipped in the repository."""
    return load_problem()


def source_key(problem: Problem) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(problem.sources.items()))


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _analysis(sources: tuple[tuple[str, str], ...], settings: Settings, _problem: Problem) -> Analysis:
    return run(_problem, settings)


def analyse(problem: Problem, settings: Settings) -> Analysis:
    """``engine.analysis.run(problem, settings)``, cached."""
    return _analysis(source_key(problem), settings, problem)


def problem() -> Problem:
    """The uploaded problem if there is one, else the open scenario's project from the workspace."""
    return state.uploaded_problem() or workspace.problem()


def analysis() -> Analysis:
    """The analysis of the current problem on the current settings."""
    return analyse(problem(), state.settings())


def baseline() -> Analysis:
    """The current problem on the shipped default settings (what rank changes compare against)."""
    return analyse(problem(), Settings())


def clear() -> None:
    """Forget every cached problem, analysis and memo (tests call this between apps)."""
    st.cache_resource.clear()
    st.cache_data.clear()
