"""The one error type every input problem is reported with."""

from __future__ import annotations


class InputError(ValueError):
    """A problem in a user-supplied file, flag or upload.

    The message always has the form ``SOURCE: PLACE: what was expected``, so the CLI can print it
    as one line and the app can show it verbatim.
    """

    def __init__(self, source: str, place: str, expected: str) -> None:
        self.source = source
        self.place = place
        self.expected = expected
        where = f"{source}: {place}" if place else source
        super().__init__(f"{where}: {expected}")
