"""What the build changes in a page's HTML: LaTeX made MathML, each widget given the
address of its data, each task list's box a name, and on a notebook page, its links and
mkdocs-jupyter's leftovers."""

from __future__ import annotations

import posixpath
import re
from html import unescape
from urllib.parse import quote, urlsplit

from latex2mathml.converter import convert as latex_to_mathml
from mkdocs.exceptions import PluginError

from .notebook_css import NOTEBOOK_CSS

NOTEBOOKS_BRANCH = "notebooks"
"""The branch the Pages workflow fills with the built notebooks, for Colab and Binder."""

MATH = re.compile(r'<(span|div) class="arithmatex">\s*\\([(\[])(.*?)\\[)\]]\s*</\1>', re.DOTALL)
WIDGET = re.compile(r'(<div\b[^>]*\bdata-widget=")([^"]*)(")')
TASK_BOX = re.compile(r'<input( type="checkbox" disabled(?: checked)?/?>)')
"""The box pymdownx.tasklist draws before each item of a "- [ ]" list: a form field
without a name (axe-core: label, critical); the item's text follows it."""
NOTEBOOK_MATHJAX = re.compile(
    r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.DOTALL
)
INLINE_STYLE = re.compile(r'<style type="text/css">(.*?)</style>', re.DOTALL)
NOTEBOOK_CODE_CELL = re.compile(r'<div class="highlight-ipynb([^"]*)">')
CSS_LIST_AGAIN = re.compile(r"\s*<style>\s*\['.*?'\]\s*</style>", re.DOTALL)
"""What mkdocs-jupyter appends to a page drawn from an .ipynb: the code colours the page
already has, again, written as a Python list (so not even valid CSS)."""
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def page_content(content: str, page_url: str, widgets: dict, page: str) -> str:
    """Return a page's HTML with its LaTeX as MathML (no script, no font request), each
    widget given the address of the JSON file it reads (an unknown widget fails) and each
    task list's box named."""

    def to_mathml(match: re.Match) -> str:
        display = "block" if match.group(2) == "[" else "inline"
        return latex_to_mathml(unescape(match.group(3)), display=display)

    def address(match: re.Match) -> str:
        name = match.group(2)
        if name not in widgets:
            raise PluginError(f"{page}: no widget named {name!r} in lessons_code.website.registry")
        src = posixpath.relpath(f"data/{widgets[name]}", page_url.rstrip("/") or ".")
        return f'{match.group(0)} data-src="{src}"'

    named = TASK_BOX.sub(r'<input aria-label="to check"\1', content)
    return WIDGET.sub(address, MATH.sub(to_mathml, named))


def notebook_page(
    content: str, page_url: str, notebook: str, repo_url: str
) -> tuple[str, str | None]:
    """Return a notebook page's HTML, and the large stylesheet it inlined (None if none).

    That stylesheet, JupyterLab's (570 KB), is the same on every notebook page: it is
    served once, as NOTEBOOK_CSS, which the browser caches. The page offers its .ipynb
    (notebook), and Colab and Binder where the repository is on GitHub; the MathJax and
    the repeated code colours mkdocs-jupyter adds go.
    """
    moved = []

    def link(match: re.Match) -> str:
        if len(match.group(1)) < 100_000:
            return match.group(0)
        moved.append(match.group(1))
        href = posixpath.relpath(NOTEBOOK_CSS, page_url or ".")
        return f'<link rel="stylesheet" href="{href}">'

    content = INLINE_STYLE.sub(link, CSS_LIST_AGAIN.sub("", NOTEBOOK_MATHJAX.sub("", content)))
    # A code cell wider than the page scrolls: the keyboard must reach it too.
    content = NOTEBOOK_CODE_CELL.sub(r'<div class="highlight-ipynb\1" tabindex="0">', content)
    return _notebook_links(notebook, repo_url) + content, (moved[-1] if moved else None)


def _notebook_links(notebook: str, repo_url: str) -> str:
    """Return the links above a notebook: the download, then Colab and Binder if known."""
    links = (
        f'<a href="../{notebook}" download>Download this notebook ({notebook})</a>: its '
        f"first code cell installs <code>lessons-code</code> if your Python lacks it."
    )
    parts = urlsplit(repo_url)
    repository = parts.path.strip("/")
    if parts.netloc == "github.com" and repository.count("/") == 1:
        colab = (
            f"https://colab.research.google.com/github/{repository}/blob/"
            f"{NOTEBOOKS_BRANCH}/{quote(notebook)}"
        )
        binder = (
            f"https://mybinder.org/v2/gh/{repository}/{NOTEBOOKS_BRANCH}?labpath={quote(notebook)}"
        )
        links += (
            f' Or run it online: <a href="{colab}" data-launch="colab">Open in Colab</a>, '
            f'<a href="{binder}" data-launch="binder">Launch Binder</a>.'
        )
    return f'<p class="notebook-download">{links}</p>'


def search_dialog_named(output: str) -> str:
    """Return a page with Material's search dialog named (axe-core reports a dialog
    without a name)."""
    return output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + ' aria-label="Search">', 1)
