"""Expert panel (专家咨询): the analyst's side of a panel of the open project.

Create a panel from an experts CSV; issue personal links (their tokens are shown this once, then
only their hashes exist), revoke them; download every expert's Excel questionnaire in one zip and
upload the filled ones (all or nothing: every bad cell is listed and nothing is saved); follow who
has answered how much, each expert's CR per node, the panel's agreement (Kendall's W with χ² and
p, CV per criterion, outliers by name, authority coefficients) and its convergence over rounds;
open the next round; and "use the panel", which makes its judgments the open scenario's weights.

The figures are :meth:`engine.store.panel.Panels.status`'s; the page only lays them out
(:mod:`ui.panel_tables`).
"""

from __future__ import annotations

import functools
from typing import Any

import streamlit as st

from engine.errors import InputError
from engine.model import Problem
from engine.panel.layout import ASKS
from engine.settings import AGGREGATIONS
from engine.store.panel import DEFAULT_BASE_URL, Link, PanelInfo
from ui import boundary, messages, page, panel_tables, panels, state, tables, workspace
from ui.format import md
from ui.i18n import listed, local, t

W_SELECT = "w:panel:select"
W_NAME = "w:panel:name"
W_ASKS = "w:panel:asks"
W_CSV = "w:panel:csv"
W_CREATE = "w:panel:create"
W_BASE_URL = "w:panel:base_url"
W_LINK_EXPERTS = "w:panel:link_experts"
W_ISSUE = "w:panel:issue"
W_HIDE_LINKS = "w:panel:hide_links"
W_REVOKE_EXPERT = "w:panel:revoke_expert"
W_REVOKE = "w:panel:revoke"
W_FILE_LANG = "w:panel:file_lang"
W_ZIP = "w:panel:zip"
W_UPLOAD = "w:panel:upload"
W_REPLACE = "w:panel:replace"
W_IMPORT = "w:panel:import"
W_NEXT = "w:panel:next"
W_NEXT_YES = "w:panel:next_yes"
W_NEXT_NO = "w:panel:next_no"
W_AGGREGATION = "w:panel:aggregation"
W_USE = "w:panel:use"


def _project() -> str:
    return workspace.project_id()


def _refuse(action: str, errors: list[str]) -> None:
    st.session_state[state.PANEL_REFUSED] = (action, errors)


def _refusal(action: str) -> None:
    """The messages of the last refused ``action``, one st.error each, right where it was asked."""
    found = st.session_state.get(state.PANEL_REFUSED)
    if found and found[0] == action:
        for message in found[1]:
            st.error(message)


def _error_text(exc: InputError) -> str:
    return md(messages.error_text(exc))


# ---------------------------------------------------------------- callbacks


@boundary.callback
def _create() -> None:
    st.session_state[state.PANEL_REFUSED] = None
    name = (st.session_state.get(W_NAME) or "").strip()
    upload = st.session_state.get(W_CSV)
    if upload is None:
        _refuse("create", [t("panel.csv_missing")])
        return
    try:
        info = panels.panels().create(
            _project(),
            name,
            upload.getvalue(),
            source=upload.name,
            asks=st.session_state.get(W_ASKS) or "judgments",
            who=workspace.who(),
        )
    except InputError as exc:
        _refuse("create", [_error_text(exc)])
        return
    st.session_state[state.PANEL_SELECTED] = info.name
    st.session_state.pop(W_SELECT, None)
    state.notify("success", t("panel.created", name=md(info.name), n=len(info.experts)))


def _chose_panel() -> None:
    st.session_state[state.PANEL_SELECTED] = st.session_state.get(W_SELECT)
    st.session_state[state.PANEL_LINKS] = None
    st.session_state[state.PANEL_REFUSED] = None
    st.session_state[state.PANEL_NEXT] = False


@boundary.callback
def _issue(info: PanelInfo) -> None:
    st.session_state[state.PANEL_REFUSED] = None
    chosen = st.session_state.get(W_LINK_EXPERTS) or [e.id for e in info.experts]
    base = (st.session_state.get(W_BASE_URL) or "").strip() or DEFAULT_BASE_URL
    try:
        links = panels.panels().issue_links(_project(), info.name, chosen, base_url=base, who=workspace.who())
    except InputError as exc:
        _refuse("links", [_error_text(exc)])
        return
    st.session_state[state.PANEL_LINKS] = (info.id, links)


def _hide_links() -> None:
    st.session_state[state.PANEL_LINKS] = None


@boundary.callback
def _revoke(info: PanelInfo) -> None:
    expert = st.session_state.get(W_REVOKE_EXPERT)
    if expert is None:
        return
    count = panels.panels().revoke(_project(), info.name, expert, who=workspace.who())
    name = info.expert(expert).name
    state.notify("success", t("panel.revoked", name=md(name), n=count))


@boundary.callback
def _import(info: PanelInfo) -> None:
    """Read every uploaded workbook first; store them only when none has a bad cell."""
    from engine.panel.answers import answers_from_bytes
    from engine.panel.cells import FileRefused

    st.session_state[state.PANEL_REFUSED] = None
    uploads = st.session_state.get(W_UPLOAD) or []
    if not uploads:
        _refuse("import", [t("panel.upload_missing")])
        return
    handle = panels.panels()
    problem = handle.problem(info)
    ids = [e.id for e in info.experts]
    found, errors = [], []
    for upload in uploads:
        try:
            found.append(
                answers_from_bytes(
                    upload.getvalue(), upload.name, problem, panel=info.name, round=info.round, experts=ids
                )
            )
        except FileRefused as exc:
            errors.append(_error_text(exc))
            errors.extend(_error_text(error) for error in exc.errors)
        except InputError as exc:
            errors.append(_error_text(exc))
    if not errors:
        try:
            result = handle.import_answers(
                _project(),
                info.name,
                found,
                source=", ".join(u.name for u in uploads),
                replace=bool(st.session_state.get(W_REPLACE)),
                who=workspace.who(),
            )
        except InputError as exc:
            errors.append(_error_text(exc))
        else:
            names = listed(info.expert(e).name for e in result.experts)
            state.notify("success", t("panel.imported", n=result.answers, names=md(names)))
            return
    _refuse("import", [t("panel.import_refused", n=len(uploads)), *errors])


def _ask_next(flag: bool) -> None:
    st.session_state[state.PANEL_NEXT] = flag


@boundary.callback
def _next_round(info: PanelInfo) -> None:
    st.session_state[state.PANEL_NEXT] = False
    round = panels.panels().next_round(_project(), info.name, who=workspace.who())
    state.notify("success", t("panel.next_opened", round=round))


@boundary.callback
def _use(info: PanelInfo) -> None:
    st.session_state[state.PANEL_REFUSED] = None
    aggregation = st.session_state.get(W_AGGREGATION) or info.options.aggregation
    try:
        settings, source = panels.use_panel(info, aggregation, state.settings())
    except InputError as exc:
        _refuse("use", [_error_text(exc)])
        return
    state.set_settings(settings)
    state.reset_sliders()
    st.session_state[state.PANEL_SOURCE] = source
    state.notify("success", t("panel.used", name=md(info.name), round=info.round))


# ---------------------------------------------------------------- sections


def _create_form(open_: bool) -> None:
    with st.expander(t("panel.create"), expanded=open_):
        st.caption(t("panel.csv_help"))
        st.text_input(t("panel.name"), key=W_NAME, max_chars=64)
        st.radio(
            t("panel.asks"),
            list(ASKS),
            format_func={asks: t(f"panel.asks_{asks}") for asks in ASKS}.__getitem__,
            key=W_ASKS,
            horizontal=True,
        )
        st.file_uploader(t("panel.csv"), type=["csv"], key=W_CSV)
        st.button(t("panel.create_go"), key=W_CREATE, on_click=_create, type="primary")
        _refusal("create")


def _base_url() -> str:
    """The app's own address, which the links open (the page's address without the page)."""
    here = (st.context.url or "").rstrip("/")
    if here.endswith("/panel"):
        here = here[: -len("/panel")]
    return f"{here}/" if "://" in here else DEFAULT_BASE_URL


def _links_section(info: PanelInfo, status: dict[str, Any]) -> None:
    st.caption(t("panel.links_help", days=info.options.link_days))
    names = {e.id: e.name for e in info.experts}
    if W_BASE_URL not in st.session_state:
        st.session_state[W_BASE_URL] = _base_url()
    st.text_input(t("panel.base_url"), key=W_BASE_URL)
    st.multiselect(
        t("panel.link_experts"),
        list(names),
        format_func=names.__getitem__,
        key=W_LINK_EXPERTS,
        placeholder=t("panel.link_everyone"),
    )
    st.button(t("panel.issue"), key=W_ISSUE, on_click=_issue, args=(info,), type="primary")
    _refusal("links")
    issued = st.session_state.get(state.PANEL_LINKS)
    if issued and issued[0] == info.id:
        links: list[Link] = issued[1]
        st.warning(t("panel.links_once"))
        for link in links:
            st.markdown(f"**{md(link.name)}** · {t('panel.expires', at=panel_tables.stamp(link.expires))}")
            st.code(link.url, language=None, wrap_lines=True)
        st.download_button(
            t("panel.links_csv"),
            panel_tables.links_csv(links),
            file_name=f"{info.name}_links.csv",
            mime="text/csv",
            key="w:panel:links_csv",
        )
        st.button(t("panel.hide_links"), key=W_HIDE_LINKS, on_click=_hide_links)
    st.divider()
    valid = {e["id"]: e["links"] for e in status["experts"]}
    st.selectbox(
        t("panel.revoke_expert"),
        list(names),
        format_func={
            e: t("panel.revoke_option", name=names[e], n=valid.get(e, 0)) for e in names
        }.__getitem__,
        key=W_REVOKE_EXPERT,
        index=None,
        placeholder=t("panel.choose_expert"),
    )
    st.button(t("panel.revoke"), key=W_REVOKE, on_click=_revoke, args=(info,))


def _files_section(info: PanelInfo) -> None:
    st.caption(t("panel.files_help", round=info.round))
    st.radio(
        t("panel.file_lang"),
        ["zh", "en"],
        format_func=lambda lang: {"zh": "中文", "en": "English"}[lang],
        key=W_FILE_LANG,
        horizontal=True,
    )
    lang = st.session_state.get(W_FILE_LANG) or "zh"
    handle = panels.panels()
    st.download_button(
        t("panel.zip"),
        # built when clicked: each workbook takes most of a second
        functools.partial(panel_tables.questionnaires_zip, info, handle.problem(info), lang),
        file_name=f"{info.name}_r{info.round}.zip",
        mime="application/zip",
        key=W_ZIP,
    )
    st.file_uploader(t("panel.upload"), type=["xlsx"], accept_multiple_files=True, key=W_UPLOAD)
    st.checkbox(t("panel.replace"), key=W_REPLACE, help=t("panel.replace_help"))
    st.button(t("panel.import"), key=W_IMPORT, on_click=_import, args=(info,), type="primary")
    _refusal("import")


def _status_section(status: dict[str, Any], problem: Problem, names: dict[str, str]) -> None:
    progress = status["progress"]
    done, asked = progress["answered"], progress["asked"]
    st.progress(
        done / asked if asked else 0.0,
        text=t(
            "panel.progress",
            submitted=progress["submitted"],
            experts=progress["experts"],
            done=done,
            total=asked,
        ),
    )
    tables.show(panel_tables.experts_frame(status, problem, names))
    st.caption(t("panel.cr_help"))


def _agreement_section(status: dict[str, Any], names: dict[str, str]) -> None:
    agreement = status["agreement"]
    w = agreement["kendall_w"]
    if w is None:
        st.info(t("panel.agreement_wait", n=agreement["experts"]))
        return
    columns = st.columns(4)
    columns[0].metric(t("panel.kendall_w"), f"{w['w']:.3f}")
    columns[1].metric("χ²", f"{w['chi2']:.2f}")
    columns[2].metric(t("panel.df"), f"{w['df']:g}")
    columns[3].metric("p", panel_tables.p_text(w["p"]))
    st.markdown(panel_tables.agreement_words(w, agreement["experts"]))
    st.markdown(f"**{t('panel.per_criterion')}**")
    tables.show(panel_tables.criteria_frame(agreement, names))
    st.caption(t("panel.cv_help"))
    st.markdown(f"**{t('panel.outliers')}**")
    outliers = panel_tables.outlier_names(status)
    st.markdown(
        t("panel.outliers_named", names=md(listed(outliers))) if outliers else t("panel.outliers_none")
    )
    authority = status["authority"]
    st.markdown(f"**{t('panel.authority')}**")
    if authority is None:
        st.caption(t("panel.authority_wait"))
    else:
        tables.show(panel_tables.authority_frame(status))
        verdict = "panel.authority_ok" if authority["acceptable"] else "panel.authority_low"
        st.caption(t(verdict, mean=f"{authority['mean']:.2f}", threshold=f"{authority['threshold']:.2f}"))


def _rounds_section(info: PanelInfo, status: dict[str, Any]) -> None:
    tables.show(panel_tables.rounds_frame(status))
    st.markdown(panel_tables.convergence_words(status["convergence"]))
    if not st.session_state.get(state.PANEL_NEXT):
        st.button(t("panel.next"), key=W_NEXT, on_click=_ask_next, args=(True,))
        return
    submitted, experts = status["progress"]["submitted"], status["progress"]["experts"]
    st.warning(t("panel.next_confirm", round=info.round + 1, submitted=submitted, experts=experts))
    yes, no = st.columns(2)
    yes.button(t("panel.next_yes"), key=W_NEXT_YES, on_click=_next_round, args=(info,), type="primary")
    no.button(t("panel.next_no"), key=W_NEXT_NO, on_click=_ask_next, args=(False,))


def _use_section(info: PanelInfo, status: dict[str, Any], names: dict[str, str]) -> None:
    st.caption(t("panel.use_help"))
    if W_AGGREGATION not in st.session_state:
        st.session_state[W_AGGREGATION] = info.options.aggregation
    st.radio(
        t("panel.aggregation"),
        list(AGGREGATIONS),
        format_func={a: t(f"panel.aggregation_{a}") for a in AGGREGATIONS}.__getitem__,
        key=W_AGGREGATION,
        horizontal=True,
    )
    try:  # exactly the weights the button sets, by the aggregation chosen above
        _, source = panels.use_panel(info, st.session_state[W_AGGREGATION], analysis.settings, status)
    except InputError as exc:
        st.info(_error_text(exc))
        return
    leaf_ids = analysis.problem.leaf_ids
    tables.show(panel_tables.weights_frame(source["weights"], names, analysis.weights, leaf_ids))
    st.button(t("panel.use"), key=W_USE, on_click=_use, args=(info,), type="primary")
    _refusal("use")
    in_use = panels.source_in_use(analysis.settings)
    if in_use is not None and in_use.name == info.name:
        st.success(t("panel.in_use", name=md(info.name), round=in_use.round))


# ---------------------------------------------------------------- the page

analysis = page.start("panel")
handle = panels.panels()
project = _project()
existing = handle.panels(project)
by_name = {info.name: info for info in existing}
chosen = st.session_state.get(state.PANEL_SELECTED)
if chosen not in by_name:
    chosen = existing[0].name if existing else None
st.caption(t("panel.intro"))
_create_form(open_=not existing)
if chosen is None:
    st.info(t("panel.none"))
    st.stop()
st.session_state[W_SELECT] = chosen
st.selectbox(t("panel.select"), list(by_name), key=W_SELECT, on_change=_chose_panel)
info = by_name[chosen]
problem = handle.problem(info)
names = {node.id: local(node.name) for node in problem.criteria.goal.walk()}
status = handle.status(project, info.name)
st.caption(
    t(
        "panel.summary",
        round=info.round,
        experts=len(info.experts),
        asks=t(f"panel.asks_{info.asks}"),
        revision=info.revision,
        created=panel_tables.stamp(info.created),
    )
)
links_tab, files_tab, status_tab, agreement_tab, rounds_tab, use_tab = st.tabs(
    [
        t("panel.tab_links"),
        t("panel.tab_files"),
        t("panel.tab_status"),
        t("panel.tab_agreement"),
        t("panel.tab_rounds"),
        t("panel.tab_use"),
    ]
)
with links_tab:
    _links_section(info, status)
with files_tab:
    _files_section(info)
with status_tab:
    _status_section(status, problem, names)
with agreement_tab:
    _agreement_section(status, names)
with rounds_tab:
    _rounds_section(info, status)
with use_tab:
    _use_section(info, status, names)
