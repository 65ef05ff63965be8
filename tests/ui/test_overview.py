"""Overview page: the recommendation, ranking, top three with reasons, weights, consistency, seed facts,
language."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from engine.analysis import run
from engine.insight.explain import drivers
from engine.memo import Bullets, build_memo
from engine.robustness.study import analyze
from engine.settings import Settings
from engine.text import money, share
from tests.ui.conftest import ROOT, TIMEOUT, expected, page, shown_order, started, text
from tests.ui.recommended import recommended
from ui import state, studies
from ui.format import md, ratio


def test_shows_the_shipped_ranking_of_all_countermeasures(problem):
    app = started("overview")
    shown = shown_order(app)
    assert shown == expected(problem, Settings())
    assert sorted(shown) == sorted(item.name.zh for item in problem.countermeasures)
    assert len(shown) == 7
    top = run(problem).ranking[0]
    assert app.metric[0].value == md(top.short.zh)


def top_lines(app) -> list[str]:
    return [m.value for m in app.markdown if m.value.startswith("**") and ". " in m.value[:6]]


def lead(key: str, lang: str = "zh") -> str:
    """The fixed text of an interface template before its {criterion} field."""
    return text(key, lang).split("{criterion}")[0]


def test_top_three_carry_their_strength_weak_spot_and_reason(problem):
    analysis = run(problem)
    why = drivers(analysis)
    app = started("overview")
    lines = top_lines(app)
    assert len(lines) == 3
    for entry, line in zip(analysis.ranking[:3], lines, strict=True):
        row = problem.alternative_ids.index(entry.id)
        strong, weak = problem.leaves[why.strongest[row, 0]], problem.leaves[why.weakest[row, 0]]
        assert line.startswith(f"**{entry.rank}. {md(entry.name.zh)}**")
        assert lead("overview.strength") + md(strong.name.zh) in line
        assert lead("overview.weak_spot") + md(weak.name.zh) in line
        reason = problem.countermeasure(entry.id).scores[strong.id].why.zh
        assert line.endswith(md(reason))
    assert text("overview.drivers_help") in [c.value for c in app.caption]


def test_the_overview_and_the_memo_give_the_same_reasons(problem):
    # one definition: the overview's strength and weak spot of the leader are the brief's first ones
    for settings in (Settings(), Settings(method="vikor"), Settings().with_preset(problem.presets[-1].id)):
        analysis = run(problem, settings)
        study = analyze(problem, settings, analysis=analysis, samples=500)
        key_points = build_memo(analysis, lang="zh", robustness=study).find(Bullets)[0]
        brief = next(item for item in key_points.items if item.lead == "二是")
        # each new session continues the scenario the last one saved: set the settings after it opened
        app = page("overview").run()
        app.session_state[state.SETTINGS] = settings
        app.run()
        assert not app.exception
        why = drivers(analysis)
        row = problem.alternative_ids.index(analysis.ranking[0].id)
        strong, weak = problem.leaves[why.strongest[row, 0]], problem.leaves[why.weakest[row, 0]]
        line = top_lines(app)[0]
        assert lead("overview.strength") + md(strong.name.zh) + "（" in line, settings
        assert lead("overview.weak_spot") + md(weak.name.zh) + "（" in line, settings
        assert f"“{strong.name.zh}”" in brief.text and f"“{weak.name.zh}”" in brief.text, settings


def test_consistency_per_node_in_colour(problem):
    app = started("overview")
    shown = "\n".join(m.value for m in app.markdown)
    for entry in run(problem).combined_consistency():
        colour = "green" if entry.consistent else "red"
        assert f":{colour}[**CR {ratio(entry.result.cr)}**" in shown


def test_threat_facts_frame_the_problem(problem):
    app = started("overview")
    quotes = [m.value for m in app.markdown if m.value.startswith("> ")]
    threats = [f for f in problem.evidence.facts if f.topic == "threat"]
    assert 1 <= len(quotes) <= 5
    assert quotes == [f"> {md(f.quote)}" for f in threats[: len(quotes)]]


def test_language_switch_changes_every_label(problem):
    app = started("overview")
    assert app.title[0].value == text("nav.overview", "zh")
    app.sidebar.radio(key=state.W_LANG).set_value("en").run()
    assert not app.exception
    assert app.title[0].value == text("nav.overview", "en")
    assert shown_order(app, "en") == expected_en(problem)
    assert app.metric[0].label == text("overview.top_measure", "en")
    assert [s.value for s in app.subheader][:1] == [text("overview.top_three", "en")]
    # and back
    app.sidebar.radio(key=state.W_LANG).set_value("zh").run()
    assert app.title[0].value == text("nav.overview", "zh")


def expected_en(problem):
    return [entry.name.en for entry in run(problem).ranking]


# ---------------------------------------------------------------- the recommendation comes first


def card(app) -> str:
    """Everything the recommendation card says: badge and headline, then the sentences."""
    return "\n".join(m.value for m in app.markdown[:2])


def heading(colour: str, firmness: str, headline: str, lang: str = "zh") -> str:
    """The card's heading: the firmness as a coloured badge, then the judgement."""
    word = text(f"overview.firmness_{firmness}", lang)
    return f"### :{colour}-background[:{colour}[{word}]] {md(headline)}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_first_screen_states_the_recommendation_in_plain_words(problem, lang):
    rec = recommended(problem)
    app = page("overview")
    app.session_state[state.LANG] = lang
    app.run()
    assert not app.exception
    shown = card(app)
    # the firmness as a coloured badge, then the judgement
    assert rec.firmness == "contested"
    assert app.markdown[0].value == heading("red", "contested", rec.headline.get(lang), lang)
    # who leads, how often, the real contender, the annual cost: no four-decimal scores
    values = {m.label: m.value for m in app.metric}
    assert values[text("overview.top_measure", lang)] == md(rec.names[rec.leader].get(lang))
    assert values[text("overview.first_share", lang)] == share(rec.share_first.leader) == "58%"
    assert values[text("overview.contender", lang)] == md(rec.names["chain_ecosystem"].get(lang))
    assert values[text("overview.annual_cost", lang)] == money(rec.cost.value, lang)
    assert not any(re.search(r"\d\.\d{4}", str(m.value)) for m in app.metric)
    # under which methods, what would overturn it, whether the experts agree
    for sentence in (rec.action.text, rec.methods_first.text, rec.overturn.text, rec.experts_agree.text):
        assert md(sentence.get(lang)) in shown
    assert "8\\.5%" in shown and "6\\.3%" in shown  # the fiscal-cost weight that would overturn it
    assert ("20,000" if lang == "en" else "两万次") in shown


def test_the_badge_colour_follows_the_firmness(problem):
    # a preset that makes the lead firmer or weaker changes the badge, never a fixed colour
    for settings in (Settings(), Settings().with_preset(problem.presets[-1].id), Settings(method="wsm")):
        rec = recommended(problem, settings)
        # each new session continues the scenario the last one saved: set the settings after it opened
        app = page("overview").run()
        app.session_state[state.SETTINGS] = settings
        app.run()
        assert not app.exception
        colour = {"firm": "green", "leaning": "orange", "contested": "red"}[rec.firmness]
        assert app.markdown[0].value == heading(colour, rec.firmness, rec.headline.zh)
        assert app.metric[0].value == md(rec.names[rec.leader].zh)


def test_cr_is_named_as_the_quality_of_the_judgments_not_the_firmness(problem):
    app = started("overview")
    worst = max(run(problem).combined_consistency(), key=lambda c: c.result.cr)
    assert f"判断一致性：良好（CR {ratio(worst.result.cr)}）" in [c.value for c in app.caption]
    assert not any("CR" in m.label for m in app.metric)


def test_the_entry_script_warms_up_the_landing_study_once(monkeypatch):
    calls = []

    def counted(*args, **kwargs):
        calls.append(kwargs.get("samples"))
        return analyze(*args, **kwargs)

    studies.wait_for_warm_up()
    monkeypatch.setattr(studies, "_warming", [])
    monkeypatch.setattr(studies, "analyze", counted)
    app = AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=TIMEOUT).run()
    studies.wait_for_warm_up()
    assert not app.exception and len(studies._warming) == 1
    # the warm-up and the landing page share one computation; a second session computes nothing
    assert calls == [state.DEFAULTS[state.SAMPLES]]
    AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=TIMEOUT).run()
    assert calls == [state.DEFAULTS[state.SAMPLES]]


def test_one_cached_study_serves_the_overview_robustness_and_memo_pages(monkeypatch):
    calls = []

    def counted(*args, **kwargs):
        calls.append(kwargs.get("samples"))
        return analyze(*args, **kwargs)

    studies.wait_for_warm_up()  # a server's warm-up (started by an earlier test's app) must not count
    monkeypatch.setattr(studies, "analyze", counted)
    started("overview")
    started("robustness")
    memo = page("memo").run()
    assert not memo.exception
    assert calls == [state.DEFAULTS[state.SAMPLES]]
