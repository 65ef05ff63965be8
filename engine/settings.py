"""What the analyst chose: method, normalisation, weight source, experts and judgment edits.

``Settings`` is a small frozen, hashable value, so it can key a cache, travel between app pages
and be written into a memo's appendix as YAML that reproduces the ranking.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar, cast

from engine.errors import InputError
from engine.io.reader import Reader, parse_saaty
from engine.mcda.ahp import AHP_METHODS, AHPMethod
from engine.mcda.methods import METHODS
from engine.mcda.normalization import NORMALIZATIONS, NormalizationName
from engine.text.messages import shown

WEIGHT_SOURCES = ("ahp", "preset", "manual")
AGGREGATIONS = ("judgments", "priorities")  # AIJ or AIP (see engine.insight.groups)

JudgmentEdit = tuple[str, str, float]  # (a, b, value) at one node

_Option = TypeVar("_Option", bound=str)
_Default = TypeVar("_Default", bound=str | None)


@dataclass(frozen=True)
class Settings:
    """One analysis configuration.

    ``weight_source`` is ``"ahp"`` (weights derived from the pairwise judgments of ``experts``,
    all of them when empty, with any ``judgment_edits`` applied to the combined judgments),
    ``"preset"`` (the named ``preset``) or ``"manual"`` (``manual_weights``, renormalised).
    ``normalization`` ``None`` means the method's textbook default.
    """

    method: str = "topsis"
    normalization: NormalizationName | None = None
    weight_source: str = "ahp"
    preset: str | None = None
    manual_weights: tuple[tuple[str, float], ...] = ()
    experts: tuple[str, ...] = ()
    ahp_method: AHPMethod = "eigen"
    judgment_edits: tuple[tuple[str, tuple[JudgmentEdit, ...]], ...] = ()
    vikor_v: float = 0.5
    group_weights: tuple[tuple[str, float], ...] = field(default=())
    aggregation: str = "judgments"

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown method {self.method!r} (expected one of {', '.join(METHODS)})")
        if self.normalization is not None and self.normalization not in NORMALIZATIONS:
            raise ValueError(
                f"unknown normalization {self.normalization!r} (expected one of {', '.join(NORMALIZATIONS)})"
            )
        if self.weight_source not in WEIGHT_SOURCES:
            raise ValueError(f"unknown weight source {self.weight_source!r}")
        if self.weight_source == "preset" and not self.preset:
            raise ValueError("weight source 'preset' needs a preset id")
        if self.weight_source == "manual" and not self.manual_weights:
            raise ValueError("weight source 'manual' needs manual weights")
        if self.ahp_method not in AHP_METHODS:
            raise ValueError(f"unknown AHP method {self.ahp_method!r}")
        if not 0 <= self.vikor_v <= 1:
            raise ValueError(f"vikor_v must lie in 0..1, got {self.vikor_v}")
        if self.aggregation not in AGGREGATIONS:
            allowed = ", ".join(AGGREGATIONS)
            raise ValueError(f"unknown aggregation {self.aggregation!r} (expected one of {allowed})")

    def with_manual_weights(self, weights: Mapping[str, float]) -> Settings:
        return replace(self, weight_source="manual", preset=None, manual_weights=tuple(weights.items()))

    def with_preset(self, preset_id: str) -> Settings:
        return replace(self, weight_source="preset", preset=preset_id, manual_weights=())

    def with_judgments(self, node_id: str, edits: tuple[JudgmentEdit, ...]) -> Settings:
        others = tuple(item for item in self.judgment_edits if item[0] != node_id)
        return replace(
            self,
            weight_source="ahp",
            preset=None,
            manual_weights=(),
            judgment_edits=(*others, (node_id, edits)),
        )

    def to_mapping(self) -> dict[str, Any]:
        """A plain mapping for YAML/JSON; :meth:`from_mapping` reads it back."""
        out: dict[str, Any] = {"method": self.method, "weight_source": self.weight_source}
        if self.normalization is not None:
            out["normalization"] = self.normalization
        if self.preset:
            out["preset"] = self.preset
        if self.manual_weights:
            out["manual_weights"] = {leaf: float(w) for leaf, w in self.manual_weights}
        if self.experts:
            out["experts"] = list(self.experts)
        if self.ahp_method != "eigen":
            out["ahp_method"] = self.ahp_method
        if self.judgment_edits:
            out["judgment_edits"] = {
                node: [{"a": a, "b": b, "value": float(v)} for a, b, v in edits]
                for node, edits in self.judgment_edits
            }
        if self.vikor_v != 0.5:
            out["vikor_v"] = self.vikor_v
        if self.group_weights:
            out["group_weights"] = {g: float(w) for g, w in self.group_weights}
        if self.aggregation != "judgments":
            out["aggregation"] = self.aggregation
        return out

    @classmethod
    def from_mapping(cls, document: Any, source: str, place: str = "settings") -> Settings:
        """Validate a settings mapping (as written by :meth:`to_mapping`)."""
        reader = Reader(source)
        keys = (
            "method",
            "weight_source",
            "normalization",
            "preset",
            "manual_weights",
            "experts",
            "ahp_method",
            "judgment_edits",
            "vikor_v",
            "group_weights",
            "aggregation",
        )
        fields = reader.mapping(document, place, (), keys)

        def choice(key: str, allowed: tuple[_Option, ...], default: _Default) -> _Option | _Default:
            """The value at ``key``, one of ``allowed``; ``default`` when absent (or null, where the
            default itself is None)."""
            value = fields.get(key, default)
            if value is None and default is None:
                return default
            if value not in allowed:
                raise reader.coded(f"{place}.{key}", "one_of", allowed=list(allowed), got=shown(repr(value)))
            return cast(_Option, value)  # checked just above

        def numbers(key: str) -> tuple[tuple[str, float], ...]:
            raw = reader.mapping(fields.get(key, {}), f"{place}.{key}", (), fields.get(key, {}) or ())
            return tuple(
                (reader.ident(k, f"{place}.{key}"), reader.number(v, f"{place}.{key}.{k}", low=0))
                for k, v in raw.items()
            )

        edits: list[tuple[str, tuple[JudgmentEdit, ...]]] = []
        raw_edits = fields.get("judgment_edits", {})
        for node, items in reader.mapping(raw_edits, f"{place}.judgment_edits", (), raw_edits or ()).items():
            node_place = f"{place}.judgment_edits.{node}"
            parsed = []
            for i, item in enumerate(reader.sequence(items, node_place)):
                entry = reader.mapping(item, f"{node_place}[{i}]", ("a", "b", "value"))
                parsed.append(
                    (
                        reader.ident(entry["a"], f"{node_place}[{i}].a"),
                        reader.ident(entry["b"], f"{node_place}[{i}].b"),
                        parse_saaty(entry["value"], f"{node_place}[{i}].value", reader),
                    )
                )
            edits.append((reader.ident(node, node_place), tuple(parsed)))
        experts = fields.get("experts", [])
        try:
            return cls(
                method=choice("method", METHODS, "topsis"),
                normalization=choice("normalization", NORMALIZATIONS, None),
                weight_source=choice("weight_source", WEIGHT_SOURCES, "ahp"),
                preset=reader.ident(fields["preset"], f"{place}.preset") if "preset" in fields else None,
                manual_weights=numbers("manual_weights"),
                experts=tuple(
                    reader.ident(e, f"{place}.experts[{i}]")
                    for i, e in enumerate(reader.sequence(experts, f"{place}.experts", min_items=0))
                ),
                ahp_method=choice("ahp_method", AHP_METHODS, "eigen"),
                judgment_edits=tuple(edits),
                vikor_v=reader.number(fields.get("vikor_v", 0.5), f"{place}.vikor_v", low=0, high=1),
                group_weights=numbers("group_weights"),
                aggregation=choice("aggregation", AGGREGATIONS, "judgments"),
            )
        except ValueError as exc:
            if isinstance(exc, InputError):
                raise
            raise reader.fail(place, str(exc)) from None
