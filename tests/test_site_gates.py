"""The site's gates, page by page: local only, no errors, fits, accessible, alt text, light,
figures legible.

They run on the session's build (bundled sample) with the rest of the tests. `.ci/run`
runs them again on its strict build with real MNIST by pointing LESSONS_GATE_SITE at
that build's site folder.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from lessons_code.website import style
from tests.support import (
    PAGE_LIMIT,
    SITE_LIMIT,
    nav_pages,
    page_weights,
    parse,
    site_size,
    snippet_pages,
)
from tests.support.browser import Watched, axe_violations, page_url, serve
from tests.support.figures import shown_figures
from tests.support.links import broken_links

SOURCE_MAP = re.compile(r"[#@] sourceMappingURL=([^\s*]+)")
SCHEMES = {"light": "default", "dark": "slate"}  # colour scheme asked -> Material's palette


@pytest.fixture(scope="module")
def gate_site(request) -> Path:
    """Return the built site the gates check: LESSONS_GATE_SITE, else the session's build."""
    if os.environ.get("LESSONS_GATE_SITE"):
        site = Path(os.environ["LESSONS_GATE_SITE"])
        assert (site / "index.html").is_file(), f"LESSONS_GATE_SITE={site} holds no built site"
        return site
    return request.getfixturevalue("built") / "site"


@pytest.fixture(scope="module")
def gate_url(gate_site):
    with serve(gate_site) as url:
        yield url


CODE_BLOCKS = """() => {
  for (const details of document.querySelectorAll("details")) details.open = true;
  const tabs = document.createElement("style");  // every tab's code, not the first tab's only
  tabs.textContent = ".tabbed-set > .tabbed-content > .tabbed-block { display: block }";
  document.head.append(tabs);
  return [...document.querySelectorAll("pre > code")].map((code) => {
    const right = code.getBoundingClientRect().left + code.clientWidth
      - parseFloat(getComputedStyle(code).paddingRight);
    const notes = [...code.querySelectorAll("span")].filter(
      (span) => span.textContent.startsWith("# ("));
    return {
      start: code.textContent.slice(0, 60),
      shown: code.offsetParent !== null,
      scrolls: code.scrollWidth - code.clientWidth,
      cut: notes.filter((note) => note.getBoundingClientRect().right > right + 0.5)
        .map((note) => note.textContent),
    };
  });
}"""
"""Each code block of the page, its folded and tabbed ones shown: how far it scrolls
sideways, and its shape notes (comments `# (...)`) that end past what it shows."""


MIN_TEXT_PX = 11
"""The smallest figure text a reader must read, in CSS pixels (style.MIN_TEXT_PX)."""


JUMP = """async (id) => {
  const QUIET = 150;  // ms: Material's debounce of 100 ms, and some
  const frame = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done)));
  if (window.lastScroll === undefined) {
    window.lastScroll = -Infinity;
    addEventListener("scroll", () => (window.lastScroll = performance.now()), { passive: true });
  }
  history.replaceState(null, "", location.pathname);  // Material's tracking may hold it
  if (location.hash === `#${id}`) {
    document.getElementById(id).scrollIntoView();  // kept (the lab keeps its own): no jump
  } else {
    location.hash = id;
  }
  let y = NaN;
  while (y !== scrollY || document.querySelector("[data-ready=loading]")) {
    y = scrollY;  // a smooth scroll has ended, and what it brought near has started
    await frame();
    await frame();
  }
  const top = document.getElementById(id).getBoundingClientRect().top;
  const end = scrollY + innerHeight >= document.documentElement.scrollHeight - 1;
  while (performance.now() - window.lastScroll < QUIET) await frame();
  return { top, end };
}"""
"""Jump to a heading's anchor as a link or the table of contents does, wait until every
widget that came near has started (main.mjs) and its first frame is drawn; return where
the heading is, and whether the page is scrolled to its end (a heading near the end of
a page cannot reach the top).

Then wait until the window has been still for QUIET ms. Material stores the window's
offset in the history entry 100 ms after the last scroll, and on a jump to an anchor
scrolls back to a stored offset: a jump inside those 100 ms (a test, not a reader) found
the entry holding the last one's offset, and stayed there (the first heading after the
title then landed 30 px higher than it sits unscrolled, seen on a loaded CI machine)."""

SHIFTS = """() => {
  const observer = new PerformanceObserver(() => {});
  observer.observe({ type: "layout-shift", buffered: true });
  const shifts = observer.takeRecords().filter((shift) => !shift.hadRecentInput);
  observer.disconnect();
  return shifts.reduce((total, shift) => total + shift.value, 0);
}"""
"""The page's cumulative layout shift so far: every shift since it loaded. A page with
nothing moving still shows, now and then on a busy machine, a shift of a few
hundred-thousandths (under 0.00005) somewhere; CLS is compared as Lighthouse reports it,
to three decimals, where the widgets' own shifts measured 0.02 to 0.57."""

TOP = 100
"""How far below the window's top a heading may land: under the sticky header, in view."""


WALKS = {
    # (width, scheme): the checks made on every page at that size and in that palette
    (1280, "light"): ("headings", "access", "figures", "code"),
    (1280, "dark"): ("access", "figures"),
    (390, "light"): ("headings", "figures", "code"),
    (375, "dark"): ("access", "figures at 390"),
}
"""Each page is opened once per row, and every check of the row is made on it, in this
order: the heading jumps first (they measure every layout shift since the page loaded),
then the access checks (they scroll to the end and back), the figures (they load every
image) and the code blocks last (they open every fold and tab). The phone in the dark
palette is 375 px wide for the access checks (the narrowest phone we fit) and is then
widened to 390 px for its figures, on the same page."""


PARTS = 4
"""Each walk is made in this many parts (every fourth page), so that the processes share
it: much of a walk is waiting (for the network to go quiet, for a scroll to end), so
.ci/run runs four processes on two cores."""


@pytest.mark.gate
@pytest.mark.parametrize("part", range(PARTS))
@pytest.mark.parametrize(("width", "scheme"), list(WALKS))
def test_every_page_in_chromium(browser, gate_site, gate_url, width, scheme, part):
    """Every page, at one width in one palette, in one Chromium tab:

    - headings: jumping to any heading (in order, each jump starting the widgets it brings
      near) lands it at the top, and nothing on the page ever shifts (CLS 0): a widget
      waits until the reader comes near it, but keeps its room;
    - access: the page is in the asked palette, no wider than the screen, every widget
      inside it, no serious axe-core finding; over the walk, no request leaves the local
      server and no error reaches the console;
    - figures: no text of any figure is drawn under MIN_TEXT_PX (its SVG's smallest font
      size times the scale the browser draws it at), and each is the palette's file in the
      layout for the width (a phone's narrow, a desktop's wide);
    - code: at 1280 px no code block of a page scrolls sideways (the lessons' code, a
      command, a command's output); at 390 px a block may scroll, but none scrolls its
      shape notes out of view. (A notebook's page is the notebook as it runs: its cells
      are not ours to lay out, and its code is the same lessons code.)
    """
    checks = WALKS[width, scheme]
    session = Watched(browser, width, scheme)
    session.context.set_default_timeout(60_000)
    found = Found()
    try:
        for source in nav_pages()[part::PARTS]:
            page = session.open(page_url(gate_url, source))
            if "headings" in checks:
                found.headings(page, source)
            if "access" in checks:
                found.access(session, source, width, scheme)
            if "figures at 390" in checks:
                page.set_viewport_size({"width": 390, "height": 900})
            if any(check.startswith("figures") for check in checks):
                found.figures(
                    page, gate_site, gate_url, source, page.viewport_size["width"], scheme
                )
            if "code" in checks and source.endswith(".md"):
                found.code(page, source, width)
        found.assert_none(session, checks, width, scheme, part)
    finally:
        session.close()


class Found:
    """What a walk found wrong, check by check, and how much it looked at."""

    def __init__(self):
        self.jumps, self.missed, self.shifted = 0, [], {}
        self.inaccessible = {}
        self.figures_shown, self.illegible, self.misplaced = [], [], []
        self.blocks, self.hidden = 0, []

    def headings(self, page, source: str) -> None:
        # Material is set up (it puts the window back where the address says, once)
        page.wait_for_load_state("networkidle")
        anchors = page.eval_on_selector_all(
            "article :is(h1, h2, h3, h4, h5, h6)[id]", "(headings) => headings.map((h) => h.id)"
        )
        for anchor in anchors:
            landed = page.evaluate(JUMP, anchor)
            self.jumps += 1
            if not (0 <= landed["top"] <= TOP or (landed["end"] and landed["top"] >= 0)):
                self.missed.append(f"{source}#{anchor} at {landed['top']:.0f}px")
        if shift := round(page.evaluate(SHIFTS), 3):  # as Lighthouse reports CLS
            self.shifted[source] = shift

    def access(self, session: Watched, source: str, width: int, scheme: str) -> None:
        page = session.settle()
        palette = page.evaluate("document.body.dataset.mdColorScheme")
        assert palette == SCHEMES[scheme], f"{source}: palette {palette}, not {scheme}"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{source} is {overflow}px wider than a {width}px screen"
        for widget in page.locator("[data-widget]").all():
            box = widget.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, source
        if violations := axe_violations(page):
            self.inaccessible[source] = violations

    def figures(self, page, site: Path, site_url: str, source: str, width: int, scheme: str):
        layout = "narrow" if width <= style.NARROW_UP_TO_PX else "wide"
        figures = shown_figures(page, site, site_url, source)  # waits for them
        hidden = page.locator('img[src*="figures/"]').count() - len(figures)
        assert hidden == len(figures), f"{source}: {len(figures)} figures shown, {hidden} not"
        self.figures_shown += figures
        self.illegible += [
            f"{figure} (at {width} px, {scheme})"
            for figure in figures
            if figure.text_px < MIN_TEXT_PX
        ]
        self.misplaced += [
            f"{figure}: not the {layout} layout in the {scheme} palette"
            for figure in figures
            if not figure.svg.endswith(f"-{scheme}.svg")
            or ("-narrow-" in figure.svg) != (layout == "narrow")
        ]

    def code(self, page, source: str, width: int) -> None:
        blocks = [block for block in page.evaluate(CODE_BLOCKS) if block["shown"]]
        assert blocks or source not in snippet_pages(), f"{source} shows no code"
        self.blocks += len(blocks)
        for block in blocks:
            if width == 1280 and block["scrolls"] > 0:
                self.hidden.append(f"{source}: scrolls {block['scrolls']} px: {block['start']}")
            self.hidden += [f"{source}: cut: {note}" for note in block["cut"]]

    def assert_none(self, session: Watched, checks, width: int, scheme: str, part: int):
        where = f"at {width} px, {scheme}"
        problems = []
        if "headings" in checks:
            assert self.jumps > 20, f"only {self.jumps} headings found: are the pages empty?"
            if self.missed or self.shifted:
                problems.append(
                    f"headings: {len(self.missed)} of {self.jumps} land over {TOP}px down: "
                    f"{self.missed}; layout shifts {where} (CLS by page): {self.shifted}"
                )
        if "access" in checks:
            foreign = {url for url in session.requests if urlsplit(url).hostname != "127.0.0.1"}
            if foreign:
                problems.append(f"requests left the local server: {sorted(foreign)[:5]}")
            if self.inaccessible:
                problems.append(
                    "axe-core, serious or critical:\n"
                    + "\n".join(
                        f"{source}: {line}"
                        for source, lines in self.inaccessible.items()
                        for line in lines
                    )
                )
        if session.errors:
            problems.append(f"console errors: {session.errors[:5]}")
        if any(check.startswith("figures") for check in checks):
            shown = len(self.figures_shown)
            assert shown >= 1, "no figure on a quarter of the site: is it built?"
            if self.illegible:
                problems.append(
                    f"figure text under {MIN_TEXT_PX} px:\n" + "\n".join(self.illegible)
                )
            if self.misplaced:
                problems.append("figures:\n" + "\n".join(self.misplaced))
        if "code" in checks:
            assert self.blocks > 10, f"only {self.blocks} code blocks on a quarter of the site"
            if self.hidden:
                problems.append(f"code {where}:\n" + "\n".join(self.hidden))
        assert not problems, f"{where}, part {part} of the pages:\n" + "\n\n".join(problems)


def test_pages_and_site_stay_light(gate_site):
    heavy = {page: size for page, size in page_weights(gate_site).items() if size > PAGE_LIMIT}
    assert not heavy, f"pages over {PAGE_LIMIT} bytes with what they load: {heavy}"
    assert site_size(gate_site) < SITE_LIMIT


def test_every_image_has_alt_text_and_exists(gate_site):
    for page_path in gate_site.rglob("*.html"):
        for image in parse(page_path).images:
            assert image.get("alt", "").strip(), f"{page_path}: {image.get('src')} has no alt"
            target = urlsplit(urljoin(page_path.relative_to(gate_site).as_posix(), image["src"]))
            if not target.scheme:
                assert (gate_site / target.path).is_file(), f"{page_path}: {image['src']} missing"


def test_every_image_reserves_its_space_and_figures_wait_until_needed(gate_site):
    """Width and height keep the page from shifting as images load (layout shift 0); a
    figure is fetched only near the screen and decoded off the main thread."""
    for page_path in gate_site.rglob("*.html"):
        for image in parse(page_path).images:
            where = f"{page_path.relative_to(gate_site)}: {image.get('src', '')[:60]}"
            assert image.get("width") and image.get("height"), f"{where} has no width/height"
            if "/figures/" in image.get("src", ""):
                assert image.get("loading") == "lazy", f"{where} is not loaded lazily"
                assert image.get("decoding") == "async", f"{where} is not decoded async"


def test_no_script_holds_up_the_first_paint(gate_site):
    """Every script a page loads runs after the page is parsed: deferred or a module."""
    for page_path in gate_site.rglob("*.html"):
        for script in parse(page_path).scripts:
            if "src" in script:
                waits = "defer" in script or "async" in script or script.get("type") == "module"
                assert waits, f"{page_path.relative_to(gate_site)}: {script['src']} blocks"


def test_source_maps_are_served_by_the_site(gate_site):
    """A browser's developer tools fetch source maps too: each must be a file of the site."""
    for path in [*gate_site.rglob("*.js"), *gate_site.rglob("*.css")]:
        for reference in SOURCE_MAP.findall(path.read_text(encoding="utf-8", errors="replace")):
            assert not urlsplit(reference).scheme, f"{path}: source map from {reference}"
            assert (path.parent / reference).is_file(), f"{path}: {reference} is missing"


MACHINE_PATH = re.compile(
    r"(?<![\w.:/])/(?:home|root|tmp|work|usr|opt|var|srv|mnt|media|Users|private)/[\w.-]+"
    r"|\b[A-Z]:\\[\w.-]+"
)
"""An absolute path of a Unix, macOS or Windows machine, as a build could leak it."""


def test_no_page_shows_a_path_of_the_machine_that_built_it(gate_site):
    """The data's folder, the project's, a home folder: none may reach a reader."""
    shown = {}
    for path in gate_site.rglob("*"):
        if path.suffix == ".html":
            text = "".join(parse(path).text)
        elif path.suffix in {".json", ".ipynb"} and "search" not in path.parts:
            text = path.read_text(encoding="utf-8")
        else:
            continue
        if found := MACHINE_PATH.findall(text):
            shown[path.relative_to(gate_site).as_posix()] = sorted(set(found))[:3]
    assert not shown, f"absolute paths on the site: {shown}"


def test_every_internal_link_and_anchor_resolves(gate_site):
    """The link gate: every href and src on the site, and every #anchor, finds its target."""
    found = broken_links(gate_site)
    assert not found, "broken links:\n" + "\n".join(found[:20])
