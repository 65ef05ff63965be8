"""Saaty's verbal scale in the current language, for pairwise-judgment widgets and hints."""

from __future__ import annotations

from engine.insight.sliders import saaty_step
from ui.i18n import t


def judgment_text(step: int, a: str, b: str) -> str:
    """A sentence for slider step `step` (-8..8) of the judgment "a versus b".

    Positive steps favour `a`, negative ones favour `b`; the intensity (2..9) is shown in brackets.
    """
    if step == 0:
        return t("saaty.equal", a=a, b=b)
    more, less = (a, b) if step > 0 else (b, a)
    intensity = abs(step) + 1
    return t("saaty.more", more=more, less=less, degree=t(f"saaty.degree.{intensity}"), value=intensity)


def ratio_text(step: int) -> str:
    """Slider step `step` as the ratio "a : b" of the judgment, e.g. "5 : 1" or "1 : 3"."""
    intensity = abs(step) + 1
    return f"{intensity} : 1" if step >= 0 else f"1 : {intensity}"


def value_text(value: float, a: str, b: str) -> str:
    """The sentence for a judgment value (rounded to the nearest scale step)."""
    return judgment_text(saaty_step(value), a, b)
