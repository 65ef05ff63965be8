"""Engine results behind the judgments, experts and budget pages, cached, and the explanation
panel of the ranking page. Everything numeric comes from engine.insight (coaching, groups,
explain, hygiene, portfolio); this module only caches and draws."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from engine.analysis import Analysis
from engine.errors import InputError
from engine.insight.coaching import Coaching, coach_criteria, coach_matrix
from engine.insight.explain import Attribution, Counterfactual, attribute, counterfactual
from engine.insight.groups import GroupAnalysis, GroupSweep, analyse_groups, sweep_group
from engine.insight.hygiene import Hygiene, check
from engine.insight.portfolio import (
    Frontier,
    Package,
    Rules,
    costs,
    efficient_frontier,
    load_rules,
    select_package,
)
from engine.load import DEFAULT_DATA
from engine.model import Problem, Score, Text
from engine.recommendation import Recommendation
from engine.settings import Settings
from engine.text import share, value_text
from ui import tables
from ui.current import source_key
from ui.format import md, number, percent, ratio
from ui.i18n import label, lang, listed, local, t

SHIPPED_RULES = DEFAULT_DATA.parent / "package_rules.yaml"


def _key(analysis: Analysis) -> tuple[tuple[tuple[str, str], ...], Settings]:
    return source_key(analysis.problem), analysis.settings


# ---------------------------------------------------------------- cached engine calls


@st.cache_resource(show_spinner=False, max_entries=64)
def _coaching(key: object, node_id: str, _analysis: Analysis) -> Coaching:
    entry = next(c for c in _analysis.combined_consistency() if c.node_id == node_id)
    return coach_matrix(entry.matrix, entry.children, method=_analysis.settings.ahp_method)


def coaching(analysis: Analysis, node_id: str) -> Coaching:
    """Coaching of the judgments in use (combined and edited) at one node."""
    return _coaching(_key(analysis), node_id, analysis)


@st.cache_resource(show_spinner=False, max_entries=16)
def _expert_coaching(key: object, _analysis: Analysis) -> tuple[tuple[str, str, Coaching], ...]:
    return coach_criteria(_analysis.problem.criteria, method=_analysis.settings.ahp_method)


def expert_coaching(analysis: Analysis) -> tuple[tuple[str, str, Coaching], ...]:
    return _expert_coaching(_key(analysis), analysis)


@st.cache_resource(show_spinner=False, max_entries=32)
def _groups(key: object, _analysis: Analysis) -> GroupAnalysis:
    return analyse_groups(_analysis.problem, _analysis.settings)


def groups(analysis: Analysis) -> GroupAnalysis:
    return _groups(_key(analysis), analysis)


@st.cache_resource(show_spinner=False, max_entries=32)
def _sweep(key: object, group_id: str, _analysis: Analysis) -> GroupSweep:
    return sweep_group(_analysis.problem, group_id, _analysis.settings, steps=101)


def sweep(analysis: Analysis, group_id: str) -> GroupSweep:
    return _sweep(_key(analysis), group_id, analysis)


@st.cache_resource(show_spinner=False, max_entries=32)
def _explanation(key: object, _analysis: Analysis) -> tuple[Attribution, Hygiene]:
    return attribute(_analysis), check(_analysis.problem, _analysis.weights)


def explanation(analysis: Analysis) -> tuple[Attribution, Hygiene]:
    return _explanation(_key(analysis), analysis)


@st.cache_resource(show_spinner=False, max_entries=64)
def _overtaking(key: object, challenger: str, leader: str, _analysis: Analysis) -> Counterfactual:
    return counterfactual(_analysis, challenger=challenger, leader=leader)


def overtaking(analysis: Analysis, challenger: str, leader: str) -> Counterfactual:
    """What `challenger` needs, one score or one weight at a time, to overtake `leader`."""
    return _overtaking(_key(analysis), challenger, leader, analysis)


@st.cache_resource(show_spinner=False)
def shipped_rules(measure_ids: tuple[str, ...]) -> Rules | None:
    """The shipped package rules, or None when they do not fit the catalogue in use (an upload)."""
    try:
        return load_rules(SHIPPED_RULES, measure_ids)
    except (InputError, OSError):
        return None


@st.cache_resource(show_spinner=False, max_entries=64)
def _package(key: object, budget: float, rules: Rules, basis: str, _analysis: Analysis) -> Package:
    return select_package(_analysis, budget, rules=rules, basis=basis)


def package(analysis: Analysis, budget: float, rules: Rules, basis: str) -> Package:
    return _package(_key(analysis), budget, rules, basis, analysis)


@st.cache_resource(show_spinner=False, max_entries=32)
def _frontier(key: object, rules: Rules, basis: str, _analysis: Analysis) -> Frontier:
    return efficient_frontier(_analysis, rules=rules, basis=basis, points=41)


def frontier(analysis: Analysis, rules: Rules, basis: str) -> Frontier:
    return _frontier(_key(analysis), rules, basis, analysis)


def budget_bounds(problem: Problem, criterion: str) -> tuple[float, float]:
    """The largest budget a widget offers (everything's cost, rounded up) and the opening proposal
    (a third of it), the same on the budget page and on the memo page."""
    total = float(costs(problem, criterion).sum())
    return float(math.ceil(total)), float(round(total / 3))


# ---------------------------------------------------------------- the ranking page's explanations


def _challengers(rec: Recommendation) -> list[tuple[str, str]]:
    """(countermeasure, why it is compared with the leader): the contender first, then the second
    of the ranking when it is another countermeasure."""
    found = [(rec.contender, "contender")] if rec.contender is not None else []
    if rec.runner_up is not None:
        found.append((rec.runner_up, "runner_up"))
    return found


def _overtake_table(analysis: Analysis, found: Counterfactual) -> pd.DataFrame:
    """Per criterion, the one score or the one weight that would put the challenger ahead; where a
    single change does not, the cell says so without suggesting that nothing could."""
    leaves = {leaf.id: leaf for leaf in analysis.problem.leaves}
    frame = []
    for score_change, weight_change in zip(found.scores, found.weights, strict=True):
        leaf = leaves[score_change.criterion]
        if score_change.needed is not None:
            # in the criterion's own unit ("22.8亿元/年", "2.33/9"), the change beside it
            value = Score(round(score_change.needed, 2), Text("", ""), ())
            needed = value_text(value, leaf, lang(), brief=True) + f" ({score_change.change:+.3g})"
        elif score_change.current == score_change.bound:
            needed = label("at_best")
        else:
            needed = label("impossible")
        swap = (
            label("no_weight")
            if weight_change.needed is None
            else f"{percent(weight_change.current)} → {percent(weight_change.needed)}"
        )
        frame.append(
            {
                label("criterion"): local(leaf.name),
                label("score_now"): number(score_change.current),
                label("score_needed"): needed,
                label("weight_needed"): swap,
            }
        )
    return pd.DataFrame(frame)


def render_explanations(analysis: Analysis, rec: Recommendation) -> None:
    """Why each countermeasure ranks where it does, what would change the top, criteria hygiene.

    The leader is compared with the real contender of the recommendation (the countermeasure most
    often first in the perturbed runs), and with the second of the ranking too when that is
    another one: the second by score is not necessarily the likeliest to take first place.
    """
    problem = analysis.problem
    attribution, hygiene = explanation(analysis)
    leaves = {leaf.id: leaf for leaf in problem.leaves}
    index = {item.id: i for i, item in enumerate(problem.countermeasures)}
    st.subheader(t("explain.title"))
    st.caption(t(f"explain.pull_help_{attribution.method}"))
    rows = []
    for entry in analysis.ranking:
        up, down = attribution.strongest(index[entry.id])
        rows.append(
            {
                label("rank"): entry.rank,
                label("measure"): local(entry.short),
                label("pulled_up"): listed(local(leaves[j].name) for j in up) or "–",
                label("held_back"): listed(local(leaves[j].name) for j in down) or "–",
            }
        )
    tables.show(pd.DataFrame(rows))
    names = {item.id: md(local(item.short)) for item in problem.countermeasures}
    shares = dict(rec.share_first.shares)
    for challenger, role in _challengers(rec):
        found = overtaking(analysis, challenger, rec.leader)
        agreeing = sum(challenger in m.first for m in rec.methods_first.methods)
        st.markdown(
            t(
                f"explain.overtake_{role}",
                second=names[challenger],
                first=names[rec.leader],
                gap=ratio(found.gap),
                share=share(shares.get(challenger, 0.0)),
                samples=f"{rec.share_first.samples:,}",
                methods=agreeing,
                total=rec.methods_first.total,
            )
        )
        tables.show(_overtake_table(analysis, found))
    if rec.contender is not None or rec.runner_up is not None:
        # one change at a time is not the whole story: say what the perturbed runs showed
        st.caption(t("explain.overtake_help"))
        known = local(rec.share_first.text).rstrip("。.")
        st.caption(t("explain.single_changes", known=md(known)))
    st.subheader(label("hygiene"))
    lines = []
    for pair in hygiene.correlated:
        key = "explain.double" if pair.same_direction else "explain.tradeoff"
        lines.append(
            t(
                key,
                a=md(local(leaves[pair.first].name)),
                b=md(local(leaves[pair.second].name)),
                p=f"{pair.pearson:+.2f}",
                s=f"{pair.spearman:+.2f}",
            )
        )
    lines += [t("explain.constant", a=md(local(leaves[leaf].name))) for leaf in hygiene.constant]
    short = {item.id: local(item.short) for item in problem.countermeasures}
    lines += [t("explain.dominated", a=md(short[d.dominated]), b=md(short[d.by])) for d in hygiene.dominated]
    st.markdown("\n".join(f"- {line}" for line in lines) if lines else t("explain.clean"))
    tables.show(
        pd.DataFrame(
            {
                label("criterion"): [local(leaf.name) for leaf in problem.leaves],
                t("explain.elicited"): [percent(w) for w in hygiene.elicited],
                t("explain.entropy"): [percent(w) for w in hygiene.entropy],
                "CRITIC": [percent(w) for w in hygiene.critic],
            }
        )
    )
    st.caption(t("explain.objective_help"))
