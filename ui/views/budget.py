"""Budget: the best package of countermeasures for an annual budget, and the efficient frontier."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from engine.errors import InputError
from engine.insight.portfolio import VALUE_BASES, cost_criterion
from ui import decisions, memos, messages, page, state, tables
from ui.format import md, number, ratio
from ui.i18n import label, local, t

W_BUDGET = "w:budget:amount"
W_RULES = "w:budget:rules"
W_MUST = "w:budget:must"
W_EXCLUDE = "w:budget:exclude"
W_BASIS = "w:budget:basis"

analysis = page.start("budget")
problem = analysis.problem
st.caption(t("budget.intro"))
try:
    criterion = cost_criterion(problem)
except InputError as exc:
    st.error(md(messages.error_text(exc)))
    st.stop()
leaf = next(leaf for leaf in problem.leaves if leaf.id == criterion)
unit = local(leaf.unit) if leaf.unit else ""
ids = problem.alternative_ids
short = {m.id: local(m.short) for m in problem.countermeasures}

# every choice is a setting shared with the memo page and kept across pages (ui.state.bind)
top, proposal = decisions.budget_bounds(problem, criterion)
budget = st.slider(
    t("budget.amount", unit=unit),
    0.0,
    top,
    step=1.0,
    help=t("budget.amount_help"),
    **state.bind(state.BUDGET, W_BUDGET, default=proposal, low=0.0, high=top),
)
left, right = st.columns(2)
with left:
    shipped_rules = decisions.shipped_rules(ids)
    st.checkbox(
        t("budget.rules"),
        disabled=shipped_rules is None,
        help=t("budget.rules_help"),
        # without shipped rules that fit the catalogue the box is unchecked, whatever was chosen before
        **state.bind(
            state.BUDGET_RULES,
            W_RULES,
            default=shipped_rules is not None,
            options=(True, False) if shipped_rules is not None else (False,),
        ),
    )
    # labels are bound now: a format function must not depend on state read later
    basis_labels = {b: t(f"budget.basis_{b}") for b in VALUE_BASES}
    st.radio(
        t("budget.basis"),
        VALUE_BASES,
        format_func=basis_labels.__getitem__,
        horizontal=True,
        **state.bind(state.BUDGET_BASIS, W_BASIS, default=VALUE_BASES[0], options=VALUE_BASES),
    )
with right:
    must = st.multiselect(
        t("budget.must"),
        ids,
        format_func=short.__getitem__,
        placeholder=t("budget.choose"),
        **state.bind(state.BUDGET_MUST, W_MUST, options=ids),
    )
    choosable = [i for i in ids if i not in must]
    st.multiselect(
        t("budget.exclude"),
        choosable,
        format_func=short.__getitem__,
        placeholder=t("budget.choose"),
        **state.bind(state.BUDGET_EXCLUDE, W_EXCLUDE, options=choosable),
    )

# the rules and basis just chosen, resolved as the memo page resolves them, so both plan one package
rules, basis = memos.package_choice(analysis)
try:
    chosen = decisions.package(analysis, float(budget), rules, basis)
except InputError as exc:
    # which rules conflict, in the interface language with names, and the smallest budget that works
    st.error(md(messages.infeasible(exc, problem, rules)))
    chosen = None

if chosen is not None:
    value, spent, rest = st.columns(3)
    value.metric(t("budget.value"), ratio(chosen.value))
    spent.metric(t("budget.spent", unit=unit), number(chosen.cost))
    rest.metric(t("budget.left", unit=unit), number(chosen.left))
    tables.show(
        pd.DataFrame(
            {
                label("measure"): [short[i] for i in ids],
                label("chosen"): ["✓" if keep else "" for keep in chosen.chosen],
                label("value"): [ratio(v) for v in chosen.values],
                t("budget.cost_col", unit=unit): [number(c) for c in chosen.costs],
            }
        )
    )
    st.caption(t(f"budget.basis_help_{basis}"))

st.subheader(t("budget.frontier"))
frontier = decisions.frontier(analysis, rules, basis)
points = pd.DataFrame(
    {
        "budget": frontier.budgets,
        "value": frontier.values,
        "package": [
            " + ".join(short[i] for i, keep in zip(ids, row, strict=True) if keep) for row in frontier.chosen
        ],
    }
).dropna()
line = (
    alt.Chart(points)
    .mark_line(interpolate="step-after", point=True)
    .encode(
        x=alt.X("budget:Q", title=t("budget.amount", unit=unit)),
        y=alt.Y("value:Q", title=t("budget.value")),
        tooltip=[alt.Tooltip("budget:Q"), alt.Tooltip("value:Q", format=".3f"), alt.Tooltip("package:N")],
    )
)
marker = (
    alt.Chart(pd.DataFrame({"budget": [float(budget)]})).mark_rule(strokeDash=[4, 4]).encode(x="budget:Q")
)
st.altair_chart(line + marker, width="stretch")
corners = points[frontier.efficient[~pd.isna(frontier.values)]]
tables.show(
    corners.rename(
        columns={
            "budget": t("budget.amount", unit=unit),
            "value": t("budget.value"),
            "package": label("package"),
        }
    )
)
st.caption(t("budget.frontier_help"))
