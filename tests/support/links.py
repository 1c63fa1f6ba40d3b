"""Every internal link and anchor of a built site resolves: the link gate.

Reads every HTML page of the site folder; each `href` and `src` that stays on the site
must name a file of the site (a folder means its index.html), and each `#fragment` must
be an `id` (or a legacy `name`) on the page it points to. Links to other hosts are left
alone: the offline gate makes sure nothing is fetched from them.

    python -m tests.support.links SITE
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from tests.support import gate_main

LINKING = {"href", "src"}
NOT_FETCHED = {"mailto", "tel", "javascript", "data"}


class _Anchors(HTMLParser):
    """Collects a page's ids and the addresses it links to."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in LINKING:
                self.links.append(value)


def _read(page: Path) -> _Anchors:
    parsed = _Anchors()
    parsed.feed(page.read_text(encoding="utf-8", errors="replace"))
    return parsed


def broken_links(site: Path) -> list[str]:
    """Return one line per internal link or anchor of the site that does not resolve."""
    site = site.resolve()
    pages = {path: _read(path) for path in sorted(site.rglob("*.html"))}
    broken = []
    for page, parsed in pages.items():
        base = "/" + page.relative_to(site).as_posix()
        for link in parsed.links:
            address = urlsplit(urljoin(base, link))
            if address.scheme in NOT_FETCHED or address.netloc or link.startswith("//"):
                continue
            target = site / unquote(address.path).lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            where = f"{page.relative_to(site)}: {link}"
            if not target.is_file():
                broken.append(f"{where}: no such file")
            elif address.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _read(target).ids
                if unquote(address.fragment) not in ids:
                    broken.append(f"{where}: no anchor #{address.fragment}")
    return broken


def check(site: Path) -> tuple[list[str], str]:
    """Return the broken links and anchors of a site, and a line summing up."""
    found = broken_links(site)
    pages = sum(1 for _ in site.rglob("*.html"))
    return found, f"links: {pages} pages checked, {len(found)} broken links or anchors"


if __name__ == "__main__":
    sys.exit(gate_main(sys.argv[1:], "python -m tests.support.links SITE", check))
