"""A contributor's waits: the README's two commands, timed as a newcomer runs them.

- The first command, from a fresh clone to a served site: a new virtual environment, uv
  from the package index with an empty cache (nothing downloaded before), the docs extra,
  then `mkdocs serve` until it serves, on the bundled sample as a fresh machine has.
- The second command's pytest, in this environment (the test extra installed): the whole
  default run, as CI runs it.

Targets on a 2-core machine: the first command at most 60 s, pytest at most 100 s.
`.ci/run` stamps each of its steps with the seconds since it started; its last line is
the whole run's time (target: at most 5 minutes).

    python -m benchmarks.contributor            # both
    python -m benchmarks.contributor serve      # the first command only
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.support import REPO, free_port, processes

TARGET_SERVE_SECONDS, TARGET_PYTEST_SECONDS = 60.0, 100.0
GIVE_UP_SECONDS = 1800  # a measurement this far over its target has failed


def readme_commands() -> list[str]:
    """Return the README's two set-up commands, as a newcomer copies them."""
    blocks = re.findall(r"```bash\n(.*?)\n```", (REPO / "README.md").read_text(), re.S)
    return blocks[:2]


def first_command_seconds() -> float:
    """Return the seconds from a fresh clone to the first page served by the README's
    first command (its `mkdocs serve` given a free port)."""
    port = free_port()  # not one another server may already answer on
    command = readme_commands()[0].replace("mkdocs serve", f"mkdocs serve -a 127.0.0.1:{port}")
    with tempfile.TemporaryDirectory() as folder:
        clone = Path(folder) / "clone"
        processes.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
        # No real MNIST (the bundled sample, as on a fresh machine) and no caches.
        hidden = {"VIRTUAL_ENV", "PYTHONPATH", "LESSONS_DATA"}
        env = {k: v for k, v in os.environ.items() if k not in hidden}
        env.update(
            XDG_CACHE_HOME=str(Path(folder) / "cache"),
            UV_CACHE_DIR=str(Path(folder) / "uv-cache"),  # nothing downloaded before
            NO_MKDOCS_2_WARNING="1",
        )
        started = time.perf_counter()
        server = subprocess.Popen(
            ["bash", "-c", command],
            cwd=clone,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            while server.poll() is None and time.perf_counter() - started < GIVE_UP_SECONDS:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1):
                        return time.perf_counter() - started
                except OSError:
                    time.sleep(0.25)
            raise RuntimeError(f"the README's first command never served: {shlex.quote(command)}")
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)


def pytest_seconds() -> float:
    """Return the seconds the README's second command's pytest takes here."""
    started = time.perf_counter()
    processes.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=REPO,
        check=True,
        timeout=GIVE_UP_SECONDS,
    )
    return time.perf_counter() - started


def main(argv: list[str]) -> None:
    """Print the figures."""
    figures = [
        (
            "README's first command, fresh clone to served site",
            first_command_seconds,
            TARGET_SERVE_SECONDS,
        )
    ]
    if argv != ["serve"]:
        figures.append(("pytest, the README's test command", pytest_seconds, TARGET_PYTEST_SECONDS))
    for label, measure, target in figures:
        seconds = measure()
        verdict = "meets" if seconds <= target else "MISSES"
        print(f"{label}: {seconds:.1f} s ({verdict} ≤ {target:.0f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
