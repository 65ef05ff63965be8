"""The immutable problem model: criteria tree, judgments, presets, catalogue and evidence.

Everything here is data; loading and validation live in :mod:`engine.load`, the maths in the
numeric modules. Arrays are read-only and mappings are read-only views, so a ``Problem`` can be
shared between reruns, caches and threads without defensive copies.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Literal

import numpy as np
from numpy.typing import DTypeLike

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


def frozen_array(values: object, dtype: DTypeLike = float) -> np.ndarray:
    array: np.ndarray = np.array(values, dtype=dtype)
    array.setflags(write=False)
    return array


def frozen_mapping(items: Mapping | None = None) -> Mapping:
    return MappingProxyType(dict(items or {}))


@dataclass(frozen=True)
class Text:
    """A text in both languages."""

    zh: str
    en: str

    def get(self, lang: Lang) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Node:
    """A node of the criteria tree; a node without children is a leaf criterion."""

    id: str
    name: Text
    description: Text
    children: tuple[Node, ...] = ()
    direction: int = 0  # +1 benefit, -1 cost; 0 for inner nodes
    unit: Text | None = None
    scale: tuple[float, float] | None = None
    quantitative: bool = False

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> Iterator[Node]:
        """The node and its descendants, depth first, children in file order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Judgment:
    """``a`` is ``value`` times as important as ``b`` (Saaty's 1-9 scale or a reciprocal)."""

    a: str
    b: str
    value: float
    why: Text | None = None


@dataclass(frozen=True)
class Group:
    id: str
    name: Text
    weight: float = 1.0


@dataclass(frozen=True)
class Expert:
    id: str
    name: Text
    judgments: Mapping[str, tuple[Judgment, ...]]
    group: str | None = None
    weight: float = 1.0


@dataclass(frozen=True)
class Criteria:
    """The criteria tree with every expert's pairwise judgments."""

    id: str
    name: Text
    goal: Node
    experts: tuple[Expert, ...]
    groups: tuple[Group, ...] = ()

    @cached_property
    def leaves(self) -> tuple[Node, ...]:
        return tuple(node for node in self.goal.walk() if node.is_leaf)

    @property
    def judged_nodes(self) -> tuple[Node, ...]:
        """Nodes with two or more children: the ones that need pairwise judgments."""
        return tuple(node for node in self.goal.walk() if len(node.children) >= 2)

    def node(self, node_id: str) -> Node:
        for node in self.goal.walk():
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def expert(self, expert_id: str) -> Expert:
        for expert in self.experts:
            if expert.id == expert_id:
                return expert
        raise KeyError(expert_id)

    def path_to(self, leaf_id: str) -> tuple[Node, ...]:
        """The nodes from the goal down to ``leaf_id``, both included."""

        def search(node: Node, trail: tuple[Node, ...]) -> tuple[Node, ...] | None:
            trail = (*trail, node)
            if node.id == leaf_id:
                return trail
            for child in node.children:
                found = search(child, trail)
                if found:
                    return found
            return None

        found = search(self.goal, ())
        if found is None:
            raise KeyError(leaf_id)
        return found


@dataclass(frozen=True)
class Preset:
    """A named weight profile over the leaf criteria (already renormalised to sum 1)."""

    id: str
    name: Text
    description: Text
    weights: Mapping[str, float]


@dataclass(frozen=True)
class Score:
    """One countermeasure's performance on one leaf criterion, with its reason and evidence."""

    value: float
    why: Text
    evidence: tuple[str, ...]
    low: float | None = None
    high: float | None = None
    estimate: bool = False


@dataclass(frozen=True)
class Countermeasure:
    """One candidate countermeasure.

    ``lead_unit`` and ``timeframe`` are the catalogue's suggestions for who leads it and by when
    (the memo prints them as suggestions); None when the catalogue gives none. A ``retired``
    countermeasure stays in the catalogue file, with its scores, but is not ranked
    (:attr:`Problem.retired`).
    """

    id: str
    name: Text
    short: Text
    summary: Text
    actions: tuple[Text, ...]
    scores: Mapping[str, Score]
    lead_unit: Text | None = None
    timeframe: Text | None = None
    retired: bool = False


@dataclass(frozen=True)
class Fact:
    id: str
    topic: str
    quote: str
    summary: Text


@dataclass(frozen=True)
class Pattern:
    """One way rival cities pull firms, teams or projects away, told through the facts that show it."""

    id: str
    name: Text
    facts: tuple[str, ...]


@dataclass(frozen=True)
class Evidence:
    """The source's facts; ``reliability`` says how far its figures can be trusted (None: not stated),
    ``patterns`` group the facts that show how rivals poach (empty when the file defines none)."""

    title: Text
    publisher: str
    facts: tuple[Fact, ...]
    reliability: Text | None = None
    patterns: tuple[Pattern, ...] = ()

    def fact(self, fact_id: str) -> Fact:
        for fact in self.facts:
            if fact.id == fact_id:
                return fact
        raise KeyError(fact_id)


@dataclass(frozen=True)
class Problem:
    """Everything one analysis needs, validated and cross-referenced.

    ``matrix`` is the performance matrix (countermeasures x leaf criteria, in ``leaf_ids`` order)
    and ``directions`` holds +1 for benefit and -1 for cost criteria. ``countermeasures`` are the
    ones ranked; ``retired`` are those the catalogue keeps but marks ``retired: true``.
    """

    criteria: Criteria
    countermeasures: tuple[Countermeasure, ...]
    evidence: Evidence
    presets: tuple[Preset, ...] = ()
    sources: Mapping[str, str] = field(default_factory=frozen_mapping)  # label -> sha256
    retired: tuple[Countermeasure, ...] = ()

    @cached_property
    def leaves(self) -> tuple[Node, ...]:
        return self.criteria.leaves

    @cached_property
    def leaf_ids(self) -> tuple[str, ...]:
        return tuple(leaf.id for leaf in self.criteria.leaves)

    @property
    def alternative_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.countermeasures)

    @cached_property
    def matrix(self) -> np.ndarray:
        return frozen_array(
            [[item.scores[leaf].value for leaf in self.leaf_ids] for item in self.countermeasures]
        )

    @cached_property
    def directions(self) -> np.ndarray:
        return frozen_array([leaf.direction for leaf in self.leaves], dtype=int)

    @cached_property
    def bounds(self) -> np.ndarray:
        """Declared (low, high) scale of every leaf criterion, shape (n, 2)."""
        return frozen_array([leaf.scale for leaf in self.leaves])

    def countermeasure(self, item_id: str) -> Countermeasure:
        for item in self.countermeasures:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def preset(self, preset_id: str) -> Preset:
        for preset in self.presets:
            if preset.id == preset_id:
                return preset
        raise KeyError(preset_id)
