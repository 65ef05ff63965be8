"""What the workspace commands share: ``--project``, ``--scenario``, opening the store.

The store (and SQLAlchemy with it) is imported only when a command uses it, so ``rank`` without
``--scenario`` starts as fast as before.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from engine.model import Problem
from engine.settings import Settings

if TYPE_CHECKING:
    from engine.store import Store

DEFAULT_PROJECT = "wuhan"


def add_project(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--project", default=DEFAULT_PROJECT, help=f"workspace project id (default {DEFAULT_PROJECT})"
    )


def add_scenario(parser: argparse.ArgumentParser) -> None:
    """``--scenario NAME`` and ``--project ID``: rank a saved scenario instead of the flags' settings."""
    parser.add_argument(
        "--scenario",
        help="a saved scenario (name or id): its project's files and its settings replace the input "
        "and ranking flags",
    )
    add_project(parser)


def open_workspace() -> Store:
    from engine.store import open_store

    return open_store()


def scenario_inputs(args: argparse.Namespace) -> tuple[Problem, Settings]:
    """The project's Problem and the scenario's Settings named by ``--scenario`` and ``--project``."""
    store = open_workspace()
    try:
        scenario = store.scenario(args.project, args.scenario)
        return store.problem(args.project), scenario.settings
    finally:
        store.close()
