"""``policyrank explain``: which criteria pull each countermeasure up or down, and what would
change the order between a countermeasure and the one ranked above it."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from engine.analysis import Analysis, run
from engine.cli.common import add_inputs, add_settings, load_inputs, settings_from_args
from engine.errors import InputError
from engine.insight.explain import Attribution, Counterfactual, attribute, counterfactual
from engine.insight.hygiene import check
from engine.io.files import text_table
from engine.model import Lang
from engine.text import join_list, label


def register(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser)
    add_settings(parser)
    parser.add_argument(
        "--measure", help="explain this countermeasure against the one ranked above it (default: the second)"
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.set_defaults(handler=handle)


def _record(analysis: Analysis, attribution: Attribution, found: Counterfactual) -> dict[str, Any]:
    problem = analysis.problem
    pulls = []
    for i, item in enumerate(problem.countermeasures):
        up, down = attribution.strongest(i)
        pulls.append(
            {
                "id": item.id,
                "pull": dict(zip(problem.leaf_ids, map(float, attribution.pull[i]), strict=True)),
                "up": list(up),
                "down": list(down),
            }
        )
    return {
        "method": attribution.method,
        "attribution": pulls,
        "counterfactual": {
            "leader": found.leader,
            "challenger": found.challenger,
            "gap": found.gap,
            "scores": [vars(change) for change in found.scores],
            "weights": [vars(change) for change in found.weights],
        },
    }


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:.3g}"


def _table(analysis: Analysis, attribution: Attribution, found: Counterfactual, lang: Lang) -> str:
    problem = analysis.problem
    leaves = {leaf.id: leaf for leaf in problem.leaves}
    short = {m.id: m.short.get(lang) for m in problem.countermeasures}
    index = {m.id: i for i, m in enumerate(problem.countermeasures)}
    rows = []
    for entry in analysis.ranking:
        up, down = attribution.strongest(index[entry.id])
        rows.append(
            [
                f"{entry.rank}. {short[entry.id]}",
                join_list([leaves[j].name.get(lang) for j in up], lang) or "-",
                join_list([leaves[j].name.get(lang) for j in down], lang) or "-",
            ]
        )
    pulls = text_table([label(k, lang) for k in ("measure", "pulled_up", "held_back")], rows)
    lines = []
    for score, weight in zip(found.scores, found.weights, strict=True):
        leaf = leaves[score.criterion]
        unit = leaf.unit.get(lang) if leaf.unit else ""
        span = abs(score.bound - score.current) or 1.0
        if score.needed is None:
            needed = label("impossible", lang)
        elif abs(score.change or 0.0) < 1e-9 * span:  # a step: anything beyond the current value
            needed = f"{'>' if score.bound > score.current else '<'} {_number(score.current)}"
        else:
            needed = f"{_number(score.needed)} ({score.change:+.3g} {unit})"
        swap = (
            label("no_weight", lang)
            if weight.needed is None
            else f"{weight.needed:.3f} ({weight.change:+.3f})"
        )
        lines.append([leaf.name.get(lang), _number(score.current), needed, f"{weight.current:.3f}", swap])
    changes = text_table(
        [label(k, lang) for k in ("criterion", "score_now", "score_needed", "weight_now", "weight_needed")],
        lines,
        right=[False, True, False, True, False],
    )
    head = label(
        "explain.what",
        lang,
        c=short[found.challenger],
        l=short[found.leader],
        m=found.method.upper(),
        g=found.gap,
    )
    return f"{pulls}\n\n{head}\n{changes}\n\n{_hygiene_lines(analysis, lang)}"


def _hygiene_lines(analysis: Analysis, lang: Lang) -> str:
    problem = analysis.problem
    found = check(problem, analysis.weights)
    name = {leaf.id: leaf.name.get(lang) for leaf in problem.leaves}
    short = {m.id: m.short.get(lang) for m in problem.countermeasures}
    lines = [
        label(
            "explain.double" if pair.same_direction else "explain.tradeoff",
            lang,
            a=name[pair.first],
            b=name[pair.second],
            p=pair.pearson,
            s=pair.spearman,
        )
        for pair in found.correlated
    ]
    lines += [label("explain.constant", lang, a=name[leaf]) for leaf in found.constant]
    lines += [label("explain.dominated", lang, a=short[d.dominated], b=short[d.by]) for d in found.dominated]
    body = "\n".join(f"  - {line}" for line in lines) or f"  {label('explain.clean', lang)}"
    return f"{label('hygiene', lang)}:\n{body}\n"


def handle(args: argparse.Namespace) -> int:
    problem = load_inputs(args)
    analysis = run(problem, settings_from_args(args, problem))
    if args.measure and args.measure not in problem.alternative_ids:
        known = ", ".join(problem.alternative_ids)
        raise InputError("--measure", "", f"unknown countermeasure {args.measure!r} (known: {known})")
    attribution = attribute(analysis)
    found = counterfactual(analysis, args.measure)
    if args.format == "json":
        payload = _record(analysis, attribution, found)
        hygiene = check(problem, analysis.weights)
        payload["hygiene"] = {
            "correlated": [vars(pair) for pair in hygiene.correlated],
            "constant": list(hygiene.constant),
            "dominated": [vars(item) for item in hygiene.dominated],
            "weights": {
                leaf: {"elicited": float(e), "entropy": float(h), "critic": float(c)}
                for leaf, e, h, c in zip(
                    problem.leaf_ids, hygiene.elicited, hygiene.entropy, hygiene.critic, strict=True
                )
            },
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(_table(analysis, attribution, found, args.lang))
    return 0
