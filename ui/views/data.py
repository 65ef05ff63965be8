"""Data: the catalogue with every score's reason and quoted evidence, and uploads of own files."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine.errors import InputError
from engine.load import (
    DEFAULT_CRITERIA,
    DEFAULT_DATA,
    DEFAULT_EVIDENCE,
    display_path,
    preset_files,
    problem_from_bytes,
)
from engine.model import Problem
from engine.settings import Settings
from ui import boundary, current, icons, messages, page, state, tables
from ui.format import md, number
from ui.i18n import label, listed, local, t

UPLOADS = (
    (state.W_DATA_CRITERIA, DEFAULT_CRITERIA, "data.upload_criteria"),
    (state.W_DATA_CATALOGUE, DEFAULT_DATA, "data.upload_catalogue"),
    (state.W_DATA_EVIDENCE, DEFAULT_EVIDENCE, "data.upload_evidence"),
)


def _with_shipped_presets(files: list[tuple[bytes, str]], problem: Problem) -> Problem:
    """The problem with the shipped presets, if they fit its criteria; otherwise without presets."""
    presets = [(path.read_bytes(), display_path(path)) for path in preset_files(DEFAULT_CRITERIA)]
    if not presets:
        return problem
    try:
        return problem_from_bytes(files[0], files[1], files[2], presets)
    except InputError:
        return problem


@boundary.callback
def _load_uploads() -> None:
    files: list[tuple[bytes, str]] = []
    uploaded: list[str] = []
    for key, default, _ in UPLOADS:
        upload = st.session_state.get(key)
        if upload is not None:
            files.append((upload.getvalue(), upload.name))
            uploaded.append(upload.name)
        else:
            files.append((default.read_bytes(), display_path(default)))
    if not uploaded:
        st.session_state[state.DATA_UPLOAD_FAILED] = True
        state.notify("warning", t("data.nothing_uploaded"))
        return
    try:
        problem = _with_shipped_presets(files, problem_from_bytes(files[0], files[1], files[2]))
        settings = Settings(method=state.settings().method)
        current.analyse(problem, settings)
    except InputError as exc:
        st.session_state[state.DATA_UPLOAD_FAILED] = True
        state.notify("error", t("data.upload_error", message=md(messages.error_text(exc))))
        return
    st.session_state[state.DATA_UPLOAD_FAILED] = False
    st.session_state[state.PROBLEM] = problem
    st.session_state[state.PROBLEM_FILES] = tuple(uploaded)
    state.set_settings(settings)
    state.reset_sliders()
    presets = t("data.presets_kept", n=len(problem.presets)) if problem.presets else t("data.presets_dropped")
    state.notify(
        "success",
        t("data.upload_done", files=listed(md(name) for name in uploaded), presets=presets),
    )


@boundary.callback
def _reset_data() -> None:
    st.session_state[state.DATA_UPLOAD_FAILED] = False
    st.session_state[state.PROBLEM] = None
    st.session_state[state.PROBLEM_FILES] = ()
    state.set_settings(Settings(method=state.settings().method))
    state.reset_sliders()
    state.notify("success", t("data.reset_done"))


def _uploads() -> None:
    # open while own files are in use, and after a failed load, so the files can be fixed at once
    expanded = bool(st.session_state[state.PROBLEM_FILES]) or st.session_state[state.DATA_UPLOAD_FAILED]
    with st.expander(t("data.own_files"), expanded=expanded):
        st.caption(t("data.own_files_help"))
        columns = st.columns(len(UPLOADS))
        for column, (key, _, label) in zip(columns, UPLOADS, strict=True):
            column.file_uploader(t(label), type=["yaml", "yml"], key=key)
        load, reset = st.columns(2)
        load.button(t("data.load"), on_click=_load_uploads, type="primary", icon=icons.UPLOAD)
        reset.button(
            t("data.reset"),
            on_click=_reset_data,
            disabled=state.uploaded_problem() is None,
            icon=icons.RESET,
        )


def _score_matrix(problem: Problem) -> None:
    st.subheader(t("data.matrix"))
    # one row per criterion, one column per countermeasure under its short name (the full name in
    # the header's tooltip): eleven criterion columns with long names scrolled sideways, six in view
    leaves = problem.leaves
    frame = pd.DataFrame(
        {label("criterion"): [local(leaf.name) for leaf in leaves]}
        | {
            item.id: [number(item.scores[leaf.id].value) for leaf in leaves]
            for item in problem.countermeasures
        }
        | {
            t("data.unit"): [local(leaf.unit) if leaf.unit else "" for leaf in leaves],
            label("direction"): [
                label("benefit") if leaf.direction > 0 else label("cost") for leaf in leaves
            ],
        }
    )
    config = {label("criterion"): st.column_config.TextColumn(pinned=True)} | {
        item.id: st.column_config.TextColumn(local(item.short), help=md(local(item.name)))
        for item in problem.countermeasures
    }
    # the whole matrix in a 1400-pixel window: the criteria and directions uncut, the units cut
    # short (the measure below gives each score with its unit), and the countermeasures sharing
    # what is left; a header cut short shows the full name on hover
    unit_width = 120
    uncut = tables.fitted(frame[[label("criterion"), label("direction")]])
    rest = tables.PAGE_WIDTH - unit_width - sum(entry["width"] for entry in uncut.values())
    share = max(64, rest // len(problem.countermeasures))
    most = {t("data.unit"): unit_width} | {item.id: share for item in problem.countermeasures}
    tables.show(frame, column_config=tables.fitted(frame, config, most=most))
    st.caption(t("data.matrix_help"))


def _measure(problem: Problem) -> None:
    names = {item.id: local(item.name) for item in problem.countermeasures}
    # mirrored on every run: the browser shows the option in the language of the run that set it
    chosen = st.selectbox(
        t("data.choose"),
        list(names),
        format_func=names.__getitem__,
        **state.bind(
            state.DATA_MEASURE, state.W_DATA_MEASURE, default=problem.countermeasures[0].id, options=names
        ),
    )
    item = problem.countermeasure(chosen)
    st.markdown(md(local(item.summary)))
    st.markdown(f"**{t('data.actions')}**")
    st.markdown("\n".join(f"{n}. {md(local(action))}" for n, action in enumerate(item.actions, start=1)))
    st.markdown(f"**{t('data.scores')}**")
    for leaf in problem.leaves:
        entry = item.scores[leaf.id]
        unit = f" {md(local(leaf.unit))}" if leaf.unit else ""
        parts = [f"**{md(local(leaf.name))}**: {md(number(entry.value))}{unit}"]
        if entry.low is not None and entry.high is not None:
            parts.append(t("data.range", low=md(number(entry.low)), high=md(number(entry.high))))
        if entry.estimate:
            parts.append(f":orange-badge[{t('data.estimate')}]")
        with st.container(border=True):
            st.markdown(" · ".join(parts))
            st.markdown(md(local(entry.why)))
            for fact_id in entry.evidence:
                fact = problem.evidence.fact(fact_id)
                st.markdown(f"> {md(fact.quote)}")
                st.caption(f"{fact.id} · {md(local(fact.summary))}")


analysis = page.start("data")
problem = analysis.problem
_uploads()
st.caption(
    t("data.source", title=md(local(problem.evidence.title)), publisher=md(problem.evidence.publisher))
)
_score_matrix(problem)
st.subheader(t("data.catalogue"))
_measure(problem)
