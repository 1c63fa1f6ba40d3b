"""Every notebook of the site (a jupytext `.py` in docs/notebooks/) executed once, here,
into the `.ipynb` that readers download and that the notebook's page is drawn from."""

from __future__ import annotations

import asyncio
import contextlib
import json
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
STOP_SECONDS = 60  # at most this long to stop the notebooks and their kernels


INSTALL_CELL_ID = "install-lessons-code"
"""The install cell's id: fixed (nbformat draws a random one), and tests find it by it."""
INSTALL_CELL = """\
# Colab, Binder or a new environment: install the lessons' package if it is missing,
# from the site this notebook comes from. Where lessons_code is installed already,
# this cell does nothing.
import importlib.util
import subprocess
import sys

SITE_URL = {site_url}
if importlib.util.find_spec("lessons_code") is None:
    for package in [{packages}]:
        pip = [sys.executable, "-m", "pip", "install", package]
        done = subprocess.run(pip, capture_output=True, text=True)
        print(done.stdout[-2000:], done.stderr[-2000:])  # pip's own words, here in the notebook
        if done.returncode == 0:
            break
    done.check_returncode()
    importlib.invalidate_caches()"""


def install_cell(site_url: str, wheel: str, repo_url: str) -> str:
    """Return the install cell of every notebook: install lessons-code where it is missing.

    From the wheel the site at site_url serves (wheel: its path there), else from the
    repository the site names (repo_url, REPO_URL), if it names one.
    """
    packages = ["SITE_URL + " + json.dumps(wheel)]
    if repo_url:
        packages.append(json.dumps(f"lessons-code @ git+{repo_url}"))
    return INSTALL_CELL.format(site_url=json.dumps(site_url), packages=", ".join(packages))


class Notebooks:
    """Every notebook of the site executed into its .ipynb, in a thread of its own, a few
    kernels at a time, while the site's figures and numbers are computed.

    Each kernel is shut down when its notebook ends, whether it ran, failed or was
    stopped: `stop()` ends the notebooks still running (a build that fails elsewhere).
    """

    KERNELS_AT_ONCE = 3

    def __init__(self, key: str | None, folder: Path, root: Path):
        self.key, self.root = key, root
        self.executed: dict[str, tuple[Path, nbformat.NotebookNode]] = {}
        self.failure: PluginError | None = None
        sources = sorted(folder.glob("*.py")) if key else []
        self.running = threading.Event()  # set once stop() can reach the notebooks' loop
        # A daemon, that a process ending mid-build does not wait for: a failed build
        # stops it first (stop()), so that no kernel outlives it.
        self.thread = threading.Thread(target=self._run_loop, args=(sources,), daemon=True)
        self.thread.start()

    def _run_loop(self, sources: list[Path]) -> None:
        with contextlib.suppress(asyncio.CancelledError):  # stopped: every kernel shut down
            asyncio.run(self._run_all(sources))

    def stop(self) -> None:
        """Stop the notebooks still running; return once their kernels are shut down."""
        if self.thread.is_alive():
            self.running.wait()
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: all ended
                self.loop.call_soon_threadsafe(self.task.cancel)
            self.thread.join(timeout=STOP_SECONDS)
            self.failure = self.failure or PluginError("the notebooks were stopped halfway")

    async def _run_all(self, sources: list[Path]) -> None:
        self.loop, self.task = asyncio.get_running_loop(), asyncio.current_task()
        self.running.set()
        turns = asyncio.Semaphore(self.KERNELS_AT_ONCE)

        async def run(source: Path) -> None:
            async with turns:
                self.executed[source.name] = await self._executed(source)

        tasks = [asyncio.ensure_future(run(source)) for source in sources]
        try:
            for finished in asyncio.as_completed(tasks):
                await finished
        except PluginError as error:
            self.failure = error
        finally:
            for task in tasks:  # after a failure or a stop(), the others stop too
                task.cancel()
            # Each one's kernel shut down; what they raised once stopped is of no interest.
            await asyncio.gather(*tasks, return_exceptions=True)

    def path(self, source: Path, install: str) -> Path:
        """Return the .ipynb readers get, once every notebook has run: the notebook
        executed, with install (the install cell) put in after its title, the first
        cell when it is markdown: a reader sees what the notebook is before its set-up.

        The install cell is put in after the run: where the notebook runs here, the
        package is there and the cell would do nothing, so the outputs do not depend on
        where the site is or which repository it names, and neither does the cache.
        """
        self.thread.join()
        if self.failure is not None:
            raise self.failure
        cached, notebook = self.executed[source.name]
        # A fixed id: the same notebook every build, so mkdocs-jupyter's cache, keyed
        # on the file's bytes, keeps its page.
        titled = bool(notebook.cells) and notebook.cells[0].cell_type == "markdown"
        cell = nbformat.v4.new_code_cell(install, id=INSTALL_CELL_ID)
        notebook.cells.insert(1 if titled else 0, cell)
        suffix = cache.key(install.encode())[:8]
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
            except Exception as error:  # a kernel that died, or would not start in time
                raise PluginError(f"notebook {source.name} could not be run: {error}") from None
            finally:
                await _shut_down(client, kernel)
        return notebook


async def _shut_down(client: NotebookClient, kernel: AsyncKernelManager) -> None:
    """Stop a notebook's kernel, and the client's channels to it, in whatever state its
    run left them: finished, failed, or cancelled while the kernel was starting.

    nbclient leaves alone a kernel it was given (it shuts down only those it starts), and
    a kernel that is never shut down lives until the build's process ends.
    """
    if client.kc is not None:
        client.kc.stop_channels()
    if kernel.has_kernel:
        await kernel.shutdown_kernel(now=True)
