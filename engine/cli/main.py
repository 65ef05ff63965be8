"""``policyrank``: rank the countermeasures, inspect AHP judgments, validate input files.

Bad input ends with one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import yaml

from engine.analysis import CR_THRESHOLD, Analysis, run
from engine.errors import InputError
from engine.io.files import text_table, to_csv, write_atomic
from engine.io.safe_yaml import read_yaml
from engine.load import (
    DEFAULT_CRITERIA,
    DEFAULT_DATA,
    display_path,
    load_preset,
    load_problem,
    notices,
    parse_criteria,
)
from engine.mcda.methods import METHODS
from engine.mcda.normalization import NORMALIZATIONS
from engine.model import Lang, Problem
from engine.settings import AHP_METHODS, Settings

EXIT_INPUT = 2

LABELS: dict[str, dict[str, str]] = {
    "rank": {"zh": "排名", "en": "Rank"},
    "measure": {"zh": "对策", "en": "Countermeasure"},
    "score": {"zh": "得分", "en": "Score"},
    "criterion": {"zh": "准则", "en": "Criterion"},
    "weight": {"zh": "权重", "en": "Weight"},
    "direction": {"zh": "方向", "en": "Direction"},
    "benefit": {"zh": "效益型", "en": "benefit"},
    "cost": {"zh": "成本型", "en": "cost"},
    "node": {"zh": "节点", "en": "Node"},
    "expert": {"zh": "专家", "en": "Expert"},
    "consistent": {"zh": "一致", "en": "consistent"},
    "inconsistent": {"zh": "不一致，建议先修改", "en": "inconsistent, revise first"},
    "method": {"zh": "方法", "en": "Method"},
    "weights_from": {"zh": "权重来源", "en": "Weights from"},
    "lower_better": {"zh": "（越小越好）", "en": " (lower is better)"},
}


def label(key: str, lang: Lang) -> str:
    return LABELS[key][lang]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: {message} (see --help)\n")
        raise SystemExit(EXIT_INPUT)


def _add_inputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--criteria", default=str(DEFAULT_CRITERIA), help="criteria and judgments YAML")
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="countermeasure catalogue YAML")
    parser.add_argument(
        "--evidence", default=None, help="evidence YAML (default: evidence.yaml beside --data)"
    )


def _add_settings(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--weights", help="a preset id (see criteria/presets/) or a weight-profile YAML file")
    parser.add_argument("--method", choices=METHODS, default="topsis")
    parser.add_argument("--normalization", choices=NORMALIZATIONS, help="default: the method's own")
    parser.add_argument(
        "--experts", help="comma-separated expert ids whose judgments are combined (default: all)"
    )
    parser.add_argument("--ahp-method", choices=AHP_METHODS, default="eigen")
    parser.add_argument(
        "--vikor-v", type=float, default=0.5, help="VIKOR's weight of the group utility S against regret R"
    )
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")


CORE_COMMANDS = ("rank", "ahp", "validate")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``only`` a command name, just what that command needs."""
    parser = _Parser(
        prog="policyrank", description="Rank Wuhan's countermeasures to reverse investment promotion."
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    rank = commands.add_parser("rank", help="rank the countermeasures")
    _add_inputs(rank)
    _add_settings(rank)
    rank.add_argument("--format", choices=("table", "json", "csv"), default="table")
    rank.add_argument("--out", help="write to this file (atomically) instead of standard output")
    rank.set_defaults(handler=_rank)

    ahp = commands.add_parser("ahp", help="AHP priorities and consistency of every judged node")
    ahp.add_argument("file", help="a criteria YAML file")
    ahp.add_argument("--expert", help="only this expert (default: every expert)")
    ahp.add_argument("--ahp-method", choices=AHP_METHODS, default="eigen")
    ahp.add_argument("--format", choices=("table", "json"), default="table")
    ahp.add_argument("--lang", choices=("zh", "en"), default="zh")
    ahp.set_defaults(handler=_ahp)

    validate = commands.add_parser("validate", help="check the input files and print a one-line summary")
    _add_inputs(validate)
    validate.set_defaults(handler=_validate)

    for name in _command_modules(only):
        importlib.import_module(f"engine.cli.commands.{name}").register(commands)
    return parser


def _command_modules(only: str | None) -> list[str]:
    """The command modules to load: just ``only`` when it names one, else every one.

    Each module is named after its command, so ``policyrank rank`` never pays for importing the
    memo renderers or the screening readers.
    """
    import engine.cli.commands

    names = [module.name for module in pkgutil.iter_modules(engine.cli.commands.__path__)]
    if only in CORE_COMMANDS:
        return []
    return [only] if only in names else names


def _problem(args: argparse.Namespace) -> Problem:
    return load_problem(args.criteria, args.data, args.evidence)


def settings_from_args(args: argparse.Namespace, problem: Problem) -> Settings:
    """Turn the shared ranking flags into Settings, resolving ``--weights`` to a preset or file."""
    experts = tuple(e.strip() for e in args.experts.split(",") if e.strip()) if args.experts else ()
    if not 0 <= args.vikor_v <= 1:
        raise InputError("--vikor-v", "", f"expected a number in 0..1, got {args.vikor_v:g}")
    base = Settings(
        method=args.method,
        normalization=args.normalization,
        experts=experts,
        ahp_method=args.ahp_method,
        vikor_v=args.vikor_v,
    )
    if not args.weights:
        return base
    if any(p.id == args.weights for p in problem.presets):
        return base.with_preset(args.weights)
    path = Path(args.weights)
    if not path.exists():
        known = ", ".join(p.id for p in problem.presets) or "none"
        raise InputError(
            "--weights", "", f"{args.weights!r} is neither a preset ({known}) nor an existing file"
        )
    profile = load_preset(path, problem.leaf_ids)
    return base.with_manual_weights(profile.weights)


def _score_text(value: float) -> str:
    return f"{value:.4f}"


def render_rank_table(analysis: Analysis, lang: Lang) -> str:
    problem = analysis.problem
    primary = analysis.primary
    header_score = label("score", lang) + ("" if primary.higher_is_better else label("lower_better", lang))
    ranking = text_table(
        [label("rank", lang), label("measure", lang), header_score],
        [[str(e.rank), e.name.get(lang), _score_text(e.score)] for e in analysis.ranking],
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


def _emit(text: str, out: str | None) -> None:
    if out:
        write_atomic(out, text.encode("utf-8"))
    else:
        sys.stdout.write(text)


def _rank(args: argparse.Namespace) -> int:
    problem = _problem(args)
    analysis = run(problem, settings_from_args(args, problem))
    if args.format == "json":
        text = json.dumps(analysis.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        text = render_rank_csv(analysis, args.lang)
    else:
        text = render_rank_table(analysis, args.lang)
    _emit(text, args.out)
    return 0


def _ahp(args: argparse.Namespace) -> int:
    from engine.hierarchy import judgment_matrix
    from engine.mcda.ahp import priorities, revision_hint

    source = display_path(args.file)
    criteria = parse_criteria(read_yaml(args.file, source)[0], source)
    experts = criteria.experts
    if args.expert:
        if args.expert not in {e.id for e in experts}:
            raise InputError("--expert", "", f"unknown expert {args.expert!r} in {source}")
        experts = tuple(e for e in experts if e.id == args.expert)
    records: list[dict[str, Any]] = []
    for expert in experts:
        for node in criteria.judged_nodes:
            matrix = judgment_matrix(node, expert.judgments[node.id])
            result = priorities(matrix, method=args.ahp_method)
            children = [child.id for child in node.children]
            record: dict[str, Any] = {
                "expert": expert.id,
                "node": node.id,
                "weights": dict(zip(children, map(float, result.weights), strict=True)),
                "lambda_max": result.lambda_max,
                "ci": result.ci,
                "cr": result.cr,
                "consistent": result.cr < CR_THRESHOLD,
            }
            if result.cr >= CR_THRESHOLD:
                i, j, value = revision_hint(matrix, result.weights)
                record["revise_first"] = {"a": children[i], "b": children[j], "suggested": float(value)}
            records.append(record)
    if args.format == "json":
        sys.stdout.write(
            json.dumps({"method": args.ahp_method, "nodes": records}, ensure_ascii=False, indent=2) + "\n"
        )
        return 0
    lang: Lang = args.lang
    names = {node.id: node.name.get(lang) for node in criteria.goal.walk()}
    rows = []
    for record in records:
        weights = ", ".join(f"{names[k]} {v:.3f}" for k, v in record["weights"].items())
        status = label("consistent", lang) if record["consistent"] else label("inconsistent", lang)
        if "revise_first" in record:
            hint = record["revise_first"]
            status += f": {names[hint['a']]} / {names[hint['b']]} → {hint['suggested']:g}"
        rows.append(
            [
                record["expert"],
                names[record["node"]],
                f"{record['lambda_max']:.4f}",
                f"{record['ci']:.4f}",
                f"{record['cr']:.4f}",
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


def _validate(args: argparse.Namespace) -> int:
    problem = _problem(args)
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


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    parser = build_parser(first)
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except InputError as exc:
        sys.stderr.write(f"{exc}\n")
    except ValueError as exc:
        sys.stderr.write(f"policyrank {args.command}: {exc}\n")
    except OSError as exc:
        sys.stderr.write(f"policyrank {args.command}: {exc.filename or ''}: {exc.strerror}\n")
    except yaml.YAMLError as exc:  # pragma: no cover - parse_yaml converts these already
        sys.stderr.write(f"policyrank {args.command}: {exc}\n")
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the promise is no traceback; POLICYRANK_DEBUG=1 shows it
        if os.environ.get("POLICYRANK_DEBUG"):
            raise
        sys.stderr.write(f"policyrank {args.command}: internal error ({type(exc).__name__}: {exc})\n")
        return 1
    return EXIT_INPUT


if __name__ == "__main__":
    raise SystemExit(main())
