"""``policyrank history``: the changes of a workspace project, newest first; ``--revert ID`` undoes one."""

from __future__ import annotations

import argparse
import json

from engine.cli.common import emit, positive_int
from engine.cli.workspace import add_project, open_workspace


def register(parser: argparse.ArgumentParser) -> None:
    add_project(parser)
    parser.add_argument("--scenario", help="only the changes of this scenario (name or id)")
    parser.add_argument("--who", help="only the changes made by this user")
    parser.add_argument("--since", help="only the changes at or after this ISO-8601 UTC time")
    parser.add_argument("--limit", type=positive_int, help="at most this many, the newest")
    parser.add_argument(
        "--revert", type=positive_int, metavar="ID", help="put back what change ID changed (itself recorded)"
    )
    parser.add_argument("--reason", help="why, recorded with --revert")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    store = open_workspace()
    try:
        if args.revert is not None:
            store.revert(args.project, args.revert, reason=args.reason)
            entries = store.history(args.project, limit=1)
        else:
            entity_id = store.scenario(args.project, args.scenario).id if args.scenario else None
            entries = store.history(
                args.project, entity_id=entity_id, who=args.who, since=args.since, limit=args.limit
            )
    finally:
        store.close()
    if args.format == "json":
        text = json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2) + "\n"
    else:
        text = "".join(
            f"#{e.id}\t{e.at}\t{e.who}\t{e.action} {e.entity} {e.entity_id}"
            + (f"\t({e.reason})" if e.reason else "")
            + "\n"
            for e in entries
        )
    emit(text, None)
    return 0
