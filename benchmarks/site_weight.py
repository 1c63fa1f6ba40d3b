"""The weight of each page of a built site with what it loads, and of the whole site.

Targets: no page over 400 KB, the site under 20 MB (tests.support holds the limits and
the measure, which the page-weight gate uses too).

    python -m benchmarks.site_weight [SITE_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.support import PAGE_LIMIT, SITE_LIMIT, page_weights, site_size


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
