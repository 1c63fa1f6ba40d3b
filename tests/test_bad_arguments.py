"""Bad arguments, tried by the thousand: whatever a learner types after `lessons`, the
command line either does what was asked (exit 0, nothing on stderr) or says what is wrong
in one line and exits 2: never a traceback, never a warning, never a hang.

The arguments are arbitrary strings, mixed with the flags and with values made to be
wrong: "", "-5", "1e308", "NaN", a folder of damaged MNIST, an image given as weights...
Most examples run `lessons_code.cli.main` in this process (any warning a failure, a
time limit); a few run `python -W error -m lessons_code` as a learner would.
Hypothesis's profiles are in tests/conftest.py.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given
from hypothesis import strategies as st
from PIL import Image

from lessons_code import cli
from lessons_code.data import idx_bytes
from lessons_code.weights_file import npz_bytes
from tests.support import REPO, processes
from tests.support.bad_input import assert_one_line_error, examples, run_main

BAD_NUMBERS = [
    "", " ", "-5", "-1", "0", "-0", "1e308", "-1e308", "1e1000", "99999999", "abc", "NaN",
    "nan", "Infinity", "-inf", "1e-320", "1.5", "0x10", "1_0", "٣", "١e٣", "9" * 5000,
]  # fmt: skip
"""Values typed where a number goes: each is wrong for some flag, or right but odd."""

COMMANDS = ["train", "train-net", "train-digits", "baseline", "apples-pears", "predict", "download"]
TRAINING = {"train", "train-net", "train-digits"}
SWITCHES = ["--json", "--show", "--help", "-h", "--version", "--", "-"]
RECIPE_FLAGS = ["--data-dir", "--epochs", "--lr", "--batch-size", "--seed", "--json"]
OPTIONS = {
    "train": [*RECIPE_FLAGS, "--save"],
    "train-net": RECIPE_FLAGS,
    "train-digits": [*RECIPE_FLAGS, "--model"],
    "baseline": ["--data-dir", "--json"],
    "apples-pears": ["--json"],
    "predict": ["--show", "--json", "--weights", "image"],
    "download": ["--dest"],
}
"""Each command's own flags ("image": its positional), drawn most often after it."""
LAST = {command: ["--epochs"] for command in TRAINING} | {"predict": ["--weights", "image"]}
"""Given last, after the other flags: the epochs of a run (so that it stays short) and
what predict needs."""
LONG_NAMES = ["n" * 256, "n" * 5000, "n" * 256 + ".npz"]
"""Longer than a file's name (255 bytes) or a whole path (4,096) may be."""
MOST_EPOCHS = 3
"""Epochs a run may be asked for here: --epochs 99999999 is a long run, not a hang."""


Pool = dict[str, dict[str, list[str]]]
"""Paths to give as arguments: pool["good"]["--weights"] are weights files that work,
pool["bad"]["--weights"] ones that do not; likewise "--data-dir" and "image"."""


def make_pool(root: Path) -> Pool:
    """Write folders, weights and images to give as arguments, good and bad; return their
    paths (relative to root, the run's working folder)."""

    def idx_folder(name: str, train: np.ndarray, valid: np.ndarray, damage=None) -> str:
        folder = root / name
        folder.mkdir()
        for prefix, labels in (("train", train), ("t10k", valid)):
            images = np.random.default_rng(len(labels)).integers(0, 256, (len(labels), 784))
            for kind, items in (("images-idx3", images), ("labels-idx1", labels)):
                content = idx_bytes(items)
                if damage and kind == "images-idx3":
                    content = damage(content)
                (folder / f"{prefix}-{kind}-ubyte.gz").write_bytes(gzip.compress(content))
        return name

    def png_folder(name: str) -> str:
        for split in ("train", "valid"):
            for digit in "37":
                (root / name / split / digit).mkdir(parents=True)
                for i in range(3):
                    png = root / name / split / digit / f"{i}.png"
                    Image.new("L", (28, 28), 40 * i + int(digit)).save(png)
        return name

    # 260 training images of each digit: 520 3s and 7s, enough for the default batch of 256.
    train, valid = np.arange(2600, dtype=np.uint8) % 10, np.arange(100, dtype=np.uint8) % 10
    threes = np.full(10, 3, dtype=np.uint8)
    good_folders = [idx_folder("mnist", train, valid), png_folder("png-sample")]
    bad_folders = [
        idx_folder("only-threes", threes, threes),
        idx_folder("empty-idx", train[:0], valid[:0]),
        idx_folder("cut-short", valid, valid, lambda content: content[:-100]),
        png_folder("png-damaged"),
        "empty",
        "no-such-folder",
        "weights.npz",
    ]
    (root / "empty").mkdir()
    junk = root / "png-damaged" / "valid" / "7" / "junk.png"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x00IHDR")

    rng = np.random.default_rng(0)
    weights = rng.standard_normal(784)
    (root / "weights.npz").write_bytes(npz_bytes(weights, 0.5))
    (root / "model.json").write_text(json.dumps({"weights": weights.tolist(), "bias": 0.5}))
    (root / "short.npz").write_bytes(npz_bytes(weights[:10], 0.5))
    (root / "text.json").write_text("not json")
    paper = np.full((64, 64), 255, dtype=np.uint8)
    paper[10:50, 30:36] = 0
    Image.fromarray(paper).save(root / "digit.png")
    Image.fromarray((rng.uniform(size=(28, 28)) * 255).astype(np.uint8)).save(root / "mnist.png")
    Image.new("L", (64, 64), 255).save(root / "blank.png")
    (root / "junk.jpg").write_bytes(b"\xff\xd8\xff junk")
    return {
        "good": {
            "--data-dir": good_folders,
            "--weights": ["weights.npz", "model.json"],
            "image": ["digit.png", "mnist.png"],
        },
        "bad": {
            "--data-dir": bad_folders,
            "--weights": ["short.npz", "text.json", "digit.png", "empty", "nowhere"],
            "image": ["blank.png", "junk.jpg", "weights.npz", "empty", "nowhere"],
        },
    }


@pytest.fixture(scope="module")
def pool() -> Iterator[tuple[Path, Pool]]:
    """Return a working folder holding good and bad files to give as arguments."""
    root = Path(tempfile.mkdtemp(prefix="bad-arguments-"))
    yield root, make_pool(root)
    shutil.rmtree(root)


@pytest.fixture
def in_pool(pool, monkeypatch) -> Pool:
    """Run in the pool's folder: default data its tiny MNIST, downloads from nowhere."""
    root, paths = pool
    monkeypatch.chdir(root)
    monkeypatch.setenv("LESSONS_DATA", str(root / "mnist"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(root / "cache"))
    monkeypatch.setenv("LESSONS_MIRRORS", "file:///no/such/mirror/")
    return paths


ANY_TEXT = st.text(max_size=12)


def _asks_many_epochs(text: str) -> bool:
    try:
        return int(text) > MOST_EPOCHS
    except ValueError:
        return False


def _no_slash(text: str) -> bool:
    return "/" not in text and os.sep not in text  # written files stay in the pool's folder


@st.composite
def argument_lists(draw, paths: Pool, text=ANY_TEXT) -> list[str]:
    """Return what a learner might type after `lessons`: a command (now and then anything),
    its own flags with values that work or, in half the examples, values bad or arbitrary,
    other commands' flags, switches and arbitrary words."""
    good = {
        "--epochs": st.integers(1, MOST_EPOCHS).map(str),
        "--lr": st.sampled_from(["0.1", "1", "3", "1e10", "1e30", "1e300", "1e-320"]),
        "--batch-size": st.integers(1, 40).map(str) | st.just("256"),
        "--seed": st.integers(0, 2**70).map(str),
        "--data-dir": st.sampled_from(paths["good"]["--data-dir"]),
        "--weights": st.sampled_from(paths["good"]["--weights"]),
        "image": st.sampled_from(paths["good"]["image"]),
        "--model": st.sampled_from(["linear", "net"]),
        "--save": st.sampled_from(["saved.npz", "saved.txt", "no/such/folder.npz"]),
        "--dest": st.sampled_from(["downloads", "."]),
    }
    values, extras = good, st.sampled_from(sorted(set(good) | set(SWITCHES)))
    if draw(st.booleans()):  # bad or arbitrary values, other flags, arbitrary words
        numbers = st.sampled_from(BAD_NUMBERS) | text
        values = {flag: strategy | numbers for flag, strategy in good.items()}
        for written in ("--save", "--dest"):  # stays in the pool's folder
            values[written] = good[written] | text.filter(_no_slash)
        for path in ("--data-dir", "--weights", "image"):
            values[path] |= st.sampled_from(paths["bad"][path])
        for path in ("--data-dir", "--weights", "image", "--save", "--dest"):
            values[path] |= st.sampled_from(LONG_NAMES)
        extras |= text
    command = draw(st.sampled_from([*COMMANDS, "anything"]))
    if command == "anything":
        command = draw(text)
    flags = draw(st.lists(st.sampled_from(OPTIONS.get(command, SWITCHES)), max_size=5))
    flags += draw(st.lists(extras, max_size=2)) if draw(st.integers(0, 3)) == 0 else []
    argv = [command]
    for flag in flags:
        if flag == "image":
            argv.append(draw(values["image"]))
        elif flag in values:
            argv += [flag, draw(values[flag])]
        else:
            argv.append(flag)  # a switch, or a word
    for flag in LAST.get(command, []):
        if flag == "--epochs":  # the one argparse keeps
            argv += [flag, draw(values[flag].filter(lambda value: not _asks_many_epochs(value)))]
        else:
            argv += [draw(values[flag])] if flag == "image" else [flag, draw(values[flag])]
    return argv


def parsed(argv: list[str]):
    """Return the namespace argparse makes of argv, or None if it refuses it."""
    try:
        return cli.build_parser().parse_args(argv)
    except SystemExit:
        return None


def assert_honest(argv: list[str], code: int, stdout: str, stderr: str) -> None:
    """Assert the command line's promise: success with a clean stderr, or one line, exit 2."""
    command_line = "lessons " + " ".join(map(repr, argv))
    event(f"{argv[0] if argv[0] in COMMANDS else 'another command'}: exit {code}")
    assert code in (0, 2), f"{command_line}: exit {code}\n{stderr}"
    if code == 2:
        assert_one_line_error(stderr, command_line)
        return
    assert stderr == "", f"{command_line}\n{stderr}"
    assert stdout.strip(), command_line
    assert not re.search(r"\b(nan|inf)\b", stdout, re.IGNORECASE), f"{command_line}\n{stdout}"
    args = parsed(argv)
    if args is not None and getattr(args, "json", False):
        assert isinstance(json.loads(stdout), dict), command_line


@examples(0.2, at_least=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data_=st.data())
def test_any_arguments_in_process(in_pool, data_):
    argv = data_.draw(argument_lists(in_pool), label="argv")
    ran = run_main(argv, seconds=60)
    assert_honest(argv, ran.code, ran.stdout, ran.stderr)


SHELL_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)
"""What a shell can pass: any text but NUL (argv is C strings) and lone surrogates."""


@examples(0.005)
@given(data_=st.data())
def test_any_arguments_as_a_learner_runs_them(pool, data_):
    """`python -W error -m lessons_code ARGS` in a fresh process: numpy's warnings are
    errors there too, so any warning would show as a traceback."""
    root, paths = pool
    argv = data_.draw(argument_lists(paths, SHELL_TEXT), label="argv")
    env = {k: v for k, v in os.environ.items() if k not in {"LESSONS_DATA", "PYTHONPATH"}}
    env.update(
        LESSONS_DATA=str(root / "mnist"),
        XDG_CACHE_HOME=str(root / "cache"),
        LESSONS_MIRRORS="file:///no/such/mirror/",
        PYTHONPATH=str(REPO),
    )
    result = processes.run(
        [sys.executable, "-W", "error", "-m", "lessons_code", *argv],
        capture_output=True,
        text=True,
        errors="backslashreplace",
        cwd=root,
        env=env,
        timeout=120,
    )
    assert_honest(argv, result.returncode, result.stdout, result.stderr)
