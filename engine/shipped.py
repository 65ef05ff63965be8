"""Where the shipped files are: the criteria, the catalogue and its evidence, presets, package
rules, the screening spec and sample, and the app's Streamlit settings.

In a source checkout they are read where they are edited: the top-level ``criteria/``, ``data/``
and ``.streamlit/config.toml`` beside ``engine/``. A built wheel carries copies of them in
``engine/_shipped/`` (``setup.py`` copies them at build time; they are never committed twice), so
an installed ``policyrank`` ranks, writes memos and starts the app from any folder.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
PACKAGED_NAME = "_shipped"  # the folder inside the installed engine package


def _in_checkout() -> bool:
    # pyproject.toml beside engine/ means a source tree, not a site-packages folder
    return (CHECKOUT / "pyproject.toml").is_file() and (CHECKOUT / "criteria").is_dir()


def _packaged() -> Path:
    folder = resources.files("engine") / PACKAGED_NAME
    if not isinstance(folder, Path):  # a zip import: no real files to hand to readers
        raise RuntimeError("policyrank must be installed as files, not imported from a zip archive")
    return folder


IN_CHECKOUT = _in_checkout()

ROOT = CHECKOUT if IN_CHECKOUT else _packaged()
"""The folder that holds ``criteria/`` and ``data/``."""

STREAMLIT_CONFIG = (
    CHECKOUT / ".streamlit" / "config.toml" if IN_CHECKOUT else ROOT / "streamlit" / "config.toml"
)
"""The app's server settings, which ``policyrank app`` passes to Streamlit as flags."""
