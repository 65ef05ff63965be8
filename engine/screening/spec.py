"""The screening spec: which columns are criteria, their directions and weights, filters, policies.

A spec is YAML (docs/formats.md, "Screening spec"); :func:`parse_spec` validates a parsed document
through :class:`engine.io.reader.Reader`, so every problem names the file and the place in it.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, cast

import numpy as np
from numpy.typing import NDArray

from engine.errors import InputError
from engine.io.reader import Reader, display_path, join_place
from engine.io.safe_yaml import read_yaml
from engine.mcda.ahp import AHPResult, pairwise_matrix, priorities
from engine.shipped import ROOT

FILTER_OPS: tuple[str, ...] = ("in", "not_in", "min", "max", "equals")
MISSING_POLICIES: tuple[str, ...] = ("drop", "worst", "error")
ScreenMethod = Literal["topsis", "wsm"]
SCREEN_METHODS: tuple[ScreenMethod, ...] = ("topsis", "wsm")
NORMALIZATIONS: tuple[str, ...] = ("vector", "minmax", "max", "sum")
DEFAULT_NORMALIZATION = {"topsis": "vector", "wsm": "minmax"}
SAMPLE_SPEC = ROOT / "data" / "screen_spec.yaml"
Array = NDArray[np.float64]


@dataclass(frozen=True)
class Criterion:
    """One column used as a criterion."""

    column: str
    direction: int  # +1 benefit, -1 cost
    weight: float | None  # None when the weights come from judgments
    bounds: tuple[float, float] | None = None


@dataclass(frozen=True)
class Filter:
    """Keep a row only if ``column`` passes ``op`` with ``value``."""

    column: str
    op: str
    value: Any

    def describe(self) -> str:
        return f"{self.column} {self.op} {self.value!r}"


@dataclass(frozen=True)
class ScreenSpec:
    """A validated screening spec (see docs/formats.md, "Screening spec").

    Attributes
    ----------
    source : str
        The file it came from (used in messages).
    method : {"topsis", "wsm"}
    normalization : {"vector", "minmax", "max", "sum"}
    id_column : str
        Identifies a row in the output.
    keep : tuple of str
        Further columns copied to the output.
    missing : {"drop", "worst", "error"}
        Rows with a missing criterion value are dropped, get the column's worst observed value,
        or stop the run with a message naming the row.
    criteria : tuple of Criterion
    filters : tuple of Filter
        All must hold (AND).
    weights : ndarray, shape (n,)
        Sum 1: the given weights renormalised, or AHP priorities of the judgments.
    ahp : AHPResult or None
        Priorities and consistency when the weights come from pairwise judgments.
    """

    source: str
    method: ScreenMethod
    normalization: str
    id_column: str
    keep: tuple[str, ...]
    missing: str
    criteria: tuple[Criterion, ...]
    filters: tuple[Filter, ...]
    weights: Array
    ahp: AHPResult | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c.column for c in self.criteria)

    @property
    def directions(self) -> Array:
        return np.array([c.direction for c in self.criteria], dtype=np.float64)

    @property
    def reciprocal(self) -> NDArray[np.bool_]:
        """Cost columns under "sum": scored as 1/x benefit columns, as engine.mcda.normalization does."""
        return (self.directions < 0) & (self.normalization == "sum")

    @property
    def bounds(self) -> Array | None:
        """(n, 2) fixed bounds for "minmax", NaN where a criterion has none; None if none has."""
        if not any(c.bounds for c in self.criteria):
            return None
        return np.array([c.bounds or (np.nan, np.nan) for c in self.criteria], dtype=np.float64)

    def needed_columns(self, *, output: bool) -> list[str]:
        """Columns to read: criteria and filters, plus id and kept columns for the output."""
        names = [*self.columns, *(f.column for f in self.filters)]
        if output:
            names += [self.id_column, *self.keep]
        return list(dict.fromkeys(names))

    def with_method(self, method: str | None) -> ScreenSpec:
        if method is None or method == self.method:
            return self
        if method not in SCREEN_METHODS:
            raise InputError("--method", "", f"expected one of {', '.join(SCREEN_METHODS)}, got {method!r}")
        normalization = DEFAULT_NORMALIZATION[method] if self.bounds is None else "minmax"
        return replace(self, method=cast(ScreenMethod, method), normalization=normalization)


def spec_place(*parts: str | int) -> str:
    """A place in a spec document, e.g. ``spec_place("criteria", 2, "column")`` is criteria[2].column."""
    return functools.reduce(join_place, parts, "")


def load_spec(path: str | os.PathLike[str]) -> ScreenSpec:
    source = display_path(path)
    document, _ = read_yaml(Path(path), source)
    return parse_spec(document, source)


def parse_spec(document: Any, source: str) -> ScreenSpec:
    """Validate a parsed spec document; every problem raises InputError naming its place."""
    r = Reader(source)
    top = r.mapping(
        document,
        "",
        ("id", "criteria"),
        ("method", "normalization", "keep", "missing", "filters", "judgments", "ahp_method", "title"),
    )
    method = top.get("method", "topsis")
    if method not in SCREEN_METHODS:
        raise r.fail("method", f"expected one of {', '.join(SCREEN_METHODS)}, got {method!r}")
    id_column = r.string(top["id"], "id")
    keep = tuple(
        r.string(v, spec_place("keep", i))
        for i, v in enumerate(r.sequence(top.get("keep", []) or [], "keep", min_items=0))
    )
    missing = top.get("missing", "error")
    if missing not in MISSING_POLICIES:
        raise r.fail("missing", f"expected one of {', '.join(MISSING_POLICIES)}, got {missing!r}")

    judged = "judgments" in top
    criteria = _criteria(r, top["criteria"], judged=judged)
    has_bounds = any(c.bounds for c in criteria)
    normalization = top.get("normalization", "minmax" if has_bounds else DEFAULT_NORMALIZATION[method])
    if normalization not in NORMALIZATIONS:
        raise r.fail("normalization", f"expected one of {', '.join(NORMALIZATIONS)}, got {normalization!r}")
    if has_bounds and normalization != "minmax":
        raise r.fail("normalization", f"fixed bounds need 'minmax', got {normalization!r}")

    ahp = None
    if judged:
        ahp = _judged_weights(
            r, top["judgments"], [c.column for c in criteria], top.get("ahp_method", "eigen")
        )
        weights = np.asarray(ahp.weights, dtype=np.float64)
    else:
        weights = np.array([c.weight for c in criteria], dtype=np.float64)
        if weights.sum() <= 0:
            raise r.fail("criteria", "the weights must not all be zero")
        weights = weights / weights.sum()

    return ScreenSpec(
        source=source,
        method=method,
        normalization=normalization,
        id_column=id_column,
        keep=keep,
        missing=missing,
        criteria=criteria,
        filters=_filters(r, top.get("filters", []) or []),
        weights=weights,
        ahp=ahp,
    )


def _criteria(r: Reader, value: Any, *, judged: bool) -> tuple[Criterion, ...]:
    criteria: list[Criterion] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(r.sequence(value, "criteria")):
        place = spec_place("criteria", i)
        fields = r.mapping(item, place, ("column", "direction"), ("weight", "bounds", "name"))
        column = r.string(fields["column"], spec_place(place, "column"))
        if column in seen:
            raise r.fail(
                spec_place(place, "column"), f"column {column!r} is already criterion {seen[column]}"
            )
        seen[column] = i
        direction = fields["direction"]
        if direction not in ("benefit", "cost"):
            raise r.fail(spec_place(place, "direction"), f"expected benefit or cost, got {direction!r}")
        weight = None
        if "weight" in fields:
            if judged:
                raise r.fail(spec_place(place, "weight"), "give weights or judgments, not both")
            weight = r.number(fields["weight"], spec_place(place, "weight"), low=0)
        elif not judged:
            raise r.fail(place, "missing key 'weight' (or give pairwise judgments under 'judgments')")
        bounds = _bounds(r, fields["bounds"], spec_place(place, "bounds")) if "bounds" in fields else None
        criteria.append(Criterion(column, 1 if direction == "benefit" else -1, weight, bounds))
    return tuple(criteria)


def _bounds(r: Reader, value: Any, place: str) -> tuple[float, float]:
    pair = r.sequence(value, place, min_items=2)
    if len(pair) != 2:
        raise r.fail(place, f"expected [low, high], got {len(pair)} items")
    low = r.number(pair[0], spec_place(place, 0))
    high = r.number(pair[1], spec_place(place, 1))
    if not low < high:
        raise r.fail(place, f"expected low < high, got [{low:g}, {high:g}]")
    return low, high


def _filters(r: Reader, value: Any) -> tuple[Filter, ...]:
    filters = []
    for i, item in enumerate(r.sequence(value, "filters", min_items=0)):
        place = spec_place("filters", i)
        fields = r.mapping(item, place, ("column",), FILTER_OPS)
        column = r.string(fields["column"], spec_place(place, "column"))
        ops = [op for op in FILTER_OPS if op in fields]
        if len(ops) != 1:
            raise r.fail(place, f"expected exactly one of {', '.join(FILTER_OPS)}, got {len(ops)}")
        op = ops[0]
        operand = fields[op]
        if op in ("in", "not_in"):
            operand = tuple(r.sequence(operand, spec_place(place, op)))
            for j, v in enumerate(operand):
                if not isinstance(v, str | int | float | bool):
                    raise r.fail(
                        spec_place(place, op, j), f"expected a text or a number, got {type(v).__name__}"
                    )
        elif op in ("min", "max"):
            operand = r.number(operand, spec_place(place, op))
        elif not isinstance(operand, str | int | float | bool):
            raise r.fail(
                spec_place(place, op), f"expected a text, number or true/false, got {type(operand).__name__}"
            )
        filters.append(Filter(column, op, operand))
    return tuple(filters)


def _judged_weights(r: Reader, value: Any, columns: list[str], method: Any) -> AHPResult:
    if method not in ("eigen", "geometric"):
        raise r.fail("ahp_method", f"expected eigen or geometric, got {method!r}")
    index = {c: i for i, c in enumerate(columns)}
    pairs = []
    for k, item in enumerate(r.sequence(value, "judgments")):
        fields = r.mapping(item, spec_place("judgments", k), ("a", "b", "value"), ("why",))
        for key in ("a", "b"):
            if fields[key] not in index:
                raise r.fail(
                    spec_place("judgments", k, key),
                    f"expected one of the criteria's columns ({', '.join(columns)}), got {fields[key]!r}",
                )
        number = r.number(
            fields["value"], spec_place("judgments", k, "value"), low=1 / 9 - 1e-6, high=9 + 1e-6
        )
        pairs.append((index[fields["a"]], index[fields["b"]], number))
    try:
        matrix = pairwise_matrix(len(columns), pairs)
        return priorities(matrix, method)
    except ValueError as exc:
        raise r.fail("judgments", str(exc)) from None
