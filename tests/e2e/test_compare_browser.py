"""Scenarios and their comparison in a real browser: save the open scenario under a new name, save it
again under another after a weight change, and the compare page shows both side by side.

Runs its own ``streamlit run`` server on a throwaway workspace (the fixtures of test_browser).
"""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

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
    workspace_db,
    zh,
)
from tests.e2e.test_workspace_browser import VIEWPORT, open_direct_sliders, sidebar, thumb

pytestmark = pytest.mark.e2e


def open_page(page: Page, key: str) -> None:
    """Follow the menu; with more than twelve pages Streamlit folds the last ones under "View N more"."""
    more = page.locator('[data-testid="stSidebarNav"]').get_by_text("View ", exact=False)
    if more.count() and "more" in more.first.inner_text():
        more.first.click()
    go_to(page, key)


def save_as(page: Page, name: str) -> None:
    open_page(page, "scenarios")
    page.get_by_label(zh("scenarios.save_as"), exact=True).fill(name)
    page.get_by_role("button", name=zh("scenarios.save_as_go"), exact=True).click()
    settle(page)
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text(name, timeout=RUN_TIMEOUT)


def test_two_saved_scenarios_compare_side_by_side(
    browser,  # noqa: F811
    server,  # noqa: F811
    workspace_db,  # noqa: F811
    problem,  # noqa: F811
):
    leaf_id, key, _ = a_move_that_changes_the_ranking(problem)
    leaf = next(node for node in problem.leaves if node.id == leaf_id)
    first, second = f"基准 {uuid.uuid4().hex[:6]}", f"调整 {uuid.uuid4().hex[:6]}"
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(f"{server}/?scenario={fresh_scenario(workspace_db)}")
    settle(page)

    save_as(page, first)
    save_as(page, second)
    go_to(page, "weights")
    open_direct_sliders(page, leaf.name.zh)
    thumb(page, leaf.name.zh).focus()
    thumb(page, leaf.name.zh).press(key)
    settle(page)
    # the move's run has saved the scenario once the sidebar names the manual weights
    expect(sidebar(page)).to_contain_text(label("source_manual", "zh"), timeout=RUN_TIMEOUT)

    store = open_store(str(workspace_db))
    try:
        assert store.scenario(SHIPPED_PROJECT, second).settings.weight_source == "manual"
        assert store.scenario(SHIPPED_PROJECT, first).settings.weight_source == "ahp"
    finally:
        store.close()

    open_page(page, "compare")
    main = page.locator('[data-testid="stMain"]')
    cards = main.locator('[data-testid="stColumn"]')
    expect(cards.filter(has_text=second).first).to_be_visible(timeout=RUN_TIMEOUT)
    expect(cards.filter(has_text=first).first).to_be_visible(timeout=RUN_TIMEOUT)
    grid = main.locator('[data-testid="stDataFrame"]').first
    headers = grid.locator('table thead th, [role="columnheader"]')
    headers.first.wait_for(state="attached", timeout=RUN_TIMEOUT)
    shown = " ".join(headers.all_text_contents())
    assert first in shown and second in shown
    assert main.locator('[data-testid="stAlert"]').filter(has_text="Error").count() == 0
    context.close()
