"""The app in a real headless Chromium: ranking, a weight change, a memo download, both languages,
and a seeded random walk of page switches, slider moves, tabs, buttons and language switches.

The server is ``python -m streamlit run ui/app.py`` on a free port; every step waits, as
Streamlit's own end-to-end harness does, until the app is connected, has finished its script run
and shows no skeletons. Debian's ``/usr/bin/chromium`` is driven through Playwright (never
``playwright install``); without it the tests are skipped locally and fail when ``CI`` is set.
"""

from __future__ import annotations

import io
import os
import random
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
from google.protobuf.message import DecodeError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from engine.analysis import run
from engine.insight.sliders import held_weights, importance_from_weights
from engine.load import load_problem
from engine.settings import Settings
from engine.store import SHIPPED_PROJECT, open_store
from engine.text import label
from ui.i18n import catalogue
from ui.views import PAGES

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT = 90.0  # seconds for the server to answer /_stcore/health
RUN_TIMEOUT = 60_000  # milliseconds for one script run in the browser
# the options of a segmented control or pills, such as the weights page's section switcher
SECTION_BUTTONS = '[data-testid="stMain"] [data-testid="stButtonGroup"] button'

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing; CI must install Debian's chromium", pytrace=False)
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import Page, WebSocket, expect, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
            return answer.read() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture(scope="module")
def workspace_db(tmp_path_factory) -> Path:
    """The server's workspace: a throwaway database, never the user's own."""
    return tmp_path_factory.mktemp("workspace") / "workspace.sqlite"


@pytest.fixture(scope="module")
def server(tmp_path_factory, workspace_db) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "ui/app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
    ]
    with open(log, "wb") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "POLICYRANK_DB": str(workspace_db)},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        waited = 0.0
        while not healthy(url):
            try:
                # doubles as the pause between polls and as the check that the server is still up
                process.wait(timeout=0.25)
            except subprocess.TimeoutExpired:
                waited += 0.25
                if waited > START_TIMEOUT:
                    pytest.fail(f"the app did not start in {START_TIMEOUT:.0f} s:\n{log.read_text()}")
                continue
            pytest.fail(f"the app exited with {process.returncode}:\n{log.read_text()}")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def fresh_scenario(workspace_db: Path) -> str:
    """A new scenario of the shipped defaults (its id): changes are saved, so each test starts afresh."""
    store = open_store(str(workspace_db))
    try:
        return store.save_scenario(SHIPPED_PROJECT, f"e2e {uuid.uuid4()}", Settings()).id
    finally:
        store.close()


@pytest.fixture
def page(browser, server, workspace_db) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    tab.goto(f"{server}/?scenario={fresh_scenario(workspace_db)}")
    settle(tab)
    yield tab
    context.close()


SETTLED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app !== null
        && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && document.querySelector('[data-testid="stSkeleton"]') === null;
}"""


def settle(page: Page) -> None:
    """Wait until the app is connected, its script has finished and nothing is still loading.

    One condition polled in the page on every animation frame: it returns on the first frame that
    meets it, with one round trip to the browser instead of one per condition.
    """
    page.wait_for_function(SETTLED, timeout=RUN_TIMEOUT)


def zh(key: str) -> str:
    return catalogue("zh")[key]


def menu_link(page: Page, key: str, lang: str = "zh"):
    """The sidebar menu's link to a page, with the menu opened in full when it shows only its
    first pages ("View more")."""
    name = catalogue(lang)[f"nav.{key}"]
    # by role: a menu section may carry a page's name as its heading
    link = page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=name, exact=True)
    if link.count() == 0:
        page.locator('[data-testid="stSidebarNavViewButton"]').click()
    return link


def go_to(page: Page, key: str, lang: str = "zh") -> None:
    """Follow the sidebar menu (a URL would start a new session)."""
    menu_link(page, key, lang).click()
    page.get_by_role("heading", name=catalogue(lang)[f"nav.{key}"]).first.wait_for(timeout=RUN_TIMEOUT)
    settle(page)


def shown_ranking(page: Page) -> list[str]:
    """Countermeasure names in the first ranking table on the page, top to bottom.

    The overview and the weights page draw the compact ranking as a static table (rank, name,
    score); other pages draw a data grid whose second column holds the names. A table the page
    is still replacing (the previous page's, after a menu click) is read again once it settles.
    """
    for attempt in range(3):
        try:
            return _ranking_table(page)
        except PlaywrightError:
            if attempt == 2:
                raise
            settle(page)
    raise AssertionError("unreachable")


def _ranking_table(page: Page) -> list[str]:
    first = page.locator('[data-testid="stTable"], [data-testid="stDataFrame"]').first
    first.wait_for(state="attached", timeout=RUN_TIMEOUT)
    first.scroll_into_view_if_needed()
    if first.get_attribute("data-testid") == "stTable":
        rows = first.locator("tbody tr")
        rows.first.wait_for(state="attached", timeout=RUN_TIMEOUT)
        # the name is the cell before the score, whether or not an index cell leads the row
        return [row.locator("td").nth(-2).inner_text().strip() for row in rows.all()]
    cells = first.locator('table tbody td[aria-colindex="2"]')
    # the grid keeps an accessible (hidden) table of its cells once it has drawn them
    cells.first.wait_for(state="attached", timeout=RUN_TIMEOUT)
    return cells.all_text_contents()


@pytest.fixture(scope="module")
def problem():
    return load_problem()


def a_move_that_changes_the_ranking(problem) -> tuple[str, str, list[str]]:
    """(leaf id, "Home" or "End", predicted order): one slider pushed to an end that reorders."""
    defaults = [e.name.zh for e in run(problem).ranking]
    importance = dict(zip(problem.leaf_ids, importance_from_weights(run(problem).weights), strict=True))
    for leaf in problem.leaf_ids:
        for key, value in (("End", 10.0), ("Home", 0.0)):
            moved = {**importance, leaf: value}
            weights = held_weights(
                [moved[i] for i in problem.leaf_ids], held=[False] * len(moved), fixed=[0.0] * len(moved)
            )
            settings = Settings().with_manual_weights(
                dict(zip(problem.leaf_ids, map(float, weights), strict=True))
            )
            order = [e.name.zh for e in run(problem, settings).ranking]
            if order != defaults:
                return leaf, key, order
    raise AssertionError("no slider pushed to an end changes the shipped ranking")


def test_the_landing_page_shows_all_seven_countermeasures_in_chinese(page, problem, tmp_path):
    assert page.get_by_role("heading", name=zh("nav.overview")).first.is_visible()
    shown = shown_ranking(page)
    assert sorted(shown) == sorted(item.name.zh for item in problem.countermeasures)
    assert shown == [e.name.zh for e in run(problem).ranking]
    for entry in run(problem).ranking[:3]:  # the top three are also written out with their reasons
        assert page.get_by_text(f"{entry.rank}. {entry.name.zh}", exact=True).is_visible()
    path = tmp_path / "policyrank-e2e-overview.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000


def test_a_weight_change_reorders_the_ranking_and_the_memo_follows(page, problem, tmp_path):
    leaf_id, key, predicted = a_move_that_changes_the_ranking(problem)
    leaf = next(node for node in problem.leaves if node.id == leaf_id)
    go_to(page, "weights")
    page.locator(SECTION_BUTTONS).get_by_text(zh("weights.tab_direct"), exact=True).click()
    settle(page)
    # the range input is labelled by itself and its group, so its accessible name repeats the label
    thumb = page.locator(f'[data-testid="stSlider"] input[type="range"][aria-label="{leaf.name.zh}"]')
    thumb.focus()
    thumb.press(key)
    settle(page)
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text(
        label("source_manual", "zh"), timeout=RUN_TIMEOUT
    )
    page.screenshot(path=str(tmp_path / "policyrank-e2e-weights.png"), full_page=True)

    go_to(page, "ranking")
    assert shown_ranking(page) == predicted
    assert predicted != [e.name.zh for e in run(problem).ranking]

    go_to(page, "memo")
    with page.expect_download(timeout=RUN_TIMEOUT) as download:
        page.get_by_role("button", name=zh("memo.download.md")).click()
    markdown = Path(download.value.path()).read_text(encoding="utf-8")
    assert download.value.suggested_filename.endswith(".md")
    assert predicted[0] in markdown

    with page.expect_download(timeout=RUN_TIMEOUT) as download:
        page.get_by_role("button", name=zh("memo.download.docx")).click()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    assert target.suffix == ".docx"
    document = docx.Document(io.BytesIO(target.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for table in document.tables for row in table.rows for c in row.cells)
    assert predicted[0] in text
    page.screenshot(path=str(tmp_path / "policyrank-e2e-memo.png"), full_page=True)


def test_the_language_switch_turns_the_interface_english(page, problem):
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    settle(page)
    en = catalogue("en")
    page.get_by_role("heading", name=en["nav.overview"]).first.wait_for(timeout=RUN_TIMEOUT)
    assert shown_ranking(page) == [e.name.en for e in run(problem).ranking]
    go_to(page, "ranking", "en")
    assert shown_ranking(page) == [e.name.en for e in run(problem).ranking]
    headers = page.locator('[data-testid="stDataFrame"]').first.locator("table thead th")
    assert headers.all_text_contents() == [
        label("rank", "en"),
        label("measure", "en"),
        label("score", "en"),
        en["ranking.change"],
    ]
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text(en["sidebar.in_use"])


# ---------------------------------------------------------------- a seeded random walk

WALK_SEED = 20240607
WALK_ACTIONS = 300  # clicks, slider moves, tab, page and language switches (a choice that finds
# nothing to act on, e.g. a button on a page without one, is not counted)
# a safety stop, not the plan: 254 actions took 150 s on an idle two-core machine, and one kept
# at a load of 12 by other work managed 74 in 150 s
WALK_BUDGET_SECONDS = 420
WALK_AT_LEAST = 100  # actions that must have run for the walk to mean something
WALK_SAMPLES = "10,000"  # the smallest robustness study keeps the walk's page visits short
BROKEN = (
    "This app has encountered an error",
    *(
        catalogue(lang)[key]
        for lang in ("zh", "en")
        for key in ("errors.page_failed", "errors.callback_failed")
    ),
)


def run_finished(payload: str | bytes) -> bool:
    """Whether a websocket frame from the server ends a script run (one not cut short by a newer run).

    The app's script state attribute can skip "running" when a run is quick, so the walk waits for
    the server's own message instead.
    """
    if isinstance(payload, str):
        return False
    try:
        message = ForwardMsg.FromString(payload)
    except DecodeError:
        return False
    return (
        message.WhichOneof("type") == "script_finished"
        and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
    )


def assert_not_broken(page: Page, done: list[str]) -> None:
    """No exception box and none of the error texts anywhere in the page (hidden ones included),
    checked in one round trip to the browser."""
    found = page.evaluate(
        """(texts) => {
            if (document.querySelector('[data-testid="stException"]') !== null) return 'an exception box';
            const shown = document.body.textContent;
            return texts.find((text) => shown.includes(text)) ?? null;
        }""",
        list(BROKEN),
    )
    assert found is None, (found, done[-5:])


# shown (a box on screen, not hidden, not inside a closed expander) and usable (not disabled)
USABLE = """(items) => items.map((item) => {
    const box = item.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && item.checkVisibility({visibilityProperty: true})
        && !item.matches(':disabled') && item.getAttribute('aria-disabled') !== 'true';
})"""


def visible(locator) -> list:
    """The visible, enabled matches of `locator`, found in one round trip to the browser."""
    return [locator.nth(index) for index, usable in enumerate(locator.evaluate_all(USABLE)) if usable]


def outside_forms(testid: str) -> str:
    """Widgets of ``testid`` not inside an ``st.form``: a change inside a form starts no script run
    (only the form's submit button does), so the walk would wait for a run that never comes."""
    return f'[data-testid="{testid}"]:not([data-testid="stForm"] [data-testid="{testid}"])'


class Walk:
    """The walker's state: the language, the page and the choices it made that must stay."""

    def __init__(self, page: Page, socket: WebSocket, rng: random.Random) -> None:
        self.page, self.socket, self.rng = page, socket, rng
        self.lang, self.where = "zh", "overview"
        self.kept: dict[str, str] = {}  # page key -> the value its one slider was left at
        self.done: list[str] = []  # what the walk did, the current action last

    def text(self, key: str) -> str:
        return catalogue(self.lang)[key]

    def rerun(self, action: Callable[[], object]) -> None:
        """Do `action`, then wait for the script run it causes to finish and the page to settle."""
        try:
            with self.socket.expect_event("framereceived", predicate=run_finished, timeout=RUN_TIMEOUT):
                action()
        except PlaywrightTimeout:
            raise AssertionError(f"no script run finished after {self.done[-3:]}") from None
        settle(self.page)

    def go(self, key: str) -> None:
        if key == self.where:
            return
        self.done.append(f"page {key}")
        self.rerun(menu_link(self.page, key, self.lang).click)
        self.page.get_by_role("heading", name=self.text(f"nav.{key}")).first.wait_for(timeout=RUN_TIMEOUT)
        self.where = key

    def switch_page(self) -> None:
        self.go(self.rng.choice([spec.key for spec in PAGES if spec.key != self.where]))

    def switch_language(self) -> None:
        other = "en" if self.lang == "zh" else "zh"
        self.done.append(f"language {other}")
        choice = self.page.locator('[data-testid="stSidebar"]').get_by_text(
            "English" if other == "en" else "中文", exact=True
        )
        self.rerun(choice.click)
        self.lang = other

    def move_slider(self) -> None:
        sliders = visible(self.page.locator(f'{outside_forms("stSlider")} input[type="range"]'))
        if not sliders:
            return self.switch_tab()
        thumb = self.rng.choice(sliders)
        key = self.rng.choice(["ArrowLeft", "ArrowRight", "PageUp", "PageDown", "Home", "End"])
        name, value, low, high = thumb.evaluate(
            "(input) => [input.getAttribute('aria-label'), +input.value, +input.min, +input.max]"
        )
        self.done.append(f"slider {name!r} {key} on {self.where}")
        # a move at an end changes nothing and starts no run
        if (value > low) if key in ("ArrowLeft", "PageDown", "Home") else (value < high):
            self.rerun(lambda: thumb.press(key))
        if self.where in ("budget", "experts"):  # one slider each; nothing else moves it
            only = self.page.locator('[data-testid="stSlider"] input[type="range"]')
            self.kept[self.where] = only.input_value()

    def switch_tab(self) -> None:
        tabs = visible(self.page.get_by_role("tab")) + visible(self.page.locator(SECTION_BUTTONS))
        if not tabs:
            return
        tab = self.rng.choice(tabs)
        self.done.append(f"tab {tab.inner_text()!r}")
        # st.tabs switch in the browser and the chosen option of a segmented control stays chosen:
        # neither runs the script; another option of a segmented control (the weights page's
        # sections) does, and the walk waits for that run as for any other
        if tab.get_attribute("role") == "tab" or tab.get_attribute("aria-checked") == "true":
            tab.click()
            settle(self.page)
        else:
            self.rerun(tab.click)

    def click_button(self) -> None:
        buttons = visible(self.page.locator('[data-testid="stMain"] [data-testid="stButton"] button'))
        if not buttons:
            return self.switch_tab()
        button = self.rng.choice(buttons)
        self.done.append(f"button {button.inner_text()!r} on {self.where}")
        self.rerun(button.click)

    def toggle_checkbox(self) -> None:
        boxes = visible(self.page.locator(f'[data-testid="stMain"] {outside_forms("stCheckbox")} input'))
        if not boxes:
            return self.switch_tab()
        box = self.rng.choice(boxes).locator("xpath=ancestor::label[1]")
        self.done.append(f"checkbox {box.inner_text()!r} on {self.where}")
        self.rerun(box.click)

    def choose_samples(self) -> None:
        """A choice made once and checked at the end: the robustness study's sample count."""
        self.go("robustness")
        self.done.append(f"samples {WALK_SAMPLES}")
        samples = self.page.locator('[data-testid="stSelectbox"]').filter(
            has_text=self.text("robustness.samples")
        )
        samples.click()
        self.rerun(self.page.get_by_role("option", name=WALK_SAMPLES, exact=True).click)


def test_a_random_walk_never_breaks_the_app_and_keeps_the_choices(page):
    rng = random.Random(WALK_SEED)
    with page.expect_websocket() as opened:  # a fresh session whose messages the walk can watch
        page.reload()
    settle(page)
    walk = Walk(page, opened.value, rng)
    walk.choose_samples()
    actions = [walk.switch_page] * 4 + [walk.move_slider] * 6 + [walk.switch_tab] * 3
    actions += [walk.click_button] * 2 + [walk.toggle_checkbox] * 2 + [walk.switch_language]
    deadline = time.monotonic() + WALK_BUDGET_SECONDS
    while len(walk.done) < WALK_ACTIONS and time.monotonic() < deadline:
        rng.choice(actions)()
        assert_not_broken(page, walk.done)
    assert len(walk.done) >= WALK_AT_LEAST, walk.done

    # the choices made on the way are still shown, on their own pages and where they are shared
    walk.go("robustness")
    samples = page.locator('[data-testid="stSelectbox"]').filter(has_text=walk.text("robustness.samples"))
    expect(samples.get_by_role("combobox")).to_have_value(WALK_SAMPLES)
    for key, value in walk.kept.items():
        walk.go(key)
        assert page.locator('[data-testid="stSlider"] input[type="range"]').input_value() == value, key
    walk.go("memo")
    numbers = [box.input_value() for box in page.locator('[data-testid="stNumberInput"] input').all()]
    assert WALK_SAMPLES.replace(",", "") in numbers, numbers
    if "budget" in walk.kept:
        assert f"{float(walk.kept['budget']):g}" in numbers, (walk.kept, numbers)
    # the sidebar still speaks the language chosen last
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text(walk.text("sidebar.in_use"))
    assert_not_broken(page, walk.done)
