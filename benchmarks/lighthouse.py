"""Lighthouse on every page of a built site, as a reader on a phone would load it.

Lighthouse (from the npm registry, pinned in benchmarks/lighthouse/package-lock.json)
runs in Debian's Chromium with its default mobile settings: a slow 4G network and a
slower CPU, simulated. The site is served on 127.0.0.1 with text gzipped, as GitHub
Pages serves it. Each nav page runs three times; the table shows the median of each
category and of FCP, LCP, TBT and CLS, and the last line the worst page's performance.

The CPU slowdown is relative to the machine that measures. Lighthouse's default, 4x, turns
a high-end desktop into a mid-tier phone; on a slower host its own documentation
(docs/throttling.md, "Calibrating the CPU slowdown") says to lower it from the host's
benchmarkIndex, which every report carries. So the benchmark first measures that index
(median of three runs) and takes the slowdown Lighthouse's table suggests for it
(`--cpu-slowdown 4` forces the default). Its first row is a page of Material alone, built
with this site's theme settings: what the theme costs on this machine, before any page of
ours.

Targets (median of 3, every page): performance at least 98, CLS 0, TBT at most 150 ms,
accessibility, best practices and SEO 100.

    npm ci --prefix benchmarks/lighthouse --no-audit --no-fund   # once
    python -m benchmarks.lighthouse [SITE_DIR] [--runs N] [--page index.md ...]
                                    [--cpu-slowdown auto|N]

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
REFERENCE = "(Material alone)"
"""The table's first row: a one-page site with this site's theme settings and no content."""
DEFAULT_SLOWDOWN = 4
CALIBRATION_RUNS = 3
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


def slowdown_for(benchmark_index: float) -> int:
    """Return the CPU slowdown that makes a host of this Lighthouse benchmarkIndex stand for
    a mid-tier phone, as Lighthouse's docs/throttling.md tables suggest: 4x from a high-end
    desktop (1500 and up), 2x from a low-end desktop (1000-1500) or a high-end phone (800 and
    up), none from a slower one."""
    return 4 if benchmark_index >= 1500 else 2 if benchmark_index >= 800 else 1


def reference_site(folder: Path) -> Path:
    """Build, in folder, a one-page site with this project's theme settings (palette,
    features, fonts) and return its site folder: Material's own cost on this machine."""
    import yaml

    class _Loader(yaml.SafeLoader):  # mkdocs.yml's !ENV and !!python/name: not the theme's
        pass

    _Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    _Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
    config = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=_Loader)
    theme = {key: value for key, value in config["theme"].items() if key != "custom_dir"}
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text(
        "# Material alone\n\nA page with the site's theme and nothing of ours.\n"
    )
    settings = {"site_name": "Material alone", "site_description": "x", "theme": theme}
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(settings))
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet"],
        cwd=folder,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return folder / "site"


def run_once(url: str, slowdown: float = DEFAULT_SLOWDOWN) -> dict[str, float]:
    """Return one Lighthouse run's four category scores (0-100), four metrics and the
    host's benchmarkIndex, with the CPU slowed down `slowdown` times."""
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
            f"--throttling.cpuSlowdownMultiplier={slowdown}",
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
    found["benchmarkIndex"] = report["environment"]["benchmarkIndex"]
    return found


def _brief(figures: dict[str, float]) -> str:
    """Return one run's figures on one line, for the progress printed while measuring."""
    scores = "/".join(f"{figures[name]:.0f}" for name in CATEGORIES)
    return (
        f"{scores}, FCP {figures['FCP'] / 1000:.1f} s, LCP {figures['LCP'] / 1000:.1f} s, "
        f"TBT {figures['TBT']:.0f} ms, CLS {figures['CLS']:.3f}"
    )


def calibrate(reference_url: str) -> tuple[int, float]:
    """Return (the CPU slowdown to use, the host's median benchmarkIndex over
    CALIBRATION_RUNS runs)."""
    index = statistics.median(
        run_once(reference_url)["benchmarkIndex"] for _ in range(CALIBRATION_RUNS)
    )
    return slowdown_for(index), index


def measure(
    site: Path, pages: list[str] | None = None, runs: int = RUNS, slowdown: float | None = None
) -> dict[str, dict]:
    """Return, for Material alone (REFERENCE) and each nav page, the median over `runs`
    Lighthouse runs of every figure, with the CPU slowdown given or calibrated (None)."""
    pages = pages or nav_pages()
    found: dict[str, list[dict]] = {REFERENCE: [], **{page: [] for page in pages}}
    with tempfile.TemporaryDirectory() as folder:
        reference = reference_site(Path(folder))
        with serve(reference, _GzipHandler) as alone, serve(site, _GzipHandler) as url:
            if slowdown is None:
                slowdown, index = calibrate(alone)
                print(
                    f"this machine's Lighthouse benchmarkIndex: {index:.0f} "
                    f"(median of {CALIBRATION_RUNS}); "
                    f"CPU slowdown {slowdown}x, as Lighthouse's docs/throttling.md suggests",
                    file=sys.stderr,
                )
            urls = {REFERENCE: alone, **{page: page_url(url, page) for page in pages}}
            for round_ in range(1, runs + 1):  # one round over every page, then the next
                for page, address in urls.items():
                    found[page].append(run_once(address, slowdown))
                    print(f"run {round_}/{runs} {page}: {_brief(found[page][-1])}", file=sys.stderr)
    medians = {
        page: {key: statistics.median(run[key] for run in results) for key in results[0]}
        for page, results in found.items()
    }
    for figures in medians.values():
        figures["slowdown"] = slowdown
    return medians


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
    """Return a line naming the page of ours with the lowest median performance score."""
    ours = [name for name in medians if name != REFERENCE]
    page = min(ours, key=lambda name: medians[name]["performance"])
    score = medians[page]["performance"]
    verdict = "meets" if score >= TARGET_PERFORMANCE else "MISSES"
    slowdown = medians[page]["slowdown"]
    return (
        f"worst performance: {score:.0f} ({page}; {verdict} ≥ {TARGET_PERFORMANCE}), "
        f"CPU slowed {slowdown:g}x; {sum(meets(f) for n, f in medians.items() if n != REFERENCE)}"
        f" of {len(ours)} pages meet every target"
    )


def main() -> None:
    """Print the table of medians and the worst page's performance score."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.lighthouse", description=__doc__.splitlines()[0]
    )
    parser.add_argument("site", nargs="?", default="site", type=Path, help="a built site")
    parser.add_argument("--runs", type=int, default=RUNS, help="runs per page (median)")
    parser.add_argument("--page", action="append", help="a nav source such as loss.md")
    parser.add_argument(
        "--cpu-slowdown",
        default="auto",
        help="the CPU slowdown: auto (from this machine's benchmarkIndex) or a number",
    )
    options = parser.parse_args()
    try:
        slowdown = None if options.cpu_slowdown == "auto" else float(options.cpu_slowdown)
    except ValueError:
        parser.error(f"--cpu-slowdown must be auto or a number, not {options.cpu_slowdown!r}")
    if slowdown is not None and not 1 <= slowdown <= 20:
        parser.error("--cpu-slowdown must be between 1 and 20")
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
    medians = measure(options.site, options.page, options.runs, slowdown)
    print(table(medians))
    print(worst(medians))
    # TBT is the page's main-thread time, slowed down: other work on the machine inflates it.
    print(
        f"machine load (1-minute average) {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
