"""How long a brief's text is, in the unit its page limits are set in.

A 公文 page holds 22 lines of 28 字. Chinese characters and full-width punctuation each take one
字 cell; a run of Latin letters or digits ("2023", "CNY", "8.5%") reads as one word and takes about
as much room as one or two 字, so it counts as one. The same count on an English text is its
number of words (plus any stray full-width marks), which is how an English brief is limited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from engine.memo.document import Block, Bullets, Paragraph
from engine.model import Lang

__all__ = ["LIMITS", "block_length", "limit", "text_length"]

#: Upper bounds of each section's body text in the brief: (Chinese 字, English words). With the
#: masthead, title, chart, 落款 and 版记 the Chinese brief then fits four 公文 pages. 核心观点 has
#: 215 字, not 250: at 234 (the leader's and the contender's strengths) the shipped brief ran to a
#: fifth page in LibreOffice and in our PDF (tests/memo/test_brief_pages.py counts the pages).
LIMITS: dict[str, tuple[int, int]] = {
    "key_points": (215, 200),
    "situation": (500, 400),
    "advice": (800, 620),
    "confidence": (300, 250),
}

# one cell each: CJK ideographs, CJK punctuation, full-width forms, and typographic quotes and
# dashes as they appear in Chinese text
_CELL = r"[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’—…]"
# one word: letters and digits with what holds a number or a word together inside it
_WORD = r"[A-Za-z0-9]+(?:[.,'’%/–-][A-Za-z0-9%]+)*%?"
_UNIT = re.compile(f"{_CELL}|{_WORD}")


def text_length(text: str) -> int:
    """The length of ``text`` in 字 (Chinese) or words (English), as described in the module notes."""
    return len(_UNIT.findall(text))


def _paragraph_length(paragraph: Paragraph) -> int:
    return text_length(paragraph.lead) + text_length(paragraph.text)


def block_length(blocks: Iterable[Block]) -> int:
    """The body text of ``blocks``: paragraphs and list items, with their leads.

    Headings, charts (their captions and alt texts), tables and the 落款 and 版记 are laid out
    apart from the running text and are left out.
    """
    total = 0
    for block in blocks:
        if isinstance(block, Paragraph):
            total += _paragraph_length(block)
        elif isinstance(block, Bullets):
            total += sum(_paragraph_length(item) for item in block.items)
    return total


def limit(section: str, lang: Lang) -> int:
    """The upper bound of ``section`` (a key of :data:`LIMITS`) in ``lang``."""
    zh, en = LIMITS[section]
    return en if lang == "en" else zh
