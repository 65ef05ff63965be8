"""Read and validate the YAML inputs into an immutable :class:`~engine.model.Problem`.

Every rule a file must obey is checked here, before any maths runs, and the first violation is
raised as an :class:`~engine.errors.InputError` naming the file, the place inside it and what was
expected. Unknown keys are errors: a misspelt key silently ignored is a wrong ranking nobody sees.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from engine.io.reader import (
    Reader,
    display_path,
    format_bound,
    join_place,
    parse_saaty,
)
from engine.io.safe_yaml import parse_yaml, read_yaml
from engine.model import (
    Countermeasure,
    Criteria,
    Evidence,
    Expert,
    Fact,
    Group,
    Judgment,
    Node,
    Pattern,
    Preset,
    Problem,
    Score,
    frozen_mapping,
)
from engine.settings import Settings
from engine.shipped import ROOT  # holds criteria/ and data/, in a checkout or installed
from engine.text.messages import kind

DEFAULT_CRITERIA = ROOT / "criteria" / "wuhan.yaml"
DEFAULT_DATA = ROOT / "data" / "countermeasures.yaml"
DEFAULT_EVIDENCE = ROOT / "data" / "evidence.yaml"

MAX_CHILDREN = 15  # Saaty's random index is tabulated up to n = 15
FACT_PATTERN = re.compile(r"^F[0-9]{2,3}$")
FACT_TOPICS = ("threat", "context", "countermeasure", "benchmark")


def _parse_node(reader: Reader, value: Any, place: str, depth: int) -> Node:
    fields = reader.mapping(
        value,
        place,
        ("id", "name", "description"),
        ("children", "direction", "unit", "scale", "quantitative"),
    )
    node_id = reader.ident(fields["id"], join_place(place, "id"))
    name = reader.text(fields["name"], join_place(place, "name"))
    description = reader.text(fields["description"], join_place(place, "description"))
    if "children" in fields:
        for key in ("direction", "unit", "scale", "quantitative"):
            if key in fields:
                raise reader.coded(join_place(place, key), "leaf_only_key", key=key)
        children_place = join_place(place, "children")
        raw_children = reader.sequence(fields["children"], children_place)
        if len(raw_children) > MAX_CHILDREN:
            raise reader.coded(
                children_place, "too_many_children", limit=MAX_CHILDREN, count=len(raw_children)
            )
        if depth >= 6:
            raise reader.coded(children_place, "tree_too_deep", depth=6)
        children = tuple(
            _parse_node(reader, child, join_place(children_place, i), depth + 1)
            for i, child in enumerate(raw_children)
        )
        return Node(id=node_id, name=name, description=description, children=children)

    for key in ("direction", "unit", "scale"):
        if key not in fields:
            raise reader.coded(place, "missing_leaf_key", key=key)
    direction = fields["direction"]
    if direction not in ("benefit", "cost"):
        raise reader.coded(join_place(place, "direction"), "direction", got=kind(direction))
    scale_place = join_place(place, "scale")
    scale = reader.mapping(fields["scale"], scale_place, ("low", "high"))
    low = reader.number(scale["low"], join_place(scale_place, "low"))
    high = reader.number(scale["high"], join_place(scale_place, "high"))
    if not low < high:
        raise reader.coded(scale_place, "low_high", low=format_bound(low), high=format_bound(high))
    quantitative = (
        reader.boolean(fields["quantitative"], join_place(place, "quantitative"))
        if "quantitative" in fields
        else False
    )
    return Node(
        id=node_id,
        name=name,
        description=description,
        direction=1 if direction == "benefit" else -1,
        unit=reader.text(fields["unit"], join_place(place, "unit")),
        scale=(low, high),
        quantitative=quantitative,
    )


def parse_judgments(reader: Reader, value: Any, place: str, node: Node) -> tuple[Judgment, ...]:
    """One node's pairwise judgments: every unordered pair of its children exactly once."""
    children = [child.id for child in node.children]
    raw = reader.sequence(value, place)
    judgments: list[Judgment] = []
    given: dict[frozenset[str], tuple[int, Judgment]] = {}
    for index, item in enumerate(raw):
        item_place = join_place(place, index)
        fields = reader.mapping(item, item_place, ("a", "b", "value"), ("why",))
        a = reader.ident(fields["a"], join_place(item_place, "a"))
        b = reader.ident(fields["b"], join_place(item_place, "b"))
        for key, child in (("a", a), ("b", b)):
            if child not in children:
                raise reader.coded(
                    join_place(item_place, key), "not_a_child", child=child, node=node.id, children=children
                )
        if a == b:
            raise reader.coded(item_place, "judgment_same", criterion=a)
        judgment = Judgment(
            a=a,
            b=b,
            value=parse_saaty(fields["value"], join_place(item_place, "value"), reader),
            why=reader.text(fields["why"], join_place(item_place, "why")) if "why" in fields else None,
        )
        pair = frozenset((a, b))
        if pair in given:
            first_index, first = given[pair]
            raise reader.coded(
                item_place,
                "judgment_twice",
                a=a,
                b=b,
                index=first_index,
                first_a=first.a,
                first_b=first.b,
                value=format_bound(first.value),
            )
        given[pair] = (index, judgment)
        judgments.append(judgment)
    for i, one in enumerate(children):
        for other in children[i + 1 :]:
            if frozenset((one, other)) not in given:
                raise reader.coded(place, "missing_judgment", one=one, other=other)
    return tuple(judgments)


def parse_criteria(document: Any, source: str) -> Criteria:
    """Validate a parsed criteria document (see docs/formats.md)."""
    reader = Reader(source)
    fields = reader.mapping(document, "", ("version", "id", "name", "goal", "experts"), ("groups",))
    reader.version(fields)
    goal = _parse_node(reader, fields["goal"], "goal", 0)
    if goal.is_leaf:
        raise reader.coded("goal", "goal_children")
    nodes = list(goal.walk())
    reader.unique((f"node {node.id}", node.id) for node in nodes)
    if sum(node.is_leaf for node in nodes) < 2:
        raise reader.coded("goal", "two_leaves")

    groups: tuple[Group, ...] = ()
    if "groups" in fields:
        raw_groups = reader.sequence(fields["groups"], "groups")
        parsed = []
        for index, item in enumerate(raw_groups):
            place = join_place("groups", index)
            group = reader.mapping(item, place, ("id", "name"), ("weight",))
            parsed.append(
                Group(
                    id=reader.ident(group["id"], join_place(place, "id")),
                    name=reader.text(group["name"], join_place(place, "name")),
                    weight=reader.number(group.get("weight", 1), join_place(place, "weight"), low=0),
                )
            )
        groups = tuple(parsed)
        reader.unique((join_place("groups", i), g.id) for i, g in enumerate(groups))
        if not any(group.weight > 0 for group in groups):
            raise reader.coded("groups", "groups_zero")

    judged = {node.id: node for node in nodes if len(node.children) >= 2}
    experts = []
    raw_experts = reader.sequence(fields["experts"], "experts")
    for index, item in enumerate(raw_experts):
        place = join_place("experts", index)
        expert = reader.mapping(item, place, ("id", "name", "judgments"), ("group", "weight"))
        group_id = None
        if "group" in expert:
            group_id = reader.ident(expert["group"], join_place(place, "group"))
            if group_id not in {group.id for group in groups}:
                raise reader.coded(join_place(place, "group"), "unknown_group", group=group_id)
        elif groups:
            raise reader.coded(place, "missing_group")
        judgments_place = join_place(place, "judgments")
        raw_judgments = reader.mapping(expert["judgments"], judgments_place, judged, ())
        experts.append(
            Expert(
                id=reader.ident(expert["id"], join_place(place, "id")),
                name=reader.text(expert["name"], join_place(place, "name")),
                group=group_id,
                weight=reader.number(expert.get("weight", 1), join_place(place, "weight"), low=0),
                judgments=frozen_mapping(
                    {
                        node_id: parse_judgments(
                            reader, raw_judgments[node_id], join_place(judgments_place, node_id), node
                        )
                        for node_id, node in judged.items()
                    }
                ),
            )
        )
    reader.unique((join_place("experts", i), e.id) for i, e in enumerate(experts))
    if not any(expert.weight > 0 for expert in experts):
        raise reader.coded("experts", "experts_zero")
    return Criteria(
        id=reader.ident(fields["id"], "id"),
        name=reader.text(fields["name"], "name"),
        goal=goal,
        experts=tuple(experts),
        groups=groups,
    )


# ---------------------------------------------------------------- evidence and catalogue


def parse_evidence(document: Any, source: str) -> Evidence:
    """Validate a parsed evidence document (see docs/formats.md)."""
    reader = Reader(source)
    fields = reader.mapping(document, "", ("version", "source", "facts"), ("patterns",))
    reader.version(fields)
    origin = reader.mapping(fields["source"], "source", ("title", "publisher"), ("reliability",))
    facts = []
    for index, item in enumerate(reader.sequence(fields["facts"], "facts")):
        place = join_place("facts", index)
        fact = reader.mapping(item, place, ("id", "topic", "quote", "summary"))
        topic = fact["topic"]
        if topic not in FACT_TOPICS:
            raise reader.coded(
                join_place(place, "topic"), "one_of", allowed=list(FACT_TOPICS), got=kind(topic)
            )
        facts.append(
            Fact(
                id=reader.string(fact["id"], join_place(place, "id"), pattern=FACT_PATTERN),
                topic=topic,
                quote=reader.string(fact["quote"], join_place(place, "quote")),
                summary=reader.text(fact["summary"], join_place(place, "summary")),
            )
        )
    reader.unique((join_place("facts", i), f.id) for i, f in enumerate(facts))
    patterns = _parse_patterns(reader, fields.get("patterns"), {f.id for f in facts})
    return Evidence(
        title=reader.text(origin["title"], "source.title"),
        publisher=reader.string(origin["publisher"], "source.publisher"),
        facts=tuple(facts),
        reliability=reader.text(origin["reliability"], "source.reliability")
        if "reliability" in origin
        else None,
        patterns=patterns,
    )


def _parse_patterns(reader: Reader, value: Any, fact_ids: set[str]) -> tuple[Pattern, ...]:
    """The optional ``patterns``: each names how rivals poach and the facts that show it."""
    if value is None:
        return ()
    patterns = []
    for index, item in enumerate(reader.sequence(value, "patterns")):
        place = join_place("patterns", index)
        fields = reader.mapping(item, place, ("id", "name", "facts"))
        facts_place = join_place(place, "facts")
        facts = []
        for i, fact_id in enumerate(reader.sequence(fields["facts"], facts_place)):
            fact_id = reader.string(fact_id, join_place(facts_place, i), pattern=FACT_PATTERN)
            if fact_id not in fact_ids:
                raise reader.fail(join_place(facts_place, i), f"unknown fact {fact_id!r}")
            facts.append(fact_id)
        patterns.append(
            Pattern(
                id=reader.ident(fields["id"], join_place(place, "id")),
                name=reader.text(fields["name"], join_place(place, "name")),
                facts=tuple(facts),
            )
        )
    reader.unique((join_place("patterns", i), p.id) for i, p in enumerate(patterns))
    return tuple(patterns)


def _parse_score(reader: Reader, value: Any, place: str, leaf: Node, fact_ids: set[str]) -> Score:
    fields = reader.mapping(value, place, ("value", "why", "evidence"), ("low", "high", "estimate"))
    low_bound, high_bound = leaf.scale or (None, None)
    number = reader.number(fields["value"], join_place(place, "value"), low=low_bound, high=high_bound)
    low = high = None
    if ("low" in fields) != ("high" in fields):
        raise reader.coded(place, "range_half")
    if "low" in fields:
        low = reader.number(fields["low"], join_place(place, "low"), low=low_bound, high=number)
        high = reader.number(fields["high"], join_place(place, "high"), low=number, high=high_bound)
    evidence_place = join_place(place, "evidence")
    evidence = tuple(
        reader.string(item, join_place(evidence_place, i), pattern=FACT_PATTERN)
        for i, item in enumerate(reader.sequence(fields["evidence"], evidence_place))
    )
    for i, fact_id in enumerate(evidence):
        if fact_id not in fact_ids:
            raise reader.coded(join_place(evidence_place, i), "unknown_fact", fact=fact_id)
    return Score(
        value=number,
        low=low,
        high=high,
        estimate=reader.boolean(fields["estimate"], join_place(place, "estimate"))
        if "estimate" in fields
        else False,
        why=reader.text(fields["why"], join_place(place, "why")),
        evidence=evidence,
    )


def parse_catalogue(
    document: Any, source: str, criteria: Criteria, evidence: Evidence
) -> tuple[Countermeasure, ...]:
    """Validate a parsed catalogue against the criteria and the evidence it cites."""
    reader = Reader(source)
    fields = reader.mapping(document, "", ("version", "countermeasures"))
    reader.version(fields)
    leaves = {leaf.id: leaf for leaf in criteria.leaves}
    fact_ids = {fact.id for fact in evidence.facts}
    items = []
    for index, item in enumerate(reader.sequence(fields["countermeasures"], "countermeasures")):
        place = join_place("countermeasures", index)
        measure = reader.mapping(
            item,
            place,
            ("id", "name", "short", "summary", "actions", "scores"),
            ("lead_unit", "timeframe", "retired"),
        )
        scores_place = join_place(place, "scores")
        raw_scores = reader.mapping(measure["scores"], scores_place, (), leaves)
        for leaf_id in leaves:
            if leaf_id not in raw_scores:
                raise reader.coded(scores_place, "missing_score", criterion=leaf_id)
        actions_place = join_place(place, "actions")
        items.append(
            Countermeasure(
                id=reader.ident(measure["id"], join_place(place, "id")),
                name=reader.text(measure["name"], join_place(place, "name")),
                short=reader.text(measure["short"], join_place(place, "short")),
                summary=reader.text(measure["summary"], join_place(place, "summary")),
                actions=tuple(
                    reader.text(action, join_place(actions_place, i))
                    for i, action in enumerate(reader.sequence(measure["actions"], actions_place))
                ),
                lead_unit=reader.text(measure["lead_unit"], join_place(place, "lead_unit"))
                if "lead_unit" in measure
                else None,
                timeframe=reader.text(measure["timeframe"], join_place(place, "timeframe"))
                if "timeframe" in measure
                else None,
                retired=reader.boolean(measure["retired"], join_place(place, "retired"))
                if "retired" in measure
                else False,
                scores=frozen_mapping(
                    {
                        leaf_id: _parse_score(
                            reader, raw_scores[leaf_id], join_place(scores_place, leaf_id), leaf, fact_ids
                        )
                        for leaf_id, leaf in leaves.items()
                    }
                ),
            )
        )
    reader.unique((join_place("countermeasures", i), m.id) for i, m in enumerate(items))
    if all(item.retired for item in items):
        raise reader.coded("countermeasures", "all_retired")
    return tuple(items)


# ---------------------------------------------------------------- presets and weight profiles


def parse_weights(reader: Reader, value: Any, place: str, leaf_ids: tuple[str, ...]) -> dict[str, float]:
    """Leaf weights: one non-negative entry per leaf, not all zero, renormalised to sum 1."""
    raw = reader.mapping(value, place, (), leaf_ids)
    for leaf_id in leaf_ids:
        if leaf_id not in raw:
            raise reader.coded(place, "missing_weight", criterion=leaf_id)
    weights = {leaf: reader.number(raw[leaf], join_place(place, leaf), low=0) for leaf in leaf_ids}
    largest = max(weights.values())
    if largest <= 0:
        raise reader.coded(place, "weights_zero")
    # scale by the largest first: weights near 1e308 must not overflow the sum
    scaled = {leaf: weight / largest for leaf, weight in weights.items()}
    total = math.fsum(scaled.values())
    return {leaf: weight / total for leaf, weight in scaled.items()}


def parse_preset(document: Any, source: str, leaf_ids: tuple[str, ...]) -> Preset:
    """Validate a preset or a downloaded weight profile (see docs/formats.md)."""
    reader = Reader(source)
    fields = reader.mapping(document, "", ("version", "id", "name", "weights"), ("description", "settings"))
    reader.version(fields)
    name = reader.text(fields["name"], "name")
    if "settings" in fields:
        Settings.from_mapping(fields["settings"], source)
    return Preset(
        id=reader.ident(fields["id"], "id"),
        name=name,
        description=reader.text(fields["description"], "description") if "description" in fields else name,
        weights=frozen_mapping(parse_weights(reader, fields["weights"], "weights", leaf_ids)),
    )


def load_preset(path: str | os.PathLike[str], leaf_ids: tuple[str, ...]) -> Preset:
    """Read one preset or weight-profile file."""
    label = display_path(path)
    return parse_preset(read_yaml(Path(path), label)[0], label, leaf_ids)


# ---------------------------------------------------------------- the whole problem


def problem_from_documents(
    criteria: tuple[Any, str],
    catalogue: tuple[Any, str],
    evidence: tuple[Any, str],
    presets: Iterable[tuple[Any, str]] = (),
    *,
    sources: Mapping[str, str] | None = None,
) -> Problem:
    """Build a Problem from parsed documents, each given as ``(document, source label)``."""
    parsed_criteria = parse_criteria(*criteria)
    parsed_evidence = parse_evidence(*evidence)
    # a retired countermeasure stays in the file (and in Problem.retired) but is never ranked
    measures = parse_catalogue(*catalogue, parsed_criteria, parsed_evidence)
    leaf_ids = tuple(leaf.id for leaf in parsed_criteria.leaves)
    parsed_presets = tuple(parse_preset(document, label, leaf_ids) for document, label in presets)
    Reader("presets").unique(
        (label, preset.id) for preset, (_, label) in zip(parsed_presets, presets, strict=True)
    )
    return Problem(
        criteria=parsed_criteria,
        countermeasures=tuple(item for item in measures if not item.retired),
        evidence=parsed_evidence,
        presets=parsed_presets,
        sources=frozen_mapping(sources),
        retired=tuple(item for item in measures if item.retired),
    )


def problem_from_bytes(
    criteria: tuple[bytes, str],
    catalogue: tuple[bytes, str],
    evidence: tuple[bytes, str],
    presets: Iterable[tuple[bytes, str]] = (),
) -> Problem:
    """Build a Problem from raw file contents (uploads), each given as ``(bytes, label)``."""
    files = [criteria, catalogue, evidence, *presets]
    parsed = [(parse_yaml(data, label), label) for data, label in files]
    sources = {label: hashlib.sha256(data).hexdigest() for data, label in files}
    return problem_from_documents(parsed[0], parsed[1], parsed[2], parsed[3:], sources=sources)


def preset_files(criteria_path: str | os.PathLike[str]) -> list[Path]:
    """The presets that belong to a criteria file: ``presets/*.yaml`` beside it."""
    folder = Path(criteria_path).parent / "presets"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def load_problem(
    criteria: str | os.PathLike[str] = DEFAULT_CRITERIA,
    data: str | os.PathLike[str] = DEFAULT_DATA,
    evidence: str | os.PathLike[str] | None = None,
    *,
    presets: Iterable[str | os.PathLike[str]] | None = None,
) -> Problem:
    """Load and validate the criteria, catalogue, evidence and presets into a Problem.

    ``evidence`` defaults to ``evidence.yaml`` beside the catalogue and ``presets`` to the
    ``presets/`` folder beside the criteria file.
    """
    evidence = evidence if evidence is not None else Path(data).parent / "evidence.yaml"
    preset_paths = list(presets) if presets is not None else preset_files(criteria)
    read: list[tuple[Any, str]] = []
    sources: dict[str, str] = {}
    for path in (criteria, data, evidence, *preset_paths):
        label = display_path(path)
        document, digest = read_yaml(path, label)
        read.append((document, label))
        sources[label] = digest
    return problem_from_documents(read[0], read[1], read[2], read[3:], sources=sources)


def notices(problem: Problem) -> tuple[str, ...]:
    """Things that are valid but that an analyst should know before trusting a ranking."""
    found = []
    matrix = problem.matrix
    for column, leaf in enumerate(problem.leaves):
        if len(matrix) > 1 and (matrix[:, column] == matrix[0, column]).all():
            found.append(
                f"criterion {leaf.id!r} has the same value for every countermeasure: it cannot "
                "separate them and does not affect the ranking"
            )
    return tuple(found)
