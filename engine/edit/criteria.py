"""Edits of the criteria tree: add, rename, move or retire a criterion.

A tree edit changes which pairs each node's experts must judge. Nothing is silently dropped or
invented: every judgment the edit removes, every pair it has to add (written as 1, equally
important, until someone judges it) and every judgment kept in a node whose children changed is
returned as a :class:`~engine.edit.project.Flag` beside the new texts.

Retiring a criterion takes it out of the tree (with its subtree), its scores out of the catalogue
and its weight out of every preset; unlike a countermeasure it cannot stay in the files unused,
because every score and judgment refers to the tree. The workspace keeps the earlier revision, so
a revert brings it back. A new leaf gets the same first score for every countermeasure (retired
ones included, so they stay complete) and weight 0 in every preset, which keeps each preset's
stance until someone weighs the new criterion.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from engine.edit.catalogue import ScoreEdit, text_value
from engine.edit.project import Edited, Flag, ProjectFiles, checked
from engine.edit.yamltext import Path, YamlText
from engine.io.reader import join_place
from engine.model import Text
from engine.text.messages import coded

PLACEHOLDER_WHY = Text(
    zh="待判断：准则调整后新增的一对，暂按同等重要（1）",
    en="to be judged: a pair added by a change of the criteria, equally important (1) for now",
)


@dataclass(frozen=True)
class NewCriterion:
    """A leaf criterion to add (see docs/formats.md for the fields)."""

    id: str
    name: Text
    description: Text
    direction: str  # "benefit" | "cost"
    unit: Text
    low: float
    high: float
    quantitative: bool = False

    def entry(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": text_value(self.name),
            "description": text_value(self.description),
            "direction": self.direction,
            "unit": text_value(self.unit),
            "scale": {"low": self.low, "high": self.high},
            "quantitative": self.quantitative,
        }


# ---------------------------------------------------------------- finding nodes in the text


def _walk(node: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], dict[str, Any]]]:
    if not isinstance(node, dict):
        return
    yield path, node
    for index, child in enumerate(node.get("children") or []):
        yield from _walk(child, [*path, "children", index])


def _node_path(document: YamlText, source: str, node_id: str) -> list[str | int]:
    for path, node in _walk(document.value(["goal"]), ["goal"]):
        if node.get("id") == node_id:
            return path
    raise coded(source, "goal", "unknown_node", id=node_id)


def _place(path: Path) -> str:
    """A path as messages write a place in a file: ``goal.children[0].children[1]``."""
    place = ""
    for step in path:
        place = join_place(place, step)
    return place


def _node(document: YamlText, path: Path) -> dict[str, Any]:
    return document.value(path)


def _child_ids(node: dict[str, Any]) -> list[str]:
    return [child["id"] for child in node.get("children") or []]


def _subtree(node: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(ids of every node under and including ``node``, ids of its leaves)."""
    nodes = [found["id"] for _, found in _walk(node, [])]
    leaves = [found["id"] for _, found in _walk(node, []) if not found.get("children")]
    return nodes, leaves


def _value(raw: Any) -> float:
    try:
        return float(Fraction(str(raw).strip()))
    except (ValueError, ZeroDivisionError):
        return float("nan")


# ---------------------------------------------------------------- judgments of a node whose children change


def _rejudge(
    document: YamlText, node_id: str, removed: set[str], children: list[str], added: list[str]
) -> tuple[YamlText, list[Flag]]:
    """Every expert's judgments of ``node_id`` once its children are ``children`` (``removed`` gone,
    ``added`` new): pairs naming a removed child are dropped, new pairs written as 1, the rest kept."""
    flags: list[Flag] = []
    for index, expert in enumerate(document.value(["experts"])):
        path: list[str | int] = ["experts", index, "judgments", node_id]
        given = list((expert.get("judgments") or {}).get(node_id) or [])
        keep = len(children) >= 2
        for position in reversed(range(len(given))):
            item = given[position]
            gone = item.get("a") in removed or item.get("b") in removed or not keep
            flag = Flag(
                expert["id"], node_id, item.get("a"), item.get("b"), _value(item.get("value")), "dropped"
            )
            if gone:
                flags.append(flag)
                if keep:
                    document = document.delete([*path, position])
                del given[position]
            elif removed or added:
                flags.append(Flag(flag.expert, flag.node, flag.a, flag.b, flag.value, "review"))
        if not keep:
            if document.has(path):
                document = document.delete(path)
            continue
        judged = {frozenset((item.get("a"), item.get("b"))) for item in given}
        new_pairs = [
            (one, other)
            for i, one in enumerate(children)
            for other in children[i + 1 :]
            if frozenset((one, other)) not in judged and (one in added or other in added)
        ]
        for one, other in new_pairs:
            flags.append(Flag(expert["id"], node_id, one, other, 1.0, "placeholder"))
            entry = {"a": one, "b": other, "value": 1, "why": text_value(PLACEHOLDER_WHY)}
            document = document.append(path, entry) if given else document.set(path, [entry])
            given.append(entry)
    return document, flags


def _drop_subtree_judgments(document: YamlText, nodes: list[str]) -> tuple[YamlText, list[Flag]]:
    """Judgments of nodes that leave the tree with a retired subtree."""
    flags: list[Flag] = []
    for index, expert in enumerate(document.value(["experts"])):
        for node_id in nodes:
            given = (expert.get("judgments") or {}).get(node_id)
            if given is None:
                continue
            flags += [
                Flag(
                    expert["id"], node_id, item.get("a"), item.get("b"), _value(item.get("value")), "dropped"
                )
                for item in given
            ]
            document = document.delete(["experts", index, "judgments", node_id])
    return document, flags


# ---------------------------------------------------------------- scores and preset weights of leaves


def _catalogue_scores(files: ProjectFiles, leaves: list[str], first: ScoreEdit | None) -> YamlText:
    document = files.yaml("catalogue")
    for index, _ in enumerate(document.value(["countermeasures"])):
        for leaf in leaves:
            path: list[str | int] = ["countermeasures", index, "scores", leaf]
            if first is not None:
                document = document.set(path, first.entry())
            elif document.has(path):
                document = document.delete(path)
    return document


def _preset_weights(files: ProjectFiles, leaves: list[str], *, add: bool) -> dict[str, str]:
    texts = {}
    for preset in files.presets:
        document = YamlText(preset.text)
        for leaf in leaves:
            path = ["weights", leaf]
            if add:
                document = document.set(path, 0)
            elif document.has(path):
                document = document.delete(path)
        texts[preset.label] = document.text
    return texts


def _sorted(flags: list[Flag]) -> tuple[Flag, ...]:
    order = {"dropped": 0, "placeholder": 1, "review": 2}
    return tuple(sorted(flags, key=lambda f: (order[f.reason], f.node, f.expert)))


# ---------------------------------------------------------------- the edits


def rename_criterion(
    files: ProjectFiles, node_id: str, name: Text, description: Text | None = None
) -> Edited:
    """New name (and description, when given) of a criterion or group; the id stays."""
    document = files.yaml("criteria")
    path = _node_path(document, files.criteria.label, node_id)
    document = document.set([*path, "name"], text_value(name))
    if description is not None:
        document = document.set([*path, "description"], text_value(description))
    return checked(files, files.with_text("criteria", document))


def add_criterion(
    files: ProjectFiles, parent: str, criterion: NewCriterion, first_score: ScoreEdit
) -> Edited:
    """A new leaf criterion under the group ``parent``.

    Every countermeasure gets ``first_score`` on it (its ``measure`` and ``criterion`` are ignored)
    and every preset weight 0; the parent's experts get placeholder judgments for the new pairs.
    """
    document = files.yaml("criteria")
    source = files.criteria.label
    path = _node_path(document, source, parent)
    node = _node(document, path)
    if not node.get("children"):
        raise coded(source, _place(path), "not_a_group", id=parent)
    document = document.append([*path, "children"], criterion.entry())
    children = [*_child_ids(node), criterion.id]
    document, flags = _rejudge(document, parent, set(), children, [criterion.id])
    edited = files.with_text("criteria", document)
    edited = edited.with_text("catalogue", _catalogue_scores(files, [criterion.id], first_score))
    edited = edited.with_presets(_preset_weights(files, [criterion.id], add=True))
    return checked(files, edited, _sorted(flags))


def _parent_path(path: list[str | int]) -> list[str | int]:
    return path[:-2]


def retire_criterion(files: ProjectFiles, node_id: str) -> Edited:
    """Take a criterion (a leaf, or a group with everything under it) out of the tree."""
    document = files.yaml("criteria")
    source = files.criteria.label
    path = _node_path(document, source, node_id)
    if path == ["goal"]:
        raise coded(source, "goal", "retire_goal")
    parent = _node(document, _parent_path(path))
    siblings = _child_ids(parent)
    if len(siblings) == 1:
        raise coded(source, _place(path), "last_child", id=node_id, node=parent["id"])
    nodes, leaves = _subtree(_node(document, path))
    document = document.delete(path)
    document, flags = _rejudge(document, parent["id"], {node_id}, [s for s in siblings if s != node_id], [])
    document, dropped = _drop_subtree_judgments(document, nodes)
    edited = files.with_text("criteria", document)
    edited = edited.with_text("catalogue", _catalogue_scores(files, leaves, None))
    edited = edited.with_presets(_preset_weights(files, leaves, add=False))
    return checked(files, edited, _sorted(flags + dropped))


def move_criterion(files: ProjectFiles, node_id: str, new_parent: str) -> Edited:
    """Move a criterion (with its subtree) under another group; its scores and weights stay."""
    document = files.yaml("criteria")
    source = files.criteria.label
    path = _node_path(document, source, node_id)
    if path == ["goal"]:
        raise coded(source, "goal", "move_inside", id=node_id, node=new_parent)
    target_path = _node_path(document, source, new_parent)
    target = _node(document, target_path)
    subtree, _ = _subtree(_node(document, path))
    if new_parent in subtree:
        raise coded(source, _place(target_path), "move_inside", id=node_id, node=new_parent)
    if not target.get("children"):
        raise coded(source, _place(target_path), "not_a_group", id=new_parent)
    old_parent = _node(document, _parent_path(path))
    if old_parent["id"] == new_parent:
        return checked(files, files)
    siblings = _child_ids(old_parent)
    if len(siblings) == 1:
        raise coded(source, _place(path), "last_child", id=node_id, node=old_parent["id"])
    lines, indent = document.lines_of(path)
    document = document.delete(path)
    target_path = _node_path(document, source, new_parent)  # indices may have shifted
    document = document.insert_lines([*target_path, "children"], lines, indent)
    document, flags = _rejudge(
        document, old_parent["id"], {node_id}, [s for s in siblings if s != node_id], []
    )
    children = [*_child_ids(target), node_id]
    document, added = _rejudge(document, new_parent, set(), children, [node_id])
    return checked(files, files.with_text("criteria", document), _sorted(flags + added))
