"""Bad input by the thousand, for the property tests (tests/test_bad_files.py and
tests/test_bad_arguments.py): hypothesis settings scaled to a test's cost, damaged
versions of a valid file, and the command line run in this process, failing on any
warning, under a time limit.

The profiles ("default", a few examples; "thorough", thousands) are registered in
tests/conftest.py; `python -m pytest --hypothesis-profile=thorough` picks one.
"""

from __future__ import annotations

import contextlib
import io
import signal
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from hypothesis import settings
from hypothesis import strategies as st


def examples(share: float = 1.0, at_least: int = 2, **more) -> settings:
    """Return settings that run `share` of the active profile's examples, and at least
    `at_least`: a costly test runs fewer, but never too few to mean something."""
    return settings(max_examples=max(at_least, round(settings().max_examples * share)), **more)


def flip(content: bytes, bits: Sequence[int]) -> bytes:
    """Return content with each of these bits (counted from the first byte's lowest) flipped."""
    flipped = bytearray(content)
    for bit in bits:
        flipped[bit // 8] ^= 1 << (bit % 8)
    return bytes(flipped)


def truncations(valid: bytes) -> st.SearchStrategy[bytes]:
    """Return a strategy of every strict prefix of valid, the empty file included."""
    return st.integers(0, len(valid) - 1).map(lambda length: valid[:length])


def flipped_bits(valid: bytes, most: int = 3) -> st.SearchStrategy[list[int]]:
    """Return a strategy of 1 to `most` distinct bit positions of valid."""
    return st.lists(st.integers(0, 8 * len(valid) - 1), min_size=1, max_size=most, unique=True)


def bit_flips(valid: bytes, most: int = 3) -> st.SearchStrategy[bytes]:
    """Return a strategy of valid with 1 to `most` of its bits flipped."""
    return flipped_bits(valid, most).map(lambda bits: flip(valid, bits))


def damaged(valid: bytes) -> st.SearchStrategy[bytes]:
    """Return a strategy of what a file can become: cut short, bits flipped, bytes added
    at the end, a piece of it cut out, or arbitrary bytes instead."""
    length = len(valid)
    return st.one_of(
        truncations(valid),
        bit_flips(valid),
        st.binary(min_size=1, max_size=64).map(lambda tail: valid + tail),
        st.tuples(st.integers(0, length), st.integers(1, 64)).map(
            lambda cut: valid[: cut[0]] + valid[cut[0] + cut[1] :]
        ),
        st.binary(max_size=2 * length),
    )


class Hang(BaseException):
    """A run went on past its time limit (a BaseException: no `except OSError` hides it)."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise Hang in this (the main) thread if the block runs longer than seconds.

    An alarm already set (pytest-timeout's, for the whole test) still rings: the sooner of
    the two is set for the block, and the outer one is set again after it, less the time
    the block took.
    """

    def give_up(signum, frame):
        raise Hang(f"still running after {seconds} s")

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, give_up)
    outer, _ = signal.getitimer(signal.ITIMER_REAL)  # 0: none
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer) if outer else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # at least a moment: 0 would cancel it, not ring it
            signal.setitimer(signal.ITIMER_REAL, max(1e-3, outer - (time.monotonic() - started)))


@contextlib.contextmanager
def no_warnings() -> Iterator[None]:
    """Fail if the block warns (numpy's overflow, Pillow's, ...), even if it then raises.

    The block runs on past a warning as it would for a learner, who would see the warning
    printed above the result or the error line.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            warned = [f"{w.category.__name__}: {w.message}" for w in caught]
            assert not warned, "\n".join(warned)


@dataclass(frozen=True)
class Ran:
    """What one run of the command line did."""

    code: int
    stdout: str
    stderr: str


def run_main(argv: Sequence[str], seconds: float = 30) -> Ran:
    """Return what `lessons ARGV` does, run in this process: the exit code (argparse's
    SystemExit included), stdout and stderr. A warning fails; a run past `seconds` raises."""
    from lessons_code import cli

    stdout, stderr = io.StringIO(), io.StringIO()
    with (
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
        no_warnings(),
        time_limit(seconds),
    ):
        try:
            code = cli.main(list(argv))
        except SystemExit as exit:  # --help, --version and argparse's usage errors
            code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
    return Ran(code, stdout.getvalue(), stderr.getvalue())


def assert_one_line_error(stderr: str, command_line: str) -> None:
    """Assert that stderr is one line saying `lessons ...: error: ...`, no traceback."""
    assert stderr.endswith("\n") and stderr.count("\n") == 1, f"{command_line}\n{stderr}"
    assert stderr.startswith("lessons") and ": error: " in stderr, f"{command_line}\n{stderr}"
    assert stderr[:-1].isprintable(), f"{command_line}\n{stderr!r}"  # no control characters
    assert "Traceback" not in stderr, f"{command_line}\n{stderr}"
