"""The workspace in a real browser: a weight changed with the slider is there when the app is opened
again in a fresh browser context (a new tab, another day), and undo brings back the weights before.

Runs its own ``streamlit run`` server on a throwaway workspace (the fixtures of test_browser).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from engine.analysis import run
from engine.store import SHIPPED_PROJECT, open_store
from engine.text import label
from tests.e2e.test_browser import (  # noqa: F401 (fixtures)
    RUN_TIMEOUT,
    a_move_that_changes_the_ranking,
    browser,
    fresh_scenario,
    go_to,
    problem,
    server,
    settle,
    shown_ranking,
    workspace_db,
    zh,
)

pytestmark = pytest.mark.e2e

VIEWPORT = {"width": 1400, "height": 1000}
# the weights page's sections are tabs or the options of a segmented control
SECTION = '[role="tab"], [data-testid="stMain"] [data-testid^="stBaseButton-segmented_control"]'


def open_direct_sliders(page: Page, name: str) -> None:
    """Show the direct sliders (a tab of the weights page, or the section it opens on)."""
    if thumb(page, name).is_visible():
        return
    page.locator(SECTION).filter(has_text=zh("weights.tab_direct")).first.click()
    settle(page)


def thumb(page: Page, name: str) -> Locator:
    return page.locator(f'[data-testid="stSlider"] input[type="range"][aria-label="{name}"]').first


def sidebar(page: Page) -> Locator:
    return page.locator('[data-testid="stSidebar"]')


def test_a_weight_change_is_there_in_a_fresh_context_and_undo_brings_back_the_weights(
    browser,  # noqa: F811
    server,  # noqa: F811
    workspace_db,  # noqa: F811
    problem,  # noqa: F811
):
    leaf_id, key, predicted = a_move_that_changes_the_ranking(problem)
    leaf = next(node for node in problem.leaves if node.id == leaf_id)
    defaults = [entry.name.zh for entry in run(problem).ranking]
    scenario = fresh_scenario(workspace_db)

    first = browser.new_context(viewport=VIEWPORT)
    page = first.new_page()
    page.goto(f"{server}/?scenario={scenario}")
    settle(page)
    go_to(page, "weights")
    open_direct_sliders(page, leaf.name.zh)
    before = thumb(page, leaf.name.zh).input_value()
    thumb(page, leaf.name.zh).focus()
    thumb(page, leaf.name.zh).press(key)
    settle(page)
    expect(sidebar(page)).to_contain_text(label("source_manual", "zh"), timeout=RUN_TIMEOUT)
    moved = thumb(page, leaf.name.zh).input_value()
    assert moved != before
    first.close()

    store = open_store(str(workspace_db))
    try:
        assert store.scenario(SHIPPED_PROJECT, scenario).settings.weight_source == "manual"
    finally:
        store.close()

    again = browser.new_context(viewport=VIEWPORT)  # no cookies, no session, no link
    page = again.new_page()
    page.goto(server)
    settle(page)
    # the link of the scenario left off in, which the first run puts in the address
    expect(page).to_have_url(re.compile(rf"\?scenario={scenario}$"), timeout=RUN_TIMEOUT)
    expect(sidebar(page)).to_contain_text(label("source_manual", "zh"), timeout=RUN_TIMEOUT)
    go_to(page, "ranking")
    assert shown_ranking(page) == predicted
    go_to(page, "weights")
    open_direct_sliders(page, leaf.name.zh)
    expect(thumb(page, leaf.name.zh)).to_have_value(moved, timeout=RUN_TIMEOUT)

    undo = sidebar(page).get_by_role("button", name=zh("workspace.undo"), exact=True)
    undo.click()
    settle(page)
    expect(sidebar(page)).not_to_contain_text(label("source_manual", "zh"), timeout=RUN_TIMEOUT)
    # the slider takes the value the run sent on a later frame than the sidebar's text
    expect(thumb(page, leaf.name.zh)).to_have_value(before, timeout=RUN_TIMEOUT)
    go_to(page, "ranking")
    assert shown_ranking(page) == defaults
    again.close()

    store = open_store(str(workspace_db))
    try:
        restored = store.scenario(SHIPPED_PROJECT, scenario)
        assert restored.settings.weight_source == "ahp"
        assert store.history(SHIPPED_PROJECT, entity_id=scenario, limit=1)[0].reason == "undo"
    finally:
        store.close()
