"""The preload of a fresh server (``ui.preload``): after it, the workspace exists and the landing
page's study is cached, so the first visitor's page computes neither."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from tests.conftest import ROOT

CHECK = textwrap.dedent(
    """
    import logging, sys
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    from ui import preload
    preload.start()
    preload.wait(120)
    import engine.robustness.study as study_module
    from engine.settings import Settings
    from engine.store import SHIPPED_PROJECT, open_store
    from ui import current, state, studies

    def computed_again(*args, **kwargs):
        raise AssertionError("the default study was computed again")

    studies.analyze = study_module.analyze = computed_again
    analysis = current.analyse(current.shipped_problem(), Settings())
    found = studies.recommendation(analysis, studies.resolve(Settings(), state.DEFAULTS[state.SAMPLES]))
    print("leader", found.leader)
    print("revision", open_store(None).project(SHIPPED_PROJECT).revision)
    """
)


def test_the_preload_opens_the_workspace_and_caches_the_default_study(tmp_path):
    database = tmp_path / "workspace.sqlite"
    done = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=ROOT,
        env={**os.environ, "POLICYRANK_DB": str(database)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "preloading the app failed" not in done.stderr
    assert "missing ScriptRunContext" not in done.stderr
    assert "leader " in done.stdout and "revision 1" in done.stdout, done.stdout
    assert database.is_file()
