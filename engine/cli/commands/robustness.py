"""``policyrank robustness``: how firmly the ranking holds — SMAA, stability intervals, audit, verdicts."""

from __future__ import annotations

import argparse
import json

import numpy as np

from engine.cli.common import (
    add_inputs,
    add_settings,
    emit,
    load_inputs,
    positive_int,
    settings_from_args,
    whole_int,
)
from engine.errors import InputError
from engine.io.files import text_table
from engine.model import Lang
from engine.robustness.smaa import DEFAULT_CHUNK, DEFAULT_SAMPLES
from engine.robustness.study import (
    DEFAULT_CONCENTRATION,
    DEFAULT_SEED,
    PERFORMANCE_MODELS,
    WEIGHT_MODELS,
    Robustness,
    analyze,
)
from engine.text import label


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not (np.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def register(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser)
    add_settings(parser)
    parser.add_argument("--samples", type=positive_int, default=DEFAULT_SAMPLES, help="SMAA samples")
    parser.add_argument(
        "--seed", type=whole_int, default=DEFAULT_SEED, help="random seed (same seed, same figures)"
    )
    parser.add_argument(
        "--weight-model",
        choices=WEIGHT_MODELS,
        help="how weights are sampled (default: judgments for AHP weights, else dirichlet)",
    )
    parser.add_argument(
        "--concentration",
        type=_positive_float,
        default=DEFAULT_CONCENTRATION,
        help="Dirichlet concentration around the current weights",
    )
    parser.add_argument(
        "--performance",
        choices=PERFORMANCE_MODELS,
        default="triangular",
        help="law of scores that carry a low-high range (fixed: ignore the ranges)",
    )
    parser.add_argument(
        "--chunk-size", type=positive_int, default=DEFAULT_CHUNK, help="samples evaluated at once"
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--out", help="write to this file (atomically) instead of standard output")
    parser.set_defaults(handler=run)


def _interval(low: float, high: float) -> str:
    return f"[{low:.3f}, {high:.3f}]"


def render_table(result: Robustness, lang: Lang) -> str:
    """The robustness report as plain aligned text."""
    problem = result.analysis.problem
    short = [c.short.get(lang) for c in problem.countermeasures]
    leaves = problem.leaves
    sm, st, au = result.smaa, result.stability, result.audit
    none = label("none", lang)
    m = len(short)
    head = label(
        "robustness.header",
        lang,
        method=result.analysis.settings.method.upper()
        + (f", {result.analysis.normalization}" if result.analysis.normalization else ""),
        sampling=result.sampling.get(lang),
    )
    verdicts = "\n".join(f"{k}. {v.text.get(lang)}" for k, v in enumerate(result.verdicts, 1))

    order = [problem.alternative_ids.index(v.id) for v in result.verdicts]
    acceptability = text_table(
        [
            label("measure", lang),
            *[label("rank_n", lang, r=r) for r in range(1, m + 1)],
            label("robustness.confidence", lang),
            label("robustness.holistic", lang),
        ],
        [
            [
                short[i],
                *[f"{100 * b:.1f}%" for b in sm.acceptability[i]],
                none if np.isnan(sm.confidence[i]) else f"{100 * sm.confidence[i]:.1f}%",
                f"{sm.holistic[i]:.3f}",
            ]
            for i in order
        ],
        right=[False, *[True] * (m + 2)],
    )

    def who(i: int | None) -> str:
        return none if i is None else short[i]

    stability = text_table(
        [
            label("criterion", lang),
            label("weight", lang),
            label("top_interval", lang),
            label("robustness.below", lang),
            label("robustness.above", lang),
            label("robustness.order_interval", lang),
        ],
        [
            [
                leaves[c.index].name.get(lang) + (" *" if st.critical == c.index else ""),
                f"{c.weight:.3f}",
                _interval(*c.top_interval),
                who(c.top_successors[0]),
                who(c.top_successors[1]),
                _interval(*c.order_interval),
            ]
            for c in st.criteria
        ],
        right=[False, True, False, False, False, False],
    )

    rows = []
    for k, choice in enumerate(au.choices):
        shown = choice.label + (label("current", lang) if k == au.reference else "")
        rows.append(
            [
                shown,
                " > ".join(short[i] for i in au.orders[k]),
                label("yes" if au.same_top[k] else "no", lang),
            ]
        )
    audit = text_table(
        [label("robustness.choice", lang), label("order", lang), label("robustness.same_top", lang)], rows
    )
    skipped = "".join(
        f"\n{c.label}: {label('robustness.skipped', lang)} ({reason})" for c, reason in au.skipped
    )
    consensus = (
        f"Borda: {' > '.join(short[i] for i in np.argsort(au.borda_ranks, kind='stable'))}\n"
        f"Copeland: {' > '.join(short[i] for i in np.argsort(au.copeland_ranks, kind='stable'))}"
    )
    sections = [
        head,
        f"{label('verdicts', lang)}\n{verdicts}",
        f"{label('robustness.acceptability', lang)}\n{acceptability}",
        f"{label('robustness.stability', lang)}\n{stability}",
        f"{label('audit', lang)}\n{audit}{skipped}\n\n{label('robustness.consensus', lang)}\n{consensus}",
        f"{label('robustness.reversal', lang)}\n{result.reversal_note.get(lang)}",
    ]
    return "\n\n".join(sections) + "\n"


def run(args: argparse.Namespace) -> int:
    problem = load_inputs(args)
    settings = settings_from_args(args, problem)
    if args.weight_model == "judgments" and settings.weight_source != "ahp":
        raise InputError(
            "--weight-model", "judgments", "needs AHP weights; drop --weights or choose dirichlet"
        )
    result = analyze(
        problem,
        settings,
        samples=args.samples,
        seed=args.seed,
        weight_model=args.weight_model,
        concentration=args.concentration,
        performance=args.performance,
        chunk_size=args.chunk_size,
    )
    if args.format == "json":
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    else:
        text = render_table(result, args.lang)
    emit(text, args.out)
    return 0
