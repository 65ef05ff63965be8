"""``policyrank project``: list the workspace's projects, export one as a YAML file, import one."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from engine.cli.common import emit
from engine.cli.workspace import add_project, open_workspace
from engine.errors import InputError


def register(parser: argparse.ArgumentParser) -> None:
    verbs = parser.add_subparsers(dest="verb", required=True)
    listing = verbs.add_parser("list", help="the projects in the workspace")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    export = verbs.add_parser(
        "export", help="write a project (files, scenarios, history) as one YAML document"
    )
    add_project(export)
    export.add_argument("--out", required=True)
    load = verbs.add_parser("import", help="read a project written by export")
    load.add_argument("file")
    load.add_argument("--replace", action="store_true", help="replace a project of the same id")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    if args.verb == "import":
        try:
            text = Path(args.file).read_bytes().decode("utf-8")
        except FileNotFoundError:
            raise InputError(args.file, "", "file not found") from None
        except UnicodeDecodeError:
            raise InputError(args.file, "", "expected UTF-8 text") from None
    store = open_workspace()
    try:
        if args.verb == "list":
            found = [p.to_dict() for p in store.projects()]
            out = (
                json.dumps(found, ensure_ascii=False, indent=2) + "\n"
                if args.format == "json"
                else "".join(f"{p['id']}\t{p['name']}\trevision {p['revision']}\n" for p in found)
            )
            emit(out, None)
        elif args.verb == "export":
            emit(store.export_project(args.project), args.out)
        else:
            info = store.import_project(text, source=args.file, replace=args.replace)
            emit(f"imported project {info.id} (revision {info.revision})\n", None)
    finally:
        store.close()
    return 0
