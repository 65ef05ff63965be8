"""The documented import path of the AHP kernel; the code lives in :mod:`engine.mcda.ahp`."""

from engine.mcda.ahp import (
    CR_THRESHOLD,
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
    "CR_THRESHOLD",
    "RANDOM_INDEX",
    "SAATY_SCALE",
    "AHPResult",
    "aggregate_judgments",
    "batch_priorities",
    "pairwise_matrix",
    "priorities",
    "revision_hint",
]
