"""Ranking page: table with changes against the defaults, chart, the other methods, agreement."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from engine.analysis import run
from engine.insight.explain import rank_changes
from engine.mcda.methods import METHODS
from engine.settings import Settings
from engine.text import label
from tests.ui.conftest import expected, ranking_table, settings_of, shown_order, started, text
from ui import state
from ui.format import method, ratio, score


def test_shows_the_shipped_ranking_unchanged_against_itself(problem):
    app = started("ranking")
    table = ranking_table(app)
    assert list(table[label("measure", "zh")]) == expected(problem, Settings())
    assert list(table[label("rank", "zh")]) == [e.rank for e in run(problem).ranking]
    assert list(table[label("score", "zh")]) == [score(e.score) for e in run(problem).ranking]
    assert set(table[text("ranking.change")]) == {"–"}


@pytest.mark.parametrize("name", [m for m in METHODS if m != "topsis"])
def test_switching_the_method_ranks_as_the_engine_and_marks_the_moves(problem, name):
    app = started("ranking")
    app.selectbox(key=state.W_METHOD).select(name).run()
    assert not app.exception
    settings = replace(Settings(), method=name)
    assert settings_of(app) == settings
    assert shown_order(app) == expected(problem, settings)
    moves = rank_changes(run(problem, settings), run(problem))
    table = ranking_table(app)
    for entry, shown in zip(run(problem, settings).ranking, table[text("ranking.change")], strict=True):
        places = moves[entry.id]
        if places > 0:
            assert shown == text("ranking.up").format(n=places)
        elif places < 0:
            assert shown == text("ranking.down").format(n=-places)
        else:
            assert shown == "–"


def test_a_preset_moves_countermeasures_against_the_defaults(problem):
    settings = next(
        Settings().with_preset(p.id)
        for p in problem.presets
        if expected(problem, Settings().with_preset(p.id)) != expected(problem, Settings())
    )
    app = started("ranking")
    app.session_state[state.SETTINGS] = settings
    app.run()
    changes = set(ranking_table(app)[text("ranking.change")])
    assert any(c.startswith("▲") for c in changes) and any(c.startswith("▼") for c in changes)


def test_other_methods_side_by_side_with_their_agreement(problem):
    analysis = run(problem)
    app = started("ranking")
    frames = [f.value for f in app.dataframe]
    by_method = next(f for f in frames if method("promethee") in f.columns)
    order = [problem.alternative_ids.index(e.id) for e in analysis.ranking]
    for name, result in analysis.results.items():
        assert list(by_method[method(name)]) == [int(result.ranks[i]) for i in order]
    agreement = next(f for f in frames if "Kendall τ" in f.columns)
    assert len(agreement) == len(analysis.agreement) == 6
    assert list(agreement["Spearman ρ"]) == [ratio(a.spearman) for a in analysis.agreement]
    assert list(agreement["WS"]) == [ratio(a.ws) for a in analysis.agreement]


def test_english_headers(problem):
    app = started("ranking")
    app.sidebar.radio(key=state.W_LANG).set_value("en").run()
    table = ranking_table(app, "en")
    assert text("ranking.change", "en") in table.columns
    assert list(table[label("measure", "en")]) == [e.name.en for e in run(problem).ranking]
    assert app.selectbox(key=state.W_METHOD).label == text("ranking.method", "en")


NARROW_GRID = 438  # pixels of the main column in a 900-pixel window with the sidebar open


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_ranks_by_method_fit_a_narrow_window(problem, lang):
    app = started("ranking")
    if lang == "en":
        app.sidebar.radio(key=state.W_LANG).set_value("en").run()
    grid = next(f for f in app.dataframe if method("promethee") in f.value.columns)
    widths = {
        name: entry["width"] for name, entry in json.loads(grid.proto.columns).items() if "width" in entry
    }
    assert set(widths) == set(grid.value.columns)
    assert sum(widths.values()) <= NARROW_GRID
    shorts = {m.id: m.short.get(lang) for m in problem.countermeasures}
    assert list(grid.value[label("measure", lang)]) == [shorts[e.id] for e in run(problem).ranking]
