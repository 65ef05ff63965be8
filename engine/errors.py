"""The one error type every input problem is reported with."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any


class InputError(ValueError):
    """A problem in a user-supplied file, flag or upload.

    The message always has the form ``SOURCE: PLACE: what was expected``, so the CLI can print it
    as one line. ``code`` and ``params``, when given, say the same thing as data, so that the app
    can word it in the user's language (:func:`engine.text.messages.describe`); the common
    messages carry them (:func:`engine.text.messages.coded` builds both from one template).
    """

    def __init__(
        self,
        source: str,
        place: str,
        expected: str,
        *,
        code: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        self.source = source
        self.place = place
        self.expected = expected
        self.code = code
        self.params: Mapping[str, Any] = MappingProxyType(dict(params or {}))
        where = f"{source}: {place}" if place else source
        super().__init__(f"{where}: {expected}")
