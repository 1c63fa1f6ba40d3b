"""The site: a strict build on the bundled sample, checked page by page."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from benchmarks.build_time import copy_project
from lessons_code import report
from tests.conftest import REPO

LOCAL_HOSTS = {"", "127.0.0.1", "localhost"}


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


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Return a copy of the project, built strictly on the bundled sample."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    result = build_site(project)
    assert result.returncode == 0, result.stderr[-4000:]
    project.joinpath("build.log").write_text(result.stderr)
    return project


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


def test_every_nav_page_exists_and_is_built(built):
    for source in nav_pages():
        assert (REPO / "docs" / source).is_file(), source
        assert html_path(built / "site", source).is_file(), source


def test_every_image_has_alt_text_and_exists(built):
    site = built / "site"
    for page_path in site.rglob("*.html"):
        for image in parse(page_path).images:
            assert image.get("alt", "").strip(), f"{page_path}: {image.get('src')} has no alt"
            target = urlsplit(urljoin(page_path.relative_to(site).as_posix(), image["src"]))
            if not target.scheme:
                assert (site / target.path).is_file(), f"{page_path}: {image['src']} missing"


def test_every_figure_is_built_in_both_palettes(built):
    site = built / "site"
    for name in report.FIGURES:
        for theme in ("light", "dark"):
            svg = site / "figures" / f"{name}-{theme}.svg"
            assert svg.read_bytes().rstrip().endswith(b"</svg>"), svg


def test_no_page_shows_a_traceback_or_an_error(built):
    for page_path in (built / "site").rglob("*.html"):
        text = "".join(parse(page_path).text)
        for marker in ("Traceback (most recent call last)", "Error:", "{{"):
            assert marker not in text, f"{page_path} shows {marker!r}"


def test_nothing_is_loaded_from_another_host(built):
    site = built / "site"
    for page_path in site.rglob("*.html"):
        for url in parse(page_path).loaded:
            host = urlsplit(url).hostname or ""
            assert host in LOCAL_HOSTS, f"{page_path} loads {url}"
    for stylesheet in site.rglob("*.css"):
        for url in re.findall(r"url\(([^)]+)\)", stylesheet.read_text(errors="replace")):
            host = urlsplit(url.strip("'\"")).hostname or ""
            assert host in LOCAL_HOSTS, f"{stylesheet} loads {url}"


def test_math_is_mathml_made_at_build_time(built):
    page = (built / "site" / "prediction" / "index.html").read_text()
    assert "<math" in page and "arithmatex" not in page


def test_numbers_on_pages_equal_what_lessons_code_computes(built):
    site = built / "site"
    numbers = json.loads((site / "data" / "numbers.json").read_text())
    expected = report.numbers(report.Runs())
    assert numbers == json.loads(json.dumps(expected))
    accuracy = f"{expected['linear']['final_valid_accuracy']:.1%}"
    for page in ("index.html", "prediction/index.html"):
        assert accuracy in (site / page).read_text(), page
    assert expected["data"]["source"] in "".join(parse(site / "index.html").text)


def test_notebooks_run_at_build_time_and_offer_an_ipynb(built):
    site = built / "site"
    page = (site / "notebooks" / "prediction" / "index.html").read_text()
    assert "image unchanged: True" in page
    assert 'href="../prediction.ipynb"' in page
    notebook = json.loads((site / "notebooks" / "prediction.ipynb").read_text())
    assert notebook["nbformat"] == 4 and notebook["cells"]


def test_unchanged_rebuild_draws_nothing(built):
    result = build_site(built)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "figures drawn this build: none (all cached)" in result.stderr


def test_two_clean_builds_give_identical_figures(built, tmp_path):
    second = copy_project(tmp_path)
    assert build_site(second).returncode == 0
    for name in report.FIGURES:
        for theme in ("light", "dark"):
            relative = Path("site", "figures", f"{name}-{theme}.svg")
            assert (built / relative).read_bytes() == (second / relative).read_bytes(), relative
    numbers = Path("site", "data", "numbers.json")
    assert (built / numbers).read_bytes() == (second / numbers).read_bytes()


def test_a_change_in_one_lesson_redraws_only_what_depends_on_it(built):
    lesson = built / "lessons_code" / "apples_pears.py"
    original = lesson.read_text()
    try:
        lesson.write_text(original + "\n# a contributor's comment\n")
        result = build_site(built)
    finally:
        lesson.write_text(original)
    assert result.returncode == 0, result.stderr[-4000:]
    (drawn,) = re.findall(r"figures drawn this build: (.*)", result.stderr)
    assert set(drawn.split(", ")) == {
        name for name, spec in report.FIGURES.items() if "apples_pears" in spec.uses
    }
