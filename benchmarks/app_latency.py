"""What an analyst waits for in a real browser: slider moves, landing, the robustness study, memo downloads.

Run from the repository root (needs Debian's ``chromium`` and Playwright, as the e2e tests do):

    python benchmarks/app_latency.py                    # 15 moves per slider, 100,000 SMAA samples
    python benchmarks/app_latency.py --moves 30 --width 900

Starts the app server (``python -m ui.server``, as ``policyrank app`` does) on a free loopback port and
drives it with headless Chromium.
Every time runs from the input event (the key press on a slider, the click on a menu entry,
option or download button, the start of a navigation) until the page has settled: Streamlit says
its script is not running, no skeleton is left and the DOM has not changed for ``--quiet``
milliseconds. A MutationObserver in the page records the last change, so the time reported ends
at that change and the quiet wait is not counted. A download ends when the browser has the whole
file. The table compares each median with its target; nothing here fails on time.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402

from engine.load import load_problem  # noqa: E402
from engine.memo import FORMATS  # noqa: E402
from ui import state  # noqa: E402
from ui.i18n import catalogue  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_S = 180.0
TEXT = catalogue("zh")

# Installed in every document before the app's scripts: the time of the last DOM change, the
# time of the last input event, how many script runs have ended and how long the last one ran
# (from the page saying "running" to its saying otherwise, as the browser saw it). A run counts
# by the old value of the attribute: a short run can start and end before the observer is called.
WATCH = """
(() => {
  window.__lastChange = performance.now();
  window.__inputAt = null;
  window.__runs = 0;
  window.__runFrom = 0;
  window.__ran = 0;
  new MutationObserver((records) => {
    const now = performance.now();
    window.__lastChange = now;
    for (const r of records) {
      if (r.attributeName !== "data-test-script-state") {
        continue;
      }
      if (r.oldValue === "running") {
        window.__runs += 1;
        window.__ran = now - window.__runFrom;
      } else {
        window.__runFrom = now;
      }
    }
  }).observe(document, {
    subtree: true, childList: true, attributes: true, characterData: true, attributeOldValue: true,
  });
  for (const kind of ["keydown", "pointerdown"]) {
    window.addEventListener(kind, () => { window.__inputAt = performance.now(); }, true);
  }
})();
"""

PROBE = """() => ({
  now: performance.now(),
  last: window.__lastChange,
  input: window.__inputAt,
  runs: window.__runs,
  ran: window.__ran,
  idle: !!document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]'),
  connected: !!document.querySelector('[data-test-connection-state="CONNECTED"]'),
  loading: document.querySelectorAll('[data-testid="stSkeleton"], [data-testid="stStatusWidget"]').length,
})"""


@dataclass(frozen=True)
class Timing:
    """One wait: from the input event to the settled page, and how long the script ran in it."""

    total_ms: float
    script_ms: float | None = None


@dataclass(frozen=True)
class Row:
    what: str
    timings: list[Timing]
    target_ms: float | None

    def cells(self) -> tuple[str, ...]:
        times = [t.total_ms for t in self.timings]
        median = statistics.median(times)
        spread = f"{min(times):.0f}-{max(times):.0f}" if len(times) > 1 else ""
        scripts = [t.script_ms for t in self.timings if t.script_ms is not None]
        script = f"{statistics.median(scripts):.0f}" if scripts else ""
        target = "" if self.target_ms is None else f"<= {self.target_ms:.0f}"
        verdict = "" if self.target_ms is None else ("met" if median <= self.target_ms else "MISSED")
        return self.what, f"{median:.0f}", spread, script, target, f"{verdict} (n={len(times)})".strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def app_server() -> Iterator[str]:
    """The app server (`python -m ui.server`, as `policyrank app` starts it) on a free loopback
    port; yields its URL.

    The server works on a throwaway workspace database: with the user's own, every run would
    start from the weights the previous run left there (and add its moves to them).
    """
    port = free_port()
    workspace = tempfile.TemporaryDirectory(prefix="policyrank-latency-")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ui.server",  # as `policyrank app` starts it: streamlit run ui/app.py, with the preload
            "--server.headless=true",
            "--server.address=127.0.0.1",
            f"--server.port={port}",
            "--server.fileWatcherType=none",
            "--browser.gatherUsageStats=false",
        ],
        cwd=ROOT,
        env={**os.environ, "POLICYRANK_DB": str(Path(workspace.name) / "workspace.sqlite")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("the Streamlit server did not come up within 60 s")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        workspace.cleanup()


def settled(page: Page, *, since: float | None, runs_before: int | None, quiet_ms: float) -> Timing:
    """From `since` (page clock, ms; None: the input event seen last) to the last DOM change, once
    the page is idle and quiet. With `runs_before`, a new script run must have ended."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        probe = page.evaluate(PROBE)
        started = runs_before is None or probe["runs"] > runs_before
        ready = probe["idle"] and probe["connected"] and not probe["loading"]
        if started and ready and probe["now"] - probe["last"] >= quiet_ms:
            begin = since if since is not None else probe["input"]
            script = float(probe["ran"]) if runs_before is not None else None
            return Timing(float(probe["last"] - begin), script)
        time.sleep(0.02)
    raise SystemExit(f"the page did not settle within {TIMEOUT_S:.0f} s: {probe}")


def runs(page: Page) -> int:
    return int(page.evaluate("() => window.__runs"))


def new_tab(browser: Browser, width: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 1000}, accept_downloads=True)
    context.add_init_script(WATCH)
    return context.new_page()


def land(browser: Browser, url: str, width: int, quiet_ms: float) -> tuple[Page, Timing]:
    """A new browser context opening the app; the time from navigation start to a settled overview."""
    page = new_tab(browser, width)
    page.goto(url)
    return page, settled(page, since=0.0, runs_before=0, quiet_ms=quiet_ms)


def go_to(page: Page, key: str, quiet_ms: float) -> Timing:
    """Follow the menu (a URL would start a new session); the time from the click to a settled page."""
    before = runs(page)
    # a link, not a section heading of the menu that reads the same ("决策参考")
    page.locator('[data-testid="stSidebarNav"] a').get_by_text(TEXT[f"nav.{key}"], exact=True).click()
    return settled(page, since=None, runs_before=before, quiet_ms=quiet_ms)


def keyed(key: str) -> str:
    """A selector of the element of the widget whose key starts with `key` (Streamlit gives it the
    class ``st-key-`` and the key, colons as dashes)."""
    return f'[class*="st-key-{key.replace(":", "-")}"]'


def section(page: Page, text_key: str, quiet_ms: float) -> Timing:
    """Open a section of the weights page; the time from the click to a settled page."""
    before = runs(page)
    options = page.locator('[data-testid="stMain"] [data-testid="stButtonGroup"] button')
    options.get_by_text(TEXT[text_key], exact=True).click()
    return settled(page, since=None, runs_before=before, quiet_ms=quiet_ms)


def slider_moves(page: Page, key: str, moves: int, quiet_ms: float) -> list[Timing]:
    """Press the right arrow on one slider `moves` times, one settled page each: every press is a
    weight not used before, so no cached analysis answers."""
    thumb = page.locator(f'{keyed(key)} input[type="range"]').first
    times = []
    for _ in range(moves):
        before = runs(page)
        for attempt in range(3):  # a rerun can replace the slider's element between two presses
            try:
                thumb.scroll_into_view_if_needed()
                thumb.focus()
                thumb.press("ArrowRight")
                break
            except PlaywrightError:
                if attempt == 2:
                    raise
                time.sleep(0.5)
        times.append(settled(page, since=None, runs_before=before, quiet_ms=quiet_ms))
    return times


def choose(page: Page, box_label: str, option: str, quiet_ms: float) -> Timing:
    """Pick `option` in the select box labelled `box_label`; the time from the option's click."""
    page.locator('[data-testid="stSelectbox"]').filter(has_text=box_label).click()
    before = runs(page)
    page.get_by_role("option", name=option, exact=True).click()
    return settled(page, since=None, runs_before=before, quiet_ms=quiet_ms)


def download(page: Page, label: str) -> Timing:
    """From the click on a download button until the browser has the whole file."""
    button = page.get_by_role("button", name=label)
    button.scroll_into_view_if_needed()
    start = time.perf_counter()
    with page.expect_download(timeout=TIMEOUT_S * 1000) as event:
        button.click()
    event.value.path()  # waits for the download to finish
    return Timing((time.perf_counter() - start) * 1000)


def measure(args: argparse.Namespace, report: Callable[[Row], None]) -> None:
    problem = load_problem()
    with app_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page, first = land(browser, url, args.width, args.quiet)
        report(Row("cold landing, first after server start", [first], 2500))
        warm = []
        for _ in range(args.landings):
            other, took = land(browser, url, args.width, args.quiet)
            warm.append(took)
            other.context.close()
        report(Row("cold landing, new browser context", warm, 2500))

        report(Row("menu: overview -> weights", [go_to(page, "weights", args.quiet)], None))
        # the sliders are the section the page opens with
        # the last criterion: its importance is far enough below 10 for every press to count
        leaf = problem.leaf_ids[-1]
        moved = slider_moves(page, state.importance_key(leaf), args.moves, args.quiet)
        report(Row("slider: direct importance, weights page", moved, 300))
        report(Row("section: weight sensitivity", [section(page, "sensitivity.title", args.quiet)], None))
        moved = slider_moves(page, state.W_SENSITIVITY_TRY, args.moves, args.quiet)
        report(Row("slider: trial weight, sensitivity fragment", moved, 300))
        applied = []
        for _ in range(3):
            slider_moves(page, state.W_SENSITIVITY_TRY, 1, args.quiet)
            before = runs(page)
            page.locator(f"{keyed(state.W_SENSITIVITY_APPLY)} button").click()
            applied.append(settled(page, since=None, runs_before=before, quiet_ms=args.quiet))
        report(Row("button: use the trial weight, whole page", applied, 300))

        report(Row("menu: weights -> robustness", [go_to(page, "robustness", args.quiet)], None))
        samples = f"{args.samples:,}"
        took = choose(page, TEXT["robustness.samples"], samples, args.quiet)
        report(Row(f"robustness page, {samples} samples, first time", [took], 1000))
        go_to(page, "overview", args.quiet)
        report(
            Row(
                f"menu: -> robustness, {samples} samples cached",
                [go_to(page, "robustness", args.quiet)],
                1000,
            )
        )

        go_to(page, "memo", args.quiet)
        for fmt in FORMATS:
            report(
                Row(f"memo download {fmt}, first click", [download(page, TEXT[f"memo.download.{fmt}"])], 1500)
            )
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=15, help="key presses per slider (default 15)")
    parser.add_argument("--landings", type=int, default=3, help="landings in new contexts (default 3)")
    parser.add_argument("--samples", type=int, default=100_000, help="SMAA samples on the robustness page")
    parser.add_argument("--width", type=int, default=1400, help="window width in pixels (default 1400)")
    parser.add_argument(
        "--quiet", type=float, default=500.0, help="ms without DOM change that count as settled"
    )
    args = parser.parse_args()
    if args.samples not in (10_000, 20_000, 50_000, 100_000):
        parser.error("--samples must be one the robustness page offers: 10000, 20000, 50000 or 100000")
    machine = platform.processor() or platform.machine()
    print(f"{machine}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, window {args.width} px")
    header = ("measurement", "median ms", "range", "script ms", "target ms", "")
    rows: list[tuple[str, ...]] = []

    def report(row: Row) -> None:
        rows.append(row.cells())
        print("  " + "  ".join(row.cells()), flush=True)

    measure(args, report)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    print()
    for r in [header, *rows]:
        left, *numbers, target, verdict = r
        cells = [f"{left:<{widths[0]}}", *(f"{n:>{w}}" for n, w in zip(numbers, widths[1:4], strict=True))]
        print("  ".join([*cells, f"{target:<{widths[4]}}", verdict]))


if __name__ == "__main__":
    main()
