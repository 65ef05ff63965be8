"""The recommendation as the landing page shows it: a coloured firmness badge, the judgement, the
figures behind it and the engine's plain sentences, in the interface language.

Everything shown is a field of :class:`engine.recommendation.Recommendation` (the one object the
CLI's JSON and the memo show too); this module only lays it out.
"""

from __future__ import annotations

import streamlit as st

from engine.analysis import Analysis
from engine.recommendation import Recommendation
from engine.text import money, money_range, share
from ui.format import md, ratio
from ui.i18n import lang, listed, local, t

FIRMNESS_COLOURS = {"firm": "green", "leaning": "orange", "contested": "red"}


def _name(rec: Recommendation, item: str) -> str:
    return md(local(rec.names[item]))


def _metrics(rec: Recommendation) -> None:
    """Who leads, how often, the main contender and the annual cost, side by side where they fit.

    A wrapping row of metrics as wide as their content: equal columns would cut "Business climate"
    to "Bus…" in a 900-pixel window with the sidebar open.
    """
    shares = rec.share_first
    with st.container(horizontal=True, gap="medium"):
        st.metric(t("overview.top_measure"), _name(rec, rec.leader), width="content")
        st.metric(
            t("overview.first_share"),
            share(shares.leader),
            help=t(
                "overview.first_share_help",
                samples=f"{shares.samples:,}",
                sampling=md(local(shares.sampling)),
                name=_name(rec, rec.leader),
            ),
            width="content",
        )
        if rec.contender is None or shares.contender is None:
            st.metric(t("overview.contender"), t("overview.no_contender"), width="content")
        else:
            st.metric(
                t("overview.contender"),
                _name(rec, rec.contender),
                delta=t("overview.first_in", share=share(shares.contender)),
                delta_color="off",
                delta_arrow="off",
                help=t("overview.contender_help", share=share(shares.contender)),
                width="content",
            )
        if rec.cost is not None:
            st.metric(
                t("overview.annual_cost"),
                money(rec.cost.value, lang()),
                help=t(
                    "overview.annual_cost_help",
                    items=listed(_name(rec, item) for item in rec.cost.items),
                    range=money_range(rec.cost.low, rec.cost.high, lang()),
                ),
                width="content",
            )


def _sentences(rec: Recommendation) -> list[tuple[str, str]]:
    """(heading, sentence) pairs: what to do, how sure, what would change it, experts, contender, cost."""
    found = [
        (t("overview.action"), local(rec.action.text)),
        (t("overview.how_sure"), _joined(local(rec.share_first.text), local(rec.methods_first.text))),
        (t("overview.overturn"), local(rec.overturn.text)),
    ]
    if rec.experts_agree is not None:
        found.append((t("overview.experts"), local(rec.experts_agree.text)))
    if rec.panel is not None:
        found.append((t("overview.panel"), local(rec.panel.text)))
    if rec.why:
        found.append((t("overview.why"), _joined(*(local(why.text) for why in rec.why))))
    if rec.cost is not None:
        found.append((t("overview.cost"), local(rec.cost.text)))
    return found


def _joined(*sentences: str) -> str:
    return ("" if lang() == "zh" else " ").join(sentences)


def judgment_quality(analysis: Analysis) -> str | None:
    """ "判断一致性：良好（CR 0.004）": the worst consistency ratio, named as the quality of the
    judgments (not the firmness of the decision); None when the weights do not come from AHP."""
    if analysis.settings.weight_source != "ahp":
        return None
    worst = max(analysis.combined_consistency(), key=lambda c: c.result.cr, default=None)
    if worst is None:
        return None
    verdict = t("overview.judgment_good") if worst.consistent else t("overview.judgment_poor")
    return t("overview.judgment_quality", verdict=verdict, cr=ratio(worst.result.cr))


def render(rec: Recommendation, analysis: Analysis) -> None:
    """The recommendation card, then the quality of the judgments in a caption below it."""
    colon = "：" if lang() == "zh" else ": "
    with st.container(border=True):
        # the firmness as a coloured badge at the size of the heading, so it reads before anything else
        word, colour = t(f"overview.firmness_{rec.firmness}"), FIRMNESS_COLOURS[rec.firmness]
        st.markdown(
            f"### :{colour}-background[:{colour}[{word}]] {md(local(rec.headline))}",
            help=t("overview.firmness_help"),
        )
        _metrics(rec)
        st.markdown("\n".join(f"- **{heading}**{colon}{md(text)}" for heading, text in _sentences(rec)))
    quality = judgment_quality(analysis)
    if quality is not None:
        st.caption(quality, help=t("overview.judgment_quality_help"))
