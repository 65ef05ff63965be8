"""Screening page: the synthetic sample ranked as the engine ranks it, weights, filters, uploads that
fail and keep the last result, formula-safe downloads, both languages."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
import yaml
from numpy.testing import assert_array_equal
from streamlit.testing.v1 import AppTest

import engine.screening.tables
from engine.errors import InputError
from engine.screening import (
    MISSING_POLICIES,
    NORMALIZATIONS,
    SAMPLE_SPEC,
    SAMPLE_TABLE,
    SCREEN_METHODS,
    load_spec,
    parse_spec,
    profile_upload,
    result_bytes,
    screen,
    screen_upload,
)
from engine.text.messages import describe
from tests.ui.conftest import ROOT, TIMEOUT, VIEWS, started, text
from tests.ui.downloads import capture
from ui import state
from ui.format import md
from ui.i18n import LANGUAGE_NAMES

CSV = "text/csv"
SAMPLE_ROWS = 3000  # data/firms_sample.README.md
STEPS = 40
MAX_PAGES = 200  # 5,000 rows at most
PAGE_ROWS = 25  # ui/views/screening.py (a page script cannot be imported: it would run)


def sample_document() -> dict:
    return yaml.safe_load(SAMPLE_SPEC.read_text(encoding="utf-8"))


def shown(app, lang: str = "zh") -> pd.DataFrame:
    return app.dataframe[0].value


def shown_names(app) -> list[str]:
    return list(shown(app)["name"])


def shown_scores(app, lang: str = "zh") -> np.ndarray:
    return shown(app)[text("screening.score", lang)].to_numpy()


def button(app, key: str):
    return next(b for b in app.button if b.label == text(key))


def upload(app, name: str, data: bytes, mime: str = CSV):
    app.file_uploader(key=state.screen_upload_key(0)).set_value((name, data, mime)).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def last_run(app):
    return app.session_state[state.SCREEN_LAST]


def candidates(rows: int = 40, seed: int = 7) -> pd.DataFrame:
    """A small own table: text columns, numeric criteria, names a spreadsheet would run."""
    rng = np.random.default_rng(seed)
    names = [f"企业{i:03d}" for i in range(rows)]
    names[:4] = ['=HYPERLINK("http://example.com","x")', "+SUM(A1)", "-2+3", "@cmd"]
    return pd.DataFrame(
        {
            "firm_id": [f"C{i:04d}" for i in range(rows)],
            "name": names,
            "city": rng.choice(["上海", "深圳", "北京"], rows),
            "a": rng.random(rows) * 100,
            "b": rng.integers(1, 50, rows),
            "c": rng.random(rows),
        }
    )


# ------------------------------------------------------------------------------- the sample


def test_the_page_starts_on_the_sample_labelled_synthetic():
    app = started("screening")
    assert app.title[0].value == text("nav.screening")
    assert not app.error
    assert [i.value for i in app.info] == [text("screening.synthetic").format(rows=f"{SAMPLE_ROWS:,}")]
    assert "虚构" in app.info[0].value
    assert len(app.dataframe) == 1


def test_the_top_n_table_equals_the_engine_on_the_sample_spec():
    app = started("screening")
    top = app.number_input(key=state.W_SCREEN_TOP).value
    expected = screen(SAMPLE_TABLE, load_spec(SAMPLE_SPEC), top=top).ranked
    assert len(last_run(app).result.ranked) == top
    assert_array_equal(last_run(app).result.ranked["firm_id"], expected["firm_id"])
    page_rows = len(shown(app))
    assert 0 < page_rows < top
    assert shown_names(app) == list(expected["name"][:page_rows])
    assert_array_equal(shown_scores(app), expected["score"][:page_rows].to_numpy())
    assert list(shown(app)[text("screening.rank")]) == list(expected["rank"][:page_rows])
    assert "firm_id" not in shown(app).columns  # names, not raw ids
    app.selectbox(key=state.W_SCREEN_PAGE).select(2).run()
    assert shown_names(app) == list(expected["name"][page_rows : 2 * page_rows])
    # a smaller N: fewer rows, fewer pages, the same order
    app.number_input(key=state.W_SCREEN_TOP).set_value(page_rows + 5).run()
    assert len(app.selectbox(key=state.W_SCREEN_PAGE).options) == 2
    app.selectbox(key=state.W_SCREEN_PAGE).select(2).run()
    assert shown_names(app) == list(expected["name"][page_rows : page_rows + 5])
    assert_array_equal(shown_scores(app), expected["score"][page_rows : page_rows + 5].to_numpy())


def test_the_summary_and_weights_are_the_engines():
    app = started("screening")
    result = screen(SAMPLE_TABLE, load_spec(SAMPLE_SPEC), top=10)
    captions = [c.value for c in app.caption]
    assert f"{result.rows_ranked:,}" in captions[1] and f"{result.rows_filtered:,}" in captions[1]
    assert f"CR {result.spec.ahp.cr:.3f}" in captions[2]
    assert f"{100 * result.spec.weights[0]:.1f}%" in captions[2]


def test_changing_a_weight_changes_the_order_as_the_engine_predicts():
    app = started("screening")
    before = shown_names(app)
    spec = load_spec(SAMPLE_SPEC)
    app.toggle(key=state.W_SCREEN_AHP).set_value(False).run()
    assert not app.error
    sliders = {c: app.slider(key=state.screen_weight_key(c)).value for c in spec.columns}
    # the sliders start at the AHP weights
    assert max(abs(sliders[c] - w) for c, w in zip(spec.columns, spec.weights, strict=True)) <= 0.005
    app.slider(key=state.screen_weight_key("patents")).set_value(1.0).run()
    app.slider(key=state.screen_weight_key("specialised")).set_value(0.0).run()
    assert not app.error
    sliders |= {"patents": 1.0, "specialised": 0.0}
    document = sample_document()
    del document["judgments"]
    for item in document["criteria"]:
        item["weight"] = sliders[item["column"]]
    top = app.number_input(key=state.W_SCREEN_TOP).value
    expected = screen(SAMPLE_TABLE, parse_spec(document, "spec"), top=top).ranked
    after = shown_names(app)
    assert after == list(expected["name"][: len(after)])
    assert after != before
    assert_array_equal(last_run(app).result.ranked["firm_id"], expected["firm_id"])


def test_a_filter_reduces_the_rows_as_the_engine_does():
    app = started("screening")
    before = last_run(app).result
    sample = pd.read_csv(SAMPLE_TABLE)
    cluster = sorted(sample.loc[sample["optics_chips_displays"], "industry"].unique())
    button(app, "screening.cluster").click().run()
    assert not app.error
    assert sorted(app.multiselect(key=state.screen_values_key("industry")).value) == cluster
    document = sample_document()
    document["filters"].insert(0, {"column": "industry", "in": cluster})
    expected = screen(SAMPLE_TABLE, parse_spec(document, "spec"), top=100)
    after = last_run(app).result
    assert after.rows_ranked == expected.rows_ranked < before.rows_ranked
    assert_array_equal(after.ranked["firm_id"], expected.ranked["firm_id"])
    assert set(shown(app)["industry"]) <= set(cluster)
    assert f"{expected.rows_ranked:,}" in app.caption[1].value
    # a numeric range on top of it
    app.multiselect(key=state.W_SCREEN_RANGES).select("rd_staff").run()
    app.number_input(key=state.screen_min_key("rd_staff")).set_value(50.0).run()
    document["filters"].append({"column": "rd_staff", "min": 50.0})
    narrower = screen(SAMPLE_TABLE, parse_spec(document, "spec"), top=100)
    assert narrower.rows_ranked < expected.rows_ranked
    assert last_run(app).result.rows_ranked == narrower.rows_ranked
    assert (shown(app)["rd_staff"] >= 50).all()


# ------------------------------------------------------------------------------------ uploads


def test_an_own_table_is_ranked_and_a_text_criterion_shows_the_engine_message():
    frame = candidates()
    data = frame.to_csv(index=False).encode("utf-8")
    app = upload(started("screening"), "mine.csv", data)
    assert not app.error
    assert app.success[0].value == text("screening.upload_done").format(name=md("mine.csv"), rows="40")
    document = app.session_state[state.SCREEN_DOCUMENT]
    assert [c["column"] for c in document["criteria"]] == ["a", "b", "c"]
    expected = screen_upload(data, "mine.csv", parse_spec(document, "spec"), top=100)
    assert shown_names(app) == list(expected.ranked["name"][: len(shown(app))])
    good = shown_names(app)
    # a text column as a criterion: the engine's message, the last good table stays
    app.multiselect(key=state.W_SCREEN_CRITERIA).select("city").run()
    assert not app.exception
    broken = app.session_state[state.SCREEN_DOCUMENT]
    with pytest.raises(InputError) as caught:
        screen_upload(data, "mine.csv", parse_spec(broken, text("screening.spec_source")), top=100)
    assert "column 'city': expected a number" in str(caught.value)
    assert [e.value for e in app.error] == [
        text("screening.error").format(message=md(describe(caught.value, "zh")))
    ]
    assert shown_names(app) == good
    assert text("screening.showing_last").format(table=md("mine.csv")) in [c.value for c in app.caption]
    # removing it again recovers
    app.multiselect(key=state.W_SCREEN_CRITERIA).unselect("city").run()
    assert not app.error and shown_names(app) == good


def test_a_parquet_table_with_the_sample_columns_starts_from_the_sample_spec(tmp_path):
    path = tmp_path / "firms.parquet"
    pd.read_csv(SAMPLE_TABLE).to_parquet(path, index=False)
    app = upload(started("screening"), "firms.parquet", path.read_bytes(), "application/octet-stream")
    assert not app.error and not app.info  # no longer the synthetic sample
    expected = screen(SAMPLE_TABLE, load_spec(SAMPLE_SPEC), top=100).ranked
    assert_array_equal(last_run(app).result.ranked["firm_id"], expected["firm_id"])
    assert app.toggle(key=state.W_SCREEN_AHP).value
    button(app, "screening.use_sample").click().run()
    assert app.session_state[state.SCREEN_TABLE] is None
    assert app.info and app.file_uploader(key=state.screen_upload_key(1)).value is None


BROKEN = [
    ("firms.csv", b"PK\x03\x04\x14\x00\x06\x00\xff\xfe binary, not text", "not a readable CSV file"),
    ("firms.parquet", b"firm_id,name\nF1,x\n", "not a readable Parquet file"),
]


@pytest.mark.parametrize(("name", "data", "message"), BROKEN)
def test_a_file_that_is_no_table_shows_the_engine_message_and_keeps_the_result(name, data, message):
    app = started("screening")
    before = shown_names(app)
    with pytest.raises(InputError, match=message) as caught:
        profile_upload(data, name)
    upload(app, name, data, "application/octet-stream")
    assert [e.value for e in app.error] == [
        text("screening.upload_error").format(message=md(describe(caught.value, "zh")))
    ]
    assert app.session_state[state.SCREEN_TABLE] is None
    assert shown_names(app) == before
    app.run()  # the refusal is remembered, not recomputed, and still shown
    assert len(app.error) == 1 and shown_names(app) == before


def test_a_table_over_the_row_limit_is_refused(monkeypatch):
    app = started("screening")
    before = shown_names(app)
    monkeypatch.setattr(engine.screening.tables, "MAX_UPLOAD_ROWS", 100)
    upload(app, "big.csv", SAMPLE_TABLE.read_bytes())
    assert len(app.error) == 1
    assert md("big.csv：超过 100 行；上传的表格最多 100 行") in app.error[0].value
    assert app.session_state[state.SCREEN_TABLE] is None
    assert shown_names(app) == before
    assert [i.value for i in app.info] == [text("screening.synthetic").format(rows=f"{SAMPLE_ROWS:,}")]


def test_the_table_and_the_mapping_survive_a_page_switch():
    app = AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=TIMEOUT).run()
    app.switch_page(str(VIEWS / "screening.py")).run()
    data = candidates().to_csv(index=False).encode("utf-8")
    upload(app, "mine.csv", data)
    app.slider(key=state.screen_weight_key("a")).set_value(0.9).run()
    app.radio(key=state.screen_direction_key("b")).set_value("cost").run()
    app.multiselect(key=state.W_SCREEN_CATEGORIES).select("city").run()
    app.multiselect(key=state.screen_values_key("city")).set_value(["上海", "北京"]).run()
    assert not app.error
    document = app.session_state[state.SCREEN_DOCUMENT]
    assert document["filters"] == [{"column": "city", "in": ["上海", "北京"]}]
    before = shown_names(app)
    app.switch_page(str(VIEWS / "data.py")).run()
    app.switch_page(str(VIEWS / "screening.py")).run()
    assert not app.exception and not app.error
    assert app.session_state[state.SCREEN_TABLE].name == "mine.csv"
    assert app.session_state[state.SCREEN_DOCUMENT] == document
    assert app.slider(key=state.screen_weight_key("a")).value == 0.9
    assert app.radio(key=state.screen_direction_key("b")).value == "cost"
    assert shown_names(app) == before


# ---------------------------------------------------------------------------------- downloads


def test_the_downloads_are_the_engine_writer_and_formula_safe():
    frame = candidates()
    data = frame.to_csv(index=False).encode("utf-8")
    with capture() as served:
        app = upload(started("screening"), "mine.csv", data)
        buttons = {b.key: b for b in app.download_button}
        assert [b.label for b in buttons.values()] == [
            text("screening.download_csv"),
            text("screening.download_parquet"),
            text("screening.download_spec"),
        ]
        csv_bytes, csv_name = served.file(buttons[state.W_SCREEN_CSV])
        parquet_bytes = served.bytes(buttons[state.W_SCREEN_PARQUET])
        spec_bytes = served.bytes(buttons[state.W_SCREEN_SPEC])
    run = last_run(app)
    assert csv_name == f"screening_top{len(frame)}.csv"
    assert csv_bytes == result_bytes(run.result, "csv")
    header, *rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8"))))
    assert header == ["rank", "row", "firm_id", "name", "score", "a", "b", "c"]
    assert len(rows) == len(frame)
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert '\'=HYPERLINK("http://example.com","x")' in cells and "'@cmd" in cells
    back = pd.read_parquet(io.BytesIO(parquet_bytes))
    assert list(back["name"]) == list(run.result.ranked["name"])
    # the spec download reproduces the result through the engine
    spec = parse_spec(yaml.safe_load(spec_bytes), "spec")
    again = screen_upload(data, "mine.csv", spec, top=len(run.result.ranked))
    assert_array_equal(again.ranked["firm_id"], run.result.ranked["firm_id"])
    assert_array_equal(again.ranked["score"], run.result.ranked["score"])


# ---------------------------------------------------------------------------------- languages


def test_the_language_switch_changes_the_labels():
    app = started("screening")
    app.sidebar.radio(key=state.W_LANG).set_value("en").run()
    assert not app.exception
    assert app.title[0].value == text("nav.screening", "en")
    assert app.number_input(key=state.W_SCREEN_TOP).label == text("screening.top", "en")
    assert app.toggle(key=state.W_SCREEN_AHP).label == text("screening.ahp", "en")
    assert app.download_button[0].label == text("screening.download_csv", "en")
    assert text("screening.score", "en") in shown(app).columns
    assert app.info[0].value == text("screening.synthetic", "en").format(rows=f"{SAMPLE_ROWS:,}")
    assert text("screening.top", "en") != text("screening.top")


# ------------------------------------------------------------------------------ random walk


def poke(app, rng: np.random.Generator, raw: dict[str, str]) -> str:
    """Change one widget of the page as a user could (not the uploader); return what was done."""
    widgets = [
        *(("slider", w) for w in app.slider if not w.disabled),
        *(("toggle", w) for w in app.toggle if not w.disabled),
        *(("selectbox", w) for w in app.selectbox if not w.disabled),
        *(("radio", w) for w in app.radio if not w.disabled),
        *(("multiselect", w) for w in app.multiselect if not w.disabled),
        *(("number", w) for w in app.number_input if not w.disabled),
        *(("button", w) for w in app.button if not w.disabled),
    ]
    kind, widget = widgets[rng.integers(len(widgets))]
    if kind == "slider":
        widget.set_value(round(float(rng.uniform(widget.min, widget.max)), 2))
    elif kind == "toggle":
        widget.set_value(not widget.value)
    elif kind == "selectbox":
        widget.set_value(unformatted(widget, str(rng.choice(widget.options))))
    elif kind == "radio":
        widget.set_value(raw.get(option := str(rng.choice(widget.options)), option))
    elif kind == "multiselect":
        options = list(widget.options)
        if widget.key == state.W_SCREEN_CRITERIA and rng.random() < 0.8:  # mostly numeric criteria
            options = [o for o in options if raw.get(o, o) == o]
        count = int(rng.integers(1 if rng.random() < 0.8 else 0, len(options) + 1))
        chosen = rng.choice(options, size=count, replace=False)
        widget.set_value([raw.get(str(v), str(v)) for v in chosen])
    elif kind == "number":
        low = widget.min if widget.min is not None else -100
        high = widget.max if widget.max is not None else 2_000
        value = int(rng.integers(low, min(high, 300) + 1))
        widget.set_value(value if widget.key == state.W_SCREEN_TOP else float(value))
    else:
        widget.click()
    return f"{kind} {widget.key or widget.label}"


CHOICES = [*SCREEN_METHODS, "auto", *NORMALIZATIONS, *MISSING_POLICIES, *range(1, MAX_PAGES + 1)]


def unformatted(widget, label: str):
    """The value behind a selectbox option label (AppTest's select_index formats twice)."""
    fmt = widget.format_func
    for value in [*CHOICES, *pd.read_csv(SAMPLE_TABLE, nrows=0).columns]:
        try:
            if str(fmt(value)) == label:
                return value
        except (AttributeError, TypeError, KeyError, ValueError):
            continue
    raise AssertionError(f"no value shows as {label!r}")


def raw_values(columns: list[str]) -> dict[str, str]:
    """Option labels of the page's radios and multiselects -> the values behind them."""
    raw = {name: lang for lang, name in LANGUAGE_NAMES.items()}
    for lang in LANGUAGE_NAMES:
        raw |= {text(f"screening.{d}", lang): d for d in ("benefit", "cost")}
        raw |= {text("screening.text_column", lang).format(column=c): c for c in columns}
    return raw


@pytest.mark.slow
@pytest.mark.parametrize("seed", [5, 6])
def test_random_changes_never_raise_and_the_table_stays_the_engines(seed):
    rng = np.random.default_rng(seed)
    columns = list(pd.read_csv(SAMPLE_TABLE, nrows=0).columns)
    app = started("screening")
    done = []
    for _ in range(STEPS):
        done.append(poke(app, rng, raw_values(columns)))
        app.run()
        assert not app.exception, (done, [e.value for e in app.exception])
        lang = app.session_state[state.LANG]
        document = app.session_state[state.SCREEN_DOCUMENT]
        top = app.number_input(key=state.W_SCREEN_TOP).value
        try:
            expected = screen(
                SAMPLE_TABLE, parse_spec(document, text("screening.spec_source", lang)), top=top
            )
        except InputError as exc:
            assert [e.value for e in app.error] == [
                text("screening.error", lang).format(message=md(describe(exc, lang)))
            ], done
            continue
        assert not app.error, done
        result = last_run(app).result
        assert_array_equal(result.ranked["row"], expected.ranked["row"])  # rows of the table
        assert_array_equal(result.ranked["score"], expected.ranked["score"])
        page_rows = len(shown(app))
        first = (app.selectbox(key=state.W_SCREEN_PAGE).value - 1) * PAGE_ROWS
        assert page_rows == min(PAGE_ROWS, len(expected.ranked) - first), done
        assert_array_equal(
            shown(app)[text("screening.score", lang)].to_numpy(),
            expected.ranked["score"][first : first + page_rows].to_numpy(),
        )
