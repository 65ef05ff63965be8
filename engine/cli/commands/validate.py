"""``policyrank validate``: check the input files and print a one-line summary."""

from __future__ import annotations

import argparse
import sys

from engine.analysis import run
from engine.cli.common import add_inputs, load_inputs
from engine.load import notices


def register(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    problem = load_inputs(args)
    analysis = run(problem)
    for notice in notices(problem):
        sys.stderr.write(f"note: {notice}\n")
    worst = max(c.result.cr for c in analysis.consistency) if analysis.consistency else 0.0
    print(
        f"ok: {len(problem.leaves)} criteria, {len(problem.criteria.experts)} expert(s), "
        f"{len(problem.countermeasures)} countermeasures, {len(problem.evidence.facts)} facts, "
        f"{len(problem.presets)} preset(s); largest CR {worst:.3f}"
    )
    return 0
