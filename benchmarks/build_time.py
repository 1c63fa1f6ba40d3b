"""Clean build time of the site, unchanged-rebuild time, and their ratio.

Targets on a 2-core machine: clean build at most 60 s, unchanged rebuild at most 10% of it.
The project is copied to a temporary folder so that "clean" means no cache at all.

    python benchmarks/build_time.py          # on whatever data the build finds
    LESSONS_DATA=../shared/data/mnist python benchmarks/build_time.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_MNIST = REPO.parent / "shared" / "data" / "mnist"
PROJECT_FILES = ("mkdocs.yml", "docs", "hooks", "lessons_code")
TARGET_CLEAN_SECONDS, TARGET_RATIO = 60.0, 0.10


def copy_project(destination: Path) -> Path:
    """Copy the files a build needs into destination, without caches or a built site."""
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(
                source, destination / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(source, destination / name)
    return destination


def shared_mnist() -> Path | None:
    """Return ../shared/data/mnist beside the repository, or None when it is absent."""
    return SHARED_MNIST if SHARED_MNIST.is_dir() else None


def build_env(project: Path) -> dict[str, str]:
    """Return the environment for MkDocs run in a copy of the project."""
    env = {**os.environ, "PYTHONPATH": str(project), "NO_MKDOCS_2_WARNING": "1"}
    if env.get("LESSONS_DATA"):  # the build runs elsewhere: keep a relative folder valid
        env["LESSONS_DATA"] = str(Path(env["LESSONS_DATA"]).resolve())
    return env


def timed_build(project: Path) -> float:
    """Return the wall time of `mkdocs build --strict` in project; raise if it fails."""
    env = build_env(project)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
        cwd=project,
        env=env,
        check=True,
    )
    return time.perf_counter() - started


IN_PROCESS = """
import json, logging, time
logging.getLogger("mkdocs").setLevel(logging.WARNING)
t0 = time.perf_counter()
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(strict=True)
t1 = time.perf_counter()
build(config)  # the first build in this process; the rebuild after it is the one timed
t2 = time.perf_counter()
build(load_config(strict=True))
t3 = time.perf_counter()
print(json.dumps({"start": t1 - t0, "again": t3 - t2}))
"""


def in_process_rebuild(project: Path) -> dict[str, float]:
    """Return how a rebuild's time splits: loading MkDocs and its plugins, and building.

    `again` is a rebuild inside a process that has MkDocs loaded, as `mkdocs serve` does.
    """
    result = subprocess.run(
        [sys.executable, "-c", IN_PROCESS],
        cwd=project,
        env=build_env(project),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure() -> dict:
    """Return the clean and unchanged-rebuild times and their ratio, and the site's weights."""
    from site_weight import page_weights, site_size

    with tempfile.TemporaryDirectory() as folder:
        project = copy_project(Path(folder))
        clean = timed_build(project)
        rebuild = min(timed_build(project) for _ in range(3))
        split = min((in_process_rebuild(project) for _ in range(3)), key=lambda t: t["again"])
        weights = page_weights(project / "site")
        total = site_size(project / "site")
    heaviest = max(weights, key=weights.get)
    return {
        "clean_seconds": clean,
        "rebuild_seconds": rebuild,
        "ratio": rebuild / clean,
        "loading_seconds": split["start"],
        "in_process_rebuild_seconds": split["again"],
        "in_process_ratio": split["again"] / clean,
        "heaviest_page": heaviest,
        "heaviest_page_bytes": weights[heaviest],
        "site_bytes": total,
    }


def main() -> None:
    """Print the figures."""
    result = measure()
    clean_ok = "meets" if result["clean_seconds"] <= TARGET_CLEAN_SECONDS else "MISSES"
    ratio_ok = "meets" if result["ratio"] <= TARGET_RATIO else "MISSES"
    clean = result["clean_seconds"]
    print(f"clean build:       {clean:.1f} s ({clean_ok} ≤ {TARGET_CLEAN_SECONDS:.0f} s)")
    print(f"unchanged rebuild: {result['rebuild_seconds']:.1f} s")
    print(f"ratio:             {result['ratio']:.1%} ({ratio_ok} ≤ {TARGET_RATIO:.0%})")
    in_ok = "meets" if result["in_process_ratio"] <= TARGET_RATIO else "MISSES"
    print(
        f"  of which loading MkDocs and its plugins: {result['loading_seconds']:.1f} s; "
        f"the rebuild itself, in a process that has them loaded (as mkdocs serve does): "
        f"{result['in_process_rebuild_seconds']:.2f} s = {result['in_process_ratio']:.1%} "
        f"({in_ok} ≤ {TARGET_RATIO:.0%})"
    )


if __name__ == "__main__":
    main()
