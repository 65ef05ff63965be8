"""Slider arithmetic: importances to weights with some weights held, and the Saaty scale as steps.

An analyst sets a raw importance per criterion; the weights are the importances renormalised to
sum 1. *Holding* a criterion freezes its weight while the free criteria share what the held ones
leave, in proportion to their importances. Pairwise judgments are edited on Saaty's 17-step scale
(1/9 ... 1 ... 9), so the nearest step of an arbitrary (e.g. aggregated) judgment is needed too.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.mcda.ahp import SAATY_SCALE

__all__ = [
    "IMPORTANCE_SCALE",
    "SAATY_STEPS",
    "held_weights",
    "importance_from_weights",
    "saaty_step",
    "step_value",
]

#: Importances run from 0 to IMPORTANCE_SCALE; the largest weight starts at the top of the scale.
IMPORTANCE_SCALE = 10.0

#: Steps of the pairwise slider: -8 (the second item is extremely more important, 1/9) .. 0 (equal)
#: .. 8 (the first item is extremely more important, 9).
SAATY_STEPS: tuple[int, ...] = tuple(range(-8, 9))

_TOLERANCE = 1e-9


def _vector(values: ArrayLike, name: str) -> NDArray[np.float64]:
    array = np.array(values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional; got shape {array.shape}")
    return array


def held_weights(importance: ArrayLike, *, held: ArrayLike, fixed: ArrayLike) -> NDArray[np.float64]:
    """Weights from raw importances, keeping the held criteria at fixed weights.

    Parameters
    ----------
    importance : array_like, shape (n,)
        Raw importances, finite and >= 0. Only the ratios between free criteria matter.
    held : array_like of bool, shape (n,)
        Which criteria keep a fixed weight.
    fixed : array_like, shape (n,)
        The weights the held criteria keep (entries of free criteria are ignored); finite, >= 0,
        summing to at most 1 over the held criteria.

    Returns
    -------
    ndarray, shape (n,)
        Non-negative weights summing to 1.

    Raises
    ------
    ValueError
        Mismatched shapes, a negative or non-finite importance or fixed weight, held weights
        summing to more than 1, or nothing to weigh (every weight would be 0).

    Notes
    -----
    With :math:`H = \\sum_{i \\in \\text{held}} f_i` and the free set :math:`F`,

    .. math:: w_i = f_i \\ (i \\text{ held}), \\qquad
              w_i = (1 - H)\\, \\frac{r_i}{\\sum_{k \\in F} r_k} \\ (i \\in F).

    When the free importances are all zero (or nothing is free) the held weights cannot keep
    their values and still sum to 1; they are then renormalised among themselves, and the free
    criteria get 0. This is the only case where a held weight moves.
    """
    r = _vector(importance, "importance")
    mask = np.array(held, dtype=bool)
    f = _vector(fixed, "fixed")
    if mask.shape != r.shape or f.shape != r.shape:
        raise ValueError(
            f"importance, held and fixed must have the same shape; got {r.shape}, {mask.shape} and {f.shape}"
        )
    if not np.all(np.isfinite(r)) or np.any(r < 0):
        raise ValueError("importances must be finite and non-negative")
    held_fixed = np.where(mask, f, 0.0)
    if not np.all(np.isfinite(held_fixed)) or np.any(held_fixed < 0):
        raise ValueError("held weights must be finite and non-negative")
    total_held = held_fixed.sum()
    if total_held > 1 + _TOLERANCE:
        raise ValueError(f"held weights sum to {total_held:.6g}, more than 1")
    free = np.where(mask, 0.0, r)
    if free.max(initial=0.0) > 0:
        # shares first, then the rest: multiplying first underflows tiny importances (0.5 * 5e-324
        # is 0), and dividing by the largest first keeps the sum of huge importances finite
        shares = free / free.max()
        weights = held_fixed + max(1.0 - total_held, 0.0) * (shares / shares.sum())
    elif total_held > 0:
        weights = held_fixed / total_held
    else:
        raise ValueError("every weight would be 0; give at least one criterion an importance above 0")
    return weights / weights.sum()


def importance_from_weights(weights: ArrayLike) -> NDArray[np.float64]:
    """Raw importances on 0..:data:`IMPORTANCE_SCALE` that reproduce `weights`.

    The largest weight maps to the top of the scale, so the sliders use their whole range and an
    analyst reads "as important as the most important criterion" at the right end.
    """
    w = _vector(weights, "weights")
    if not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError("weights must be finite, non-negative and not all zero")
    # divide first: w / w.max() is exactly 1 at the largest weight and at most 1 elsewhere, so the
    # product never passes the top of the scale (10 * w / w.max() can be 10.000000000000002)
    return IMPORTANCE_SCALE * (w / w.max())


def saaty_step(value: float) -> int:
    """The step of :data:`SAATY_STEPS` nearest to a judgment value on a log scale.

    Aggregated judgments (geometric means of several experts) fall between the scale's values;
    the log distance treats 3 and 1/3 alike, as the ratio scale demands.
    """
    v = float(value)
    if not np.isfinite(v) or v <= 0:
        raise ValueError(f"a judgment value must be a positive number; got {value!r}")
    index = int(np.argmin(np.abs(np.log(np.array(SAATY_SCALE)) - np.log(v))))
    return SAATY_STEPS[index]


def step_value(step: int) -> float:
    """The judgment value of a slider step: 0 -> 1, k > 0 -> k + 1, k < 0 -> 1 / (1 - k)."""
    if step not in SAATY_STEPS:
        raise ValueError(f"a Saaty step lies in -8..8; got {step!r}")
    return float(step + 1) if step >= 0 else 1.0 / (1 - step)
