"""``policyrank robustness``: how firmly the ranking holds — SMAA, stability intervals, audit, verdicts."""

from __future__ import annotations

import argparse
import json
from typing import Any

import numpy as np

from engine.cli.common import add_inputs, add_settings, emit, load_inputs, settings_from_args
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

LABELS: dict[str, dict[str, str]] = {
    "verdicts": {"zh": "结论", "en": "Verdicts"},
    "acceptability": {"zh": "排名可接受度（SMAA-2，各名次的抽样占比）", "en": "Rank acceptability (SMAA-2)"},
    "measure": {"zh": "对策", "en": "Countermeasure"},
    "rank_n": {"zh": "第{r}名", "en": "Rank {r}"},
    "confidence": {"zh": "置信因子", "en": "Confidence"},
    "holistic": {"zh": "综合可接受度", "en": "Holistic"},
    "stability": {
        "zh": "权重稳定区间（单一准则权重变化）",
        "en": "Weight stability intervals (one weight at a time)",
    },
    "criterion": {"zh": "准则", "en": "Criterion"},
    "weight": {"zh": "权重", "en": "Weight"},
    "top_interval": {"zh": "第一名不变区间", "en": "First place holds"},
    "below": {"zh": "低于下限时第一", "en": "First below"},
    "above": {"zh": "高于上限时第一", "en": "First above"},
    "order_interval": {"zh": "全序不变区间", "en": "Whole order holds"},
    "audit": {"zh": "建模选择审计", "en": "Modelling-choice audit"},
    "choice": {"zh": "选择", "en": "Choice"},
    "order": {"zh": "排序", "en": "Order"},
    "same_top": {"zh": "第一相同", "en": "Same first"},
    "reference": {"zh": "（当前）", "en": " (current)"},
    "skipped": {"zh": "不适用", "en": "not applicable"},
    "consensus": {"zh": "共识排序", "en": "Consensus order"},
    "reversal": {"zh": "排序逆转检验", "en": "Rank reversal"},
    "header": {"zh": "方法：{method}\n抽样：{sampling}", "en": "Method: {method}\nSampling: {sampling}"},
    "none": {"zh": "—", "en": "-"},
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
}


def _label(key: str, lang: Lang, **fmt: Any) -> str:
    return LABELS[key][lang].format(**fmt)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not (np.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return value


def register(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser)
    add_settings(parser)
    parser.add_argument("--samples", type=_positive, default=DEFAULT_SAMPLES, help="SMAA samples")
    parser.add_argument(
        "--seed", type=_seed, default=DEFAULT_SEED, help="random seed (same seed, same figures)"
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
        "--chunk-size", type=_positive, default=DEFAULT_CHUNK, help="samples evaluated at once"
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
    none = _label("none", lang)
    m = len(short)
    head = _label(
        "header",
        lang,
        method=result.analysis.settings.method.upper()
        + (f", {result.analysis.normalization}" if result.analysis.normalization else ""),
        sampling=result.sampling.get(lang),
    )
    verdicts = "\n".join(f"{k}. {v.text.get(lang)}" for k, v in enumerate(result.verdicts, 1))

    order = [problem.alternative_ids.index(v.id) for v in result.verdicts]
    acceptability = text_table(
        [
            _label("measure", lang),
            *[_label("rank_n", lang, r=r) for r in range(1, m + 1)],
            _label("confidence", lang),
            _label("holistic", lang),
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
            _label("criterion", lang),
            _label("weight", lang),
            _label("top_interval", lang),
            _label("below", lang),
            _label("above", lang),
            _label("order_interval", lang),
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
        label = choice.label + (_label("reference", lang) if k == au.reference else "")
        rows.append(
            [
                label,
                " > ".join(short[i] for i in au.orders[k]),
                _label("yes" if au.same_top[k] else "no", lang),
            ]
        )
    audit = text_table([_label("choice", lang), _label("order", lang), _label("same_top", lang)], rows)
    skipped = "".join(f"\n{c.label}: {_label('skipped', lang)} ({reason})" for c, reason in au.skipped)
    consensus = (
        f"Borda: {' > '.join(short[i] for i in np.argsort(au.borda_ranks, kind='stable'))}\n"
        f"Copeland: {' > '.join(short[i] for i in np.argsort(au.copeland_ranks, kind='stable'))}"
    )
    sections = [
        head,
        f"{_label('verdicts', lang)}\n{verdicts}",
        f"{_label('acceptability', lang)}\n{acceptability}",
        f"{_label('stability', lang)}\n{stability}",
        f"{_label('audit', lang)}\n{audit}{skipped}\n\n{_label('consensus', lang)}\n{consensus}",
        f"{_label('reversal', lang)}\n{result.reversal_note.get(lang)}",
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
