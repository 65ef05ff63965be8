"""``build_memo(analysis) -> Memo``: the content of a ranked policy memo, written once.

The memo follows the form of a Chinese policy brief (决策参考): masthead and title, 核心观点,
then 一、形势研判, 二、对策排序, 三、对策建议, 四、稳健性, 五、方法与权重 and an appendix holding
the exact settings, the input fingerprints and the command that reproduces the ranking. English
memos carry the same content with English names, summaries and reasons only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from engine.analysis import Analysis
from engine.insight.portfolio import Package, Rules
from engine.mcda.methods import METHODS
from engine.memo.blocks import Block, Bullets, Heading, Memo, Paragraph, Preformatted, Table, Title
from engine.memo.decisions import order_conditions, package_section
from engine.memo.drivers import Drivers, drivers
from engine.memo.sections.annex.consistency import consistency_header, consistency_rows
from engine.memo.sections.annex.ranking import agreement_text, method_sentence
from engine.memo.sections.annex.reproduce import reproduce_command
from engine.memo.sections.annex.robustness import gaps_text, study_header, study_rows
from engine.memo.sections.annex.settings import PROFILE_FILE, profile_yaml
from engine.memo.sections.annex.weights import (
    derivation_text,
    edits_text,
    experts_text,
    strengths_text,
    weight_header,
    weight_rows,
    weight_source_label,
)
from engine.memo.wording import (
    CJK,
    METHOD_SHORT,
    NORMALIZATION_NAMES,
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
from engine.text import amount, date, join_and, join_list, label, score, value_text

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
        return weight_source_label(self.analysis, self.lang)

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
        return method_sentence(self.analysis, self.lang)

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
        return [
            Paragraph(study.sampling.get(lang) + self.end, self.w("lead_sampling")),
            Table(
                header=study_header(lang),
                rows=study_rows(self.analysis, study, lang),
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
            blocks.append(Paragraph(gaps_text(self.analysis, lang), self.w("lead_gaps")))

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
        return agreement_text(self.analysis, self.lang)

    def method_section(self) -> list[Block]:
        lang, analysis = self.lang, self.analysis
        settings = analysis.settings
        blocks: list[Block] = [
            Heading(self.w("method")),
            Paragraph(self.method_sentence(), self.w("lead_method")),
        ]
        blocks.append(Paragraph(derivation_text(analysis, lang), self.w("lead_weights")))
        blocks.append(
            Table(
                header=weight_header(lang),
                rows=weight_rows(analysis, lang),
                caption=self.caption("table_weights"),
                numeric=(False, False, False, False, True),
                widths=(3, 4, 3, 3, 1.5),
            )
        )
        if settings.weight_source == "ahp":
            blocks += self.experts_blocks()
        blocks.append(Paragraph(strengths_text(analysis, self.why.basis, lang), self.w("lead_contrib")))
        return blocks

    def experts_blocks(self) -> list[Block]:
        lang, analysis = self.lang, self.analysis
        blocks: list[Block] = [Paragraph(experts_text(analysis, lang), self.w("lead_experts"))]
        edits = edits_text(analysis, lang)
        if edits:
            blocks.append(Paragraph(edits, self.w("lead_edits")))
        blocks.append(
            Table(
                header=consistency_header(lang),
                rows=consistency_rows(analysis, lang),
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

        settings_yaml = profile_yaml(analysis, today, lang)
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
