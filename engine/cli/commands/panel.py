"""``policyrank panel``: expert panels of a workspace project: create, links, revoke, questionnaire,
import, status, round (docs/panel.md, "The panel in the workspace"); ``rank --panel`` ranks with
a panel's weights (:func:`panel_inputs`)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.cli.common import LANGS, emit, positive_int
from engine.cli.workspace import add_project, open_workspace
from engine.errors import InputError
from engine.io.files import read_input

if TYPE_CHECKING:
    from engine.model import Problem
    from engine.panel.cells import FileRefused
    from engine.settings import Settings
    from engine.store.panel import Panels

ASKS = ("judgments", "scores", "both")
SHOWN_PROBLEMS = 20  # a pasted block of rows gives thousands of bad cells; the first ones tell the story
AGGREGATIONS = ("judgments", "priorities")


def register(parser: argparse.ArgumentParser) -> None:
    verbs = parser.add_subparsers(dest="verb", required=True)

    create = verbs.add_parser(
        "create", help="a new panel from a CSV of experts (columns id,name,group,weight)"
    )
    create.add_argument("name")
    create.add_argument("--experts", required=True, help="CSV with columns id,name,group,weight[,asks]")
    create.add_argument("--asks", choices=ASKS, default="judgments", help="what the experts are asked")
    create.add_argument(
        "--aggregation", choices=AGGREGATIONS, default="judgments", help="AIJ (judgments) or AIP (priorities)"
    )
    create.add_argument("--scored", help="comma-separated leaf criteria the experts score (default: all)")
    create.add_argument("--days", type=positive_int, default=30, help="how long a link stays valid")

    listing = verbs.add_parser("list", help="the project's panels")

    links = verbs.add_parser(
        "links", help="fresh personal links (earlier links of those experts stop working)"
    )
    links.add_argument("name")
    links.add_argument("--base-url", default=None, help="the app's address (default http://localhost:8501/)")
    links.add_argument("--expert", action="append", help="only this expert (repeatable; default: all)")
    links.add_argument("--days", type=positive_int, help="valid this many days (default: the panel's)")

    revoke = verbs.add_parser("revoke", help="revoke every link of one expert")
    revoke.add_argument("name")
    revoke.add_argument("--expert", required=True)

    questionnaire = verbs.add_parser("questionnaire", help="one Excel questionnaire (.xlsx) per expert")
    questionnaire.add_argument("name")
    questionnaire.add_argument("--out", required=True, help="folder to write into (created if missing)")
    questionnaire.add_argument("--lang", choices=LANGS, default="zh")
    questionnaire.add_argument(
        "--expert", action="append", help="only this expert (repeatable; default: all)"
    )

    imports = verbs.add_parser(
        "import", help="filled questionnaires, or a survey tool's export, all or nothing"
    )
    imports.add_argument("name")
    imports.add_argument("files", nargs="*", metavar="FILE.xlsx")
    imports.add_argument("--survey", help="a survey tool's export (CSV or .xlsx) instead of questionnaires")
    imports.add_argument(
        "--mapping", help="with --survey: the column mapping (kept with the panel for next time)"
    )
    imports.add_argument(
        "--replace", action="store_true", help="replace the answers of experts who have submitted this round"
    )

    status = verbs.add_parser("status", help="progress, consistency, agreement and the panel's weights")
    status.add_argument("name")

    rounds = verbs.add_parser("round", help="open the next Delphi round")
    rounds.add_argument("name")
    rounds.add_argument("--next", action="store_true", required=True, help="open round k + 1")

    for sub in (create, listing, links, revoke, questionnaire, imports, status, rounds):
        add_project(sub)
        sub.add_argument("--format", choices=("table", "json"), default="table")
    parser.set_defaults(handler=handle)


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def handle(args: argparse.Namespace) -> int:
    from engine.store.panel import Panels

    store = open_workspace()
    try:
        text = _run(Panels(store), args)
    finally:
        store.close()
    emit(text, None)
    return 0


def _run(panels: Panels, args: argparse.Namespace) -> str:
    from engine.store.panel import DEFAULT_BASE_URL, PanelOptions

    project, verb = args.project, args.verb
    as_json = args.format == "json"
    if verb == "create":
        scored = tuple(s.strip() for s in args.scored.split(",") if s.strip()) if args.scored else None
        options = PanelOptions(aggregation=args.aggregation, scored=scored, link_days=args.days)
        info = panels.create(
            project,
            args.name,
            read_input(args.experts, args.experts),
            source=args.experts,
            asks=args.asks,
            options=options,
        )
        if as_json:
            return _json(info.to_dict())
        return f"created panel {info.name} with {len(info.experts)} experts (round {info.round})\n"
    if verb == "list":
        found = panels.panels(project)
        if as_json:
            return _json([info.to_dict() for info in found])
        return "".join(f"{i.name}\tround {i.round}\t{len(i.experts)} experts\t{i.updated}\n" for i in found)
    if verb == "links":
        issued = panels.issue_links(
            project, args.name, args.expert, base_url=args.base_url or DEFAULT_BASE_URL, days=args.days
        )
        if as_json:
            return _json([link.to_dict() for link in issued])
        return "".join(f"{link.expert}\t{link.name}\t{link.url}\t{link.expires}\n" for link in issued)
    if verb == "revoke":
        count = panels.revoke(project, args.name, args.expert)
        if as_json:
            return _json({"expert": args.expert, "revoked": count})
        return f"revoked {count} valid link(s) of {args.expert}\n"
    if verb == "questionnaire":
        paths = _questionnaires(panels, args)
        if as_json:
            return _json([str(path) for path in paths])
        return "".join(f"{path}\n" for path in paths)
    if verb == "import":
        if args.survey and args.files:
            raise InputError("--survey", "", "give either questionnaire files or --survey, not both")
        if args.mapping and not args.survey:
            raise InputError("--mapping", "", "--mapping goes with --survey")
        if not args.survey and not args.files:
            raise InputError("import", "", "expected questionnaire files (.xlsx) or --survey FILE")
        from engine.panel.cells import FileRefused

        try:
            if args.survey:
                result = panels.import_survey(
                    project, args.name, args.survey, mapping=args.mapping, replace=args.replace
                )
            else:
                result = panels.import_files(project, args.name, args.files, replace=args.replace)
        except FileRefused as refused:
            if len(refused.errors) <= SHOWN_PROBLEMS:
                raise
            raise _Shortened(refused) from None
        if as_json:
            return _json(result.to_dict())
        who = ", ".join(result.experts)
        return f"imported {result.answers} answers of {len(result.experts)} expert(s): {who}\n"
    if verb == "status":
        figures = panels.status(project, args.name)
        return _json(figures) if as_json else _status_table(figures)
    opened = panels.next_round(project, args.name)
    return (
        _json({"panel": args.name, "round": opened})
        if as_json
        else f"panel {args.name} is in round {opened}\n"
    )


class _Shortened(InputError):
    """A refused file's message with its first problems and its last (often why the rest followed)."""

    def __init__(self, refused: FileRefused) -> None:
        super().__init__(
            refused.source, refused.place, refused.expected, code=refused.code, params=refused.params
        )
        self.refused = refused

    def __str__(self) -> str:
        errors = self.refused.errors
        hidden = len(errors) - SHOWN_PROBLEMS
        lines = [str(error) for error in errors[: SHOWN_PROBLEMS - 1]]
        lines.append(f"{self.refused.source}: … {hidden} more like these …")
        return "\n".join([InputError.__str__(self.refused), *lines, str(errors[-1])])


def _questionnaires(panels: Panels, args: argparse.Namespace) -> list[Path]:
    from engine.panel.layout import Identity
    from engine.panel.questionnaire import write_questionnaire

    info = panels.panel(args.project, args.name)
    problem = panels.problem(info)
    chosen = [info.expert(e) for e in args.expert] if args.expert else list(info.experts)
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise InputError("--out", "", f"{args.out!r} is a file, not a folder") from None
    return [
        write_questionnaire(
            problem,
            Identity(info.name, expert.id, info.round),
            out,
            expert_name=expert.name,
            asks=expert.asks,
            scored=info.options.scored,
            lang=args.lang,
        )
        for expert in chosen
    ]


def _status_table(figures: dict[str, Any]) -> str:
    panel, progress = figures["panel"], figures["progress"]
    lines = [
        f"panel {panel['name']} (project {panel['project']}, round {panel['round']}): "
        f"{progress['submitted']}/{progress['experts']} submitted, "
        f"{progress['answered']}/{progress['asked']} answers"
    ]
    for e in figures["experts"]:
        worst = max((cr for cr in e["cr"].values() if cr is not None), default=None)
        cr = "-" if worst is None else f"{worst:.3f}"
        state = "submitted" if e["submitted"] else "open"
        flag = "  OUTLIER" if e["outlier"] else ""
        lines.append(f"  {e['id']}\t{e['name']}\t{e['answered']}/{e['asked']}\t{state}\tCR max {cr}{flag}")
    agreement = figures["agreement"]
    if agreement["kendall_w"] is not None:
        w = agreement["kendall_w"]
        lines.append(
            f"Kendall's W {w['w']:.3f} (chi2 {w['chi2']:.2f}, df {w['df']}, p {w['p']:.4f}) over "
            f"{w['experts']} experts"
        )
    if figures["authority"] is not None:
        lines.append(f"authority coefficient {figures['authority']['mean']:.3f}")
    if figures["weights"] is not None:
        weights = figures["weights"]["criteria"]
        lines.append("weights: " + ", ".join(f"{leaf} {w:.4f}" for leaf, w in weights.items()))
    return "\n".join(lines) + "\n"


def add_panel_flags(parser: argparse.ArgumentParser) -> None:
    """``rank``'s ``--panel`` and ``--aggregation`` (the panel lives in ``--project``)."""
    parser.add_argument("--panel", help="rank with the weights of this expert panel of --project")
    parser.add_argument(
        "--aggregation",
        choices=AGGREGATIONS,
        help="with --panel: combine the judgments (AIJ) or the experts' priorities (AIP) "
        "(default: the panel's choice)",
    )


def panel_inputs(args: argparse.Namespace) -> tuple[Problem, Settings]:
    """The Problem and Settings that rank with the panel ``--panel`` of ``--project``: the ranking
    flags (method, normalisation, …) apply; the weights are the panel's."""
    from engine.cli.common import settings_from_args
    from engine.store.panel import Panels

    for flag, given in (
        ("--scenario", args.scenario),
        ("--weights", args.weights),
        ("--experts", args.experts),
    ):
        if given:
            raise InputError(flag, "", "the panel gives the weights; leave out this flag with --panel")
    store = open_workspace()
    try:
        panels = Panels(store)
        info = panels.panel(args.project, args.panel)
        base = settings_from_args(args, panels.problem(info))
        return panels.analysis_inputs(args.project, args.panel, base=base, aggregation=args.aggregation)
    finally:
        store.close()
