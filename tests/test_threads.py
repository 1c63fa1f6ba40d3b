"""The same run gives the same bits whatever the number of BLAS threads the machine would
start: the lessons train with learner.BLAS_THREADS, not the machine's core count.

OpenBLAS reads OPENBLAS_NUM_THREADS once, when numpy is imported, so each count runs in
a process of its own. The runs are those where a thread count showed most: the ten-digit
linear model at lr 50 and on pixels 0 to 255 (chaotic: with two threads their histories
left the one-thread ones within three epochs), the two-layer nets, the 3/7 linear model,
and the command line.
"""

from __future__ import annotations

import json
import sys

import pytest

from tests.support import CLI, REPO, cli_env, processes

RUNS = """
import hashlib, json
from dataclasses import asdict, replace
from lessons_code import data, digits, linear_model, neural_net

ten = data.load_digits(data.SAMPLE_DIR)
unscaled = replace(ten, train_x=ten.train_x * 255, valid_x=ten.valid_x * 255)
threes_sevens = data.load_threes_sevens(data.SAMPLE_DIR)
few = replace(digits.LINEAR_RECIPE, epochs=3)
runs = {
    "ten digits, lr 50": digits.train_linear(ten, replace(few, learning_rate=50.0)),
    "ten digits, pixels 0 to 255": digits.train_linear(unscaled, few),
    "ten digits, the net": digits.train_net(ten, replace(digits.NET_RECIPE, epochs=2)),
    "3 or 7, linear": linear_model.train(threes_sevens),
    "3 or 7, the net": neural_net.train(
        threes_sevens, replace(neural_net.RECIPE, epochs=10, keep_chapter_steps=False)
    ),
}
print(json.dumps({
    name: {
        "history": [asdict(stats) for stats in run.history],
        "params": {k: hashlib.sha256(v.tobytes()).hexdigest() for k, v in run.params.items()},
    }
    for name, run in runs.items()
}))
"""


def computed(threads: int, args: list[str]) -> str:
    """Return the stdout of a process started with OPENBLAS_NUM_THREADS=threads."""
    result = processes.run(args, env=cli_env(OPENBLAS_NUM_THREADS=str(threads)), cwd=REPO)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def by_threads() -> dict[int, dict]:
    """Return the runs' histories and parameters, computed with 1 and with 2 threads."""
    return {
        threads: json.loads(computed(threads, [sys.executable, "-c", RUNS])) for threads in (1, 2)
    }


@pytest.mark.parametrize(
    "run",
    [
        "ten digits, lr 50",
        "ten digits, pixels 0 to 255",
        "ten digits, the net",
        "3 or 7, linear",
        "3 or 7, the net",
    ],
)
def test_a_run_is_the_same_to_the_bit_with_one_thread_or_two(by_threads, run):
    one, two = by_threads[1][run], by_threads[2][run]
    assert one["history"] == two["history"]  # every loss and accuracy, every epoch
    assert one["params"] == two["params"]  # the trained weights, byte for byte


def test_the_command_line_prints_the_same_numbers_with_one_thread_or_two():
    args = [*CLI, "train-digits", "--lr", "50", "--epochs", "3", "--json"]
    one, two = (json.loads(computed(threads, args)) for threads in (1, 2))
    for summary in (one, two):
        del summary["seconds_per_epoch"]  # the one thing a machine may change
    assert one == two
