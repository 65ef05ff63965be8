"""How firmly does the ranking hold? One call that the CLI, the app and the memo share.

:func:`analyze` runs the analysis, then the four robustness checks on it — weight stability
intervals (:mod:`engine.robustness.stability`), SMAA-2 acceptability (:mod:`engine.robustness.smaa`), the
modelling-choice audit (:mod:`engine.robustness.audit`) and the rank-reversal check
(:mod:`engine.robustness.rank_reversal`) — and gathers the figures behind one plain verdict per
ranked countermeasure; :mod:`engine.robustness.verdicts` words them in Chinese and English.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.analysis import Analysis, run
from engine.errors import InputError
from engine.hierarchy import expert_weights, judgment_matrix
from engine.model import Problem, Text
from engine.robustness.audit import AuditResult, Choice, audit
from engine.robustness.rank_reversal import RankReversal, rank_reversal
from engine.robustness.smaa import (
    DEFAULT_CHUNK,
    DEFAULT_SAMPLES,
    DirichletWeights,
    JudgmentWeights,
    Progress,
    SMAAResult,
    UniformWeights,
    WeightModel,
    smaa,
)
from engine.robustness.stability import Stability, stability_intervals
from engine.robustness.verdicts import reversal_note, sampling_text, verdict_text
from engine.settings import Settings

__all__ = [
    "DEFAULT_CONCENTRATION",
    "DEFAULT_SEED",
    "PERFORMANCE_MODELS",
    "WEIGHT_MODELS",
    "Robustness",
    "Verdict",
    "analyze",
    "default_weight_model",
    "judgment_model",
    "performance_ranges",
]

WEIGHT_MODELS: tuple[str, ...] = ("uniform", "judgments", "dirichlet")
PERFORMANCE_MODELS: tuple[str, ...] = ("triangular", "uniform", "fixed")
DEFAULT_SEED = 20240607
DEFAULT_CONCENTRATION = 50.0
DEFAULT_CONFIDENCE_SAMPLES = 10_000


@dataclass(frozen=True)
class Verdict:
    """How firmly one countermeasure holds its place, with the figures behind the sentence.

    Attributes
    ----------
    id : str
        The countermeasure.
    rank : int
        Its rank in the analysis (1 = best; ties share a rank).
    share : float
        Share of SMAA samples that give it this rank.
    threshold : tuple or None
        ``(criterion id, weight, side)``: moving that one criterion's weight beyond ``weight``
        (side +1: above, -1: below) is the smallest single-weight change that moves it; None if
        no single weight change does.
    agreeing, choices : int
        How many of the audited modelling choices give it the same rank, out of how many.
    text : Text
        The verdict in both languages.
    """

    id: str
    rank: int
    share: float
    threshold: tuple[str, float, int] | None
    agreeing: int
    choices: int
    text: Text


@dataclass(frozen=True)
class Robustness:
    """Everything known about how firmly the ranking holds.

    Attributes
    ----------
    analysis : Analysis
        The analysis the checks were run on.
    stability : Stability
    smaa : SMAAResult
    audit : AuditResult
    reversal : RankReversal
    verdicts : tuple of Verdict
        One per countermeasure, in ranking order.
    reversal_note : Text
        What the leave-one-out and fixed-bounds checks found.
    weight_model : str
        "uniform", "judgments" or "dirichlet".
    concentration : float or None
        The Dirichlet concentration (for "dirichlet" only).
    performance : str
        "triangular", "uniform" or "fixed".
    seed : int
    """

    analysis: Analysis
    stability: Stability
    smaa: SMAAResult
    audit: AuditResult
    reversal: RankReversal
    verdicts: tuple[Verdict, ...]
    reversal_note: Text
    weight_model: str
    concentration: float | None
    performance: str
    seed: int

    @property
    def sampling(self) -> Text:
        """How the SMAA samples were drawn, in words."""
        return sampling_text(
            self.weight_model, self.concentration, self.performance, self.smaa.samples, self.seed
        )

    def verdict(self, countermeasure_id: str) -> Verdict:
        for verdict in self.verdicts:
            if verdict.id == countermeasure_id:
                return verdict
        raise KeyError(countermeasure_id)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary; alternatives and criteria are named by id."""
        problem = self.analysis.problem
        ids = problem.alternative_ids
        leaves = problem.leaf_ids

        def number(x: float) -> float | None:
            return float(x) if np.isfinite(x) else None

        def who(i: int | None) -> str | None:
            return None if i is None else ids[i]

        s, st, au, rr = self.smaa, self.stability, self.audit, self.reversal
        return {
            "method": self.analysis.settings.method,
            "normalization": self.analysis.normalization,
            "settings": self.analysis.settings.to_mapping(),
            "samples": s.samples,
            "seed": self.seed,
            "weight_model": self.weight_model,
            "weight_distribution": s.weight_model,
            "concentration": self.concentration,
            "performance": self.performance,
            "sampling": {"zh": self.sampling.zh, "en": self.sampling.en},
            "verdicts": [
                {
                    "id": v.id,
                    "rank": v.rank,
                    "share": v.share,
                    "threshold": None
                    if v.threshold is None
                    else {"criterion": v.threshold[0], "weight": v.threshold[1], "side": v.threshold[2]},
                    "agreeing": v.agreeing,
                    "choices": v.choices,
                    "text": {"zh": v.text.zh, "en": v.text.en},
                }
                for v in self.verdicts
            ],
            "rank_reversal_note": {"zh": self.reversal_note.zh, "en": self.reversal_note.en},
            "smaa": {
                "acceptability": {ids[i]: [float(b) for b in s.acceptability[i]] for i in range(len(ids))},
                "central_weights": {
                    ids[i]: None
                    if np.isnan(s.central_weights[i]).any()
                    else dict(zip(leaves, map(float, s.central_weights[i]), strict=True))
                    for i in range(len(ids))
                },
                "confidence": {ids[i]: number(s.confidence[i]) for i in range(len(ids))},
                "holistic": {ids[i]: float(s.holistic[i]) for i in range(len(ids))},
                "meta_weights": [float(a) for a in s.meta_weights],
                "confidence_samples": s.confidence_samples,
                "block": s.block,
            },
            "stability": {
                "exact": st.exact,
                "xtol": st.xtol,
                "grid": st.grid,
                "critical": None if st.critical is None else leaves[st.critical],
                "criteria": [
                    {
                        "id": leaves[c.index],
                        "weight": c.weight,
                        "top_interval": list(c.top_interval),
                        "top_successors": [who(x) for x in c.top_successors],
                        "order_interval": list(c.order_interval),
                        "order_swaps": [None if p is None else [ids[p[0]], ids[p[1]]] for p in c.order_swaps],
                    }
                    for c in st.criteria
                ],
            },
            "audit": {
                "reference": au.choices[au.reference].label,
                "choices": [
                    {
                        "label": c.label,
                        "method": c.method,
                        "normalization": c.normalization,
                        "cost": c.cost,
                        "order": [ids[i] for i in au.orders[k]],
                        "same_top": bool(au.same_top[k]),
                        "same_order": bool(au.same_order[k]),
                    }
                    for k, c in enumerate(au.choices)
                ],
                "skipped": [{"label": c.label, "reason": reason} for c, reason in au.skipped],
                "spearman": au.spearman.tolist(),
                "kendall": au.kendall.tolist(),
                "ws": au.ws.tolist(),
                "borda": [ids[i] for i in np.argsort(au.borda_ranks, kind="stable")],
                "copeland": [ids[i] for i in np.argsort(au.copeland_ranks, kind="stable")],
            },
            "rank_reversal": {
                "method": rr.chosen.method,
                "changed": {ids[i]: bool(rr.chosen.changed[i]) for i in range(len(ids))},
                "swaps": {ids[i]: [[ids[a], ids[b]] for a, b in rr.chosen.swaps[i]] for i in range(len(ids))},
                "fixed": {
                    "method": rr.fixed.method,
                    "scores": {ids[i]: float(rr.fixed_scores[i]) for i in range(len(ids))},
                    "order": [ids[i] for i in np.argsort(rr.fixed_ranks, kind="stable")],
                    "reversal_free": rr.fixed.reversal_free,
                },
            },
        }


def default_weight_model(settings: Settings) -> str:
    """ "judgments" when the weights come from AHP judgments, otherwise "dirichlet"."""
    return "judgments" if settings.weight_source == "ahp" else "dirichlet"


def performance_ranges(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """Low and high ends of every score's range, (m, n); NaN where a score has no range."""

    def grid(attr: str) -> np.ndarray:
        values = [
            [getattr(c.scores[leaf], attr) for leaf in problem.leaf_ids] for c in problem.countermeasures
        ]
        return np.array([[np.nan if v is None else v for v in row] for row in values], dtype=float)

    return grid("low"), grid("high")


def judgment_model(problem: Problem, settings: Settings, analysis: Analysis) -> JudgmentWeights:
    """The "judgments" weight model of an analysis: its experts' own judgments, edits kept as edited.

    Raises :class:`InputError` when the weights do not come from AHP judgments.
    """
    if settings.weight_source != "ahp":
        raise InputError(
            "settings",
            "weight_model",
            f"'judgments' perturbs the AHP judgments, but the weights come from a {settings.weight_source}"
            " weight profile; use 'dirichlet' or 'uniform'",
        )
    criteria = problem.criteria
    expert_ids = settings.experts or tuple(e.id for e in criteria.experts)
    shares = expert_weights(criteria, expert_ids, group_weights=dict(settings.group_weights))
    edited = {node_id for node_id, _ in settings.judgment_edits}
    combined = {c.node_id: c.matrix for c in analysis.combined_consistency()}
    matrices: dict[str, np.ndarray] = {}
    weights: dict[str, np.ndarray] = {}
    for node in criteria.judged_nodes:
        if node.id in edited:
            matrices[node.id] = np.asarray(combined[node.id])[None]
            weights[node.id] = np.ones(1)
        else:
            matrices[node.id] = np.stack(
                [judgment_matrix(node, criteria.expert(e).judgments[node.id]) for e in expert_ids]
            )
            weights[node.id] = shares
    return JudgmentWeights(
        goal=criteria.goal,
        matrices=matrices,
        expert_weights=weights,
        method=settings.ahp_method,  # type: ignore[arg-type]
        aggregation=getattr(settings, "aggregation", "judgments"),
    )


# ------------------------------------------------------------------------- verdicts


def _verdicts(problem: Problem, analysis: Analysis, st: Stability, sm: SMAAResult, au: AuditResult) -> tuple:
    index = {cid: i for i, cid in enumerate(problem.alternative_ids)}
    ranks = analysis.primary.ranks
    leaves = problem.leaves
    out = []
    for entry in analysis.ranking:  # one verdict per countermeasure
        i = index[entry.id]
        r = int(ranks[i])
        share = float(sm.acceptability[i, r - 1])
        critical = st.critical_for(i)
        agreeing = int(au.same_rank(i).sum())
        total = len(au.choices)
        if critical is None:
            threshold = None
            shown = None
        else:
            j, limit, side = critical
            threshold = (problem.leaf_ids[j], limit, side)
            shown = (leaves[j].name, limit, float(analysis.weights[j]), side)
        text = verdict_text(
            entry.short,
            rank=r,
            tied=int(np.sum(ranks == r)) > 1,
            share_of_samples=share,
            scores_sampled=sm.performance != "fixed",
            threshold=shown,
            agreeing=agreeing,
            choices=total,
        )
        out.append(
            Verdict(
                id=entry.id,
                rank=r,
                share=share,
                threshold=threshold,
                agreeing=agreeing,
                choices=total,
                text=text,
            )
        )
    return tuple(out)


# --------------------------------------------------------------------------- facade


def analyze(
    problem: Problem,
    settings: Settings | None = None,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    weight_model: str | None = None,
    concentration: float = DEFAULT_CONCENTRATION,
    performance: str = "triangular",
    confidence_samples: int = DEFAULT_CONFIDENCE_SAMPLES,
    chunk_size: int = DEFAULT_CHUNK,
    analysis: Analysis | None = None,
    progress: Progress | None = None,
) -> Robustness:
    """Run every robustness check on one analysis and word the verdicts.

    Parameters
    ----------
    problem : Problem
    settings : Settings, optional
        The analysis settings (default ``Settings()``).
    samples : int, optional
        SMAA samples (default 100,000).
    seed : int, optional
        Seed of the SMAA samples; the same seed gives the same figures.
    weight_model : {"uniform", "judgments", "dirichlet"}, optional
        How weights are sampled: uniformly over all weight vectors; every AHP judgment moved by up
        to one step of the 1-9 scale; or Dirichlet around the current weights. Default:
        :func:`default_weight_model` ("judgments" for AHP weights, else "dirichlet").
    concentration : float, optional
        Dirichlet concentration (default 50: a weight of 0.10 varies with a standard deviation
        of about 0.04).
    performance : {"triangular", "uniform", "fixed"}, optional
        Law of the scores that carry a range (``Score.low``/``high``), mode at the catalogue
        value for "triangular"; "fixed" ignores the ranges.
    confidence_samples, chunk_size : int, optional
        Passed to :func:`engine.robustness.smaa.smaa`.
    analysis : Analysis, optional
        ``run(problem, settings)`` if already at hand.
    progress : callable, optional
        ``progress(done, total)`` after every chunk of SMAA samples (see
        :func:`engine.robustness.smaa.smaa`), most of the study's time.

    Returns
    -------
    Robustness

    Raises
    ------
    InputError
        For an unknown weight or performance model, a non-positive sample count or
        concentration, or the judgments model without AHP weights.
    """
    settings = settings or (analysis.settings if analysis is not None else Settings())
    model_name = weight_model or default_weight_model(settings)
    if model_name not in WEIGHT_MODELS:
        raise InputError(
            "settings", "weight_model", f"expected one of {', '.join(WEIGHT_MODELS)}, got {model_name!r}"
        )
    if performance not in PERFORMANCE_MODELS:
        raise InputError(
            "settings", "performance", f"expected one of {', '.join(PERFORMANCE_MODELS)}, got {performance!r}"
        )
    for name, value in (
        ("samples", samples),
        ("confidence_samples", confidence_samples),
        ("chunk_size", chunk_size),
    ):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise InputError("settings", name, f"expected a positive whole number, got {value!r}")
    if not (isinstance(concentration, (int, float)) and np.isfinite(concentration) and concentration > 0):
        raise InputError("settings", "concentration", f"expected a positive number, got {concentration!r}")

    analysis = analysis if analysis is not None else run(problem, settings)
    x, d = problem.matrix, problem.directions
    w = analysis.weights
    method = settings.method
    norm = analysis.normalization
    v = settings.vikor_v

    model: WeightModel
    if model_name == "uniform":
        model = UniformWeights(len(problem.leaf_ids))
    elif model_name == "dirichlet":
        model = DirichletWeights(w, float(concentration))
    else:
        model = judgment_model(problem, settings, analysis)
    low, high = performance_ranges(problem) if performance != "fixed" else (None, None)
    sm = smaa(
        x,
        d,
        weights=model,
        method=method,
        normalization=norm,
        v=v,
        low=low,
        high=high,
        distribution="uniform" if performance == "uniform" else "triangular",
        samples=int(samples),
        confidence_samples=int(confidence_samples),
        chunk_size=int(chunk_size),
        seed=int(seed),
        progress=progress,
    )
    st = stability_intervals(x, w, d, method=method, normalization=norm, v=v)
    au = audit(x, w, d, reference=Choice(method, norm, "flip"), v=v)
    rr = rank_reversal(x, w, d, problem.bounds, method=method, normalization=norm, v=v)
    return Robustness(
        analysis=analysis,
        stability=st,
        smaa=sm,
        audit=au,
        reversal=rr,
        verdicts=_verdicts(problem, analysis, st, sm, au),
        reversal_note=reversal_note([c.short for c in problem.countermeasures], analysis.settings.method, rr),
        weight_model=model_name,
        concentration=float(concentration) if model_name == "dirichlet" else None,
        performance=sm.performance,
        seed=int(seed),
    )
