"""Engine messages in the interface language.

An :class:`engine.errors.InputError` carries a code and parameters; :mod:`engine.text.messages`
words them in Chinese or English (the file name and the place kept). A message without a code
is shown as the engine wrote it. Every page that shows an engine error goes through here; the
caller escapes the text for Markdown (:func:`ui.format.md`).
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.errors import InputError
from engine.insight.portfolio import Rules
from engine.model import Problem, Text
from engine.text import money
from engine.text.messages import describe, expected
from ui.i18n import lang, listed, t


def error_text(error: InputError, names: Mapping[str, Text] | None = None) -> str:
    """The whole message, "FILE：PLACE：…", in the interface language."""
    return describe(error, lang(), names=names)


def _sentence(text: str) -> str:
    """A message part as a sentence of its own: capitalised, with a full stop."""
    if lang() == "zh":
        return text if text.endswith("。") else text + "。"
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def package_names(problem: Problem, rules: Rules) -> dict[str, Text]:
    """Names of the countermeasures (short) and of the rules' groups, for package messages."""
    names = {item.id: item.short for item in problem.countermeasures}
    return names | {group.id: group.name for group in rules.groups if group.name is not None}


def infeasible(error: InputError, problem: Problem, rules: Rules) -> str:
    """Why no package fits, with names, and the smallest budget that would work (when one does)."""
    names = package_names(problem, rules)
    if error.code != "no_package":
        return _sentence(error.expected if error.code is None else expected(error.code, error.params, lang()))
    why = _sentence(expected(error.code, error.params, lang(), names=names))
    space = "" if lang() == "zh" else " "
    smallest = error.params.get("smallest")
    if smallest is None:
        return why + space + t("budget.rules_conflict")
    package = listed(names[item].get(lang()) for item in error.params.get("smallest_package", ()))
    return why + space + t("budget.smallest", budget=money(smallest, lang()), package=package)
