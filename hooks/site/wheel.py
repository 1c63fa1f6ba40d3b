"""The package's wheel, served by the site: the first code cell of every notebook installs
lessons-code from it, so a notebook downloaded from a build runs wherever that site can
be reached, before (and without) any release on a package index."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import threading
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from mkdocs.exceptions import PluginError

from . import cache

WHEELS = "wheels"
"""The site's folder for it: wheels/lessons_code-VERSION-py3-none-any.whl."""
PACKAGE_FILES = ("pyproject.toml", "README.md", "LICENSE", "lessons_code")
"""What the wheel is built from: pyproject.toml names the README and the package."""
BUILD_WHEEL = "import sys, setuptools.build_meta as backend; print(backend.build_wheel('.'))"
"""pyproject.toml's build backend, called as pip, build and uv call it (PEP 517), in the
folder of the sources: the wheel is written there, its name printed last."""


class Wheel:
    """The wheel of lessons-code, found in the cache or built, in a thread of its own,
    while the site's figures and numbers are computed.

    Built by setuptools, the build backend pyproject.toml names, from the build's own
    environment (the docs extra names it) and a copy of the sources: nothing is
    downloaded, and nothing is written beside the sources that `mkdocs serve` watches.
    (`pip wheel --no-build-isolation` does the same in twice the time.)
    """

    def __init__(self, root: Path):
        self.root = root
        self.found: Path | None = None
        self.failure: PluginError | None = None
        self.thread = threading.Thread(target=self._find_or_build, daemon=True)
        self.thread.start()

    def path(self) -> Path:
        """Return the wheel, once it is there; fail naming the cause."""
        self.thread.join()
        if self.failure is not None:
            raise self.failure
        return self.found

    def _sources(self) -> list[Path]:
        """Return every file the wheel is built from."""
        found = []
        for name in PACKAGE_FILES:
            path = self.root / name
            tree = sorted(path.rglob("*")) if path.is_dir() else [path]
            found += [file for file in tree if file.is_file() and "__pycache__" not in file.parts]
        return found

    def _find_or_build(self) -> None:
        try:
            sources = self._sources()
            inputs = [version("setuptools").encode()]
            for source in sources:
                inputs += [source.relative_to(self.root).as_posix().encode(), source.read_bytes()]
            folder = self.root / ".cache" / "wheel" / cache.key(*inputs)
            self.found = next(folder.glob("*.whl"), None) or self._build(sources, folder)
        except PackageNotFoundError:
            self.failure = PluginError(
                "the package's wheel needs setuptools: pip install 'setuptools>=77' "
                '(pip install -e ".[docs]" installs it)'
            )
        except (OSError, subprocess.SubprocessError) as error:
            self.failure = PluginError(f"the package's wheel could not be built: {error}")

    def _build(self, sources: list[Path], folder: Path) -> Path:
        """Build the wheel from a copy of the sources; keep it in folder, alone in the cache."""
        with tempfile.TemporaryDirectory() as temporary:
            copy = Path(temporary)
            for source in sources:
                target = copy / source.relative_to(self.root)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
            done = subprocess.run(
                [sys.executable, "-c", BUILD_WHEEL],
                cwd=copy,
                capture_output=True,
                text=True,
                timeout=300,
            )
            if done.returncode != 0:
                said = done.stderr.strip()[-3000:]
                raise subprocess.SubprocessError(f"setuptools said:\n{said}")
            wheel = copy / done.stdout.strip().splitlines()[-1]
            for older in folder.parent.glob("*"):  # only the latest sources come again
                shutil.rmtree(older)
            cache.write_atomically(folder / wheel.name, wheel.read_bytes())
        return folder / wheel.name
