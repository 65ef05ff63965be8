"""``policyrank package``: the best set of countermeasures an annual budget pays for, under rules."""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from engine.analysis import Analysis, run
from engine.cli.common import add_inputs, add_settings, load_inputs, settings_from_args
from engine.errors import InputError
from engine.insight.portfolio import (
    COST_ESTIMATES,
    VALUE_BASES,
    Frontier,
    Package,
    Rules,
    efficient_frontier,
    load_rules,
    select_package,
)
from engine.io.files import text_table
from engine.model import Lang, Problem
from engine.text import label


def register(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser)
    add_settings(parser)
    parser.add_argument(
        "--budget", type=float, help="annual fiscal budget in the cost criterion's unit (亿元)"
    )
    parser.add_argument(
        "--rules", help="package rules YAML (see docs/formats.md), e.g. data/package_rules.yaml"
    )
    add_choices(parser)
    parser.add_argument("--frontier", action="store_true", help="best value for a range of budgets")
    parser.add_argument("--points", type=int, default=41, help="budgets on the frontier (default 41)")
    parser.add_argument("--cost-criterion", help="the cost criterion (default: the one in 亿元)")
    parser.add_argument("--cost-estimate", choices=COST_ESTIMATES, default="value")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.set_defaults(handler=handle)


def add_choices(parser: argparse.ArgumentParser) -> None:
    """The package choices the app's budget page makes: forced in, left out, what a measure is worth."""
    parser.add_argument("--must", nargs="+", action="extend", default=[], metavar="ID", help="must include")
    parser.add_argument("--exclude", nargs="+", action="extend", default=[], metavar="ID", help="leave out")
    parser.add_argument("--value", choices=VALUE_BASES, default="wsm", help="what a countermeasure is worth")


def _rules(args: argparse.Namespace, problem: Problem) -> Rules:
    ids = problem.alternative_ids
    base = load_rules(args.rules, ids) if args.rules else Rules(source="package rules")
    return with_choices(base, args, ids)


def with_choices(rules: Rules, args: argparse.Namespace, ids: tuple[str, ...]) -> Rules:
    """`rules` plus ``--must`` and ``--exclude``, each checked against the catalogue and the rules."""
    for flag, items in (("--must", args.must), ("--exclude", args.exclude)):
        for item in items:
            if item not in ids:
                raise InputError(flag, item, f"unknown countermeasure (known: {', '.join(ids)})")
    both = sorted(set(args.must) & set(args.exclude))
    if both:
        raise InputError("--exclude", both[0], "also given with --must; a package cannot do both")
    for item in args.must:
        if item in rules.exclude:
            raise InputError("--must", item, f"excluded by {rules.source}")
    for item in args.exclude:
        if item in rules.must:
            raise InputError("--exclude", item, f"required by {rules.source}")
    return rules.merged(must=args.must, exclude=args.exclude)


def package_record(package: Package, problem: Problem) -> dict[str, Any]:
    return {
        "budget": package.budget,
        "selected": list(package.selected),
        "value": package.value,
        "cost": package.cost,
        "left": package.left,
        "basis": package.basis,
        "cost_criterion": package.criterion,
        "measures": [
            {"id": i, "value": float(v), "cost": float(c), "selected": bool(s)}
            for i, v, c, s in zip(
                problem.alternative_ids, package.values, package.costs, package.chosen, strict=True
            )
        ],
    }


def frontier_record(frontier: Frontier) -> list[dict[str, Any]]:
    return [
        {
            "budget": float(b),
            "value": None if math.isnan(v) else float(v),
            "cost": None if math.isnan(c) else float(c),
            "selected": [i for i, keep in zip(frontier.alternative_ids, row, strict=True) if keep],
            "efficient": bool(e),
        }
        for b, v, c, row, e in zip(
            frontier.budgets,
            frontier.values,
            frontier.costs,
            frontier.chosen,
            frontier.efficient,
            strict=True,
        )
    ]


def _unit(problem: Problem, criterion: str, lang: Lang) -> str:
    leaf = next(leaf for leaf in problem.leaves if leaf.id == criterion)
    return leaf.unit.get(lang).split("/")[0] if leaf.unit else ""


def _package_table(package: Package, analysis: Analysis, lang: Lang) -> str:
    problem = analysis.problem
    unit = _unit(problem, package.criterion, lang)
    rows = [
        [m.short.get(lang), "✓" if keep else "", f"{v:.3f}", f"{c:g}"]
        for m, keep, v, c in zip(
            problem.countermeasures, package.chosen, package.values, package.costs, strict=True
        )
    ]
    head = label(
        "package.summary",
        lang,
        b=package.budget,
        u=unit,
        k=len(package.selected),
        v=package.value,
        c=package.cost,
        left=package.left,
    )
    leaf = next(leaf for leaf in problem.leaves if leaf.id == package.criterion)
    basis = "WSM" if package.basis == "wsm" else analysis.settings.method.upper()
    table = text_table(
        [label(k, lang) for k in ("measure", "chosen", "value", "outlay")],
        rows,
        right=[False, False, True, True],
    )
    return f"{head}\n{label('package.basis', lang, b=basis, c=leaf.name.get(lang))}\n\n{table}\n"


def _frontier_table(frontier: Frontier, problem: Problem, lang: Lang) -> str:
    short = {m.id: m.short.get(lang) for m in problem.countermeasures}
    rows = []
    for b, v, c, row, e in zip(
        frontier.budgets, frontier.values, frontier.costs, frontier.chosen, frontier.efficient, strict=True
    ):
        if math.isnan(v):
            rows.append([f"{b:g}", "", "", label("package.infeasible", lang)])
        elif e:
            chosen = [short[i] for i, keep in zip(frontier.alternative_ids, row, strict=True) if keep]
            rows.append([f"{b:g}", f"{v:.3f}", f"{c:g}", " + ".join(chosen)])
    table = text_table(
        [label(k, lang) for k in ("package.budget", "package.best", "package.spent", "package")],
        rows,
        right=[True, True, True, False],
    )
    return f"{label('package.frontier', lang)}\n{table}\n"


def handle(args: argparse.Namespace) -> int:
    problem = load_inputs(args)
    if args.budget is None and not args.frontier:
        raise InputError(
            "--budget", "", "give a budget (亿元 per year), or --frontier for a range of budgets"
        )
    if args.budget is not None and (not math.isfinite(args.budget) or args.budget < 0):
        raise InputError("--budget", "", f"expected a finite number >= 0, got {args.budget:g}")
    if args.points < 2:
        raise InputError("--points", "", f"expected at least 2, got {args.points}")
    analysis = run(problem, settings_from_args(args, problem))
    rules = _rules(args, problem)
    options = {
        "rules": rules,
        "basis": args.value,
        "criterion": args.cost_criterion,
        "estimate": args.cost_estimate,
    }
    package = select_package(analysis, args.budget, **options) if args.budget is not None else None
    frontier = efficient_frontier(analysis, points=args.points, **options) if args.frontier else None
    if args.format == "json":
        payload: dict[str, Any] = {"rules": rules.to_mapping()}
        if package is not None:
            payload["package"] = package_record(package, problem)
        if frontier is not None:
            payload["frontier"] = frontier_record(frontier)
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 0
    parts = []
    if package is not None:
        parts.append(_package_table(package, analysis, args.lang))
    if frontier is not None:
        parts.append(_frontier_table(frontier, problem, args.lang))
    sys.stdout.write("\n".join(parts))
    return 0
