"""The palette toggle, which the site's templates run instead of Material's script
(overrides/partials/javascripts/palette.html, overrides/partials/palette-toggle.html):
the device's palette first, the reader's choice after, remembered across pages and
visits, and nothing of it restyling the page once it is drawn.

Skipped with a reason when no browser is installed (see tests/support/browser.py).
"""

from __future__ import annotations

import pytest

from tests.support.browser import Watched, page_url

STATE = """() => ({
  scheme: document.body.dataset.mdColorScheme,
  accent: document.body.dataset.mdColorAccent,
  colorScheme: [...document.querySelectorAll("meta[name=color-scheme]")].map((m) => m.content),
  themeColor: [...document.querySelectorAll("meta[name=theme-color]")].map((m) => m.content),
  shown: [...document.querySelectorAll("form.md-header__option label")].map((l) => !l.hidden),
  root: document.documentElement.className,
})"""
TOGGLE = "form.md-header__option label:not([hidden])"


@pytest.mark.parametrize(
    ("scheme", "palette", "other"), [("light", "default", "slate"), ("dark", "slate", "default")]
)
def test_palette_follows_the_device_then_the_reader(browser, site_url, scheme, palette, other):
    session = Watched(browser, 390, scheme)
    try:
        page = session.open(page_url(site_url, "loss.md"))
        page.wait_for_load_state("networkidle")
        state = page.evaluate(STATE)
        assert state["scheme"] == palette
        assert state["colorScheme"] == ["dark" if palette == "slate" else "light"]
        assert len(state["themeColor"]) == 1 and state["themeColor"][0].startswith("rgb(")
        assert state["shown"] == ([True, False] if palette == "default" else [False, True])
        assert state["root"].split() == ["js", "js-focus-visible"]

        page.locator(TOGGLE).click()
        state = page.evaluate(STATE)
        assert state["scheme"] == other
        assert state["colorScheme"] == ["dark" if other == "slate" else "light"]
        assert state["shown"] == ([True, False] if other == "default" else [False, True])

        page.reload()  # the reader's choice outlives the device's
        assert page.evaluate(STATE)["scheme"] == other
        page.locator("a.md-footer__link--next").click()  # instant navigation
        page.wait_for_url("**/gradient-descent/")
        page.locator(TOGGLE).click()
        assert page.evaluate(STATE)["scheme"] == palette
        page.locator("form.md-header__option input").first.focus()
        page.keyboard.press("Enter")  # the keyboard toggles too, as with Material's
        assert page.evaluate(STATE)["scheme"] == other
        assert not session.errors, session.errors[:5]
    finally:
        session.close()


def test_the_header_is_laid_out_whole_from_the_first_frame(browser, site_url):
    """The header is laid out whole from the first frame: the toggle and the search button
    in place before Material's script runs (CLS 0 at a phone's width)."""
    session = Watched(browser, 390, "dark")
    try:
        page = session.open(page_url(site_url, "index.md"))
        page.wait_for_load_state("networkidle")
        shifts = page.evaluate("""() => {
          const observer = new PerformanceObserver(() => {});
          observer.observe({ type: "layout-shift", buffered: true });
          return observer.takeRecords().reduce((total, shift) => total + shift.value, 0);
        }""")
        assert round(shifts, 3) == 0
    finally:
        session.close()
