"""The robustness study in plain words, in Chinese and English.

:mod:`engine.robustness.study` computes the figures; this module turns them into the sentences
that the CLI, the app and the memo show: one verdict per countermeasure, what the rank-reversal
checks found, and how the samples were drawn. Numbers are written through :mod:`engine.text`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from engine.model import Text
from engine.robustness.rank_reversal import RankReversal
from engine.text import join_list, ordinal, share

__all__ = ["distinct_pair", "reversal_note", "sampling_text", "verdict_text"]


def distinct_pair(limit: float, now: float) -> tuple[str, str]:
    """A weight threshold and the current weight, with enough decimals to tell them apart.

    Two decimals for weights of 0.1 and more, three below (0.063 rather than 0.06), more only
    when the two would otherwise read the same.
    """
    start = 2 if min(limit, now) >= 0.1 else 3
    for digits in range(start, 5):
        a, b = f"{limit:.{digits}f}", f"{now:.{digits}f}"
        if a != b:
            return a, b
    return f"{limit:.6f}", f"{now:.6f}"


def verdict_text(
    name: Text,
    *,
    rank: int,
    tied: bool,
    share_of_samples: float,
    scores_sampled: bool,
    threshold: tuple[Text, float, float, int] | None,
    agreeing: int,
    choices: int,
) -> Text:
    """How firmly one countermeasure holds its place, in one sentence per language.

    Parameters
    ----------
    name : Text
        The countermeasure's short name.
    rank, tied : int, bool
        Its place, and whether it shares it.
    share_of_samples : float
        Share of SMAA samples that give it this place.
    scores_sampled : bool
        Whether the scores were sampled along with the weights.
    threshold : tuple or None
        ``(criterion name, limit, current weight, side)`` of the smallest single-weight change
        that moves it (side +1: above the limit, -1: below); None if none does.
    agreeing, choices : int
        How many of the audited modelling choices give it the same place, out of how many.
    """
    place_zh = ("并列" if tied else "") + ordinal(rank, "zh")
    place_en = ("joint " if tied else "") + ordinal(rank, "en")
    sampled_zh = "权重与评分抽样" if scores_sampled else "权重抽样"
    sampled_en = "weight-and-score samples" if scores_sampled else "weight samples"
    if threshold is None:
        hold_zh = f"任何单一准则权重在 0 到 1 之间变化都不改变其{place_zh}位"
        hold_en = f"no change of a single criterion's weight anywhere in 0-1 moves it from {place_en}"
    else:
        criterion, limit, now, side = threshold
        shown, current = distinct_pair(limit, now)
        hold_zh = (
            f"除非“{criterion.zh}”权重{'高于' if side > 0 else '低于'} {shown}（现为 {current}），"
            f"否则保持{place_zh}"
        )
        hold_en = (
            f"it stays {place_en} unless the weight of “{criterion.en}” "
            f"{'rises above' if side > 0 else 'falls below'} {shown} (now {current})"
        )
    shown_share = share(share_of_samples)
    return Text(
        zh=f"{name.zh} 排名{place_zh}：在 {shown_share} 的{sampled_zh}中排名{place_zh}；"
        f"{hold_zh}；{choices} 种建模选择中 {agreeing} 种结论一致。",
        en=f"{name.en} ranks {place_en}: {shown_share} of {sampled_en} rank it {place_en}; "
        f"{hold_en}; {agreeing} of {choices} modelling choices agree.",
    )


def reversal_note(short_names: Sequence[Text], method: str, found: RankReversal) -> Text:
    """What removing a countermeasure does to the order of the others, and the fixed-bounds order.

    ``short_names`` are in the problem's order; ``method`` is the analysis method's id.
    """
    shown_method = method.upper()
    fixed_top = short_names[int(np.argmin(found.fixed_ranks))]
    fixed_zh = (
        "固定边界（SPOTIS）模式以各准则的声明量程定理想点，增删对策不影响其余排序，"
        f"其第一为“{fixed_top.zh}”。"
    )
    fixed_en = (
        "The fixed-bounds mode (SPOTIS) takes the ideal point from each criterion's declared scale, "
        f"so adding or removing a countermeasure cannot reorder the others; it ranks “{fixed_top.en}” first."
    )
    if found.chosen.reversal_free:
        return Text(
            zh=f"删除任一对策，其余对策的相对排序都不变（{shown_method}）。" + fixed_zh,
            en=f"Removing any one countermeasure leaves the order of the others unchanged ({shown_method}). "
            + fixed_en,
        )
    culprits = [int(i) for i in np.flatnonzero(found.chosen.changed)]
    first = culprits[0]
    a, b = found.chosen.swaps[first][0]
    names_zh = join_list([f"“{short_names[i].zh}”" for i in culprits], "zh")
    names_en = join_list([f"“{short_names[i].en}”" for i in culprits], "en")
    return Text(
        zh=f"在 {shown_method} 下，删除{names_zh}会改变其余对策的排序（如删除“{short_names[first].zh}”后"
        f"“{short_names[a].zh}”与“{short_names[b].zh}”易位）。" + fixed_zh,
        en=f"Under {shown_method}, removing {names_en} changes the order of the others (removing "
        f"“{short_names[first].en}” swaps “{short_names[a].en}” and “{short_names[b].en}”). " + fixed_en,
    )


def sampling_text(
    weight_model: str, concentration: float | None, performance: str, samples: int, seed: int
) -> Text:
    """How the SMAA samples were drawn, in words."""
    if weight_model == "judgments":
        zh, en = (
            "每项 AHP 判断在 1-9 标度上随机移动至多一级",
            "every AHP judgment moved by up to one step of the 1-9 scale",
        )
    elif weight_model == "dirichlet":
        zh = f"以当前权重为中心的狄利克雷分布（集中度 {concentration:g}）"
        en = f"Dirichlet around the current weights (concentration {concentration:g})"
    else:
        zh, en = "在全部权重组合中均匀抽样", "uniform over all weight vectors"
    if performance == "triangular":
        zh += "；带区间的评分按三角分布抽样（众数为目录值）"
        en += "; scores with a range drawn from a triangular law (mode at the catalogue value)"
    elif performance == "uniform":
        zh += "；带区间的评分在区间内均匀抽样"
        en += "; scores with a range drawn uniformly within it"
    zh += f"；{samples:,} 次抽样，随机种子 {seed}"
    en += f"; {samples:,} samples, seed {seed}"
    return Text(zh=zh, en=en)
