"""How firmly does the ranking hold? One call that the CLI, the app and the memo share.

:func:`analyze` runs the analysis, then the four robustness checks on it — weight stability
intervals (:mod:`engine.robustness.stability`), SMAA-2 acceptability (:mod:`engine.robustness.smaa`), the
modelling-choice audit (:mod:`engine.robustness.audit`) and the rank-reversal check
(:mod:`engine.robustness.rank_reversal`) — and turns their figures into one plain verdict per ranked
countermeasure, in Chinese and English.
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
    SMAAResult,
    UniformWeights,
    WeightModel,
    smaa,
)
from engine.robustness.stability import Stability, stability_intervals
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

_ZH_DIGITS = "零一二三四五六七八九"
_EN_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


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
        if self.weight_model == "judgments":
            zh, en = (
                "每项 AHP 判断在 1-9 标度上随机移动至多一级",
                "every AHP judgment moved by up to one step of the 1-9 scale",
            )
        elif self.weight_model == "dirichlet":
            zh = f"以当前权重为中心的狄利克雷分布（集中度 {self.concentration:g}）"
            en = f"Dirichlet around the current weights (concentration {self.concentration:g})"
        else:
            zh, en = "在全部权重组合中均匀抽样", "uniform over all weight vectors"
        if self.performance == "triangular":
            zh += "；带区间的评分按三角分布抽样（众数为目录值）"
            en += "; scores with a range drawn from a triangular law (mode at the catalogue value)"
        elif self.performance == "uniform":
            zh += "；带区间的评分在区间内均匀抽样"
            en += "; scores with a range drawn uniformly within it"
        zh += f"；{self.smaa.samples:,} 次抽样，随机种子 {self.seed}"
        en += f"; {self.smaa.samples:,} samples, seed {self.seed}"
        return Text(zh=zh, en=en)

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


# ------------------------------------------------------------------------- wording


def _zh_number(k: int) -> str:
    if k < 10:
        return _ZH_DIGITS[k]
    if k < 100:
        tens, ones = divmod(k, 10)
        return ("" if tens == 1 else _ZH_DIGITS[tens]) + "十" + (_ZH_DIGITS[ones] if ones else "")
    return str(k)


def _en_ordinal(k: int) -> str:
    if 1 <= k <= len(_EN_ORDINALS):
        return _EN_ORDINALS[k - 1]
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def _pair(limit: float, now: float) -> tuple[str, str]:
    """The threshold and the current weight, with enough decimals to tell them apart.

    Two decimals for weights of 0.1 and more, three below (0.063 rather than 0.06), more only
    when the two would otherwise read the same.
    """
    start = 2 if min(limit, now) >= 0.1 else 3
    for digits in range(start, 5):
        a, b = f"{limit:.{digits}f}", f"{now:.{digits}f}"
        if a != b:
            return a, b
    return f"{limit:.6f}", f"{now:.6f}"


def _percent(share: float) -> str:
    if 0 < share < 0.005:
        return "<1%"
    if 0.995 <= share < 1:
        return ">99%"
    return f"{round(100 * share)}%"


def _verdicts(problem: Problem, analysis: Analysis, st: Stability, sm: SMAAResult, au: AuditResult) -> tuple:
    index = {cid: i for i, cid in enumerate(problem.alternative_ids)}
    ranks = analysis.primary.ranks
    leaves = problem.leaves
    sampled_zh = "权重抽样" if sm.performance == "fixed" else "权重与评分抽样"
    sampled_en = "weight samples" if sm.performance == "fixed" else "weight-and-score samples"
    out = []
    for entry in analysis.ranking:  # one sentence per countermeasure
        i = index[entry.id]
        r = int(ranks[i])
        tied = int(np.sum(ranks == r)) > 1
        share = float(sm.acceptability[i, r - 1])
        place_zh = ("并列第" if tied else "第") + _zh_number(r)
        place_en = ("joint " if tied else "") + _en_ordinal(r)
        critical = st.critical_for(i)
        agreeing = int(au.same_rank(i).sum())
        total = len(au.choices)
        name = entry.short
        if critical is None:
            threshold = None
            hold_zh = f"任何单一准则权重在 0 到 1 之间变化都不改变其{place_zh}位"
            hold_en = f"no change of a single criterion's weight anywhere in 0-1 moves it from {place_en}"
        else:
            j, limit, side = critical
            threshold = (problem.leaf_ids[j], limit, side)
            crit = leaves[j].name
            shown, now = _pair(limit, float(analysis.weights[j]))
            hold_zh = (
                f"除非“{crit.zh}”权重{'高于' if side > 0 else '低于'} {shown}（现为 {now}），"
                f"否则保持{place_zh}"
            )
            hold_en = (
                f"it stays {place_en} unless the weight of “{crit.en}” "
                f"{'rises above' if side > 0 else 'falls below'} {shown} (now {now})"
            )
        zh = (
            f"{name.zh} 排名{place_zh}：在 {_percent(share)} 的{sampled_zh}中排名{place_zh}；"
            f"{hold_zh}；{total} 种建模选择中 {agreeing} 种结论一致。"
        )
        en = (
            f"{name.en} ranks {place_en}: {_percent(share)} of {sampled_en} rank it {place_en}; "
            f"{hold_en}; {agreeing} of {total} modelling choices agree."
        )
        out.append(
            Verdict(
                id=entry.id,
                rank=r,
                share=share,
                threshold=threshold,
                agreeing=agreeing,
                choices=total,
                text=Text(zh=zh, en=en),
            )
        )
    return tuple(out)


def _reversal_note(problem: Problem, analysis: Analysis, rr: RankReversal) -> Text:
    short = [c.short for c in problem.countermeasures]
    method = analysis.settings.method.upper()
    fixed_top = short[int(np.argmin(rr.fixed_ranks))]
    fixed_zh = (
        "固定边界（SPOTIS）模式以各准则的声明量程定理想点，增删对策不影响其余排序，"
        f"其第一为“{fixed_top.zh}”。"
    )
    fixed_en = (
        "The fixed-bounds mode (SPOTIS) takes the ideal point from each criterion's declared scale, "
        f"so adding or removing a countermeasure cannot reorder the others; it ranks “{fixed_top.en}” first."
    )
    if rr.chosen.reversal_free:
        return Text(
            zh=f"删除任一对策，其余对策的相对排序都不变（{method}）。" + fixed_zh,
            en=f"Removing any one countermeasure leaves the order of the others unchanged ({method}). "
            + fixed_en,
        )
    culprits = np.flatnonzero(rr.chosen.changed)
    first = int(culprits[0])
    a, b = rr.chosen.swaps[first][0]
    names_zh = "、".join(f"“{short[i].zh}”" for i in culprits)
    names_en = ", ".join(f"“{short[i].en}”" for i in culprits)
    return Text(
        zh=f"在 {method} 下，删除{names_zh}会改变其余对策的排序（如删除“{short[first].zh}”后"
        f"“{short[a].zh}”与“{short[b].zh}”易位）。" + fixed_zh,
        en=f"Under {method}, removing {names_en} changes the order of the others (removing "
        f"“{short[first].en}” swaps “{short[a].en}” and “{short[b].en}”). " + fixed_en,
    )


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
        reversal_note=_reversal_note(problem, analysis, rr),
        weight_model=model_name,
        concentration=float(concentration) if model_name == "dirichlet" else None,
        performance=sm.performance,
        seed=int(seed),
    )
