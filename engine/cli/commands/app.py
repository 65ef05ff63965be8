"""``policyrank app``: start the analysts' Streamlit app (``ui/app.py``), from a checkout or installed.

Streamlit reads ``.streamlit/config.toml`` only from the folder it starts in, and the wheel does not
put that file anywhere an installed ``policyrank`` starts, so the app's settings (upload limit,
error details, no e-mail prompt, theme, ...) are passed as command-line flags, read from the
shipped copy of that one file.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tomllib
from pathlib import Path

from engine import shipped
from engine.errors import InputError

# ui/ sits beside engine/, in a checkout and in site-packages alike
APP = Path(__file__).resolve().parents[3] / "ui" / "app.py"
# in a checkout, the app names the shipped files relative to it, as the CLI does there
WORKING_DIRECTORY = shipped.CHECKOUT if shipped.IN_CHECKOUT else None


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


def server_flags(config: Path = shipped.STREAMLIT_CONFIG) -> dict[str, str]:
    """The settings of a Streamlit config file as ``{"--section.option": "value"}``."""
    with config.open("rb") as stream:
        document = tomllib.load(stream)
    return {
        f"--{section}.{option}": str(value).lower() if isinstance(value, bool) else str(value)
        for section, options in document.items()
        for option, value in options.items()
    }


def streamlit_command(args: argparse.Namespace) -> list[str]:
    """The ``python -m ui.server ...`` command line (``streamlit run ui/app.py``) for the parsed flags."""
    flags = server_flags()
    if args.port is not None:
        if not 1 <= args.port <= 65535:
            raise InputError("--port", "", f"expected a port number in 1..65535, got {args.port}")
        flags["--server.port"] = str(args.port)
    if args.headless is not None:
        flags["--server.headless"] = args.headless
    # ui.server is `streamlit run ui/app.py` with the app preloaded while the server starts
    return [sys.executable, "-m", "ui.server", *(part for flag in flags.items() for part in flag)]


def handle(args: argparse.Namespace) -> int:
    if not APP.is_file():
        raise InputError(
            "policyrank app",
            "",
            f"{APP} not found; reinstall policyrank (pip install . in its source folder)",
        )
    command = streamlit_command(args)
    # A service manager or `kill` stops this process with SIGTERM; turned into SystemExit, it
    # makes subprocess.call kill the server too instead of leaving it running without a parent.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        return subprocess.call(command, cwd=WORKING_DIRECTORY)
    except KeyboardInterrupt:  # Ctrl+C stops the server; that is the normal way out
        return 0
