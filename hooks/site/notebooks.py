"""Every notebook of the site (a jupytext `.py` in docs/notebooks/) executed once, here,
into the `.ipynb` that readers download and that the notebook's page is drawn from."""

from __future__ import annotations

import asyncio
import tempfile
import threading
from importlib.metadata import version
from pathlib import Path

import jupytext
import nbformat
from jupyter_client.manager import AsyncKernelManager
from mkdocs.exceptions import PluginError
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from . import cache

NOTEBOOKS = "notebooks"
"""The folder of docs/ that holds the notebooks, and of the site that offers them."""
NOTEBOOK_TIMEOUT = 900  # seconds one cell may take: training on real MNIST included


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


def install_cell(repo_url: str) -> str:
    """Return the first cell of every notebook: install lessons-code where it is missing.

    From the repository the site names (REPO_URL), else from the package index.
    """
    package = f"lessons-code @ git+{repo_url}" if repo_url else "lessons-code"
    return INSTALL_CELL.format(package=package)


class Notebooks:
    """Every notebook of the site executed into its .ipynb, in a thread of its own, a few
    kernels at a time, while the site's figures and numbers are computed."""

    KERNELS_AT_ONCE = 3

    def __init__(self, key: str | None, folder: Path, root: Path):
        self.key, self.root = key, root
        self.executed: dict[str, tuple[Path, nbformat.NotebookNode]] = {}
        self.failure: PluginError | None = None
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

    def path(self, source: Path, first_cell: str) -> Path:
        """Return the .ipynb readers get, once every notebook has run: the notebook
        executed, with first_cell (the install cell) put in before its own cells.

        The install cell is put in after the run: where the notebook runs here, the
        package is there and the cell would do nothing, so the outputs do not depend on
        which repository the site names (REPO_URL), and neither does the cache.
        """
        self.thread.join()
        if self.failure is not None:
            raise self.failure
        cached, notebook = self.executed[source.name]
        # A fixed id (nbformat draws a random one): the same notebook every build, so
        # mkdocs-jupyter's cache, keyed on the file's bytes, keeps its page.
        notebook.cells.insert(0, nbformat.v4.new_code_cell(first_cell, id="install-lessons-code"))
        suffix = cache.key(first_cell.encode())[:8]
        readers = cached.parent.parent / f"with-install-{suffix}" / NOTEBOOKS / cached.name
        content = nbformat.writes(notebook).encode("utf-8")
        if not readers.is_file() or readers.read_bytes() != content:
            cache.write_atomically(readers, content)  # else untouched: mkdocs-jupyter's cache holds
        return readers

    async def _executed(self, source: Path) -> tuple[Path, nbformat.NotebookNode]:
        """Return a notebook executed, and where it is cached: run only if not cached."""
        key = cache.key(
            self.key.encode(),
            source.read_bytes(),
            version("jupytext").encode(),
            version("nbclient").encode(),
        )
        cached = self.root / ".cache" / "ipynb" / key / NOTEBOOKS / f"{source.stem}.ipynb"
        try:
            notebook = nbformat.reads(cached.read_text(encoding="utf-8"), as_version=4)
        except (OSError, ValueError):  # not run yet, or a truncated cache file: run it
            notebook = await self._run(source)
            cache.write_atomically(cached, nbformat.writes(notebook).encode("utf-8"))
        return cached, notebook

    @staticmethod
    async def _run(source: Path) -> nbformat.NotebookNode:
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
