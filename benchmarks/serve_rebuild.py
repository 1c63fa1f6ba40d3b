"""`mkdocs serve` for a contributor: seconds until it serves on a warm cache, and seconds
from saving a Markdown page to the rebuilt site.

Targets on a 2-core machine: ready in at most 3 s, an edit shown in at most 1 s. The
project is copied to a temporary folder and built once (the warm cache); the edit
appends a sentence to the glossary, as a contributor fixing a sentence would.

    python -m benchmarks.serve_rebuild
"""

from __future__ import annotations

import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.support import build_env, copy_project, free_port, real_mnist_env, timed_build

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
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{free_port()}"],
            cwd=project,
            env=build_env(project, **real_mnist_env()),
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(x) for x in server.stderr], daemon=True).start()

        def wait_for(text: str, timeout: float = 300) -> None:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                try:
                    if text in lines.get(timeout=1):
                        return
                except queue.Empty:
                    if server.poll() is not None:
                        break
            raise RuntimeError(f"mkdocs serve never said {text!r}")

        try:
            wait_for("Serving on")
            ready = time.perf_counter() - started
            times = []
            page = project / "docs" / "glossary.md"
            for edit in range(edits):
                time.sleep(1.5)  # let the watcher settle
                started = time.perf_counter()
                page.write_text(page.read_text() + f"\nA contributor's sentence, edit {edit}.\n")
                wait_for("Reloading browsers")
                times.append(time.perf_counter() - started)
        finally:
            server.terminate()
            server.wait(timeout=30)
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
