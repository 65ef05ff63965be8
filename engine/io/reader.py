"""The one reader of parsed YAML documents: typed access that names the file and the place on any mismatch.

Every loader (criteria, catalogue, evidence, presets, settings, package rules, screening specs) reads
through :class:`Reader`, so every message has the same shape: ``FILE: PLACE: expected ..., got ...``.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

from engine.errors import InputError
from engine.model import Text
from engine.text.messages import coded, describe_got, kind, show, shown

MAX_TEXT = 10_000
SAATY_MIN, SAATY_MAX = 1 / 9, 9.0
_SAATY_SLACK = 0.005  # lets hand-typed 0.111 or 0.333 stand for 1/9 and 1/3
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
FORMAT_VERSION = 1


def display_path(path: str | os.PathLike[str]) -> str:
    """How a file is named in messages: relative to the working directory when inside it."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class Reader:
    """Typed access to one parsed document, raising InputError with the place on any mismatch."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, place: str, expected: str) -> InputError:
        return InputError(self.source, place, expected)

    def coded(self, place: str, code: str, **params: Any) -> InputError:
        """An error worded by :data:`engine.text.messages.MESSAGES` (English here, any language later)."""
        return coded(self.source, place, code, **params)

    def mapping(
        self, value: Any, place: str, required: Iterable[str], optional: Iterable[str] = ()
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.coded(place or "top level", "expected_mapping", got=kind(value))
        required = tuple(required)
        allowed = (*required, *optional)
        for key in value:
            if not isinstance(key, str) or key not in allowed:
                raise self.coded(
                    join_place(place, str(key)), "unknown_key", key=str(key), allowed=list(allowed)
                )
        for key in required:
            if key not in value:
                raise self.coded(place or "top level", "missing_key", key=key)
        return value

    def version(self, document: dict[str, Any]) -> None:
        if document.get("version") != FORMAT_VERSION:
            raise self.coded(
                "version", "version", expected=FORMAT_VERSION, shown=show(document.get("version"))
            )

    def string(self, value: Any, place: str, *, pattern: re.Pattern[str] | None = None) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.coded(place, "expected_text", got=kind(value))
        if len(value) > MAX_TEXT:
            raise self.coded(place, "text_too_long", limit=MAX_TEXT)
        if pattern is not None and not pattern.match(value):
            raise self.coded(place, "expected_id", pattern=pattern.pattern, shown=show(value))
        return value

    def ident(self, value: Any, place: str) -> str:
        return self.string(value, place, pattern=ID_PATTERN)

    def text(self, value: Any, place: str) -> Text:
        fields = self.mapping(value, place, ("zh", "en"))
        return Text(
            zh=self.string(fields["zh"], join_place(place, "zh")),
            en=self.string(fields["en"], join_place(place, "en")),
        )

    def number(self, value: Any, place: str, *, low: float | None = None, high: float | None = None) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.coded(place, "expected_number", got=kind(value))
        number = float(value)
        if not math.isfinite(number):
            raise self.coded(place, "expected_finite", shown=show(value))
        if (low is not None and number < low) or (high is not None and number > high):
            raise self.coded(
                place,
                "number_range",
                low=format_bound(low),
                high=format_bound(high),
                got=shown(format_bound(number)),
            )
        return number

    def boolean(self, value: Any, place: str) -> bool:
        if not isinstance(value, bool):
            raise self.coded(place, "expected_boolean", got=kind(value))
        return value

    def sequence(self, value: Any, place: str, *, min_items: int = 1) -> list[Any]:
        if not isinstance(value, list):
            raise self.coded(place, "expected_list", got=kind(value))
        if len(value) < min_items:
            raise self.coded(place, "too_few_items", minimum=min_items, count=len(value))
        return value

    def unique(self, ids: Iterable[tuple[str, str]]) -> None:
        seen: dict[str, str] = {}
        for place, item_id in ids:
            if item_id in seen:
                raise self.coded(place, "duplicate_id", id=item_id, first=seen[item_id])
            seen[item_id] = place


def join_place(place: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{place}[{key}]"
    return f"{place}.{key}" if place else key


def describe_kind(value: Any) -> str:
    """What a value is, in English ("text 'high'", "a list"): the CLI's wording of :func:`kind`."""
    return describe_got(kind(value), "en")


def show_value(value: Any) -> str:
    return show(value)


def format_bound(value: float | None) -> str:
    if value is None:
        return ""
    if value == SAATY_MIN:
        return "1/9"
    return f"{value:g}"


def parse_saaty(value: Any, place: str, reader: Reader) -> float:
    """A judgment value: a number or a fraction text such as ``"1/3"``, within 1/9..9."""
    if isinstance(value, str):
        try:
            number = float(Fraction(value.strip()))
        except (ValueError, ZeroDivisionError):
            raise _saaty_range(reader, place, shown(show(value))) from None
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise _saaty_range(reader, place, kind(value))
    else:
        number = float(value)
    if not (SAATY_MIN * (1 - _SAATY_SLACK) <= number <= SAATY_MAX):
        raise _saaty_range(reader, place, shown(show(value)))
    return min(max(number, SAATY_MIN), SAATY_MAX)


def _saaty_range(reader: Reader, place: str, got: dict[str, str]) -> InputError:
    return reader.coded(place, "number_range", low="1/9", high="9", got=got)
