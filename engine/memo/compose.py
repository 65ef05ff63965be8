"""``build_memo(analysis) -> Memo``: the policy brief (决策参考) and its technical annex, written once.

The brief is what a leader reads and acts on, at most four pages at 公文 spec: masthead and a title
that states the judgement, 核心观点 (一是 what to do, 二是 why, 三是 how sure, 四是 what it costs),
一、形势研判, 二、对策建议, 三、把握程度 with a chart of the ranking and its uncertainty, 落款 and
版记. It states the :class:`engine.recommendation.Recommendation` and computes no verdict of its own;
it names no scoring method and shows no four-decimal score. The annex (附件) holds the figures
behind it. Each section is a module of :mod:`engine.memo.sections`.

Section lengths (:data:`LIMITS`, in 字 for Chinese and words for English, counted by
:func:`engine.memo.length.block_length`) are upper bounds the shipped problem is tested against.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from engine.analysis import Analysis
from engine.insight.portfolio import Rules
from engine.load import DEFAULT_CRITERIA
from engine.memo.document import Block, Memo
from engine.memo.length import LIMITS
from engine.memo.options import INTERNAL, MemoOptions
from engine.memo.sections.advice import advice
from engine.memo.sections.annex import annex
from engine.memo.sections.closing import colophon, signature
from engine.memo.sections.comparison import check_comparison
from engine.memo.sections.confidence import confidence
from engine.memo.sections.context import Context
from engine.memo.sections.key_points import key_points
from engine.memo.sections.masthead_title import masthead, title
from engine.memo.sections.situation import situation
from engine.model import Lang
from engine.recommendation import Recommendation, recommend
from engine.robustness.study import Robustness

__all__ = ["INTERNAL", "LIMITS", "MemoOptions", "build_memo"]


def _shipped_judgments(analysis: Analysis) -> bool:
    """Whether the criteria file in use is the shipped one, whose judgments are illustrative."""
    try:
        shipped = hashlib.sha256(DEFAULT_CRITERIA.read_bytes()).hexdigest()
    except OSError:
        return False
    return shipped in analysis.problem.sources.values()


def _check(
    analysis: Analysis, robustness: Robustness | None, rec: Recommendation | None, budget: float | None
) -> None:
    if robustness is not None:
        ours = [entry.id for entry in analysis.ranking]
        theirs = [verdict.id for verdict in robustness.verdicts]
        if robustness.analysis.settings != analysis.settings or theirs != ours:
            raise ValueError("the robustness study belongs to another analysis (other settings or ranking)")
    if budget is not None and robustness is None and rec is None:
        raise ValueError("a budget needs the recommendation, which needs a robustness study; pass robustness")
    if rec is not None:
        if rec.leader != analysis.ranking[0].id or not set(analysis.problem.alternative_ids) <= set(
            rec.names
        ):
            raise ValueError("the recommendation belongs to another analysis (another leader or catalogue)")
        if budget is not None and (rec.budget is None or rec.budget.budget != float(budget)):
            raise ValueError(
                "the recommendation was made without this budget; pass the budget to recommend()"
            )


def build_memo(
    analysis: Analysis,
    *,
    lang: Lang = "zh",
    robustness: Robustness | None = None,
    recommendation: Recommendation | None = None,
    budget: float | None = None,
    rules: Rules | None = None,
    basis: str = "wsm",
    options: MemoOptions | None = None,
    today: dt.date | None = None,
    comparison: Mapping[str, Any] | None = None,
) -> Memo:
    """Write the brief and its annex for ``analysis``, as format-free blocks.

    Parameters
    ----------
    analysis : Analysis
        The result of :func:`engine.analysis.run`.
    lang : {"zh", "en"}
        Chinese (default) or English; an English memo uses only the English texts of the inputs.
    robustness : Robustness, optional
        :func:`engine.robustness.study.analyze` of the same analysis. Without it (and without a
        recommendation) the brief reports the ranking as untested and charts the scores with the
        range their estimates allow.
    recommendation : Recommendation, optional
        :func:`engine.recommendation.recommend` of the same analysis; made from ``robustness``,
        ``budget`` and ``rules`` when not given.
    budget, rules : optional
        An annual budget (亿元) and package rules: 三、把握程度 states the package, what it
        leaves out and the countermeasures the rules force in or out, 二、对策建议 sets out the
        package. With a given recommendation the budget must be the one it was made with.
    basis : {"wsm", "primary"}, optional
        What a countermeasure is worth in the package, when the recommendation is made here.
    options : MemoOptions, optional
        Issue number, publisher, mark, distribution and where the annex goes.
    today : datetime.date, optional
        The memo's date (default: today); also names the weight profile in the annex.
    comparison : mapping, optional
        ``Store.compare``'s document of two to four scenarios (:func:`engine.store.compare.compare`,
        with ``firmness_samples`` for the leaders' firmness): the annex opens with 方案比较, each
        countermeasure's rank under each scenario and what differs.

    Raises
    ------
    ValueError
        For an unknown language, or a robustness study or recommendation of another analysis.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"unknown memo language {lang!r} (expected zh or en)")
    options = options or MemoOptions()
    if comparison is not None:
        check_comparison(comparison)
    _check(analysis, robustness, recommendation, budget)
    if recommendation is None and robustness is not None:
        recommendation = recommend(analysis, robustness, budget=budget, rules=rules, basis=basis)
    illustrative = options.illustrative if options.illustrative is not None else _shipped_judgments(analysis)
    ctx = Context(
        analysis=analysis,
        lang=lang,
        recommendation=recommendation,
        robustness=robustness,
        options=options,
        today=today or dt.date.today(),
        illustrative=illustrative,
        comparison=comparison,
    )
    brief: list[Block] = [
        *key_points(ctx),
        *situation(ctx),
        *advice(ctx),
        *confidence(ctx),
        signature(ctx),
        colophon(ctx),
    ]
    return Memo(
        lang=lang,
        date=ctx.today,
        masthead=masthead(ctx),
        title=title(ctx),
        brief=tuple(brief),
        annex=tuple(annex(ctx)),
        annex_separate=options.annex == "separate",
    )
