"""The registry of figures, numbers and widgets: complete whatever is imported first, one
module per page, and page modules that share only `shared`."""

from __future__ import annotations

import json
import subprocess
import sys

from lessons_code.website import pages
from lessons_code.website.registry import FIGURES, NUMBERS, PAGES, WIDGETS
from tests.support import REPO, imports

PAGES_FOLDER = REPO / "lessons_code" / "website" / "pages"

TABLES = (
    "from lessons_code.website.registry import FIGURES, NUMBERS, WIDGETS\n"
    "print(json.dumps([sorted(FIGURES), sorted(NUMBERS), sorted(WIDGETS)]))"
)


def tables_after(first_import: str) -> list:
    """Return the registry's names, in a fresh process that imported first_import first."""
    code = f"import json\nimport {first_import}\n{TABLES}"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def page_of(module: str) -> str:
    """Return the page a module of `pages` belongs to: a page is a module or a package."""
    assert module.startswith(pages.__name__ + "."), module
    return module[len(pages.__name__) + 1 :].split(".")[0]


def test_every_page_module_is_registered():
    on_disk = {path.stem for path in PAGES_FOLDER.glob("*.py") if path.stem != "__init__"}
    on_disk |= {path.parent.name for path in PAGES_FOLDER.glob("*/__init__.py")}
    assert {page_of(module.__name__) for module in PAGES} == on_disk


def test_the_tables_do_not_depend_on_what_was_imported_first():
    expected = [sorted(FIGURES), sorted(NUMBERS), sorted(WIDGETS)]
    assert tables_after("lessons_code.website.pages.bias") == expected
    assert tables_after("lessons_code.website.cache") == expected


def test_everything_registered_comes_from_a_page_module():
    modules = {page_of(module.__name__) for module in PAGES}
    for name, spec in FIGURES.items():
        assert page_of(spec.draw.__module__) in modules, name
    for group, make in NUMBERS.items():
        assert page_of(make.__module__) in modules, group
        assert make.__doc__, f"numbers {group!r}: say what they are in a docstring"
    for name, widget in WIDGETS.items():
        assert page_of(widget.make.__module__) in modules, name


def test_page_modules_import_no_other_page_but_shared():
    prefix = pages.__name__ + "."
    for path in PAGES_FOLDER.rglob("*.py"):
        own = path.relative_to(PAGES_FOLDER).parts[0].removesuffix(".py")
        found = {page_of(name) for name in imports(path) if name.startswith(prefix)} - {own}
        assert found <= {"shared"}, f"{path.name} imports the page modules {found}"
