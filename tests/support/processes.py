"""Child processes the tests and benchmarks start: read with a time limit, and ended with
every process they started when the test ends, whatever happens, so that a run of the
suite can never hang on one.

Each child runs in a process group of its own, killed as one past its time limit. A child
started with `started` gets Ctrl-C (SIGINT) as a person at a terminal does, even when the
suite itself runs where SIGINT is ignored (a background job: `python -m pytest &`,
`nohup`, many CI runners), which its children would otherwise inherit; and its stderr
may be a terminal, as a person's is.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress

SECONDS = 120
"""How long a child may take, or a test wait for its next output, unless told otherwise."""

TERMINAL_SIGINT = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execvp(sys.argv[1], sys.argv[1:])"
)
"""Run sys.argv[1:] with SIGINT at its default, whatever this process inherited: an
ignored signal stays ignored through exec, a default one lets Python install its handler."""


def _kill_group(process: subprocess.Popen) -> None:
    """Kill the child's whole process group; call it before the child is reaped, while
    its group's number cannot belong to anything else."""
    with suppress(ProcessLookupError, PermissionError):  # the group has already gone
        os.killpg(process.pid, signal.SIGKILL)


def run(args: Sequence[str], *, timeout: float = SECONDS, **kwargs) -> subprocess.CompletedProcess:
    """Return what subprocess.run(args, ...) returns, its output captured as text unless
    told otherwise; past `timeout` the child and everything it started are killed and
    subprocess.TimeoutExpired raised."""
    capture, check = kwargs.pop("capture_output", True), kwargs.pop("check", False)
    given = kwargs.pop("input", None)
    kwargs.setdefault("text", True)
    if capture:
        kwargs.update(stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if given is not None:
        kwargs["stdin"] = subprocess.PIPE
    with subprocess.Popen(args, start_new_session=True, **kwargs) as process:
        try:
            out, err = process.communicate(given, timeout=timeout)
        except BaseException:  # the time limit, pytest-timeout, Ctrl-C: nothing outlives it
            _kill_group(process)
            process.wait()
            raise
    if check and process.returncode:
        raise subprocess.CalledProcessError(process.returncode, args, out, err)
    return subprocess.CompletedProcess(args, process.returncode, out, err)


class Output:
    """What a child writes to one file descriptor, read as it comes, under a time limit."""

    def __init__(self, descriptor: int):
        self.descriptor = descriptor
        self.pending = b""  # read, not yet returned
        self.ended = False

    def _read(self, deadline: float) -> None:
        """Read what is there, waiting at most until deadline; raise TimeoutError after it."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the child wrote nothing more in time")
        if select.select([self.descriptor], [], [], left)[0]:
            try:
                chunk = os.read(self.descriptor, 1 << 16)
            except OSError:  # a terminal whose other end has closed: EIO
                chunk = b""
            self.pending += chunk
            self.ended = not chunk

    def until(self, text: str, timeout: float = SECONDS) -> str:
        """Return everything up to and including the first `text` (or up to the end)."""
        deadline, wanted = time.monotonic() + timeout, text.encode()
        while wanted not in self.pending and not self.ended:
            self._read(deadline)
        found, sep, self.pending = self.pending.partition(wanted)
        return (found + sep).decode(errors="replace")

    def rest(self, timeout: float = SECONDS) -> str:
        """Return everything left, once the child has closed its end."""
        deadline = time.monotonic() + timeout
        while not self.ended:
            self._read(deadline)
        rest, self.pending = self.pending, b""
        return rest.decode(errors="replace")


class Child:
    """A started process: its stdout read line by line, its stderr (a pipe or a terminal)
    read at the end or, if a terminal, also as it comes."""

    def __init__(self, process: subprocess.Popen, terminal: int | None):
        self.process = process
        self.stdout = Output(process.stdout.fileno())
        self.stderr = Output(process.stderr.fileno() if terminal is None else terminal)

    def readline(self, timeout: float = SECONDS) -> str:
        """Return stdout's next line ("" once it has ended); raise TimeoutError if none
        comes within timeout seconds."""
        return self.stdout.until("\n", timeout)

    def interrupt(self) -> None:
        """Press Ctrl-C: send the child SIGINT."""
        self.process.send_signal(signal.SIGINT)

    def close_stdout(self) -> None:
        """Stop reading, as `| head` does when it has its lines: the child's next write
        finds the pipe closed."""
        self.process.stdout.close()
        self.stdout.ended = True

    def finish(self, timeout: float = SECONDS) -> tuple[str, str]:
        """Return the rest of stdout and of stderr once the child has exited; raise
        TimeoutError (and the child is killed) if it has not within timeout seconds."""
        deadline = time.monotonic() + timeout
        out = self.stdout.rest(timeout) if not self.process.stdout.closed else ""
        err = self.stderr.rest(max(0.0, deadline - time.monotonic()))
        self.process.wait(max(0.0, deadline - time.monotonic()))
        return out, err

    @property
    def returncode(self) -> int | None:
        """Return the exit code once finish() has seen the child exit."""
        return self.process.returncode


@contextmanager
def started(args: Sequence[str], terminal: bool = False, **kwargs) -> Iterator[Child]:
    """Start args with stdout piped back, stderr piped back or (terminal=True) a terminal
    of its own, SIGINT at its default (as at a terminal) and a process group of its own;
    when the block ends, however it ends, kill the group if the child is still running."""
    main, other = pty.openpty() if terminal else (None, subprocess.PIPE)
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", TERMINAL_SIGINT, *args],
            stdout=subprocess.PIPE,
            stderr=other,
            start_new_session=True,
            **kwargs,
        )
    finally:
        if terminal:
            os.close(other)  # the child holds it now: its end closes when it exits
    try:
        yield Child(process, main)
    finally:
        if process.poll() is None:
            _kill_group(process)
        process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
        if main is not None:
            os.close(main)
