"""Two builds of the site agree byte for byte on what the build computes.

Compares every figure (`figures/*.svg`) and every exported file (`data/*`: numbers.json,
the widgets' JSON, weights.npz) of two built sites. Used by tests/test_site.py on two
copies of the project and by `.ci/run` on two clean clones built with real MNIST:

    python -m tests.support.reproducible SITE_A SITE_B
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.support import gate_main

COMPUTED = ("figures", "data")
"""The folders of a built site that the build computes from lessons_code."""


def computed_files(site: Path) -> list[str]:
    """Return the relative paths of the files the build computed, sorted."""
    return sorted(
        path.relative_to(site).as_posix()
        for folder in COMPUTED
        for path in (site / folder).glob("*")
        if path.is_file()
    )


def differences(site_a: Path, site_b: Path) -> list[str]:
    """Return one line per computed file that is missing from one site or differs."""
    files_a, files_b = computed_files(site_a), computed_files(site_b)
    found = [f"only in {site_a}: {name}" for name in sorted(set(files_a) - set(files_b))]
    found += [f"only in {site_b}: {name}" for name in sorted(set(files_b) - set(files_a))]
    found += [
        f"differs: {name}"
        for name in sorted(set(files_a) & set(files_b))
        if (site_a / name).read_bytes() != (site_b / name).read_bytes()
    ]
    for site, files in ((site_a, files_a), (site_b, files_b)):
        if not files:
            found.append(f"no computed files in {site}: is it a built site?")
    return found


def check(site_a: Path, site_b: Path) -> tuple[list[str], str]:
    """Return the computed files that differ between two sites, and a line summing up."""
    found = differences(site_a, site_b)
    if found:
        return found, f"reproducible: {len(found)} differences in the computed files"
    return found, f"reproducible: {len(computed_files(site_a))} computed files identical"


if __name__ == "__main__":
    usage = "python -m tests.support.reproducible SITE_A SITE_B"
    sys.exit(gate_main(sys.argv[1:], usage, check))
