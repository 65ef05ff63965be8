"""方案比较 / Scenario comparison: the countermeasures' ranks under two to four saved scenarios.

Fed by the comparison document of :func:`engine.store.compare.compare` (``Store.compare``), which
the memo only reads: one sentence of what differs (first place, the criterion whose weight differs
most, the countermeasure whose rank moves most) and one table, each countermeasure's rank under
each scenario (changes counted against the first scenario) with a last row naming each leader and
how firm its first place is, when the comparison carries the firmness.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine.memo.document import Block, Paragraph, Table
from engine.memo.sections.context import Context
from engine.memo.wording import quoted
from engine.text import percent

__all__ = ["FIRMNESS_WORDS", "check_comparison", "comparison"]

HEADING = ("方案比较", "Scenario comparison")
FIRMNESS_WORDS = {
    "firm": ("稳固", "firm"),
    "leaning": ("有倾向", "leaning"),
    "contested": ("有争议", "contested"),
}
SAME_WEIGHT = 0.0005  # weights that print alike at one decimal of a percent


def check_comparison(document: Mapping[str, Any]) -> None:
    """Refuse what is not a comparison of two to four scenarios (a programming error, not input)."""
    scenarios = document.get("scenarios")
    if not isinstance(scenarios, Sequence) or not 2 <= len(scenarios) <= 4:
        raise ValueError("a scenario comparison holds two to four scenarios (see engine.store.compare)")
    for key in ("ranking", "weights"):
        if key not in document:
            raise ValueError(f"the scenario comparison has no {key!r}")


def _name(ctx: Context, entry: Mapping[str, Any]) -> str:
    """A countermeasure's short name when the memo's catalogue has it, else its name in the document."""
    try:
        return ctx.short(entry["id"])
    except KeyError:
        return entry["name"][ctx.lang]


def _criterion(ctx: Context, entry: Mapping[str, Any]) -> str:
    """A criterion's name in quotation marks, as the rest of the memo writes it."""
    if entry["id"] in ctx.problem.leaf_ids:
        return ctx.criterion(entry["id"])
    return quoted(entry["name"][ctx.lang], ctx.lang)


def _leaders(document: Mapping[str, Any]) -> list[str]:
    """Each scenario's first countermeasure (the first of a tie in the first scenario's order)."""
    count = len(document["scenarios"])
    return [next(e["id"] for e in document["ranking"] if e["ranks"][j] == 1) for j in range(count)]


def _rank_cell(ctx: Context, rank: int, change: int) -> str:
    """ "3", "3（升2）" / "3 (up 2)": the rank and how it moved against the first scenario."""
    if change == 0:
        return str(rank)
    if ctx.lang == "en":
        return f"{rank} ({'up' if change > 0 else 'down'} {abs(change)})"
    return f"{rank}（{'升' if change > 0 else '降'}{abs(change)}）"


def _leader_cell(ctx: Context, name: str, firmness: str | None) -> str:
    if firmness is None:
        return name
    word = ctx.t(*FIRMNESS_WORDS[firmness])
    return ctx.t(f"{name}（{word}）", f"{name} ({word})")


def _ordinal(rank: int, lang: str) -> str:
    if lang != "en":
        return f"第{rank}"
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


def _differences(ctx: Context, document: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """One sentence: who comes first, whose weight differs most, whose rank moves most."""
    scenarios = [quoted(s["name"], ctx.lang) for s in document["scenarios"]]
    leaders = _leaders(document)
    if len(set(leaders)) == 1:
        first = ctx.t(
            f"{len(scenarios)}个方案均以{names[leaders[0]]}居首",
            f"All {len(scenarios)} scenarios put {names[leaders[0]]} first",
        )
    else:
        each = [
            ctx.t(f"{s}为{names[item]}", f"{names[item]} under {s}")
            for s, item in zip(scenarios, leaders, strict=True)
        ]
        first = ctx.t("居首对策不同：" + "，".join(each), "First place differs: " + ", ".join(each))
    parts = [first]
    spread = max(document["weights"], key=lambda w: max(w["weights"]) - min(w["weights"]))
    low, high = min(spread["weights"]), max(spread["weights"])
    if high - low < SAME_WEIGHT:
        parts.append(ctx.t("各方案权重相同", "the weights are the same"))
    else:
        criterion = _criterion(ctx, spread)
        parts.append(
            ctx.t(
                f"权重差别最大的是{criterion}（{percent(low)}至{percent(high)}）",
                f"the weights differ most on {criterion} ({percent(low)} to {percent(high)})",
            )
        )
    moved = max(document["ranking"], key=lambda e: max(e["ranks"]) - min(e["ranks"]))
    best, worst = min(moved["ranks"]), max(moved["ranks"])
    if best == worst:
        parts.append(ctx.t("各对策名次均相同", "every countermeasure keeps its rank"))
    else:
        parts.append(
            ctx.t(
                f"名次变动最大的是{names[moved['id']]}（{_ordinal(best, 'zh')}至{_ordinal(worst, 'zh')}位）",
                f"{names[moved['id']]} moves most ({_ordinal(best, 'en')} to {_ordinal(worst, 'en')})",
            )
        )
    return ctx.t("；".join(parts) + "。", "; ".join(parts) + ".")


def comparison(ctx: Context, document: Mapping[str, Any], caption: str) -> list[Block]:
    """The sentence and the table; ``caption`` numbers the table among the annex's tables."""
    check_comparison(document)
    names = {entry["id"]: _name(ctx, entry) for entry in document["ranking"]}
    scenarios = [s["name"] for s in document["scenarios"]]
    rows = [
        (
            names[entry["id"]],
            *(
                _rank_cell(ctx, rank, change)
                for rank, change in zip(entry["ranks"], entry["change"], strict=True)
            ),
        )
        for entry in document["ranking"]
    ]
    firm = bool(document.get("firmness"))
    firmness = document["firmness"] if firm else [{} for _ in scenarios]
    leaders = [
        _leader_cell(ctx, names[item], found.get("firmness"))
        for item, found in zip(_leaders(document), firmness, strict=True)
    ]
    rows.append((ctx.t("居首（把握程度）", "First (how firm)") if firm else ctx.t("居首", "First"), *leaders))
    note = ctx.t(
        f"名次按各方案自身设置计算，括号内为相对“{scenarios[0]}”的升降。",
        f"Ranks under each scenario's own settings; in brackets the move against “{scenarios[0]}”.",
    )
    return [
        Paragraph(_differences(ctx, document, names)),
        Table(
            header=(ctx.t("对策", "Countermeasure"), *scenarios),
            rows=tuple(rows),
            caption=caption,
            numeric=(False, *(True for _ in scenarios)),
            widths=(2.2, *(1.0 for _ in scenarios)),
        ),
        Paragraph(note),
    ]
