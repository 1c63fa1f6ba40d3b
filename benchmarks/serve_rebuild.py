"""Seconds from saving a Markdown page to the rebuilt site, while `mkdocs serve` runs.

Target: at most 3 s on a 2-core machine. The project is copied to a temporary folder;
the edit appends a sentence to the glossary, as a contributor fixing a sentence would.

    python benchmarks/serve_rebuild.py
"""

from __future__ import annotations

import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from build_time import build_env, copy_project

TARGET_SECONDS = 3.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def measure(edits: int = 3) -> float:
    """Return the median seconds from a saved edit to "Reloading browsers"."""
    with tempfile.TemporaryDirectory() as folder:
        project = copy_project(Path(folder))
        env = build_env(project)
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{_free_port()}"],
            cwd=project,
            env=env,
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
    return sorted(times)[len(times) // 2]


def main() -> None:
    """Print the figure."""
    seconds = measure()
    verdict = "meets" if seconds <= TARGET_SECONDS else "MISSES"
    print(f"edit one page while serving: {seconds:.2f} s ({verdict} ≤ {TARGET_SECONDS:.0f} s)")


if __name__ == "__main__":
    main()
