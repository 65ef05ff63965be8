"""What changed between two revisions of a project, in data and in words.

A scenario saved on an older revision of the catalogue is opened on a newer one: before it is
ranked again the analyst reads what moved underneath it (scores, countermeasures, criteria,
facts). :func:`diff` gives the changes as data, :func:`describe` as one sentence each in Chinese
or English, with names, not ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.model import Lang, Node, Problem, Text
from engine.text.numbers import join_list

__all__ = ["Changes", "CriterionMove", "ScoreChange", "describe", "diff"]


@dataclass(frozen=True)
class ScoreChange:
    measure: str
    criterion: str
    before: float
    after: float


@dataclass(frozen=True)
class CriterionMove:
    criterion: str
    before: str  # the old parent's id
    after: str  # the new parent's id


@dataclass(frozen=True)
class Changes:
    """Every difference :func:`describe` reports, by kind; ids throughout."""

    scores: tuple[ScoreChange, ...] = ()
    reasons: tuple[tuple[str, str], ...] = ()  # (measure, criterion) whose reason or evidence changed
    measures_added: tuple[str, ...] = ()
    measures_retired: tuple[str, ...] = ()  # retired or gone from the catalogue
    measures_restored: tuple[str, ...] = ()
    measures_renamed: tuple[str, ...] = ()
    criteria_added: tuple[str, ...] = ()
    criteria_renamed: tuple[str, ...] = ()
    criteria_moved: tuple[CriterionMove, ...] = ()
    criteria_retired: tuple[str, ...] = ()
    facts_added: tuple[str, ...] = ()
    names: dict[str, Text] = field(default_factory=dict, compare=False)  # id -> name (the new one)
    old_names: dict[str, Text] = field(default_factory=dict, compare=False)  # id -> name before

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__ if not name.endswith("names"))


def _parents(root: Node) -> dict[str, str]:
    found: dict[str, str] = {}

    def walk(node: Node) -> None:
        for child in node.children:
            found[child.id] = node.id
            walk(child)

    walk(root)
    return found


def diff(old: Problem, new: Problem) -> Changes:
    """The changes from ``old`` to ``new`` (ids in the new problem's order, then the old one's)."""
    old_active = {item.id: item for item in old.countermeasures}
    new_active = {item.id: item for item in new.countermeasures}
    old_all = old_active | {item.id: item for item in old.retired}
    new_all = new_active | {item.id: item for item in new.retired}
    old_nodes = {node.id: node for node in old.criteria.goal.walk()}
    new_nodes = {node.id: node for node in new.criteria.goal.walk()}
    old_parents, new_parents = _parents(old.criteria.goal), _parents(new.criteria.goal)

    scores, reasons = [], []
    for measure in new_active:
        if measure not in old_all:
            continue
        before, after = old_all[measure].scores, new_active[measure].scores
        for leaf in new.leaf_ids:
            if leaf not in before:
                continue
            if before[leaf].value != after[leaf].value:
                scores.append(ScoreChange(measure, leaf, before[leaf].value, after[leaf].value))
            elif before[leaf] != after[leaf]:
                reasons.append((measure, leaf))

    old_names = {key: item.short for key, item in old_all.items()} | {k: n.name for k, n in old_nodes.items()}
    new_names = {key: item.short for key, item in new_all.items()} | {k: n.name for k, n in new_nodes.items()}
    return Changes(
        scores=tuple(scores),
        reasons=tuple(reasons),
        measures_added=tuple(m for m in new_active if m not in old_all),
        measures_retired=tuple(m for m in old_active if m not in new_active),
        measures_restored=tuple(m for m in new_active if m in old_all and m not in old_active),
        measures_renamed=tuple(
            m
            for m in new_all
            if m in old_all and (old_all[m].name, old_all[m].short) != (new_all[m].name, new_all[m].short)
        ),
        criteria_added=tuple(n for n in new_nodes if n not in old_nodes),
        criteria_renamed=tuple(
            n for n in new_nodes if n in old_nodes and old_nodes[n].name != new_nodes[n].name
        ),
        criteria_moved=tuple(
            CriterionMove(n, old_parents[n], new_parents[n])
            for n in new_parents
            if n in old_parents and old_parents[n] != new_parents[n]
        ),
        criteria_retired=tuple(n for n in old_nodes if n not in new_nodes),
        facts_added=tuple(f.id for f in new.evidence.facts if f.id not in {g.id for g in old.evidence.facts}),
        names=old_names | new_names,
        old_names=old_names,
    )


# (zh, en) of each sentence; {names} is a list of names, the others one name or number each
_SENTENCES: dict[str, tuple[str, str]] = {
    "score": (
        "{measure}在“{criterion}”上的评分：{before} → {after}",
        "{measure} on {criterion}: {before} → {after}",
    ),
    "reasons": ("{count}项评分的理由或证据有改动", "the reason or evidence of {count} score(s) changed"),
    "measures_added": ("新增对策：{names}", "countermeasures added: {names}"),
    "measures_retired": ("停用对策：{names}", "countermeasures retired: {names}"),
    "measures_restored": ("恢复对策：{names}", "countermeasures brought back: {names}"),
    "renamed": ("“{before}”改名为“{after}”", "{before} renamed {after}"),
    "criteria_added": ("新增准则：{names}", "criteria added: {names}"),
    "moved": (
        "准则“{criterion}”从“{before}”移到“{after}”之下",
        "criterion {criterion} moved from {before} to {after}",
    ),
    "criteria_retired": ("停用准则：{names}", "criteria retired: {names}"),
    "facts_added": ("新增事实：{names}", "facts added: {names}"),
}


def _number(value: float) -> str:
    return f"{value:g}"


def describe(old: Problem, new: Problem, lang: Lang) -> list[str]:
    """One sentence per change from ``old`` to ``new``, in ``lang``, naming things by their names."""
    changes = diff(old, new)
    choose = 0 if lang == "zh" else 1

    def name(key: str) -> str:
        text = changes.names.get(key)
        return text.get(lang) if text is not None else key

    def names(keys: tuple[str, ...], quoted: bool = True) -> str:
        shown = [f"“{name(key)}”" if quoted and lang == "zh" else name(key) for key in keys]
        return join_list(shown, lang)

    lines = [
        _SENTENCES["score"][choose].format(
            measure=name(c.measure),
            criterion=name(c.criterion),
            before=_number(c.before),
            after=_number(c.after),
        )
        for c in changes.scores
    ]
    if changes.reasons:
        lines.append(_SENTENCES["reasons"][choose].format(count=len(changes.reasons)))
    for kind in ("measures_added", "measures_retired", "measures_restored", "criteria_added"):
        if getattr(changes, kind):
            lines.append(_SENTENCES[kind][choose].format(names=names(getattr(changes, kind))))
    # a countermeasure is renamed by its full name (its short label may be what stayed)
    full = {item.id: item.name for item in (*old.countermeasures, *old.retired)}
    full_new = {item.id: item.name for item in (*new.countermeasures, *new.retired)}
    lines += [
        _SENTENCES["renamed"][choose].format(before=full[key].get(lang), after=full_new[key].get(lang))
        for key in changes.measures_renamed
    ]
    lines += [
        _SENTENCES["renamed"][choose].format(before=changes.old_names[key].get(lang), after=name(key))
        for key in changes.criteria_renamed
    ]
    lines += [
        _SENTENCES["moved"][choose].format(
            criterion=name(m.criterion), before=name(m.before), after=name(m.after)
        )
        for m in changes.criteria_moved
    ]
    if changes.criteria_retired:
        lines.append(_SENTENCES["criteria_retired"][choose].format(names=names(changes.criteria_retired)))
    if changes.facts_added:
        lines.append(_SENTENCES["facts_added"][choose].format(names=names(changes.facts_added, quoted=False)))
    return lines
