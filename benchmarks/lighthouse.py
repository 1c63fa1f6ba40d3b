"""Lighthouse on every page of a built site, as a reader on a phone would load it.

Lighthouse (from the npm registry, pinned in benchmarks/lighthouse/package-lock.json)
runs in Debian's Chromium with its default mobile settings: a slow 4G network and a
4x slower CPU, simulated. The site is served on 127.0.0.1 with text gzipped, as GitHub
Pages serves it. Each nav page runs three times; the table shows the median of each
category and of FCP, LCP, TBT and CLS, and the last line the worst page's performance.

Targets (median of 3, every page): performance at least 98, CLS 0, TBT at most 150 ms,
accessibility, best practices and SEO 100.

    npm ci --prefix benchmarks/lighthouse --no-audit --no-fund   # once
    python -m benchmarks.lighthouse [SITE_DIR] [--runs N] [--page index.md ...]

SITE_DIR defaults to `site`, the last `mkdocs build`; build it on real MNIST to measure
what readers get. `python -m benchmarks.run_all` builds a fresh copy instead.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support import REPO, copy_project, nav_pages, real_mnist_env, timed_build
from tests.support.browser import CHROMIUM_FLAGS, page_url, serve

LIGHTHOUSE = REPO / "benchmarks" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
INSTALL = "npm ci --prefix benchmarks/lighthouse --no-audit --no-fund"
CHROME = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {  # Lighthouse's audit: the column's name
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
}
TARGET_PERFORMANCE, TARGET_TBT_MS, TARGET_CLS, TARGET_OTHERS = 98, 150, 0, 100
RUNS = 3
GZIPPED = ("text/", "application/javascript", "application/json", "image/svg+xml")
"""What GitHub Pages gzips: text, scripts, JSON and SVG; PNG and fonts go as they are."""


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site as GitHub Pages does: text gzipped, cached for ten minutes,
    connections kept open between requests."""

    protocol_version = "HTTP/1.1"
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "application/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".ipynb": "application/json",
    }

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        kind = self.guess_type(str(path))
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not path.is_file() or not wants_gzip or not kind.startswith(GZIPPED):
            return super().send_head()  # redirects, 404s, images: the standard handler's
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return _Body(body)

    def log_message(self, *args):
        pass


class _Body:
    """A gzipped response held in memory, read by SimpleHTTPRequestHandler's copyfile."""

    def __init__(self, body: bytes):
        self.body = body

    def read(self, size: int = -1) -> bytes:
        chunk, self.body = (self.body, b"") if size < 0 else (self.body[:size], self.body[size:])
        return chunk

    def close(self) -> None:
        self.body = b""


def missing() -> str | None:
    """Return why Lighthouse cannot run here (with how to fix it), or None when it can."""
    if not LIGHTHOUSE.is_file():
        return f"Lighthouse is not installed ({INSTALL})"
    if shutil.which("node") is None:
        return "node is not installed (Lighthouse runs in Node.js)"
    if not Path(CHROME).is_file():
        return f"{CHROME} is missing (apt-get install -y chromium)"
    return None


def run_once(url: str) -> dict[str, float]:
    """Return one Lighthouse run's four category scores (0-100) and four metrics."""
    flags = " ".join(["--headless", *CHROMIUM_FLAGS])
    result = subprocess.run(
        [
            "node",
            str(LIGHTHOUSE),
            url,
            "--output=json",
            "--output-path=stdout",
            "--quiet",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={flags}",
        ],
        env={**os.environ, "CHROME_PATH": CHROME},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"Lighthouse failed on {url}: {result.stderr.strip()[-2000:]}")
    report = json.loads(result.stdout)
    if report.get("runtimeError"):
        raise RuntimeError(f"Lighthouse could not load {url}: {report['runtimeError']}")
    found = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    for audit, column in METRICS.items():
        found[column] = report["audits"][audit]["numericValue"]
    return found


def _brief(figures: dict[str, float]) -> str:
    """Return one run's figures on one line, for the progress printed while measuring."""
    scores = "/".join(f"{figures[name]:.0f}" for name in CATEGORIES)
    return (
        f"{scores}, FCP {figures['FCP'] / 1000:.1f} s, LCP {figures['LCP'] / 1000:.1f} s, "
        f"TBT {figures['TBT']:.0f} ms, CLS {figures['CLS']:.3f}"
    )


def measure(site: Path, pages: list[str] | None = None, runs: int = RUNS) -> dict[str, dict]:
    """Return, for each nav page, the median over `runs` Lighthouse runs of every figure."""
    pages = pages or nav_pages()
    found: dict[str, list[dict]] = {page: [] for page in pages}
    with serve(site, _GzipHandler) as url:
        for round_ in range(1, runs + 1):  # one round over every page, then the next round
            for page in pages:
                found[page].append(run_once(page_url(url, page)))
                print(f"run {round_}/{runs} {page}: {_brief(found[page][-1])}", file=sys.stderr)
    return {
        page: {key: statistics.median(run[key] for run in results) for key in results[0]}
        for page, results in found.items()
    }


def measure_fresh_build() -> dict[str, dict]:
    """Return measure() of a site built strictly in a copy of the project, on real MNIST
    when it is at hand."""
    with tempfile.TemporaryDirectory() as folder:
        project = copy_project(Path(folder))
        timed_build(project, **real_mnist_env())
        return measure(project / "site")


def meets(figures: dict[str, float]) -> bool:
    """Return whether one page's medians meet every reader target."""
    return (
        figures["performance"] >= TARGET_PERFORMANCE
        and figures["TBT"] <= TARGET_TBT_MS
        and round(figures["CLS"], 3) <= TARGET_CLS
        and all(figures[name] >= TARGET_OTHERS for name in CATEGORIES[1:])
    )


def table(medians: dict[str, dict]) -> str:
    """Return the medians as a Markdown table, one row per page."""
    lines = [
        "| page | performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS | |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for page, figures in medians.items():
        scores = " | ".join(f"{figures[name]:.0f}" for name in CATEGORIES)
        lines.append(
            f"| {page} | {scores} | {figures['FCP'] / 1000:.1f} s | {figures['LCP'] / 1000:.1f} s"
            f" | {figures['TBT']:.0f} ms | {figures['CLS']:.3f} |"
            f" {'meets' if meets(figures) else 'MISSES'} |"
        )
    return "\n".join(lines)


def worst(medians: dict[str, dict]) -> str:
    """Return a line naming the page with the lowest median performance score."""
    page = min(medians, key=lambda name: medians[name]["performance"])
    score = medians[page]["performance"]
    verdict = "meets" if score >= TARGET_PERFORMANCE else "MISSES"
    return f"worst performance: {score:.0f} ({page}; {verdict} ≥ {TARGET_PERFORMANCE})"


def main() -> None:
    """Print the table of medians and the worst page's performance score."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.lighthouse", description=__doc__.splitlines()[0]
    )
    parser.add_argument("site", nargs="?", default="site", type=Path, help="a built site")
    parser.add_argument("--runs", type=int, default=RUNS, help="runs per page (median)")
    parser.add_argument("--page", action="append", help="a nav source such as loss.md")
    options = parser.parse_args()
    if options.runs < 1:
        parser.error("--runs must be at least 1")
    if not (options.site / "index.html").is_file():
        parser.error(f"{options.site} holds no built site (mkdocs build --strict first)")
    unknown = set(options.page or ()) - set(nav_pages())
    if unknown:
        parser.error(f"not in mkdocs.yml's nav: {', '.join(sorted(unknown))}")
    if why := missing():
        parser.error(why)
    load_before = os.getloadavg()[0]
    medians = measure(options.site, options.page, options.runs)
    print(table(medians))
    print(worst(medians))
    # TBT is the page's main-thread time, slowed 4x: other work on the machine inflates it.
    print(
        f"machine load (1-minute average) {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
