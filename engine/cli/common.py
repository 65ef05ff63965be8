"""What several ``policyrank`` commands share: the input and ranking flags, and writing the output.

A command module imports this only when that command runs, so the flags' defaults (the shipped
files, the method names) cost nothing for ``policyrank --help`` or another command.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.errors import InputError
from engine.io.files import write_atomic
from engine.load import DEFAULT_CRITERIA, DEFAULT_DATA, load_preset, load_problem
from engine.mcda.methods import METHODS
from engine.mcda.normalization import NORMALIZATIONS
from engine.model import Problem
from engine.settings import AHP_METHODS, Settings

LANGS = ("zh", "en")


def add_inputs(parser: argparse.ArgumentParser) -> None:
    """``--criteria``, ``--data`` and ``--evidence``: the files a Problem is loaded from."""
    parser.add_argument("--criteria", default=str(DEFAULT_CRITERIA), help="criteria and judgments YAML")
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="countermeasure catalogue YAML")
    parser.add_argument(
        "--evidence", default=None, help="evidence YAML (default: evidence.yaml beside --data)"
    )


def add_settings(parser: argparse.ArgumentParser, *, weights: bool = True) -> None:
    """The ranking flags read by :func:`settings_from_args`.

    ``weights=False`` leaves out ``--weights`` for commands whose weights always come from the
    experts' judgments (``policyrank group``).
    """
    if weights:
        parser.add_argument(
            "--weights", help="a preset id (see criteria/presets/) or a weight-profile YAML file"
        )
    else:
        parser.set_defaults(weights=None)
    parser.add_argument("--method", choices=METHODS, default="topsis")
    parser.add_argument("--normalization", choices=NORMALIZATIONS, help="default: the method's own")
    parser.add_argument(
        "--experts", help="comma-separated expert ids whose judgments are combined (default: all)"
    )
    parser.add_argument("--ahp-method", choices=AHP_METHODS, default="eigen")
    parser.add_argument(
        "--vikor-v", type=float, default=0.5, help="VIKOR's weight of the group utility S against regret R"
    )
    parser.add_argument("--lang", choices=LANGS, default="zh")


def positive_int(text: str) -> int:
    """An argparse type: a whole number >= 1 (sample counts, chunk sizes)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def whole_int(text: str) -> int:
    """An argparse type: a whole number >= 0 (seeds; a sample count where 0 means none)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return value


def load_inputs(args: argparse.Namespace) -> Problem:
    """The Problem named by the :func:`add_inputs` flags."""
    return load_problem(args.criteria, args.data, args.evidence)


def expert_ids(text: str | None, problem: Problem) -> tuple[str, ...]:
    """The ``--experts`` list, each id checked against the criteria file's experts."""
    chosen = tuple(e.strip() for e in text.split(",") if e.strip()) if text else ()
    known = [e.id for e in problem.criteria.experts]
    for expert in chosen:
        if expert not in known:
            raise InputError("--experts", "", f"unknown expert {expert!r} (known: {', '.join(known)})")
    return chosen


def settings_from_args(args: argparse.Namespace, problem: Problem) -> Settings:
    """Turn the :func:`add_settings` flags into Settings, resolving ``--weights`` to a preset or file."""
    if not 0 <= args.vikor_v <= 1:
        raise InputError("--vikor-v", "", f"expected a number in 0..1, got {args.vikor_v:g}")
    base = Settings(
        method=args.method,
        normalization=args.normalization,
        experts=expert_ids(args.experts, problem),
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


def emit(text: str, out: str | None) -> None:
    """Write ``text`` to ``out`` atomically, or to standard output when no file is named."""
    if out:
        write_atomic(out, text.encode("utf-8"))
    else:
        sys.stdout.write(text)
