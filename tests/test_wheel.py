"""The built wheel works outside a checkout: rank, memo and the app from its own copy of the data.

The sdist is built first and the wheel from it (as ``python -m build`` does), so a file missing
from MANIFEST.in fails here too. The wheel goes into a fresh virtual environment with
``--no-deps``; the dependencies come from this interpreter's site-packages through a ``.pth``
line, which adds that folder but runs none of its own ``.pth`` files, so the editable install
of the checkout stays invisible and nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{command}: {done.stderr[-2000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A virtual environment with the wheel installed, and the environment to run it in."""
    base = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(base / "dist"), str(ROOT)],
        base,
        env,
    )
    [wheel] = (base / "dist").glob("policyrank-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for shipped in (
        "engine/_shipped/criteria/wuhan.yaml",
        "engine/_shipped/criteria/presets/balanced.yaml",
        "engine/_shipped/data/countermeasures.yaml",
        "engine/_shipped/data/evidence.yaml",
        "engine/_shipped/data/package_rules.yaml",
        "engine/_shipped/data/screen_spec.yaml",
        "engine/_shipped/data/firms_sample.csv",
        "engine/_shipped/streamlit/config.toml",
        "ui/app.py",
        "ui/views/overview.py",
        "ui/i18n/zh.yaml",
        "ui/i18n/en.yaml",
    ):
        assert shipped in names, f"{shipped} is not in {wheel.name}"

    venv = base / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], base, env)
    python = venv / "bin" / "python"
    target = Path(
        run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], base, env
        ).strip()
    )
    (target / "project_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        base,
        env,
    )
    located = run(
        [str(python), "-c", "import engine, ui; print(engine.__file__); print(ui.__file__)"], base, env
    )
    assert all(line.startswith(str(venv)) for line in located.splitlines()), located
    return venv, env


def test_rank_from_another_folder_uses_the_packaged_data(installed, tmp_path):
    venv, env = installed
    payload = json.loads(run([str(venv / "bin" / "policyrank"), "rank", "--format", "json"], tmp_path, env))
    checkout = json.loads(
        run([sys.executable, "-m", "engine.cli", "rank", "--format", "json"], ROOT, os.environ.copy())
    )
    assert payload["ranking"] == checkout["ranking"]
    assert list(payload["sources"].values()) == list(checkout["sources"].values())
    assert all("engine/_shipped/" in name for name in payload["sources"])


def test_memo_from_another_folder(installed, tmp_path):
    venv, env = installed
    out = tmp_path / "m.docx"
    run([str(venv / "bin" / "policyrank"), "memo", "--out", str(out)], tmp_path, env)
    assert out.read_bytes()[:2] == b"PK"


def test_app_serves_from_another_folder(installed, tmp_path):
    venv, env = installed
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(venv / "bin" / "policyrank"), "app", "--port", str(port), "--headless", "true"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                    assert answer.read() == b"ok"
                break
            except OSError:
                assert server.poll() is None, "policyrank app ended before serving"
                assert time.monotonic() < deadline, "the installed app did not come up"
                time.sleep(0.5)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
