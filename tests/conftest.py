"""Shared fixtures: small synthetic digits for fast tests, real MNIST when it is beside us."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import yaml

from benchmarks.build_time import copy_project
from lessons_code.data import MnistData, load_threes_sevens
from tests.browser import launch

REPO = Path(__file__).resolve().parents[1]
SHARED_MNIST = REPO.parent / "shared" / "data" / "mnist"


def synthetic_digits(n_images: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Return fake 28×28 "3s" (ink on the left half) and "7s" (ink on the top rows)."""
    labels = (np.arange(n_images) % 2).astype(np.float32)  # 1 = "3", 0 = "7"
    images = np.zeros((n_images, 28, 28), dtype=np.float32)  # blank, like MNIST's background
    images[labels == 1, 8:20, 8:12] = 1.0
    images[labels == 0, 6:10, 8:20] = 1.0
    images += rng.uniform(0, 1, images.shape) * (rng.uniform(size=images.shape) < 0.05)
    return np.clip(images, 0, 1).reshape(n_images, 784), labels


@pytest.fixture(scope="session")
def tiny_data() -> MnistData:
    """Return 200 training and 100 validation synthetic images."""
    rng = np.random.default_rng(0)
    train_x, train_y = synthetic_digits(200, rng)
    valid_x, valid_y = synthetic_digits(100, rng)
    return MnistData(train_x, train_y, valid_x, valid_y, source="synthetic test digits")


@pytest.fixture(scope="session")
def real_data() -> MnistData:
    """Return the 3s and 7s of the real MNIST files in ../shared/data/mnist, or skip."""
    if not SHARED_MNIST.is_dir():
        pytest.skip(f"real MNIST not found at {SHARED_MNIST}")
    return load_threes_sevens(SHARED_MNIST)


def build_site(project: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `mkdocs build --strict` in project; return the finished process."""
    base = {k: v for k, v in os.environ.items() if k != "LESSONS_DATA"}
    base["XDG_CACHE_HOME"] = str(project / ".no-download-cache")
    base["PYTHONPATH"] = str(project)  # the copy's lessons_code, in the hook and the notebooks
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "site"],
        cwd=project,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """Return a copy of the project, built strictly on the bundled sample."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    result = build_site(project)
    assert result.returncode == 0, result.stderr[-4000:]
    project.joinpath("build.log").write_text(result.stderr)
    return project


@pytest.fixture(scope="session")
def browser():
    """Return Debian's Chromium under Playwright, one for the session (see tests/browser.py)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()


class _Page(HTMLParser):
    """Collects what a test needs from one HTML page."""

    def __init__(self):
        super().__init__()
        self.images: list[dict] = []
        self.loaded: list[str] = []  # what a browser fetches: scripts, styles, icons, images
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "img":
            self.images.append(attributes)
        if tag in {"img", "script", "iframe", "source", "audio", "video"} and "src" in attributes:
            self.loaded.append(attributes["src"])
        fetched_links = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch"}
        if tag == "link" and fetched_links & set((attributes.get("rel") or "").split()):
            self.loaded.append(attributes["href"])

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def nav_pages() -> list[str]:
    """Return the source path of every page in mkdocs.yml's nav."""

    def walk(items):
        for item in items:
            for value in item.values() if isinstance(item, dict) else [item]:
                yield from walk(value) if isinstance(value, list) else [value]

    config = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    return list(walk(config["nav"]))


def html_path(site: Path, source: str) -> Path:
    stem = re.sub(r"\.(md|py)$", "", source)
    return site / "index.html" if stem == "index" else site / stem / "index.html"
