"""Edits of a project's YAML files that keep what people wrote: each returns the new texts, the
validated problem and, for criteria-tree edits, the judgments to look at again.

::

    files = ProjectFiles.of({"criteria": (label, text), ...}, presets)
    edited = set_score(files, "talent_strategy", "talent", value=8, why=Text(zh=…, en=…), evidence=["F35"])
    edited.changed        # {"catalogue": new text}: what Store.update_files takes
    edited.problem        # validated by engine.load, as a file would be
    retire_criterion(files, "risk").flagged   # judgments dropped, added as placeholders or to review

A bad edit raises the :class:`~engine.errors.InputError` the loader gives for a bad file.
"""

from engine.edit.catalogue import (
    ScoreEdit,
    add_countermeasure,
    rename_countermeasure,
    retire_countermeasure,
    set_score,
    set_scores,
)
from engine.edit.criteria import (
    NewCriterion,
    add_criterion,
    move_criterion,
    rename_criterion,
    retire_criterion,
)
from engine.edit.evidence import add_fact, next_fact_id
from engine.edit.project import Edited, Flag, ProjectFiles, TextFile

__all__ = [
    "Edited",
    "Flag",
    "NewCriterion",
    "ProjectFiles",
    "ScoreEdit",
    "TextFile",
    "add_countermeasure",
    "add_criterion",
    "add_fact",
    "move_criterion",
    "next_fact_id",
    "rename_countermeasure",
    "rename_criterion",
    "retire_countermeasure",
    "retire_criterion",
    "set_score",
    "set_scores",
]
