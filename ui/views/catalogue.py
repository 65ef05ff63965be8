"""Edit data: scores, countermeasures, facts and the criteria tree of the open project.

Every edit goes through :mod:`engine.edit` (the loader's own validation, the loader's messages)
and is saved by the store as one new revision of the project, with the reason typed at the top.
A refused edit shows the engine's message and writes nothing; the grids keep what was typed. After
a save the open scenario moves to the new revision, so every page ranks on it.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from engine.edit import (
    Edited,
    Flag,
    NewCriterion,
    ProjectFiles,
    ScoreEdit,
    add_countermeasure,
    add_criterion,
    add_fact,
    move_criterion,
    next_fact_id,
    rename_countermeasure,
    rename_criterion,
    retire_countermeasure,
    retire_criterion,
    set_scores,
)
from engine.errors import InputError
from engine.load import FACT_TOPICS
from engine.model import Countermeasure, Node, Problem, Text
from ui import messages, page, state, workspace
from ui.format import md, number
from ui.i18n import label, lang, local, t

PREFIX = "w:catalogue:"
ROW_HEIGHT = 35  # pixels per row of a data grid
NAME_COLUMNS = ("name_zh", "name_en", "short_zh", "short_en")


def _key(name: str) -> str:
    """A widget key of this page; a save starts a new generation, so the editors start afresh.

    The language is part of it: a choice box shows its options in the language of the run that
    created it, so a language switch draws new ones.
    """
    return f"{PREFIX}{st.session_state[state.CATALOGUE_EDITS]}:{lang()}:{name}"


def _project_files() -> tuple[ProjectFiles, Problem, int]:
    store = workspace.store()
    project = workspace.project_id()
    revision = store.project(project).revision
    main, presets = store.files(project)
    files = ProjectFiles.of(
        {kind: (f.label, f.yaml) for kind, f in main.items()}, {p.label: p.yaml for p in presets}
    )
    return files, store.problem(project), revision


def _save(edit: Callable[[], Edited], revision: int, before: Problem) -> None:
    """Run one edit and save it as the project's next revision; on refusal say why, keep the input."""
    from engine.store.workspace import RevisionConflict

    reason = (st.session_state.get(_key("reason")) or "").strip() or None
    try:
        edited = edit()
        if not edited.changed and not edited.changed_presets:
            st.info(t("catalogue.unchanged"))
            return
        workspace.store().update_files(
            workspace.project_id(),
            edited.changed,
            presets=edited.changed_presets,
            expected_revision=revision,
            who=workspace.who(),
            reason=reason,
        )
    except InputError as exc:
        st.error(t("catalogue.refused", message=md(messages.error_text(exc))))
        return
    except RevisionConflict:
        st.error(t("catalogue.conflict", revision=revision))
        return
    names = {node.id: node.name for node in edited.problem.criteria.goal.walk()}
    names |= {node.id: node.name for node in before.criteria.goal.walk()}
    names |= {expert.id: expert.name for expert in before.criteria.experts}
    st.session_state[state.CATALOGUE_FLAGS] = (edited.flagged, names)
    st.session_state[state.CATALOGUE_EDITS] += 1
    workspace.rerank()  # the open scenario moves to the new revision: every page ranks on it
    state.notify("success", t("catalogue.saved", revision=revision + 1))
    st.rerun()


def _text(zh: str, en: str) -> Text:
    return Text(zh=zh.strip(), en=en.strip())


def _label(item: Countermeasure) -> str:
    return local(item.short) + (t("catalogue.retired_mark") if item.retired else "")


# ---------------------------------------------------------------- scores


def _scores(files: ProjectFiles, problem: Problem, revision: int) -> None:
    measures = [*problem.countermeasures, *problem.retired]
    leaves = problem.leaves
    st.caption(t("catalogue.scores_help"))
    # one row per criterion and one column per countermeasure, as on the data page: eleven long
    # criterion names side by side would scroll out of view
    frame = pd.DataFrame(
        {"criterion": [local(leaf.name) for leaf in leaves]}
        | {item.id: [item.scores[leaf.id].value for leaf in leaves] for item in measures}
        | {"unit": [_scale(leaf) for leaf in leaves]}
    )
    config = (
        {"criterion": st.column_config.TextColumn(label("criterion"), pinned=True, disabled=True)}
        | {
            item.id: st.column_config.NumberColumn(_label(item), help=md(local(item.name)), format="%g")
            for item in measures
        }
        | {"unit": st.column_config.TextColumn(t("catalogue.scale"), disabled=True)}
    )
    grid = _key("scores")
    # as tall as its rows: a scrolled grid hides its last criterion, and readers miss it
    height = ROW_HEIGHT * (len(leaves) + 1) + 3
    st.data_editor(frame, key=grid, hide_index=True, column_config=config, width="stretch", height=height)
    if st.button(t("catalogue.save_grid"), key=_key("save_grid"), type="primary"):
        changed = st.session_state.get(grid, {}).get("edited_rows", {})
        by_id = {item.id: item for item in measures}
        edits = [
            _keep_reason(by_id[measure], leaves[int(row)].id, value)
            for row, cells in changed.items()
            for measure, value in cells.items()
            if measure in by_id
        ]
        _save(lambda: set_scores(files, edits), revision, problem)
    _score_form(files, problem, measures, revision)


def _scale(leaf: Node) -> str:
    low, high = leaf.scale or (None, None)
    span = f"{number(low)}–{number(high)}" if low is not None and high is not None else ""
    return f"{local(leaf.unit)} · {span}" if leaf.unit else span


def _keep_reason(measure: Countermeasure, leaf: str, value: float | None) -> ScoreEdit:
    old = measure.scores[leaf]
    return ScoreEdit(measure.id, leaf, value, old.why, old.evidence, old.low, old.high, old.estimate)  # type: ignore[arg-type]


def _score_form(files: ProjectFiles, problem: Problem, measures: list[Countermeasure], revision: int) -> None:
    st.markdown(f"**{t('catalogue.one_score')}**")
    names = {item.id: _label(item) for item in measures}
    leaves = {leaf.id: local(leaf.name) for leaf in problem.leaves}
    left, right = st.columns(2)
    measure_id = left.selectbox(
        label("measure"), list(names), format_func=names.__getitem__, key=_key("cell_measure")
    )
    leaf_id = right.selectbox(
        label("criterion"), list(leaves), format_func=leaves.__getitem__, key=_key("cell_leaf")
    )
    measure = next(item for item in measures if item.id == measure_id)
    old = measure.scores[leaf_id]
    facts = {fact.id: f"{fact.id} · {local(fact.summary)}" for fact in problem.evidence.facts}
    cell = f"{measure_id}:{leaf_id}"
    with st.form(_key(f"score_form:{cell}")):
        value_column, low_column, high_column = st.columns(3, vertical_alignment="bottom")
        value = value_column.number_input(
            t("catalogue.value"), value=float(old.value), step=1.0, format="%g", key=_key(f"value:{cell}")
        )
        low = low_column.number_input(
            t("catalogue.low"), value=old.low, step=1.0, format="%g", key=_key(f"low:{cell}")
        )
        high = high_column.number_input(
            t("catalogue.high"), value=old.high, step=1.0, format="%g", key=_key(f"high:{cell}")
        )
        estimate = st.checkbox(t("catalogue.estimate"), value=old.estimate, key=_key(f"estimate:{cell}"))
        why_zh = st.text_area(t("catalogue.why_zh"), value=old.why.zh, key=_key(f"why_zh:{cell}"), height=80)
        why_en = st.text_area(t("catalogue.why_en"), value=old.why.en, key=_key(f"why_en:{cell}"), height=80)
        evidence = st.multiselect(
            t("catalogue.evidence"),
            list(facts),
            default=[fact for fact in old.evidence if fact in facts],
            format_func=facts.__getitem__,
            key=_key(f"evidence:{cell}"),
        )
        if st.form_submit_button(t("catalogue.save_score"), type="primary"):
            edit = ScoreEdit(
                measure_id, leaf_id, value, _text(why_zh, why_en), tuple(evidence), low, high, estimate
            )
            _save(lambda: set_scores(files, [edit]), revision, problem)


# ---------------------------------------------------------------- countermeasures


def _measures(files: ProjectFiles, problem: Problem, revision: int) -> None:
    measures = [*problem.countermeasures, *problem.retired]
    frame = pd.DataFrame(
        {
            # retired beside the id: on a narrow screen the long names push later columns out of view
            "id": [item.id for item in measures],
            "retired": [item.retired for item in measures],
            "short_zh": [item.short.zh for item in measures],
            "short_en": [item.short.en for item in measures],
            "name_zh": [item.name.zh for item in measures],
            "name_en": [item.name.en for item in measures],
        }
    )
    config = {
        "id": st.column_config.TextColumn("id", disabled=True),
        "name_zh": st.column_config.TextColumn(t("catalogue.name_zh"), width="large"),
        "name_en": st.column_config.TextColumn(t("catalogue.name_en"), width="large"),
        "short_zh": st.column_config.TextColumn(t("catalogue.short_zh")),
        "short_en": st.column_config.TextColumn(t("catalogue.short_en")),
        "retired": st.column_config.CheckboxColumn(t("catalogue.retired"), help=t("catalogue.retired_help")),
    }
    grid = _key("measures")
    st.data_editor(frame, key=grid, hide_index=True, column_config=config, width="stretch")
    if st.button(t("catalogue.save_measures"), key=_key("save_measures"), type="primary"):
        changed = st.session_state.get(grid, {}).get("edited_rows", {})

        def edit() -> Edited:
            edited = None
            current = files
            for row, cells in changed.items():
                item = measures[int(row)]
                if set(NAME_COLUMNS) & set(cells):
                    fields = {key: cells.get(key, frame.at[int(row), key]) or "" for key in NAME_COLUMNS}
                    name = _text(fields["name_zh"], fields["name_en"])
                    short = _text(fields["short_zh"], fields["short_en"])
                    edited = rename_countermeasure(current, item.id, name, short)
                    current = edited.after
                if "retired" in cells:
                    edited = retire_countermeasure(current, item.id, retired=bool(cells["retired"]))
                    current = edited.after
            if edited is None:
                return set_scores(files, [])
            return Edited(files, edited.after, edited.problem)

        _save(edit, revision, problem)
    _new_measure(files, problem, revision)


def _new_measure(files: ProjectFiles, problem: Problem, revision: int) -> None:
    with st.expander(t("catalogue.add_measure")), st.form(_key("add_measure")):
        measure_id = st.text_input(t("catalogue.id"), key=_key("new_measure_id"), help=t("catalogue.id_help"))
        left, right = st.columns(2)
        name = (
            left.text_input(t("catalogue.name_zh"), key=_key("new_name_zh")),
            right.text_input(t("catalogue.name_en"), key=_key("new_name_en")),
        )
        short = (
            left.text_input(t("catalogue.short_zh"), key=_key("new_short_zh")),
            right.text_input(t("catalogue.short_en"), key=_key("new_short_en")),
        )
        summary = (
            left.text_area(t("catalogue.summary_zh"), key=_key("new_summary_zh")),
            right.text_area(t("catalogue.summary_en"), key=_key("new_summary_en")),
        )
        action = (
            left.text_input(t("catalogue.action_zh"), key=_key("new_action_zh")),
            right.text_input(t("catalogue.action_en"), key=_key("new_action_en")),
        )
        models = {item.id: local(item.short) for item in problem.countermeasures}
        model = st.selectbox(
            t("catalogue.start_from"), list(models), format_func=models.__getitem__, key=_key("new_model")
        )
        if st.form_submit_button(t("catalogue.add"), type="primary"):
            source = problem.countermeasure(model)
            copied = {
                leaf: {
                    "value": score.value,
                    "why": {
                        "zh": f"沿用“{source.short.zh}”的评分，待复核。",
                        "en": f"Copied from {source.short.en}; to be reviewed.",
                    },
                    "evidence": list(score.evidence),
                }
                for leaf, score in source.scores.items()
            }
            entry = {
                "id": measure_id.strip(),
                "name": {"zh": name[0].strip(), "en": name[1].strip()},
                "short": {"zh": short[0].strip(), "en": short[1].strip()},
                "summary": {"zh": summary[0].strip(), "en": summary[1].strip()},
                "actions": [{"zh": action[0].strip(), "en": action[1].strip()}],
                "scores": copied,
            }
            _save(lambda: add_countermeasure(files, entry), revision, problem)


# ---------------------------------------------------------------- facts


def _facts(files: ProjectFiles, problem: Problem, revision: int) -> None:
    facts = problem.evidence.facts
    st.dataframe(
        pd.DataFrame(
            {
                "id": [fact.id for fact in facts],
                t("catalogue.topic"): [fact.topic for fact in facts],
                t("catalogue.summary"): [local(fact.summary) for fact in facts],
                t("catalogue.quote"): [fact.quote for fact in facts],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    with st.form(_key("add_fact")):
        st.markdown(f"**{t('catalogue.add_fact')}**")
        id_column, topic_column = st.columns([1, 2])
        fact_id = id_column.text_input(t("catalogue.id"), value=next_fact_id(files), key=_key("fact_id"))
        topic = topic_column.selectbox(t("catalogue.topic"), FACT_TOPICS, key=_key("fact_topic"))
        quote = st.text_area(t("catalogue.quote_help"), key=_key("fact_quote"), height=80)
        left, right = st.columns(2)
        summary_zh = left.text_input(t("catalogue.summary_zh"), key=_key("fact_summary_zh"))
        summary_en = right.text_input(t("catalogue.summary_en"), key=_key("fact_summary_en"))
        if st.form_submit_button(t("catalogue.add"), type="primary"):
            summary = _text(summary_zh, summary_en)
            _save(
                lambda: add_fact(files, fact_id.strip(), topic=topic, quote=quote.strip(), summary=summary),
                revision,
                problem,
            )


# ---------------------------------------------------------------- the criteria tree


def _tree(problem: Problem) -> None:
    rows = []

    def walk(node, depth: int) -> None:  # type: ignore[no-untyped-def]
        rows.append(
            {
                label("criterion"): "\u3000" * depth + local(node.name),
                "id": node.id,
                t("catalogue.kind"): t("catalogue.leaf") if node.is_leaf else t("catalogue.group"),
            }
        )
        for child in node.children:
            walk(child, depth + 1)

    walk(problem.criteria.goal, 0)
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", height="content")


def _criteria(files: ProjectFiles, problem: Problem, revision: int) -> None:
    _tree(problem)
    nodes = {node.id: local(node.name) for node in problem.criteria.goal.walk()}
    groups = {node.id: local(node.name) for node in problem.criteria.goal.walk() if not node.is_leaf}
    below_goal = {key: value for key, value in nodes.items() if key != problem.criteria.goal.id}
    actions = {
        "add": t("catalogue.tree_add"),
        "rename": t("catalogue.tree_rename"),
        "move": t("catalogue.tree_move"),
        "retire": t("catalogue.tree_retire"),
    }
    action = st.segmented_control(
        t("catalogue.tree_action"),
        list(actions),
        format_func=actions.__getitem__,
        default="rename",
        key=_key("tree_action"),
    )
    if action == "rename":
        chosen = st.selectbox(
            label("criterion"), list(nodes), format_func=nodes.__getitem__, key=_key("rename_node")
        )
        node = problem.criteria.node(chosen)
        with st.form(_key(f"rename:{chosen}")):
            left, right = st.columns(2)
            zh = left.text_input(t("catalogue.name_zh"), value=node.name.zh, key=_key(f"rename_zh:{chosen}"))
            en = right.text_input(t("catalogue.name_en"), value=node.name.en, key=_key(f"rename_en:{chosen}"))
            if st.form_submit_button(t("catalogue.tree_rename"), type="primary"):
                _save(lambda: rename_criterion(files, chosen, _text(zh, en)), revision, problem)
    elif action == "move":
        with st.form(_key("move")):
            chosen = st.selectbox(
                label("criterion"),
                list(below_goal),
                format_func=nodes.__getitem__,
                key=_key("move_node"),
            )
            target = st.selectbox(
                t("catalogue.new_parent"),
                list(groups),
                format_func=groups.__getitem__,
                key=_key("move_target"),
            )
            st.caption(t("catalogue.flag_help"))
            if st.form_submit_button(t("catalogue.tree_move"), type="primary"):
                _save(lambda: move_criterion(files, chosen, target), revision, problem)
    elif action == "retire":
        with st.form(_key("retire")):
            chosen = st.selectbox(
                label("criterion"),
                list(below_goal),
                format_func=nodes.__getitem__,
                key=_key("retire_node"),
            )
            st.caption(t("catalogue.retire_help"))
            if st.form_submit_button(t("catalogue.tree_retire"), type="primary"):
                _save(lambda: retire_criterion(files, chosen), revision, problem)
    elif action == "add":
        _new_criterion(files, problem, groups, revision)
    _flags()


def _new_criterion(files: ProjectFiles, problem: Problem, groups: dict[str, str], revision: int) -> None:
    facts = {fact.id: f"{fact.id} · {local(fact.summary)}" for fact in problem.evidence.facts}
    with st.form(_key("add_criterion")):
        parent = st.selectbox(
            t("catalogue.parent"), list(groups), format_func=groups.__getitem__, key=_key("add_parent")
        )
        node_id = st.text_input(t("catalogue.id"), key=_key("add_id"), help=t("catalogue.id_help"))
        left, right = st.columns(2)
        name = (
            left.text_input(t("catalogue.name_zh"), key=_key("add_name_zh")),
            right.text_input(t("catalogue.name_en"), key=_key("add_name_en")),
        )
        description = (
            left.text_input(t("catalogue.description_zh"), key=_key("add_desc_zh")),
            right.text_input(t("catalogue.description_en"), key=_key("add_desc_en")),
        )
        unit = (
            left.text_input(t("catalogue.unit_zh"), value="分（1-9）", key=_key("add_unit_zh")),
            right.text_input(t("catalogue.unit_en"), value="points (1-9)", key=_key("add_unit_en")),
        )
        directions = {"benefit": t("catalogue.benefit"), "cost": t("catalogue.cost")}
        direction = st.radio(
            label("direction"),
            list(directions),
            format_func=directions.__getitem__,
            horizontal=True,
            key=_key("add_direction"),
        )
        low_column, high_column, first_column = st.columns(3)
        low = low_column.number_input(t("catalogue.scale_low"), value=1.0, key=_key("add_low"))
        high = high_column.number_input(t("catalogue.scale_high"), value=9.0, key=_key("add_high"))
        first = first_column.number_input(t("catalogue.first_score"), value=5.0, key=_key("add_first"))
        why = (
            left.text_input(t("catalogue.why_zh"), value="新增准则，待逐项评分。", key=_key("add_why_zh")),
            right.text_input(
                t("catalogue.why_en"), value="New criterion; to be scored.", key=_key("add_why_en")
            ),
        )
        evidence = st.multiselect(
            t("catalogue.evidence"), list(facts), format_func=facts.__getitem__, key=_key("add_evidence")
        )
        st.caption(t("catalogue.add_criterion_help"))
        if st.form_submit_button(t("catalogue.tree_add"), type="primary"):
            criterion = NewCriterion(
                node_id.strip(), _text(*name), _text(*description), direction, _text(*unit), low, high
            )
            score = ScoreEdit("", "", first, _text(*why), tuple(evidence))
            _save(lambda: add_criterion(files, parent, criterion, score), revision, problem)


def _flags() -> None:
    """The judgments the last tree edit dropped, wrote as placeholders or left to review."""
    flagged: tuple[tuple[Flag, ...], dict[str, Text]] | None = st.session_state.get(state.CATALOGUE_FLAGS)
    if not flagged or not flagged[0]:
        return
    flags, names = flagged

    def name(key: str) -> str:
        return local(names[key]) if key in names else key

    st.warning(t("catalogue.flagged", n=len(flags)))
    st.dataframe(
        pd.DataFrame(
            {
                t("catalogue.flag"): [t(f"catalogue.flag_{flag.reason}") for flag in flags],
                label("expert"): [name(flag.expert) for flag in flags],
                label("node"): [name(flag.node) for flag in flags],
                t("catalogue.pair"): [f"{name(flag.a)} : {name(flag.b)}" for flag in flags],
                t("catalogue.judgment"): [number(flag.value) for flag in flags],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(t("catalogue.flag_help"))


analysis = page.start("catalogue")
files, edit_problem, revision = _project_files()
st.caption(t("catalogue.intro", revision=revision))
if state.uploaded_problem() is not None:
    st.info(t("catalogue.upload_in_use"))
st.text_input(t("catalogue.reason"), key=_key("reason"), placeholder=t("catalogue.reason_placeholder"))
scores_tab, measures_tab, facts_tab, criteria_tab = st.tabs(
    [
        t("catalogue.tab_scores"),
        t("catalogue.tab_measures"),
        t("catalogue.tab_facts"),
        t("catalogue.tab_criteria"),
    ]
)
with scores_tab:
    _scores(files, edit_problem, revision)
with measures_tab:
    _measures(files, edit_problem, revision)
with facts_tab:
    _facts(files, edit_problem, revision)
with criteria_tab:
    _criteria(files, edit_problem, revision)
