"""The edit-data page: edits saved as project revisions, refused edits, the ranking afterwards."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from engine.analysis import run
from engine.settings import Settings
from engine.store import SHIPPED_PROJECT
from tests.ui.conftest import names, shown_order, started, text
from ui import workspace

CELL = "business_environment:firm_retention"


def _key(name: str, lang: str = "zh", generation: int = 0) -> str:
    return f"w:catalogue:{generation}:{lang}:{name}"


def _button(app: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(button for button in app.button if button.label == label)


def _edit_score(app: AppTest, value: float, reason: str, lang: str = "zh") -> AppTest:
    app.text_input(key=_key("reason", lang)).set_value(reason)
    app.selectbox(key=_key("cell_measure", lang)).set_value("business_environment")
    app.selectbox(key=_key("cell_leaf", lang)).set_value("firm_retention").run()
    app.number_input(key=_key(f"value:{CELL}", lang)).set_value(value)
    app.text_area(key=_key(f"why_zh:{CELL}", lang)).set_value("实地调研显示留汉作用有限。")
    app.text_area(key=_key(f"why_en:{CELL}", lang)).set_value(
        "Field interviews show little effect on retention."
    )
    return _button(app, text("catalogue.save_score", lang)).click().run()


def test_the_page_shows_the_grids_and_the_tree() -> None:
    app = started("catalogue")
    assert [tab.label for tab in app.tabs] == [
        text("catalogue.tab_scores"),
        text("catalogue.tab_measures"),
        text("catalogue.tab_facts"),
        text("catalogue.tab_criteria"),
    ]
    assert len(app.dataframe) >= 4  # scores and countermeasure grids, facts, tree
    assert not app.error


def test_a_score_changed_with_a_reason_is_ranked_in_a_new_session() -> None:
    store = workspace.store()
    before = store.problem(SHIPPED_PROJECT)
    app = _edit_score(started("catalogue"), 1, "调研更正")
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert app.success[0].value == text("catalogue.saved").format(revision=2)
    assert store.project(SHIPPED_PROJECT).revision == 2
    after = store.problem(SHIPPED_PROJECT)
    score = after.countermeasure("business_environment").scores["firm_retention"]
    assert (score.value, score.why.en) == (1, "Field interviews show little effect on retention.")
    edits = store.history(SHIPPED_PROJECT, entity="project")
    assert edits[0].action == "edit" and edits[0].reason == "调研更正"

    workspace.forget_stores()  # a new session on the same database
    ranking = started("ranking")
    assert shown_order(ranking) == names(run(after, Settings()))
    assert shown_order(ranking) != names(run(before, Settings()))


def test_a_bad_edit_is_refused_and_nothing_is_written() -> None:
    app = _edit_score(started("catalogue"), 12, "")
    message = app.error[0].value
    assert message.startswith(text("catalogue.refused").split("{")[0])
    # the loader's message, in Chinese, escaped for Markdown
    assert (
        "countermeasures\\[1\\]\\.scores\\.firm\\_retention\\.value：应为 1\\.\\.9 范围内的数字，实际为 12"
        in message
    )
    store = workspace.store()
    assert store.project(SHIPPED_PROJECT).revision == 1
    assert all(entry.action != "edit" for entry in store.history(SHIPPED_PROJECT, entity="project"))
    assert app.number_input(key=_key(f"value:{CELL}")).value == 12  # what was typed stays


def test_the_message_is_in_the_interface_language() -> None:
    app = started("catalogue")
    app.session_state["lang"] = "en"
    app = _edit_score(app.run(), 12, "", "en")
    assert app.error[0].value.startswith("Not saved: ")
    assert "expected a number in 1\\.\\.9, got 12" in app.error[0].value


def test_a_grid_edit_keeps_reasons() -> None:
    app = started("catalogue")
    row = 1  # the second criterion, talent
    app.session_state[_key("scores")] = {
        "edited_rows": {row: {"chain_ecosystem": 9}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app = _button(app.run(), text("catalogue.save_grid")).click().run()
    assert not app.error, [e.value for e in app.error]
    problem = workspace.store().problem(SHIPPED_PROJECT)
    first = problem.countermeasures[0]
    assert first.scores["talent"].value == 9
    assert first.scores["talent"].why.zh.startswith("人才流失")


def test_moving_a_criterion_lists_the_flagged_judgments() -> None:
    app = started("catalogue")
    app.segmented_control(key=_key("tree_action")).set_value("move").run()
    app.selectbox(key=_key("move_node")).set_value("policy_speed")
    app.selectbox(key=_key("move_target")).set_value("feasibility")
    app = _button(app, text("catalogue.tree_move")).click().run()
    assert not app.error, [e.value for e in app.error]
    assert app.warning[0].value == text("catalogue.flagged").format(n=40)
    problem = workspace.store().problem(SHIPPED_PROJECT)
    assert [c.id for c in problem.criteria.node("feasibility").children][-1] == "policy_speed"


def test_retiring_a_countermeasure_in_the_grid_takes_it_out_of_the_ranking() -> None:
    app = started("catalogue")
    app.session_state[_key("measures")] = {
        "edited_rows": {6: {"retired": True, "short_zh": "海外"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app = _button(app.run(), text("catalogue.save_measures")).click().run()
    assert not app.error, [e.value for e in app.error]
    problem = workspace.store().problem(SHIPPED_PROJECT)
    assert [item.id for item in problem.retired] == ["overseas_recruitment"]
    assert problem.retired[0].short.zh == "海外"
    assert "overseas_recruitment" not in problem.alternative_ids


def test_retiring_a_criterion_saves_its_presets_too() -> None:
    app = started("catalogue")
    app.segmented_control(key=_key("tree_action")).set_value("retire").run()
    app.selectbox(key=_key("retire_node")).set_value("risk")
    app = _button(app, text("catalogue.tree_retire")).click().run()
    assert not app.error, [e.value for e in app.error]
    store = workspace.store()
    assert "risk" not in store.problem(SHIPPED_PROJECT).leaf_ids
    assert all("risk" not in preset.weights for preset in store.problem(SHIPPED_PROJECT).presets)
