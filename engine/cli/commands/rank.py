"""``policyrank rank``: the ranking as a table, JSON or CSV."""

from __future__ import annotations

import argparse
import json

from engine.analysis import Analysis, run
from engine.cli.common import add_inputs, add_settings, emit, load_inputs, settings_from_args
from engine.io.files import text_table, to_csv
from engine.model import Lang
from engine.text import label, score


def register(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser)
    add_settings(parser)
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
    parser.add_argument("--out", help="write to this file (atomically) instead of standard output")
    parser.set_defaults(handler=handle)


def render_rank_table(analysis: Analysis, lang: Lang) -> str:
    problem = analysis.problem
    primary = analysis.primary
    header_score = label("score", lang) + ("" if primary.higher_is_better else label("lower_better", lang))
    ranking = text_table(
        [label("rank", lang), label("measure", lang), header_score],
        [[str(e.rank), e.name.get(lang), score(e.score)] for e in analysis.ranking],
        right=[True, False, True],
    )
    weights = text_table(
        [label("criterion", lang), label("direction", lang), label("weight", lang)],
        [
            [leaf.name.get(lang), label("benefit" if leaf.direction > 0 else "cost", lang), f"{w:.4f}"]
            for leaf, w in zip(problem.leaves, analysis.weights, strict=True)
        ],
        right=[False, False, True],
    )
    source = analysis.settings.weight_source
    detail = {"ahp": "AHP", "preset": f"preset {analysis.settings.preset}", "manual": "manual"}[source]
    norm = f", {analysis.normalization}" if analysis.normalization else ""
    worst = max((c.result.cr for c in analysis.combined_consistency()), default=0.0)
    head = (
        f"{label('method', lang)}: {analysis.settings.method.upper()}{norm}    "
        f"{label('weights_from', lang)}: {detail}    CR max {worst:.3f}"
    )
    return f"{head}\n\n{ranking}\n\n{weights}\n"


def render_rank_csv(analysis: Analysis, lang: Lang) -> str:
    return to_csv(
        ["rank", "id", "name", "score"],
        [[e.rank, e.id, e.name.get(lang), e.score] for e in analysis.ranking],
    )


def handle(args: argparse.Namespace) -> int:
    problem = load_inputs(args)
    analysis = run(problem, settings_from_args(args, problem))
    if args.format == "json":
        text = json.dumps(analysis.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        text = render_rank_csv(analysis, args.lang)
    else:
        text = render_rank_table(analysis, args.lang)
    emit(text, args.out)
    return 0
