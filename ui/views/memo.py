"""Memo: preview and downloads of the ranked policy memo in every format."""

from __future__ import annotations

from ui import page

analysis = page.start("memo")
