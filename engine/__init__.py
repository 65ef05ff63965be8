"""policyrank's engine: load the problem, run the analysis, explain and render it; no Streamlit.

The names below are the public API at a glance; each is imported from its module on first use
(PEP 562), so ``import engine`` (which every ``policyrank`` command does first) stays cheap::

    import engine

    analysis = engine.run(engine.load_problem(), engine.Settings(method="vikor"))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    "load_problem": "engine.load",
    "problem_from_bytes": "engine.load",
    "Problem": "engine.model",
    "Settings": "engine.settings",
    "run": "engine.analysis",
    "Analysis": "engine.analysis",
    "InputError": "engine.errors",
    "priorities": "engine.mcda.ahp",
    "topsis": "engine.mcda.methods",
    "wsm": "engine.mcda.methods",
    "vikor": "engine.mcda.methods",
    "promethee_ii": "engine.mcda.methods",
    "evaluate": "engine.mcda.registry",
    "entropy": "engine.mcda.weighting",
    "critic": "engine.mcda.weighting",
    "analyze": "engine.robustness.study",
    "build_memo": "engine.memo",
    "render": "engine.memo",
}

__all__ = [
    "Analysis",
    "InputError",
    "Problem",
    "Settings",
    "analyze",
    "build_memo",
    "critic",
    "entropy",
    "evaluate",
    "load_problem",
    "priorities",
    "problem_from_bytes",
    "promethee_ii",
    "render",
    "run",
    "topsis",
    "vikor",
    "wsm",
]

if TYPE_CHECKING:  # the names as type checkers and editors see them
    from engine.analysis import Analysis, run
    from engine.errors import InputError
    from engine.load import load_problem, problem_from_bytes
    from engine.mcda.ahp import priorities
    from engine.mcda.methods import promethee_ii, topsis, vikor, wsm
    from engine.mcda.registry import evaluate
    from engine.mcda.weighting import critic, entropy
    from engine.memo import build_memo, render
    from engine.model import Problem
    from engine.robustness.study import analyze
    from engine.settings import Settings


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'engine' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
