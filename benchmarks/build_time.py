"""Clean build time of the site, unchanged-rebuild time, and their ratio.

Targets on a 2-core machine: clean build at most 60 s, unchanged rebuild at most 10% of it.
The project is copied to a temporary folder so that "clean" means no cache at all.

    python benchmarks/build_time.py          # on whatever data the build finds
    LESSONS_DATA=../shared/data/mnist python benchmarks/build_time.py
"""

from __future__ import annotations

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


def measure() -> dict:
    """Return the clean and unchanged-rebuild times and their ratio, and the site's weights."""
    from site_weight import page_weights, site_size

    with tempfile.TemporaryDirectory() as folder:
        project = copy_project(Path(folder))
        clean = timed_build(project)
        rebuild = min(timed_build(project) for _ in range(3))
        weights = page_weights(project / "site")
        total = site_size(project / "site")
    heaviest = max(weights, key=weights.get)
    return {
        "clean_seconds": clean,
        "rebuild_seconds": rebuild,
        "ratio": rebuild / clean,
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


if __name__ == "__main__":
    main()
