"""Ranking page: why each countermeasure ranks where it does, what would change the top, hygiene."""

from __future__ import annotations

from engine.analysis import run
from engine.insight.explain import attribute, counterfactual
from engine.insight.hygiene import check
from engine.text import label, share
from tests.ui.conftest import page, started, text
from tests.ui.recommended import recommended
from ui import state
from ui.format import md, ratio


def test_explanations_follow_the_engine(problem):
    app = started("ranking")
    assert text("explain.title") in [s.value for s in app.subheader]
    analysis = run(problem)
    attribution = attribute(analysis)
    table = next(f.value for f in app.dataframe if label("pulled_up", "zh") in f.value.columns)
    first = problem.alternative_ids.index(analysis.ranking[0].id)
    up, _ = attribution.strongest(first)
    leaves = {leaf.id: leaf.name.get("zh") for leaf in problem.leaves}
    assert table[label("pulled_up", "zh")].iloc[0] == "、".join(leaves[j] for j in up)
    found = counterfactual(analysis, challenger=recommended(problem).contender, leader=analysis.ranking[0].id)
    changes = next(f.value for f in app.dataframe if label("score_needed", "zh") in f.value.columns)
    alone = (label("impossible", "zh"), label("at_best", "zh"))
    impossible = [c.needed is None for c in found.scores]
    assert [v in alone for v in changes[label("score_needed", "zh")]] == impossible
    hygiene = check(problem, analysis.weights)
    shown = " ".join(m.value for m in app.markdown)
    assert len(hygiene.correlated) == shown.count("Pearson")


def overtake_lines(app) -> list[str]:
    gap = ("得分差", "score gap")
    return [m.value for m in app.markdown if "**" in m.value and any(word in m.value for word in gap)]


def test_the_leader_is_compared_with_the_real_contender_and_then_the_second(problem):
    analysis = run(problem)
    rec = recommended(problem)
    # on the shipped data the second by score is not the likeliest to take first place
    assert rec.contender == "chain_ecosystem" and analysis.ranking[1].id == "application_scenarios"
    assert rec.runner_up == "application_scenarios"
    app = started("ranking")
    names = {item.id: item.short.zh for item in problem.countermeasures}
    first, second = overtake_lines(app)
    assert first.startswith(f"主要竞争者 **{md(names['chain_ecosystem'])}**")
    assert share(dict(rec.share_first.shares)["chain_ecosystem"]) in first and "3 种" in first
    assert f"**{md(names['business_environment'])}**" in first
    assert second.startswith(f"排名第二的 **{md(names['application_scenarios'])}**")
    tables = [f.value for f in app.dataframe if label("score_needed", "zh") in f.value.columns]
    assert len(tables) == 2
    for table, challenger in zip(tables, ("chain_ecosystem", "application_scenarios"), strict=True):
        found = counterfactual(analysis, challenger=challenger, leader="business_environment")
        assert ratio(found.gap) in (first if challenger == "chain_ecosystem" else second)
        for cell, change in zip(table[label("score_needed", "zh")], found.scores, strict=True):
            if change.needed is None:
                expected = label("at_best" if change.current == change.bound else "impossible", "zh")
                assert cell == expected
    # already 9 on a 1-9 scale: the cell says so rather than "impossible"
    first_table = tables[0]
    chain = dict(
        zip(first_table[label("criterion", "zh")], first_table[label("score_needed", "zh")], strict=True)
    )
    completeness = next(leaf for leaf in problem.leaves if leaf.id == "chain_completeness")
    assert chain[completeness.name.zh] == label("at_best", "zh")
    # what the perturbed runs show is said beside the one-change-at-a-time table
    captions = " ".join(c.value for c in app.caption)
    assert md(rec.share_first.text.zh.rstrip("。")) in captions


def test_no_wording_suggests_a_safety_that_is_not_there(problem):
    for lang in ("zh", "en"):
        app = page("ranking")
        app.session_state[state.LANG] = lang
        app.run()
        assert not app.exception
        shown = " ".join(str(f.value.to_dict()) for f in app.dataframe)
        shown += " ".join(m.value for m in app.markdown)
        for phrase in ("量表内无法实现", "任何权重都不行", "impossible within", "no weight does it"):
            assert phrase not in shown
    assert "Not by this alone" in " ".join(c.value for c in app.caption)
