"""``policyrank rank``: the ranking as a table, JSON or CSV, with the recommendation.

The recommendation (:mod:`engine.recommendation`) needs a robustness study; ``rank`` runs it at
:data:`RANK_SAMPLES` SMAA samples (``--samples``, seeded with ``--seed``), a fifth of the 100,000
of ``policyrank robustness``, so that ranking stays quick: the first-rank shares are then within
about 0.7 percentage points. ``--samples 0`` leaves the study and the recommendation out.
"""

from __future__ import annotations

import argparse
import json

from engine.analysis import Analysis, run
from engine.cli.commands.panel import add_panel_flags, panel_inputs
from engine.cli.common import (
    add_inputs,
    add_settings,
    emit,
    load_inputs,
    settings_from_args,
    whole_int,
)
from engine.cli.workspace import add_scenario, scenario_inputs
from engine.errors import InputError
from engine.insight.groups import analyse_groups
from engine.io.files import text_table, to_csv
from engine.model import Lang
from engine.recommendation import Recommendation, recommend
from engine.robustness.study import DEFAULT_SEED, analyze
from engine.text import label, score, share

RANK_SAMPLES = 20_000


def register(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser)
    add_settings(parser)
    add_scenario(parser)
    add_panel_flags(parser)
    parser.add_argument(
        "--samples",
        type=whole_int,
        default=RANK_SAMPLES,
        help=f"SMAA samples of the robustness study behind the recommendation (default {RANK_SAMPLES:,}; "
        "0 leaves the recommendation out)",
    )
    parser.add_argument(
        "--seed",
        type=whole_int,
        default=DEFAULT_SEED,
        help="random seed of the samples (same seed, same figures)",
    )
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
    parser.add_argument("--out", help="write to this file (atomically) instead of standard output")
    parser.set_defaults(handler=handle)


def recommendation_line(rec: Recommendation, lang: Lang) -> str:
    """One line: how firm the first place is and who the main contender is."""
    line = f"{label('firmness', lang)}: {label('firmness_' + rec.firmness, lang)}"
    if rec.contender is not None and rec.share_first.contender is not None:
        name = rec.names[rec.contender].get(lang)
        line += "    " + label(
            "contender_line",
            lang,
            name=name,
            share=share(rec.share_first.contender),
            samples=f"{rec.share_first.samples:,}",
        )
    return line


def render_rank_table(analysis: Analysis, lang: Lang, rec: Recommendation | None = None) -> str:
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
    if rec is not None:
        head += "\n" + recommendation_line(rec, lang)
    return f"{head}\n\n{ranking}\n\n{weights}\n"


def render_rank_csv(analysis: Analysis, lang: Lang) -> str:
    return to_csv(
        ["rank", "id", "name", "score"],
        [[e.rank, e.id, e.name.get(lang), e.score] for e in analysis.ranking],
    )


def recommendation(analysis: Analysis, samples: int, seed: int) -> Recommendation:
    """The recommendation on a robustness study of `samples` seeded samples, with the experts' agreement."""
    study = analyze(analysis.problem, analysis.settings, samples=samples, seed=seed, analysis=analysis)
    return recommend(analysis, study, groups=analyse_groups(analysis.problem, analysis.settings))


def handle(args: argparse.Namespace) -> int:
    if args.panel:
        problem, settings = panel_inputs(args)
    elif args.aggregation:
        raise InputError("--aggregation", "", "goes with --panel (the panel's experts are combined that way)")
    elif args.scenario:
        problem, settings = scenario_inputs(args)
    else:
        problem = load_inputs(args)
        settings = settings_from_args(args, problem)
    analysis = run(problem, settings)
    rec = None
    if args.samples and args.format != "csv":
        rec = recommendation(analysis, args.samples, args.seed)
    if args.format == "json":
        data = analysis.to_dict()
        if rec is not None:
            data["recommendation"] = rec.to_dict()
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        text = render_rank_csv(analysis, args.lang)
    else:
        text = render_rank_table(analysis, args.lang, rec)
    emit(text, args.out)
    return 0
