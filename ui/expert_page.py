"""The expert's questionnaire, the only page a personal link (``?token=…``) opens.

:func:`run` is called by the entry script before it builds the navigation: it draws this page and
stops the run, so no menu, sidebar or other page is ever reachable with a token, and an unknown,
revoked or expired token gets a polite refusal and nothing else. The token is checked against the
store on every run and in every callback.

One screen at a time (a judged node, one criterion's scores, the self-rating, submit), narrow
enough for a phone. Every answer is saved the moment it is given (the widgets' ``on_change``), so
the expert can leave and come back; the widgets start from the stored answers. From round 2 each
answer shows the group's median and middle half of the previous round and where the expert
stood (no other expert is named).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import streamlit as st

from engine.errors import InputError
from engine.insight.sliders import SAATY_STEPS, saaty_step, step_value
from engine.mcda.ahp import CR_THRESHOLD
from engine.model import LANGS, Problem, Text
from engine.panel.layout import FAMILIARITY, LEVELS, SELF_RATING_ITEMS
from engine.store.panel import ExpertAccess, Item, Locked, SavedAnswer
from ui import boundary, clock, icons, messages, panels, state
from ui.expert_sheet import Step, answered, consistency, first_open_step, judged_node, leaf, steps
from ui.format import md, ratio
from ui.i18n import LANGUAGE_NAMES, lang, listed, local, t
from ui.saaty import judgment_text

PAIR_STEPS = tuple(reversed(SAATY_STEPS))  # the left end favours the first criterion of the pair
STEP = "expert_step"  # index of the screen shown
CONFIRM = "expert_confirm"  # the submit button was pressed once: ask for confirmation
ERROR = "expert_error"  # the last save's refusal, shown once


def _tell_expert(message: str) -> None:
    st.session_state[ERROR] = message


# this page runs outside the app's error boundary and shows its own message (ERROR)
_guarded = boundary.reporting(_tell_expert)


W_LANG = "w:q:lang"
W_STEP = "w:q:step"


# The answer widgets' keys name the language: their labels and option texts change with it, and a
# select slider whose option texts changed under the same key snapped to its first option (an
# answer of 9 saved by a language switch). New keys start again from the stored answers.


def value_key(item: Item) -> str:
    return f"w:q:v:{lang()}:{item.key}"


def reason_key(item: Item) -> str:
    return f"w:q:r:{lang()}:{item.key}"


# ---------------------------------------------------------------- wording


def _verbal(step: int) -> str:
    """A slider step in Saaty's words, pointing to the side it favours: ◀ 明显重要, 同等重要, 明显重要 ▶."""
    if step == 0:
        return t("questionnaire.equal")
    degree = t("questionnaire.more", degree=t(f"saaty.degree.{abs(step) + 1}"))
    return f"◀ {degree}" if step > 0 else f"{degree} ▶"


def _ratio_words(value: float) -> str:
    """A judgment (possibly a group median between scale values) as "a : b", e.g. "3 : 1", "1 : 2.5"."""
    if value >= 1:
        return f"{value:.2g} : 1"
    return f"1 : {1 / value:.2g}"


def _step_title(problem: Problem, step: Step) -> str:
    if step.kind == "node":
        node = judged_node(problem, step.id)
        if node is problem.criteria.goal:
            return t("questionnaire.step_goal")
        return t("questionnaire.step_node", name=local(node.name))
    if step.kind == "criterion":
        return t("questionnaire.step_criterion", name=local(leaf(problem, step.id).name))
    return t(f"questionnaire.step_{step.kind}")


# ---------------------------------------------------------------- saving (callbacks)


def _save(item_key: str, value: Any, reason: str | None) -> None:
    """Save one answer of the expert the link names now; a refusal is shown on the next run."""
    access = panels.expert_access()
    if access is None:
        return  # the run that follows refuses the link
    try:
        panels.panels().save_answer(access.project, access.panel, access.expert, item_key, value, reason)
    except Locked:
        st.session_state[ERROR] = t("questionnaire.locked")
    except InputError as exc:
        st.session_state[ERROR] = t("questionnaire.save_failed", message=messages.error_text(exc))


def _reason_now(item: Item) -> str | None:
    text = st.session_state.get(reason_key(item))
    return text if isinstance(text, str) else None


@_guarded
def _judgment_changed(item_key: str) -> None:
    item = Item.parse(item_key)
    _save(item_key, step_value(st.session_state[value_key(item)]), _reason_now(item))


@_guarded
def _score_changed(item_key: str) -> None:
    item = Item.parse(item_key)
    value = st.session_state.get(value_key(item))
    if value is not None:
        _save(item_key, float(value), _reason_now(item))


@_guarded
def _rating_changed(item_key: str) -> None:
    item = Item.parse(item_key)
    value = st.session_state.get(value_key(item))
    if value is not None:
        _save(item_key, value, None)


@_guarded
def _reason_changed(item_key: str, kind: str) -> None:
    """A reason is saved with the answer shown beside it (typing one confirms that answer)."""
    item = Item.parse(item_key)
    value = st.session_state.get(value_key(item))
    if value is None:
        return
    _save(item_key, step_value(value) if kind == "judgment" else float(value), _reason_now(item))


@_guarded
def _keep(item_key: str, value: float, kind: str) -> None:
    """Confirm an answer as it stands (an unchanged slider, last round's answer): save it."""
    item = Item.parse(item_key)
    st.session_state[value_key(item)] = saaty_step(value) if kind == "judgment" else value
    _save(item_key, value, _reason_now(item))


@_guarded
def _go(index: int) -> None:
    st.session_state[STEP] = index
    st.session_state[CONFIRM] = False


def _chose_step(widget_key: str, count: int) -> None:
    chosen = st.session_state[widget_key]
    # only an index: a label the browser still showed from before (see _step_key) changes nothing
    if isinstance(chosen, int) and 0 <= chosen < count:
        st.session_state[STEP] = chosen
    st.session_state[CONFIRM] = False


def _step_key(labels: list[str]) -> str:
    """The step chooser's key, new whenever its labels change (an answer changes a step's count, a
    language switch every label): Streamlit hands back the label the browser still showed when it
    is no longer among the options, so a chooser with other labels must be another widget."""
    digest = hashlib.sha256("\n".join(labels).encode("utf-8")).hexdigest()[:12]
    return f"{W_STEP}:{digest}"


def _ask_confirmation(flag: bool) -> None:
    st.session_state[CONFIRM] = flag


@_guarded
def _submit() -> None:
    st.session_state[CONFIRM] = False
    access = panels.expert_access()
    if access is None:
        return
    panels.panels().submit(access.project, access.panel, access.expert)


@_guarded
def _chose_language() -> None:
    chosen = st.session_state.get(W_LANG)
    if chosen in LANGS:
        st.session_state[state.LANG] = chosen


# ---------------------------------------------------------------- drawing


def _mirror(key: str, value: Any) -> None:
    """Start a widget from the stored answer when the session has no value for it yet."""
    if key not in st.session_state:
        st.session_state[key] = value


def _language_switch() -> None:
    _mirror(W_LANG, st.session_state.get(state.LANG, "zh"))
    st.segmented_control(
        t("questionnaire.language"),
        list(LANGS),
        format_func=LANGUAGE_NAMES.__getitem__,
        key=W_LANG,
        on_change=_chose_language,
        label_visibility="collapsed",
    )


def _feedback_text(entry: Mapping[str, Any], kind: str, a: str = "", b: str = "", unit: str = "") -> str:
    if not entry.get("count") or entry.get("median") is None:
        return ""
    if kind == "judgment":
        shown = _ratio_words
    else:

        def shown(value: float) -> str:
            return f"{value:g} {unit}".strip()

    text = t(
        "questionnaire.feedback",
        count=entry["count"],
        median=shown(entry["median"]),
        q1=shown(entry["q1"]),
        q3=shown(entry["q3"]),
    )
    own = entry.get("own")
    if own is not None:
        position = entry.get("position") or 0
        if position == 0:
            where = t("questionnaire.where_within")
        elif kind == "judgment":
            where = t("questionnaire.where_more", name=a if position > 0 else b)
        else:
            where = t("questionnaire.where_above" if position > 0 else "questionnaire.where_below")
        text += " " + t("questionnaire.feedback_own", own=shown(own), where=where)
    return text


def _keep_button(item: Item, entry: Mapping[str, Any] | None, saved: SavedAnswer | None) -> None:
    if saved is None and entry is not None and entry.get("own") is not None:
        st.button(
            t("questionnaire.keep"),
            key=f"w:q:keep:{item.key}",
            on_click=_keep,
            args=(item.key, float(entry["own"]), item.kind),
        )


def _reason_input(item: Item, saved: SavedAnswer | None, round: int) -> None:
    _mirror(reason_key(item), saved.reason if saved is not None else "")
    st.text_input(
        t("questionnaire.why_revise" if round > 1 else "questionnaire.why"),
        key=reason_key(item),
        on_change=_reason_changed,
        args=(item.key, item.kind),
        max_chars=2000,
    )


def _node_screen(
    problem: Problem,
    step: Step,
    saved: Mapping[str, SavedAnswer],
    feedback: Mapping[str, Mapping[str, Any]],
    access: ExpertAccess,
    method: str,
) -> None:
    node = judged_node(problem, step.id)
    names = {child.id: md(local(child.name)) for child in node.children}
    if node is problem.criteria.goal:
        st.markdown(t("questionnaire.goal_question"))
        st.caption(t("questionnaire.goal", goal=md(local(node.name))))
    else:
        st.markdown(t("questionnaire.node_question", parent=md(local(node.name))))
    st.caption(t("questionnaire.pair_help"))
    for item in step.items:
        _, a, b = item.parts
        answer = saved.get(item.key)
        entry = feedback.get(item.key)
        if answer is not None:
            start = saaty_step(float(answer.value))
        elif entry is not None and entry.get("own") is not None:
            start = saaty_step(float(entry["own"]))
        else:
            start = 0
        _mirror(value_key(item), start)
        with st.container(border=True):
            # one line rather than two columns, which a phone's width stacks one above the other
            st.markdown(t("questionnaire.pair_names", a=names[a], b=names[b]))
            st.select_slider(
                t("questionnaire.pair", a=names[a], b=names[b]),
                options=PAIR_STEPS,
                format_func=_verbal,
                key=value_key(item),
                on_change=_judgment_changed,
                args=(item.key,),
                label_visibility="collapsed",
            )
            shown = st.session_state[value_key(item)]
            if answer is None:
                st.caption(t("questionnaire.unanswered"))
                if entry is None or entry.get("own") is None:
                    st.button(
                        t("questionnaire.confirm_pair", judgment=judgment_text(shown, names[a], names[b])),
                        key=f"w:q:confirm:{item.key}",
                        on_click=_keep,
                        args=(item.key, step_value(shown), "judgment"),
                    )
            else:
                st.caption(f"✓ {judgment_text(shown, names[a], names[b])}")
            if entry is not None:
                st.caption(_feedback_text(entry, "judgment", names[a], names[b]))
                _keep_button(item, entry, answer)
            _reason_input(item, answer, access.round)
    values = {key: float(answer.value) for key, answer in saved.items() if answer.item.kind == "judgment"}
    found = consistency(node, values, method=method)
    if found.pairs == 1:
        st.caption(t("questionnaire.cr_two"))
    elif found.cr is None:
        st.info(t("questionnaire.cr_wait", total=found.pairs, done=found.answered))
    elif found.cr < CR_THRESHOLD:
        st.success(t("questionnaire.cr_ok", cr=ratio(found.cr)))
    else:
        hint = found.hint
        message = t("questionnaire.cr_bad", cr=ratio(found.cr))
        if hint is None:
            st.warning(message + " " + t("questionnaire.cr_no_hint"))
        else:
            st.warning(
                message
                + " "
                + t(
                    "questionnaire.cr_hint",
                    a=names[hint.a],
                    b=names[hint.b],
                    current=judgment_text(saaty_step(hint.current), names[hint.a], names[hint.b]),
                    proposed=judgment_text(saaty_step(hint.proposed), names[hint.a], names[hint.b]),
                    after=ratio(hint.cr_after),
                )
            )
            st.button(
                t("questionnaire.apply_hint"),
                key=f"w:q:hint:{node.id}",
                on_click=_keep,
                args=(Item.judgment(node.id, hint.a, hint.b).key, hint.proposed, "judgment"),
                type="primary",
            )


def _score_screen(
    problem: Problem,
    step: Step,
    saved: Mapping[str, SavedAnswer],
    feedback: Mapping[str, Mapping[str, Any]],
    access: ExpertAccess,
) -> None:
    criterion = leaf(problem, step.id)
    low, high = criterion.scale or (0.0, 0.0)
    unit = local(criterion.unit) if criterion.unit is not None else ""
    st.markdown(
        t(
            "questionnaire.score_question",
            criterion=md(local(criterion.name)),
            unit=md(unit),
            low=f"{low:g}",
            high=f"{high:g}",
        )
    )
    if criterion.quantitative:
        st.caption(t("questionnaire.benefit" if criterion.direction > 0 else "questionnaire.cost"))
    if local(criterion.description):
        st.caption(md(local(criterion.description)))
    measures = {m.id: m for m in problem.countermeasures}
    whole = not criterion.quantitative and float(low).is_integer() and float(high).is_integer()
    for item in step.items:
        measure = measures[item.parts[0]]
        answer = saved.get(item.key)
        if answer is not None:
            start: float | None = float(answer.value)
        else:
            start = None
        _mirror(value_key(item), start)
        with st.container(border=True):
            st.number_input(
                md(local(measure.name)),
                min_value=float(low),
                max_value=float(high),
                step=1.0 if whole else 0.1,
                format="%g",
                placeholder=t("questionnaire.score_placeholder", low=f"{low:g}", high=f"{high:g}"),
                key=value_key(item),
                on_change=_score_changed,
                args=(item.key,),
            )
            if answer is None:
                st.caption(t("questionnaire.unanswered"))
            entry = feedback.get(item.key)
            if entry is not None:
                st.caption(_feedback_text(entry, "score", unit=unit))
                _keep_button(item, entry, answer)
            _reason_input(item, answer, access.round)


def _rating_screen(step: Step, saved: Mapping[str, SavedAnswer]) -> None:
    st.markdown(t("questionnaire.rating_intro"))
    for item in step.items:
        name = item.parts[0]
        options: Mapping[str, Text] = FAMILIARITY if name == "familiarity" else LEVELS
        answer = saved.get(item.key)
        _mirror(value_key(item), answer.value if answer is not None else None)
        st.radio(
            local(SELF_RATING_ITEMS[name]),
            list(options),
            format_func={key: local(text) for key, text in options.items()}.__getitem__,
            key=value_key(item),
            on_change=_rating_changed,
            args=(item.key,),
            horizontal=True,
            index=None,
        )


def _submit_screen(
    problem: Problem, found: tuple[Step, ...], saved: Mapping[str, SavedAnswer], access: ExpertAccess
) -> None:
    total = sum(len(s.items) for s in found)
    done = sum(answered(s.items, saved) for s in found)
    st.markdown(t("questionnaire.submit_intro", done=done, total=total, round=access.round))
    open_steps = [
        _step_title(problem, s)
        for s in found
        if s.kind != "submit" and answered(s.items, saved) < len(s.items)
    ]
    if open_steps:
        st.warning(t("questionnaire.submit_open", n=total - done, steps=listed(open_steps)))
    if not st.session_state.get(CONFIRM):
        st.button(t("questionnaire.submit"), on_click=_ask_confirmation, args=(True,), type="primary")
        return
    st.warning(t("questionnaire.submit_confirm", round=access.round))
    yes, no = st.columns(2)
    yes.button(t("questionnaire.submit_yes"), on_click=_submit, type="primary", key="w:q:submit_yes")
    no.button(t("questionnaire.submit_no"), on_click=_ask_confirmation, args=(False,), key="w:q:submit_no")


def _answer_text(problem: Problem, answer: SavedAnswer) -> tuple[str, str]:
    """(question, answer) in words, for the read-only list after submission."""
    item = answer.item
    names = {node.id: local(node.name) for node in problem.criteria.goal.walk()}
    if item.kind == "judgment":
        _, a, b = item.parts
        return f"{names[a]} / {names[b]}", judgment_text(saaty_step(float(answer.value)), names[a], names[b])
    if item.kind == "score":
        measure = next(m for m in problem.countermeasures if m.id == item.parts[0])
        criterion = leaf(problem, item.parts[1])
        unit = local(criterion.unit) if criterion.unit is not None else ""
        return f"{local(measure.short)} · {names[item.parts[1]]}", f"{float(answer.value):g} {unit}".strip()
    name = item.parts[0]
    options = FAMILIARITY if name == "familiarity" else LEVELS
    return local(SELF_RATING_ITEMS[name]), local(options[str(answer.value)])


def _submitted(problem: Problem, access: ExpertAccess, saved: Mapping[str, SavedAnswer]) -> None:
    st.success(t("questionnaire.submitted", at=clock.local_time(access.submitted or ""), round=access.round))
    if not saved:
        return
    import pandas as pd

    rows = [_answer_text(problem, answer) for answer in saved.values()]
    with st.expander(t("questionnaire.your_answers")):
        st.dataframe(
            pd.DataFrame(
                {
                    t("questionnaire.col_question"): [q for q, _ in rows],
                    t("questionnaire.col_answer"): [a for _, a in rows],
                    t("questionnaire.col_why"): [answer.reason for answer in saved.values()],
                }
            ),
            hide_index=True,
        )


def refuse() -> None:
    """A polite refusal that shows nothing of any panel."""
    _language_switch()
    st.title(t("questionnaire.refused_title"))
    st.info(t("questionnaire.refused"))


def run() -> None:
    """Draw the questionnaire of the link's expert, or a refusal, and stop the run."""
    st.set_page_config(
        page_title=t("questionnaire.title"),
        page_icon=icons.APP,
        layout="centered",
        initial_sidebar_state="collapsed",
    )
    access = panels.expert_access()
    if access is None:
        refuse()
        st.stop()
    handle = panels.panels()
    info = handle.panel(access.project, access.panel)
    problem = handle.problem(info)
    _language_switch()
    st.title(t("questionnaire.title"))
    st.markdown(t("questionnaire.greeting", name=md(access.name), panel=md(access.panel), round=access.round))
    error = st.session_state.pop(ERROR, None)
    if error:
        st.error(error)
    saved = handle.answers(access.project, access.panel, access.expert).get(access.expert, {})
    if access.submitted is not None:
        _submitted(problem, access, saved)
        st.stop()
    st.caption(t("questionnaire.intro"))
    items = handle.asked_items(access.project, access.panel, access.expert)
    found = steps(items)
    done = answered(items, saved)
    st.progress(
        done / len(items) if items else 1.0, text=t("questionnaire.progress", done=done, total=len(items))
    )

    outliers = panels.anonymous_outliers(access)
    if outliers is not None and outliers[0]:
        count, mine = outliers
        st.info(t("questionnaire.outlier_you") if mine else t("questionnaire.outliers", n=count))

    if not isinstance(st.session_state.get(STEP), int):
        st.session_state[STEP] = first_open_step(found, saved)
    index = min(st.session_state[STEP], len(found) - 1)

    def option(i: int) -> str:
        step = found[i]
        mark = ""
        if step.kind != "submit":
            have = answered(step.items, saved)
            mark = " ✓" if have == len(step.items) else f" ({have}/{len(step.items)})"
        return f"{i + 1}. {_step_title(problem, step)}{mark}"

    labels = [option(i) for i in range(len(found))]
    step_key = _step_key(labels)
    st.session_state[step_key] = index
    st.selectbox(
        t("questionnaire.step"),
        range(len(found)),
        format_func=labels.__getitem__,
        key=step_key,
        on_change=_chose_step,
        args=(step_key, len(found)),
    )
    step = found[index]
    st.subheader(_step_title(problem, step))
    feedback = {
        entry["item"]: entry for entry in handle.feedback(access.project, access.panel, access.expert)
    }
    if step.kind == "node":
        _node_screen(problem, step, saved, feedback, access, info.options.ahp_method)
    elif step.kind == "criterion":
        _score_screen(problem, step, saved, feedback, access)
    elif step.kind == "rating":
        _rating_screen(step, saved)
    else:
        _submit_screen(problem, found, saved, access)
    back, forward = st.columns(2)
    if index > 0:
        back.button(t("questionnaire.previous"), on_click=_go, args=(index - 1,), key="w:q:previous")
    if index < len(found) - 1:
        forward.button(
            t("questionnaire.next"), on_click=_go, args=(index + 1,), key="w:q:next", type="primary"
        )
    st.stop()
