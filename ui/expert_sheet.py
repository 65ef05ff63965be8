"""What an expert's answers say, for the questionnaire page: its steps, each judged node's
consistency and the revision to consider first, and how far the expert has got.

Pure functions over the panel's :class:`engine.model.Problem` and the expert's answers (item key ->
value); no Streamlit, so the page's logic is tested without a browser and before any answer is
stored. The maths is :mod:`engine.mcda.ahp`'s; this module only picks the expert's matrices out
of their answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from engine.mcda.ahp import CR_THRESHOLD, priorities, revision_hint
from engine.model import Node, Problem
from engine.store.panel import Item

StepKind = str  # "node" | "criterion" | "rating" | "submit"


@dataclass(frozen=True)
class Step:
    """One screen of the questionnaire: a judged node, one scored criterion, the self-rating or submit."""

    kind: StepKind
    id: str
    items: tuple[Item, ...]


def steps(items: Sequence[Item]) -> tuple[Step, ...]:
    """The asked ``items`` grouped into screens, in the order they are asked, then the submit screen.

    Judgments by node, scores by criterion (every countermeasure on one criterion, as the
    questionnaire workbook asks them), the self-rating on one screen.
    """
    groups: dict[tuple[str, str], list[Item]] = {}
    for item in items:
        if item.kind == "judgment":
            place = ("node", item.parts[0])
        elif item.kind == "score":
            place = ("criterion", item.parts[1])
        else:
            place = ("rating", "")
        groups.setdefault(place, []).append(item)
    found = [Step(kind, key, tuple(members)) for (kind, key), members in groups.items()]
    return (*found, Step("submit", "", ()))


def answered(items: Sequence[Item], values: Mapping[str, object]) -> int:
    return sum(item.key in values for item in items)


@dataclass(frozen=True)
class Hint:
    """Revise the judgment ``a`` versus ``b`` from ``current`` to ``proposed``: CR becomes ``cr_after``."""

    a: str
    b: str
    current: float
    proposed: float
    cr_after: float


@dataclass(frozen=True)
class Consistency:
    """A judged node's consistency from the expert's answers so far.

    ``cr`` is None until every pair is answered (and for a node of two children, where there is
    nothing to contradict); ``hint`` is set when CR >= 0.10 and a single change lowers it.
    """

    answered: int
    pairs: int
    cr: float | None
    hint: Hint | None

    @property
    def complete(self) -> bool:
        return self.answered == self.pairs

    @property
    def consistent(self) -> bool | None:
        return None if self.cr is None else self.cr < CR_THRESHOLD


def node_matrix(node: Node, values: Mapping[str, float]) -> np.ndarray | None:
    """The expert's comparison matrix of ``node`` (children in file order), None while a pair is open."""
    children = [child.id for child in node.children]
    n = len(children)
    matrix = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            value = values.get(Item.judgment(node.id, children[i], children[j]).key)
            if value is None:
                return None
            matrix[i, j] = float(value)
            matrix[j, i] = 1.0 / float(value)
    return matrix


def consistency(node: Node, values: Mapping[str, float], *, method: str = "eigen") -> Consistency:
    """How consistent the expert's judgments of ``node`` are, and what to revise first."""
    children = [child.id for child in node.children]
    n = len(children)
    keys = [Item.judgment(node.id, a, b).key for i, a in enumerate(children) for b in children[i + 1 :]]
    done = sum(key in values for key in keys)
    matrix = node_matrix(node, values)
    if matrix is None or n < 3:
        return Consistency(done, len(keys), None, None)
    result = priorities(matrix, method)  # type: ignore[arg-type]  # the panel's method, checked on create
    hint = None
    if result.cr >= CR_THRESHOLD:
        found = revision_hint(matrix, result.weights, method=method)  # type: ignore[arg-type]
        if found is not None:
            i, j, proposed = found
            revised = matrix.copy()
            revised[i, j], revised[j, i] = proposed, 1.0 / proposed
            after = priorities(revised, method).cr  # type: ignore[arg-type]
            hint = Hint(children[i], children[j], float(matrix[i, j]), float(proposed), float(after))
    return Consistency(done, len(keys), float(result.cr), hint)


def judged_node(problem: Problem, node_id: str) -> Node:
    return next(node for node in problem.criteria.judged_nodes if node.id == node_id)


def leaf(problem: Problem, leaf_id: str) -> Node:
    return next(node for node in problem.leaves if node.id == leaf_id)


def first_open_step(found: Sequence[Step], values: Mapping[str, object]) -> int:
    """The screen to open when the expert comes back: the first with a question still open."""
    for index, step in enumerate(found):
        if step.kind != "submit" and answered(step.items, values) < len(step.items):
            return index
    return len(found) - 1
