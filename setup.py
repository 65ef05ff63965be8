"""Build step that pyproject.toml cannot express: the wheel carries the shipped data.

The top-level ``criteria/``, ``data/`` and ``.streamlit/config.toml`` are copied into
``engine/_shipped/`` of the build (never into the source tree), so an installed ``policyrank``
finds them through :mod:`engine.shipped`. An editable install reads the checkout's own files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# source in the checkout -> place inside engine/_shipped/
SHIPPED = {
    "criteria": "criteria",
    "data": "data",
    ".streamlit/config.toml": "streamlit/config.toml",
}


class BuildWithShippedData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "engine" / "_shipped"
        shutil.rmtree(target, ignore_errors=True)
        for source, place in SHIPPED.items():
            origin, destination = HERE / source, target / place
            if origin.is_dir():
                shutil.copytree(origin, destination, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, destination)


setup(cmdclass={"build_py": BuildWithShippedData})
