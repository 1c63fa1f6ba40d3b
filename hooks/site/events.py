"""The MkDocs events of the site's build, and `Build`, what one build knows.

`hooks/build.py` forwards every event here, from this package as it is on disk when the
build starts (`mkdocs serve` included).
"""

from __future__ import annotations

import logging
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from mkdocs.structure.files import File

from . import html, notebook_css, placeholders, questions
from .computation import ONE_BLAS_THREAD, Computation, Computed, inputs_seen, keep, unchanged
from .notebooks import NOTEBOOKS, Notebooks, install_cell
from .wheel import WHEELS, Wheel

log = logging.getLogger("mkdocs.hooks.build")


@dataclass
class Build:
    """What this build knows, and from which event on."""

    root: Path  # the project's folder, which holds .cache/
    site_url: str  # where the site is served, ending in / (site_url, or `mkdocs serve`'s)
    repo_url: str  # the repository the site names (REPO_URL), without a final /, or ""
    notebooks: Notebooks  # running from on_config on; on_files waits for them
    wheel: Wheel  # made from on_config on; on_files waits for it
    computed: Computed = field(init=False)  # at the end of on_config: figures, numbers...
    wheel_url: str = field(init=False)  # by on_files: where the site serves the wheel
    notebook_css: str | None = None  # JupyterLab's stylesheet: on_page_content of a notebook
    notebook_pages: list[str] = field(default_factory=list)  # by on_post_page: their HTML
    questions: dict = field(init=False)  # at on_config: the catalogue of learner questions


build: Build | None = None
"""This build's, from on_config on (this module is loaded afresh for every build)."""


def _is_notebook(page) -> bool:
    return page.file.src_uri.startswith(f"{NOTEBOOKS}/") and page.file.src_uri.endswith(".py")


def on_config(config, kept: dict):
    """Start the notebooks and the wheel, find or make every computed file, then read them.

    kept is what the last build of this process (`mkdocs serve`) left: its computed
    files are used again when none of their inputs has changed."""
    global build
    root = Path(config.config_file_path).parent
    # The computation and the kernels write no bytecode beside the lessons' sources, which
    # `mkdocs serve` watches: importing them must not look like an edit. (A bytecode
    # prefix folder would do it too, but then every library, numpy and matplotlib
    # included, is compiled again wherever bytecode is not written: 0.4 s a build.)
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    os.environ.update(ONE_BLAS_THREAD)  # for the computation and the notebooks' kernels
    wheel = Wheel(root)  # first: it is built while the computation starts
    computed = unchanged(kept, root)
    if computed is None:
        seen_before = inputs_seen(root, None)
        computation = Computation(root)
        key = computation.key
    else:
        log.info("figures and numbers: the last build's (no lesson or data file changed)")
        key = computed.key
    build = Build(
        root=root,
        site_url=(config.site_url or "").rstrip("/") + "/",
        repo_url=(config.repo_url or "").rstrip("/"),
        notebooks=Notebooks(key, Path(config.docs_dir) / NOTEBOOKS, root),
        wheel=wheel,
    )
    build.questions = questions.numbers(root)  # read while the computation runs
    if computed is None:
        computed = computation.result()  # should it fail, on_build_error stops the notebooks
        keep(kept, root, computed, seen_before)
    build.computed = computed
    if not config.repo_url:
        config.edit_uri = None  # no repository, no "edit this page"
    return config


def on_serve(server, config, builder):
    """Rebuild when the data changes too (the lessons and hooks are in mkdocs.yml's watch)."""
    server.watch(str(build.computed.data_folder))
    return server


def on_env(env, config, files):
    """Keep the theme's compiled templates between builds (Jinja's bytecode cache).

    MkDocs compiles every Material template again on each build; an unchanged rebuild
    spent a quarter of a second on that alone. The cache is keyed by each template's
    source, so an edited template is compiled again.
    """
    folder = build.root / ".cache" / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env


def on_files(files, config):
    """Add every computed file (figures, data), the wheel and each notebook's .ipynb.

    A notebook's page is drawn from its executed .ipynb, the very file readers download.
    """
    entry, manifest = build.computed.entry, build.computed.manifest
    computed = [
        path
        for record in manifest["figures"].values()
        for layout in record["layouts"].values()
        for path in layout["files"].values()
    ]
    computed += [f"data/{name}" for name in manifest["data"]]
    for path in computed:
        files.append(File.generated(config, path, abs_src_path=str(entry / path)))
    wheel = build.wheel.path()
    on_site = f"{WHEELS}/{wheel.name}"
    files.append(File.generated(config, on_site, abs_src_path=str(wheel)))
    build.wheel_url = build.site_url + on_site
    install = install_cell(build.site_url, on_site, build.repo_url)
    for file in list(files):
        if file.src_uri.startswith(f"{NOTEBOOKS}/") and file.src_uri.endswith(".py"):
            executed = build.notebooks.path(Path(file.abs_src_path), install)
            file.abs_src_path = str(executed)  # mkdocs-jupyter draws the page from it
            files.append(
                File.generated(config, file.src_uri[:-3] + ".ipynb", abs_src_path=str(executed))
            )
    return files


def on_page_markdown(markdown, page, config, files):
    """Check the page's claims, and put the build's numbers and figures where it names them.

    Beside numbers.json's groups, the group `site` holds what the build knows of the site
    itself, `{{ site.wheel_url }}`, and the group `questions` the catalogue of learner
    questions, `{{ questions.catalogue }}` (hooks/site/questions.py).
    """
    numbers = {
        **build.computed.numbers,
        "site": {"wheel_url": build.wheel_url},
        "questions": build.questions,
    }
    figures = build.computed.manifest["figures"]
    return placeholders.page_markdown(markdown, page.file.src_uri, numbers, figures, page.url)


def on_page_content(content, page, config, files):
    """Turn LaTeX into MathML, address the widgets' data, and fit each notebook's page."""
    widgets = build.computed.manifest["widgets"]
    content = html.page_content(content, page.url, widgets, page.file.src_uri)
    if _is_notebook(page):
        notebook = posixpath.basename(page.file.src_uri)[:-3] + ".ipynb"
        content, stylesheet = html.notebook_page(content, page.url, notebook, build.repo_url)
        build.notebook_css = stylesheet or build.notebook_css
    return content


def on_post_page(output, page, config):
    """Name Material's search dialog, and keep each notebook page to find the rules of the
    notebooks' stylesheet it uses."""
    output = html.search_dialog_named(output)
    if _is_notebook(page):
        build.notebook_pages.append(output)
    return output


def on_post_build(config):
    """Write the notebooks' shared stylesheet, if a notebook page was built."""
    if build.notebook_css is not None:
        site = Path(config.site_dir)
        notebook_css.write(site, build.notebook_css, build.notebook_pages, build.root)


def on_build_error(error):
    """Stop the notebooks a failed build leaves running: no kernel outlives its build."""
    if build is not None:
        build.notebooks.stop()


def on_shutdown():
    """Stop the notebooks still running when MkDocs stops (Ctrl-C during a build)."""
    if build is not None:
        build.notebooks.stop()
