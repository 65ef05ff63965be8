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

    def mapping(
        self, value: Any, place: str, required: Iterable[str], optional: Iterable[str] = ()
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(place or "top level", f"expected a mapping, got {describe_kind(value)}")
        required = tuple(required)
        allowed = (*required, *optional)
        for key in value:
            if not isinstance(key, str) or key not in allowed:
                raise self.fail(
                    join_place(place, str(key)),
                    f"unknown key {str(key)!r} (expected one of: {', '.join(allowed)})",
                )
        for key in required:
            if key not in value:
                raise self.fail(place or "top level", f"missing key {key!r}")
        return value

    def version(self, document: dict[str, Any]) -> None:
        if document.get("version") != FORMAT_VERSION:
            raise self.fail(
                "version", f"expected {FORMAT_VERSION}, got {show_value(document.get('version'))}"
            )

    def string(self, value: Any, place: str, *, pattern: re.Pattern[str] | None = None) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(place, f"expected a non-empty text, got {describe_kind(value)}")
        if len(value) > MAX_TEXT:
            raise self.fail(place, f"text longer than {MAX_TEXT} characters")
        if pattern is not None and not pattern.match(value):
            raise self.fail(place, f"expected an id matching {pattern.pattern}, got {show_value(value)}")
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
            raise self.fail(place, f"expected a number, got {describe_kind(value)}")
        number = float(value)
        if not math.isfinite(number):
            raise self.fail(place, f"expected a finite number, got {show_value(value)}")
        if (low is not None and number < low) or (high is not None and number > high):
            raise self.fail(
                place,
                f"expected a number in {format_bound(low)}..{format_bound(high)}, got {format_bound(number)}",
            )
        return number

    def boolean(self, value: Any, place: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(place, f"expected true or false, got {describe_kind(value)}")
        return value

    def sequence(self, value: Any, place: str, *, min_items: int = 1) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(place, f"expected a list, got {describe_kind(value)}")
        if len(value) < min_items:
            raise self.fail(place, f"expected at least {min_items} item(s), got {len(value)}")
        return value

    def unique(self, ids: Iterable[tuple[str, str]]) -> None:
        seen: dict[str, str] = {}
        for place, item_id in ids:
            if item_id in seen:
                raise self.fail(place, f"duplicate id {item_id!r} (first used at {seen[item_id]})")
            seen[item_id] = place


def join_place(place: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{place}[{key}]"
    return f"{place}.{key}" if place else key


def describe_kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"a boolean ({value})"
    if isinstance(value, str):
        return f"text {show_value(value)}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {show_value(value)}"


def show_value(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


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
            raise reader.fail(place, f"expected a number in 1/9..9, got {show_value(value)}") from None
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise reader.fail(place, f"expected a number in 1/9..9, got {describe_kind(value)}")
    else:
        number = float(value)
    if not (SAATY_MIN * (1 - _SAATY_SLACK) <= number <= SAATY_MAX):
        raise reader.fail(place, f"expected a number in 1/9..9, got {show_value(value)}")
    return min(max(number, SAATY_MIN), SAATY_MAX)
