"""Does the command line train as fast with the machine's default BLAS threads as with one?

Each training command (`train`, `train-net`, `train-digits --model linear` and `--model
net`, with their default recipes) runs as a learner runs it, once with the environment
choosing nothing (OpenBLAS then starts a thread per core) and once with
`OPENBLAS_NUM_THREADS=1`; the ratio is default / one thread, best of a few runs each.
Target: at most 1.2 for every command. The lessons pick their thread count themselves
(`learner.BLAS_THREADS`), so the two runs should take the same time and print the same
numbers; before they did, the default was 2 to 20 times slower on 2 cores.

    python -m benchmarks.threads [--data-dir ../shared/data/mnist] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from tests.support import REPO, processes, real_mnist

TARGET_RATIO = 1.2
COMMANDS = (
    ("train",),
    ("train-net",),
    ("train-digits", "--model", "linear"),
    ("train-digits", "--model", "net"),
)
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def seconds(command: tuple[str, ...], one_thread: bool, data_dir, cwd: Path = REPO) -> tuple:
    """Return (wall seconds, final validation accuracy) of one run of `lessons COMMAND`."""
    env = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    env.pop("LESSONS_DATA", None)
    if one_thread:
        env["OPENBLAS_NUM_THREADS"] = "1"
    args = [sys.executable, "-m", "lessons_code", *command, "--json"]
    if data_dir is not None:
        args += ["--data-dir", str(data_dir)]
    started = time.perf_counter()
    result = processes.run(args, env=env, cwd=cwd, timeout=1800, check=True)
    return time.perf_counter() - started, json.loads(result.stdout)["final_valid_accuracy"]


def measure(data_dir=None, repeats: int = 3, cwd: Path = REPO) -> dict[str, dict]:
    """Return, per command, the best time with default threads and with one, their ratio,
    and whether both printed the same accuracy."""
    found = {}
    for command in COMMANDS:
        runs = {"default": [], "one": []}
        for _ in range(repeats):  # alternated, so that a busy moment hits both alike
            for name in runs:
                runs[name].append(seconds(command, name == "one", data_dir, cwd))
        default, one = (min(time for time, _ in runs[name]) for name in ("default", "one"))
        accuracies = {accuracy for name in runs for _, accuracy in runs[name]}
        found[" ".join(command)] = {
            "default_seconds": default,
            "one_thread_seconds": one,
            "ratio": default / one,
            "same_numbers": len(accuracies) == 1,
        }
    return found


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=real_mnist())
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"data: {args.data_dir or 'the bundled sample'}; load average {os.getloadavg()[0]:.1f}")
    for command, figures in measure(args.data_dir, args.repeats).items():
        verdict = "meets" if figures["ratio"] <= TARGET_RATIO else "MISSES"
        same = "same numbers" if figures["same_numbers"] else "DIFFERENT numbers"
        print(
            f"lessons {command}: default threads {figures['default_seconds']:.2f} s, one "
            f"thread {figures['one_thread_seconds']:.2f} s, ratio {figures['ratio']:.2f} "
            f"({verdict} ≤ {TARGET_RATIO}), {same}"
        )


if __name__ == "__main__":
    main()
