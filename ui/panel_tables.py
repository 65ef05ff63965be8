"""The panel page's tables and sentences, from the status document of
:meth:`engine.store.panel.Panels.status` (shape in docs/panel.md), in the interface language;
and the files it offers (the experts' questionnaires in one zip, the links as CSV)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from engine.model import Lang, Problem
from engine.panel.layout import Identity
from engine.panel.questionnaire import questionnaire_bytes
from engine.store.panel import Link, PanelInfo
from ui import clock
from ui.format import percent, ratio
from ui.i18n import label, listed, local, t

ALPHA = 0.05


def stamp(at: str | None) -> str:
    return clock.local_time(at) if at else "–"


def p_text(p: float | None) -> str:
    if p is None:
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def questionnaires_zip(info: PanelInfo, problem: Problem, lang: Lang) -> bytes:
    """Every expert's questionnaire of the panel's current round, one .xlsx each, in a zip.

    Called by the download button only when it is clicked (no Streamlit calls: it runs outside the
    script run)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for expert in info.experts:
            identity = Identity(info.name, expert.id, info.round)
            data = questionnaire_bytes(
                problem,
                identity,
                expert_name=expert.name,
                asks=expert.asks,
                scored=info.options.scored,
                lang=lang,
            )
            archive.writestr(identity.file_name, data)
    return buffer.getvalue()


def links_csv(links: Sequence[Link]) -> bytes:
    """The links just issued as CSV (expert id, name, link, expiry) for a mail merge; UTF-8 with a
    byte-order mark so that Excel reads the Chinese names."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "name", "url", "expires"])
    for link in links:
        writer.writerow([link.expert, link.name, link.url, link.expires])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def experts_frame(status: Mapping[str, Any], problem: Problem, names: Mapping[str, str]) -> pd.DataFrame:
    """One row per expert: group, progress, submission, CR per judged node (the goal called 目标层:
    its name is a sentence), outlier, authority, links."""
    groups = {group.id: local(group.name) for group in problem.criteria.groups}
    names = {**names, problem.criteria.goal.id: t("panel.goal")}
    rows = []
    for expert in status["experts"]:
        row: dict[str, Any] = {
            label("expert"): expert["name"],
            t("panel.col_group"): groups.get(expert["group"] or "", expert["group"] or "–"),
            t("panel.col_answered"): f"{expert['answered']} / {expert['asked']}",
            t("panel.col_submitted"): stamp(expert["submitted"]),
        }
        for node, cr in expert["cr"].items():
            mark = "" if cr is None or cr < 0.10 else " ⚠"
            row[f"CR · {names.get(node, node)}"] = "–" if cr is None else f"{ratio(cr)}{mark}"
        outlier = expert["outlier"]
        row[t("panel.col_outlier")] = "–" if outlier is None else (label("yes") if outlier else label("no"))
        row[t("panel.col_authority")] = "–" if expert["authority"] is None else f"{expert['authority']:.2f}"
        row[t("panel.col_links")] = expert["links"]
        rows.append(row)
    return pd.DataFrame(rows)


def criteria_frame(agreement: Mapping[str, Any], names: Mapping[str, str]) -> pd.DataFrame:
    """Per leaf criterion: the experts' median weight, quartiles and coefficient of variation."""
    return pd.DataFrame(
        {
            label("criterion"): [names.get(c["id"], c["id"]) for c in agreement["criteria"]],
            t("panel.col_median"): [percent(c["median"]) for c in agreement["criteria"]],
            t("panel.col_quartiles"): [
                f"{percent(c['q1'])} – {percent(c['q3'])}" for c in agreement["criteria"]
            ],
            "CV": ["–" if c["cv"] is None else f"{c['cv']:.2f}" for c in agreement["criteria"]],
        }
    )


def outlier_names(status: Mapping[str, Any]) -> list[str]:
    """The analyst sees the outliers by name (experts see only how many there were)."""
    by_id = {e["id"]: e["name"] for e in status["experts"]}
    return [by_id[o["expert"]] for o in status["agreement"]["outliers"] if o["flagged"]]


def authority_frame(status: Mapping[str, Any]) -> pd.DataFrame:
    rated = status["authority"]["experts"]
    by_id = {e["id"]: e["name"] for e in status["experts"]}
    return pd.DataFrame(
        {
            label("expert"): [by_id[e] for e in rated],
            t("panel.col_ca"): [f"{v['ca']:.2f}" for v in rated.values()],
            t("panel.col_cs"): [f"{v['cs']:.2f}" for v in rated.values()],
            t("panel.col_cr_authority"): [f"{v['cr']:.2f}" for v in rated.values()],
        }
    )


def agreement_words(w: Mapping[str, Any], experts: int) -> str:
    key = "panel.w_significant" if w["p"] is not None and w["p"] < ALPHA else "panel.w_not_significant"
    return t(key, n=experts, w=f"{w['w']:.3f}", p=p_text(w["p"]))


def rounds_frame(status: Mapping[str, Any]) -> pd.DataFrame:
    rows = []
    for entry in status["rounds"]:
        w = entry["kendall_w"]
        rows.append(
            {
                t("panel.col_round"): entry["round"],
                t("panel.col_complete"): entry["experts"],
                "W": "–" if w is None else f"{w['w']:.3f}",
                "χ²": "–" if w is None else f"{w['chi2']:.2f}",
                "p": "–" if w is None else p_text(w["p"]),
            }
        )
    return pd.DataFrame(rows)


def convergence_words(convergence: Mapping[str, Any] | None) -> str:
    if convergence is None:
        return t("panel.convergence_wait")
    if convergence["converged"]:
        return t("panel.converged", cv=f"{convergence['cv_max']:.2f}")
    missing = []
    if not convergence["significant"]:
        missing.append(t("panel.not_significant", alpha=f"{convergence['alpha']:g}"))
    if not convergence["w_rising"]:
        missing.append(t("panel.w_fell"))
    if not convergence["cv_below"]:
        missing.append(t("panel.cv_high", cv=f"{convergence['cv_max']:.2f}"))
    return t("panel.not_converged", why=listed(missing))


def weights_frame(
    weights: Mapping[str, float], names: Mapping[str, str], in_use: Sequence[float], leaf_ids: Sequence[str]
) -> pd.DataFrame:
    """The panel's leaf weights beside the weights the open scenario ranks with now."""
    now = dict(zip(leaf_ids, in_use, strict=True))
    return pd.DataFrame(
        {
            label("criterion"): [names.get(leaf, leaf) for leaf in weights],
            t("panel.col_panel_weight"): [percent(w) for w in weights.values()],
            t("panel.col_weight_now"): [percent(now[leaf]) if leaf in now else "–" for leaf in weights],
        }
    )
