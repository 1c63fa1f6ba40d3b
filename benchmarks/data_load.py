"""Seconds to load the real MNIST files and select the 3s and 7s. Target: under 0.5 s.

python -m benchmarks.data_load [--data-dir ../shared/data/mnist]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from lessons_code import data
from tests.support import real_mnist

TARGET_SECONDS = 0.5


def measure(data_dir: Path | str | None = None, repeats: int = 5) -> float:
    """Return the median wall time of load_threes_sevens(data_dir)."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        data.load_threes_sevens(data_dir)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    """Print the figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=real_mnist())
    data_dir = parser.parse_args().data_dir
    seconds = measure(data_dir)
    verdict = "meets" if seconds < TARGET_SECONDS else "MISSES"
    print(f"data: {data.load_threes_sevens(data_dir).source}")
    print(f"load and select 3s and 7s: {seconds:.3f} s ({verdict} the target < {TARGET_SECONDS} s)")


if __name__ == "__main__":
    main()
