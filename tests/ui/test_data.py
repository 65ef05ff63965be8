"""Data page: the catalogue with reasons and evidence; uploads that work, fail, and reset."""

from __future__ import annotations

import json

import pytest

from engine.analysis import run
from engine.errors import InputError
from engine.load import DEFAULT_CRITERIA, DEFAULT_DATA, DEFAULT_EVIDENCE, load_problem, problem_from_bytes
from engine.settings import Settings
from engine.text import label
from engine.text.messages import describe
from tests.conftest import MINI
from tests.ui.conftest import page, started, text
from ui import state, tables
from ui.format import md, number

YAML = "application/x-yaml"


def shown_text(app) -> str:
    return "\n".join([m.value for m in app.markdown] + [c.value for c in app.caption])


def test_every_score_shows_its_reason_and_quoted_evidence(problem):
    app = started("data")
    for item in problem.countermeasures:
        app.selectbox(key=state.W_DATA_MEASURE).select(item.id).run()
        assert not app.exception
        shown = shown_text(app)
        assert md(item.summary.zh) in shown
        for action in item.actions:
            assert md(action.zh) in shown
        for leaf in problem.leaves:
            entry = item.scores[leaf.id]
            assert md(entry.why.zh) in shown
            for fact_id in entry.evidence:
                assert f"> {md(problem.evidence.fact(fact_id).quote)}" in shown
    assert any(badge in shown for badge in (f":orange-badge[{text('data.estimate')}]",))


def matrix_measures(app) -> list[str]:
    """The countermeasures the score matrix has a column for (one row per criterion)."""
    return list(app.dataframe[0].value.columns[1:-2])


def test_the_score_matrix_has_every_countermeasure_and_criterion(problem):
    app = started("data")
    matrix = app.dataframe[0].value
    assert list(matrix[label("criterion", "zh")]) == [leaf.name.zh for leaf in problem.leaves]
    assert matrix_measures(app) == list(problem.alternative_ids)
    for item in problem.countermeasures:
        assert list(matrix[item.id]) == [number(item.scores[leaf].value) for leaf in problem.leaf_ids]
    assert list(matrix[label("direction", "zh")]) == [
        label("benefit" if leaf.direction > 0 else "cost", "zh") for leaf in problem.leaves
    ]


def upload(app, key: str, name: str, data: bytes):
    app.file_uploader(key=key).set_value((name, data, YAML))
    return app


def load_button(app):
    return next(b for b in app.button if b.label == text("data.load"))


def reset_button(app):
    return next(b for b in app.button if b.label == text("data.reset"))


BROKEN = [
    (state.W_DATA_CRITERIA, "criteria.yaml", "value: 3", "value: high"),
    (state.W_DATA_CATALOGUE, "countermeasures.yaml", "evidence: [F", "evidence: [X"),
    (state.W_DATA_CATALOGUE, "countermeasures.yaml", "version: 1", "version: 1\nextra: 2"),
]


@pytest.mark.parametrize(("key", "name", "old", "new"), BROKEN)
def test_a_broken_upload_shows_the_engine_message_and_keeps_the_data(problem, key, name, old, new):
    source = DEFAULT_CRITERIA if key == state.W_DATA_CRITERIA else DEFAULT_DATA
    original = source.read_text(encoding="utf-8")
    assert old in original
    broken = original.replace(old, new, 1).encode("utf-8")
    files = {state.W_DATA_CRITERIA: DEFAULT_CRITERIA, state.W_DATA_CATALOGUE: DEFAULT_DATA}
    parts = [
        (broken, name) if k == key else (files[k].read_bytes(), "x.yaml")
        for k in (state.W_DATA_CRITERIA, state.W_DATA_CATALOGUE)
    ]
    with pytest.raises(InputError) as caught:
        problem_from_bytes(parts[0], parts[1], (DEFAULT_EVIDENCE.read_bytes(), "e"))
    app = started("data")
    upload(app, key, name, broken)
    load_button(app).click().run()
    assert not app.exception
    errors = [e.value for e in app.error]
    assert len(errors) == 1 and md(describe(caught.value, "zh")) in errors[0]
    assert app.session_state[state.PROBLEM] is None
    assert app.session_state[state.PROBLEM_FILES] == ()
    assert matrix_measures(app) == list(problem.alternative_ids)


def test_own_files_replace_the_data_and_unfitting_presets_are_dropped():
    app = started("data")
    app.session_state[state.SETTINGS] = Settings().with_preset("balanced")
    for key, file in (
        (state.W_DATA_CRITERIA, "criteria.yaml"),
        (state.W_DATA_CATALOGUE, "countermeasures.yaml"),
        (state.W_DATA_EVIDENCE, "evidence.yaml"),
    ):
        upload(app, key, file, (MINI / file).read_bytes())
    load_button(app).click().run()
    assert not app.exception and not app.error
    mini = load_problem(MINI / "criteria.yaml", MINI / "countermeasures.yaml", presets=[])
    loaded = app.session_state[state.PROBLEM]
    assert loaded.alternative_ids == mini.alternative_ids
    assert loaded.presets == ()
    assert app.session_state[state.SETTINGS] == Settings()
    assert matrix_measures(app) == list(mini.alternative_ids)
    assert text("data.presets_dropped") in app.success[0].value
    # the rest of the app now ranks the uploaded problem
    assert [e.id for e in run(loaded).ranking] == [e.id for e in run(mini).ranking]
    reset_button(app).click().run()
    assert app.session_state[state.PROBLEM] is None
    assert matrix_measures(app) == list(load_problem().alternative_ids)


def test_an_edited_catalogue_keeps_the_shipped_presets(problem):
    original = DEFAULT_DATA.read_text(encoding="utf-8")
    first = problem.countermeasures[0].name.zh
    edited = original.replace(first, first + "（修订）", 1).encode("utf-8")
    app = started("data")
    upload(app, state.W_DATA_CATALOGUE, "mine.yaml", edited)
    load_button(app).click().run()
    assert not app.exception and not app.error
    loaded = app.session_state[state.PROBLEM]
    assert [p.id for p in loaded.presets] == [p.id for p in problem.presets]
    assert loaded.countermeasures[0].name.zh == first + "（修订）"
    assert app.session_state[state.PROBLEM_FILES] == ("mine.yaml",)
    assert any(md("mine.yaml") in m.value for m in app.sidebar.markdown)


def test_load_without_files_asks_for_one():
    app = started("data")
    load_button(app).click().run()
    assert [w.value for w in app.warning] == [text("data.nothing_uploaded")]


def test_markup_in_uploaded_text_is_shown_literally(problem):
    original = DEFAULT_DATA.read_text(encoding="utf-8")
    item = problem.countermeasures[0]
    hostile = "**粗体** <b>x</b> :red[y] [链接](http://example.com)"
    edited = original.replace(item.summary.zh, f"'{hostile}'", 1).encode("utf-8")  # a quoted YAML scalar
    app = started("data")
    upload(app, state.W_DATA_CATALOGUE, "hostile.yaml", edited)
    load_button(app).click().run()
    assert not app.exception and not app.error
    app.selectbox(key=state.W_DATA_MEASURE).select(item.id).run()
    shown = [m.value for m in app.markdown]
    assert md(hostile) in shown
    assert not any(hostile in value for value in shown)
    assert not any(m.proto.allow_html for m in app.markdown)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_upload_error_is_worded_in_the_interface_language(lang):
    original = DEFAULT_CRITERIA.read_text(encoding="utf-8")
    broken = original.replace("value: 3", "value: high", 1).encode("utf-8")
    app = page("data")
    app.session_state[state.LANG] = lang
    app.run()
    upload(app, state.W_DATA_CRITERIA, "mine.yaml", broken)
    next(b for b in app.button if b.label == text("data.load", lang)).click().run()
    assert not app.exception
    shown = app.error[0].value
    assert shown.startswith(text("data.upload_error", lang).split("{")[0])
    assert "mine\\.yaml" in shown  # the file name and the place are kept
    if lang == "zh":
        assert md("应为 1/9..9 范围内的数字，实际为 'high'") in shown and "expected" not in shown
    else:
        assert md("expected a number in 1/9..9, got 'high'") in shown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_score_matrix_fits_a_1400_pixel_window(lang):
    app = started("data")
    if lang == "en":
        app.sidebar.radio(key=state.W_LANG).set_value("en").run()
    grid = app.dataframe[0]
    widths = {
        name: entry["width"] for name, entry in json.loads(grid.proto.columns).items() if "width" in entry
    }
    assert set(widths) == set(grid.value.columns)
    assert sum(widths.values()) <= tables.PAGE_WIDTH
    # the criteria are never cut: they name the rows
    criterion = label("criterion", lang)
    assert widths[criterion] >= max(tables.text_width(name) for name in grid.value[criterion])
