"""``policyrank``: the command table and the dispatch; each command lives in :mod:`engine.cli.commands`.

Only the command that runs is imported, and ``policyrank --help`` imports none, so the help and the
light commands start in a fraction of a second. Bad input ends with one line on stderr and exit
code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Collection, Sequence
from typing import NoReturn

from engine.errors import InputError

EXIT_INPUT = 2

# name -> (module, one-line help), in the order ``policyrank --help`` lists them. Each module
# defines ``register(parser)``, which adds the command's flags and sets ``handler`` to a
# function ``(args) -> exit code``.
COMMANDS: dict[str, tuple[str, str]] = {
    "rank": ("engine.cli.commands.rank", "rank the countermeasures"),
    "ahp": ("engine.cli.commands.ahp", "AHP priorities and consistency of every judged node"),
    "validate": ("engine.cli.commands.validate", "check the input files and print a one-line summary"),
    "memo": (
        "engine.cli.commands.memo",
        "write the ranked policy memo (Markdown, Word, HTML or PDF; Chinese or English)",
    ),
    "robustness": (
        "engine.cli.commands.robustness",
        "how firmly the ranking holds: SMAA, weight stability, modelling audit, rank reversal",
    ),
    "explain": (
        "engine.cli.commands.explain",
        "why each countermeasure ranks where it does, and what would change the order",
    ),
    "coach": (
        "engine.cli.commands.coach",
        "inconsistent AHP judgments: what to revise first and the path to CR < 0.10",
    ),
    "group": (
        "engine.cli.commands.group",
        "experts and stakeholder groups: weights, rankings, consensus, whose view decides",
    ),
    "package": ("engine.cli.commands.package", "the best package of countermeasures for an annual budget"),
    "screen": (
        "engine.cli.commands.screen",
        "rank a large table of candidates (firms, projects) by a screening spec",
    ),
    "scenario": (
        "engine.cli.commands.scenario",
        "saved scenarios of the workspace: save, list, show, compare, export, import",
    ),
    "history": ("engine.cli.commands.history", "the workspace's history of changes; revert one"),
    "panel": (
        "engine.cli.commands.panel",
        "expert panels: create, links, questionnaires, import answers, status, Delphi rounds",
    ),
    "project": ("engine.cli.commands.project", "workspace projects: list, export, import"),
    "user": ("engine.cli.commands.user", "the app's password sign-in: add, remove or list users"),
    "app": ("engine.cli.commands.app", "open the analysts' app (Streamlit) in the browser"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: {message} (see --help)\n")
        raise SystemExit(EXIT_INPUT)


def build_parser(with_flags: Collection[str] = tuple(COMMANDS)) -> argparse.ArgumentParser:
    """The argument parser: every command listed, the flags of those in ``with_flags``.

    A command's flags mean importing its module, and argparse needs them only to parse that
    command, so :func:`main` asks for the one it runs (none for ``policyrank --help``).
    """
    parser = _Parser(
        prog="policyrank", description="Rank Wuhan's countermeasures to reverse investment promotion."
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, (module, summary) in COMMANDS.items():
        sub = commands.add_parser(name, help=summary, description=summary)
        if name in with_flags:
            importlib.import_module(module).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    command = first if first in COMMANDS else None
    try:
        # importing the command's module is part of running it, and fails the same way
        args = build_parser([command] if command else []).parse_args(argv)
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except InputError as exc:
        sys.stderr.write(f"{exc}\n")
    except ValueError as exc:
        sys.stderr.write(f"policyrank {command}: {exc}\n")
    except OSError as exc:
        sys.stderr.write(f"policyrank {command}: {exc.filename or ''}: {exc.strerror}\n")
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the promise is no traceback; POLICYRANK_DEBUG=1 shows it
        if os.environ.get("POLICYRANK_DEBUG"):
            raise
        sys.stderr.write(f"policyrank {command}: internal error ({type(exc).__name__}: {exc})\n")
        return 1
    return EXIT_INPUT


if __name__ == "__main__":
    raise SystemExit(main())
