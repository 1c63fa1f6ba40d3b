"""`mkdocs serve` leaves no notebook kernel behind: each kernel a build starts is shut
down when its notebook ends, a failed build stops the notebooks it started and says its
own error only, and stopping the server (Ctrl-C) leaves no kernel running.

A real `mkdocs serve` in a copy of the project with two small notebooks of its own, on
the session build's cache: each edit of the notebooks runs them again (a lesson edit
would too, but it also computes every figure and number of the site again, a minute of
work that tells nothing more about kernels).
"""

from __future__ import annotations

import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from urllib.request import urlopen

import psutil
import pytest

from tests.support import broken_function, build_env, free_port, stub_project

NOTEBOOKS = ("first", "second")
EDITS = 3
NOISE = (
    "Parent appears to have exited",  # a kernel whose build's process never shut it down
    "Kernel died",
    "Exception in thread",
    "Task exception was never retrieved",
    "unhandled exception",
    "ZMQError",
)
"""What a build's kernels printed when they outlived it or were cut off halfway."""
SERVE = """
import runpy, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even from a background job
sys.argv = ["mkdocs", "serve", "-a", sys.argv[1]]
runpy.run_module("mkdocs", run_name="__main__")
"""
"""`mkdocs serve -a ADDRESS`, stopped by Ctrl-C as at a terminal: a job started in the
background inherits SIGINT ignored, and Python then never turns it into KeyboardInterrupt."""
BUILT = ("Reloading browsers", "An error happened")
"""What `mkdocs serve` says when a rebuild is done, or has failed."""


def notebook(edit: int, seconds: float = 0) -> str:
    """Return a notebook in jupytext's percent format that prints its edit's number."""
    return f"# %%\nimport time\n\ntime.sleep({seconds})\nprint('edit {edit}')\n"


class Serve:
    """`mkdocs serve` in project, its log read line by line as it comes."""

    def __init__(self, project):
        self.url = f"http://127.0.0.1:{free_port()}/"
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVE, self.url[7:-1]],
            cwd=project,
            env=build_env(project),
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.said: list[str] = []
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self) -> None:
        for line in self.process.stderr:
            self.lines.put(line)

    def until(self, *endings: str, timeout: float = 240) -> str:
        """Return what the server says until a line holding one of endings."""
        said = self._read(timeout, endings)
        if not any(ending in said for ending in endings):
            pytest.fail(f"mkdocs serve never said any of {endings}:\n{said[-3000:]}")
        return said

    def rebuilt(self) -> str:
        """Return what the server says from an edit until it has rebuilt for it all (a
        watcher may see one edit of two files as two changes)."""
        said = self.until(*BUILT)
        while "Detected file changes" in (more := self._read(2, ("Detected file changes",))):
            said += more + self.until(*BUILT)
        return said

    def _read(self, seconds: float, endings: tuple[str, ...]) -> str:
        deadline, said = time.monotonic() + seconds, []
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=min(1, seconds))
            except queue.Empty:
                assert self.process.poll() is None, "mkdocs serve ended:\n" + "".join(said)
                continue
            said.append(line)
            self.said.append(line)
            if any(ending in line for ending in endings):
                break
        return "".join(said)

    def kernels(self) -> list[psutil.Process]:
        """Return the notebook kernels alive among the server's child processes."""
        children = psutil.Process(self.process.pid).children(recursive=True)
        return [child for child in children if _is_kernel(child)]

    def stop(self) -> None:
        """Stop the server as a person does, with Ctrl-C; kill it, and fail, if it does not."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                pytest.fail("mkdocs serve did not stop on Ctrl-C")
        self.said.append(self.process.stderr.read())


def _is_kernel(process: psutil.Process) -> bool:
    try:
        return any("ipykernel_launcher" in part for part in process.cmdline())
    except psutil.Error:  # ended meanwhile
        return False


def kernels_of(project) -> list[psutil.Process]:
    """Return every kernel alive on the machine that a build of project started."""
    found = []
    for process in psutil.process_iter():
        try:
            if _is_kernel(process) and process.environ().get("PYTHONPATH") == str(project):
                found.append(process)
        except psutil.Error:
            continue
    return found


@pytest.fixture
def project(built, tmp_path):
    """Return a copy of the project with one page and two notebooks, and the session's
    cache: the computation is found in it, the notebooks run."""
    project = stub_project(tmp_path, "# Home\n")
    shutil.copytree(built / ".cache", project / ".cache")
    (project / "docs" / "notebooks").mkdir()
    config = project / "mkdocs.yml"
    nav = "".join(f"      - {name}: notebooks/{name}.py\n" for name in NOTEBOOKS)
    config.write_text(config.read_text() + "  - Notebooks:\n" + nav)
    edit(project, 0)
    return project


def edit(project, number: int, seconds: float = 0) -> None:
    for name in NOTEBOOKS:
        (project / "docs" / "notebooks" / f"{name}.py").write_text(notebook(number, seconds))


def test_no_kernel_outlives_its_build(project):
    serve = Serve(project)
    try:
        serve.until("Serving on")
        assert serve.kernels() == []
        for number in range(1, EDITS + 1):
            time.sleep(1)  # the watcher has seen the last edit whole
            edit(project, number)
            rebuilt = serve.rebuilt()
            assert "Reloading browsers" in rebuilt, rebuilt[-3000:]
            assert serve.kernels() == [], f"edit {number} left kernels running"
            with urlopen(f"{serve.url}notebooks/first/", timeout=30) as page:
                assert f"edit {number}" in page.read().decode()

        # A build that fails while its notebooks run: the lesson they import breaks (its
        # computation fails), and the notebooks would take a minute. They are stopped.
        time.sleep(1)
        lesson = project / "lessons_code" / "linear_model.py"
        working = lesson.read_text()
        lesson.write_text(broken_function(working, "train", "a broken lesson"))
        edit(project, EDITS + 1, seconds=60)
        failed = serve.rebuilt()  # one failed build, or two if the watcher saw two edits
        assert "a broken lesson" in failed and "Reloading browsers" not in failed, failed
        # Every traceback is the computation's, quoted by the build's error (MkDocs says
        # an error once: a second build failing alike says only "Aborted"): no other one
        tracebacks = failed.count("Traceback (most recent call last)")
        assert tracebacks == failed.count("RuntimeError: a broken lesson") >= 1, failed
        assert serve.kernels() == []

        # Ctrl-C while a build's notebooks run: none outlives the server.
        time.sleep(1)
        lesson.write_text(working)
        edit(project, EDITS + 2, seconds=120)
        deadline = time.monotonic() + 120
        while not serve.kernels() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert serve.kernels(), "the notebooks never started"
    finally:
        serve.stop()
    said = "".join(serve.said)
    for noise in NOISE:
        assert noise not in said, f"{noise!r} in:\n{said[-3000:]}"
    time.sleep(2)  # a kernel that outlived the server would say so within a second
    assert kernels_of(project) == []
