"""Chromium for the tests and the CI gates: Debian's package driven by Playwright for Python.

Never `playwright install` (it downloads a browser); `.ci/run` installs Debian's
`chromium` and sets LESSONS_REQUIRE_BROWSER=1, which turns a missing browser (or a
missing axe-core, see AXE_SCRIPT) into a failure instead of a skip.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # A frame as soon as there is something to draw, not paced to a screen's 60 a second:
    # each pointer move of a drawing waits for a frame, so a digit drawn took seconds.
    # An idle page draws nothing either way.
    "--disable-gpu-vsync",
    "--disable-frame-rate-limit",
]
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
"""Looked for on PATH in this order: Debian's package here, Chrome on GitHub's runners."""

AXE_SCRIPT = Path(__file__).parents[1] / "axe" / "node_modules" / "axe-core" / "axe.min.js"
"""axe-core from the npm registry, installed for the test run by `npm ci --prefix tests/axe`.

It is injected into each page by the test, never copied into the site."""

BLOCKING_IMPACTS = ("serious", "critical")


def require(what: str, how: str) -> None:
    """Fail when LESSONS_REQUIRE_BROWSER is set, else skip: `what` is missing, `how` gets it."""
    if os.environ.get("LESSONS_REQUIRE_BROWSER"):
        pytest.fail(f"LESSONS_REQUIRE_BROWSER is set but {what} is missing ({how})")
    pytest.skip(f"{what} is missing ({how})")


def launch(playwright):
    """Return Debian's Chromium launched headless, or skip (or fail) when it is absent."""
    chromium = next(filter(None, map(shutil.which, BROWSERS)), None)
    if chromium is None:
        require("chromium", "apt-get install -y chromium")
    return playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(site: Path, handler: type = _QuietHandler) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 for as long as the block runs; yield its URL.

    handler: a SimpleHTTPRequestHandler class (benchmarks/lighthouse.py gzips with its own).
    """
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def page_url(site_url: str, source: str) -> str:
    """Return the URL of the page built from a nav source such as `loss.md`."""
    stem = source.rsplit(".", 1)[0]
    return site_url if stem == "index" else f"{site_url}{stem}/"


SCROLL_DOWN = """async (until) => {
  const painted = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done)));
  for (let y = 0; y <= document.documentElement.scrollHeight; y += innerHeight) {
    if (until && !document.querySelector(until)) break;
    scrollTo(0, y);
    await painted();
  }
  await painted();  // what the last screen started has set itself up
  scrollTo(0, 0);
}"""
"""Scroll down a screen at a time, as a reader does, to the end of the page or until
nothing matches the selector `until`. What starts only as the reader reaches it starts:
each widget (main.mjs) and each code block's copy button (Material's content.lazy)."""


class Watched:
    """A page with every request and console error recorded."""

    def __init__(self, browser, width: int = 1280, scheme: str = "light"):
        self.context = browser.new_context(
            viewport={"width": width, "height": 900}, color_scheme=scheme
        )
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else 0)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, url: str, widget: str | None = None):
        """Go to url; when a widget is named, scroll down to it and wait for its data."""
        self.page.goto(url)
        if widget:
            self.scroll_down(until=f"[data-widget={widget}][data-ready=waiting]")
            self.page.wait_for_selector(f"[data-widget={widget}][data-ready=yes]")
        return self.page

    def scroll_down(self, until: str | None = None) -> None:
        """Scroll down a screen at a time to the end of the page, or until nothing matches
        the selector `until`, then back to the top."""
        self.page.evaluate(SCROLL_DOWN, until)

    def settle(self):
        """Scroll to the end of the page and back, then wait until nothing loads and every
        widget on the page is shown."""
        self.scroll_down()
        self.page.wait_for_load_state("networkidle")
        for widget in self.page.locator("[data-widget]").all():
            widget.locator("xpath=.").wait_for(state="visible")
        return self.page

    def close(self):
        self.context.close()


def centre_in_view(page, testid: str) -> dict:
    """Scroll an element to the middle of the window (clear of the sticky header); return
    its bounding box."""
    element = page.locator(f"[data-testid={testid}]")
    element.evaluate("(element) => element.scrollIntoView({ block: 'center' })")
    return element.bounding_box()


def draw(page, points, pad_id="digit-pad"):
    """Draw one stroke through points (pixels from the pad's top left) on a drawing pad."""
    pad = centre_in_view(page, pad_id)
    page.mouse.move(pad["x"] + points[0][0], pad["y"] + points[0][1])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(pad["x"] + x, pad["y"] + y, steps=12)
    page.mouse.up()


def axe_violations(page) -> list[str]:
    """Run axe-core on the page; return one line per serious or critical violation."""
    if not AXE_SCRIPT.is_file():
        require("axe-core", "npm ci --prefix tests/axe")
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate("async () => await axe.run(document)")
    assert len(results["passes"]) > 10, "axe-core checked almost nothing: is the page empty?"
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + "; ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
