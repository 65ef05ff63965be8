"""The analysis choices a scenario keeps beside its :class:`~engine.settings.Settings`.

Settings are what ranks (weights, judgments, method); the choices are what the analyst set around
the ranking: the budget and its package rules, the robustness study's options and the raw
importances behind the direct sliders. They are stored as one JSON object so that a page added
later can keep its choice without a migration, but every key the engine knows is checked here,
so a hand-edited export cannot smuggle in a budget of "a lot".

Measure and criterion ids are not checked against the catalogue: a catalogue edit may retire a
countermeasure a saved scenario still names, and the scenario must open (the app drops what no
longer fits when it shows the choice, see ``ui.state.widget_value``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from engine.errors import InputError
from engine.panel.source import PanelSource

Check = Callable[[Any], str | None]  # None when the value is fine, else what was expected


def _optional_number(value: Any) -> str | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    ):
        return f"a number >= 0 or null, got {value!r}"
    return None


def _optional_flag(value: Any) -> str | None:
    return None if value is None or isinstance(value, bool) else f"true, false or null, got {value!r}"


def _optional_text(value: Any) -> str | None:
    return None if value is None or isinstance(value, str) else f"text or null, got {value!r}"


def _ids(value: Any) -> str | None:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return None
    return f"a list of ids, got {value!r}"


def _samples(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return f"a whole number of samples >= 1, got {value!r}"
    return None


def _weights(value: Any) -> str | None:
    if isinstance(value, Mapping) and all(
        isinstance(key, str)
        and not isinstance(number, bool)
        and isinstance(number, (int, float))
        and math.isfinite(number)
        and number >= 0
        for key, number in value.items()
    ):
        return None
    return f"a mapping of criterion ids to numbers >= 0, got {value!r}"


def _panel_source(value: Any) -> str | None:
    if value is None:
        return None
    try:
        PanelSource.from_choice(value)
    except InputError as exc:
        return f"a panel source ({exc.expected}), got {value!r}"
    return None


#: Every choice the engine knows, with the check of its value.
KNOWN: dict[str, Check] = {
    "budget": _optional_number,  # 亿元 per year; null: a third of the total cost
    "budget_rules": _optional_flag,  # apply the project's package rules; null: when they fit
    "budget_must": _ids,  # countermeasures every package includes
    "budget_exclude": _ids,  # countermeasures no package includes
    "budget_basis": _optional_text,  # what a countermeasure is worth in a package
    "samples": _samples,  # SMAA samples of the robustness study
    "robustness_model": _optional_text,  # the weight model; null: the one that fits the weights
    "robustness_performance": _optional_text,  # the score model; null: the engine's first
    "importance": _weights,  # raw importances behind the direct sliders
    "held": _weights,  # weights held fixed on the direct sliders
    "panel": _panel_source,  # the expert panel whose weights were set (engine.panel.source); null: none
}


def clean_choices(value: Any, source: str, place: str) -> dict[str, Any]:
    """``value`` as a choices object, or an :class:`InputError` naming the first bad key."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InputError(source, place, f"expected a mapping of choices, got {type(value).__name__}")
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key not in KNOWN:
            known = ", ".join(KNOWN)
            raise InputError(source, f"{place}.{key}", f"expected a known choice ({known})")
        problem = KNOWN[key](item)
        if problem is not None:
            raise InputError(source, f"{place}.{key}", f"expected {problem}")
        out[key] = dict(item) if isinstance(item, Mapping) else list(item) if isinstance(item, list) else item
    return out
