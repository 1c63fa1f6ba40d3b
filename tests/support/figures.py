"""How big a figure's text is on a reader's screen: its SVG's font sizes, read once in
Python, times the scale the browser draws it at.

The figures are matplotlib SVGs with their text drawn as paths: each piece of text is a
`<g transform="translate(x y) scale(s -s)">` of glyphs defined 100 units to the em
(matplotlib's TextToPath.FONT_SCALE), so its font size is 100 s in the SVG's own units.
Drawn `width` CSS pixels wide, an SVG whose viewBox is W units wide shows that text
100 s × width / W CSS pixels tall.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

FONT_SCALE = 100  # matplotlib.textpath.TextToPath.FONT_SCALE
TEXT_GROUP = re.compile(rb'<g\b[^>]*\btransform="[^"]*\bscale\(([\d.e+-]+) -([\d.e+-]+)\)"')
VIEW_BOX = re.compile(rb'<svg\b[^>]*\bviewBox="[\d.+-]+ [\d.+-]+ ([\d.e+-]+) [\d.e+-]+"')


def smallest_text(svg: bytes) -> tuple[float, float]:
    """Return (the smallest font size, the viewBox width) of a matplotlib SVG, both in the
    SVG's own units; an SVG without text has an infinite smallest size."""
    sizes = [FONT_SCALE * float(s) for s, again in TEXT_GROUP.findall(svg) if s == again]
    width = VIEW_BOX.search(svg)
    if width is None:
        raise ValueError("no viewBox: is it a matplotlib SVG?")
    return min(sizes, default=float("inf")), float(width.group(1))


@functools.cache
def _smallest_text_of(path: Path) -> tuple[float, float]:
    """smallest_text of a file, read once however many pages show it."""
    return smallest_text(path.read_bytes())


@dataclass(frozen=True)
class Shown:
    """One figure as a browser shows it on one page."""

    page: str  # the page's path on the site, e.g. "bias/"
    svg: str  # the file the browser chose, e.g. "figures/bias-effect-narrow-light.svg"
    width: float  # drawn this many CSS pixels wide
    text_px: float  # its smallest text, in CSS pixels as drawn

    def __str__(self) -> str:
        return f"{self.page} {self.svg}: {self.width:.0f} px wide, text {self.text_px:.1f} px"


READ_FIGURES = """async () => {
  const figures = [...document.querySelectorAll('img[src*="figures/"]')];
  for (const img of figures) img.loading = "eager";  // lazy: fetched only near the screen
  await Promise.all(figures.map((img) => img.complete ? null : new Promise((done) => {
    img.addEventListener("load", done, { once: true });
    img.addEventListener("error", done, { once: true });
  })));
  return figures.map((img) => ({
    src: img.currentSrc, width: img.getBoundingClientRect().width, shown: img.checkVisibility(),
  }));
}"""
"""Every figure image of the page, loaded: the file the browser chose and its drawn width.

The palette not shown is display: none; a browser still loads it once it is eager, so
that every image has a currentSrc."""


def shown_figures(page, site: Path, site_url: str, path: str) -> list[Shown]:
    """Return every figure the page at path shows (its other palette's left out)."""
    shown = []
    for image in page.evaluate(READ_FIGURES):
        if not image["shown"]:
            continue
        file = urlsplit(image["src"]).path.removeprefix(urlsplit(site_url).path)
        size, width = _smallest_text_of(site / file)
        shown.append(Shown(path, file, image["width"], size * image["width"] / width))
    return shown
