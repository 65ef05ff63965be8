"""``policyrank app``: start the analysts' Streamlit app (``ui/app.py``) of this checkout.

The app is not part of the installed package; it runs from the source tree, the parent folder
of ``engine/``, which is also where ``.streamlit/config.toml`` is read from.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
from pathlib import Path

from engine.errors import InputError

ROOT = Path(__file__).resolve().parents[3]
APP = ROOT / "ui" / "app.py"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port", "--server.port", dest="port", type=int, help="port to serve on (Streamlit's default: 8501)"
    )
    parser.add_argument(
        "--headless",
        "--server.headless",
        dest="headless",
        nargs="?",
        const="true",
        choices=("true", "false"),
        help="do not open a browser (default: open one when the machine has a display)",
    )
    parser.set_defaults(handler=handle)


def streamlit_command(args: argparse.Namespace) -> list[str]:
    """The ``python -m streamlit run ui/app.py ...`` command line for the parsed flags."""
    command = [sys.executable, "-m", "streamlit", "run", str(APP)]
    if args.port is not None:
        if not 1 <= args.port <= 65535:
            raise InputError("--port", "", f"expected a port number in 1..65535, got {args.port}")
        command += ["--server.port", str(args.port)]
    if args.headless is not None:
        command += ["--server.headless", args.headless]
    return command


def handle(args: argparse.Namespace) -> int:
    if not APP.is_file():
        raise InputError(
            "policyrank app",
            "",
            f"{APP} not found; the app runs from a source checkout (pip install -e .)",
        )
    command = streamlit_command(args)
    # A service manager or `kill` stops this process with SIGTERM; turned into SystemExit, it
    # makes subprocess.call kill the server too instead of leaving it running without a parent.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        return subprocess.call(command, cwd=ROOT)
    except KeyboardInterrupt:  # Ctrl+C stops the server; that is the normal way out
        return 0
