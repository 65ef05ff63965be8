"""``policyrank ahp FILE``: AHP priorities, lambda_max, CI and CR of every judged node and expert."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from engine.analysis import NodeConsistency, node_consistency
from engine.cli.common import LANGS
from engine.errors import InputError
from engine.hierarchy import judgment_matrix
from engine.io.files import text_table
from engine.io.safe_yaml import read_yaml
from engine.load import display_path, parse_criteria
from engine.model import Lang
from engine.settings import AHP_METHODS
from engine.text import label


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a criteria YAML file")
    parser.add_argument("--expert", help="only this expert (default: every expert)")
    parser.add_argument("--ahp-method", choices=AHP_METHODS, default="eigen")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--lang", choices=LANGS, default="zh")
    parser.set_defaults(handler=handle)


def record(found: NodeConsistency) -> dict[str, Any]:
    """One node of one expert as the JSON of ``policyrank ahp --format json``."""
    result = found.result
    out: dict[str, Any] = {
        "expert": found.expert_id,
        "node": found.node_id,
        "weights": dict(zip(found.children, map(float, result.weights), strict=True)),
        "lambda_max": result.lambda_max,
        "ci": result.ci,
        "cr": result.cr,
        "consistent": found.consistent,
    }
    if found.revise_first is not None:
        a, b, suggested = found.revise_first
        out["revise_first"] = {"a": a, "b": b, "suggested": suggested}
    return out


def handle(args: argparse.Namespace) -> int:
    source = display_path(args.file)
    criteria = parse_criteria(read_yaml(args.file, source)[0], source)
    experts = criteria.experts
    if args.expert:
        if args.expert not in {e.id for e in experts}:
            raise InputError("--expert", "", f"unknown expert {args.expert!r} in {source}")
        experts = tuple(e for e in experts if e.id == args.expert)
    records = [
        record(
            node_consistency(
                node.id,
                expert.id,
                tuple(child.id for child in node.children),
                judgment_matrix(node, expert.judgments[node.id]),
                args.ahp_method,
            )
        )
        for expert in experts
        for node in criteria.judged_nodes
    ]
    if args.format == "json":
        sys.stdout.write(
            json.dumps({"method": args.ahp_method, "nodes": records}, ensure_ascii=False, indent=2) + "\n"
        )
        return 0
    lang: Lang = args.lang
    names = {node.id: node.name.get(lang) for node in criteria.goal.walk()}
    rows = []
    for item in records:
        weights = ", ".join(f"{names[k]} {v:.3f}" for k, v in item["weights"].items())
        status = label("consistent", lang) if item["consistent"] else label("inconsistent", lang)
        if "revise_first" in item:
            hint = item["revise_first"]
            status += f": {names[hint['a']]} / {names[hint['b']]} → {hint['suggested']:g}"
        rows.append(
            [
                item["expert"],
                names[item["node"]],
                f"{item['lambda_max']:.4f}",
                f"{item['ci']:.4f}",
                f"{item['cr']:.4f}",
                status,
                weights,
            ]
        )
    sys.stdout.write(
        text_table(
            [label("expert", lang), label("node", lang), "lambda_max", "CI", "CR", "", label("weight", lang)],
            rows,
            right=[False, False, True, True, True],
        )
        + "\n"
    )
    return 0
