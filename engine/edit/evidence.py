"""Edits of the evidence file: a new fact that scores can then cite."""

from __future__ import annotations

from engine.edit.catalogue import text_value
from engine.edit.project import Edited, ProjectFiles, checked
from engine.model import Text


def add_fact(files: ProjectFiles, fact_id: str, *, topic: str, quote: str, summary: Text) -> Edited:
    """Append a fact (id ``F`` and two or three digits, a topic, the verbatim quote, a summary)."""
    entry = {"id": fact_id, "topic": topic, "quote": quote, "summary": text_value(summary)}
    document = files.yaml("evidence").append(["facts"], entry)
    return checked(files, files.with_text("evidence", document))


def next_fact_id(files: ProjectFiles) -> str:
    """The first free id after the highest one (``F58`` after ``F57``), for a form's default."""
    ids = [str(fact.get("id", "")) for fact in files.yaml("evidence").value(["facts"]) or []]
    numbers = [int(fact_id[1:]) for fact_id in ids if fact_id[1:].isdigit()]
    return f"F{max(numbers, default=0) + 1:02d}"
