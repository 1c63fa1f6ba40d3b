"""Out of the repository: every notebook the site offers, downloaded and run in a fresh
virtual environment, in an empty folder, as a reader runs it; lessons-code comes from
the site itself.

That environment has the package's dependencies and a Jupyter kernel (ipykernel), and
nothing of the repository. The first notebook starts without lessons-code: its own first
cell installs it, by the command the built notebook holds, from the wheel the site
serves (the session's site on a local server, SITE_URL pointed at it), with no package
index in reach.

Making that environment takes half a minute and the package index (for numpy,
matplotlib, pillow and ipykernel; uv takes them from its cache where the project's own
install left them), so these tests run where they are asked for: `.ci/run` sets
LESSONS_REQUIRE_OUTSIDE=1 (a failure to make the environment then fails them). Here,
`LESSONS_REQUIRE_OUTSIDE=1 python -m pytest tests/test_outside.py`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from traitlets.config import Config

from hooks.site.notebooks import INSTALL_CELL_ID
from lessons_code import __version__
from tests.support import processes

pytestmark = pytest.mark.timeout(1800)  # a fresh environment made, then every notebook run
REQUIRED = os.environ.get("LESSONS_REQUIRE_OUTSIDE") == "1"
KERNEL = "lessons-outside"
WHERE_FROM = "import lessons_code\nprint(lessons_code.__file__)"
SITE_URL = re.compile(r'^SITE_URL = "[^"\n]*"$', re.MULTILINE)
"""The line of the install cell that says where the notebook's site is."""

if not REQUIRED:
    pytest.skip(
        "the notebooks' own environment is made where it is asked for: "
        "LESSONS_REQUIRE_OUTSIDE=1 (.ci/run sets it)",
        allow_module_level=True,
    )


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


@pytest.fixture(scope="module")
def wheel(built) -> Path:
    """Return the wheel of lessons-code that the session's site serves."""
    (found,) = (built / "site" / "wheels").glob("lessons_code-*-py3-none-any.whl")
    return found


@pytest.fixture(scope="module")
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
            pytest.fail(f"{' '.join(step[-4:])} failed: {done.stderr[-1500:]}")
    return venv


def downloaded(notebook_path: Path, folder: Path, site_url: str) -> nbformat.NotebookNode:
    """Return a notebook as a reader downloads it from the site at site_url: its install
    cell's SITE_URL is that site's, and a last cell prints where lessons_code came from."""
    notebook = nbformat.read(notebook_path, as_version=4)
    install = install_cell(notebook)
    assert len(SITE_URL.findall(install.source)) == 1, install.source
    install.source = SITE_URL.sub(f"SITE_URL = {json.dumps(site_url)}", install.source)
    notebook.cells.append(nbformat.v4.new_code_cell(WHERE_FROM))
    folder.mkdir()
    nbformat.write(notebook, folder / notebook_path.name)
    return notebook


def execute(notebook: nbformat.NotebookNode, folder: Path, env: dict[str, str]) -> None:
    """Run a notebook in folder, in the outside kernel, its outputs put in its cells."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)  # the kernel starts with this process's environment
    try:
        with tempfile.TemporaryDirectory() as sockets:  # not TCP ports: no race for one
            ipc = {"transport": "ipc", "ip": str(Path(sockets) / "kernel")}
            NotebookClient(
                notebook,
                timeout=600,
                kernel_name=KERNEL,
                shutdown_kernel="immediate",  # its own kernel, shut down when it ends
                config=Config(KernelManager=ipc),
                resources={"metadata": {"path": str(folder)}},
            ).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture(scope="module")
def notebooks_run(built, outside, site_url, tmp_path_factory) -> dict[str, nbformat.NotebookNode]:
    """Return every notebook the build wrote, downloaded from the site served locally and
    each run outside in an empty folder.

    The first one runs before lessons-code is installed: its own install cell installs it,
    from the site, with no package index (PIP_NO_INDEX).
    """
    env = outside_env(
        outside.parent, PATH=f"{outside / 'bin'}{os.pathsep}{os.environ['PATH']}", PIP_NO_INDEX="1"
    )
    folders = tmp_path_factory.mktemp("empty-folders")
    notebooks = sorted((built / "site" / "notebooks").glob("*.ipynb"))
    assert notebooks
    run_ones = {}
    for path in notebooks:
        notebook = downloaded(path, folders / path.stem, site_url)
        execute(notebook, folders / path.stem, env)
        run_ones[path.name] = notebook
    return run_ones


def install_cell(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return the notebook's install cell, which follows its title."""
    (install,) = [cell for cell in notebook.cells if cell.get("id") == INSTALL_CELL_ID]
    return install


def printed(cell) -> str:
    return "".join(output.get("text", "") for output in cell["outputs"])


def test_every_downloaded_notebook_runs_with_only_the_site_and_a_kernel(notebooks_run, outside):
    for name, notebook in notebooks_run.items():
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        errors = [out for cell in code for out in cell.outputs if out.output_type == "error"]
        assert not errors, (name, errors)
        imported_from = Path(printed(code[-1]).strip())
        assert outside in imported_from.parents, f"{name} imported {imported_from}"


def test_the_install_cell_installs_lessons_code_from_the_site(notebooks_run, site_url, wheel):
    first, *others = notebooks_run.values()
    assert f'SITE_URL = "{site_url}"' in install_cell(first).source
    assert f'[SITE_URL + "wheels/{wheel.name}"]' in install_cell(first).source  # its only route
    assert f"Successfully installed lessons-code-{__version__}" in printed(install_cell(first))
    for notebook in others:
        assert printed(install_cell(notebook)) == ""  # installed already: the cell does nothing


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
