# ruff: noqa: E501  (bilingual sample prose: one sentence a line reads better than split literals)
"""Representative memos built by hand from the document types: every block type, a long table,
a chart of each kind, user text with markup characters. Used by the renderer tests and by
``benchmarks/memo.py``."""

from __future__ import annotations

import datetime as dt

import numpy as np

from engine.memo.document import (
    Bullets,
    Chart,
    Colophon,
    Heading,
    Masthead,
    Memo,
    Paragraph,
    Preformatted,
    Series,
    Signature,
    Table,
    Title,
)
from engine.model import Lang

DAY = dt.date(2025, 3, 4)
NASTY = "<script>alert('x')</script> **bold** | $x$ `rm` [link](http://e.x) &amp;"

MEASURES = {
    "zh": (
        "人才安居与回流计划",
        "产业链补链强链",
        "政策兑现快速通道",
        "国资基金跟投",
        "科创平台共建",
        "营商环境专项整治",
        "校友招商",
    ),
    "en": (
        "Keeping firms and talent",
        "Filling supply-chain gaps",
        "Fast-track policy delivery",
        "State fund co-investment",
        "Shared innovation platforms",
        "Business environment drive",
        "Alumni investment network",
    ),
}
SHARES = (0.46, 0.27, 0.14, 0.07, 0.04, 0.02, 0.0)
SCORES = (0.712, 0.655, 0.618, 0.571, 0.533, 0.498, 0.401)


def _sweep(count: int) -> tuple[tuple[float, ...], tuple[tuple[float, ...], ...]]:
    x = np.linspace(0.0, 1.0, 21)
    slopes = np.array([-0.35, 0.25, 0.05, -0.1, 0.3, -0.2, 0.0])[:count]
    start = np.array(SCORES[:count]) - slopes * 0.22
    lines = start[:, None] + slopes[:, None] * x[None, :]
    return tuple(float(v) for v in x), tuple(tuple(float(v) for v in row) for row in lines)


def sample_memo(lang: Lang = "zh", *, mark: bool = True, nasty: bool = False) -> Memo:
    zh = lang == "zh"

    def t(a: str, b: str) -> str:
        return a if zh else b

    names = MEASURES[lang]
    user = NASTY if nasty else names[0]
    first = Chart(
        kind="first_shares",
        labels=names,
        series=(
            Series(
                name=t("居首比例", "Share of first places"),
                values=SHARES,
                low=tuple(max(0.0, s - 0.05) for s in SHARES),
                high=tuple(min(1.0, s + 0.06) for s in SHARES),
            ),
        ),
        caption=t(
            "图1　2000次扰动测算中各对策居首的比例",
            "Figure 1. How often each countermeasure came first in 2,000 perturbed runs",
        ),
        alt=t("各对策居首比例：", "Share of first places: ")
        + ", ".join(f"{n} {s:.0%}" for n, s in zip(names, SHARES, strict=True)),
        axis=t("居首比例", "Share of first places"),
        percent=True,
    )
    scores = Chart(
        kind="first_shares",
        labels=names,
        series=(
            Series(
                name=t("综合得分", "Score"),
                values=SCORES,
                low=tuple(s - 0.04 for s in SCORES),
                high=tuple(s + 0.03 for s in SCORES),
            ),
        ),
        caption=t(
            "附图2　各对策综合得分及其估算区间（越高越好）",
            "Annex figure 2. Scores and the range the estimates allow",
        ),
        alt=t("综合得分：", "Scores: ")
        + ", ".join(f"{n} {s:.2f}" for n, s in zip(names, SCORES, strict=True)),
        axis=t("综合得分", "Score"),
    )
    criteria = t(
        "人才吸引力,产业链完整度,政策兑现速度,财政成本,实施风险,见效时间",
        "Talent pull,Chain completeness,Policy speed,Fiscal cost,Risk,Time to effect",
    ).split(",")
    weights = (0.28, 0.22, 0.18, 0.14, 0.10, 0.08)
    weight_chart = Chart(
        kind="weights",
        labels=tuple(criteria),
        series=(Series(name=t("权重", "Weight"), values=weights),),
        caption=t("附图1　各指标权重", "Annex figure 1. Criterion weights"),
        alt=t("各指标权重：", "Criterion weights: ")
        + ", ".join(f"{c} {w:.0%}" for c, w in zip(criteria, weights, strict=True)),
        axis=t("权重", "Weight"),
        percent=True,
    )
    x, lines = _sweep(len(names))
    sensitivity = Chart(
        kind="sensitivity",
        labels=names,
        series=tuple(Series(name=n, values=v) for n, v in zip(names, lines, strict=True)),
        caption=t(
            "附图3　人才吸引力权重变化时各对策的得分（竖线为现权重）",
            "Annex figure 3. Scores as the weight of talent pull changes",
        ),
        alt=t(
            "人才吸引力权重由0升至1时各对策得分的变化；现权重28%",
            "Scores as the weight of talent pull goes from 0 to 1; now 28%",
        ),
        x=x,
        marker=0.28,
        axis=t("TOPSIS贴近度", "TOPSIS closeness"),
    )
    evidence_rows = tuple(
        (
            f"F{i:02d}",
            t(
                f"上海政策兑现周期约45天，武汉约97天；第{i}条引用说明企业外迁的主要诱因与时间线",
                f"Shanghai delivers policy in about 45 days, Wuhan in 97; fact {i} on why firms moved and when",
            ),
            t("原文第二部分", "Source, part 2"),
        )
        for i in range(1, 41)
    )
    brief = (
        Heading(t("核心观点", "Key points")),
        Bullets(
            (
                Paragraph(
                    t(
                        f"优先实施“{user}”，在七项对策中综合排名第一，扰动测算中居首比例约46%，领先第二名约19个百分点。",
                        f"Start with “{user}”: it ranks first of seven and came first in about 46% of perturbed runs, 19 points ahead of the next.",
                    ),
                    t("一是", "First, "),
                ),
                Paragraph(
                    t(
                        "理由在于人才净流出12%、政策兑现周期97天，是企业外迁的两大直接诱因，该对策同时回应二者。",
                        "Why: a 12% net outflow of senior talent and a 97-day policy cycle are the two direct causes of firms leaving, and it answers both.",
                    ),
                    t("二是", "Second, "),
                ),
                Paragraph(
                    t(
                        "把握程度较高但非确定：若财政成本权重提高到35%以上，排序第二的“产业链补链强链”将居首。",
                        "Fairly firm but not certain: if fiscal cost weighed more than 35%, “Filling supply-chain gaps” would come first.",
                    ),
                    t("三是", "Third, "),
                ),
                Paragraph(
                    t(
                        "年度投入约2.3亿元，主要为安居补贴和平台运营经费。",
                        "It costs about CNY 230 million a year, mostly housing grants and platform running costs.",
                    ),
                    t("四是", "Fourth, "),
                ),
            ),
            style="plain",
        ),
        Heading(t("一、形势研判", "1. The situation")),
        Paragraph(
            t(
                "近年来，上海、深圳、苏州、合肥等城市以“反向招商”方式吸引武汉优质企业、团队和项目外迁。"
                "从原文列举的案例看，外迁集中在光电子、生物医药和新能源汽车三个领域，既有整体搬迁，也有研发中心、"
                "核心团队的“拆分式”转移。其直接诱因是资源落差、政策兑现慢和产业链配套不足，深层原因在于本地产业结构与"
                "企业成长阶段的需求错配。Keeping firms and talent is the first test of the 2025 plan.",
                "In recent years Shanghai, Shenzhen, Suzhou and Hefei have drawn Wuhan's best firms, teams and projects away "
                "through reverse investment promotion. The cases in the source cluster in optoelectronics, biomedicine and new-energy "
                "vehicles, and range from whole relocations to research centres and core teams moving on their own. "
                "The direct causes are the resource gap, slow policy delivery and missing suppliers; underneath lies a mismatch "
                "between the local industrial structure and what growing firms need.",
            )
        ),
        Paragraph(
            t(
                "外迁企业普遍反映，补贴兑现需经多个部门审核，平均周期97天，而上海为45天。这一差距在企业估值和融资节点上被放大，"
                "往往成为决策的最后一根稻草。与此同时，高层次人才净流出约12%，部分团队带走关键技术和客户。",
                "Firms that left say grants pass through several departments and take 97 days on average, against 45 in Shanghai. "
                "The gap is magnified at valuation and funding milestones and often tips the decision. Meanwhile about 12% of senior "
                "talent has left on balance, some teams taking key technology and customers with them.",
            ),
            t("企业反映：", "What firms say: "),
        ),
        Heading(t("二、对策建议", "2. Recommendations")),
        Heading(t(f"（一）{user}", f"(1) {user}"), level=2),
        Paragraph(
            t(
                "一是对重点企业核心团队提供人才公寓和子女入学保障；二是设立回流人才专项计划；三是建立外迁预警名单，季度走访。",
                "First, housing and school places for the core teams of key firms; second, a scheme for returning talent; third, an early-warning list of firms at risk, visited every quarter.",
            ),
            t("主要举措：", "Actions: "),
        ),
        Paragraph(
            t(
                "建议由市人才办牵头，市住建局、市教育局配合，6个月内出台实施细则。",
                "Led by the city talent office with housing and education, rules within six months.",
            ),
            t("牵头单位：", "Lead unit: "),
        ),
        Paragraph(
            t(
                "年度约2.3亿元；主要风险是补贴被套利，需设服务年限约束。",
                "About CNY 230 million a year; the main risk is grant arbitrage, so tie grants to years of service.",
            ),
            t("投入与风险：", "Cost and risk: "),
        ),
        Heading(t("（二）产业链补链强链", "(2) Filling supply-chain gaps"), level=2),
        Bullets(
            (
                Paragraph(
                    t(
                        "梳理光电子、生物医药产业链断点清单；",
                        "List the missing links in optoelectronics and biomedicine;",
                    )
                ),
                Paragraph(
                    t(
                        "对补链项目实行“一事一议”，运行 `policyrank memo --robustness` 复核排序；",
                        "Negotiate each gap-filling project case by case and rerun `policyrank memo --robustness`;",
                    )
                ),
                Paragraph(
                    t(
                        "以国资基金跟投稳定关键配套企业。",
                        "Stabilise key suppliers with state fund co-investment.",
                    )
                ),
            ),
            style="numbered",
        ),
        Table(
            header=(
                t("对策", "Countermeasure"),
                t("年度投入", "Annual cost"),
                t("牵头单位", "Lead unit"),
                t("时限", "Timeframe"),
            ),
            rows=tuple(
                (n, t(f"{c}亿元", f"CNY {c} bn"), t(u, ue), t(f"{m}个月", f"{m} months"))
                for n, c, u, ue, m in zip(
                    names[:4],
                    ("2.3", "1.8", "0.4", "3.0"),
                    ("市人才办", "市经信局", "市政务服务局", "市国资委"),
                    (
                        "City talent office",
                        "Economy and IT bureau",
                        "Government services bureau",
                        "State assets commission",
                    ),
                    (6, 12, 3, 9),
                    strict=True,
                )
            ),
            caption=t(
                "表1　推荐对策的投入、牵头单位与时限",
                "Table 1. Cost, lead unit and timeframe of the recommended countermeasures",
            ),
            numeric=(False, True, False, True),
            widths=(4, 2, 3, 1.6),
        ),
        Heading(t("三、把握程度", "3. How sure we are")),
        Paragraph(
            t(
                "在2000次随机调整权重和评分的测算中，“人才安居与回流计划”有约46%的情况排在首位，"
                "明显高于其他对策；只有在大幅提高财政成本权重时排序才会改变。总体判断：较为稳固。",
                "Across 2,000 runs with weights and scores varied at random, the leading option came first about 46% of the time, "
                "well ahead of the others; only a much heavier weight on fiscal cost changes the order. On balance: fairly firm.",
            )
        ),
        first,
        Signature(
            lines=(
                t("武汉市发展研究中心", "Wuhan Development Research Centre"),
                t("2025年3月4日", "4 March 2025"),
            )
        ),
        Colophon(
            lines=(
                t(
                    "抄送：市委办公厅，市人大常委会办公厅，市政协办公厅。",
                    "Copies to: the municipal Party committee office, the people's congress and the CPPCC.",
                ),
                t(
                    "武汉市发展研究中心　　2025年3月4日印发",
                    "Issued by Wuhan Development Research Centre, 4 March 2025",
                ),
            )
        ),
    )
    annex = (
        Heading(t("附件　技术说明", "Annex: technical notes")),
        Heading(t("一、各方法下的排序", "A1. Ranking under every method")),
        Table(
            header=(t("对策", "Countermeasure"), "TOPSIS", "WSM", "VIKOR Q", "PROMETHEE"),
            rows=tuple(
                (n, f"{s:.4f}", f"{s * 0.9:.4f}", f"{1 - s:.4f}", f"{s - 0.5:+.4f}")
                for n, s in zip(names, SCORES, strict=True)
            ),
            caption=t("附表1　各方法下的名次与得分", "Annex table 1. Rank and score under each method"),
            numeric=(False, True, True, True, True),
            widths=(4, 1.5, 1.5, 1.5, 1.8),
        ),
        scores,
        Heading(t("二、权重及其来源", "A2. Weights and where they come from")),
        weight_chart,
        Paragraph(
            t(
                "权重由三位专家的两两比较判断按几何平均合成，λmax = 6.21，CR = 0.034。",
                "Weights combine three experts' pairwise judgments by geometric mean; λmax = 6.21, CR = 0.034.",
            )
        ),
        Heading(t("三、稳健性", "A3. Robustness")),
        sensitivity,
        Heading(t("四、引用事实", "A4. Facts cited")),
        Table(
            header=(t("编号", "Id"), t("事实", "Fact"), t("出处", "Where")),
            rows=evidence_rows,
            caption=t("附表2　引用事实", "Annex table 2. Facts cited"),
            widths=(1, 6, 2),
        ),
        Bullets(
            (
                Paragraph(
                    t(
                        "原文为公开发表的调研文章，未署标题。",
                        "The source is a published field study without a title.",
                    )
                ),
                Paragraph(
                    t("评分理由逐条对应事实编号。", "Every score's reason names its fact ids."),
                    t("说明：", "Note: "),
                ),
            ),
            style="bullet",
        ),
        Heading(
            t("五、完整设置与复现命令", "A5. Exact settings and the command that reproduces the ranking")
        ),
        Preformatted(
            "method: topsis\nnormalization: vector\nweights:\n  talent: 0.28   # 人才吸引力\n  chain: 0.22\nrobustness:\n  samples: 2000\n  seed: 20250304\n",
            "yaml",
        ),
        Preformatted(
            "policyrank memo --criteria criteria/wuhan.yaml --data data/countermeasures.yaml --robustness --samples 2000 --seed 20250304 --format pdf --output memo.pdf",
            "shell",
        ),
    )
    return Memo(
        lang=lang,
        date=DAY,
        masthead=Masthead(
            name=t("决策参考", "Policy Brief"),
            issue=t("第12期", "No. 12"),
            publisher=t("武汉市发展研究中心", "Wuhan Development Research Centre"),
            date=t("2025年3月4日", "4 March 2025"),
            mark=t("内部资料　注意保存", "Internal: keep safe") if mark else "",
        ),
        title=Title(
            text=t(
                f"应优先实施{user}以遏制优质企业外迁", f"Start with {user} to stop the best firms leaving"
            ),
            subtitle=t(
                "——武汉应对“反向招商”的对策排序", "Ranking Wuhan's answers to reverse investment promotion"
            ),
        ),
        brief=brief,
        annex=annex,
    )
