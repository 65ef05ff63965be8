"""Screening: rank a table of candidate firms (the synthetic sample or an upload) by a spec of widgets.

The widgets only collect choices; :mod:`ui.screening_spec` turns them into a spec document.
:func:`engine.screening.parse_spec` validates it (so its messages are the engine's),
:func:`~engine.screening.screen` ranks the sample and :func:`~engine.screening.screen_upload` an
upload within the row limit, and :func:`~engine.screening.result_bytes` writes the downloads
(formula-safe CSV, Parquet). Results are cached on the table's SHA-256, the spec document and N.
When the engine refuses a table or a spec, its message is shown and the last good result stays on
screen.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, NamedTuple

import streamlit as st
import yaml

from engine.errors import InputError
from engine.io.safe_yaml import read_yaml
from engine.load import display_path
from engine.screening import (
    MISSING_POLICIES,
    NORMALIZATIONS,
    SAMPLE_SPEC,
    SAMPLE_TABLE,
    SCREEN_METHODS,
    ScreenResult,
    TableProfile,
    parse_spec,
    profile_table,
    profile_upload,
    result_bytes,
    screen,
    screen_upload,
    upload_limit,
)
from ui import boundary, icons, messages, page, state
from ui.format import md, method, percent, ratio
from ui.i18n import listed, t
from ui.screening_spec import (
    AUTO,
    CLUSTER_COLUMN,
    Choices,
    build_document,
    cluster_values,
    default_document,
    label_column,
    numeric_columns,
    starting_bound,
    starting_direction,
    starting_values,
    starting_weight,
)

PAGE_ROWS = 25
DEFAULT_TOP = 100
MAX_TOP = 5_000
MIME_TYPES = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet"}


class Table(NamedTuple):
    """The table in use: the shipped sample (``data`` None, read from its path) or an upload."""

    name: str
    digest: str
    data: bytes | None
    upload_id: str | None


class Run(NamedTuple):
    """A successful screening and what produced it."""

    key: tuple[Any, ...]
    table: str
    document: dict[str, Any]
    result: ScreenResult


# --------------------------------------------------------------------------- engine calls, cached


@st.cache_resource(show_spinner=False)
def sample_table() -> Table:
    data = SAMPLE_TABLE.read_bytes()
    return Table(display_path(SAMPLE_TABLE), hashlib.sha256(data).hexdigest(), None, None)


@st.cache_data(show_spinner=False)
def sample_document() -> dict[str, Any]:
    document, _ = read_yaml(SAMPLE_SPEC, display_path(SAMPLE_SPEC))
    return document


@st.cache_resource(show_spinner=False, max_entries=16)
def _profile(digest: str, name: str, limit: int | None, _data: bytes | None) -> TableProfile | InputError:
    """The table's columns, or the engine's error when it cannot be read (cached too; worded in the
    interface language when shown, ui.messages)."""
    try:
        if _data is None:
            return profile_table(SAMPLE_TABLE)
        return profile_upload(_data, name, max_rows=limit)
    except InputError as exc:
        return exc


@st.cache_resource(show_spinner=False, max_entries=64)
def _screened(
    digest: str,
    name: str,
    limit: int | None,
    spec_key: str,
    top: int,
    _data: bytes | None,
    _document: dict[str, Any],
    _source: str,
) -> ScreenResult | InputError:
    """The engine's ranking of the table by the spec document, or its error (cached too).

    ``cache_resource``: a ScreenResult is never changed after it is made, so one instance serves
    every rerun without the copy ``cache_data`` would make.
    """
    try:
        spec = parse_spec(_document, _source)
        if _data is None:
            return screen(SAMPLE_TABLE, spec, top=top)
        return screen_upload(_data, name, spec, top=top, max_rows=limit)
    except InputError as exc:
        return exc


@st.cache_data(show_spinner=False, max_entries=16)
def _judged(spec_key: str, _document: dict[str, Any], _source: str) -> dict[str, float] | None:
    """The AHP weights of a document with judgments, by column."""
    try:
        spec = parse_spec(_document, _source)
    except InputError:
        return None
    return dict(zip(spec.columns, spec.weights.tolist(), strict=True))


@st.cache_data(show_spinner=False, max_entries=16)
def _download(key: tuple[Any, ...], fmt: str, _result: ScreenResult) -> bytes:
    return result_bytes(_result, fmt)


def producer(run: Run, fmt: str) -> Callable[[], bytes]:
    """The download's bytes, made by the engine's writer when the button is clicked."""

    def produce() -> bytes:
        return _download(run.key, fmt, run.result)

    return produce


def document_key(source: str, document: dict[str, Any]) -> str:
    return json.dumps([source, document], sort_keys=True, ensure_ascii=False, default=str)


# ----------------------------------------------------------------------------- the table in use


def current_table() -> Table:
    return st.session_state[state.SCREEN_TABLE] or sample_table()


def row_limit(table: Table) -> int | None:
    return None if table.data is None else upload_limit()


def forget_mapping() -> None:
    """Drop the mapping widgets and the document: the next run starts from the table's defaults."""
    for key in [k for k in st.session_state if str(k).startswith(state.SCREEN_WIDGETS)]:
        del st.session_state[key]
    st.session_state[state.SCREEN_DOCUMENT] = None
    st.session_state[state.SCREEN_LABEL] = None
    st.session_state[state.SCREEN_PAGE] = 1


@boundary.callback
def use_sample() -> None:
    st.session_state[state.SCREEN_TABLE] = None
    st.session_state[state.SCREEN_REJECTED] = None
    st.session_state[state.SCREEN_UPLOADS] += 1  # a fresh, empty uploader
    forget_mapping()


def take_upload(upload: Any) -> None:
    """Use a newly uploaded table if the engine can read it; otherwise say why and keep the old."""
    if upload is None:
        return
    table = st.session_state[state.SCREEN_TABLE]
    if table is not None and table.upload_id == upload.file_id:
        return
    rejected = st.session_state[state.SCREEN_REJECTED]
    if rejected is None or rejected[0] != upload.file_id:
        data = upload.getvalue()
        candidate = Table(upload.name, hashlib.sha256(data).hexdigest(), data, upload.file_id)
        outcome = _profile(candidate.digest, candidate.name, row_limit(candidate), data)
        if isinstance(outcome, TableProfile):
            st.session_state[state.SCREEN_TABLE] = candidate
            st.session_state[state.SCREEN_REJECTED] = None
            forget_mapping()
            st.success(t("screening.upload_done", name=md(upload.name), rows=f"{outcome.rows:,}"))
            return
        rejected = (upload.file_id, outcome)
        st.session_state[state.SCREEN_REJECTED] = rejected
    st.error(t("screening.upload_error", message=md(messages.error_text(rejected[1]))))


# ------------------------------------------------------------------------ widget starting values


def seed(key: str, value: Any, **bounds: Any) -> None:
    """Give a widget its starting value unless it already has one.

    The mapping widgets keep their own keys while the page is shown; after a page switch they are
    seeded again from the spec document, which is kept in a plain key (``state.SCREEN_DOCUMENT``).
    """
    if key not in st.session_state:
        state.mirror(key, value, **bounds)


def fit(key: str, options: list[str]) -> None:
    """Keep only the chosen options that still exist (a multiselect refuses unknown values)."""
    if key in st.session_state:
        state.mirror(key, st.session_state[key], options=options)


def seed_mapping(document: dict[str, Any], profile: TableProfile) -> None:
    filters = document.get("filters", [])
    seed(state.W_SCREEN_METHOD, document.get("method", "topsis"))
    seed(state.W_SCREEN_NORMALIZATION, document.get("normalization", AUTO))
    seed(state.W_SCREEN_ID, document["id"])
    seed(state.W_SCREEN_KEEP, list(document.get("keep", [])))
    seed(state.W_SCREEN_CRITERIA, [c["column"] for c in document["criteria"]])
    seed(state.W_SCREEN_AHP, "judgments" in document)
    seed(state.W_SCREEN_MISSING, document.get("missing", "error"))
    seed(
        state.W_SCREEN_CATEGORIES,
        [f["column"] for f in filters if "in" in f and f["column"] in profile.values],
    )
    seed(
        state.W_SCREEN_RANGES,
        list(dict.fromkeys(f["column"] for f in filters if ("min" in f or "max" in f))),
    )


# ------------------------------------------------------------------------------------- widgets


def text_column(profile: TableProfile) -> Callable[[str], str]:
    def label(column: str) -> str:
        return column if column in profile.numeric else t("screening.text_column", column=column)

    return label


@boundary.callback
def cluster_only(values: list[str]) -> None:
    chosen = st.session_state.get(state.W_SCREEN_CATEGORIES, [])
    if CLUSTER_COLUMN not in chosen:
        st.session_state[state.W_SCREEN_CATEGORIES] = [*chosen, CLUSTER_COLUMN]
    st.session_state[state.screen_values_key(CLUSTER_COLUMN)] = values


def identity(profile: TableProfile) -> tuple[str, list[str]]:
    """The id column and the kept columns."""
    columns = list(profile.columns)
    if st.session_state[state.W_SCREEN_ID] not in columns:
        st.session_state[state.W_SCREEN_ID] = columns[0]
    left, middle, right = st.columns(3)
    id_column = left.selectbox(t("screening.id"), columns, key=state.W_SCREEN_ID, help=t("screening.id_help"))
    options = [c for c in columns if c != id_column]
    fit(state.W_SCREEN_KEEP, options)
    keep = middle.multiselect(
        t("screening.keep"), options, key=state.W_SCREEN_KEEP, placeholder=t("screening.choose")
    )
    labels = [id_column, *keep]
    right.selectbox(
        t("screening.label"),
        labels,
        help=t("screening.label_help"),
        **state.bind(
            state.SCREEN_LABEL, state.W_SCREEN_LABEL, default=label_column(id_column, keep), options=labels
        ),
    )
    return id_column, keep


def criteria_widgets(
    document: dict[str, Any], profile: TableProfile, id_column: str, judged: dict[str, float] | None
) -> tuple[list[tuple[str, str, float | None]], bool]:
    """(column, direction, weight or None) per criterion, and whether the AHP judgments weigh them."""
    options = [c for c in profile.columns if c != id_column]
    fit(state.W_SCREEN_CRITERIA, options)
    chosen = st.multiselect(
        t("screening.criteria_columns"),
        options,
        format_func=text_column(profile),
        key=state.W_SCREEN_CRITERIA,
        placeholder=t("screening.choose"),
        help=t("screening.criteria_help"),
    )
    ahp = False
    if judged is not None:
        fits = set(chosen) == set(judged)
        if not fits:  # judgments cannot weigh other criteria: the sliders do, and the switch says so
            st.session_state[state.W_SCREEN_AHP] = False
        ahp = st.toggle(
            t("screening.ahp"), key=state.W_SCREEN_AHP, disabled=not fits, help=t("screening.ahp_help")
        )
        if not fits:
            st.caption(t("screening.ahp_unavailable"))
    rows = []
    # labels are bound now: a format function must not depend on state read later
    directions = {d: t(f"screening.{d}") for d in ("benefit", "cost")}
    for column in chosen:
        seed(state.screen_direction_key(column), starting_direction(document, column))
        name, direction, weight = st.columns([2, 2, 3], vertical_alignment="center")
        name.markdown(f"**{md(column)}**")
        chosen_direction = direction.radio(
            t("screening.direction_of", column=md(column)),
            tuple(directions),
            format_func=directions.__getitem__,
            key=state.screen_direction_key(column),
            horizontal=True,
            label_visibility="collapsed",
        )
        if ahp:
            assert judged is not None
            weight.markdown(t("screening.ahp_weight", weight=percent(judged[column])))
            rows.append((column, chosen_direction, None))
            continue
        seed(state.screen_weight_key(column), starting_weight(document, column, judged), low=0.0, high=1.0)
        value = weight.slider(
            t("screening.weight_of", column=md(column)),
            0.0,
            1.0,
            step=0.01,
            key=state.screen_weight_key(column),
            label_visibility="collapsed",
        )
        rows.append((column, chosen_direction, float(value)))
    return rows, ahp


def filter_widgets(document: dict[str, Any], profile: TableProfile) -> list[dict[str, Any]]:
    """The filters as spec entries: chosen values of text columns, bounds of numeric ones."""
    filters: list[dict[str, Any]] = []
    categorical = list(profile.values)
    fit(state.W_SCREEN_CATEGORIES, categorical)
    cluster = cluster_values(profile)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    categories = left.multiselect(
        t("screening.filter_columns"),
        categorical,
        key=state.W_SCREEN_CATEGORIES,
        placeholder=t("screening.choose"),
        help=t("screening.filter_columns_help"),
    )
    if cluster:
        right.button(
            t("screening.cluster"),
            on_click=cluster_only,
            args=(cluster,),
            help=t("screening.cluster_help", values=listed(cluster)),
            icon=icons.CLUSTER,
        )
    for column in categories:
        values = list(profile.values[column])
        key = state.screen_values_key(column)
        seed(key, starting_values(document, column, values))
        fit(key, values)
        chosen = st.multiselect(
            t("screening.filter_values", column=md(column)),
            values,
            key=key,
            placeholder=t("screening.choose"),
        )
        filters.append({"column": column, "in": list(chosen)})
    numeric = numeric_columns(profile)
    fit(state.W_SCREEN_RANGES, numeric)
    ranges = st.multiselect(
        t("screening.range_columns"), numeric, key=state.W_SCREEN_RANGES, placeholder=t("screening.choose")
    )
    for column in ranges:
        low, high = st.columns(2)
        for op, key, where in (
            ("min", state.screen_min_key(column), low),
            ("max", state.screen_max_key(column), high),
        ):
            seed(key, starting_bound(document, column, op))
            value = where.number_input(t(f"screening.{op}", column=md(column)), value=None, key=key)
            if value is not None:
                filters.append({"column": column, op: float(value)})
    return filters


def method_widgets() -> tuple[str, str, str]:
    left, middle, right = st.columns(3)
    chosen = left.selectbox(
        t("screening.method"), SCREEN_METHODS, format_func=method, key=state.W_SCREEN_METHOD
    )
    # labels are bound now: a format function must not depend on state read later
    normalizations = {n: t(f"screening.norm_{n}") for n in (AUTO, *NORMALIZATIONS)}
    policies = {p: t(f"screening.missing_{p}") for p in MISSING_POLICIES}
    normalization = middle.selectbox(
        t("screening.normalization"),
        tuple(normalizations),
        format_func=normalizations.__getitem__,
        key=state.W_SCREEN_NORMALIZATION,
    )
    missing = right.selectbox(
        t("screening.missing"),
        MISSING_POLICIES,
        format_func=policies.__getitem__,
        key=state.W_SCREEN_MISSING,
    )
    return chosen, normalization, missing


# -------------------------------------------------------------------------------------- results


def summary(result: ScreenResult) -> None:
    spec = result.spec
    st.caption(
        t(
            "screening.summary",
            ranked=f"{result.rows_ranked:,}",
            read=f"{result.rows_read:,}",
            filtered=f"{result.rows_filtered:,}",
            dropped=f"{result.rows_dropped:,}",
            method=method(spec.method),
            normalization=t(f"screening.norm_{spec.normalization}"),
        )
    )
    weights = " · ".join(f"{md(c)} {percent(w)}" for c, w in zip(spec.columns, spec.weights, strict=True))
    if spec.ahp is not None:
        st.caption(t("screening.weights_ahp", cr=ratio(spec.ahp.cr), weights=weights))
    else:
        st.caption(t("screening.weights_set", weights=weights))


def ranked_table(run: Run, label: str, number: int) -> None:
    result = run.result
    spec = result.spec
    ranked = result.ranked
    label = label if label in ranked.columns else spec.id_column
    rank_header, score_header = t("screening.rank"), t("screening.score")
    columns = list(dict.fromkeys(["rank", label, *spec.keep, "score", *spec.columns]))
    if label != spec.id_column:
        columns = [c for c in columns if c != spec.id_column]
    first = (number - 1) * PAGE_ROWS
    frame = ranked.iloc[first : first + PAGE_ROWS][columns].rename(
        columns={"rank": rank_header, "score": score_header}
    )
    config: dict[str, Any] = {
        rank_header: st.column_config.NumberColumn(rank_header, format="%d"),
        score_header: st.column_config.NumberColumn(
            score_header, format="%.4f", help=t("screening.score_help")
        ),
    }
    for c in spec.criteria:
        config[c.column] = st.column_config.NumberColumn(
            c.column, help=t("screening.benefit") if c.direction > 0 else t("screening.cost")
        )
    st.dataframe(frame, hide_index=True, width="stretch", height="content", column_config=config)


def downloads(run: Run) -> None:
    rows = len(run.result.ranked)
    csv_column, parquet_column, spec_column = st.columns(3)
    for column, fmt, key in (
        (csv_column, "csv", state.W_SCREEN_CSV),
        (parquet_column, "parquet", state.W_SCREEN_PARQUET),
    ):
        column.download_button(
            t(f"screening.download_{fmt}"),
            data=producer(run, fmt),
            file_name=f"screening_top{rows}.{fmt}",
            mime=MIME_TYPES[fmt],
            key=key,
            on_click="ignore",
            icon=icons.DOWNLOAD,
            width="stretch",
        )
    spec_column.download_button(
        t("screening.download_spec"),
        data=yaml.safe_dump(run.document, allow_unicode=True, sort_keys=False).encode("utf-8"),
        file_name="screen_spec.yaml",
        mime="application/x-yaml",
        key=state.W_SCREEN_SPEC,
        on_click="ignore",
        icon=icons.SPEC,
        width="stretch",
        help=t("screening.download_spec_help"),
    )


# ------------------------------------------------------------------------------------- the page

page.start("screening")
st.caption(t("screening.intro"))

st.subheader(t("screening.table"))
upload = st.file_uploader(
    t("screening.upload"),
    type=["csv", "parquet"],
    key=state.screen_upload_key(st.session_state[state.SCREEN_UPLOADS]),
    help=t(
        "screening.upload_help",
        mb=st.get_option("server.maxUploadSize"),
        rows=f"{upload_limit():,}",
    ),
)
take_upload(upload)
table = current_table()
profile = _profile(table.digest, table.name, row_limit(table), table.data)
if isinstance(profile, InputError):  # only a changed sample file can fail here; uploads were read
    st.error(t("screening.upload_error", message=md(messages.error_text(profile))))
    st.stop()
if table.data is None:
    st.info(t("screening.synthetic", rows=f"{profile.rows:,}"), icon=icons.SAMPLE)
else:
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.caption(t("screening.uploaded", name=md(table.name), rows=f"{profile.rows:,}"))
    right.button(t("screening.use_sample"), on_click=use_sample, icon=icons.RESET)

base = default_document(profile, sample_document())
source = t("screening.spec_source")
document = st.session_state[state.SCREEN_DOCUMENT] or base
judged = _judged(document_key(source, base), base, source) if "judgments" in base else None
seed_mapping(document, profile)

st.subheader(t("screening.mapping"))
id_column, keep = identity(profile)
criteria, ahp = criteria_widgets(document, profile, id_column, judged)
st.subheader(t("screening.filters"))
filters = filter_widgets(document, profile)
chosen_method, normalization, missing = method_widgets()
choices = Choices(id_column, keep, criteria, ahp, filters, chosen_method, normalization, missing)
document = build_document(base, choices)
st.session_state[state.SCREEN_DOCUMENT] = document

st.subheader(t("screening.results"))
top_column, page_column = st.columns(2)
top = int(
    top_column.number_input(
        t("screening.top"),
        min_value=1,
        max_value=MAX_TOP,
        step=10,
        **state.bind(state.SCREEN_TOP, state.W_SCREEN_TOP, default=DEFAULT_TOP, low=1, high=MAX_TOP),
    )
)
key = (table.digest, table.name, row_limit(table), document_key(source, document), top)
outcome = _screened(*key, _data=table.data, _document=document, _source=source)
if isinstance(outcome, InputError):
    st.error(t("screening.error", message=md(messages.error_text(outcome))))
else:
    st.session_state[state.SCREEN_LAST] = Run(key, table.name, document, outcome)
run: Run | None = st.session_state[state.SCREEN_LAST]
if run is None:
    st.stop()
if isinstance(outcome, InputError):
    st.caption(t("screening.showing_last", table=md(run.table)))
pages = max(1, -(-len(run.result.ranked) // PAGE_ROWS))
page_labels = {n: t("screening.page_of", page=n, pages=pages) for n in range(1, pages + 1)}
number = page_column.selectbox(
    t("screening.page"),
    tuple(page_labels),
    format_func=page_labels.__getitem__,
    **state.bind(state.SCREEN_PAGE, state.W_SCREEN_PAGE, default=1, options=page_labels),
)
summary(run.result)
ranked_table(run, st.session_state[state.W_SCREEN_LABEL], number)
downloads(run)
