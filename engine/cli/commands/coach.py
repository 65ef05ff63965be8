"""``policyrank coach FILE``: which judgment to revise first, to what, and the path to CR < 0.10."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from engine.errors import InputError
from engine.insight.coaching import COMBINED, Coaching, Revision, coach_criteria, saaty_text
from engine.io.files import text_table
from engine.io.safe_yaml import read_yaml
from engine.load import display_path, parse_criteria
from engine.mcda.ahp import CR_THRESHOLD
from engine.model import Lang
from engine.settings import AHP_METHODS
from engine.text import label


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a criteria YAML file")
    parser.add_argument("--expert", help=f"only this expert, or {COMBINED!r} for the combined judgments")
    parser.add_argument("--node", help="only this judged node")
    parser.add_argument("--ahp-method", choices=AHP_METHODS, default="eigen")
    parser.add_argument("--top", type=int, default=5, help="single revisions to list per node (table)")
    parser.add_argument("--all", action="store_true", help="also list consistent nodes")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.set_defaults(handler=run)


def revision_record(revision: Revision) -> dict[str, Any]:
    return {
        "a": revision.a,
        "b": revision.b,
        "current": revision.current,
        "proposed": revision.proposed,
        "cr_before": revision.cr_before,
        "cr_after": revision.cr_after,
        "log_error": revision.log_error,
        "weights_after": [float(w) for w in revision.weights_after],
    }


def coaching_record(expert: str, node: str, coaching: Coaching) -> dict[str, Any]:
    return {
        "expert": expert,
        "node": node,
        "items": list(coaching.labels),
        "cr": coaching.cr,
        "consistent": coaching.consistent,
        "weights": [float(w) for w in coaching.weights],
        "revisions": [revision_record(r) for r in coaching.revisions],
        "triads": [
            {
                "items": list(t.items),
                "direct": t.direct,
                "implied": t.implied,
                "inconsistency": t.inconsistency,
            }
            for t in coaching.triads
        ],
        "path": [revision_record(r) for r in coaching.path],
        "reached": coaching.reached,
    }


def run(args: argparse.Namespace) -> int:
    source = display_path(args.file)
    criteria = parse_criteria(read_yaml(args.file, source)[0], source)
    if args.top < 1:
        raise InputError("--top", "", f"expected a positive number, got {args.top}")
    try:
        found = coach_criteria(criteria, expert=args.expert, node=args.node, method=args.ahp_method)
    except KeyError as exc:
        flag = "--node" if args.node and "node" in str(exc) else "--expert"
        raise InputError(flag, "", f"{exc.args[0]} in {source}") from None
    if args.format == "json":
        records = [coaching_record(*item) for item in found if args.all or not item[2].consistent]
        payload = {"method": args.ahp_method, "threshold": CR_THRESHOLD, "nodes": records}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 0
    lang: Lang = args.lang
    names = {node.id: node.name.get(lang) for node in criteria.goal.walk()}
    blocks = []
    for expert, node, coaching in found:
        head = (
            f"{label('expert', lang)} {expert} · {label('node', lang)} {names[node]} · CR {coaching.cr:.4f}"
        )
        if coaching.consistent:
            if args.all:
                blocks.append(f"{head}: {label('consistent_as_is', lang)}")
            continue
        rows = [
            [
                f"{names[r.a]} / {names[r.b]}",
                saaty_text(r.current),
                saaty_text(r.proposed),
                f"{r.cr_after:.4f}",
            ]
            for r in coaching.revisions[: args.top]
        ]
        table = text_table(
            [
                label("judgment", lang),
                label("now", lang),
                label("proposed", lang),
                label("cr_after", lang),
            ],
            rows,
            right=[False, True, True, True],
        )
        steps = [
            f"  {k}. {names[r.a]} / {names[r.b]}: {saaty_text(r.current)} → {saaty_text(r.proposed)}"
            f"  (CR {r.cr_before:.4f} → {r.cr_after:.4f})"
            for k, r in enumerate(coaching.path, start=1)
        ]
        if not coaching.reached:
            steps.append(f"  ({label('coach.unreached', lang)})")
        triad = ""
        if coaching.triads:
            t = coaching.triads[0]
            triad = (
                f"{label('coach.triad', lang)}: {' → '.join(names[i] for i in t.items)}: "
                f"{saaty_text(t.direct)} vs {t.implied:.3g} (Koczkodaj {t.inconsistency:.3f})\n"
            )
        blocks.append(
            f"{head}\n{label('coach.best', lang, k=len(rows))}\n{table}\n{triad}"
            f"{label('coach.path', lang, t=f'{coaching.threshold:.2f}')}:\n" + "\n".join(steps)
        )
    sys.stdout.write("\n\n".join(blocks) + ("\n" if blocks else ""))
    if not blocks:
        sys.stdout.write(f"{label('consistent_as_is', lang)}\n")
    return 0
