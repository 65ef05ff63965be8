"""``policyrank app``: the Streamlit command line it runs, and its checks."""

from __future__ import annotations

import sys
import tomllib

import pytest

from engine.cli import main as cli
from engine.cli.commands import app
from tests.conftest import ROOT
from ui import server


@pytest.fixture
def calls(monkeypatch):
    seen = []

    def fake_call(command, cwd):
        seen.append((command, cwd))
        return 0

    monkeypatch.setattr(app.subprocess, "call", fake_call)
    return seen


def test_runs_the_app_server_from_the_repository_root(calls):
    assert cli.main(["app"]) == 0
    [(command, cwd)] = calls
    assert command[:3] == [sys.executable, "-m", "ui.server"]
    assert cwd == ROOT
    assert app.APP == server.APP == ROOT / "ui" / "app.py"


def test_passes_every_setting_of_the_config_file_as_a_flag(calls):
    assert cli.main(["app"]) == 0
    flags = calls[0][0][3:]
    pairs = dict(zip(flags[::2], flags[1::2], strict=True))
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert len(pairs) == sum(len(options) for options in config.values())
    # what an installed policyrank, started outside a checkout, must not lose
    assert pairs["--server.maxUploadSize"] == "5"
    assert pairs["--client.showErrorDetails"] == "none"
    assert pairs["--server.showEmailPrompt"] == "false"
    assert pairs["--browser.gatherUsageStats"] == "false"


@pytest.mark.parametrize(
    ("flags", "forwarded"),
    [
        (["--port", "8765"], ["--server.port", "8765"]),
        (["--server.port", "8765"], ["--server.port", "8765"]),
        (["--headless"], ["--server.headless", "true"]),
        (["--server.headless", "false"], ["--server.headless", "false"]),
        (["--port", "9000", "--headless"], ["--server.port", "9000", "--server.headless", "true"]),
    ],
)
def test_forwards_port_and_headless(calls, flags, forwarded):
    assert cli.main(["app", *flags]) == 0
    assert calls[0][0][-len(forwarded) :] == forwarded


def test_returns_streamlit_exit_code(monkeypatch):
    monkeypatch.setattr(app.subprocess, "call", lambda command, cwd: 3)
    assert cli.main(["app"]) == 3


def test_bad_port_is_an_input_error(calls, capsys):
    assert cli.main(["app", "--port", "70000"]) == 2
    assert "--port: expected a port number in 1..65535, got 70000" in capsys.readouterr().err
    assert calls == []


def test_missing_app_is_reported(calls, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(app, "APP", tmp_path / "ui" / "app.py")
    assert cli.main(["app"]) == 2
    assert "not found; reinstall policyrank" in capsys.readouterr().err
    assert calls == []


def test_ctrl_c_ends_quietly(monkeypatch):
    def interrupted(command, cwd):
        raise KeyboardInterrupt

    monkeypatch.setattr(app.subprocess, "call", interrupted)
    assert cli.main(["app"]) == 0


@pytest.mark.slow
def test_sigterm_stops_the_server_too(tmp_path):
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    wrapper = subprocess.Popen(
        [sys.executable, "-m", "engine.cli", "app", "--port", str(port), "--headless", "true"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                    assert answer.read() == b"ok"
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.5)
        wrapper.send_signal(signal.SIGTERM)
        assert wrapper.wait(timeout=30) == 128 + signal.SIGTERM
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
            except OSError:
                break  # nothing answers on the port any more: the server went with the wrapper
            assert time.monotonic() < deadline, "the server outlived the wrapper"
            time.sleep(0.5)
    finally:
        if wrapper.poll() is None:
            os.kill(wrapper.pid, signal.SIGKILL)
