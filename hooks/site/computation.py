"""`python -m lessons_code.website` in a fresh process: every figure, number and widget's
data of the site, found in the cache under a key of every input or made."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.build")

ONE_BLAS_THREAD = {
    name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
}
"""The lessons compute with one BLAS thread a process, in the build and in the notebooks:
the computation and the notebooks run side by side on the machine's cores, and the
numbers do not depend on how many cores it has."""


@dataclass(frozen=True)
class Computed:
    """What the computation made: its cache entry, read once it is complete."""

    entry: Path  # the cache folder holding every computed file
    manifest: dict  # the figures (files, alt text, size) and the data files in entry
    data_folder: Path  # the MNIST files the lessons read (`mkdocs serve` watches them)
    numbers: dict  # numbers.json: every number a page may state
    key: str  # the cache key of every input


def inputs_seen(root: Path, data_folder: Path | None) -> tuple:
    """Return where the data comes from, then the name, size and modification time of
    every file the computation's cache key reads: the lessons' sources, the data's files."""
    sources = sorted((root / "lessons_code").rglob("*.py"))
    data = sorted(p for p in data_folder.rglob("*") if p.is_file()) if data_folder else []
    where = os.environ.get("LESSONS_DATA"), os.environ.get("XDG_CACHE_HOME")
    return where, _stats(sources), _stats(data)


def _stats(paths: list[Path]) -> tuple:
    return tuple((str(path), *_size_and_time(path)) for path in paths)


def _size_and_time(path: Path) -> tuple[int, int]:
    try:
        found = path.stat()
    except OSError:  # gone since it was listed: seen as changed
        return -1, -1
    return found.st_size, found.st_mtime_ns


def unchanged(kept: dict, root: Path) -> Computed | None:
    """Return the last build's Computed in this process (`mkdocs serve`), where no file its
    key reads has changed since and its cache entry is still whole; else None.

    A rebuild after a page's edit then starts no computation: starting Python, numpy and
    the checksums of every computed file was most of a second of each edit shown."""
    last: Computed | None = kept.get("computed")
    if last is None or kept.get("seen") != inputs_seen(root, last.data_folder):
        return None
    return last if (last.entry / "manifest.json").is_file() else None


def keep(kept: dict, root: Path, computed: Computed, seen_before: tuple) -> None:
    """Remember computed for the next build in this process, with the files it was made
    from: the lessons' sources as they were when it started, the data as it is now (a
    source saved while it ran leaves nothing to reuse)."""
    now = inputs_seen(root, computed.data_folder)
    same_sources = now[:2] == seen_before[:2]
    kept.update(computed=computed, seen=now if same_sources else None)


class Computation:
    """`python -m lessons_code.website`, running in a fresh process while the notebooks
    and the wheel are made."""

    def __init__(self, root: Path):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "lessons_code.website", str(root / ".cache" / "site")],
            cwd=root,
            env=os.environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,  # unbuffered: the first line read here, the rest by communicate()
        )
        self.key: str | None = json.loads(self.process.stdout.readline() or b"{}").get("key")
        """The cache key of every input, printed first: the notebooks are cached under it."""

    def result(self) -> Computed:
        """Wait for the computed files; return where they are, or fail naming the cause."""
        printed, said = (output.decode() for output in self.process.communicate())
        if self.process.returncode != 0 or self.key is None:
            raise PluginError(
                "the site's figures and numbers could not be made "
                f"(python -m lessons_code.website):\n{said.strip()[-3000:]}"
            )
        for line in said.splitlines():
            log.info(line)
        found = json.loads(printed.strip().splitlines()[-1])
        entry = Path(found["entry"])
        return Computed(
            entry=entry,
            manifest=json.loads((entry / "manifest.json").read_text()),
            data_folder=Path(found["data_folder"]),
            numbers=json.loads((entry / "data" / "numbers.json").read_text()),
            key=self.key,
        )
