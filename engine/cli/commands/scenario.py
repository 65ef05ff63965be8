"""``policyrank scenario``: save, list, show, compare, rename, duplicate, delete, export and import
the scenarios of a workspace project (docs/workspace.md)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from engine.cli.common import add_settings, emit, settings_from_args, whole_int
from engine.cli.workspace import add_project, open_workspace
from engine.errors import InputError


def register(parser: argparse.ArgumentParser) -> None:
    verbs = parser.add_subparsers(dest="verb", required=True)

    save = verbs.add_parser("save", help="save the ranking flags' settings as a scenario (new or updated)")
    save.add_argument("name")
    add_settings(save)
    save.add_argument("--note", help="a note kept with the scenario (default: keep the stored one)")
    save.add_argument(
        "--expected-version",
        type=whole_int,
        help="refuse the save unless the stored scenario is at this version (0: it must be new)",
    )

    listing = verbs.add_parser("list", help="the scenarios, newest first, each with its top three")
    show = verbs.add_parser("show", help="one scenario's settings, note and versions")
    show.add_argument("name")
    compare = verbs.add_parser("compare", help="two to four scenarios side by side")
    compare.add_argument("names", nargs="+")
    compare.add_argument(
        "--samples",
        type=whole_int,
        default=0,
        help="SMAA samples for each leader's firmness (default 0: left out, as it takes seconds)",
    )
    rename = verbs.add_parser("rename", help="rename a scenario")
    rename.add_argument("name")
    rename.add_argument("new_name")
    duplicate = verbs.add_parser("duplicate", help="save a copy of a scenario under another name")
    duplicate.add_argument("name")
    duplicate.add_argument("new_name")
    remove = verbs.add_parser("delete", help="delete a scenario (the history keeps it; revertible)")
    remove.add_argument("name")
    export = verbs.add_parser("export", help="write a scenario as a YAML file")
    export.add_argument("name")
    export.add_argument("--out", required=True)
    load = verbs.add_parser("import", help="save the scenario of a YAML file written by export")
    load.add_argument("file")
    load.add_argument("--name", help="save it under this name instead of the file's")

    for sub in (save, listing, show, compare, rename, duplicate, remove, export, load):
        add_project(sub)
    for sub in (save, listing, show, compare, rename, duplicate, remove, load):
        sub.add_argument("--format", choices=("table", "json"), default="table")
    parser.set_defaults(handler=handle)


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _read(path: str) -> str:
    try:
        return Path(path).read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputError(path, "", "file not found") from None
    except UnicodeDecodeError:
        raise InputError(path, "", "expected UTF-8 text") from None


def handle(args: argparse.Namespace) -> int:
    store = open_workspace()
    try:
        text = _run(store, args)
    finally:
        store.close()
    if text:
        emit(text, None)
    return 0


def _run(store: Any, args: argparse.Namespace) -> str:
    project = args.project
    verb = args.verb
    if verb == "save":
        settings = settings_from_args(args, store.problem(project))
        saved = store.save_scenario(
            project, args.name, settings, note=args.note, expected_version=args.expected_version
        )
        return (
            _json(saved.to_dict())
            if args.format == "json"
            else f"saved {saved.name} (version {saved.version})\n"
        )
    if verb == "list":
        rows = [summary.to_dict() for summary in store.scenarios(project)]
        if args.format == "json":
            return _json(rows)
        return "".join(f"{r['name']}\t{r['method']}\t{', '.join(r['top'])}\t{r['updated']}\n" for r in rows)
    if verb == "show":
        shown = store.scenario(project, args.name).to_dict()
        if args.format == "json":
            return _json(shown)
        return "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in shown.items())
    if verb == "compare":
        compared = store.compare(project, args.names, firmness_samples=args.samples)
        if args.format == "json":
            return _json(compared)
        names = [s["name"] for s in compared["scenarios"]]
        lines = ["\t".join(["countermeasure", *names])]
        for item in compared["ranking"]:
            cells = [
                f"{rank} ({change:+d})" if i else str(rank)
                for i, (rank, change) in enumerate(zip(item["ranks"], item["change"], strict=True))
            ]
            lines.append("\t".join([item["id"], *cells]))
        return "\n".join(lines) + "\n"
    if verb in ("rename", "duplicate"):
        changed = getattr(store, verb)(project, args.name, args.new_name)
        return (
            _json(changed.to_dict()) if args.format == "json" else f"{verb}d {args.name} -> {changed.name}\n"
        )
    if verb == "delete":
        store.delete(project, args.name)
        return _json({"deleted": args.name}) if args.format == "json" else f"deleted {args.name}\n"
    if verb == "export":
        emit(store.export_scenario(project, args.name), args.out)
        return ""
    imported = store.import_scenario(project, _read(args.file), source=args.file, name=args.name)
    return _json(imported.to_dict()) if args.format == "json" else f"imported {imported.name}\n"
