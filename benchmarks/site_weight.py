"""The weight of each page of the built site, and of the whole site.

A page's weight is its own HTML plus the images and the widget JSON it loads (one
palette's figures: the other palette's are hidden and lazy, so not fetched); the
theme's shared assets are left out. Targets: no lesson page over 400 KB, the site
under 20 MB.

    python benchmarks/site_weight.py [SITE_DIR]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

PAGE_LIMIT, SITE_LIMIT = 400_000, 20_000_000
WIDGET_DATA = {
    "digit-pad": "model.json",
    "receipts": "receipts.json",
    "replay": "training.json",
    "nudge": "nudge.json",
}


def page_weights(site: Path) -> dict[str, int]:
    """Return bytes per page: its HTML, its light-palette images and its widgets' JSON."""
    weights = {}
    for html in sorted(site.rglob("index.html")):
        text = html.read_text(encoding="utf-8")
        page = html.relative_to(site).as_posix()
        loaded = {html}
        for source in re.findall(r'<img[^>]+src="([^"]+)"', text):
            if "#only-dark" in source or urlsplit(source).scheme:
                continue
            loaded.add(site / urlsplit(urljoin(page, source)).path)
        for widget in re.findall(r'data-widget="([\w-]+)"', text):
            loaded.add(site / "data" / WIDGET_DATA[widget])
        weights[page] = sum(path.stat().st_size for path in loaded if path.is_file())
    return weights


def site_size(site: Path) -> int:
    """Return the bytes of every file of the built site."""
    return sum(path.stat().st_size for path in site.rglob("*") if path.is_file())


def main() -> None:
    """Print the heaviest pages and the site's total."""
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    weights = page_weights(site)
    for page, size in sorted(weights.items(), key=lambda item: -item[1])[:5]:
        verdict = "meets" if size <= PAGE_LIMIT else "MISSES"
        print(f"{page:<40} {size / 1000:7.1f} KB ({verdict} ≤ {PAGE_LIMIT / 1000:.0f} KB)")
    total = site_size(site)
    verdict = "meets" if total < SITE_LIMIT else "MISSES"
    print(f"whole site {total / 1e6:.2f} MB ({verdict} < {SITE_LIMIT / 1e6:.0f} MB)")


if __name__ == "__main__":
    main()
