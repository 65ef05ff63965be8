"""An expert's personal link in a real browser: it opens only the questionnaire (also under another
page's address), an answer and its reason are there after the page is closed and opened again,
submitting shows up on the analyst's panel page, and a revoked or made-up token gets a polite
refusal and no data. A phone-sized viewport (390 px) is used for the expert.

Runs its own ``streamlit run`` server on a throwaway workspace (the fixtures of test_browser).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from engine.store import SHIPPED_PROJECT, open_store
from engine.store.panel import Item, Panels
from tests.e2e.test_browser import (  # noqa: F401 (fixtures)
    RUN_TIMEOUT,
    browser,
    server,
    settle,
    workspace_db,
    zh,
)

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
EXPERTS = "id,name,group,weight\ne1,张三,think_tank,1\ne2,李四,development_reform,1\ne3,王五,think_tank,1\n"
NAME = "e2e-panel"
FIRST = Item.judgment("goal", "retention", "ecosystem")
SECOND = Item.judgment("goal", "retention", "feasibility")


@pytest.fixture(scope="module")
def tokens(workspace_db: Path) -> dict[str, str]:  # noqa: F811
    store = open_store(str(workspace_db))
    try:
        panels = Panels(store)
        panels.create(SHIPPED_PROJECT, NAME, EXPERTS, asks="judgments")
        return {link.expert: link.token for link in panels.issue_links(SHIPPED_PROJECT, NAME)}
    finally:
        store.close()


def stored(workspace_db: Path, expert: str) -> dict[str, tuple[float | str, str]]:  # noqa: F811
    store = open_store(str(workspace_db))
    try:
        found = Panels(store).answers(SHIPPED_PROJECT, NAME, expert).get(expert, {})
        return {key: (answer.value, answer.reason) for key, answer in found.items()}
    finally:
        store.close()


def stored_soon(workspace_db: Path, expert: str, expected: dict, seconds: float = RUN_TIMEOUT / 1000) -> None:  # noqa: F811
    """Wait until the expert's saved answers are `expected`: a settled page can still be sending the
    last answer's run (the answer before it already shows its tick)."""
    deadline = time.monotonic() + seconds
    while (found := stored(workspace_db, expert)) != expected and time.monotonic() < deadline:
        time.sleep(0.1)
    assert found == expected


def open_page(browser, url: str, viewport=PHONE) -> Page:  # noqa: F811
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(url)
    settle(page)
    return page


def only_the_questionnaire(page: Page) -> None:
    expect(page.get_by_role("heading", name=zh("questionnaire.title"))).to_be_visible(timeout=RUN_TIMEOUT)
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    assert page.locator('[data-testid="stSidebar"]').count() == 0
    assert page.get_by_text(zh("nav.overview"), exact=True).count() == 0


def refused(page: Page) -> None:
    expect(page.get_by_role("heading", name=zh("questionnaire.refused_title"))).to_be_visible(
        timeout=RUN_TIMEOUT
    )
    expect(page.get_by_text(zh("questionnaire.refused"))).to_be_visible()
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    body = page.locator('[data-testid="stApp"]').inner_text()
    assert NAME not in body and "张三" not in body and "留住存量" not in body


def test_the_link_opens_only_the_questionnaire_even_under_another_pages_address(browser, server, tokens):  # noqa: F811
    for path in ("/", "/weights", "/panel"):
        page = open_page(browser, f"{server}{path}?token={tokens['e3']}")
        only_the_questionnaire(page)
        expect(page.get_by_text("王五", exact=False).first).to_be_visible()
        page.context.close()


def test_answers_survive_closing_the_page_and_submitting_shows_in_the_status(
    browser,  # noqa: F811
    server,  # noqa: F811
    workspace_db,  # noqa: F811
    tokens,
):
    link = f"{server}/?token={tokens['e1']}"
    page = open_page(browser, link)
    only_the_questionnaire(page)
    slider = page.locator('[data-testid="stSlider"] input[type="range"]').first
    slider.focus()
    slider.press("ArrowLeft")  # one step towards the left criterion: 同等至稍微重要 (2)
    settle(page)
    reason = page.get_by_label(zh("questionnaire.why")).first
    reason.fill("留住存量是根本")
    reason.press("Enter")
    settle(page)
    expect(page.get_by_text("✓ 留住存量比产业生态与营商环境同等至稍微重要（2）")).to_be_visible()
    stored_soon(workspace_db, "e1", {FIRST.key: (2.0, "留住存量是根本")})
    # the other direction, then both languages: switching language changes no answer
    second = page.locator('[data-testid="stSlider"] input[type="range"]').nth(1)
    second.focus()
    second.press("End")  # 可行性与代价 extremely more important: 1/9
    settle(page)
    for language in ("English", "中文"):
        page.get_by_text(language, exact=True).click()
        settle(page)
    stored_soon(workspace_db, "e1", {FIRST.key: (2.0, "留住存量是根本"), SECOND.key: (1 / 9, "")})
    expect(page.get_by_text("✓ 可行性与代价比留住存量极端重要（9）")).to_be_visible()
    page.screenshot(path=str(Path(workspace_db).parent / "questionnaire-390.png"), full_page=True)
    page.context.close()

    again = open_page(browser, link)  # a new browser context: the page was closed and opened again
    expect(again.get_by_text("✓ 留住存量比产业生态与营商环境同等至稍微重要（2）")).to_be_visible()
    expect(again.get_by_label(zh("questionnaire.why")).first).to_have_value("留住存量是根本")
    expect(again.get_by_text(zh("questionnaire.progress").format(done=2, total=25))).to_be_visible()

    # the last step submits, after a confirmation
    again.locator('[data-testid="stSelectbox"]').first.click()
    again.get_by_role("option").last.click()
    settle(again)
    again.get_by_role("button", name=zh("questionnaire.submit")).click()
    settle(again)
    again.get_by_role("button", name=zh("questionnaire.submit_yes")).click()
    settle(again)
    expect(again.get_by_text(zh("questionnaire.submitted").split("{")[0])).to_be_visible()
    again.context.close()

    analyst = open_page(browser, f"{server}/panel", viewport={"width": 1400, "height": 1000})
    expect(analyst.get_by_role("heading", name=zh("nav.panel")).first).to_be_visible(timeout=RUN_TIMEOUT)
    analyst.get_by_role("tab", name=zh("panel.tab_status")).click()
    expected = zh("panel.progress").format(submitted=1, experts=3, done=2, total=75)
    expect(analyst.get_by_text(expected)).to_be_visible(timeout=RUN_TIMEOUT)
    analyst.context.close()


def test_a_revoked_or_made_up_token_gets_a_polite_refusal(browser, server, workspace_db, tokens):  # noqa: F811
    store = open_store(str(workspace_db))
    try:
        Panels(store).revoke(SHIPPED_PROJECT, NAME, "e2")
    finally:
        store.close()
    for token in (tokens["e2"], "made-up-token", ""):
        page = open_page(browser, f"{server}/?token={token}")
        refused(page)
        page.context.close()
