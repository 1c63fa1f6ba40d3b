"""The widgets as a reader sees them, in Chromium: readable buttons in every state and
palette.

Skipped with a reason when no browser is installed (see tests/support/browser.py).
"""

from __future__ import annotations

import pytest

from tests.support import nav_pages
from tests.support.browser import Watched, page_url

CONTRAST = """async (element) => {
  await Promise.all(element.getAnimations().map((animation) => animation.finished));
  const parse = (colour) => {
    const [r, g, b, a = 1] = colour.match(/[\\d.]+/g).map(Number);
    return [r, g, b, a];
  };
  const over = (top, bottom) => [
    ...top.slice(0, 3).map((v, i) => v * top[3] + bottom[i] * (1 - top[3])), 1,
  ];
  const layers = [];
  for (let node = element; node; node = node.parentElement) {
    layers.unshift(parse(getComputedStyle(node).backgroundColor));
  }
  const background = layers.reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
  const text = over(parse(getComputedStyle(element).color), background);
  const luminance = (rgb) => {
    const linear = (v) => (v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    const [r, g, b] = rgb.map(linear);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(text), luminance(background)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}"""
"""The WCAG contrast ratio of a button's label on what is behind it, once its colour
transitions have ended: each colour as computed, a translucent one laid over the layers
under it, down to the page's white."""

WIDGET_PAGES = [source for source in nav_pages() if source.endswith(".md")]


def widget_pages(built) -> list[str]:
    """Return the nav sources of the pages that hold a widget, in the built site."""
    site = built / "site"
    return [
        source
        for source in WIDGET_PAGES
        if "data-widget=" in (site / page_url("", source) / "index.html").read_text()
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_widget_button_is_readable_normal_hovered_and_focused(
    browser, site_url, built, scheme
):
    """4.5:1 at least, as WCAG asks of text: a clicked button keeps the focus, so its
    focused look is the one a reader sees after every click. A disabled button is left
    out, as WCAG leaves it out."""
    session = Watched(browser, scheme=scheme)
    measured, faint = 0, []
    try:
        for source in widget_pages(built):
            page = session.open(page_url(site_url, source))
            session.settle()
            buttons = page.locator(
                "[data-widget] :is(button, .md-button):not(:disabled, [aria-disabled=true])"
            )
            for button in buttons.all():
                name = f"{source} “{button.text_content().strip()}”"
                button.scroll_into_view_if_needed()
                for state in ("normal", "hover", "focus"):
                    page.mouse.move(0, 0)
                    page.evaluate("document.activeElement?.blur()")
                    if state == "hover":
                        button.hover()
                    elif state == "focus":
                        button.focus()
                    ratio = button.evaluate(CONTRAST)
                    measured += 1
                    if ratio < 4.5:
                        faint.append(f"{name} {state}: {ratio:.2f}:1")
        # 9 buttons at rest: the pad's 3, the playground's 2, the replay's Play, the
        # ten-digit pad's Clear, the lab's Train and Reset (its Stop waits for training)
        assert measured >= 3 * 9, f"only {measured} button states measured"
        assert not faint, f"buttons under 4.5:1 in the {scheme} palette: {faint}"
    finally:
        session.close()


PHONE = {"width": 390, "height": 844}

IN_USE = {
    "the pad": ("prediction.md", "digit-pad", "digit-pad", ["digit-prediction", "digit-clear"]),
    "a price slider": (
        "apples-pears.md",
        "receipts",
        "apple-slider",
        ["receipts-loss", "receipts-surface", "gradient-step"],
    ),
    "the nudge slider": ("loss.md", "nudge", "nudge-slider", ["nudge-loss", "nudge-plot"]),
    "the epoch slider": (
        "gradient-descent.md",
        "replay",
        "replay-epoch",
        ["replay-label", "replay-curve"],
    ),
    "the ten-digit pad": (
        "ten-digits.md",
        "ten-digit-pad",
        "ten-digit-pad",
        ["ten-digit-prediction", "ten-digit-clear"],
    ),
}
"""For each widget, a control a reader uses and what it changes (data-testid): on a phone
both must be on screen at once."""

ON_SCREEN = """([control, results]) => {
  const find = (testid) => document.querySelector(`[data-testid=${testid}]`);
  const header = document.querySelector(".md-header").getBoundingClientRect().bottom;
  find(control).scrollIntoView({ block: "start" });
  scrollBy(0, -header);  // the control just under the sticky header, as a thumb holds it
  const off = (testid) => {
    const box = find(testid).getBoundingClientRect();
    const seen = box.top >= header - 1 && box.bottom <= innerHeight + 1;
    return seen ? null : [testid, box.top, box.bottom];
  };
  return [control, ...results].map(off).filter(Boolean);
}"""


@pytest.mark.parametrize("used", list(IN_USE))
def test_on_a_phone_the_control_in_use_and_its_result_share_the_screen(browser, site_url, used):
    """At 390 x 844, with the control at the top of the screen, what it changes is on
    screen too: below it, or in the result panel that sticks to the window's bottom."""
    source, widget, control, results = IN_USE[used]
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(page_url(site_url, source))
        page.locator(f"[data-widget={widget}]").evaluate("(root) => root.scrollIntoView()")
        page.wait_for_selector(f"[data-widget={widget}][data-ready=yes]")
        off_screen = page.evaluate(ON_SCREEN, [control, results])
        assert not off_screen, (
            f"with {used} in use, off the screen (testid, top, bottom): {off_screen}"
        )
    finally:
        context.close()
