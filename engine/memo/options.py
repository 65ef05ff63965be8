"""What the issuing office decides about a memo beyond the analysis: issue, publisher, marks, annex."""

from __future__ import annotations

from dataclasses import dataclass

from engine.model import Lang, Text

__all__ = ["DEFAULT_PUBLISHER", "INTERNAL", "MemoOptions", "localized"]

DEFAULT_PUBLISHER = Text(zh="对策评估课题组", en="Countermeasure Assessment Team")
INTERNAL = Text(zh="内部资料　注意保存", en="Internal: handle with care")
ANNEX_PLACES = ("appended", "separate")


@dataclass(frozen=True)
class MemoOptions:
    """The masthead, the 版记 and where the annex goes.

    Attributes
    ----------
    issue : int or str, optional
        The issue number (期号): 3 reads "第3期" / "No. 3"; a text ("2026年第3期") is printed as it is.
    publisher : Text or str, optional
        The issuing unit (编发单位) on the masthead, in the 落款 and the 版记 (default
        :data:`DEFAULT_PUBLISHER`). A plain string is used in both languages.
    mark : Text or str, optional
        A mark above the masthead, such as :data:`INTERNAL` ("内部资料　注意保存"); none by default.
    distribution : Text or str, optional
        Who receives copies, for the 版记 ("市委办公厅，市政府办公厅"); left out when not given.
    annex : {"appended", "separate"}
        The technical annex follows the brief after a page break, or is a document of its own
        (:meth:`engine.memo.document.Memo.annex_document`).
    illustrative : bool, optional
        Whether the AHP judgments are examples rather than a panel's; by default, whether the
        criteria file is the shipped one.
    """

    issue: int | str | None = None
    publisher: Text | str | None = None
    mark: Text | str | None = None
    distribution: Text | str | None = None
    annex: str = "appended"
    illustrative: bool | None = None

    def __post_init__(self) -> None:
        if self.annex not in ANNEX_PLACES:
            raise ValueError(f"annex must be one of {', '.join(ANNEX_PLACES)}, got {self.annex!r}")
        if isinstance(self.issue, bool) or (isinstance(self.issue, int) and self.issue < 1):
            raise ValueError(f"issue must be a positive whole number or a text, got {self.issue!r}")


def localized(value: Text | str | None, lang: Lang, default: Text | None = None) -> str:
    """An option's text in ``lang``: a :class:`Text` by language, a string as it is."""
    if value is None:
        return default.get(lang) if default is not None else ""
    return value.get(lang) if isinstance(value, Text) else value
