"""Overview page: ranking, top three with reasons, weights, consistency, seed facts, language."""

from __future__ import annotations

from engine.analysis import run
from engine.explain import strongest_criteria
from engine.settings import Settings
from tests.ui.conftest import expected, shown_order, started, text
from ui import state
from ui.format import md, ratio


def test_shows_the_shipped_ranking_of_all_countermeasures(problem):
    app = started("overview")
    shown = shown_order(app)
    assert shown == expected(problem, Settings())
    assert sorted(shown) == sorted(item.name.zh for item in problem.countermeasures)
    assert len(shown) == 7
    top = run(problem).ranking[0]
    assert app.metric[0].value == md(top.short.zh)


def test_top_three_carry_the_reason_of_their_strongest_criterion(problem):
    analysis = run(problem)
    strongest = dict(zip(problem.alternative_ids, strongest_criteria(problem, analysis.weights), strict=True))
    app = started("overview")
    shown = "\n".join(m.value for m in app.markdown)
    for entry in analysis.ranking[:3]:
        reason = problem.countermeasure(entry.id).scores[strongest[entry.id]].why.zh
        assert md(reason) in shown
    fourth = analysis.ranking[3]
    assert f"**4. {md(fourth.name.zh)}**" not in shown


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
