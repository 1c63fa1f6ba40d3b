"""Pages that lead back to the code: with REPO_URL, every page links to its source and
each notebook page to Colab and Binder; without it, the build names no repository.

Either way the downloadable notebooks carry their outputs and start by installing
lessons-code where it is missing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hooks.site.notebooks import INSTALL_CELL_ID
from tests.support import build_site, copy_project, html_path, nav_pages

REPO_URL = "https://github.com/example/lessons"
NOTEBOOK_PAGES = [page for page in nav_pages() if page.startswith("notebooks/")]


@pytest.fixture(scope="module")
def with_repo_url(built, tmp_path_factory) -> Path:
    """Return the site built with REPO_URL set, from the session build's cache."""
    project = copy_project(tmp_path_factory.mktemp("with-repo-url"))
    shutil.copytree(built / ".cache", project / ".cache")
    result = build_site(project, REPO_URL=REPO_URL)
    assert result.returncode == 0, result.stderr[-4000:]
    return project / "site"


def test_every_page_links_to_edit_and_view_its_source(with_repo_url):
    for source in nav_pages():
        page = html_path(with_repo_url, source).read_text()
        assert f'href="{REPO_URL}/edit/main/docs/{source}"' in page, source
        assert f'href="{REPO_URL}/raw/main/docs/{source}"' in page, source


def test_every_notebook_page_launches_colab_and_binder(with_repo_url):
    assert len(NOTEBOOK_PAGES) >= 4
    for source in NOTEBOOK_PAGES:
        notebook = Path(source).stem + ".ipynb"
        page = html_path(with_repo_url, source).read_text()
        colab = (
            f"https://colab.research.google.com/github/example/lessons/blob/notebooks/{notebook}"
        )
        binder = f"https://mybinder.org/v2/gh/example/lessons/notebooks?labpath={notebook}"
        assert f'href="{colab}"' in page and f'href="{binder}"' in page, source


def test_the_repository_link_asks_github_for_nothing(with_repo_url):
    """Material fetches stars and forks for a `source` component: ours is a plain link."""
    page = (with_repo_url / "index.html").read_text()
    assert f'href="{REPO_URL}"' in page and 'class="md-source"' in page
    for html in with_repo_url.rglob("*.html"):
        assert 'data-md-component="source"' not in html.read_text(), html


def test_notebooks_install_from_the_site_else_from_the_repository_named(with_repo_url):
    for notebook in (with_repo_url / "notebooks").glob("*.ipynb"):
        cells = json.loads(notebook.read_text())["cells"]
        (install,) = ["".join(c["source"]) for c in cells if c.get("id") == INSTALL_CELL_ID]
        routes = ['SITE_URL + "wheels/lessons_code-', f'"lessons-code @ git+{REPO_URL}"']
        assert all(route in install for route in routes), notebook
        assert install.index(routes[0]) < install.index(routes[1])  # the site's wheel first


def test_without_repo_url_no_page_names_a_repository(built):
    site = built / "site"
    for html in site.rglob("*.html"):
        page = html.read_text()
        for mark in ('rel="edit"', "md-source", "colab.research.google.com", "mybinder.org"):
            assert mark not in page, (html, mark)


def test_every_downloadable_notebook_installs_what_it_needs_and_carries_its_outputs(built):
    notebooks = sorted((built / "site" / "notebooks").glob("*.ipynb"))
    assert [path.stem for path in notebooks] == sorted(Path(p).stem for p in NOTEBOOK_PAGES)
    for path in notebooks:
        notebook = json.loads(path.read_text())
        title, first, *cells = notebook["cells"]
        # A reader sees what the notebook is before its set-up: the title, then the install.
        assert title["cell_type"] == "markdown", path
        assert "".join(title["source"]).startswith("# "), path
        install = "".join(first["source"])
        assert first["id"] == INSTALL_CELL_ID, path
        assert 'find_spec("lessons_code") is None' in install
        assert 'SITE_URL + "wheels/lessons_code-' in install  # the wheel the site serves
        assert first["outputs"] == []  # lessons_code is importable in the build: a no-op
        code = [cell for cell in cells if cell["cell_type"] == "code"]
        assert code and all(cell["execution_count"] for cell in code), path
        printed = [out for cell in code for out in cell["outputs"] if out.get("text")]
        assert printed, f"{path.name} carries no output"
        assert "jupytext" not in notebook["metadata"]
