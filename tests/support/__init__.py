"""What the tests and the benchmarks share: where things are, how to build the site in a
copy of the project, how to run the command line, and how to read and weigh a built page.
Its modules: `processes` (every child process, read and ended under a time limit),
`browser` (Chromium and axe-core), `gradcheck` (finite differences), `reproducible` (two
builds compared byte for byte), `links` (the link gate), `pytorch_parity` (the chapter's
PyTorch files beside lessons_code) and `bad_input` (damaged files and the command line
run in-process, for the property tests).

Tests and benchmarks import from `lessons_code` and from this package, never from each
other.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from tests.support import processes

REPO = Path(__file__).resolve().parents[2]
SHARED_MNIST = REPO.parent / "shared" / "data" / "mnist"
PROJECT_FILES = ("mkdocs.yml", "docs", "docs_src", "hooks", "overrides", "lessons_code")
PROJECT_FILES += ("pyproject.toml", "README.md", "LICENSE")
"""What a build of the site reads (the last three: the wheel it serves), copied to make a
project without caches or a site."""


def chapter_cells() -> list[dict]:
    """Return docs_src/chapter_cells.yml: the chapter's code cells, in order, and the
    snippets and page that show each (tests/test_chapter_cells.py holds it to its rules)."""
    return yaml.safe_load((REPO / "docs_src" / "chapter_cells.yml").read_text())


PAGE_LIMIT, SITE_LIMIT = 400_000, 20_000_000
"""No page over 400 KB with what it loads; the whole site under 20 MB."""


def real_mnist() -> Path | None:
    """Return the real MNIST folder: $LESSONS_DATA, else ../shared/data/mnist, else None."""
    for folder in (os.environ.get("LESSONS_DATA"), SHARED_MNIST):
        if folder and Path(folder).is_dir():
            return Path(folder).resolve()
    return None


def real_mnist_env() -> dict[str, str]:
    """Return LESSONS_DATA for real MNIST when it is at hand, else nothing (the sample)."""
    folder = real_mnist()
    return {"LESSONS_DATA": str(folder)} if folder else {}


NO_REAL_MNIST = f"real MNIST not found: neither $LESSONS_DATA nor {SHARED_MNIST} is a folder"

NO_TORCH = "PyTorch is not installed: it is an optional extra (pip install torch==2.13.0)"


def require_torch():
    """Return torch, or skip the calling test module; with LESSONS_REQUIRE_TORCH=1, fail.

    `.ci/run` installs torch and sets LESSONS_REQUIRE_TORCH=1, so that in CI the PyTorch
    tests run and never skip.
    """
    if os.environ.get("LESSONS_REQUIRE_TORCH") == "1":
        import torch

        return torch
    return pytest.importorskip("torch", reason=NO_TORCH)


def copy_project(destination: Path) -> Path:
    """Copy the files a build needs into destination, without caches or a built site."""
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(
                source, destination / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(source, destination / name)
    return destination


def stub_project(destination: Path, page: str) -> Path:
    """Copy the project with one page, `page`, in place of the site's pages and notebooks:
    the whole build machinery (hook, computation, cache) for a fraction of a full build."""
    copy_project(destination)
    docs = destination / "docs"
    for markdown in docs.rglob("*.md"):
        markdown.unlink()
    shutil.rmtree(docs / "notebooks")
    (docs / "index.md").write_text(page)
    config = destination / "mkdocs.yml"
    text = config.read_text()
    config.write_text(text[: text.index("\nnav:")] + "\nnav:\n  - Home: index.md\n")
    return destination


def broken_function(source: str, function: str, message: str) -> str:
    """Return a module's source with `raise RuntimeError(message)` as the first statement
    of its function `function`, after the docstring: a lesson broken on purpose, found by
    the function's name (which the pages and the tests use too), not by a line's text."""
    tree = ast.parse(source)
    (found,) = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == function
    ]
    body = found.body[1:] if ast.get_docstring(found) and len(found.body) > 1 else found.body
    lines = source.splitlines(keepends=True)
    at = body[0].lineno - 1
    raising = " " * body[0].col_offset + f"raise RuntimeError({message!r})\n"
    return "".join([*lines[:at], raising, *lines[at:]])


def build_env(project: Path, **extra: str) -> dict[str, str]:
    """Return the environment for MkDocs run in a copy of the project: its lessons_code,
    no download cache, and LESSONS_DATA only when extra gives it."""
    env = {k: v for k, v in os.environ.items() if k != "LESSONS_DATA"}
    env.update(
        PYTHONPATH=str(project),  # the copy's lessons_code, in the hook and the notebooks
        XDG_CACHE_HOME=str(project / ".no-download-cache"),
        NO_MKDOCS_2_WARNING="1",
    )
    env.update(extra)
    return env


def timed_build(project: Path, **extra_env: str) -> float:
    """Return the wall time of `mkdocs build --strict --quiet` in project; raise if it fails."""
    started = time.perf_counter()
    processes.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
        cwd=project,
        env=build_env(project, **extra_env),
        capture_output=False,
        check=True,
        timeout=BUILD_SECONDS,
    )
    return time.perf_counter() - started


BUILD_SECONDS = 600
"""The longest a strict build of the site may take, on a busy machine."""


def build_site(project: Path, **extra_env: str) -> subprocess.CompletedProcess:
    """Run `mkdocs build --strict` in project; return the finished process."""
    return processes.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "site"],
        cwd=project,
        env=build_env(project, **extra_env),
        timeout=BUILD_SECONDS,
    )


def python_in(project: Path, *args: str, timeout: float, **extra_env: str):
    """Run this Python with args in project, in its build's environment; return the
    finished process, its output captured as text."""
    return processes.run(
        [sys.executable, *args], cwd=project, env=build_env(project, **extra_env), timeout=timeout
    )


def cli_env(**extra: str) -> dict[str, str]:
    """Return the environment `lessons` runs in under test: no real data (the bundled
    sample unless extra names some) and an empty download cache."""
    env = {k: v for k, v in os.environ.items() if k != "LESSONS_DATA"}
    env["XDG_CACHE_HOME"] = str(REPO / ".pytest_cache" / "empty-cache")
    return {**env, **extra}


CLI = (sys.executable, "-m", "lessons_code")
"""The command line as the tests run it: `python -m lessons_code`, the same as `lessons`."""


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m lessons_code ARGS` with no real data or cache in reach."""
    return processes.run([*CLI, *args], env=cli_env(**(env or {})), cwd=REPO)


@contextmanager
def cli_process(*args: str, **kwargs) -> Iterator[processes.Child]:
    """Start `python -m lessons_code ARGS` as run_cli does, its output piped back line by
    line; it is killed when the block ends, if it still runs."""
    with processes.started([*CLI, *args], env=cli_env(), cwd=REPO, **kwargs) as child:
        yield child


class _Page(HTMLParser):
    """Collects what a test needs from one HTML page."""

    def __init__(self):
        super().__init__()
        self.images: list[dict] = []
        self.pictures: list[list[str]] = []  # each <picture>'s files: its img's, its sources'
        self.scripts: list[dict] = []
        self.loaded: list[str] = []  # what a browser fetches: scripts, styles, icons, images
        self.widgets: list[dict] = []
        self.text: list[str] = []
        self._in_picture = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "img":
            self.images.append(attributes)
        if tag == "picture":
            self.pictures.append([])
            self._in_picture = True
        if tag in {"img", "source"} and self._in_picture:
            self.pictures[-1].append(attributes.get("src") or attributes.get("srcset", ""))
        if tag == "script":
            self.scripts.append(attributes)
        if "data-widget" in attributes:
            self.widgets.append(attributes)
        if tag in {"img", "script", "iframe", "source", "audio", "video"} and "src" in attributes:
            self.loaded.append(attributes["src"])
        fetched_links = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch"}
        if tag == "link" and fetched_links & set((attributes.get("rel") or "").split()):
            self.loaded.append(attributes["href"])

    def handle_endtag(self, tag):
        if tag == "picture":
            self._in_picture = False

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> _Page:
    """Return what a built HTML page shows and loads."""
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


CODE_COLUMN, PHONE_CODE_COLUMN = 80, 39
"""Monospace characters a code block shows without scrolling: 80 at 1280 px (the text
column's 656 px of code at 8.18 px a character, in Chromium), 39 at 390 px (a code block
in a tab, the narrowest; 43 at the top level). A shape note, a comment `# (...)`, is on
a line of its own within the phone's width, so that no phone cuts it off."""

SNIPPET = re.compile(r'--8<-- "([^":]+)(?::([\w-]+))?"')
"""A page's include of a tested file, or of one section of it (pymdownx.snippets)."""


def snippet_pages() -> list[str]:
    """Return the pages of the nav that show code included from tested files."""
    return [page for page in nav_pages() if SNIPPET.search(read_page(page))]


def read_page(source: str) -> str:
    return (REPO / "docs" / source).read_text(encoding="utf-8")


def snippets(page: str) -> dict[str, list[str]]:
    """Return each snippet a page includes, "file:section", as its lines are shown:
    the section's lines between its markers, dedented (dedent_subsections)."""
    shown = {}
    for path, section in SNIPPET.findall(read_page(page)):
        lines = (REPO / path).read_text(encoding="utf-8").splitlines()
        if section:
            (start,) = [i for i, line in enumerate(lines) if f"[start:{section}]" in line]
            (end,) = [i for i, line in enumerate(lines) if f"[end:{section}]" in line]
            lines = lines[start + 1 : end]
        lines = [line for line in lines if "--8<--" not in line]  # nested sections' markers
        text = textwrap.dedent("\n".join(lines))
        shown[f"{path}:{section}" if section else path] = text.splitlines()
    return shown


def lesson_pages() -> list[str]:
    """Return the pages of the nav's "Lessons" section."""
    config = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    (lessons,) = [item["Lessons"] for item in config["nav"] if "Lessons" in item]
    return [next(iter(entry.values())) for entry in lessons]


def html_path(site: Path, source: str) -> Path:
    """Return the built HTML file of a nav source such as `loss.md`."""
    stem = re.sub(r"\.(md|py)$", "", source)
    return site / "index.html" if stem == "index" else site / stem / "index.html"


def page_weights(site: Path) -> dict[str, int]:
    """Return bytes per page: its HTML, its light-palette images and its widgets' JSON.

    One palette's figures count: the other palette's are hidden and lazy, so not fetched.
    Of a picture's layouts a browser fetches one: the largest counts. The theme's shared
    assets are left out.
    """

    def file(source: str) -> Path | None:
        return None if urlsplit(source).scheme else site / urlsplit(urljoin(page, source)).path

    def size(path: Path | None) -> int:
        return path.stat().st_size if path is not None and path.is_file() else 0

    weights = {}
    for html in sorted(site.rglob("index.html")):
        page = html.relative_to(site).as_posix()
        found = parse(html)
        in_pictures = {source for picture in found.pictures for source in picture}
        sources = [
            image["src"]
            for image in found.images
            if image["src"] not in in_pictures and "#only-dark" not in image["src"]
        ]
        sources += [widget["data-src"] for widget in found.widgets if "data-src" in widget]
        loaded = {html, *filter(None, map(file, sources))}
        pictures = [
            max(map(size, map(file, picture)))
            for picture in found.pictures
            if not any("#only-dark" in source or "-dark." in source for source in picture)
        ]
        weights[page] = sum(map(size, loaded)) + sum(pictures)
    return weights


def site_size(site: Path) -> int:
    """Return the bytes of every file of the built site."""
    return sum(path.stat().st_size for path in site.rglob("*") if path.is_file())


def imports(path: Path) -> set[str]:
    """Return every module a Python file imports, by its full name."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def gate_main(argv: list[str], usage: str, check) -> int:
    """Run a gate from the command line (`python -m tests.support.links SITE`, ...):
    `check(*folders)` returns the problems found and a line summing up; print each problem
    on stderr and the line on stdout, and return the exit code (1 if anything was found).
    `usage` names the folders the gate takes, one word each after the module."""
    wanted = usage.split()[3:]  # "python -m MODULE SITE_A SITE_B" -> the folders
    if len(argv) != len(wanted):
        print(f"usage: {usage}", file=sys.stderr)
        return 2
    found, summary = check(*map(Path, argv))
    for line in found:
        print(line, file=sys.stderr)
    print(summary)
    return 1 if found else 0


def free_port() -> int:
    """Return a port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
