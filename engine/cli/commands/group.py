"""``policyrank group``: each expert's and group's weights and ranking, consensus, whose view decides."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from typing import Any

from engine.cli.common import add_inputs, add_settings, load_inputs, settings_from_args
from engine.errors import InputError
from engine.insight.groups import AGGREGATIONS, GroupAnalysis, analyse_groups, stakeholder_groups, sweep_group
from engine.io.files import text_table
from engine.model import Lang, Problem
from engine.settings import Settings
from engine.text import label


def register(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser)
    parser.add_argument("--aggregation", choices=AGGREGATIONS, default="judgments")
    parser.add_argument(
        "--group-weight",
        action="append",
        default=[],
        metavar="G=W",
        help="override a group's weight (repeatable), e.g. --group-weight think_tank=2",
    )
    add_settings(parser, weights=False)
    parser.add_argument("--steps", type=int, default=101, help="grid points of the group-weight sweep")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.set_defaults(handler=run)


def parse_group_weights(items: list[str], problem: Problem) -> tuple[tuple[str, float], ...]:
    known = [g.id for g in stakeholder_groups(problem.criteria)]
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InputError("--group-weight", item, "expected GROUP=WEIGHT, e.g. think_tank=2")
        if name not in known:
            raise InputError("--group-weight", item, f"unknown group {name!r} (known: {', '.join(known)})")
        try:
            weight = float(value)
        except ValueError:
            raise InputError("--group-weight", item, f"expected a number after '=', got {value!r}") from None
        if not weight >= 0 or weight == float("inf"):
            raise InputError("--group-weight", item, f"expected a finite number >= 0, got {value!r}")
        out[name] = weight
    return tuple(out.items())


def _settings(args: argparse.Namespace, problem: Problem) -> Settings:
    if args.steps < 2:
        raise InputError("--steps", "", f"expected at least 2, got {args.steps}")
    return replace(
        settings_from_args(args, problem),
        group_weights=parse_group_weights(args.group_weight, problem),
        aggregation=args.aggregation,
    )


def _sweeps(problem: Problem, settings: Settings, steps: int) -> list[dict[str, Any]]:
    out = []
    for group in stakeholder_groups(problem.criteria):
        try:
            sweep = sweep_group(problem, group.id, settings, steps=steps)
        except ValueError:
            continue  # a group without selected experts, or the only group: nothing to weigh
        ids = problem.alternative_ids
        out.append(
            {
                "group": group.id,
                "current": sweep.current,
                "first_at_0": ids[int(sweep.leaders[0])],
                "first_at_1": ids[int(sweep.leaders[-1])],
                "switches": [
                    {"between": [lo, hi], "from": ids[a], "to": ids[b]} for lo, hi, a, b in sweep.switches
                ],
            }
        )
    return out


def _table(problem: Problem, result: GroupAnalysis, sweeps: list[dict[str, Any]], lang: Lang) -> str:
    short = {m.id: m.short.get(lang) for m in problem.countermeasures}
    names = {g.id: g.name.get(lang) for g in stakeholder_groups(problem.criteria)}
    rows = []
    for view in (result.overall, *result.groups, *result.experts):
        order = sorted(range(len(view.ranks)), key=lambda i: (view.ranks[i], i))
        shown = {"all": label("everyone", lang), "group": names.get(view.id, view.id)}.get(view.kind, view.id)
        rows.append(
            [
                shown if view.kind != "expert" else f"  {view.id}",
                f"{view.share:.3f}",
                f"{view.cr_max:.3f}",
                short[result.alternative_ids[order[0]]],
                " > ".join(short[result.alternative_ids[i]] for i in order),
            ]
        )
    views = text_table(
        [
            label("view", lang),
            label("group.share", lang),
            "CR max",
            label("group.first", lang),
            label("order", lang),
        ],
        rows,
        right=[False, True, True],
    )
    leaves = {leaf.id: leaf.name.get(lang) for leaf in problem.leaves}
    spread = text_table(
        [label("criterion", lang), label("group.mean", lang), "sd", "cv", label("low_high", lang)],
        [
            [
                leaves[leaf],
                f"{result.mean[j]:.3f}",
                f"{result.std[j]:.3f}",
                f"{result.cv[j]:.2f}",
                f"{result.low[j]:.3f} ({result.low_expert[j]})"
                f" - {result.high[j]:.3f} ({result.high_expert[j]})",
            ]
            for j, leaf in enumerate(result.leaf_ids)
        ],
        right=[False, True, True, True],
    )
    lines = []
    for sweep in sweeps:
        now = label("group.now", lang, t=sweep["current"])
        head = f"  {names.get(sweep['group'], sweep['group'])} ({now}): "
        if not sweep["switches"]:
            lines.append(head + label("group.never", lang, m=short[sweep["first_at_0"]]))
            continue
        parts = [
            label(
                "group.switch",
                lang,
                t=(s["between"][0] + s["between"][1]) / 2,
                a=short[s["from"]],
                b=short[s["to"]],
            )
            for s in sweep["switches"]
        ]
        lines.append(head + "; ".join(parts))
    aggregation = label(f"aggregation_{result.aggregation}", lang)
    return (
        f"{label('aggregation', lang)}: {aggregation}    {result.method.upper()}\n\n{views}\n\n{spread}\n\n"
        f"{label('group.consensus', lang)}: {result.consensus:.3f}\n"
        f"{label('whose_view_decides', lang)}:\n" + "\n".join(lines) + "\n"
    )


def run(args: argparse.Namespace) -> int:
    problem = load_inputs(args)
    settings = _settings(args, problem)
    try:
        result = analyse_groups(problem, settings)
    except KeyError as exc:
        raise InputError("--group-weight", "", str(exc.args[0])) from None
    sweeps = _sweeps(problem, settings, args.steps)
    if args.format == "json":
        payload = {**result.to_dict(), "sweeps": sweeps, "settings": settings.to_mapping()}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(_table(problem, result, sweeps, args.lang))
    return 0
