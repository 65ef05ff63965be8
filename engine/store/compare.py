"""Two to four scenarios side by side: weights, rankings with rank changes, leaders' firmness, costs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from engine.analysis import run
from engine.errors import InputError
from engine.model import Problem
from engine.store.workspace import TOP, Scenario


def check_count(keys: Sequence[str]) -> None:
    if not 2 <= len(keys) <= 4:
        raise InputError("scenario compare", "", f"expected two to four scenarios, got {len(keys)}")
    if len(set(keys)) != len(keys):
        raise InputError("scenario compare", "", "a scenario is named twice")


def compare(problem: Problem, chosen: Sequence[Scenario], *, firmness_samples: int = 0) -> dict[str, Any]:
    """The comparison document (docs/workspace.md). Rank changes are against the first scenario:
    ``change`` +2 means two places higher than there. The leaders' firmness needs a robustness
    study per scenario, so it is reported only when ``firmness_samples`` > 0."""
    check_count([s.id for s in chosen])
    analyses = [run(problem, s.settings) for s in chosen]
    ranks = [{entry.id: entry.rank for entry in a.ranking} for a in analyses]
    scores = [{entry.id: entry.score for entry in a.ranking} for a in analyses]
    order = [entry.id for entry in analyses[0].ranking]
    names = {m.id: m.name for m in problem.countermeasures}
    costs = _costs(problem)
    out: dict[str, Any] = {
        "scenarios": [
            {
                "id": s.id,
                "name": s.name,
                "method": s.settings.method,
                "weight_source": s.settings.weight_source,
                "preset": s.settings.preset,
                "experts": list(s.settings.experts),
                "version": s.version,
                "updated": s.updated,
                "top": [entry.id for entry in a.ranking[:TOP]],
                "higher_is_better": a.primary.higher_is_better,
            }
            for s, a in zip(chosen, analyses, strict=True)
        ],
        "weights": [
            {
                "id": leaf.id,
                "name": {"zh": leaf.name.zh, "en": leaf.name.en},
                "weights": [a.weight_of(leaf.id) for a in analyses],
            }
            for leaf in problem.leaves
        ],
        "ranking": [
            {
                "id": item,
                "name": {"zh": names[item].zh, "en": names[item].en},
                "ranks": [r[item] for r in ranks],
                "scores": [s[item] for s in scores],
                "change": [ranks[0][item] - r[item] for r in ranks],
            }
            for item in order
        ],
        "costs": None,
    }
    if costs is not None:
        criterion, value, low, high = costs
        out["costs"] = {
            "criterion": criterion,
            "top": [
                {
                    "value": sum(value[i] for i in tops),
                    "low": sum(low[i] for i in tops),
                    "high": sum(high[i] for i in tops),
                }
                for tops in (entry["top"] for entry in out["scenarios"])
            ],
        }
    if firmness_samples > 0:
        from engine.insight.groups import analyse_groups
        from engine.recommendation import recommend
        from engine.robustness.study import DEFAULT_SEED, analyze

        firmness = []
        for analysis in analyses:
            study = analyze(
                problem, analysis.settings, samples=firmness_samples, seed=DEFAULT_SEED, analysis=analysis
            )
            rec = recommend(analysis, study, groups=analyse_groups(problem, analysis.settings))
            firmness.append({"leader": analysis.ranking[0].id, "firmness": rec.firmness})
        out["firmness"] = firmness
    return out


def _costs(problem: Problem) -> tuple[str, dict[str, float], dict[str, float], dict[str, float]] | None:
    """Each countermeasure's annual cost (value, low, high) on the fiscal-cost criterion, if any."""
    from engine.insight.portfolio import cost_criterion, costs

    try:
        criterion = cost_criterion(problem)
    except InputError:
        return None
    ids = problem.alternative_ids
    value, low, high = (
        {item: float(x) for item, x in zip(ids, costs(problem, criterion, estimate=e), strict=True)}
        for e in ("value", "low", "high")
    )
    return criterion, value, low, high
