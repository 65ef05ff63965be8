"""``build_memo(analysis) -> Memo``: the content of a ranked policy memo, written once.

The memo follows the form of a Chinese policy brief (决策参考): masthead and title, 核心观点,
then 一、形势研判, 二、对策排序, 三、对策建议, 四、稳健性, 五、方法与权重 and an appendix holding
the exact settings, the input fingerprints and the command that reproduces the ranking. English
memos carry the same content with English names, summaries and reasons only.
"""

from __future__ import annotations

import datetime as dt
import shlex
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import yaml

from engine.analysis import COMBINED, Analysis
from engine.insight.portfolio import Package, Rules
from engine.load import DEFAULT_CRITERIA, DEFAULT_DATA, DEFAULT_EVIDENCE, display_path
from engine.mcda.methods import METHODS
from engine.mcda.registry import get
from engine.memo.blocks import Block, Bullets, Heading, Memo, Paragraph, Preformatted, Table, Title
from engine.memo.decisions import order_conditions, package_section
from engine.memo.drivers import Drivers, drivers
from engine.memo.wording import (
    CJK,
    METHOD_NAMES,
    METHOD_SHORT,
    NORMALIZATION_NAMES,
    SCORE_MEANINGS,
    SCORE_NAMES,
    citation,
    pick,
    quoted,
    sentence_end,
    strip_end,
    subheading,
    word,
)
from engine.model import Lang, Score, Text
from engine.robustness.study import Robustness
from engine.text import amount, date, join_and, join_list, label, number, percent, score, value_text

PROFILE_FILE = "memo-weights.yaml"
MAX_THREAT_CRITERIA = 5
FACTS_PER_CRITERION = 2
MAX_BENCHMARKS = 3
# A lead smaller than this share of the best-to-worst spread is "almost level" ...
NARROW_GAP = 0.03
# ... and one of at least this share is a clear lead.
CLEAR_GAP = 0.10


@runtime_checkable
class RobustnessNotes(Protocol):
    """What a robustness study contributes to a memo.

    ``verdicts`` are whole sentences, most important first (the first one also goes into 核心观点);
    ``figures`` are ``(label, formatted value)`` pairs shown as a small table. Any object with these
    two attributes fits, so a robustness module can hand over its own result type.
    """

    @property
    def verdicts(self) -> Sequence[Text]: ...

    @property
    def figures(self) -> Sequence[tuple[Text, str]]: ...


@dataclass(frozen=True)
class RobustnessSummary:
    """A plain :class:`RobustnessNotes`."""

    verdicts: tuple[Text, ...] = ()
    figures: tuple[tuple[Text, str], ...] = ()


class _Writer:
    """Shared state while one memo is written: language, explanation, table numbering."""

    def __init__(self, analysis: Analysis, lang: Lang) -> None:
        self.analysis = analysis
        self.problem = analysis.problem
        self.lang: Lang = lang
        self.why: Drivers = drivers(analysis)
        self.entries = analysis.ranking
        self.tables = 0
        self.cited: set[str] = set()
        self.end = sentence_end(lang)

    # ----------------------------------------------------------------- small helpers

    def w(self, key: str, **fields: object) -> str:
        return word(key, self.lang, **fields)

    def label(self, key: str) -> str:
        return label(key, self.lang)

    def name(self, row: int) -> str:
        return quoted(self.entries[row].name.get(self.lang), self.lang)

    def caption(self, key: str) -> str:
        self.tables += 1
        return self.w(key, n=self.tables)

    def cite(self, facts: Sequence[str]) -> str:
        self.cited.update(facts)
        return citation(facts)

    @property
    def method(self) -> str:
        return self.analysis.settings.method

    @property
    def score_name(self) -> str:
        return pick(SCORE_NAMES[self.method], self.lang)

    def scored(self, row: int) -> str:
        """ "TOPSIS贴近度0.7120" / "TOPSIS closeness 0.7120"."""
        shown = score(self.entries[row].score)
        short = METHOD_SHORT[self.method]
        if self.lang == "en":
            return f"{short} {self.score_name} {shown}"
        return f"{short}{self.score_name}{shown}"

    def criterion_value(self, row: int, column: int, *, brief: bool = False) -> str:
        """ "产业链完整度（8分）"; ``brief`` leaves out estimate notes and ranges."""
        leaf = self.problem.leaves[column]
        item = self.problem.countermeasures[int(self.why.order[row])]
        value = value_text(item.scores[leaf.id], leaf, self.lang, brief=brief)
        label = leaf.name.get(self.lang)
        return f"{label} ({value})" if self.lang == "en" else f"{label}（{value}）"

    def versus_average(self, row: int, column: int) -> str:
        """ "风险（2分，7项平均4.9分）": the value next to the average over all countermeasures."""
        leaf = self.problem.leaves[column]
        item = self.problem.countermeasures[int(self.why.order[row])]
        value = value_text(item.scores[leaf.id], leaf, self.lang, brief=True)
        mean = float(self.problem.matrix[:, column].mean())
        average = value_text(Score(round(mean, 1), Text("", ""), ()), leaf, self.lang, brief=True)
        m = len(self.entries)
        label = leaf.name.get(self.lang)
        if self.lang == "en":
            if label[1:2].islower():
                label = label[0].lower() + label[1:]
            if leaf.quantitative:
                value = amount(item.scores[leaf.id].value, leaf, self.lang)
            return f"{label} ({value} vs. an average of {average})"
        return f"{label}（{value}，{m}项平均{average}）"

    def criterion_reason(self, row: int, column: int) -> Paragraph:
        leaf = self.problem.leaves[column]
        item = self.problem.countermeasures[int(self.why.order[row])]
        score = item.scores[leaf.id]
        lead = self.criterion_value(row, column) + (": " if self.lang == "en" else "：")
        return Paragraph(f"{strip_end(score.why.get(self.lang))} {self.cite(score.evidence)}{self.end}", lead)

    def settings_label(self) -> str:
        """Where the weights come from, in a few words."""
        settings = self.analysis.settings
        problem = self.problem
        if settings.weight_source == "preset":
            try:
                preset_name = problem.preset(settings.preset or "").name.get(self.lang)
            except KeyError:
                preset_name = settings.preset or ""
            return f"preset “{preset_name}”" if self.lang == "en" else f"预设方案“{preset_name}”"
        if settings.weight_source == "manual":
            return "weights set by hand" if self.lang == "en" else "手动设定的权重"
        experts = len(settings.experts or problem.criteria.experts)
        if self.lang == "en":
            return f"AHP pairwise judgments of {experts} expert{'s' if experts != 1 else ''}"
        return f"{experts}位专家的AHP两两比较判断"

    def lead_quality(self, row: int) -> str:
        share = self.why.relative_gap(row)
        if share >= CLEAR_GAP:
            return "a clear lead" if self.lang == "en" else "优势明显"
        if share >= NARROW_GAP:
            return "a modest lead" if self.lang == "en" else "优势有限"
        return (
            "almost level, so the order is sensitive to the weights"
            if self.lang == "en"
            else "几乎持平，次序对权重较为敏感"
        )

    # ----------------------------------------------------------------------- sections

    def title(self, today: dt.date) -> Title:
        evidence = self.problem.evidence
        publisher = evidence.publisher
        source = evidence.title.get(self.lang)
        day = date(today, self.lang)
        if publisher and not (self.lang == "en" and CJK.search(publisher)):
            byline = self.w("byline", date=day, source=source, publisher=publisher)
        else:
            byline = self.w("byline_plain", date=day, source=source)
        return Title(
            masthead=self.w("masthead"),
            text=self.w("title", name=self.problem.criteria.name.get(self.lang)),
            byline=byline,
        )

    def key_points(self, robustness: RobustnessNotes | Robustness | None) -> list[Block]:
        entries, lang, why = self.entries, self.lang, self.why
        m = len(entries)
        top = min(3, m)
        names = [self.name(i) for i in range(m)]
        method = METHOD_SHORT[self.method]
        points: list[str] = []

        # 1. what to do
        if m == 1:
            points.append(
                f"Only one countermeasure was assessed: {names[0]} ({self.scored(0)})."
                if lang == "en"
                else f"本次仅评估一项对策{names[0]}（{self.scored(0)}）。"
            )
        else:
            scores = [score(entries[i].score) for i in range(top)]
            places = [str(entries[i].rank) for i in range(top)]
            points.append(
                f"Lead with {names[0]} and pursue {join_and(names[1:top], lang)} alongside it: of {m} "
                f"countermeasures they rank {join_and(places, lang)} ({method} {self.score_name} "
                f"{join_and(scores, lang)})."
                if lang == "en"
                else f"建议以{names[0]}为首要抓手，同步推进{join_and(names[1:top], lang)}："
                f"在{m}项对策中分列第{join_list(places, lang)}位"
                f"（{method}{self.score_name}分别为{join_list(scores, lang)}）。"
            )

        # 2. why the first one leads
        strong, weak = why.strongest(0), why.weakest(0, 1)
        if strong:
            values = join_and([self.versus_average(0, j) for j in strong], lang)
            if lang == "en":
                text = f"{names[0]} leads on {values}"
                text += f"; its weak spot is {self.versus_average(0, weak[0])}." if weak else "."
            else:
                text = f"{names[0]}的领先主要来自{values}"
                text += f"；短板是{self.versus_average(0, weak[0])}。" if weak else "。"
            points.append(text)

        # 3. what the runners-up add
        if m >= 2:
            parts, shared = [], []
            for row in range(1, top):
                best = why.strongest(row, 1)
                if best:
                    parts.append(
                        f"{names[row]} is strongest on {self.versus_average(row, best[0])}"
                        if lang == "en"
                        else f"{names[row]}长于{self.versus_average(row, best[0])}"
                    )
                    shared.append(best[0] in strong)
            overlap = "all" if all(shared) else "none" if not any(shared) else "some"
            if parts:
                if lang == "en":
                    tail = {
                        "all": ", much like the lead measure",
                        "none": ", which complements the lead measure",
                    }.get(overlap, "")
                    points.append(join_and(parts, lang) + tail + ".")
                else:
                    tail = {"all": "，与首选对策优势相近", "none": "，可与首选对策形成互补"}.get(overlap, "")
                    points.append("，".join(parts) + tail + "。")

        # 4. how firm the order is
        if m >= 2:
            points.append(self.firmness(names, top))
        if robustness is not None:
            first = _first_verdict(robustness)
            if first is not None:
                points.append(first.get(lang))

        # 5. what not to lead with
        if m >= 4:
            last = m - 1
            weak = why.weakest(last, 1)
            if weak:
                drag = self.versus_average(last, weak[0])
                points.append(
                    f"{names[last]} ranks last ({score(entries[last].score)}), held back mainly by "
                    f"{drag}; under these weights it should not be the main line of action."
                    if lang == "en"
                    else f"{names[last]}排名末位（{score(entries[last].score)}），"
                    f"主要受{drag}拖累，在当前权重下不宜作为主攻方向。"
                )
        return [Heading(self.w("key_points")), Bullets(tuple(Paragraph(p) for p in points[:5]))]

    def firmness(self, names: Sequence[str], top: int) -> str:
        """One sentence on the lead's margin and on what the other methods put first."""
        lang, why = self.lang, self.why
        k = len(METHODS)
        gap = score(float(why.gaps[0]))
        firsts = why.method_ranks[0] == 1
        others = [
            c for c in range(k) if METHODS[c] != self.method and not firsts[c]
        ]  # methods that put someone else first
        rivals = Counter(int(np.flatnonzero(why.method_ranks[:, c] == 1)[0]) for c in others)
        same_top = len(names) > top and bool((why.method_ranks[:top] <= top).all())
        if lang == "en":
            text = f"{names[0]} is {gap} ahead of the runner-up ({self.lead_quality(0)})"
            if not others:
                text += f"; all {k} scoring methods put it first."
            else:
                rival, count = rivals.most_common(1)[0]
                put = "puts" if int(firsts.sum()) == 1 else "put"
                text += (
                    f"; {int(firsts.sum())} of {k} scoring methods {put} it first, while {count} "
                    f"put{'s' if count == 1 else ''} {names[rival]} first."
                )
            if others and same_top:
                text += (
                    f" The same {top} countermeasures lead under every method: treat them as one first tier."
                )
            return text
        text = f"{names[0]}领先第二位{gap}，{self.lead_quality(0)}"
        if not others:
            text += f"；{k}种评价方法均将其排在首位。"
        else:
            rival, count = rivals.most_common(1)[0]
            text += f"；{k}种评价方法中{int(firsts.sum())}种将其排第一，{count}种以{names[rival]}居首。"
        if others and same_top:
            text += f"但前{top}名在{k}种方法下完全相同，可作为第一梯队整体推进。"
        return text

    def situation(self) -> list[Block]:
        problem, lang = self.problem, self.lang
        evidence = problem.evidence
        facts = {fact.id: fact for fact in evidence.facts}
        # which criterion cites each fact most often across the catalogue
        counts: dict[str, Counter[str]] = {}
        for item in problem.countermeasures:
            for leaf_id, given in item.scores.items():
                for fact_id in given.evidence:
                    counts.setdefault(fact_id, Counter())[leaf_id] += 1
        weight = {leaf: self.analysis.weight_of(leaf) for leaf in problem.leaf_ids}
        direction = {leaf.id: leaf.direction for leaf in problem.leaves}
        by_leaf: dict[str, list[str]] = {}
        for fact in evidence.facts:
            if fact.topic != "threat" or fact.id not in counts:
                continue
            # a threat is what a countermeasure should repair, so benefit criteria come first
            home = max(
                counts[fact.id].items(),
                key=lambda kv: (direction[kv[0]] > 0, kv[1], weight[kv[0]]),
            )[0]
            by_leaf.setdefault(home, []).append(fact.id)

        def line(ids: Sequence[str]) -> str:
            sep = "; " if lang == "en" else "；"
            return (
                sep.join(f"{strip_end(facts[i].summary.get(lang))} {self.cite([i])}" for i in ids) + self.end
            )

        source = evidence.title.get(lang)
        intro = (
            f"The assessment below rests on {source}; fact ids in brackets are listed in the appendix."
            if lang == "en"
            else f"以下研判依据{source}整理，方括号内为事实编号，摘要见附录。"
        )
        blocks: list[Block] = [Heading(self.w("situation")), Paragraph(intro)]
        leaves = sorted(by_leaf, key=lambda leaf: -weight[leaf])[:MAX_THREAT_CRITERIA]
        order = {fact.id: position for position, fact in enumerate(evidence.facts)}
        items = []
        for leaf_id in leaves:
            leaf = problem.criteria.node(leaf_id)
            # the most cited facts, told in the source's order
            chosen = sorted(by_leaf[leaf_id], key=lambda i: -sum(counts[i].values()))[:FACTS_PER_CRITERION]
            items.append(
                Paragraph(
                    line(sorted(chosen, key=order.__getitem__)),
                    leaf.name.get(lang) + (": " if lang == "en" else "："),
                )
            )
        if not items:
            threats = [fact.id for fact in evidence.facts if fact.topic == "threat"]
            items = [Paragraph(line([fact_id])) for fact_id in threats[:MAX_THREAT_CRITERIA]]
        if items:
            blocks += [Paragraph("", self.w("lead_threats")), Bullets(tuple(items))]
        benchmarks = [fact.id for fact in evidence.facts if fact.topic == "benchmark"]
        benchmarks.sort(key=lambda i: -sum(counts.get(i, Counter()).values()))
        if benchmarks:
            chosen = sorted(benchmarks[:MAX_BENCHMARKS], key=order.__getitem__)
            blocks.append(Paragraph(line(chosen), self.w("lead_benchmarks")))
        return blocks

    def method_sentence(self) -> str:
        settings = self.analysis.settings
        method = pick(METHOD_NAMES[self.method], self.lang)
        norm = pick(NORMALIZATION_NAMES[self.analysis.normalization], self.lang)
        meaning = pick(SCORE_MEANINGS[self.method], self.lang).format(v=number(settings.vikor_v))
        if self.lang == "en":
            return f"Scored with {method}, {norm}, using {self.settings_label()}; {meaning}."
        return f"采用{method}，{norm}，权重来自{self.settings_label()}；{meaning}。"

    def score_header(self) -> str:
        header = self.score_name
        if self.lang == "en":
            header = header[0].upper() + header[1:]
        if not self.analysis.primary.higher_is_better:
            header += self.label("lower_better")
        return header

    def ranking(self) -> list[Block]:
        rows = tuple((str(e.rank), e.name.get(self.lang), score(e.score)) for e in self.entries)
        norm = pick(NORMALIZATION_NAMES[self.analysis.normalization], self.lang)
        better = "higher" if self.analysis.primary.higher_is_better else "lower"
        intro = (
            f"Ranked by {METHOD_SHORT[self.method]} {self.score_name} ({better} is better; {norm}; "
            f"weights from {self.settings_label()}). Section 5 explains the method."
            if self.lang == "en"
            else f"下表按{METHOD_SHORT[self.method]}{self.score_name}排序"
            f"（{'越高越好' if better == 'higher' else '越小越好'}；{norm}；"
            f"权重来自{self.settings_label()}），"
            "方法说明见第五部分。"
        )
        return [
            Heading(self.w("ranking")),
            Paragraph(intro),
            Table(
                header=(self.label("rank"), self.label("measure"), self.score_header()),
                rows=rows,
                caption=self.caption("table_ranking"),
                numeric=(True, False, True),
                widths=(1, 6, 2),
            ),
        ]

    def advice(self) -> list[Block]:
        lang, why = self.lang, self.why
        blocks: list[Block] = [Heading(self.w("advice"))]
        m = len(self.entries)
        for row, entry in enumerate(self.entries):
            item = self.problem.countermeasures[int(why.order[row])]
            blocks.append(Heading(subheading(row + 1, entry.name.get(lang), lang), level=2))
            if lang == "en":
                position = f"ranked {entry.rank} of {m}, {self.scored(row)}"
                if row == 0 and m > 1:
                    position += f", {score(float(why.gaps[0]))} ahead of the next"
                elif row > 0:
                    position += f", {score(float(why.gaps[row - 1]))} behind the one above"
                position += ". "
            else:
                position = f"第{entry.rank}位（共{m}项），{self.scored(row)}"
                if row == 0 and m > 1:
                    position += f"，领先第二位{score(float(why.gaps[0]))}"
                elif row > 0:
                    position += f"，落后上一位{score(float(why.gaps[row - 1]))}"
                position += "。"
            blocks.append(Paragraph(position + item.summary.get(lang), self.w("lead_position")))
            if item.actions:
                blocks.append(Paragraph("", self.w("lead_actions")))
                blocks.append(Bullets(tuple(Paragraph(action.get(lang)) for action in item.actions)))
            strong = why.strongest(row)
            if strong:
                blocks.append(Paragraph("", self.w("lead_strengths")))
                blocks.append(Bullets(tuple(self.criterion_reason(row, j) for j in strong)))
            weak = why.weakest(row)
            if weak:
                blocks.append(Paragraph("", self.w("lead_weaknesses")))
                blocks.append(Bullets(tuple(self.criterion_reason(row, j) for j in weak)))
        return blocks + order_conditions(self.analysis, lang)

    def study(self, study: Robustness) -> list[Block]:
        """The robustness study (:mod:`engine.robustness.study`): sampling, per-rank table, rank reversal."""
        lang = self.lang
        names = {leaf.id: leaf.name.get(lang) for leaf in self.problem.leaves}
        rows = []
        for verdict, entry in zip(study.verdicts, self.entries, strict=True):
            if verdict.threshold is None:
                limit = "no single weight moves it" if lang == "en" else "单项权重变化不改变名次"
            else:
                leaf, weight, side = verdict.threshold
                now = percent(self.analysis.weight_of(leaf))
                if lang == "en":
                    limit = f"{names[leaf]} {'above' if side > 0 else 'below'} {percent(weight)} (now {now})"
                else:
                    limit = f"{names[leaf]}{'高于' if side > 0 else '低于'}{percent(weight)}（现{now}）"
            rows.append(
                (
                    str(verdict.rank),
                    entry.name.get(lang),
                    percent(verdict.share),
                    limit,
                    f"{verdict.agreeing}/{verdict.choices}",
                )
            )
        header = (
            (
                "Rank",
                "Countermeasure",
                "Samples keeping the rank",
                "Weight change that moves it",
                "Choices agreeing",
            )
            if lang == "en"
            else ("排名", "对策", "保持该名次的抽样占比", "改变名次的单项权重临界值", "建模选择一致")
        )
        return [
            Paragraph(study.sampling.get(lang) + self.end, self.w("lead_sampling")),
            Table(
                header=header,
                rows=tuple(rows),
                caption=self.caption("table_study"),
                numeric=(True, False, True, False, True),
                widths=(1, 4, 2, 4, 1.6),
            ),
            Paragraph(study.reversal_note.get(lang), self.w("lead_reversal")),
        ]

    def robustness(self, notes: RobustnessNotes | Robustness | None) -> list[Block]:
        lang, why, entries = self.lang, self.why, self.entries
        m = len(entries)
        blocks: list[Block] = [Heading(self.w("robustness"))]
        if isinstance(notes, Robustness):
            blocks += self.study(notes)
        elif notes is not None:
            blocks += [Paragraph(verdict.get(lang)) for verdict in notes.verdicts]
            figures = tuple(getattr(notes, "figures", ()) or ())
            if figures:
                blocks.append(
                    Table(
                        header=(self.w("figure"), self.w("value")),
                        rows=tuple((label.get(lang), value) for label, value in figures),
                        caption=self.caption("table_robustness"),
                        numeric=(False, True),
                        widths=(3, 2),
                    )
                )
        if m >= 2:
            steps = [
                (f"{entries[i].rank}→{entries[i + 1].rank}", score(float(why.gaps[i]))) for i in range(m - 1)
            ]
            closest = int(why.gaps.argmin())
            if lang == "en":
                listing = ", ".join(f"{pair} {gap}" for pair, gap in steps)
                text = (
                    f"score differences between neighbouring ranks are {listing}. The narrowest is between "
                    f"{self.name(closest)} and {self.name(closest + 1)} "
                    f"({score(float(why.gaps[closest]))}, "
                    f"{percent(why.relative_gap(closest))} of the best-to-worst spread): these two swap "
                    "places most easily when the weights move."
                )
            else:
                listing = "，".join(f"第{pair}位{gap}" for pair, gap in steps)
                text = (
                    f"相邻名次的得分差依次为{listing}。差距最小的是{self.name(closest)}与"
                    f"{self.name(closest + 1)}（{score(float(why.gaps[closest]))}，"
                    f"占最高与最低得分之差的{percent(why.relative_gap(closest))}），"
                    "二者次序最易随权重调整而互换。"
                )
            blocks.append(Paragraph(text, self.w("lead_gaps")))

        chosen = self.w("chosen")
        header = (
            self.label("measure"),
            *(METHOD_SHORT[m_] + (chosen if m_ == self.method else "") for m_ in METHODS),
        )
        rows = tuple(
            (entry.name.get(lang), *(str(int(r)) for r in why.method_ranks[row]))
            for row, entry in enumerate(entries)
        )
        blocks.append(
            Table(
                header=header,
                rows=rows,
                caption=self.caption("table_methods"),
                numeric=(False, *(True for _ in METHODS)),
                widths=(5, *(2 for _ in METHODS)),
            )
        )
        if m >= 2:
            blocks.append(Paragraph(self.agreement_text(), self.w("lead_methods")))
        return blocks

    def agreement_text(self) -> str:
        lang, why = self.lang, self.why
        method = self.method
        pairs = [a for a in self.analysis.agreement if method in (a.first, a.second)]
        parts = []
        for pair in pairs:
            other = METHOD_SHORT[pair.second if pair.first == method else pair.first]
            if lang == "en":
                parts.append(f"{other} Spearman ρ={pair.spearman:.2f}, Kendall τ={pair.kendall:.2f}")
            else:
                parts.append(f"{other}：Spearman ρ={pair.spearman:.2f}，Kendall τ={pair.kendall:.2f}")
        mean_rho = sum(p.spearman for p in pairs) / len(pairs) if pairs else 1.0
        short = METHOD_SHORT[method]
        k = len(METHODS)
        firsts = [METHOD_SHORT[m] for m, r in zip(METHODS, why.method_ranks[0], strict=True) if r == 1]
        top = min(3, len(self.entries))
        same_top = bool((why.method_ranks[:top] <= top).all())
        if lang == "en":
            if mean_rho >= 0.9:
                verdict = "the methods agree closely"
            elif mean_rho >= 0.7:
                verdict = "the methods broadly agree"
            else:
                verdict = "the methods disagree noticeably, so read the ranking with care"
            text = f"rank correlation of the {short} order with the others - " + "; ".join(parts)
            text += f". On average {verdict} (mean ρ={mean_rho:.2f}). "
            text += f"{self.name(0)} comes first under {len(firsts)} of {k} methods"
            text += f" ({join_and(firsts, lang)})" if firsts else ""
            if len(self.entries) > top:
                text += f"; the top {top} are {'the same' if same_top else 'not the same'} under every method"
            return text + "."
        if mean_rho >= 0.9:
            verdict = "各方法排序高度一致"
        elif mean_rho >= 0.7:
            verdict = "各方法排序基本一致"
        else:
            verdict = "各方法排序分歧明显，结论需审慎使用"
        text = f"以{short}排序为基准，与其他方法的等级相关系数为：" + "；".join(parts)
        text += f"。平均ρ={mean_rho:.2f}，{verdict}。"
        text += f"{self.name(0)}在{k}种方法中有{len(firsts)}种排第一"
        text += f"（{join_and(firsts, lang)}）" if firsts else ""
        if len(self.entries) > top:
            text += f"；前{top}名在各方法下{'相同' if same_top else '不完全相同'}"
        return text + "。"

    def method_section(self) -> list[Block]:
        lang, analysis, problem = self.lang, self.analysis, self.problem
        settings = analysis.settings
        blocks: list[Block] = [
            Heading(self.w("method")),
            Paragraph(self.method_sentence(), self.w("lead_method")),
        ]
        if settings.weight_source == "preset":
            try:
                preset = problem.preset(settings.preset or "")
                text = f"{self.settings_label()}. {preset.description.get(lang)}"
                if lang != "en":
                    text = f"{self.settings_label()}。{preset.description.get(lang)}"
            except KeyError:
                text = self.settings_label() + self.end
        elif settings.weight_source == "manual":
            text = (
                "set by hand (sliders or a weight file) and rescaled to sum to 100%."
                if lang == "en"
                else "手动设定（界面滑块或权重文件），已按合计100%归一。"
            )
        else:
            text = (
                "derived by AHP from pairwise comparisons of the criteria (eigenvector method"
                if lang == "en"
                else "由层次分析法（AHP）根据指标两两比较判断导出（"
            )
            method = "geometric mean" if settings.ahp_method == "geometric" else "eigenvector"
            if lang == "en":
                text = text.replace("eigenvector method", f"{method} method") + "); "
                text += "the global weight of a criterion is the product of the local weights on its path."
            else:
                text += ("几何平均法" if settings.ahp_method == "geometric" else "特征向量法") + "），"
                text += "指标的全局权重为其所在路径上各层局部权重之积。"
        blocks.append(Paragraph(text, self.w("lead_weights")))

        rows = []
        for leaf, weight in zip(problem.leaves, analysis.weights, strict=True):
            path = problem.criteria.path_to(leaf.id)
            group = path[-2].name.get(lang) if len(path) > 2 else ""
            rows.append(
                (
                    group,
                    leaf.name.get(lang),
                    self.w("benefit" if leaf.direction > 0 else "cost"),
                    leaf.unit.get(lang) if leaf.unit else "",
                    percent(float(weight)),
                )
            )
        blocks.append(
            Table(
                header=(
                    self.w("group"),
                    self.w("criterion"),
                    self.label("direction"),
                    self.w("unit"),
                    self.label("weight"),
                ),
                rows=tuple(rows),
                caption=self.caption("table_weights"),
                numeric=(False, False, False, False, True),
                widths=(3, 4, 3, 3, 1.5),
            )
        )
        if settings.weight_source == "ahp":
            blocks += self.experts_blocks()
        blocks.append(
            Paragraph(
                "a criterion counts as a strength (weak spot) of a countermeasure when its weighted "
                "normalised value lies furthest above (below) the average of all countermeasures"
                + (
                    f"; {METHOD_SHORT[self.method]} carries no normalised matrix, so the min-max normalised "
                    "matrix of the weighted sum is used."
                    if self.why.basis != self.method
                    else "."
                )
                if lang == "en"
                else "按各指标加权归一化值相对全部对策平均水平的差额判定，高出最多者为优势，低于最多者为短板"
                + (
                    f"；{METHOD_SHORT[self.method]}不产生归一化矩阵，故采用加权和法的极差归一化矩阵。"
                    if self.why.basis != self.method
                    else "。"
                ),
                self.w("lead_contrib"),
            )
        )
        return blocks

    def experts_blocks(self) -> list[Block]:
        lang, analysis, problem = self.lang, self.analysis, self.problem
        criteria = problem.criteria
        settings = analysis.settings
        chosen = settings.experts or tuple(e.id for e in criteria.experts)
        groups = {g.id: g for g in criteria.groups}
        group_weights = dict(settings.group_weights)
        described = []
        for expert_id in chosen:
            expert = criteria.expert(expert_id)
            group = groups.get(expert.group or "")
            if group is None:
                described.append(expert.name.get(lang))
                continue
            gw = number(group_weights.get(group.id, group.weight))
            described.append(
                f"{expert.name.get(lang)} ({group.name.get(lang)}, group weight {gw})"
                if lang == "en"
                else f"{expert.name.get(lang)}（{group.name.get(lang)}，组权重{gw}）"
            )
        pooled = getattr(settings, "aggregation", "judgments") == "priorities"
        if lang == "en":
            how = (
                "each expert's own weights are averaged with the expert weights (AIP)"
                if pooled
                else "their judgments are combined by the weighted geometric mean (AIJ)"
            )
            text = (
                f"{len(chosen)} expert(s): {'; '.join(described)}. {how[0].upper()}{how[1:]}; "
                "a group's weight is shared among its experts."
            )
        else:
            how = (
                "先由各专家判断分别导出权重，再按专家权重加权平均（AIP）"
                if pooled
                else "各专家判断按专家权重以加权几何平均合成后再导出权重（AIJ）"
            )
            text = f"共{len(chosen)}位专家：{'；'.join(described)}。{how}，组权重在组内专家间分配。"
        blocks: list[Block] = [Paragraph(text, self.w("lead_experts"))]
        if settings.judgment_edits:
            edits = []
            for node_id, node_edits in settings.judgment_edits:
                node = criteria.node(node_id)
                for a, b, value in node_edits:
                    a_name, b_name = criteria.node(a).name.get(lang), criteria.node(b).name.get(lang)
                    edits.append(f"{node.name.get(lang)}: {a_name} / {b_name} = {value:.3g}")
            blocks.append(
                Paragraph(
                    ("the combined judgments were edited: " if lang == "en" else "合成判断已手工调整：")
                    + "; ".join(edits)
                    + self.end,
                    self.w("lead_edits"),
                )
            )
        rows = []
        names = {node.id: node.name.get(lang) for node in criteria.goal.walk()}
        # the goal's name is a whole sentence; in a table cell "the goal" says enough
        nodes = {**names, criteria.goal.id: self.w("goal")}
        for record in analysis.consistency:
            expert = (
                self.w("combined")
                if record.expert_id == COMBINED
                else criteria.expert(record.expert_id).name.get(lang)
            )
            if record.consistent:
                verdict = self.w("consistent")
            elif record.revise_first is not None:
                a, b, value = record.revise_first
                verdict = self.w("inconsistent", a=names[a], b=names[b], value=f"{value:.3g}")
            else:
                verdict = self.w("inconsistent", a="?", b="?", value="?")
            rows.append(
                (
                    nodes[record.node_id],
                    expert,
                    f"{record.result.lambda_max:.4f}",
                    f"{record.result.cr:.4f}",
                    verdict,
                )
            )
        blocks.append(
            Table(
                header=(self.w("node"), self.label("expert"), "λmax", "CR", self.w("verdict")),
                rows=tuple(rows),
                caption=self.caption("table_consistency"),
                numeric=(False, False, True, True, False),
                widths=(3, 4, 1.5, 1.5, 3),
            )
        )
        return blocks

    def appendix(self, today: dt.date) -> list[Block]:
        lang, analysis, problem = self.lang, self.analysis, self.problem
        facts = [fact for fact in problem.evidence.facts if fact.id in self.cited]
        blocks: list[Block] = [Heading(self.w("appendix")), Heading(self.w("app_facts"), level=2)]
        blocks.append(
            Bullets(tuple(Paragraph(fact.summary.get(lang), f"[{fact.id}] ") for fact in facts))
            if facts
            else Paragraph("—")
        )

        profile_id = f"memo_{today:%Y%m%d}"
        title = f"Weights of the memo of {today.isoformat()}"
        name = Text(zh=f"{today.isoformat()}决策参考所用权重", en=title)
        if lang == "en":
            name = Text(zh=title, en=title)  # keeps the English memo free of Chinese
        profile = analysis.weight_profile(profile_id=profile_id, name=name)
        settings_yaml = yaml.safe_dump(profile, allow_unicode=True, sort_keys=False, width=100)
        blocks += [
            Heading(self.w("app_settings"), level=2),
            Paragraph(
                f"Save this as {PROFILE_FILE}; it is a weight profile that `policyrank rank --weights` "
                "and the app read back."
                if lang == "en"
                else f"将下列内容保存为 {PROFILE_FILE}，"
                "即为可被 policyrank rank --weights 和界面读回的权重方案。"
            ),
            Preformatted(settings_yaml, "yaml"),
        ]
        blocks += [
            Heading(self.w("app_sources"), level=2),
            Table(
                header=(self.w("file"), "SHA-256"),
                rows=tuple((label, digest) for label, digest in problem.sources.items()),
                caption=self.caption("table_sources"),
                widths=(2, 5),
            ),
        ]
        blocks += [
            Heading(self.w("app_command"), level=2),
            Paragraph(
                "Run from the same working directory; the JSON ranking equals Table 1."
                if lang == "en"
                else "在相同工作目录下运行，输出的 JSON 排序与表1一致。"
            ),
            Preformatted(reproduce_command(analysis), "shell"),
        ]
        return blocks


def _first_verdict(robustness: RobustnessNotes | Robustness) -> Text | None:
    """The sentence on the first-ranked countermeasure, for 核心观点."""
    if isinstance(robustness, Robustness):
        return robustness.verdicts[0].text if robustness.verdicts else None
    return robustness.verdicts[0] if robustness.verdicts else None


def _check_study(analysis: Analysis, study: Robustness) -> None:
    ours = [entry.id for entry in analysis.ranking]
    theirs = [verdict.id for verdict in study.verdicts]
    if study.analysis.settings != analysis.settings or theirs != ours:
        raise ValueError("the robustness study belongs to another analysis (other settings or ranking)")


def reproduce_command(analysis: Analysis, *, profile_file: str = PROFILE_FILE) -> str:
    """The ``policyrank rank`` command that reproduces the ranking from the appendix's profile."""
    parts = ["policyrank", "rank"]
    labels = list(analysis.problem.sources)
    defaults = [display_path(DEFAULT_CRITERIA), display_path(DEFAULT_DATA), display_path(DEFAULT_EVIDENCE)]
    if len(labels) >= 3 and labels[:3] != defaults:
        for flag, label in zip(("--criteria", "--data", "--evidence"), labels[:3], strict=True):
            parts += [flag, shlex.quote(label)]
    parts += ["--weights", shlex.quote(profile_file), "--method", analysis.settings.method]
    if analysis.settings.normalization is not None:
        parts += ["--normalization", analysis.settings.normalization]
    spec = get(analysis.settings.method)
    if "v" in spec.option_names and analysis.settings.vikor_v != spec.option("v").default:
        parts += ["--vikor-v", repr(analysis.settings.vikor_v)]
    parts += ["--format", "json"]
    return " ".join(parts)


def build_memo(
    analysis: Analysis,
    *,
    lang: Lang = "zh",
    robustness: RobustnessNotes | Robustness | None = None,
    today: dt.date | None = None,
    package: Package | None = None,
    package_rules: Rules | None = None,
) -> Memo:
    """Write the memo for ``analysis`` once, as format-free blocks.

    Parameters
    ----------
    analysis : Analysis
        The result of :func:`engine.analysis.run`.
    lang : {"zh", "en"}
        Chinese (default) or English; an English memo uses only the English texts of the inputs.
    robustness : Robustness or RobustnessNotes, optional
        The result of :func:`engine.robustness.study.analyze` on the same analysis (SMAA shares,
        critical weights, modelling-choice agreement and rank reversal go into section 四 and the
        first verdict into 核心观点), or any object with ``verdicts`` and ``figures`` (see
        :class:`RobustnessNotes`). Without it section 四 reports the score gaps and the agreement
        between the four methods only.
    today : datetime.date, optional
        The memo's date (default: today); also names the weight profile in the appendix.
    package : Package, optional
        A policy package (:func:`engine.insight.portfolio.select_package`); when given, the memo has a
        section of its own for it (六、政策组合), listing ``package_rules`` if given too.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"unknown memo language {lang!r} (expected zh or en)")
    today = today or dt.date.today()
    if isinstance(robustness, Robustness):
        _check_study(analysis, robustness)
    writer = _Writer(analysis, lang)
    blocks: list[Block] = []
    blocks += writer.key_points(robustness)
    blocks += writer.situation()
    blocks += writer.ranking()
    blocks += writer.advice()
    blocks += writer.robustness(robustness)
    blocks += writer.method_section()
    if package is not None:
        writer.tables += 1
        blocks += package_section(analysis, package, lang, rules=package_rules, table_number=writer.tables)
    blocks += writer.appendix(today)
    return Memo(lang=lang, date=today, title=writer.title(today), blocks=tuple(blocks))
