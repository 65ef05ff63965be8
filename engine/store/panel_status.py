"""The figures of a panel's status page, from its stored answers, through :mod:`engine.panel`.

:func:`panel_status` is what :meth:`engine.store.panel.Panels.status` returns: per expert the
progress and CR per node; for the panel its weights, Kendall's W over the experts' leaf weights
with its χ² test, CV and quartiles per criterion, outliers, authority coefficients, the scores
with their ranges and W round by round with the convergence rule of :mod:`engine.panel.rounds`.
The shape is documented in docs/panel.md ("The panel in the workspace").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from engine.hierarchy import judgment_matrix, synthesize
from engine.mcda.ahp import batch_priorities
from engine.model import Judgment, Problem
from engine.panel.aggregate import aggregate_scores, panel_weights
from engine.panel.consensus import (
    authority,
    coefficient_of_variation,
    concordance,
    dispersion,
    outlier_experts,
)
from engine.panel.layout import BASIS, FAMILIARITY, LEVELS, pairs
from engine.panel.rounds import compare_rounds

if TYPE_CHECKING:
    from engine.store.panel import Item, PanelInfo

Array = NDArray[np.float64]
Answers = Mapping[str, Mapping[str, Any]]  # expert id -> item key -> stored value


def _number(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class RoundFigures:
    """One round's judgments as arrays over the panel's experts (in panel order)."""

    stacks: dict[str, Array]  # node id -> (k, c, c), NaN matrices where not fully answered
    expert_cr: Array  # (k, nodes)
    leaves: Array  # (k, n) each expert's leaf weights, NaN rows for incomplete experts

    @property
    def complete(self) -> NDArray[np.bool_]:
        return np.asarray(~np.isnan(self.leaves).any(axis=1))


def round_figures(problem: Problem, experts: Sequence[str], answers: Answers, method: str) -> RoundFigures:
    """Every expert's judgment matrices, CR per node and own leaf weights in one round."""
    nodes = problem.criteria.judged_nodes
    k = len(experts)
    stacks: dict[str, Array] = {}
    expert_cr = np.full((k, len(nodes)), np.nan)
    local: dict[str, Array] = {}
    for column, node in enumerate(nodes):  # a handful of nodes; each batch is vectorised over experts
        c = len(node.children)
        stack = np.full((k, c, c), np.nan)
        for row, expert in enumerate(experts):  # parsing stored triples into matrices, not arithmetic
            mine = answers.get(expert, {})
            given = [(a, b, mine.get(f"judgment:{node.id}:{a}:{b}")) for a, b in pairs(node)]
            if all(value is not None for _, _, value in given):
                judgments = [Judgment(a, b, float(v)) for a, b, v in given if v is not None]
                stack[row] = judgment_matrix(node, judgments)
        answered = ~np.isnan(stack[:, 0, 0])
        weights = np.full((k, c), np.nan)
        if answered.any():
            weights[answered], expert_cr[answered, column] = batch_priorities(stack[answered], method)  # type: ignore[arg-type]
        stacks[node.id] = stack
        local[node.id] = weights
    leaves = synthesize(problem.criteria.goal, local) if nodes else np.ones((k, 1))
    return RoundFigures(stacks, expert_cr, leaves)


def _groups(problem: Problem, info: PanelInfo) -> tuple[list[str] | None, dict[str, float]]:
    if not problem.criteria.groups:
        return None, {}
    return [e.group or "" for e in info.experts], {g.id: g.weight for g in problem.criteria.groups}


def _concordance(leaves: Array) -> dict[str, Any]:
    found = concordance(leaves)
    return {"w": found.w, "chi2": found.chi2, "df": found.df, "p": found.p_value, "experts": found.experts}


def _authority(info: PanelInfo, by_round: Mapping[int, Answers]) -> dict[str, Any] | None:
    """Authority coefficients from each expert's latest complete self-rating."""
    familiarity_ids, level_ids = list(FAMILIARITY), list(LEVELS)
    rated: list[str] = []
    basis_codes: list[list[int]] = []
    familiarity_codes: list[int] = []
    for expert in info.experts:
        for round in sorted(by_round, reverse=True):
            mine = by_round[round].get(expert.id, {})
            keys = ["rating:familiarity", *(f"rating:basis.{b}" for b in BASIS)]
            if all(key in mine for key in keys):
                rated.append(expert.id)
                familiarity_codes.append(familiarity_ids.index(mine["rating:familiarity"]))
                basis_codes.append([level_ids.index(mine[f"rating:basis.{b}"]) for b in BASIS])
                break
    if not rated:
        return None
    found = authority(np.array(basis_codes, dtype=np.intp), np.array(familiarity_codes, dtype=np.intp))
    return {
        "experts": {
            e: {"ca": float(ca), "cs": float(cs), "cr": float(cr)}
            for e, ca, cs, cr in zip(rated, found.ca, found.cs, found.cr, strict=True)
        },
        "mean": found.mean,
        "threshold": found.threshold,
        "acceptable": found.acceptable,
    }


def _scores(problem: Problem, info: PanelInfo, answers: Answers) -> dict[str, Any]:
    measures = problem.alternative_ids
    criteria = info.options.scored or problem.leaf_ids
    experts = [e.id for e in info.experts]
    table = np.array(
        [[[float(answers.get(e, {}).get(f"score:{m}:{c}", math.nan)) for c in criteria] for m in measures]
         for e in experts],
        dtype=np.float64,
    )  # fmt: skip
    figures: dict[str, Any] = {
        "statistic": info.options.score_statistic,
        "spread": info.options.score_spread,
        "cells": [],
    }
    if np.isnan(table).all():
        return figures
    groups, group_weights = _groups(problem, info)
    found = aggregate_scores(
        table,
        [e.weight for e in info.experts],
        groups=groups,
        group_weights=group_weights or None,
        statistic=info.options.score_statistic,
        spread=info.options.score_spread,
    )
    for i, measure in enumerate(measures):
        for j, criterion in enumerate(criteria):
            if found.count[i, j]:
                figures["cells"].append(
                    {
                        "measure": measure,
                        "criterion": criterion,
                        "value": _number(found.value[i, j]),
                        "low": _number(found.low[i, j]),
                        "high": _number(found.high[i, j]),
                        "count": int(found.count[i, j]),
                    }
                )
    return figures


def panel_status(
    info: PanelInfo,
    problem: Problem,
    by_round: Mapping[int, Answers],
    submitted: Mapping[tuple[str, int], str],
    links: Mapping[str, Sequence[str]],
    asked: Mapping[str, Sequence[Item]],
) -> dict[str, Any]:
    """The status document (see the module docstring) from the panel's stored answers."""
    method = info.options.ahp_method
    experts = [e.id for e in info.experts]
    nodes = [node.id for node in problem.criteria.judged_nodes]
    leaf_ids = problem.leaf_ids
    current = by_round.get(info.round, {})
    figures = round_figures(problem, experts, current, method)
    groups, group_weights = _groups(problem, info)

    weights: dict[str, Any] | None = None
    reference = None
    if nodes and not np.isnan(figures.expert_cr).all():
        try:
            found = panel_weights(
                problem.criteria.goal,
                figures.stacks,
                [e.weight for e in info.experts],
                groups=groups,
                group_weights=group_weights or None,
                aggregation=info.options.aggregation,  # type: ignore[arg-type]  # checked on create
                method=method,  # type: ignore[arg-type]
            )
        except ValueError:  # a node nobody has answered yet: no panel weights
            found = None
        if found is not None:
            reference = found.weights
            weights = {
                "aggregation": found.aggregation,
                "experts": int(found.included.sum()),
                "criteria": {leaf: float(w) for leaf, w in zip(leaf_ids, found.weights, strict=True)},
                "cr": {node: float(cr) for node, cr in found.cr.items()},
            }

    complete = figures.complete
    agreement: dict[str, Any] = {
        "experts": int(complete.sum()),
        "kendall_w": None,
        "criteria": [],
        "outliers": [],
    }
    flagged: dict[str, bool] = {}
    if complete.sum() >= 2:
        leaves = figures.leaves[complete]
        ids = [e for e, done in zip(experts, complete, strict=True) if done]
        agreement["kendall_w"] = _concordance(leaves)
        spread = dispersion(leaves)
        cv = coefficient_of_variation(leaves)
        agreement["criteria"] = [
            {
                "id": leaf,
                "median": float(spread.median[j]),
                "q1": float(spread.q1[j]),
                "q3": float(spread.q3[j]),
                "iqr": float(spread.iqr[j]),
                "cv": _number(cv[j]),
            }
            for j, leaf in enumerate(leaf_ids)
        ]
        far = outlier_experts(leaves, reference=reference)
        agreement["outliers"] = [
            {"expert": e, "distance": float(d), "z": float(z), "flagged": bool(f)}
            for e, d, z, f in zip(ids, far.distance, far.z, far.flagged, strict=True)
        ]
        flagged = {e: bool(f) for e, f in zip(ids, far.flagged, strict=True)}

    rounds: list[dict[str, Any]] = []
    compared: list[Array] = []
    for round in range(1, info.round + 1):
        those = round_figures(problem, experts, by_round.get(round, {}), method)
        done = those.complete
        entry: dict[str, Any] = {"round": round, "experts": int(done.sum()), "kendall_w": None}
        if done.sum() >= 2:
            entry["kendall_w"] = _concordance(those.leaves[done])
            compared.append(those.leaves[done])
        rounds.append(entry)
    convergence = None
    if compared:
        verdict = compare_rounds(compared)
        convergence = {
            "rounds_compared": len(compared),
            "converged": verdict.converged,
            "w_rising": verdict.w_rising,
            "significant": verdict.significant,
            "cv_below": verdict.cv_below,
            "alpha": verdict.alpha,
            "cv_max": verdict.cv_max,
        }

    rated = _authority(info, {r: a for r, a in by_round.items() if r <= info.round})
    entries = []
    for row, expert in enumerate(info.experts):
        mine = current.get(expert.id, {})
        keys = {item.key for item in asked[expert.id]}
        valid = links.get(expert.id, [])
        entries.append(
            {
                "id": expert.id,
                "name": expert.name,
                "group": expert.group,
                "weight": expert.weight,
                "asks": expert.asks,
                "asked": len(keys),
                "answered": len(keys & set(mine)),
                "submitted": submitted.get((expert.id, info.round)),
                "complete_judgments": bool(complete[row]),
                "cr": {node: _number(figures.expert_cr[row, j]) for j, node in enumerate(nodes)},
                "outlier": flagged.get(expert.id),
                "authority": None if rated is None else rated["experts"].get(expert.id, {}).get("cr"),
                "links": len(valid),
                "link_expires": max(valid) if valid else None,
            }
        )
    return {
        "panel": {
            "id": info.id,
            "project": info.project,
            "name": info.name,
            "revision": info.revision,
            "round": info.round,
            "asks": info.asks,
            "options": info.options.to_dict(),
            "created": info.created,
            "updated": info.updated,
        },
        "progress": {
            "experts": len(entries),
            "submitted": sum(e["submitted"] is not None for e in entries),
            "answered": sum(e["answered"] for e in entries),
            "asked": sum(e["asked"] for e in entries),
        },
        "experts": entries,
        "weights": weights,
        "agreement": agreement,
        "authority": rated,
        "scores": _scores(problem, info, current),
        "rounds": rounds,
        "convergence": convergence,
    }
