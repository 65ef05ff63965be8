"""Shared validation of decision matrices, weights and criterion directions.

Every public numeric function funnels its inputs through these helpers so that
the same defect produces the same message everywhere, and so that the message
names the offending row/column (or position) the user has to fix.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "as_directions",
    "as_matrix",
    "as_weights",
    "describe_value",
    "first_bad",
    "readonly",
]


def first_bad(mask: NDArray[np.bool_]) -> tuple[int, ...]:
    """Return the (row-major) index of the first True entry of `mask`."""
    return tuple(int(i) for i in np.argwhere(mask)[0])


def describe_value(x: float) -> str:
    """Short human name of a non-finite value (NaN, inf, -inf) or the number."""
    if np.isnan(x):
        return "NaN"
    if np.isposinf(x):
        return "inf"
    if np.isneginf(x):
        return "-inf"
    return f"{x:g}"


def readonly(a: NDArray) -> NDArray:
    """Mark `a` read-only and return it (results must not be mutated)."""
    a.setflags(write=False)
    return a


def _to_float(x: ArrayLike, name: str) -> NDArray[np.float64]:
    try:
        return np.array(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from None


def as_matrix(matrix: ArrayLike, name: str = "matrix") -> NDArray[np.float64]:
    """Validate a decision matrix (m alternatives x n criteria).

    Returns a fresh float64 copy. Raises ValueError for a wrong shape, an
    empty matrix, or any NaN/inf (naming the row and column).
    """
    a = _to_float(matrix, name)
    if a.ndim != 2:
        raise ValueError(f"{name} must be 2-D (alternatives x criteria); got {a.ndim}-D with shape {a.shape}")
    if a.shape[0] == 0 or a.shape[1] == 0:
        raise ValueError(f"{name} must have at least one alternative and one criterion; got shape {a.shape}")
    bad = ~np.isfinite(a)
    if bad.any():
        r, c = first_bad(bad)
        raise ValueError(f"{name} has {describe_value(a[r, c])} at row {r}, column {c}")
    return a


DIRECTION_WORDS = {"benefit": 1.0, "cost": -1.0}


def _direction_numbers(directions: ArrayLike) -> ArrayLike:
    """``"benefit"`` and ``"cost"`` as +1 and -1, as the criteria files write them."""
    if isinstance(directions, np.ndarray) and directions.dtype.kind in "biuf":
        return directions
    given = np.asarray(directions, dtype=object)
    if not any(isinstance(value, str) for value in given.flat):
        return directions
    numbers = np.empty(given.shape, dtype=object)
    for j, value in enumerate(given.flat):
        if not isinstance(value, str):
            numbers.flat[j] = value
            continue
        word = value.strip().lower()
        try:
            numbers.flat[j] = DIRECTION_WORDS[word] if word in DIRECTION_WORDS else float(word)
        except ValueError:
            raise ValueError(
                f"directions must be +1 or 'benefit', -1 or 'cost'; got {value!r} at position {j}"
            ) from None
    return numbers


def as_directions(directions: ArrayLike, n: int) -> NDArray[np.int64]:
    """Validate criterion directions, length n: +1 or ``"benefit"``, -1 or ``"cost"``."""
    d = _to_float(_direction_numbers(directions), "directions")
    if d.ndim != 1:
        raise ValueError(f"directions must be 1-D; got shape {d.shape}")
    if d.shape[0] != n:
        raise ValueError(f"directions has {d.shape[0]} entries but the matrix has {n} criteria (columns)")
    bad = (d != 1.0) & (d != -1.0)
    if bad.any():
        (j,) = first_bad(bad)
        raise ValueError(
            f"directions must be +1 (benefit) or -1 (cost); got {describe_value(d[j])} at position {j}"
        )
    return d.astype(np.int64)


def as_weights(weights: ArrayLike, n: int) -> tuple[NDArray[np.float64], bool]:
    """Validate one weight vector (n,) or a batch (k, n) and renormalise.

    Returns ``(W, batched)`` where ``W`` has shape (k, n) with every row
    summing to 1, and ``batched`` tells whether the input was 2-D.
    """
    w = _to_float(weights, "weights")
    if w.ndim not in (1, 2):
        raise ValueError(f"weights must be a vector (n,) or a batch (k, n); got shape {w.shape}")
    batched = w.ndim == 2
    w2 = np.atleast_2d(w)
    if w2.shape[1] != n:
        raise ValueError(
            f"weights has {w2.shape[1]} entries per row but the matrix has {n} criteria (columns)"
        )
    if w2.shape[0] == 0:
        raise ValueError("weights batch is empty (k = 0)")

    def where(idx: tuple[int, ...]) -> str:
        return f"row {idx[0]}, position {idx[1]}" if batched else f"position {idx[1]}"

    bad = ~np.isfinite(w2)
    if bad.any():
        idx = first_bad(bad)
        raise ValueError(f"weights must be finite; got {describe_value(w2[idx])} at {where(idx)}")
    bad = w2 < 0
    if bad.any():
        idx = first_bad(bad)
        raise ValueError(f"weights must be non-negative; got {w2[idx]:g} at {where(idx)}")
    total = w2.sum(axis=1)
    zero = total <= 0
    if zero.any():
        (r,) = first_bad(zero)
        raise ValueError(
            "weights must not be all zero" + (f"; row {r} of the batch is all zero" if batched else "")
        )
    return w2 / total[:, None], batched
