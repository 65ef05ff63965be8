"""``run(problem, settings) -> Analysis``: the single result object every front end renders.

The CLI, the app and the memo never recompute anything: they read an ``Analysis``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from engine.errors import InputError
from engine.hierarchy import combined_matrices, judgment_matrix, synthesize
from engine.insight.groups import aggregate_weights
from engine.mcda.ahp import CR_THRESHOLD, AHPMethod, AHPResult, priorities, revision_hint
from engine.mcda.methods import METHODS
from engine.mcda.ranking import kendall, spearman, ws_coefficient
from engine.mcda.registry import REGISTRY, MethodResult, evaluate
from engine.model import Judgment, Problem, Text, frozen_array, frozen_mapping
from engine.settings import Settings

COMBINED = "combined"  # the expert id under which the judgments actually used are reported


@dataclass(frozen=True)
class NodeConsistency:
    """AHP priorities and consistency of one judged node for one expert (or the combination)."""

    node_id: str
    expert_id: str
    children: tuple[str, ...]
    matrix: np.ndarray
    result: AHPResult
    revise_first: tuple[str, str, float] | None  # (a, b, value) when CR >= threshold and it lowers CR

    @property
    def consistent(self) -> bool:
        return self.result.cr < CR_THRESHOLD


@dataclass(frozen=True)
class RankEntry:
    rank: int
    id: str
    name: Text
    short: Text
    score: float


@dataclass(frozen=True)
class MethodAgreement:
    """Rank agreement between two methods' orders."""

    first: str
    second: str
    spearman: float
    kendall: float
    ws: float


@dataclass(frozen=True)
class Analysis:
    problem: Problem
    settings: Settings
    weights: np.ndarray  # global leaf weights in problem.leaf_ids order, summing to 1
    local_weights: Mapping[str, np.ndarray]  # judged node id -> its children's weights (AHP only)
    consistency: tuple[NodeConsistency, ...]
    results: Mapping[str, MethodResult]
    ranking: tuple[RankEntry, ...]
    agreement: tuple[MethodAgreement, ...]

    @property
    def primary(self) -> MethodResult:
        return self.results[self.settings.method]

    @property
    def normalization(self) -> str | None:
        return self.primary.normalization

    def weight_of(self, leaf_id: str) -> float:
        return float(self.weights[self.problem.leaf_ids.index(leaf_id)])

    def combined_consistency(self) -> tuple[NodeConsistency, ...]:
        return tuple(c for c in self.consistency if c.expert_id == COMBINED)

    def weight_profile(self, *, profile_id: str = "exported", name: Text | None = None) -> dict[str, Any]:
        """The weights in use as a weight-profile document (docs/formats.md), with the settings.

        The weights are written unrounded: YAML (like ``repr``) prints the shortest decimal that
        reads back as the same double, so a profile read back reproduces the weights and scores
        to the last bit; rounded to 12 decimals, VIKOR's rescaling turned the rounding into score
        differences near 1e-11.
        """
        name = name or Text(zh="导出的权重方案", en="Exported weight profile")
        return {
            "version": 1,
            "id": profile_id,
            "name": {"zh": name.zh, "en": name.en},
            "weights": {leaf: float(w) for leaf, w in zip(self.problem.leaf_ids, self.weights, strict=True)},
            "settings": self.settings.to_mapping(),
        }

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (the shape documented in README)."""
        problem = self.problem
        leaves = problem.leaves

        def entries(result: MethodResult) -> list[dict[str, Any]]:
            order = np.lexsort((np.arange(len(result.ranks)), result.ranks))
            return [
                {
                    "rank": int(result.ranks[i]),
                    "id": problem.countermeasures[i].id,
                    "score": float(result.scores[i]),
                }
                for i in order
            ]

        return {
            "method": self.settings.method,
            "normalization": self.normalization,
            "weights": {
                "source": self.settings.weight_source,
                "preset": self.settings.preset,
                "experts": list(self.settings.experts) or [e.id for e in problem.criteria.experts],
                "criteria": [
                    {
                        "id": leaf.id,
                        "name": {"zh": leaf.name.zh, "en": leaf.name.en},
                        "direction": "benefit" if leaf.direction > 0 else "cost",
                        "weight": float(w),
                    }
                    for leaf, w in zip(leaves, self.weights, strict=True)
                ],
            },
            "consistency": [
                {
                    "node": c.node_id,
                    "expert": c.expert_id,
                    "lambda_max": c.result.lambda_max,
                    "ci": c.result.ci,
                    "cr": c.result.cr,
                    "consistent": c.consistent,
                    "weights": dict(zip(c.children, map(float, c.result.weights), strict=True)),
                }
                for c in self.consistency
            ],
            "ranking": [
                {
                    "rank": entry.rank,
                    "id": entry.id,
                    "name": {"zh": entry.name.zh, "en": entry.name.en},
                    "score": entry.score,
                }
                for entry in self.ranking
            ],
            "score_direction": "higher_is_better" if self.primary.higher_is_better else "lower_is_better",
            "methods": {name: entries(result) for name, result in self.results.items()},
            "agreement": [
                {"methods": [a.first, a.second], "spearman": a.spearman, "kendall": a.kendall, "ws": a.ws}
                for a in self.agreement
            ],
            "settings": self.settings.to_mapping(),
            "sources": dict(problem.sources),
        }


def _edited_matrix(problem: Problem, node_id: str, edits: tuple[tuple[str, str, float], ...]) -> np.ndarray:
    try:
        node = problem.criteria.node(node_id)
    except KeyError:
        raise InputError("settings", f"judgment_edits.{node_id}", "unknown criteria node") from None
    judgments = [Judgment(a=a, b=b, value=v) for a, b, v in edits]
    children = {child.id for child in node.children}
    for index, judgment in enumerate(judgments):
        for child in (judgment.a, judgment.b):
            if child not in children:
                raise InputError(
                    "settings",
                    f"judgment_edits.{node_id}[{index}]",
                    f"{child!r} is not a child of {node_id!r}",
                )
    try:
        return judgment_matrix(node, judgments)
    except ValueError as exc:
        raise InputError("settings", f"judgment_edits.{node_id}", str(exc)) from None


def node_consistency(
    node_id: str, expert_id: str, children: tuple[str, ...], matrix: np.ndarray, method: AHPMethod
) -> NodeConsistency:
    """AHP priorities of one judgment matrix, and when CR >= 0.10 the judgment to revise first
    (None when no single change lowers CR)."""
    result = priorities(matrix, method=method)
    hint = None
    found = revision_hint(matrix, result.weights, method=method) if result.cr >= CR_THRESHOLD else None
    if found is not None:
        i, j, value = found
        hint = (children[i], children[j], value)
    return NodeConsistency(node_id, expert_id, children, frozen_array(matrix), result, hint)


def _resolve_experts(problem: Problem, settings: Settings) -> tuple[str, ...]:
    known = [expert.id for expert in problem.criteria.experts]
    for expert_id in settings.experts:
        if expert_id not in known:
            raise InputError(
                "settings", "experts", f"unknown expert {expert_id!r} (known: {', '.join(known)})"
            )
    return settings.experts or tuple(known)


def _leaf_weights(problem: Problem, settings: Settings, local: Mapping[str, np.ndarray]) -> np.ndarray:
    leaf_ids = problem.leaf_ids
    if settings.weight_source == "ahp":
        return synthesize(problem.criteria.goal, local)
    if settings.weight_source == "preset":
        try:
            chosen = problem.preset(settings.preset or "")
        except KeyError:
            known = ", ".join(p.id for p in problem.presets) or "none loaded"
            raise InputError(
                "settings", "preset", f"unknown preset {settings.preset!r} (known: {known})"
            ) from None
        raw = dict(chosen.weights)
    else:
        raw = dict(settings.manual_weights)
        for leaf in raw:
            if leaf not in leaf_ids:
                raise InputError("settings", f"manual_weights.{leaf}", "unknown criterion")
        for leaf in leaf_ids:
            if leaf not in raw:
                raise InputError("settings", "manual_weights", f"missing the weight of criterion {leaf!r}")
    weights = np.array([raw[leaf] for leaf in leaf_ids], dtype=float)
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise InputError("settings", "manual_weights", "weights must be finite and non-negative")
    if weights.max() <= 0:
        raise InputError(
            "settings", "manual_weights", "the weights sum to zero; at least one must be above 0"
        )
    weights = weights / weights.max()  # so that weights near 1e308 cannot overflow the sum
    return weights / weights.sum()


def _pooled_priorities(
    problem: Problem, settings: Settings, expert_ids: tuple[str, ...], group_weights: dict[str, float]
) -> np.ndarray:
    """Aggregation of individual priorities (AIP): the experts' own leaf weights, averaged."""
    if settings.judgment_edits:
        raise InputError(
            "settings",
            "judgment_edits",
            "judgment edits change the combined judgments; use aggregation 'judgments' with them",
        )
    return aggregate_weights(
        problem.criteria,
        expert_ids,
        aggregation="priorities",
        method=settings.ahp_method,
        group_weights=group_weights,
    )


def run(problem: Problem, settings: Settings | None = None) -> Analysis:
    """Derive the weights, score every method and rank the countermeasures."""
    settings = settings or Settings()
    criteria = problem.criteria
    expert_ids = _resolve_experts(problem, settings)
    group_weights = dict(settings.group_weights)
    try:
        combined = combined_matrices(criteria, expert_ids, group_weights=group_weights)
    except ValueError as exc:
        raise InputError("settings", "experts", str(exc)) from None
    for node_id, edits in settings.judgment_edits:
        combined[node_id] = _edited_matrix(problem, node_id, edits)

    consistency: list[NodeConsistency] = []
    local: dict[str, np.ndarray] = {}
    for node in criteria.judged_nodes:
        children = tuple(child.id for child in node.children)
        entry = node_consistency(node.id, COMBINED, children, combined[node.id], settings.ahp_method)
        consistency.append(entry)
        local[node.id] = entry.result.weights
        for expert_id in expert_ids:
            expert = criteria.expert(expert_id)
            matrix = judgment_matrix(node, expert.judgments[node.id])
            consistency.append(node_consistency(node.id, expert_id, children, matrix, settings.ahp_method))

    if settings.weight_source == "ahp" and settings.aggregation == "priorities":
        weights = frozen_array(_pooled_priorities(problem, settings, expert_ids, group_weights))
    else:
        weights = frozen_array(_leaf_weights(problem, settings, local))
    matrix, directions = problem.matrix, problem.directions
    results: dict[str, MethodResult] = {}
    for method, spec in REGISTRY.items():
        options = spec.configured(settings, chosen=method == settings.method)
        results[method] = evaluate(method, matrix, weights, directions, **options)

    primary = results[settings.method]
    order = np.lexsort((np.arange(len(primary.ranks)), primary.ranks))
    ranking = tuple(
        RankEntry(
            rank=int(primary.ranks[i]),
            id=problem.countermeasures[i].id,
            name=problem.countermeasures[i].name,
            short=problem.countermeasures[i].short,
            score=float(primary.scores[i]),
        )
        for i in order
    )
    agreement = tuple(
        MethodAgreement(
            first=a,
            second=b,
            spearman=float(spearman(results[a].ranks, results[b].ranks)),
            kendall=float(kendall(results[a].ranks, results[b].ranks)),
            ws=float(ws_coefficient(results[a].ranks, results[b].ranks)),
        )
        for a, b in combinations(METHODS, 2)
    )
    return Analysis(
        problem=problem,
        settings=settings,
        weights=weights,
        local_weights=frozen_mapping(local),
        consistency=tuple(consistency),
        results=frozen_mapping(results),
        ranking=ranking,
        agreement=agreement,
    )
