"""The compare page: two to four saved scenarios side by side, rank moves against the first marked
with arrows and colour, the choice kept across page switches, and the memo page's comparison."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from engine.settings import Settings
from tests.ui.conftest import page, text
from ui import state, workspace

W_CHOICE = "w:compare:scenarios"
UP, DOWN = "background-color: #e6f4ea", "background-color: #fce8e6"
TALENT = Settings(weight_source="preset", preset="talent_first")
FISCAL = Settings(weight_source="preset", preset="fiscal_prudence", method="vikor")
SPEED = Settings(weight_source="preset", preset="speed_first")


def saved(*named: tuple[str, Settings]) -> list[str]:
    store = workspace.store()
    return [store.save_scenario("wuhan", name, settings).id for name, settings in named]


def run(app: AppTest) -> AppTest:
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def rankings(app: AppTest):
    return next(frame for frame in app.dataframe if text("scenarios.name") not in frame.value.columns)


def test_one_scenario_asks_for_another():
    app = run(page("compare"))
    assert [i.value for i in app.info] == [text("compare.too_few").format(page=text("nav.scenarios"))]


def test_two_scenarios_side_by_side_with_the_rank_moves_highlighted():
    base, talent = saved(("基准", Settings()), ("人才优先", TALENT))
    app = page("compare")
    app.session_state[state.COMPARE_SCENARIOS] = (base, talent)
    run(app)
    assert app.multiselect(key=W_CHOICE).value == [base, talent]
    frame = rankings(app).value
    assert list(frame.columns) == ["对策", "基准", "人才优先"]
    rows = dict(zip(frame["对策"], zip(frame["基准"], frame["人才优先"], strict=True), strict=True))
    assert rows["营商环境"] == ("1", "4 ▼3")
    assert rows["人才强市"] == ("4", "1 ▲3")
    assert rows["场景开放"] == ("2", "2")
    styles = rankings(app).proto.arrow_data.styler.styles
    assert UP in styles and DOWN in styles
    cards = [m.value for m in app.markdown]
    assert any(value.startswith("**基准**") for value in cards)
    assert any("居首：**人才强市**" in value for value in cards)
    assert sum("前三项年度投入" in value for value in cards) == 2
    weights = app.dataframe[1].value
    assert weights.loc[weights["准则"] == "人才留用与引进", "人才优先"].item() == "30.0%"
    assert any('"yOffset"' in chart.proto.spec for chart in app.get("vega_lite_chart"))  # grouped bars


def test_four_scenarios_and_no_more():
    ids = saved(("基准", Settings()), ("人才优先", TALENT), ("财政审慎", FISCAL), ("速度优先", SPEED))
    app = page("compare")
    app.session_state[state.COMPARE_SCENARIOS] = tuple(ids)
    run(app)
    assert list(rankings(app).value.columns) == ["对策", "基准", "人才优先", "财政审慎", "速度优先"]
    assert app.multiselect(key=W_CHOICE).max_selections == 4
    assert len([m for m in app.markdown if "居首：" in m.value]) == 4


def test_the_choice_is_kept_and_deleted_scenarios_drop_out():
    base, _, fiscal = saved(("基准", Settings()), ("人才优先", TALENT), ("财政审慎", FISCAL))
    app = run(page("compare"))
    app.multiselect(key=W_CHOICE).set_value([fiscal, base])
    run(app)
    assert app.session_state[state.COMPARE_SCENARIOS] == (fiscal, base)
    assert list(rankings(app).value.columns)[1:] == ["财政审慎", "基准"]  # moves count against 财政审慎
    workspace.store().delete("wuhan", fiscal)
    run(app)
    assert [i.value for i in app.info] == [text("compare.choose_more")]
    assert app.multiselect(key=W_CHOICE).value == [base]


def test_until_chosen_the_open_scenario_and_the_newest_other():
    saved(("基准", Settings()), ("人才优先", TALENT))
    app = run(page("compare"))
    opened = app.session_state[workspace.OPEN]
    chosen = app.multiselect(key=W_CHOICE).value
    assert chosen[0] == opened.id and len(chosen) == 2


def test_the_memo_includes_the_comparison():
    base, talent = saved(("基准", Settings()), ("人才优先", TALENT))
    app = page("memo")
    app.session_state[state.COMPARE_SCENARIOS] = (base, talent)
    app.session_state[state.SAMPLES] = 2_000
    run(app)
    box = app.checkbox(key="w:memo:compare")
    assert not box.disabled and not box.value
    box.check()
    run(app)
    assert app.session_state[state.MEMO_COMPARE] is True
    assert text("memo.compare_which").format(names="基准、人才优先") in [c.value for c in app.caption]

    # the memo of that choice opens its annex with the comparison
    from ui import comparison, current, memos

    analysis = current.analyse(workspace.store().problem("wuhan"), Settings())
    revision = workspace.store().project("wuhan").revision
    key = comparison.Compared("wuhan", revision, ((base, 1), (talent, 1)), 2_000)
    memo = memos.memo(analysis, "zh", memos.memo_choice(analysis, 2_000, comparison=key))
    assert "一、方案比较" in memo.headings(level=1)
