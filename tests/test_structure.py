"""The code's one direction: lessons -> site machinery -> build hook -> pages -> widgets.

Read from the sources' imports, so a new import against the flow fails here first.
"""

from __future__ import annotations

from pathlib import Path

from tests.support import REPO, imports

PACKAGE = REPO / "lessons_code"


def modules(folder: Path) -> dict[str, set[str]]:
    return {path.relative_to(REPO).as_posix(): imports(path) for path in folder.rglob("*.py")}


def test_only_main_imports_the_command_line():
    users = {name for name, found in modules(PACKAGE).items() if "lessons_code.cli" in found}
    assert users == {"lessons_code/__main__.py"}


def test_the_lessons_know_nothing_of_the_site():
    for name, found in modules(PACKAGE).items():
        if not name.startswith("lessons_code/website/"):
            site_side = {module for module in found if module.startswith("lessons_code.website")}
            assert not site_side, f"{name} imports {site_side}"


def test_the_hook_runs_no_lesson_in_its_own_process():
    """A lesson imported by `mkdocs serve` would stay old; the hook runs them afresh."""
    hook = modules(REPO / "hooks")
    assert {"hooks/build.py", "hooks/site/events.py"} <= set(hook)  # the loader, its package
    for name, found in hook.items():
        lessons = {module for module in found if module.startswith("lessons_code")}
        assert not lessons, f"{name} imports {lessons}"


def test_tests_and_benchmarks_share_only_the_support_module():
    for folder in ("tests", "benchmarks"):
        for name, found in modules(REPO / folder).items():
            borrowed = {
                module
                for module in found
                if module.split(".")[0] in {"tests", "benchmarks"}
                and not module.startswith("tests.support")
                and not (name == "benchmarks/run_all.py" and module.startswith("benchmarks"))
            }
            assert not borrowed, f"{name} imports {borrowed}"


MACHINERY_LINES = 400
"""The longest a file of the site machinery may be: past it, a page module becomes a
package of parts (issue 23: one 1,148-line figures module hid two searches that disagreed)."""


def test_no_file_of_the_site_machinery_or_the_hook_outgrows_its_job():
    long = {
        path.relative_to(REPO).as_posix(): n
        for folder in (PACKAGE / "website", REPO / "hooks")
        for path in folder.rglob("*.py")
        if (n := len(path.read_text().splitlines())) > MACHINERY_LINES
    }
    assert not long, f"over {MACHINERY_LINES} lines, split by job or by page: {long}"
