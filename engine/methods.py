"""The documented import path of the ranking methods.

The kernels live in :mod:`engine.mcda.methods`; :func:`evaluate` and :class:`MethodResult` in
:mod:`engine.mcda.registry`, which declares every method.
"""

from engine.mcda.methods import (
    DEFAULT_NORMALIZATION,
    HIGHER_IS_BETTER,
    METHODS,
    PREFERENCE_FUNCTIONS,
    promethee_ii,
    topsis,
    vikor,
    wsm,
)
from engine.mcda.registry import MethodResult, evaluate

__all__ = [
    "DEFAULT_NORMALIZATION",
    "HIGHER_IS_BETTER",
    "METHODS",
    "PREFERENCE_FUNCTIONS",
    "MethodResult",
    "evaluate",
    "promethee_ii",
    "topsis",
    "vikor",
    "wsm",
]
