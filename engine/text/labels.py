"""The fixed bilingual labels that the CLI tables, the memo and the app share.

One table, ``{key: (zh, en)}``: column headers, directions, weight sources, consistency verdicts,
and the headings and sentence frames of the CLI's reports. A label that several front ends show
has a plain key (``"rank"``); one that only a single command prints is prefixed with it
(``"coach.path"``). ``{fields}`` are filled by :func:`label`, with Python's format specs.

Texts that belong to one page of the app (widget labels, help, page texts) stay in
``ui/i18n/{zh,en}.yaml``; fixed phrases of the memo stay in :mod:`engine.memo.wording`.
Method names live with the method registry, not here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from engine.model import Lang

__all__ = ["LABELS", "label"]

_LABELS: dict[str, tuple[str, str]] = {
    # ranking tables
    "rank": ("排名", "Rank"),
    "rank_n": ("第{r}名", "Rank {r}"),
    "measure": ("对策", "Countermeasure"),
    "score": ("得分", "Score"),
    "lower_better": ("（越小越好）", " (lower is better)"),
    "order": ("排序", "Order"),
    "method": ("方法", "Method"),
    # criteria and weights
    "criterion": ("准则", "Criterion"),
    "weight": ("权重", "Weight"),
    "direction": ("方向", "Direction"),
    "benefit": ("效益型", "benefit"),
    "cost": ("成本型", "cost"),
    "weights_from": ("权重来源", "Weights from"),
    "source_ahp": ("AHP 两两比较（{experts}）", "AHP pairwise comparisons ({experts})"),
    "source_preset": ("预设方案：{name}", "Preset: {name}"),
    "source_manual": ("手动调整", "Set by hand"),
    # AHP judgments and their consistency
    "expert": ("专家", "Expert"),
    "node": ("节点", "Node"),
    "consistent": ("一致", "consistent"),
    "inconsistent": ("不一致，建议先修改", "inconsistent, revise first"),
    "consistent_as_is": ("一致，无需修改", "consistent, nothing to revise"),
    "judgment": ("判断", "Judgment"),
    "now": ("现值", "Now"),
    "proposed": ("建议值", "Proposed"),
    "cr_after": ("修改后CR", "CR after"),
    # experts and stakeholder groups
    "view": ("视角", "View"),
    "everyone": ("全体", "Everyone"),
    "low_high": ("最低—最高", "Low - high"),
    "whose_view_decides": ("谁的观点决定结果", "Whose view decides"),
    "aggregation": ("集结方式", "Aggregation"),
    "aggregation_judgments": ("判断集结（AIJ）", "individual judgments (AIJ)"),
    "aggregation_priorities": ("优先级集结（AIP）", "individual priorities (AIP)"),
    # why a countermeasure ranks where it does
    "pulled_up": ("主要加分项", "Pulled up by"),
    "held_back": ("主要减分项", "Held back by"),
    "score_now": ("现得分", "Score now"),
    "score_needed": ("所需得分", "Score needed"),
    "weight_now": ("现权重", "Weight now"),
    "weight_needed": ("所需权重", "Weight needed"),
    # one change at a time: where one score or one weight alone does not reverse the order,
    # several changes together still may, so the words say "alone", never "impossible"
    "impossible": ("单改此项不够", "not by this score alone"),
    "at_best": ("已是量表最优值", "already the best on its scale"),
    "no_weight": ("单调此项权重不够", "not by this weight alone"),
    "hygiene": ("准则体检", "Criteria hygiene"),
    # the recommendation (engine.recommendation)
    "firmness": ("结论把握程度", "Firmness"),
    "firmness_firm": ("结论稳固", "firm"),
    "firmness_leaning": ("有倾向，尚不稳固", "leaning, not firm"),
    "firmness_contested": ("首位存在争议", "contested"),
    "contender_line": (
        "主要竞争者: {name}（{samples} 次扰动测算中居首 {share}）",
        "Main contender: {name} (first in {share} of {samples} perturbed runs)",
    ),
    # a policy package within a budget
    "value": ("价值", "Value"),
    "outlay": ("成本", "Cost"),
    "chosen": ("入选", "In"),
    "package": ("组合", "Package"),
    # robustness
    "verdicts": ("结论", "Verdicts"),
    "top_interval": ("第一名不变区间", "First place holds"),
    "audit": ("建模选择审计", "Modelling-choice audit"),
    "current": ("（当前）", " (current)"),
    # table cells
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "none": ("—", "-"),
    # policyrank coach
    "coach.triad": ("最矛盾的三元组", "Most contradictory triad"),
    "coach.best": ("单项修改效果（前{k}项）", "Single revisions (top {k})"),
    "coach.path": ("逐步修改至CR<{t}", "Revisions until CR < {t}"),
    "coach.unreached": ("单项修改无法再降低CR", "no single revision lowers CR further"),
    # policyrank explain
    "explain.what": (
        "{c}要超过{l}（{m}得分差{g:.4f}）需要：",
        "For {c} to overtake {l} ({m} score gap {g:.4f}) it needs:",
    ),
    "explain.double": (
        "{a}与{b}高度同向相关（Pearson {p:+.2f}，Spearman {s:+.2f}）：可能重复计分",
        "{a} and {b} move together (Pearson {p:+.2f}, Spearman {s:+.2f}): possible double counting",
    ),
    "explain.tradeoff": (
        "{a}与{b}高度反向相关（Pearson {p:+.2f}，Spearman {s:+.2f}）：二者此消彼长，其权重之比决定结果",
        "{a} and {b} move against each other (Pearson {p:+.2f}, Spearman {s:+.2f}):"
        " a built-in trade-off, their weight ratio decides",
    ),
    "explain.constant": ("{a}上各对策得分相同，不起区分作用", "{a} is the same for every countermeasure"),
    "explain.dominated": ("{a}被{b}占优（各准则均不优于后者）", "{a} is dominated by {b}"),
    "explain.clean": ("未发现问题", "nothing found"),
    # policyrank group
    "group.share": ("权重占比", "Share"),
    "group.first": ("排名第一", "First"),
    "group.mean": ("均值", "Mean"),
    "group.consensus": ("共识度（Kendall W）", "Consensus (Kendall's W)"),
    "group.never": ("权重从0到1，第一名始终为{m}", "from 0 to 1 the first place stays {m}"),
    "group.switch": ("占比约{t:.2f}时第一名由{a}变为{b}", "at a share of about {t:.2f}, {a} → {b}"),
    "group.now": ("当前占比{t:.2f}", "current share {t:.2f}"),
    # policyrank package
    "package.summary": (
        "预算{b:g}{u}：选{k}项对策，合计价值{v:.3f}，花费{c:g}{u}（结余{left:g}）",
        "Budget {b:g} ({u}): {k} countermeasures, total value {v:.3f}, cost {c:g} ({left:g} left)",
    ),
    "package.basis": (
        "价值 = {b}得分（可加总）；成本 = 准则“{c}”",
        "Value = {b} score (adds up); cost = criterion '{c}'",
    ),
    "package.frontier": ("有效前沿（预算—最优价值）", "Efficient frontier (budget - best value)"),
    "package.budget": ("预算", "Budget"),
    "package.best": ("最优价值", "Best value"),
    "package.spent": ("花费", "Spent"),
    "package.infeasible": ("（规则无法满足）", "(rules cannot be met)"),
    # policyrank robustness
    "robustness.header": ("方法：{method}\n抽样：{sampling}", "Method: {method}\nSampling: {sampling}"),
    "robustness.acceptability": (
        "排名可接受度（SMAA-2，各名次的抽样占比）",
        "Rank acceptability (SMAA-2)",
    ),
    "robustness.confidence": ("置信因子", "Confidence"),
    "robustness.holistic": ("综合可接受度", "Holistic"),
    "robustness.stability": (
        "权重稳定区间（单一准则权重变化）",
        "Weight stability intervals (one weight at a time)",
    ),
    "robustness.below": ("低于下限时第一", "First below"),
    "robustness.above": ("高于上限时第一", "First above"),
    "robustness.order_interval": ("全序不变区间", "Whole order holds"),
    "robustness.choice": ("选择", "Choice"),
    "robustness.same_top": ("第一相同", "Same first"),
    "robustness.skipped": ("不适用", "not applicable"),
    "robustness.consensus": ("共识排序", "Consensus order"),
    "robustness.reversal": ("排序逆转检验", "Rank reversal"),
}
LABELS: Mapping[str, tuple[str, str]] = MappingProxyType(_LABELS)


def label(key: str, lang: Lang, **fields: object) -> str:
    """The label ``key`` in ``lang``, with ``{fields}`` filled in."""
    text = LABELS[key][1 if lang == "en" else 0]
    return text.format(**fields) if fields else text
