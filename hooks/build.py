"""MkDocs hook: the site's figures and numbers, made at build time from lessons_code.

- Figures: every entry of `lessons_code.report.FIGURES`, drawn in the light and the dark
  palette, written as deterministic SVG, cached by a content hash of the lessons it
  uses, the data and the parameters. A cached file whose checksum fails is redrawn.
- Numbers: `lessons_code.report.numbers()`, written to `data/numbers.json`; a page says
  `{{ linear.final_valid_accuracy:.1% }}` and the build puts the number there.
- `{{ figure:NAME }}` on a page becomes the figure in both palettes, with its alt text.
- LaTeX between \\( \\) or \\[ \\] becomes MathML at build time: no script, no font request.
- Notebooks (jupytext `.py` files) are offered as `.ipynb` downloads, and their executed
  output is cached under a key that changes whenever lessons_code or the data changes.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import logging
import os
import posixpath
import re
from pathlib import Path

import jupytext
import numpy as np
from latex2mathml.converter import convert as latex_to_mathml
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

import lessons_code
from lessons_code import report
from lessons_code.weights_file import npz_bytes

log = logging.getLogger("mkdocs.hooks.build")

PACKAGE = Path(lessons_code.__file__).parent
THEMES = ("light", "dark")
SVG_METADATA = {"Date": None, "Creator": "lessons_code"}
NOTEBOOKS = "notebooks"

_build: dict = {}  # what this build made: the runs, the numbers, the figures' alt text


def _digest(*parts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else part.encode())
        hasher.update(b"\0")
    return hasher.hexdigest()


def _source(module: str) -> bytes:
    return (PACKAGE / f"{module}.py").read_bytes()


def _package_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def _write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, path)


def _render_svg(spec: report.FigureSpec, name: str, theme: str, runs: report.Runs):
    """Return (svg bytes, alt text) of one figure in one palette."""
    import matplotlib  # only a build that draws pays for importing matplotlib
    from matplotlib.figure import Figure

    from lessons_code.figures import themed

    with matplotlib.rc_context(themed(theme)):
        figure = spec.draw(runs)
        if not isinstance(figure, Figure):
            raise PluginError(f"figure {name!r}: expected a matplotlib Figure, got {figure!r}")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata=SVG_METADATA)
    alt = figure.get_label()
    if not alt.strip():
        raise PluginError(f"figure {name!r} has no alt text: set it with fig.set_label(...)")
    return buffer.getvalue(), alt


def _cached_figure(cache: Path, name: str, key: str, runs: report.Runs) -> tuple[dict, str]:
    """Return ({theme: svg path}, alt text), drawing the figure only if the cache lacks it."""
    index_path = cache / f"{name}-{key[:16]}.json"
    paths = {theme: cache / f"{name}-{theme}-{key[:16]}.svg" for theme in THEMES}
    try:
        index = json.loads(index_path.read_text())
        if all(_digest(paths[t].read_bytes()) == index["sha256"][t] for t in THEMES):
            return paths, index["alt"]
        log.info("figure %s: cached file failed its checksum, drawing it again", name)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not cached yet, or a broken cache entry: draw it
    spec = report.FIGURES[name]
    checksums = {}
    for theme in THEMES:
        svg, alt = _render_svg(spec, name, theme, runs)
        _write_atomically(paths[theme], svg)
        checksums[theme] = _digest(svg)
    _write_atomically(index_path, json.dumps({"alt": alt, "sha256": checksums}).encode())
    _build["drawn"].append(name)
    return paths, alt


def _cached_json(cache: Path, name: str, key: str, compute) -> dict:
    """Return a JSON document from the cache, or compute() it and cache it."""
    path = cache / f"{name}-{key[:16]}.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        document = compute()
        _write_atomically(path, json.dumps(document, sort_keys=True).encode())
        return document


def _cached_notebook(cache: Path, source: Path) -> str:
    """Return the .ipynb of a jupytext notebook, converting it only if the cache lacks it."""
    key = _digest(source.read_bytes(), _package_version("jupytext"))
    path = cache / f"{source.stem}-{key[:16]}.ipynb"
    try:
        notebook = path.read_text(encoding="utf-8")
        json.loads(notebook)  # a truncated cache file is converted again
        return notebook
    except (OSError, ValueError):
        notebook = jupytext.writes(jupytext.read(source), fmt="ipynb")
        _write_atomically(path, notebook.encode("utf-8"))
        return notebook


def on_config(config):
    """Fix the run's randomness and point the notebook cache at the lessons' content."""
    root = Path(config.config_file_path).parent
    runs = report.Runs()
    lessons_key = _digest(
        runs.data_key, *(_source(p.stem) for p in sorted(PACKAGE.glob("*.py"))), np.__version__
    )
    _build.clear()
    _build.update(root=root, runs=runs, lessons_key=lessons_key, drawn=[], alt={})
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is not None:
        jupyter.config["cache_dir"] = str(root / ".cache" / "notebooks" / lessons_key[:16])
    return config


def on_env(env, config, files):
    """Keep the theme's compiled templates between builds (Jinja's bytecode cache).

    MkDocs compiles every Material template again on each build; an unchanged rebuild
    spent a quarter of a second on that alone. The cache is keyed by each template's
    source, so an edited template is compiled again.
    """
    from jinja2 import FileSystemBytecodeCache

    folder = _build["root"] / ".cache" / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env


def on_files(files, config):
    """Make (or find in the cache) every figure and number, and add them to the site."""
    runs, cache = _build["runs"], _build["root"] / ".cache" / "site"
    common = (runs.data_key, _source("figures"), _source("report"), _package_version("matplotlib"))
    for name, spec in report.FIGURES.items():
        key = _digest(name, *common, *(_source(module) for module in spec.uses))
        paths, alt = _cached_figure(cache, name, key, runs)
        _build["alt"][name] = alt
        for theme, path in paths.items():
            files.append(
                File.generated(config, f"figures/{name}-{theme}.svg", abs_src_path=str(path))
            )
    numbers = _cached_json(cache, "numbers", _build["lessons_key"], lambda: report.numbers(runs))
    _build["numbers"] = numbers
    exports = _cached_json(cache, "exports", _build["lessons_key"], lambda: report.exports(runs))
    for name, document in {"numbers.json": numbers, **exports}.items():
        content = json.dumps(document, indent=None if name != "numbers.json" else 1, sort_keys=True)
        files.append(File.generated(config, f"data/{name}", content=content))
    model = exports["model.json"]
    weights_npz = npz_bytes(np.array(model["weights"], dtype=np.float32), model["bias"])
    files.append(File.generated(config, "data/weights.npz", content=weights_npz))
    for file in list(files):
        if file.src_uri.startswith(f"{NOTEBOOKS}/") and file.src_uri.endswith(".py"):
            notebook = _cached_notebook(cache, Path(file.abs_src_path))
            files.append(File.generated(config, file.src_uri[:-3] + ".ipynb", content=notebook))
    log.info("figures drawn this build: %s", ", ".join(_build["drawn"]) or "none (all cached)")
    return files


PLACEHOLDER = re.compile(r"\{\{\s*(figure:)?([A-Za-z_][\w.-]*)(?::([^}\s]*))?\s*\}\}")


def _number(name: str, spec: str | None, page: str) -> str:
    value = _build["numbers"]
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            raise PluginError(f"{page}: no number named {name!r} in the build's numbers.json")
        value = value[part]
    if isinstance(value, dict):
        raise PluginError(f"{page}: {name!r} is a group of numbers, name one of {list(value)}")
    if spec is None:
        return f"{value:,}" if isinstance(value, int) else str(value)
    return format(value, spec)


def _figure(name: str, page) -> str:
    if name not in _build["alt"]:
        raise PluginError(f"{page.file.src_uri}: no figure named {name!r} in report.FIGURES")
    alt = re.sub(r"[\[\]\n]", " ", _build["alt"][name])
    base = posixpath.relpath("figures", posixpath.dirname(page.file.src_uri) or ".")
    return " ".join(
        f"![{alt}]({base}/{name}-{theme}.svg#only-{theme}){{ loading=lazy }}" for theme in THEMES
    )


def on_page_markdown(markdown, page, config, files):
    """Put the build's numbers and figures where the page names them."""

    def substitute(match: re.Match) -> str:
        is_figure, name, spec = match.groups()
        if is_figure:
            return _figure(name, page)
        return _number(name, spec, page.file.src_uri)

    return PLACEHOLDER.sub(substitute, markdown)


MATH = re.compile(r'<(span|div) class="arithmatex">\s*\\([(\[])(.*?)\\[)\]]\s*</\1>', re.DOTALL)
NOTEBOOK_MATHJAX = re.compile(
    r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.DOTALL
)


NOTEBOOK_CSS = "assets/notebook.css"
INLINE_STYLE = re.compile(r'<style type="text/css">(.*?)</style>', re.DOTALL)


def _share_notebook_css(content: str, page) -> str:
    """Move mkdocs-jupyter's large inline stylesheet (JupyterLab's, 570 KB) to one file.

    Every notebook page inlines the same stylesheet; served once, it is cached by the
    browser and each notebook page stays light.
    """

    def link(match: re.Match) -> str:
        if len(match.group(1)) < 100_000:
            return match.group(0)
        _build["notebook_css"] = match.group(1)
        href = posixpath.relpath(NOTEBOOK_CSS, page.url or ".")
        return f'<link rel="stylesheet" href="{href}">'

    return INLINE_STYLE.sub(link, content)


def on_post_build(config):
    """Write the notebooks' shared stylesheet, if a notebook page was built."""
    if "notebook_css" in _build:
        path = Path(config.site_dir) / NOTEBOOK_CSS
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_build["notebook_css"], encoding="utf-8")


SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
NOTEBOOK_CODE_CELL = re.compile(r'<div class="highlight-ipynb([^"]*)">')


def on_post_page(output, page, config):
    """Name Material's search dialog, which axe-core reports as a dialog without a name."""
    return output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + ' aria-label="Search">', 1)


def on_page_content(content, page, config, files):
    """Turn LaTeX into MathML, and give each notebook page its .ipynb download."""

    def to_mathml(match: re.Match) -> str:
        display = "block" if match.group(2) == "[" else "inline"
        return latex_to_mathml(html.unescape(match.group(3)), display=display)

    content = MATH.sub(to_mathml, content)
    source = page.file.src_uri
    if source.startswith(f"{NOTEBOOKS}/") and source.endswith(".py"):
        content = NOTEBOOK_MATHJAX.sub("", content)
        content = _share_notebook_css(content, page)
        # A code cell wider than the page scrolls: the keyboard must reach it too.
        content = NOTEBOOK_CODE_CELL.sub(r'<div class="highlight-ipynb\1" tabindex="0">', content)
        download = posixpath.basename(source)[:-3] + ".ipynb"
        link = (
            f'<p class="notebook-download"><a href="../{download}" download>'
            f"Download this notebook ({download})</a> and run it with "
            f"<code>lessons_code</code> installed.</p>"
        )
        content = link + content
    return content
