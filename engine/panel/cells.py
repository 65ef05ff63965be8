"""One answer cell read back: a judgment, a score, a self-rating or a reason, whatever the tool did to it.

Experts answer in Excel, WPS, LibreOffice or a survey tool, so the same answer arrives in many
shapes: ``3``, ``3.0``, ``"1/3"``, ``"1:3"``, full-width ``"１／３"``, ``0.33``, and, when a cell
was not formatted as text, a date or a time that Excel made of ``1/3`` or ``1:3``. The parsers here
turn every shape that has one meaning into that meaning and refuse the rest with a
:class:`CellProblem` (a message code and its parameters, :data:`engine.text.messages.MESSAGES`);
the file readers add the file, the sheet and the cell and collect every problem of a file into
one :class:`FileRefused`.

Dates are recovered by one rule. Excel turns ``1/k`` into 3 January (month/day order, as in
Chinese and US Excel) or 1 March (day/month order, as in British Excel), so a date whose month
and day are 1 and k (k = 1..9) is read as 1/k, whichever order made it. The other reading, k/1,
is never how the questionnaire writes a judgment (its drop-down offers k and 1/k), so the rule
has one answer. Every other date is refused. A time h:mm that Excel made of ``h:m`` is read as
h/m when that is on the scale.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from engine.errors import InputError
from engine.io.reader import format_bound
from engine.text.messages import coded, kind, shown

# Saaty's scale as the questionnaire offers it, strongest preference for A first
SAATY_TEXTS: tuple[str, ...] = (*(str(k) for k in range(9, 0, -1)), *(f"1/{k}" for k in range(2, 10)))
SAATY_VALUES: tuple[float, ...] = tuple(float(Fraction(text)) for text in SAATY_TEXTS)
# a decimal matches a scale value when it is that value to two places (0.33, 0.14, 0.125);
# neighbouring values (1/8, 1/9) are 0.014 apart, so no decimal matches two
_DECIMAL_SLACK = 0.005 + 1e-9
MAX_REASON = 2000
BLANKS = frozenset(("", "(跳过)", "(空)", "（跳过）", "（空）", "-"))  # survey tools' marks for no answer

_FRACTION = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*(?:/|:|∶|比)\s*([0-9]+(?:\.[0-9]+)?)$")
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
# a date as Excel shows it after turning "1/3" into one, in Chinese and in English Excel
_MONTH_DAY_ZH = re.compile(r"^(\d{1,2})月(\d{1,2})日$")
_DAY_MONTH_EN = re.compile(r"^(\d{1,2})-([A-Za-z]{3})$")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


class CellProblem(Exception):
    """What is wrong with one cell, as a message code and its parameters (no file or place yet)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def at(self, source: str, place: str) -> InputError:
        return coded(source, place, self.code, **self.params)


class FileRefused(InputError):
    """A file with one or more bad cells: nothing from it is accepted.

    ``errors`` holds one :class:`InputError` per bad cell, in sheet and row order; the message
    names the count and then every error on its own line.
    """

    def __init__(self, source: str, errors: Sequence[InputError]) -> None:
        self.errors = tuple(errors)
        count = len(self.errors)
        expected = f"{count} problem(s); nothing from this file was imported"
        super().__init__(source, "", expected, code="file_refused", params={"count": count})

    def __str__(self) -> str:
        return "\n".join([super().__str__(), *(str(error) for error in self.errors)])


def normalised(text: str) -> str:
    """Full-width digits and signs as ASCII, surrounding blanks dropped (NFKC keeps Chinese as it is)."""
    return unicodedata.normalize("NFKC", text).strip()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and normalised(value) in BLANKS)


def saaty(value: Any) -> float:
    """A judgment on Saaty's scale (9 .. 1/9) from any of the shapes described in the module."""
    if isinstance(value, bool):
        raise CellProblem("saaty_value", got=kind(value))
    if isinstance(value, dt.datetime | dt.date):
        return _from_date(value.month, value.day, f"{value:%Y-%m-%d}")
    if isinstance(value, dt.time):
        return _on_scale(Fraction(value.hour, value.minute) if value.minute else None, value)
    if isinstance(value, int | float):
        return _on_scale(_finite(value), value)
    if not isinstance(value, str):
        raise CellProblem("saaty_value", got=kind(value))
    text = normalised(value)
    if match := _FRACTION.match(text):
        top, bottom = Fraction(match[1]), Fraction(match[2])
        return _on_scale(top / bottom if bottom else None, value)
    if _NUMBER.match(text):
        return _on_scale(Fraction(text), value)
    if match := _MONTH_DAY_ZH.match(text):
        return _from_date(int(match[1]), int(match[2]), text)
    if (match := _DAY_MONTH_EN.match(text)) and match[2].lower() in _MONTHS:
        return _from_date(_MONTHS.index(match[2].lower()) + 1, int(match[1]), text)
    raise CellProblem("saaty_value", got=kind(value))


def _finite(number: float) -> Fraction | None:
    return Fraction(number) if math.isfinite(number) else None


def _on_scale(number: Fraction | None, typed: Any) -> float:
    if number is not None:
        for value in SAATY_VALUES:
            if abs(float(number) - value) <= _DECIMAL_SLACK:
                return value
    got = kind(typed) if isinstance(typed, str) else shown(_plain(typed))
    raise CellProblem("saaty_value", got=got)


def _from_date(month: int, day: int, shown_as: str) -> float:
    pair = sorted((month, day))
    if pair[0] == 1 and 1 <= pair[1] <= 9:
        return 1 / pair[1]
    raise CellProblem("date_cell", date=shown_as)


def _plain(value: Any) -> str:
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, float) and value.is_integer():
        return f"{value:g}"
    return str(value)


def number(value: Any, low: float, high: float) -> float:
    """A score on a criterion's own scale: a number in ``low``..``high`` (typed as a number or as text)."""
    if isinstance(value, bool):
        raise CellProblem("expected_number", got=kind(value))
    if isinstance(value, str):
        text = normalised(value).replace(",", "")
        if not _NUMBER.match(text):
            raise CellProblem("expected_number", got=kind(value))
        found = float(text)
    elif isinstance(value, int | float):
        found = float(value)
    else:
        raise CellProblem("expected_number", got=kind(value))
    if not math.isfinite(found) or not low <= found <= high:
        raise CellProblem(
            "number_range", low=format_bound(low), high=format_bound(high), got=shown(_plain(value))
        )
    return found


def choice(value: Any, options: Mapping[str, str], labels: Sequence[str]) -> str:
    """One of a fixed list of answers: ``options`` maps every accepted label (and id) to its id;
    ``labels`` are the ones a message offers."""
    text = normalised(value) if isinstance(value, str) else None
    if text is not None and text in options:
        return options[text]
    raise CellProblem("one_of", allowed=list(labels), got=kind(value))


def reason(value: Any) -> str:
    """A free-text reason; numbers are kept as they read, blanks become the empty text."""
    if is_blank(value):
        return ""
    if isinstance(value, bool | dt.date | dt.time):
        return str(value)
    text = _plain(value).strip() if isinstance(value, int | float) else str(value).strip()
    if len(text) > MAX_REASON:
        raise CellProblem("text_too_long", limit=MAX_REASON)
    return text
