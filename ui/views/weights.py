"""Weights: presets, direct importance sliders with holds, AHP pairwise judgments, profiles.

Every control writes the one :class:`~engine.settings.Settings` in session state; the engine
derives the weights. Widgets are mirrored from that state before they are drawn and write back in
their callbacks, so what they show always matches the weights in use.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st
import yaml

from engine.analysis import COMBINED, Analysis, NodeConsistency
from engine.errors import InputError
from engine.insight.sliders import (
    IMPORTANCE_SCALE,
    SAATY_STEPS,
    held_weights,
    importance_from_weights,
    saaty_step,
    step_value,
)
from engine.io.safe_yaml import parse_yaml
from engine.load import parse_preset
from engine.settings import JudgmentEdit, Settings
from ui import (
    boundary,
    charts,
    current,
    icons,
    layout,
    messages,
    page,
    sensitivity,
    sidebar,
    state,
    tables,
    workspace,
)
from ui.format import md, percent, ratio
from ui.i18n import label, listed, local, t
from ui.saaty import judgment_text, ratio_text

IMPORTANCE_STEP = 0.1
# the first criterion of a pair is on the left: its strongest preference comes first
PAIR_STEPS = tuple(reversed(SAATY_STEPS))

# ---------------------------------------------------------------- callbacks (run before the page)


def _use(settings: Settings) -> None:
    """Adopt settings from a preset, the AHP tab or a profile: the direct sliders start afresh."""
    state.set_settings(settings)
    state.reset_sliders()


@boundary.callback
def _reset_weights() -> None:
    _use(Settings(method=state.settings().method, normalization=state.settings().normalization))
    state.notify("success", t("weights.reset_done"))


@boundary.callback
def _choose_preset() -> None:
    preset_id = st.session_state[state.W_PRESET]
    if preset_id:
        _use(state.settings().with_preset(preset_id))


@boundary.callback
def _importance_changed() -> None:
    leaf_ids = current.problem().leaf_ids
    importance = {leaf: float(st.session_state[state.importance_key(leaf)]) for leaf in leaf_ids}
    held = st.session_state[state.HELD]
    try:
        weights = held_weights(
            [importance[leaf] for leaf in leaf_ids],
            held=[leaf in held for leaf in leaf_ids],
            fixed=[held.get(leaf, 0.0) for leaf in leaf_ids],
        )
    except ValueError:
        state.notify("warning", t("weights.all_zero"))
        return
    st.session_state[state.IMPORTANCE] = importance
    state.set_settings(
        state.settings().with_manual_weights(
            {leaf: float(w) for leaf, w in zip(leaf_ids, weights, strict=True)}
        )
    )


@boundary.callback
def _hold_changed(leaf_id: str) -> None:
    analysis = current.analysis()
    held = dict(st.session_state[state.HELD])
    if st.session_state[state.hold_key(leaf_id)]:
        held[leaf_id] = analysis.weight_of(leaf_id)
    else:
        held.pop(leaf_id, None)
    st.session_state[state.HELD] = held
    # restart the importances from the weights in use, so releasing or holding moves nothing
    st.session_state[state.IMPORTANCE] = dict(
        zip(analysis.problem.leaf_ids, map(float, importance_from_weights(analysis.weights)), strict=True)
    )


@boundary.callback
def _choose_experts() -> None:
    everyone = [expert.id for expert in current.problem().criteria.experts]
    chosen = [e for e in everyone if e in st.session_state[state.W_EXPERTS]]
    if not chosen:
        state.notify("warning", t("weights.no_expert"))
    experts = () if not chosen or chosen == everyone else tuple(chosen)
    _use(
        replace(
            state.settings(),
            experts=experts,
            weight_source="ahp",
            preset=None,
            manual_weights=(),
            judgment_edits=(),
        )
    )


@boundary.callback
def _use_ahp() -> None:
    _use(replace(state.settings(), weight_source="ahp", preset=None, manual_weights=()))


def _node_edits(entry: NodeConsistency, changed: dict[tuple[str, str], float]) -> tuple[JudgmentEdit, ...]:
    """All judgments of a node: the changed pairs with their new values, the rest exactly as in use."""
    children = entry.children
    return tuple(
        (a, b, changed.get((a, b), float(entry.matrix[i, j])))
        for i, a in enumerate(children)
        for j, b in enumerate(children)
        if i < j
    )


def _combined_entry(node_id: str) -> NodeConsistency:
    return next(c for c in current.analysis().combined_consistency() if c.node_id == node_id)


@boundary.callback
def _judgment_changed(node_id: str) -> None:
    entry = _combined_entry(node_id)
    changed = {}
    for i, a in enumerate(entry.children):
        for j, b in enumerate(entry.children):
            if i < j:
                step = st.session_state[state.judgment_key(node_id, a, b)]
                if step != saaty_step(entry.matrix[i, j]):
                    changed[(a, b)] = step_value(step)
    _use(state.settings().with_judgments(node_id, _node_edits(entry, changed)))


@boundary.callback
def _apply_suggestion(node_id: str, a: str, b: str, value: float) -> None:
    entry = _combined_entry(node_id)
    _use(state.settings().with_judgments(node_id, _node_edits(entry, {(a, b): value})))


@boundary.callback
def _reset_node(node_id: str) -> None:
    settings = state.settings()
    kept = tuple(item for item in settings.judgment_edits if item[0] != node_id)
    _use(replace(settings, judgment_edits=kept, weight_source="ahp", preset=None, manual_weights=()))


@boundary.callback
def _profile_uploaded() -> None:
    upload = st.session_state[state.W_PROFILE_UPLOAD]
    if upload is None:
        return
    problem = current.problem()
    try:
        document = parse_yaml(upload.getvalue(), upload.name)
        profile = parse_preset(document, upload.name, problem.leaf_ids)
        settings = state.settings()
        if isinstance(document, dict) and "settings" in document:
            saved = Settings.from_mapping(document["settings"], upload.name)
            settings = replace(
                settings, method=saved.method, normalization=saved.normalization, vikor_v=saved.vikor_v
            )
        _use(settings.with_manual_weights(dict(profile.weights)))
    except InputError as exc:
        state.notify("error", t("weights.profile_error", message=md(messages.error_text(exc))))
        return
    state.notify("success", t("weights.profile_loaded", name=md(local(profile.name))))


# ---------------------------------------------------------------- page sections


def _presets(analysis: Analysis) -> None:
    problem = analysis.problem
    settings = analysis.settings
    if not problem.presets:
        st.info(t("weights.no_presets"))
        return
    names = {preset.id: local(preset.name) for preset in problem.presets}
    # labels are bound now: a format function must not depend on state read later
    labels = {"": t("weights.no_preset"), **names}
    chosen = settings.preset if settings.weight_source == "preset" else ""
    state.mirror(state.W_PRESET, chosen, options=labels)
    st.selectbox(
        t("weights.preset"),
        list(labels),
        format_func=labels.__getitem__,
        key=state.W_PRESET,
        on_change=_choose_preset,
    )
    if settings.weight_source == "preset" and settings.preset in names:
        st.caption(md(local(problem.preset(settings.preset).description)))
    st.caption(t("weights.preset_help"))


def _direct(analysis: Analysis) -> None:
    problem = analysis.problem
    settings = analysis.settings
    held = st.session_state[state.HELD]
    importance = st.session_state[state.IMPORTANCE]
    if settings.weight_source != "manual" or set(importance) != set(problem.leaf_ids):
        importance = dict(
            zip(problem.leaf_ids, map(float, importance_from_weights(analysis.weights)), strict=True)
        )
        st.session_state[state.IMPORTANCE] = importance
    st.caption(t("weights.direct_help"))
    parent = None
    for leaf in problem.leaves:
        group = problem.criteria.path_to(leaf.id)[-2]
        if group is not parent and group is not problem.criteria.goal:
            st.markdown(f"**{md(local(group.name))}**")
        parent = group
        slider, share, hold = st.columns([6, 1.1, 1.5], vertical_alignment="center")
        state.mirror(state.importance_key(leaf.id), importance[leaf.id], low=0.0, high=IMPORTANCE_SCALE)
        slider.slider(
            md(local(leaf.name)),
            min_value=0.0,
            max_value=IMPORTANCE_SCALE,
            step=IMPORTANCE_STEP,
            format="%.1f",
            key=state.importance_key(leaf.id),
            on_change=_importance_changed,
            disabled=leaf.id in held,
            help=md(local(leaf.description)),
        )
        share.markdown(f"**{percent(analysis.weight_of(leaf.id))}**")
        state.mirror(state.hold_key(leaf.id), leaf.id in held)
        hold.checkbox(
            t("weights.hold"),
            key=state.hold_key(leaf.id),
            on_change=_hold_changed,
            args=(leaf.id,),
        )


def _pairwise(analysis: Analysis) -> None:
    problem = analysis.problem
    settings = analysis.settings
    criteria = problem.criteria
    experts = {expert.id: expert for expert in criteria.experts}
    expert_names = {expert_id: local(expert.name) for expert_id, expert in experts.items()}
    state.mirror(state.W_EXPERTS, list(settings.experts or experts), options=experts)
    st.multiselect(
        t("weights.experts"),
        list(experts),
        format_func=expert_names.__getitem__,
        key=state.W_EXPERTS,
        on_change=_choose_experts,
        help=t("weights.experts_help"),
    )
    if settings.weight_source != "ahp":
        st.info(t("weights.ahp_not_in_use"))
        st.button(t("weights.use_ahp"), on_click=_use_ahp)
    st.caption(t("weights.pairwise_help"))
    nodes = {node.id: node for node in criteria.goal.walk()}
    edited = {node_id for node_id, _ in settings.judgment_edits}
    for entry in analysis.combined_consistency():
        node = nodes[entry.node_id]
        # every label below is Markdown, the slider values included
        names = {child.id: md(local(child.name)) for child in node.children}
        with st.container(border=True):
            title, badge = st.columns([4, 1], vertical_alignment="center")
            title.markdown(f"#### {md(local(node.name))}")
            colour = "green" if entry.consistent else "red"
            badge.markdown(f":{colour}[**CR {ratio(entry.result.cr)}**]")
            for i, a in enumerate(entry.children):
                for j, b in enumerate(entry.children):
                    if i >= j:
                        continue
                    key = state.judgment_key(node.id, a, b)
                    step = saaty_step(entry.matrix[i, j])
                    state.mirror(key, step, options=PAIR_STEPS)
                    # the names sit above the ends they pull towards, so the slider itself only
                    # needs short "a : b" labels, which never spill over the next pair
                    left, right = st.columns(2)
                    left.markdown(f"**{names[a]}**")
                    right.markdown(f"**{names[b]}**", text_alignment="right")
                    st.select_slider(
                        t("weights.pair", a=names[a], b=names[b]),
                        options=PAIR_STEPS,
                        format_func=ratio_text,
                        key=key,
                        on_change=_judgment_changed,
                        args=(node.id,),
                        label_visibility="collapsed",
                    )
                    st.caption(judgment_text(step, names[a], names[b]))
            if not entry.consistent and entry.revise_first is not None:
                a, b, suggested = entry.revise_first
                i, j = entry.children.index(a), entry.children.index(b)
                st.warning(
                    t(
                        "weights.cr_warning",
                        cr=ratio(entry.result.cr),
                        current=judgment_text(saaty_step(entry.matrix[i, j]), names[a], names[b]),
                        suggested=judgment_text(saaty_step(suggested), names[a], names[b]),
                    )
                )
                st.button(
                    t("weights.apply_suggestion"),
                    key=state.suggestion_key(node.id),
                    on_click=_apply_suggestion,
                    args=(node.id, a, b, suggested),
                    type="primary",
                )
            elif not entry.consistent:
                st.warning(t("weights.cr_no_single_fix", cr=ratio(entry.result.cr)))
            local_weights = listed(
                f"{names[child]} {percent(w)}"
                for child, w in zip(entry.children, entry.result.weights, strict=True)
            )
            st.caption(t("weights.local_weights", weights=local_weights))
            if node.id in edited:
                st.button(
                    t("weights.reset_node"),
                    key=f"{state.suggestion_key(node.id)}:reset",
                    on_click=_reset_node,
                    args=(node.id,),
                )
    with st.expander(t("weights.per_expert")):
        rows = [c for c in analysis.consistency if c.expert_id != COMBINED]
        tables.show(
            pd.DataFrame(
                {
                    label("expert"): [expert_names[c.expert_id] for c in rows],
                    label("node"): [local(nodes[c.node_id].name) for c in rows],
                    "CR": [ratio(c.result.cr) for c in rows],
                    t("table.status"): [
                        label("consistent") if c.consistent else t("overview.inconsistent") for c in rows
                    ],
                }
            )
        )


def _profile(analysis: Analysis) -> None:
    st.download_button(
        t("weights.download_profile"),
        data=yaml.safe_dump(analysis.weight_profile(), allow_unicode=True, sort_keys=False),
        file_name="weight-profile.yaml",
        mime="application/x-yaml",
        on_click="ignore",
        icon=icons.DOWNLOAD,
    )
    st.file_uploader(
        t("weights.upload_profile"),
        type=["yaml", "yml"],
        key=state.W_PROFILE_UPLOAD,
        on_change=_profile_uploaded,
        help=t("weights.upload_help"),
    )


def _result(analysis: Analysis) -> None:
    st.subheader(t("weights.in_use"))
    charts.draw(charts.leaf_weights(analysis))
    st.subheader(t("weights.ranking_now"))
    tables.compact_ranking(analysis)


def _sidebar_view(analysis: Analysis) -> tuple:
    """What the sidebar and the top of the page show that a weight change can alter."""
    return (
        sidebar.weight_source(analysis.problem, analysis.settings),
        workspace.can_undo(),
        workspace.can_redo(),
        workspace.conflict() is not None,
    )


@st.fragment
def _sliders_beside_ranking(drawn: tuple) -> None:
    """The direct sliders and, beside them, the weights and ranking they give.

    A fragment: a slider move reruns only this, not the page around it. Callbacks change the
    settings before it runs, so it saves them itself (the page does on its start), and runs the
    whole page instead when what the page drew around it (`drawn`, :func:`_sidebar_view`) no
    longer holds, or a callback left a notice for the top of the page.
    """
    workspace.autosave()
    analysis = current.analysis()
    if st.session_state.get(state.NOTICE) is not None or _sidebar_view(analysis) != drawn:
        st.rerun(scope="app")
    controls, result = layout.beside(520)
    with controls:
        _direct(analysis)
        _reset_button()
    with result:
        _result(analysis)


def _reset_button() -> None:
    st.button(t("weights.reset"), on_click=_reset_weights, icon=icons.RESET)


# One section is drawn at a time (a plain setting, so it survives page and language switches):
# drawing every section on every rerun, as tabs do, made a slider move wait for the judgments.
SECTIONS = {
    "preset": ("weights.tab_preset", _presets),
    "direct": ("weights.tab_direct", _direct),
    "pairwise": ("weights.tab_pairwise", _pairwise),
    "profile": ("weights.tab_profile", _profile),
    "sensitivity": ("sensitivity.title", None),
}

analysis = page.start("weights")
section_names = {key: t(text) for key, (text, _) in SECTIONS.items()}
section = (
    st.segmented_control(
        t("nav.weights"),
        list(SECTIONS),
        format_func=section_names.__getitem__,
        required=True,
        label_visibility="collapsed",
        **state.bind(state.WEIGHTS_SECTION, state.W_WEIGHTS_SECTION, default="direct", options=SECTIONS),
    )
    or "direct"
)
if section == "direct":
    _sliders_beside_ranking(_sidebar_view(analysis))
elif section == "sensitivity":
    # the sweep chart needs the page's width; what a set weight gives follows below it
    sensitivity.render(analysis)
    _result(analysis)
else:
    controls, result = layout.beside(520)
    with controls:
        SECTIONS[section][1](analysis)
        _reset_button()
    with result:
        _result(analysis)
