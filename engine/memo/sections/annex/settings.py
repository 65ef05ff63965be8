"""The exact settings of a memo as a weight profile (YAML) that the CLI and the app read back."""

from __future__ import annotations

import datetime as dt

import yaml

from engine.analysis import Analysis
from engine.memo.document import Block, Paragraph, Preformatted
from engine.memo.sections.context import Context
from engine.model import Lang, Text

PROFILE_FILE = "memo-weights.yaml"


def profile_yaml(analysis: Analysis, today: dt.date, lang: Lang) -> str:
    """The weights and settings in use, as a weight-profile document named after the memo's date.

    An English memo names the profile in English in both languages, so it holds no Chinese.
    """
    title = f"Weights of the memo of {today.isoformat()}"
    name = Text(zh=f"{today.isoformat()}决策参考所用权重", en=title)
    if lang == "en":
        name = Text(zh=title, en=title)
    profile = analysis.weight_profile(profile_id=f"memo_{today:%Y%m%d}", name=name)
    return yaml.safe_dump(profile, allow_unicode=True, sort_keys=False, width=100)


def settings_profile(ctx: Context) -> list[Block]:
    return [
        Paragraph(
            ctx.t(
                f"将下列内容保存为 {PROFILE_FILE}，即为可被 policyrank rank --weights 和界面读回的权重方案。",
                f"Save this as {PROFILE_FILE}: it is a weight profile that policyrank rank --weights "
                "and the app read back.",
            )
        ),
        Preformatted(profile_yaml(ctx.analysis, ctx.today, ctx.lang), "yaml"),
    ]
