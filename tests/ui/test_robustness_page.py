"""Robustness page: verdicts, acceptability, stability intervals and audit as the engine computes them."""

from __future__ import annotations

import pytest

from engine.analysis import run
from engine.errors import InputError
from engine.robustness.study import analyze
from engine.settings import Settings
from engine.text import label
from tests.ui.conftest import page, text
from ui import state
from ui.format import md, percent

SAMPLES = 10_000
SEED = 20240607  # the page's fixed seed


def opened(settings: Settings | None = None, **widgets):
    app = page("robustness")
    app.session_state[state.SAMPLES] = SAMPLES
    if settings is not None:
        app.session_state[state.SETTINGS] = settings
    for key, value in widgets.items():
        app.session_state[key] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def frame_with(app, column: str):
    for frame in app.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a column {column!r}")


def study(problem, settings: Settings | None = None, **options):
    settings = settings or Settings()
    options.setdefault("performance", "triangular")
    return analyze(problem, settings, samples=SAMPLES, seed=SEED, analysis=run(problem, settings), **options)


def test_verdicts_and_tables_are_the_engines(problem):
    app = opened()
    result = study(problem)
    assert [s.value for s in app.subheader] == [
        label("verdicts", "zh"),
        text("robustness.acceptability"),
        text("robustness.stability"),
        label("audit", "zh"),
        text("robustness.reversal"),
    ]
    verdicts = app.main.markdown[0].value
    for verdict in result.verdicts:
        assert md(verdict.text.zh) in verdicts
    short = {item.id: item.short.zh for item in problem.countermeasures}
    acceptability = frame_with(app, text("robustness.confidence"))
    assert list(acceptability[label("measure", "zh")]) == [short[v.id] for v in result.verdicts]
    index = [problem.alternative_ids.index(v.id) for v in result.verdicts]
    first = [percent(result.smaa.acceptability[i, 0]) for i in index]
    assert list(acceptability[label("rank_n", "zh", r=1)]) == first
    intervals = frame_with(app, label("top_interval", "zh"))
    assert list(intervals[label("top_interval", "zh")]) == [
        f"{c.top_interval[0]:.3f} – {c.top_interval[1]:.3f}" for c in result.stability.criteria
    ]
    audit = frame_with(app, text("robustness.same_top"))
    assert len(audit) == len(result.audit.choices)
    current = audit[text("robustness.choice")][result.audit.reference]
    assert current.endswith(label("current", "zh"))
    assert md(result.reversal_note.zh) == app.main.markdown[-1].value


def test_three_charts(problem):
    app = opened()
    assert len(app.get("vega_lite_chart")) == 3


def test_choosing_the_uniform_model_resamples(problem):
    app = opened()
    app.selectbox(key=state.W_ROBUST_MODEL).select("uniform").run()
    assert not app.exception
    result = study(problem, weight_model="uniform")
    for verdict in result.verdicts:
        assert md(verdict.text.zh) in app.main.markdown[0].value
    assert text("robustness.model_uniform") == app.selectbox(key=state.W_ROBUST_MODEL).format_func("uniform")


def test_fixed_scores(problem):
    app = opened(**{state.ROBUST_PERFORMANCE: "fixed"})
    result = study(problem, performance="fixed")
    assert result.performance == "fixed"
    assert md(result.verdicts[0].text.zh) in app.main.markdown[0].value


def test_preset_weights_offer_no_judgment_sampling(problem):
    settings = Settings().with_preset(problem.presets[0].id)
    app = opened(settings)
    box = app.selectbox(key=state.W_ROBUST_MODEL)
    assert list(box.options) == [
        text("robustness.model_dirichlet"),
        text("robustness.model_uniform"),
    ]
    assert box.value == "dirichlet"
    result = study(problem, settings)
    assert md(result.verdicts[0].text.zh) in app.main.markdown[0].value


def test_english(problem):
    lang = "en"
    app = opened(**{state.LANG: lang})
    assert app.subheader[0].value == label("verdicts", lang)
    result = study(problem)
    assert md(result.verdicts[0].text.en) in app.main.markdown[0].value
    assert text("robustness.same_top", lang) in frame_with(app, text("robustness.same_top", lang)).columns


def test_a_study_reports_how_far_it_is_and_gives_the_cached_study(problem, monkeypatch):
    from ui import studies

    monkeypatch.setattr(studies, "PROGRESS_INTERVAL", 0.001)
    analysis = run(problem)
    choice = studies.resolve(analysis.settings, 30_000)
    shares: list[float] = []
    found = studies.study_reporting(analysis, choice, shares.append)
    assert shares, "a study that is not cached yet reports its progress"
    assert shares == sorted(shares) and shares[0] >= 0 and shares[-1] <= 1
    assert found is studies.study(analysis, choice), "the same cache entry as every other page"
    again: list[float] = []
    assert studies.study_reporting(analysis, choice, again.append) is found


def test_a_failing_study_fails_in_the_page_thread(problem):
    from ui import studies

    analysis = run(problem, Settings().with_preset(problem.presets[0].id))
    # the judgments model needs AHP weights: the engine's input error reaches the caller
    choice = studies.StudyChoice(samples=1_000, weight_model="judgments", performance="fixed")
    with pytest.raises(InputError):
        studies.study_reporting(analysis, choice, lambda share: None)
