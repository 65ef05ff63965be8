"""The documented import path of the AHP kernel; the code lives in :mod:`engine.mcda.ahp`."""

from engine.mcda.ahp import (
    RANDOM_INDEX,
    SAATY_SCALE,
    AHPResult,
    aggregate_judgments,
    batch_priorities,
    pairwise_matrix,
    priorities,
    revision_hint,
)

__all__ = [
    "RANDOM_INDEX",
    "SAATY_SCALE",
    "AHPResult",
    "aggregate_judgments",
    "batch_priorities",
    "pairwise_matrix",
    "priorities",
    "revision_hint",
]
