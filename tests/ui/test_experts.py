"""Experts page: views side by side, consensus, aggregation switch, the group-share slider."""

from __future__ import annotations

from engine.insight.groups import analyse_groups, stakeholder_groups, sweep_group
from engine.settings import Settings
from engine.text import label
from tests.ui.conftest import settings_of, started
from ui.format import ratio


def order_of(problem, ranks):
    short = [m.short.get("zh") for m in problem.countermeasures]
    return " > ".join(short[i] for i in sorted(range(len(ranks)), key=lambda i: (ranks[i], i)))


def test_views_and_consensus_match_the_engine(problem):
    app = started("experts")
    result = analyse_groups(problem, Settings())
    assert app.metric[0].value == ratio(result.consensus)
    table = app.dataframe[0].value
    # each shipped group has one expert: the group's row stands for the expert too
    alone = [g for g in stakeholder_groups(problem.criteria) if len(g.experts) == 1]
    assert alone
    assert len(table) == 1 + len(result.groups) + len(result.experts) - len(alone)
    views = list(table[label("view", "zh")])
    assert len(set(views)) == len(views)
    for group in alone:
        expert = next(e for e in problem.criteria.experts if e.id == group.experts[0])
        assert any(group.name.zh in view and expert.name.zh in view for view in views)
    assert table[label("order", "zh")].iloc[0] == order_of(problem, result.overall.ranks)


def test_switching_to_aggregated_priorities(problem):
    app = started("experts")
    app.radio(key="w:experts:aggregation").set_value("priorities").run()
    assert not app.exception
    assert settings_of(app).aggregation == "priorities"
    result = analyse_groups(problem, Settings(aggregation="priorities"))
    assert app.dataframe[0].value[label("order", "zh")].iloc[0] == order_of(problem, result.overall.ranks)


def test_the_share_slider_shows_the_ranking_at_that_share(problem):
    app = started("experts")
    group = app.selectbox(key="w:experts:group").value
    sweep = sweep_group(problem, group, Settings())
    app.slider(key=f"w:experts:share:{group}").set_value(1.0).run()
    assert not app.exception
    shown = " ".join(m.value for m in app.markdown)
    expected = order_of(problem, sweep.ranks[-1]).replace(">", "\\>")
    assert expected in shown or order_of(problem, sweep.ranks[-1]) in shown
    assert settings_of(app) == Settings()  # exploring does not change the ranking's settings
