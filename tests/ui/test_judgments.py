"""Judgments page: coaching of the judgments in use, accepting a revision or the whole path."""

from __future__ import annotations

import numpy as np
import pytest

from engine.analysis import run
from engine.insight.coaching import coach_matrix, saaty_text
from engine.settings import Settings
from engine.text import label
from tests.ui.conftest import page, settings_of, started, text
from ui import state

# Lin's contradictory ecosystem judgments from tests/fixtures/three_experts, as edits of the shipped node
CYCLE = (
    ("chain_completeness", "financing_access", 5.0),
    ("chain_completeness", "industry_fit", 1 / 5),
    ("chain_completeness", "regional_synergy", 3.0),
    ("chain_completeness", "policy_speed", 2.0),
    ("financing_access", "industry_fit", 5.0),
    ("financing_access", "regional_synergy", 2.0),
    ("financing_access", "policy_speed", 1 / 3),
    ("industry_fit", "regional_synergy", 3.0),
    ("industry_fit", "policy_speed", 2.0),
    ("regional_synergy", "policy_speed", 3.0),
)


def inconsistent_app():
    app = page("judgments")
    app.session_state[state.SETTINGS] = Settings().with_judgments("ecosystem", CYCLE)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def node_cr(problem, settings, node_id):
    return next(c.result.cr for c in run(problem, settings).combined_consistency() if c.node_id == node_id)


def test_shipped_judgments_are_all_consistent(problem):
    app = started("judgments")
    table = app.dataframe[0].value
    assert set(table[text("judgments.status")]) == {label("consistent", "zh")}
    assert len(table) == len(problem.criteria.judged_nodes)
    # no revision to offer: the only buttons are the sidebar's undo and redo, both disabled
    assert app.success and all(button.key.startswith("w:workspace:") for button in app.button)


def test_the_worst_node_is_shown_with_the_engines_first_revision(problem):
    app = inconsistent_app()
    settings = Settings().with_judgments("ecosystem", CYCLE)
    entry = next(c for c in run(problem, settings).combined_consistency() if c.node_id == "ecosystem")
    coaching = coach_matrix(entry.matrix, entry.children)
    assert app.selectbox(key="w:judgments:node").value == "ecosystem"
    assert app.metric[0].value == f"{coaching.cr:.3f}"
    shown = " ".join(m.value for m in app.markdown)
    assert f"{saaty_text(coaching.first.current)} → {saaty_text(coaching.first.proposed)}" in shown
    assert f"{coaching.first.cr_after:.3f}" in shown


def test_accepting_the_first_revision_lowers_cr_to_the_promised_value(problem):
    app = inconsistent_app()
    settings = Settings().with_judgments("ecosystem", CYCLE)
    entry = next(c for c in run(problem, settings).combined_consistency() if c.node_id == "ecosystem")
    promised = coach_matrix(entry.matrix, entry.children).first.cr_after
    app.button(key="w:judgments:accept1:ecosystem").click().run()
    assert not app.exception
    accepted = settings_of(app)
    assert node_cr(problem, accepted, "ecosystem") == pytest.approx(promised, abs=1e-9)
    assert app.success  # the notice names the new CR
    assert app.metric[0].value == f"{promised:.3f}"


def test_accepting_the_whole_path_makes_the_node_consistent(problem):
    app = inconsistent_app()
    app.button(key="w:judgments:acceptall:ecosystem").click().run()
    assert not app.exception
    assert node_cr(problem, settings_of(app), "ecosystem") < 0.10
    edits = dict(settings_of(app).judgment_edits)["ecosystem"]
    assert len(edits) == 10 and all(np.isfinite(v) for _, _, v in edits)


def test_english_labels():
    app = page("judgments")
    app.session_state[state.LANG] = "en"
    app.session_state[state.SETTINGS] = Settings().with_judgments("ecosystem", CYCLE)
    app.run()
    assert not app.exception
    assert any(text("judgments.first", "en") in m.value for m in app.markdown)
