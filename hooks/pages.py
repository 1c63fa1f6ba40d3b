"""What the build does to the pages: the computed files, numbers, figures, MathML, notebooks.

Loaded afresh for every build by `hooks/build.py`. It never imports `lessons_code`:
the files the site computes (figures, `numbers.json`, each widget's JSON) come from
`python -m lessons_code.website`, run in a fresh process for every build, which finds
them in the cache under a key of every input or makes them. So the code behind a
number is always the code on disk, under `mkdocs serve` too.

- `{{ group.name:format }}` on a page becomes a number of `numbers.json`.
- `{{ figure:NAME }}` becomes the figure in both palettes, with its alt text and size.
- `{{ claim: EXPR }}` binds the sentence before it to EXPR over the numbers (for example
  `linear.final_valid_accuracy > baseline.accuracy`): it shows nothing, and the build
  fails when EXPR is false on the data it was built from.
- `{{ choose: EXPR | words if true | words if false }}` takes a sentence's wording from
  the build, for a comparison that goes one way on one data set and the other way on
  another.
- `<div data-widget="NAME">` gets the address of the JSON file that widget reads.
- LaTeX between \\( \\) or \\[ \\] becomes MathML at build time: no script, no font request.
- Notebooks (jupytext `.py` files) are executed once, here, into an `.ipynb` that
  starts with a cell installing `lessons-code` where it is missing; the page is drawn
  from it and readers download it, outputs and all. It is cached under the same key as
  everything else. Their shared stylesheet, JupyterLab's (570 KB), is cut down to the
  rules and custom properties the notebook pages can use.
- With `REPO_URL` set (the Pages workflow sets it), every page links to its source
  ("edit this page", "view source") and each notebook page offers Colab and Binder,
  which open the built notebooks the workflow publishes to the `notebooks` branch.
  Without it, none of these appear.
"""

from __future__ import annotations

import ast
import asyncio
import hashlib
import html
import json
import logging
import os
import posixpath
import re
import subprocess
import sys
import tempfile
import threading
from importlib.metadata import version
from pathlib import Path
from urllib.parse import quote, urlsplit

import jupytext
import nbformat
from jupyter_client.manager import AsyncKernelManager
from latex2mathml.converter import convert as latex_to_mathml
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

log = logging.getLogger("mkdocs.hooks.build")

THEMES = ("light", "dark")
NOTEBOOKS = "notebooks"
NOTEBOOKS_BRANCH = "notebooks"
"""The branch the Pages workflow fills with the built notebooks, for Colab and Binder."""
NOTEBOOK_TIMEOUT = 900  # seconds one cell may take: training on real MNIST included

build: dict = {}  # what this build found: the cache entry, its manifest, the numbers


def _write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, path)


ONE_BLAS_THREAD = {
    name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
}
"""The lessons compute with one BLAS thread a process, in the build and in the notebooks:
the computation and the notebooks run side by side on the machine's cores, and the
numbers do not depend on how many cores it has."""


class _Computation:
    """`python -m lessons_code.website`, running in a fresh process while the notebooks run."""

    def __init__(self, root: Path):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "lessons_code.website", str(root / ".cache" / "site")],
            cwd=root,
            env=os.environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,  # unbuffered: the first line read here, the rest by communicate()
        )
        self.key = json.loads(self.process.stdout.readline() or b"{}").get("key")

    def result(self) -> dict:
        """Wait for the computed files; return where they are, or fail naming the cause."""
        printed, said = (output.decode() for output in self.process.communicate())
        if self.process.returncode != 0 or self.key is None:
            raise PluginError(
                "the site's figures and numbers could not be made "
                f"(python -m lessons_code.website):\n{said.strip()[-3000:]}"
            )
        for line in said.splitlines():
            log.info(line)
        return json.loads(printed.strip().splitlines()[-1])


def on_config(config):
    """Start the notebooks, find or make every computed file, then read the numbers."""
    root = Path(config.config_file_path).parent
    # The computation and the kernels write no bytecode beside the lessons' sources, which
    # `mkdocs serve` watches: importing them must not look like an edit. (A bytecode
    # prefix folder would do it too, but then every library, numpy and matplotlib
    # included, is compiled again wherever bytecode is not written: 0.4 s a build.)
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    os.environ.update(ONE_BLAS_THREAD)  # for the computation and the notebooks' kernels
    build.clear()
    build.update(root=root, repo_url=(config.repo_url or "").rstrip("/"))
    computation = _Computation(root)
    build["notebooks"] = _Notebooks(computation.key, Path(config.docs_dir) / NOTEBOOKS)
    found = computation.result()
    entry = Path(found["entry"])
    manifest = json.loads((entry / "manifest.json").read_text())
    if not config.repo_url:
        config.edit_uri = None  # no repository, no "edit this page"
    build.update(
        entry=entry,
        manifest=manifest,
        data_folder=Path(found["data_folder"]),
        numbers=json.loads((entry / "data" / "numbers.json").read_text()),
    )
    return config


def on_serve(server, config, builder):
    """Rebuild when the data changes too (the lessons and hooks are in mkdocs.yml's watch)."""
    server.watch(str(build["data_folder"]))
    return server


def on_env(env, config, files):
    """Keep the theme's compiled templates between builds (Jinja's bytecode cache).

    MkDocs compiles every Material template again on each build; an unchanged rebuild
    spent a quarter of a second on that alone. The cache is keyed by each template's
    source, so an edited template is compiled again.
    """
    from jinja2 import FileSystemBytecodeCache

    folder = build["root"] / ".cache" / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env


INSTALL_CELL = """\
# Colab, Binder or a new environment: install the lessons' package if it is
# missing. Where lessons_code is installed already, this cell does nothing.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("lessons_code") is None:
    pip = [sys.executable, "-m", "pip", "install", "{package}"]
    done = subprocess.run(pip, capture_output=True, text=True)
    print(done.stdout[-2000:], done.stderr[-2000:])  # pip's own words, here in the notebook
    done.check_returncode()
    importlib.invalidate_caches()"""


def _install_cell() -> str:
    """Return the first cell of every notebook: install lessons-code where it is missing.

    From the repository the site names (REPO_URL), else from the package index.
    """
    repo_url = build["repo_url"]
    package = f"lessons-code @ git+{repo_url}" if repo_url else "lessons-code"
    return INSTALL_CELL.format(package=package)


class _Notebooks:
    """Every notebook of the site executed into its .ipynb, in a thread of its own, a few
    kernels at a time, while the site's figures and numbers are computed."""

    KERNELS_AT_ONCE = 3

    def __init__(self, key: str | None, folder: Path):
        self.key, self.executed, self.failure = key, {}, None
        sources = sorted(folder.glob("*.py")) if key else []
        # A daemon: a build that fails elsewhere ends without waiting for the notebooks;
        # their kernels end with it (a kernel stops when its parent process is gone).
        self.thread = threading.Thread(
            target=asyncio.run, args=(self._run_all(sources),), daemon=True
        )
        self.thread.start()

    async def _run_all(self, sources: list[Path]) -> None:
        turns = asyncio.Semaphore(self.KERNELS_AT_ONCE)

        async def run(source: Path) -> None:
            async with turns:
                self.executed[source.name] = await self._executed(source)

        try:
            await asyncio.gather(*map(run, sources))
        except PluginError as error:
            self.failure = error

    def path(self, source: Path) -> Path:
        """Return the executed .ipynb of a notebook, once every notebook has run."""
        self.thread.join()
        if self.failure is not None:
            raise self.failure
        return self.executed[source.name]

    async def _executed(self, source: Path) -> Path:
        """Return the .ipynb readers get: the notebook executed (only if not cached), with
        a first cell that installs lessons-code where it is missing.

        The install cell is put in after the run: where the notebook runs here, the
        package is there and the cell would do nothing, so the outputs do not depend on
        which repository the site names (REPO_URL), and neither does the cache.
        """
        content = b"\0".join(
            [
                self.key.encode(),
                source.read_bytes(),
                version("jupytext").encode(),
                version("nbclient").encode(),
            ]
        )
        key = hashlib.sha256(content).hexdigest()[:16]
        cached = build["root"] / ".cache" / "ipynb" / key / NOTEBOOKS / f"{source.stem}.ipynb"
        try:
            notebook = nbformat.reads(cached.read_text(encoding="utf-8"), as_version=4)
        except (OSError, ValueError):  # not run yet, or a truncated cache file: run it
            notebook = await self._run(source)
            _write_atomically(cached, nbformat.writes(notebook).encode("utf-8"))
        install = _install_cell()
        # A fixed id (nbformat draws a random one): the same notebook every build, so
        # mkdocs-jupyter's cache, keyed on the file's bytes, keeps its page.
        notebook.cells.insert(0, nbformat.v4.new_code_cell(install, id="install-lessons-code"))
        suffix = hashlib.sha256(install.encode()).hexdigest()[:8]
        readers = cached.parent.parent / f"with-install-{suffix}" / NOTEBOOKS / cached.name
        content = nbformat.writes(notebook).encode("utf-8")
        if not readers.is_file() or readers.read_bytes() != content:
            _write_atomically(readers, content)  # else untouched: mkdocs-jupyter's cache holds
        return readers

    @staticmethod
    async def _run(source: Path):
        """Return a jupytext notebook executed, its outputs in its cells."""
        notebook = jupytext.read(source)
        notebook.metadata.pop("jupytext", None)  # a plain notebook, not one paired with a .py
        with tempfile.TemporaryDirectory() as folder:  # what a notebook writes goes nowhere
            # Each kernel talks over sockets in its own folder, not TCP ports: kernels
            # started at once can never be handed the same port.
            kernel = AsyncKernelManager(
                kernel_name="python3", transport="ipc", ip=str(Path(folder) / "kernel")
            )
            client = NotebookClient(
                notebook,
                km=kernel,
                timeout=NOTEBOOK_TIMEOUT,
                kernel_name="python3",
                resources={"metadata": {"path": folder}},
            )
            try:
                await client.async_execute()
            except CellExecutionError as error:
                raise PluginError(f"notebook {source.name} failed when run:\n{error}") from None
        return notebook


def on_files(files, config):
    """Add every computed file (figures, data) and each notebook's .ipynb to the site.

    A notebook's page is drawn from its executed .ipynb, the very file readers download.
    """
    entry, manifest = build["entry"], build["manifest"]
    computed = [
        path for record in manifest["figures"].values() for path in record["files"].values()
    ]
    computed += [f"data/{name}" for name in manifest["data"]]
    for path in computed:
        files.append(File.generated(config, path, abs_src_path=str(entry / path)))
    for file in list(files):
        if file.src_uri.startswith(f"{NOTEBOOKS}/") and file.src_uri.endswith(".py"):
            executed = build["notebooks"].path(Path(file.abs_src_path))
            file.abs_src_path = str(executed)  # mkdocs-jupyter draws the page from it
            files.append(
                File.generated(config, file.src_uri[:-3] + ".ipynb", abs_src_path=str(executed))
            )
    return files


PLACEHOLDER = re.compile(r"\{\{\s*(figure:)?([A-Za-z_][\w.-]*)(?::([^}\s]*))?\s*\}\}")


def _number(name: str, spec: str | None, page: str) -> str:
    value = _value(name, page)
    if isinstance(value, dict):
        raise PluginError(f"{page}: {name!r} is a group of numbers, name one of {list(value)}")
    if spec is None:
        return f"{value:,}" if isinstance(value, int) else str(value)
    return format(value, spec)


def _value(name: str, page: str):
    """Return the number a dotted name points at in numbers.json."""
    value = build["numbers"]
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            raise PluginError(f"{page}: no number named {name!r} in the build's numbers.json")
        value = value[part]
    return value


FUNCTIONS = {"abs": abs, "min": min, "max": max, "round": round}
OPERATORS = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def evaluate(expression: str, page: str):
    """Return the value of a claim's expression: numbers by dotted name, comparisons,
    arithmetic, and/or/not, abs/min/max/round. Anything else is refused."""

    def value(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float | str):
            return node.value
        if isinstance(node, ast.Name | ast.Attribute):
            return _value(ast.unparse(node), page)
        if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
            return OPERATORS[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.Not):
            operand = value(node.operand)
            return -operand if isinstance(node.op, ast.USub) else not operand
        if isinstance(node, ast.BoolOp):
            values = [value(operand) for operand in node.values]
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.Compare):
            left = value(node.left)
            for operator, comparator in zip(node.ops, node.comparators, strict=True):
                right = value(comparator)
                if type(operator) not in OPERATORS or not OPERATORS[type(operator)](left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.Call) and ast.unparse(node.func) in FUNCTIONS:
            return FUNCTIONS[ast.unparse(node.func)](*map(value, node.args))
        raise PluginError(f"{page}: a claim can't use {ast.unparse(node)!r} (in {expression!r})")

    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as error:
        raise PluginError(f"{page}: claim {expression!r} is not an expression: {error}") from None
    return value(tree.body)


def _shown(expression: str, page: str) -> str:
    """Return the numbers an expression names, as "name = value", for an error message."""
    names = {ast.unparse(n) for n in ast.walk(ast.parse(expression.strip(), mode="eval"))}
    named = sorted(n for n in names if re.fullmatch(r"[A-Za-z_][\w.]*", n) and "." in n)
    return ", ".join(f"{name} = {_value(name, page)!r}" for name in named)


CLAIM = re.compile(r"\{\{\s*claim:([^{}|]*?)\s*\}\}")
WORDS = r"((?:[^{}|]|\{\{[^{}|]*\}\})*?)"  # text, with {{ numbers }} inside it if need be
CHOOSE = re.compile(r"\{\{\s*choose:([^{}|]*?)\|" + WORDS + r"\|" + WORDS + r"\}\}")


def _claims(markdown: str, page: str) -> str:
    """Check every claim of a page against the numbers; put each chosen wording in place."""

    def check(match: re.Match) -> str:
        if evaluate(match.group(1), page) is not True:
            raise PluginError(
                f"{page}: a claim is false on this build's data: {match.group(1).strip()} "
                f"({_shown(match.group(1), page)})"
            )
        return ""

    def choose(match: re.Match) -> str:
        condition, if_true, if_false = match.groups()
        return (if_true if evaluate(condition, page) else if_false).strip()

    return CLAIM.sub(check, CHOOSE.sub(choose, markdown))


def _figure(name: str, page) -> str:
    figures = build["manifest"]["figures"]
    if name not in figures:
        raise PluginError(
            f"{page.file.src_uri}: no figure named {name!r} in lessons_code.website.registry"
        )
    record = figures[name]
    alt = re.sub(r"[\[\]\n]", " ", record["alt"])
    width, height = record["size"]
    folder = posixpath.dirname(page.file.src_uri) or "."
    return " ".join(
        f"![{alt}]({posixpath.relpath(record['files'][theme], folder)}#only-{theme})"
        f"{{ loading=lazy decoding=async width={width} height={height} }}"
        for theme in THEMES
    )


def on_page_markdown(markdown, page, config, files):
    """Check the page's claims, and put the build's numbers and figures where it names them."""

    def substitute(match: re.Match) -> str:
        is_figure, name, spec = match.groups()
        if is_figure:
            return _figure(name, page)
        return _number(name, spec, page.file.src_uri)

    return PLACEHOLDER.sub(substitute, _claims(markdown, page.file.src_uri))


MATH = re.compile(r'<(span|div) class="arithmatex">\s*\\([(\[])(.*?)\\[)\]]\s*</\1>', re.DOTALL)
NOTEBOOK_MATHJAX = re.compile(
    r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.DOTALL
)
WIDGET = re.compile(r'(<div\b[^>]*\bdata-widget=")([^"]*)(")')
NOTEBOOK_CSS = "assets/notebook.css"
INLINE_STYLE = re.compile(r'<style type="text/css">(.*?)</style>', re.DOTALL)
NOTEBOOK_CODE_CELL = re.compile(r'<div class="highlight-ipynb([^"]*)">')
CSS_LIST_AGAIN = re.compile(r"\s*<style>\s*\['.*?'\]\s*</style>", re.DOTALL)
"""What mkdocs-jupyter appends to a page drawn from an .ipynb: the code colours the page
already has, again, written as a Python list (so not even valid CSS)."""


def _share_notebook_css(content: str, page) -> str:
    """Move mkdocs-jupyter's large inline stylesheet (JupyterLab's, 570 KB) to one file.

    Every notebook page inlines the same stylesheet; served once, it is cached by the
    browser and each notebook page stays light.
    """

    def link(match: re.Match) -> str:
        if len(match.group(1)) < 100_000:
            return match.group(0)
        build["notebook_css"] = match.group(1)
        href = posixpath.relpath(NOTEBOOK_CSS, page.url or ".")
        return f'<link rel="stylesheet" href="{href}">'

    return INLINE_STYLE.sub(link, content)


def _widget_data(content: str, page) -> str:
    """Give each widget the address of the JSON file it reads; an unknown widget fails."""
    widgets = build["manifest"]["widgets"]

    def address(match: re.Match) -> str:
        name = match.group(2)
        if name not in widgets:
            raise PluginError(
                f"{page.file.src_uri}: no widget named {name!r} in lessons_code.website.registry"
            )
        src = posixpath.relpath(f"data/{widgets[name]}", page.url.rstrip("/") or ".")
        return f'{match.group(0)} data-src="{src}"'

    return WIDGET.sub(address, content)


def on_page_content(content, page, config, files):
    """Turn LaTeX into MathML, address the widgets' data, and offer each notebook's .ipynb."""

    def to_mathml(match: re.Match) -> str:
        display = "block" if match.group(2) == "[" else "inline"
        return latex_to_mathml(html.unescape(match.group(3)), display=display)

    content = _widget_data(MATH.sub(to_mathml, content), page)
    source = page.file.src_uri
    if source.startswith(f"{NOTEBOOKS}/") and source.endswith(".py"):
        content = CSS_LIST_AGAIN.sub("", NOTEBOOK_MATHJAX.sub("", content))
        content = _share_notebook_css(content, page)
        # A code cell wider than the page scrolls: the keyboard must reach it too.
        content = NOTEBOOK_CODE_CELL.sub(r'<div class="highlight-ipynb\1" tabindex="0">', content)
        content = _notebook_links(posixpath.basename(source)[:-3] + ".ipynb") + content
    return content


def _notebook_links(notebook: str) -> str:
    """Return the links above a notebook: the download, then Colab and Binder if known."""
    links = (
        f'<a href="../{notebook}" download>Download this notebook ({notebook})</a>: its '
        f"first cell installs <code>lessons-code</code> if your Python lacks it."
    )
    parts = urlsplit(build["repo_url"])
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


SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def on_post_page(output, page, config):
    """Name Material's search dialog, which axe-core reports as a dialog without a name,
    and keep each notebook page to find the rules of the notebooks' stylesheet it uses."""
    output = output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + ' aria-label="Search">', 1)
    if page.file.src_uri.startswith(f"{NOTEBOOKS}/") and page.file.src_uri.endswith(".py"):
        build.setdefault("notebook_pages", []).append(output)
    return output


def on_post_build(config):
    """Write the notebooks' shared stylesheet, if a notebook page was built: the rules the
    notebook pages can use, and the custom properties those rules read."""
    if "notebook_css" not in build:
        return
    site = Path(config.site_dir)
    path = site / NOTEBOOK_CSS
    pages = "".join(build["notebook_pages"])
    classes = {name for found in HTML_CLASSES.findall(pages) for name in " ".join(found).split()}
    read = [css.read_text(encoding="utf-8") for css in site.rglob("*.css") if css != path]
    # Pruned once for these inputs: a rebuild under `mkdocs serve` takes it from the cache.
    inputs = "\0".join([build["notebook_css"], pages, *read])  # the classes come from pages
    key = hashlib.sha256(inputs.encode("utf-8")).hexdigest()[:16]
    cached = build["root"] / ".cache" / "notebook-css" / f"{key}.css"
    try:
        css = cached.read_text(encoding="utf-8")
    except OSError:
        css = _used_css(build["notebook_css"], classes, [pages, *read])
        for older in cached.parent.glob("*.css"):  # only the latest inputs come again
            older.unlink()
        _write_atomically(cached, css.encode("utf-8"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(css, encoding="utf-8")


# The notebooks' stylesheet is JupyterLab's whole theme, 570 KB: nearly all of it styles
# JupyterLab's own interface, which a notebook page never shows. A browser must read it
# all before it draws anything, so only what the notebook pages can use is kept.
HTML_CLASSES = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
CSS_STRING = r""""(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'"""
CSS_TOKEN = re.compile(CSS_STRING + r"|/\*.*?\*/|[{};]", re.DOTALL)
CSS_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
CSS_VARIABLE = re.compile(r"var\(\s*(--[\w-]+)")
CSS_CUSTOM_PROPERTY = re.compile(r"\s*(--[\w-]+)\s*:")
CSS_GROUPS = ("@media", "@supports")
"""At-rules holding rules, pruned inside; other at-rules (@keyframes, @font-face) stay whole."""
FUNCTIONAL_PSEUDO_CLASS = re.compile(r":(?:not|is|where|has|matches|-webkit-any|-moz-any)\(")
RUNTIME_CLASS_PREFIX = "md-"
"""Material's scripts add classes of their own (md-...) after a page loads."""


def _css_split(text: str, separator: str) -> list[str]:
    """Return text cut at each separator (`,` or `;`) outside strings and brackets."""
    parts, start, depth = [], 0, 0
    for token in re.finditer(CSS_STRING + r"|[()\[\]]|" + separator, text):
        found = token.group()
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(found, 0)
        if found == separator and depth == 0:
            parts.append(text[start : token.start()])
            start = token.end()
    return [*parts, text[start:]]


def _css_rules(css: str) -> list[tuple[str, str | None]]:
    """Return a stylesheet's top-level rules as (prelude, body); body None for a statement."""
    rules, start, depth, opened = [], 0, 0, 0
    for token in CSS_TOKEN.finditer(css):
        found = token.group()
        if found == "{":
            opened = token.start() if depth == 0 else opened
            depth += 1
        elif found == "}":
            depth -= 1
            if depth == 0:
                rules.append((css[start:opened].strip(), css[opened + 1 : token.start()]))
                start = token.end()
        elif found == ";" and depth == 0:
            rules.append((css[start : token.start()].strip(), None))
            start = token.end()
    return rules


def _selector_used(selector: str, classes: set[str]) -> bool:
    """Return whether every class a selector requires is on a page or added at runtime.

    Classes inside :not(), :is() and the like, and inside attribute selectors, are not
    required: the selector is kept.
    """
    required, start = [], 0
    for match in FUNCTIONAL_PSEUDO_CLASS.finditer(selector):
        if match.start() < start:
            continue  # inside the brackets just skipped
        required.append(selector[start : match.start()])
        depth, start = 1, match.end()
        while depth and start < len(selector):
            depth += {"(": 1, ")": -1}.get(selector[start], 0)
            start += 1
    required.append(selector[start:])
    named = CSS_CLASS.findall(re.sub(r"\[[^\]]*\]", "", "".join(required)))
    return all(name in classes or name.startswith(RUNTIME_CLASS_PREFIX) for name in named)


def _kept_rules(css: str, keep_selector, keep_declaration) -> str:
    """Return css with the selectors and declarations the two functions keep; a rule left
    with neither is dropped."""
    kept = []
    for prelude, body in _css_rules(css):
        if body is None:
            kept.append(f"{prelude};")
        elif prelude.startswith(CSS_GROUPS):
            if inner := _kept_rules(body, keep_selector, keep_declaration):
                kept.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            kept.append(f"{prelude}{{{body}}}")
        else:
            selectors = [s.strip() for s in _css_split(prelude, ",") if keep_selector(s)]
            declarations = [d.strip() for d in _css_split(body, ";") if d.strip()]
            declarations = [d for d in declarations if keep_declaration(d)]
            if selectors and declarations:
                kept.append(f"{','.join(selectors)}{{{';'.join(declarations)}}}")
    return "".join(kept)


def _declarations(css: str) -> list[str]:
    """Return every declaration of css's rules; an at-rule such as @keyframes whole."""
    found = []
    for prelude, body in _css_rules(css):
        if body is None:
            continue
        if prelude.startswith(CSS_GROUPS):
            found += _declarations(body)
        elif prelude.startswith("@"):
            found.append(body)
        else:
            found += _css_split(body, ";")
    return found


def _used_css(css: str, classes: set[str], readers: list[str]) -> str:
    """Return css with only the rules that can match a page carrying these classes, and of
    their custom properties (--name) only those read by a kept rule, by another property
    that is read, or by one of readers (the pages and the site's other stylesheets)."""
    used = _kept_rules(css, lambda selector: _selector_used(selector, classes), bool)
    values: dict[str, list[str]] = {}
    read = {name for text in readers for name in CSS_VARIABLE.findall(text)}
    for declaration in _declarations(used):
        if custom := CSS_CUSTOM_PROPERTY.match(declaration):
            values.setdefault(custom.group(1), []).append(declaration[custom.end() :])
        else:
            read.update(CSS_VARIABLE.findall(declaration))
    unvisited = list(read)
    while unvisited:
        for value in values.get(unvisited.pop(), []):
            for name in set(CSS_VARIABLE.findall(value)) - read:
                read.add(name)
                unvisited.append(name)

    def is_read(declaration: str) -> bool:
        custom = CSS_CUSTOM_PROPERTY.match(declaration)
        return custom is None or custom.group(1) in read

    return _kept_rules(used, bool, is_read)
