"""Ranking page: why each countermeasure ranks where it does, what would change the top, hygiene."""

from __future__ import annotations

from engine.analysis import run
from engine.insight.explain import attribute, counterfactual
from engine.insight.hygiene import check
from engine.text import label
from tests.ui.conftest import started, text


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
    found = counterfactual(analysis)
    changes = next(f.value for f in app.dataframe if label("score_needed", "zh") in f.value.columns)
    impossible = [c.needed is None for c in found.scores]
    assert [v == label("impossible", "zh") for v in changes[label("score_needed", "zh")]] == impossible
    hygiene = check(problem, analysis.weights)
    shown = " ".join(m.value for m in app.markdown)
    assert len(hygiene.correlated) == shown.count("Pearson")
