"""`mkdocs serve` for a contributor: seconds until it serves on a warm cache, and seconds
from saving a Markdown page to the rebuilt site.

Targets on a 2-core machine: ready in at most 3 s, an edit shown in at most 1 s. The
project is copied to a temporary folder and built once (the warm cache); the edit
appends a sentence to the glossary, as a contributor fixing a sentence would.

    python -m benchmarks.serve_rebuild
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from tests.support import (
    build_env,
    copy_project,
    free_port,
    processes,
    real_mnist_env,
    timed_build,
)

TARGET_READY_SECONDS, TARGET_EDIT_SECONDS = 3.0, 1.0


def measure(edits: int = 3) -> dict[str, float]:
    """Return the seconds until `mkdocs serve` serves, and the median from an edit to
    "Reloading browsers"."""
    with tempfile.TemporaryDirectory() as folder:
        project = copy_project(Path(folder))
        timed_build(
            project, **real_mnist_env()
        )  # the warm cache a contributor has after a first build
        started = time.perf_counter()
        serve = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{free_port()}"]
        env = build_env(project, **real_mnist_env())
        with processes.started(serve, cwd=project, env=env) as server:
            server.stderr.until("Serving on", timeout=300)
            ready = time.perf_counter() - started
            times = []
            page = project / "docs" / "glossary.md"
            for edit in range(edits):
                time.sleep(1.5)  # let the watcher settle
                started = time.perf_counter()
                page.write_text(page.read_text() + f"\nA contributor's sentence, edit {edit}.\n")
                server.stderr.until("Reloading browsers", timeout=300)
                times.append(time.perf_counter() - started)
    return {"ready_seconds": ready, "edit_seconds": sorted(times)[len(times) // 2]}


def main() -> None:
    """Print the figures."""
    result = measure()
    for name, target in (("ready", TARGET_READY_SECONDS), ("edit", TARGET_EDIT_SECONDS)):
        seconds = result[f"{name}_seconds"]
        verdict = "meets" if seconds <= target else "MISSES"
        label = {"ready": "serving, warm cache", "edit": "edit one page shown"}[name]
        print(f"{label}: {seconds:.2f} s ({verdict} ≤ {target:.0f} s)")


if __name__ == "__main__":
    main()
