"""The documented import path of the ranking methods; the code lives in :mod:`engine.mcda.methods`."""

from engine.mcda.methods import (
    DEFAULT_NORMALIZATION,
    HIGHER_IS_BETTER,
    METHODS,
    PREFERENCE_FUNCTIONS,
    MethodResult,
    evaluate,
    promethee_ii,
    topsis,
    vikor,
    wsm,
)

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
