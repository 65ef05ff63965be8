"""``policyrank memo --out FILE``: write the policy memo (决策参考: brief and annex) as md, docx, html or pdf.

The brief states the engine's recommendation, so the robustness study runs by default (it says how
firm the first place is); ``--no-robustness`` writes a quicker memo that reports the order as untested.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import sys
from pathlib import Path
from typing import Any

from engine.analysis import run
from engine.cli.commands.package import add_choices, with_choices
from engine.cli.common import add_inputs, add_settings, load_inputs, settings_from_args
from engine.cli.workspace import add_scenario, open_workspace, scenario_inputs
from engine.errors import InputError
from engine.insight.portfolio import VALUE_BASES, load_rules, select_package
from engine.io.files import write_atomic
from engine.memo import FORMATS, SUFFIXES, MemoOptions, build_memo, format_for_path, render, sniff
from engine.memo.document import Memo
from engine.robustness.study import DEFAULT_SAMPLES, analyze

KIND = {"md": "Markdown", "docx": "Word", "html": "HTML", "pdf": "PDF"}
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")  # each page object, not the /Pages tree


def register(parser: argparse.ArgumentParser) -> None:
    add_inputs(parser)
    add_settings(parser)
    add_scenario(parser)
    parser.add_argument("--format", choices=FORMATS, help="output format (default: from the suffix of --out)")
    parser.add_argument("--out", required=True, help="the file to write (atomically)")
    parser.add_argument(
        "--date", type=dt.date.fromisoformat, help="the memo's date, YYYY-MM-DD (default: today)"
    )
    parser.add_argument(
        "--robustness",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="run the robustness study (SMAA, stability, audit, rank reversal) that says how firm the "
        "recommendation is (default); --no-robustness reports the order as untested",
    )
    parser.add_argument("--samples", type=int, default=DEFAULT_SAMPLES, help="SMAA samples of the study")
    parser.add_argument(
        "--budget",
        type=float,
        help="recommend the best policy package for this annual budget (亿元), as the app does",
    )
    parser.add_argument(
        "--rules", help="package rules YAML for --budget (default: data/package_rules.yaml beside --data)"
    )
    add_choices(parser)  # --must, --exclude, --value: with --budget, as on the app's budget page
    parser.add_argument(
        "--force", action="store_true", help="overwrite --out even if it holds another kind of file"
    )
    parser.add_argument("--issue", help="the issue number (期号): 3 prints 第3期 / No. 3, a text as it is")
    parser.add_argument("--publisher", help="the issuing unit (编发单位) of the masthead, 落款 and 版记")
    parser.add_argument("--mark", help="a mark above the masthead, such as 内部资料　注意保存")
    parser.add_argument("--distribution", help="who receives copies, for the 版记 (抄送)")
    parser.add_argument(
        "--compare",
        nargs="+",
        metavar="SCENARIO",
        help="open the annex with 方案比较: two to four saved scenarios (names or ids) of --project side "
        "by side, each leader's firmness from a study of --samples samples (none with --no-robustness)",
    )
    parser.add_argument(
        "--annex",
        choices=("appended", "separate"),
        default="appended",
        help="the technical annex follows the brief (default) or goes to NAME-annex.SUFFIX beside --out",
    )
    parser.set_defaults(handler=memo)


def output_format(out: str, requested: str | None) -> str:
    """The format to write: ``--format`` if given, else the suffix of ``--out``; they must agree."""
    implied = format_for_path(out)
    suffix = Path(out).suffix or "(none)"
    if requested is None:
        if implied is None:
            known = ", ".join(SUFFIXES.values())
            raise InputError(
                "--out", "", f"cannot tell the format from the suffix {suffix}; use {known} or --format"
            )
        return implied
    if implied is not None and implied != requested:
        raise InputError(
            "--format",
            "",
            f"{requested} does not match the suffix {suffix} of --out {out} (which means {implied})",
        )
    return requested


def check_target(out: str, fmt: str, *, force: bool) -> None:
    """Refuse to replace a file that is not a memo of the same format, unless ``force``.

    A file counts as the same kind when its suffix stands for ``fmt`` and its first bytes look like
    it (DOCX "PK", PDF "%PDF", HTML/Markdown UTF-8 text). An empty file is never precious.
    """
    path = Path(out)
    if path.is_dir():
        raise InputError("--out", "", f"{out} is a directory")
    if not path.parent.exists() and str(path.parent) not in ("", "."):
        raise InputError("--out", "", f"the folder {path.parent} does not exist")
    if force or not path.exists():
        return
    with path.open("rb") as stream:
        head = stream.read(4096)
    if not head:
        return
    if format_for_path(path) != fmt or sniff(head) != fmt:
        raise InputError(
            "--out",
            "",
            f"{out} exists and is not a {KIND[fmt]} file; choose another name or add --force to overwrite it",
        )


def written(data: bytes, fmt: str) -> str:
    """What a memo file holds, for the one line that confirms it: "a PDF memo (6 pages, 212 KB)"."""
    details = []
    if fmt == "pdf":
        pages = len(PDF_PAGE.findall(data))
        details.append(f"{pages} page{'' if pages == 1 else 's'}")
    details.append(f"{max(1, round(len(data) / 1024))} KB")
    return f"a {KIND[fmt]} memo ({', '.join(details)})"


def memo_options(args: argparse.Namespace) -> MemoOptions:
    """The masthead, 版记 and annex choices of the command line."""
    issue: int | str | None = args.issue
    if args.issue is not None and args.issue.isdigit():
        issue = int(args.issue)
    try:
        return MemoOptions(
            issue=issue,
            publisher=args.publisher,
            mark=args.mark,
            distribution=args.distribution,
            annex=args.annex,
        )
    except ValueError as exc:
        raise InputError("--issue", "", str(exc)) from None


def annex_path(out: str) -> Path:
    """Where a separate annex goes: ``brief.docx`` -> ``brief-annex.docx``."""
    path = Path(out)
    return path.with_name(f"{path.stem}-annex{path.suffix}")


def memo(args: argparse.Namespace) -> int:
    fmt = output_format(args.out, args.format)
    check_target(args.out, fmt, force=args.force)
    options = memo_options(args)
    if options.annex == "separate":
        check_target(str(annex_path(args.out)), fmt, force=args.force)
    if args.scenario:
        problem, settings = scenario_inputs(args)
    else:
        problem = load_inputs(args)
        settings = settings_from_args(args, problem)
    analysis = run(problem, settings)
    study = None
    if args.robustness:
        if args.samples < 1:
            raise InputError("--samples", "", f"expected a positive number of samples, got {args.samples}")
        study = analyze(problem, analysis.settings, analysis=analysis, samples=args.samples)
    rules = None
    if args.budget is not None:
        if not math.isfinite(args.budget) or args.budget < 0:
            raise InputError("--budget", "", f"expected a finite number >= 0, got {args.budget:g}")
        if study is None:
            raise InputError(
                "--budget", "", "a package is recommended from the robustness study; drop --no-robustness"
            )
        rules_file = args.rules or Path(args.data).parent / "package_rules.yaml"
        ids = problem.alternative_ids
        rules = with_choices(load_rules(rules_file, ids), args, ids)
        # a budget the rules cannot meet is an input error
        select_package(analysis, args.budget, rules=rules, basis=args.value)
    else:
        for flag, given in (
            ("--rules", args.rules),
            ("--must", args.must),
            ("--exclude", args.exclude),
            ("--value", args.value != VALUE_BASES[0]),
        ):
            if given:
                raise InputError(flag, "", "package choices only apply with --budget")
    compared = _comparison(args) if args.compare else None
    document = build_memo(
        analysis,
        lang=args.lang,
        today=args.date,
        robustness=study,
        budget=args.budget,
        rules=rules,
        basis=args.value,
        options=options,
        comparison=compared,
    )
    wrote = [_write(document, fmt, args.out)]
    annex = document.annex_document() if document.annex_separate else None
    if annex is not None:
        wrote.append(_write(annex, fmt, str(annex_path(args.out))))
    sys.stderr.write(f"policyrank memo: wrote {' and '.join(wrote)}\n")
    return 0


def _comparison(args: argparse.Namespace) -> dict[str, Any]:
    """``Store.compare`` of the ``--compare`` scenarios in ``--project``, with the leaders' firmness
    from studies of the memo's sample count."""
    from engine.store.compare import check_count

    try:
        check_count(args.compare)
    except InputError as exc:
        raise InputError("--compare", "", exc.expected) from None
    store = open_workspace()
    try:
        samples = args.samples if args.robustness else 0
        return store.compare(args.project, args.compare, firmness_samples=samples)
    finally:
        store.close()


def _write(document: Memo, fmt: str, out: str) -> str:
    data = render(document, fmt)
    write_atomic(out, data)
    return f"{written(data, fmt)} to {out}"
