"""The command table of ``policyrank``: every command module is listed, and only the one that runs
is imported, so ``policyrank --help`` and the light commands start fast."""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import subprocess
import sys

import pytest

import engine.cli.commands
from engine.cli.main import COMMANDS, build_parser
from tests.conftest import ROOT


def test_every_command_module_is_in_the_table_and_registers():
    modules = {f"engine.cli.commands.{m.name}" for m in pkgutil.iter_modules(engine.cli.commands.__path__)}
    assert modules == {module for module, _ in COMMANDS.values()}
    for module, _ in COMMANDS.values():
        parser = argparse.ArgumentParser()
        importlib.import_module(module).register(parser)
        assert callable(parser.get_default("handler"))


def test_each_command_has_its_own_help(capsys):
    parser = build_parser()
    for name, (_, summary) in COMMANDS.items():
        with pytest.raises(SystemExit) as stop:
            parser.parse_args([name, "--help"])
        assert stop.value.code == 0
        out = capsys.readouterr().out
        assert out.startswith(f"usage: policyrank {name}") and summary.split(":")[0] in " ".join(out.split())


def imported_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120, check=True
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_help_imports_no_command_and_no_numpy():
    loaded = imported_after(
        "from engine.cli.main import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    )
    assert "engine.cli.main" in loaded
    assert not {m for m in loaded if m.startswith("engine.cli.commands.")}
    assert "numpy" not in loaded and "yaml" not in loaded


def test_a_command_imports_only_its_own_module():
    loaded = imported_after(
        "from engine.cli.main import main\ntry:\n    main(['validate', '--help'])\n"
        "except SystemExit:\n    pass"
    )
    assert {m for m in loaded if m.startswith("engine.cli.commands.")} == {"engine.cli.commands.validate"}
    assert not {m for m in loaded if m.startswith(("engine.memo", "engine.screening", "streamlit", "pandas"))}


def test_import_engine_is_cheap_and_lazy():
    loaded = imported_after("import engine")
    assert "numpy" not in loaded
    import engine

    assert engine.load_problem is importlib.import_module("engine.load").load_problem
    assert engine.topsis is importlib.import_module("engine.mcda.methods").topsis
    assert set(engine.__all__) == set(engine._EXPORTS) and set(engine.__all__) <= set(dir(engine))
