"""The ``policyrank rank`` command that reproduces the ranking from the annex's weight profile."""

from __future__ import annotations

import shlex

from engine.analysis import Analysis
from engine.load import DEFAULT_CRITERIA, DEFAULT_DATA, DEFAULT_EVIDENCE, display_path
from engine.mcda.registry import get
from engine.memo.document import Block, Paragraph, Preformatted
from engine.memo.sections.annex.settings import PROFILE_FILE
from engine.memo.sections.context import Context


def reproduce_command(analysis: Analysis, *, profile_file: str = PROFILE_FILE) -> str:
    """The command that reproduces the ranking from the weight profile saved as ``profile_file``.

    Input files are named only when they are not the shipped ones.
    """
    parts = ["policyrank", "rank"]
    labels = list(analysis.problem.sources)
    defaults = [display_path(DEFAULT_CRITERIA), display_path(DEFAULT_DATA), display_path(DEFAULT_EVIDENCE)]
    if len(labels) >= 3 and labels[:3] != defaults:
        for flag, label in zip(("--criteria", "--data", "--evidence"), labels[:3], strict=True):
            parts += [flag, shlex.quote(label)]
    parts += ["--weights", shlex.quote(profile_file), "--method", analysis.settings.method]
    if analysis.settings.normalization is not None:
        parts += ["--normalization", analysis.settings.normalization]
    spec = get(analysis.settings.method)
    if "v" in spec.option_names and analysis.settings.vikor_v != spec.option("v").default:
        parts += ["--vikor-v", repr(analysis.settings.vikor_v)]
    parts += ["--format", "json"]
    return " ".join(parts)


def reproduce(ctx: Context) -> list[Block]:
    return [
        Paragraph(
            ctx.t(
                f"将上节内容保存为 {PROFILE_FILE} 后，在相同工作目录下运行下列命令，"
                "输出的 JSON 排序与附表1一致。",
                f"Save the profile above as {PROFILE_FILE} and run this from the same working directory; "
                "the JSON ranking equals Annex table 1.",
            )
        ),
        Preformatted(reproduce_command(ctx.analysis), "shell"),
    ]
