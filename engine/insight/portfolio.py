"""A policy package: the best set of countermeasures that a budget pays for, under rules.

The countermeasures are not exclusive alternatives; a city adopts several. Choosing the set that
maximises total value with an annual fiscal budget and rules (must include, exclude, at most one
of a pair, A requires B, at least k of a group) is a 0-1 knapsack with side constraints, solved
exactly with :func:`scipy.optimize.milp` (HiGHS branch and bound).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine.analysis import Analysis
from engine.errors import InputError
from engine.io.reader import Reader, display_path
from engine.io.safe_yaml import read_yaml
from engine.mcda.registry import get
from engine.model import Problem, Text, frozen_array
from engine.text.messages import coded

__all__ = [
    "COST_ESTIMATES",
    "VALUE_BASES",
    "Frontier",
    "MeasureGroup",
    "Package",
    "Rules",
    "cheapest_package",
    "cost_criterion",
    "costs",
    "efficient_frontier",
    "load_rules",
    "package_values",
    "parse_rules",
    "select_package",
    "solve",
]

VALUE_BASES = ("wsm", "primary")
COST_ESTIMATES = ("value", "low", "high")
_TOLERANCE = 1e-9


# ---------------------------------------------------------------- rules


@dataclass(frozen=True)
class MeasureGroup:
    """At least ``at_least`` of ``measures`` must be in the package."""

    id: str
    measures: tuple[str, ...]
    at_least: int = 1
    name: Text | None = None
    why: Text | None = None


@dataclass(frozen=True)
class Rules:
    """Rules a package must obey (see docs/formats.md, "Package rules").

    ``exclusive`` pairs: at most one of the two. ``requires`` pairs ``(a, b)``: a only together
    with b.
    """

    must: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    exclusive: tuple[tuple[str, str], ...] = ()
    requires: tuple[tuple[str, str], ...] = ()
    groups: tuple[MeasureGroup, ...] = ()
    source: str = "rules"
    why: Mapping[tuple[str, str, str], Text] = field(default_factory=dict, compare=False, hash=False)

    def merged(self, *, must: Iterable[str] = (), exclude: Iterable[str] = ()) -> Rules:
        """These rules plus further must-include and exclude ids (e.g. from the command line)."""
        extra_must = tuple(m for m in must if m not in self.must)
        extra_exclude = tuple(m for m in exclude if m not in self.exclude)
        return Rules(
            must=self.must + extra_must,
            exclude=self.exclude + extra_exclude,
            exclusive=self.exclusive,
            requires=self.requires,
            groups=self.groups,
            source=self.source,
            why=self.why,
        )

    def to_mapping(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": 1}
        if self.must:
            out["must"] = list(self.must)
        if self.exclude:
            out["exclude"] = list(self.exclude)
        if self.exclusive:
            out["exclusive"] = [{"a": a, "b": b} for a, b in self.exclusive]
        if self.requires:
            out["requires"] = [{"measure": a, "requires": b} for a, b in self.requires]
        if self.groups:
            out["groups"] = [
                {"id": g.id, "measures": list(g.measures), "at_least": g.at_least} for g in self.groups
            ]
        return out


def _ids(
    reader: Reader, value: Any, place: str, known: Sequence[str], *, min_items: int = 0
) -> tuple[str, ...]:
    items = reader.sequence(value, place, min_items=min_items)
    out = []
    for index, item in enumerate(items):
        item_place = f"{place}[{index}]"
        measure = reader.ident(item, item_place)
        if measure not in known:
            raise reader.fail(item_place, f"unknown countermeasure {measure!r} (known: {', '.join(known)})")
        if measure in out:
            raise reader.fail(item_place, f"{measure!r} is listed twice")
        out.append(measure)
    return tuple(out)


def _measure(reader: Reader, value: Any, place: str, known: Sequence[str]) -> str:
    measure = reader.ident(value, place)
    if measure not in known:
        raise reader.fail(place, f"unknown countermeasure {measure!r} (known: {', '.join(known)})")
    return measure


def parse_rules(document: Any, source: str, measure_ids: Sequence[str]) -> Rules:
    """Validate a parsed package-rules document against the catalogue's countermeasure ids."""
    reader = Reader(source)
    fields = reader.mapping(
        document,
        "",
        ("version",),
        ("name", "description", "must", "exclude", "exclusive", "requires", "groups"),
    )
    reader.version(fields)
    for key in ("name", "description"):
        if key in fields:
            reader.text(fields[key], key)
    why: dict[tuple[str, str, str], Text] = {}
    must = _ids(reader, fields.get("must", []), "must", measure_ids)
    exclude = _ids(reader, fields.get("exclude", []), "exclude", measure_ids)
    for index, measure in enumerate(exclude):
        if measure in must:
            raise reader.fail(
                f"exclude[{index}]", f"{measure!r} is also under 'must'; a package cannot do both"
            )
    exclusive = []
    for index, item in enumerate(reader.sequence(fields.get("exclusive", []), "exclusive", min_items=0)):
        place = f"exclusive[{index}]"
        entry = reader.mapping(item, place, ("a", "b"), ("why",))
        a = _measure(reader, entry["a"], f"{place}.a", measure_ids)
        b = _measure(reader, entry["b"], f"{place}.b", measure_ids)
        if a == b:
            raise reader.fail(place, f"a pair needs two different countermeasures, got {a!r} twice")
        exclusive.append((a, b))
        if "why" in entry:
            why["exclusive", a, b] = reader.text(entry["why"], f"{place}.why")
    requires = []
    for index, item in enumerate(reader.sequence(fields.get("requires", []), "requires", min_items=0)):
        place = f"requires[{index}]"
        entry = reader.mapping(item, place, ("measure", "requires"), ("why",))
        a = _measure(reader, entry["measure"], f"{place}.measure", measure_ids)
        b = _measure(reader, entry["requires"], f"{place}.requires", measure_ids)
        if a == b:
            raise reader.fail(place, f"{a!r} cannot require itself")
        requires.append((a, b))
        if "why" in entry:
            why["requires", a, b] = reader.text(entry["why"], f"{place}.why")
    groups = []
    for index, item in enumerate(reader.sequence(fields.get("groups", []), "groups", min_items=0)):
        place = f"groups[{index}]"
        entry = reader.mapping(item, place, ("id", "measures"), ("name", "at_least", "why"))
        members = _ids(reader, entry["measures"], f"{place}.measures", measure_ids, min_items=1)
        at_least = entry.get("at_least", 1)
        if isinstance(at_least, bool) or not isinstance(at_least, int) or not 1 <= at_least <= len(members):
            raise reader.fail(
                f"{place}.at_least", f"expected a whole number in 1..{len(members)}, got {at_least!r}"
            )
        groups.append(
            MeasureGroup(
                id=reader.ident(entry["id"], f"{place}.id"),
                measures=members,
                at_least=at_least,
                name=reader.text(entry["name"], f"{place}.name") if "name" in entry else None,
                why=reader.text(entry["why"], f"{place}.why") if "why" in entry else None,
            )
        )
    reader.unique((f"groups[{i}]", g.id) for i, g in enumerate(groups))
    return Rules(
        must=must,
        exclude=exclude,
        exclusive=tuple(exclusive),
        requires=tuple(requires),
        groups=tuple(groups),
        source=source,
        why=why,
    )


def load_rules(path: str | os.PathLike[str], measure_ids: Sequence[str]) -> Rules:
    """Read and validate a package-rules YAML file."""
    label = display_path(path)
    return parse_rules(read_yaml(path, label)[0], label, measure_ids)


# ---------------------------------------------------------------- values and costs


def cost_criterion(problem: Problem, criterion: str | None = None) -> str:
    """The leaf criterion holding each countermeasure's annual fiscal cost.

    Default: the one quantitative cost criterion whose unit is in 亿元 (``fiscal_cost`` in the
    shipped criteria). Raises InputError naming the candidates when there is not exactly one.
    """
    leaves = {leaf.id: leaf for leaf in problem.leaves}
    if criterion is not None:
        if criterion not in leaves:
            raise InputError(
                "--cost-criterion", "", f"unknown criterion {criterion!r} (known: {', '.join(leaves)})"
            )
        return criterion
    found = [
        leaf.id
        for leaf in problem.leaves
        if leaf.quantitative and leaf.direction < 0 and leaf.unit is not None and "亿元" in leaf.unit.zh
    ]
    if len(found) != 1:
        what = f"several ({', '.join(found)})" if found else "none"
        raise InputError(
            "--cost-criterion",
            "",
            f"expected exactly one quantitative cost criterion in 亿元 to use as the budget, found {what}; "
            "name it with --cost-criterion",
        )
    return found[0]


def costs(problem: Problem, criterion: str, *, estimate: str = "value") -> NDArray[np.float64]:
    """Each countermeasure's cost on ``criterion``: the point value or the low/high end of its range.

    A score without a range uses its value for every estimate.
    """
    if estimate not in COST_ESTIMATES:
        raise ValueError(f"estimate must be one of {', '.join(COST_ESTIMATES)}, got {estimate!r}")
    out = []
    for item in problem.countermeasures:
        score = item.scores[criterion]
        pick = {"low": score.low, "high": score.high}.get(estimate)
        out.append(score.value if pick is None else pick)
    return frozen_array(out)


def package_values(analysis: Analysis, basis: str = "wsm") -> NDArray[np.float64]:
    """A non-negative value per countermeasure that can be added up over a package.

    Parameters
    ----------
    analysis : Analysis
    basis : {"wsm", "primary"}, optional
        ``"wsm"`` (default): the weighted-sum score with the analysis' weights. A package's value
        is then the sum of additive value functions, the model under which adding values up is
        justified (Keeney & Raiffa). ``"primary"``: the primary method's score made non-negative
        and higher-is-better (TOPSIS closeness as is, 1 - Q for VIKOR, (phi + 1) / 2 for PROMETHEE
        II); these are relative scores, so their sum is a heuristic.

    Notes
    -----
    The fiscal cost criterion stays in the value (as in the ranking the analyst sees); the
    budget adds a hard limit on top. Give the cost criterion zero weight to count cost only
    through the budget.

    References
    ----------
    .. [1] Keeney, R. L., & Raiffa, H. (1976). Decisions with Multiple Objectives. Wiley.
    .. [2] Kleinmuntz, D. N. (2007). Resource allocation decisions. In Advances in Decision
       Analysis, 400-418. Cambridge University Press.
    """
    if basis not in VALUE_BASES:
        raise ValueError(f"basis must be one of {', '.join(VALUE_BASES)}, got {basis!r}")
    if basis == "wsm":
        scores = np.asarray(analysis.results["wsm"].scores, dtype=float)
    else:
        scores = get(analysis.primary.method).unit_scores(analysis.primary.scores)
    return frozen_array(np.maximum(scores - min(0.0, float(scores.min())), 0.0))


# ---------------------------------------------------------------- the optimisation


@dataclass(frozen=True)
class _Constraint:
    part: dict[str, Any]  # what the rule says, for a message (engine.text.messages, "no_package")
    row: NDArray[np.float64]
    low: float
    high: float


def _constraints(
    ids: Sequence[str], cost: NDArray[np.float64], budget: float, rules: Rules
) -> list[_Constraint]:
    index = {item: k for k, item in enumerate(ids)}
    m = len(ids)

    def row(entries: Mapping[str, float]) -> NDArray[np.float64]:
        out = np.zeros(m)
        for item, coefficient in entries.items():
            out[index[item]] += coefficient
        return out

    found = [_Constraint({"kind": "budget", "budget": budget}, np.array(cost, dtype=float), -np.inf, budget)]
    found += [_Constraint({"kind": "must", "measure": a}, row({a: 1}), 1, np.inf) for a in rules.must]
    found += [_Constraint({"kind": "exclude", "measure": a}, row({a: 1}), -np.inf, 0) for a in rules.exclude]
    found += [
        _Constraint({"kind": "exclusive", "a": a, "b": b}, row({a: 1, b: 1}), -np.inf, 1)
        for a, b in rules.exclusive
    ]
    found += [
        _Constraint({"kind": "requires", "a": a, "b": b}, row({a: 1, b: -1}), -np.inf, 0)
        for a, b in rules.requires
    ]
    found += [
        _Constraint(
            {"kind": "group", "group": g.id, "at_least": g.at_least, "measures": list(g.measures)},
            row(dict.fromkeys(g.measures, 1)),
            g.at_least,
            np.inf,
        )
        for g in rules.groups
    ]
    return found


def _milp(objective: NDArray[np.float64], found: Sequence[_Constraint], extra: Sequence[_Constraint] = ()):
    # scipy.optimize costs about 2 s to import; only package selection needs it
    from scipy.optimize import Bounds, LinearConstraint, milp

    m = objective.shape[0]
    items = [*found, *extra]
    constraints = (
        [
            LinearConstraint(
                np.stack([c.row for c in items]),
                np.array([c.low for c in items]),
                np.array([c.high for c in items]),
            )
        ]
        if items
        else []
    )
    return milp(objective, integrality=np.ones(m), bounds=Bounds(0, 1), constraints=constraints)


def _conflict(objective_size: int, found: list[_Constraint]) -> list[_Constraint]:
    """A minimal set of constraints that cannot hold together (deletion filter).

    Drops each constraint in turn and keeps it out whenever the rest stays infeasible; what is
    left is irreducible: removing any one of it makes the rules satisfiable (Chinneck 2008).
    """
    zero = np.zeros(objective_size)
    kept = list(found)
    for item in list(found):
        trial = [c for c in kept if c is not item]
        if _milp(zero, trial).status == 2:
            kept = trial
    return kept


def cheapest_package(
    cost: ArrayLike, ids: Sequence[str], rules: Rules | None = None
) -> tuple[NDArray[np.bool_], float] | None:
    """The cheapest package that obeys the rules, whatever the budget: ``(chosen, its cost)``, or
    None when the rules conflict among themselves. Its cost is the smallest budget that works."""
    c = np.asarray(cost, dtype=float)
    found = _constraints(ids, c, float(c.sum()), rules or Rules())[1:]  # every rule but the budget
    result = _milp(c, found)
    if result.status != 0:
        return None
    chosen = np.round(result.x).astype(bool)
    return chosen, float(c[chosen].sum())


@dataclass(frozen=True)
class Package:
    """The chosen set of countermeasures for one budget.

    Attributes
    ----------
    budget : float
    chosen : ndarray of bool, shape (m,)
    selected : tuple of str
        The chosen ids, in the order of the catalogue.
    value, cost : float
        Total value and total cost of the package.
    values, costs : ndarray, shape (m,)
        What each countermeasure adds and costs.
    basis : str
        How values were obtained (:func:`package_values`).
    criterion : str
        The cost criterion.
    """

    budget: float
    chosen: NDArray[np.bool_]
    selected: tuple[str, ...]
    value: float
    cost: float
    values: NDArray[np.float64]
    costs: NDArray[np.float64]
    basis: str = "wsm"
    criterion: str = "fiscal_cost"

    @property
    def left(self) -> float:
        return self.budget - self.cost


def solve(
    values: ArrayLike,
    cost: ArrayLike,
    budget: float,
    ids: Sequence[str],
    rules: Rules | None = None,
) -> tuple[NDArray[np.bool_], float, float]:
    """The best package on plain arrays: ``(chosen, total value, total cost)``.

    Among packages of the best value the cheapest is returned. Raises InputError naming a
    minimal set of conflicting rules when no package satisfies them.

    Notes
    -----
    maximise :math:`v^T x` subject to :math:`c^T x \\le B`, :math:`x \\in \\{0, 1\\}^m` and the
    rules as linear rows: must :math:`x_a \\ge 1`, exclude :math:`x_a \\le 0`, exclusive
    :math:`x_a + x_b \\le 1`, requires :math:`x_a - x_b \\le 0`, group :math:`\\sum_{g} x \\ge k`.
    A second solve minimises :math:`c^T x` with :math:`v^T x \\ge v^*` to break ties by cost.
    """
    rules = rules or Rules()
    v = np.asarray(values, dtype=float)
    c = np.asarray(cost, dtype=float)
    if v.shape != c.shape or v.ndim != 1 or v.shape[0] != len(ids):
        raise ValueError("values, costs and ids must have one entry per countermeasure")
    if not (np.all(np.isfinite(v)) and np.all(v >= 0)):
        raise ValueError("values must be finite and non-negative")
    if not (np.all(np.isfinite(c)) and np.all(c >= 0)):
        raise ValueError("costs must be finite and non-negative")
    if not np.isfinite(budget) or budget < 0:
        raise InputError("--budget", "", f"expected a finite number >= 0, got {budget:g}")
    found = _constraints(ids, c, budget, rules)
    first = _milp(-v, found)
    if first.status == 2:
        conflict = _conflict(len(ids), found)
        cheapest = cheapest_package(c, ids, rules)
        raise coded(
            rules.source,
            "",
            "no_package",
            conflicts=[item.part for item in conflict],
            # the smallest budget that works, when the budget is part of the conflict
            smallest=None if cheapest is None else cheapest[1],
            smallest_package=[]
            if cheapest is None
            else [i for i, keep in zip(ids, cheapest[0], strict=True) if keep],
        )
    if first.status != 0:  # pragma: no cover - HiGHS reports only optimal or infeasible here
        raise RuntimeError(f"the package optimisation failed: {first.message}")
    best = float(-first.fun)
    floor = _Constraint({"kind": "value"}, v, best - _TOLERANCE * max(1.0, abs(best)), np.inf)
    second = _milp(c, found, [floor])
    x = second.x if second.status == 0 else first.x
    chosen = np.round(x).astype(bool)
    return chosen, float(v[chosen].sum()), float(c[chosen].sum())


def select_package(
    analysis: Analysis,
    budget: float,
    *,
    rules: Rules | None = None,
    basis: str = "wsm",
    criterion: str | None = None,
    estimate: str = "value",
) -> Package:
    """The best package of countermeasures the budget (亿元 per year) pays for.

    Parameters
    ----------
    analysis : Analysis
        Supplies the values (see :func:`package_values`) and the catalogue.
    budget : float
        Annual fiscal budget in the unit of the cost criterion (亿元 per year).
    rules : Rules, optional
    basis : {"wsm", "primary"}, optional
    criterion : str, optional
        The cost criterion (default: see :func:`cost_criterion`).
    estimate : {"value", "low", "high"}, optional
        Which cost to count: the point estimate, or the low / high end of each score's range
        ("high" gives a package that stays within budget if costs overrun to the top of their
        ranges).
    """
    problem = analysis.problem
    criterion = cost_criterion(problem, criterion)
    values = package_values(analysis, basis)
    cost = costs(problem, criterion, estimate=estimate)
    chosen, value, total = solve(values, cost, budget, problem.alternative_ids, rules)
    return Package(
        budget=float(budget),
        chosen=frozen_array(chosen, dtype=bool),
        selected=tuple(i for i, keep in zip(problem.alternative_ids, chosen, strict=True) if keep),
        value=value,
        cost=total,
        values=values,
        costs=cost,
        basis=basis,
        criterion=criterion,
    )


@dataclass(frozen=True)
class Frontier:
    """Best package value against budget.

    Attributes
    ----------
    budgets : ndarray, shape (B,)
    values, costs : ndarray, shape (B,)
        NaN where the rules cannot be met within that budget.
    chosen : ndarray of bool, shape (B, m)
    efficient : ndarray of bool, shape (B,)
        True at the smallest budget reaching each new value: the corners of the frontier.
    alternative_ids : tuple of str
    """

    budgets: NDArray[np.float64]
    values: NDArray[np.float64]
    costs: NDArray[np.float64]
    chosen: NDArray[np.bool_]
    efficient: NDArray[np.bool_]
    alternative_ids: tuple[str, ...]


def efficient_frontier(
    analysis: Analysis,
    budgets: ArrayLike | None = None,
    *,
    rules: Rules | None = None,
    basis: str = "wsm",
    criterion: str | None = None,
    estimate: str = "value",
    points: int = 41,
) -> Frontier:
    """The best package for every budget in ``budgets`` (default: ``points`` budgets from 0 to the
    cost of every countermeasure together), one exact solve per budget."""
    problem = analysis.problem
    criterion = cost_criterion(problem, criterion)
    values = package_values(analysis, basis)
    cost = costs(problem, criterion, estimate=estimate)
    grid = (
        np.linspace(0.0, float(cost.sum()), points) if budgets is None else np.asarray(budgets, dtype=float)
    )
    if grid.ndim != 1 or grid.size == 0 or not np.all(np.isfinite(grid)) or np.any(grid < 0):
        raise ValueError("budgets must be a non-empty list of finite numbers >= 0")
    grid = np.sort(grid)
    m = len(problem.alternative_ids)
    chosen = np.zeros((grid.size, m), dtype=bool)
    totals = np.full(grid.size, np.nan)
    spent = np.full(grid.size, np.nan)
    for k, budget in enumerate(grid):
        try:
            chosen[k], totals[k], spent[k] = solve(
                values, cost, float(budget), problem.alternative_ids, rules
            )
        except InputError:
            continue  # below the cost of what the rules force in: no package at this budget
    best_so_far = np.fmax.accumulate(np.where(np.isnan(totals), -np.inf, totals))
    previous = np.concatenate([[-np.inf], best_so_far[:-1]])
    efficient = ~np.isnan(totals) & (totals > previous + _TOLERANCE)
    return Frontier(
        budgets=frozen_array(grid),
        values=frozen_array(totals),
        costs=frozen_array(spent),
        chosen=frozen_array(chosen, dtype=bool),
        efficient=frozen_array(efficient, dtype=bool),
        alternative_ids=problem.alternative_ids,
    )
