"""CONTRIBUTING.md's "Add a lesson" (its figure, numbers, page, notebook and nav included),
followed exactly in a copy of the project: every file is taken from the guide's own code
blocks, the tests that hold a page to its rules pass there, ruff finds nothing, and the
site builds strictly with the new page on it. The guide cannot drift from the code.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from tests.support import REPO, build_env, build_site, copy_project, html_path, parse, processes

GUIDE = REPO / "CONTRIBUTING.md"
TITLED_BLOCK = re.compile(
    r'^(?P<indent> *)(?P<fence>`{3,})\w+ title="(?P<path>[^"]+)"\n'
    r"(?P<body>.*?)\n(?P=indent)(?P=fence)$",
    re.MULTILINE | re.DOTALL,
)
"""A code block the guide names a file for: ```python title="lessons_code/ink.py"."""

PAGE_TESTS = (
    "tests/test_pages.py",
    "tests/test_registry.py",
    "tests/test_figures.py",
    "tests/test_structure.py",
    "tests/test_claims.py",
)
"""The tests that hold a page, its module and its figures to the project's rules."""

WITHOUT_A_BUILD = """
def pytest_collection_modifyitems(config, items):
    kept = [item for item in items if not {"built", "site_url"} & set(item.fixturenames)]
    config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    items[:] = kept
"""
"""A pytest plugin: leave out the tests that need the session's built site (the outer
test builds the copy itself, and checks the built page)."""


def recipe(heading: str) -> dict[str, str]:
    """Return {path: content} of the titled code blocks of one section of the guide."""
    text = GUIDE.read_text()
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    blocks = {}
    for block in TITLED_BLOCK.finditer(section):
        body = textwrap.dedent(block["body"])
        blocks[block["path"]] = body if body.endswith("\n") else body + "\n"
    return blocks


def add_to_nav(config: str, additions: str) -> str:
    """Return mkdocs.yml's text with each page of `additions` (the guide's nav block)
    appended to the end of its section of the nav, sections within sections too."""

    def add(config: str, entries: list, depth: int) -> str:
        for entry in entries:
            ((title, value),) = entry.items()
            if not isinstance(value, list):
                continue
            lines = config.splitlines(keepends=True)
            indent = "  " + "    " * depth
            start = lines.index(f"{indent}- {title}:\n")
            end = start + 1
            while end < len(lines) and lines[end].startswith(indent + "    "):
                end += 1
            pages = [page for page in value if not isinstance(next(iter(page.values())), list)]
            added = [
                f"{indent}    - {name}: {path}\n" for page in pages for name, path in page.items()
            ]
            config = "".join(lines[:end] + added + lines[end:])
            config = add(config, [page for page in value if page not in pages], depth + 1)
        return config

    return add(config, yaml.safe_load(additions)["nav"], 0)


def test_the_recipe_has_every_file_of_a_lesson():
    files = recipe("Add a lesson")
    assert {
        "lessons_code/ink.py",
        "tests/test_ink.py",
        "lessons_code/website/pages/ink.py",
        "docs/ink.md",
        "docs/notebooks/ink.py",
        "mkdocs.yml",
    } == set(files)
    for path in files:
        assert not (REPO / path).exists() or path == "mkdocs.yml", f"{path} is in the project"


@pytest.fixture(scope="module")
def lesson_added(built, tmp_path_factory) -> Path:
    """Return a copy of the project (its tests too, and the session build's cache) with
    the guide's lesson added as the guide says."""
    project = copy_project(tmp_path_factory.mktemp("contributing"))
    ignored = shutil.ignore_patterns("__pycache__", "node_modules")
    shutil.copytree(REPO / "tests", project / "tests", ignore=ignored)
    shutil.copytree(built / ".cache", project / ".cache")
    for path, content in recipe("Add a lesson").items():
        target = project / path
        if path == "mkdocs.yml":
            target.write_text(add_to_nav(target.read_text(), content))
        else:
            target.write_text(content)
    return project


def test_the_added_lesson_passes_ruff(lesson_added):
    added = [path for path in recipe("Add a lesson") if path.endswith(".py")]
    for command in (["check"], ["format", "--check", "--diff"]):
        result = processes.run(
            [sys.executable, "-m", "ruff", *command, *added], cwd=lesson_added, timeout=120
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_added_lesson_passes_the_page_tests(lesson_added, tmp_path):
    (tmp_path / "without_a_build.py").write_text(WITHOUT_A_BUILD)
    result = processes.run(
        [
            *(sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider"),
            *("-p", "without_a_build", "tests/test_ink.py", *PAGE_TESTS),
        ],
        cwd=lesson_added,
        env=build_env(lesson_added, PYTHONPATH=f"{lesson_added}:{tmp_path}"),
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert re.search(r"\b\d+ passed", result.stdout), result.stdout[-2000:]


def test_the_added_lesson_builds_strictly_and_is_on_the_site(lesson_added):
    result = build_site(lesson_added)
    assert result.returncode == 0, result.stderr[-4000:]
    site = lesson_added / "site"
    page = html_path(site, "ink.md").read_text()
    shown = "".join(parse(html_path(site, "ink.md")).text)
    numbers = json.loads((site / "data" / "numbers.json").read_text())["ink"]
    assert f"{numbers['mean_3']:.0f}" in page and f"{numbers['mean_7']:.0f}" in page
    for theme in ("light", "dark"):
        assert f"ink-histogram-{theme}.svg" in page
        assert (site / "figures" / f"ink-histogram-{theme}.svg").is_file()
    assert "{{" not in shown and "def ink(images" in shown  # the snippet, from the lesson
    notebook = json.loads((site / "notebooks" / "ink.ipynb").read_text())
    printed = json.dumps(notebook["cells"])
    assert "mean ink of the 3s:" in printed and "mean ink of the 7s:" in printed
