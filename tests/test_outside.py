"""Out of the repository: the built wheel in a fresh virtual environment, and every
notebook the site offers run there, copied into an empty folder, as a reader runs it.

That environment has the wheel, its dependencies and a Jupyter kernel (ipykernel), and
nothing of the repository. The first notebook starts without lessons-code: its install
cell must fetch it (from a package index that holds only the built wheel).

Making that environment takes half a minute and the package index, so these tests run
where they are asked for: `.ci/run` builds the wheel and sets LESSONS_WHEEL=path/to.whl
and LESSONS_REQUIRE_OUTSIDE=1 (a failure to make the environment then fails). Here,
`LESSONS_REQUIRE_OUTSIDE=1 python -m pytest tests/test_outside.py` builds the wheel
itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

from lessons_code import __version__
from tests.support import REPO, processes

pytestmark = pytest.mark.timeout(1800)  # a fresh environment made, then every notebook run
REQUIRED = os.environ.get("LESSONS_REQUIRE_OUTSIDE") == "1"
KERNEL = "lessons-outside"
PACKAGE_FILES = ("pyproject.toml", "README.md", "LICENSE", "lessons_code")
WHERE_FROM = "import lessons_code\nprint(lessons_code.__file__)"


def unavailable(why: str) -> None:
    """Skip, or fail where these tests are required."""
    (pytest.fail if REQUIRED else pytest.skip)(why)


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    return processes.run(args, timeout=900, **kwargs)


def outside_env(home: Path, **extra: str) -> dict[str, str]:
    """Return an environment that reaches nothing of the repository or of real MNIST."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "LESSONS_DATA", "VIRTUAL_ENV"}
    }
    jupyter = home / "share" / "jupyter"  # where `ipykernel install --prefix home` puts KERNEL
    env.update(XDG_CACHE_HOME=str(home / "cache"), JUPYTER_PATH=str(jupyter), **extra)
    return env


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """Return the wheel of lessons-code: $LESSONS_WHEEL, or built from a copy of the sources."""
    if os.environ.get("LESSONS_WHEEL"):
        return Path(os.environ["LESSONS_WHEEL"]).resolve()
    if not REQUIRED:
        pytest.skip(
            "the wheel's own environment is made where it is asked for: .ci/run sets "
            "LESSONS_WHEEL; LESSONS_REQUIRE_OUTSIDE=1 makes it here"
        )
    sources = tmp_path_factory.mktemp("sources")
    for name in PACKAGE_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, sources / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, sources / name)
    dist = tmp_path_factory.mktemp("dist")
    built = run(sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(sources))
    if built.returncode != 0:
        unavailable(f"python -m build could not build the wheel: {built.stderr[-1500:]}")
    (found,) = dist.glob("*.whl")
    return found


@pytest.fixture(scope="session")
def outside(wheel, tmp_path_factory) -> Path:
    """Return a fresh virtual environment (outside the repository) with the wheel's
    dependencies and a kernel named KERNEL, but not lessons-code itself."""
    home = tmp_path_factory.mktemp("outside")
    venv = home / "venv"
    python = venv / "bin" / "python"
    if shutil.which("uv"):  # .ci/run has it: a third of pip's time
        install = ["uv", "pip", "install", "--quiet", "--python", str(python)]
        uninstall = ["uv", "pip", "uninstall", "--quiet", "--python", str(python)]
    else:
        install = [str(python), "-m", "pip", "install", "--quiet"]
        uninstall = [str(python), "-m", "pip", "uninstall", "--quiet", "--yes"]
    steps = [
        [sys.executable, "-m", "venv", str(venv)],
        [*install, str(wheel), "ipykernel"],
        [*uninstall, "lessons-code"],
        [str(python), "-m", "ipykernel", "install", "--prefix", str(home), "--name", KERNEL],
    ]
    # uv's own cache, where the project's install left numpy, matplotlib and the rest
    cache = run("uv", "cache", "dir").stdout.strip() if shutil.which("uv") else ""
    for step in steps:
        done = run(
            *step, cwd=home, env=outside_env(home, **({"UV_CACHE_DIR": cache} if cache else {}))
        )
        if done.returncode != 0:
            unavailable(f"{' '.join(step[-4:])} failed: {done.stderr[-1500:]}")
    return venv


def execute(notebook_path: Path, folder: Path, env: dict[str, str]) -> nbformat.NotebookNode:
    """Run a copy of the notebook in folder, in the outside kernel; return it executed.

    A last cell is added that prints where lessons_code was imported from.
    """
    folder.mkdir()
    copy = folder / notebook_path.name
    shutil.copy2(notebook_path, copy)
    notebook = nbformat.read(copy, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(WHERE_FROM))
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)  # the kernel starts with this process's environment
    try:
        with tempfile.TemporaryDirectory() as sockets:  # not TCP ports: no race for one
            kernel = AsyncKernelManager(
                kernel_name=KERNEL, transport="ipc", ip=str(Path(sockets) / "kernel")
            )
            client = NotebookClient(
                notebook,
                km=kernel,
                timeout=600,
                kernel_name=KERNEL,
                resources={"metadata": {"path": str(folder)}},
            )
            client.execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return notebook


@pytest.fixture(scope="module")
def notebooks_run(built, outside, wheel, tmp_path_factory) -> dict[str, nbformat.NotebookNode]:
    """Return every notebook the build wrote, each run outside in an empty folder.

    The first one runs before lessons-code is installed: its own first cell installs it,
    from an index holding only the built wheel (the package index's stand-in, offline).
    """
    home = outside.parent
    env = outside_env(
        home,
        PATH=f"{outside / 'bin'}{os.pathsep}{os.environ['PATH']}",
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheel.parent),
    )
    folders = tmp_path_factory.mktemp("empty-folders")
    notebooks = sorted((built / "site" / "notebooks").glob("*.ipynb"))
    assert notebooks
    return {path.name: execute(path, folders / path.stem, env) for path in notebooks}


def printed(cell) -> str:
    return "".join(output.get("text", "") for output in cell["outputs"])


def test_every_downloaded_notebook_runs_with_only_the_wheel_and_a_kernel(notebooks_run, outside):
    for name, notebook in notebooks_run.items():
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        errors = [out for cell in code for out in cell.outputs if out.output_type == "error"]
        assert not errors, (name, errors)
        imported_from = Path(printed(code[-1]).strip())
        assert outside in imported_from.parents, f"{name} imported {imported_from}"


def test_the_first_cell_installs_lessons_code_where_it_is_missing(notebooks_run, outside):
    first, *others = notebooks_run.values()
    assert "Successfully installed lessons-code" in printed(first.cells[0])
    for notebook in others:
        assert printed(notebook.cells[0]) == ""  # installed already: the cell does nothing


def test_the_wheel_trains_offline_in_an_empty_folder(notebooks_run, outside, tmp_path):
    env = outside_env(outside.parent)
    lessons = str(outside / "bin" / "lessons")
    version = run(lessons, "--version", cwd=tmp_path, env=env)
    assert version.stdout.strip() == f"lessons {__version__}"
    trained = run(lessons, "train", "--epochs", "2", "--json", cwd=tmp_path, env=env)
    assert trained.returncode == 0, trained.stderr
    summary = json.loads(trained.stdout)
    assert summary["data_source"].startswith("bundled sample")
    assert summary["train_size"] == 800 and len(summary["history"]) == 2
