"""The command line: `python -m lessons_code <lesson>` (or `lessons <lesson>`).

Every mistake a user can make (a bad number, a missing folder, a corrupt file, a folder
it cannot save to) ends as one line on stderr and exit code 2, never a traceback, and
before any training starts. Every training command prints a row as each epoch ends, with
a progress bar on a terminal; Ctrl-C ends a run with the rows so far and exit code 130; a
closed pipe (`lessons train | head`) ends it quietly. Every command computes with one
BLAS thread (learner.BLAS_THREADS): the same bits on every machine, and no slower when
other programs keep the cores busy.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TextIO

from lessons_code import (
    __version__,
    apples_pears,
    data,
    digit_image,
    digits,
    learner,
    linear_model,
    neural_net,
    summaries,
    weights_file,
)

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a program stopped by Ctrl-C
EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE, as a shell reports `yes | head`
PROGRESS_DELAY = 1.0
"""Seconds a run goes before its progress bar appears: a quick run needs none."""

DESCRIPTION = (
    "Run the lessons of fast.ai lesson 4 (fastbook chapter 4, 3s versus 7s on MNIST) "
    "on your machine: train the chapter's models, score your own digit, and print the "
    "numbers the site was built from."
)
EPILOG = (
    "Data is looked for in --data-dir, then $LESSONS_DATA, then the download cache "
    "(lessons download), then the bundled sample of 5,000 digits (500 of each; 1,000 are "
    "the 3s and 7s). lessons COMMAND --help describes each command."
)


def one_line(message: str) -> str:
    """Return message with every line break and control character escaped (\\n, \\x1b),
    so that an error naming what a user typed stays one line, whatever was typed."""
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in message
    )


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, not a usage block."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {one_line(message)}\n")


def _number(kind: type, what: str):
    """Return an argparse type that parses a number; its range is check_recipe's to judge."""

    def parse(text: str):
        try:
            return kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None

    return parse


_whole_number, _real_number = _number(int, "a whole number"), _number(float, "a number")
FLAGS = {
    "learning_rate": "--lr",
    "batch_size": "--batch-size",
    "epochs": "--epochs",
    "seed": "--seed",
}
"""The command-line flag of each field of a Recipe."""


LAYOUTS = {
    "3 or 7": "MNIST's IDX files, fastai's MNIST_SAMPLE (train/3, train/7, valid/3, valid/7) "
    "or fastai's full MNIST",
    "ten digits": "MNIST's IDX files or fastai's full MNIST (training/0 to training/9, "
    "testing/0 to testing/9); MNIST_SAMPLE has only the 3s and 7s",
}
"""The folders a command reads, by the digits it needs."""


def _add_data_dir(parser: argparse.ArgumentParser, task: str = "3 or 7") -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"a folder of {LAYOUTS[task]} (default: $LESSONS_DATA, then the download "
        "cache, then the bundled sample)",
    )


def _add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")


def _add_recipe(parser: argparse.ArgumentParser, recipes: dict[str, learner.Recipe]) -> None:
    """Add the recipe's flags with their defaults; with a recipe per --model, each model's."""
    (recipe, *others) = recipes.values()

    def default(field: str):
        return getattr(recipe, field) if not others else None

    def said(field: str, unit: str = "") -> str:
        if not others:
            return f"default: {getattr(recipe, field)}{unit}"
        each = ", ".join(f"{getattr(r, field)}{unit} for {name}" for name, r in recipes.items())
        return f"default: {each}"

    if recipe.keep_chapter_steps:
        steps = recipe.epochs * -(-learner.MNIST_SAMPLE_TRAIN_SIZE // recipe.batch_size)
        epochs_help = (
            f"passes over the chapter's {learner.MNIST_SAMPLE_TRAIN_SIZE:,} training images "
            f"({said('epochs')}); on a smaller set, as many as make its {steps:,} steps"
        )
    else:
        epochs_help = f"passes over the training images ({said('epochs')})"
    parser.add_argument(
        "--epochs",
        type=_whole_number,
        help=epochs_help,
    )
    parser.add_argument(
        "--lr",
        type=_real_number,
        default=default("learning_rate"),
        help=f"learning rate: how far each step moves the parameters ({said('learning_rate')})",
    )
    parser.add_argument(
        "--batch-size",
        type=_whole_number,
        default=default("batch_size"),
        help=f"images per gradient step, at most the training set ({said('batch_size')})",
    )
    parser.add_argument(
        "--seed",
        type=_whole_number,
        default=default("seed"),
        help=f"seed of the random start and the shuffling ({said('seed')})",
    )


def _add_save(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--save",
        metavar="FILE.npz",
        help="save the trained model's weights, for lessons predict --weights FILE.npz "
        "(its folder is checked before training starts)",
    )


def _add_command(commands, name: str, summary: str, details: str = "") -> argparse.ArgumentParser:
    return commands.add_parser(
        name, help=summary, description=f"{summary[0].upper()}{summary[1:]}. {details}".strip()
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for every lesson command."""
    parser = _Parser(prog="lessons", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", title="commands", parser_class=_Parser
    )

    train = _add_command(
        commands,
        "train",
        "train the chapter's linear model: one weight per pixel plus a bias",
        "Prints a row of losses and accuracies as each epoch ends.",
    )
    train_net = _add_command(
        commands,
        "train-net",
        "train the chapter's two-layer net, 784 -> 30 -> ReLU -> 1",
        "Prints a row of losses and accuracies as each epoch ends.",
    )
    for command, recipe in ((train, linear_model.RECIPE), (train_net, neural_net.RECIPE)):
        _add_data_dir(command)
        _add_recipe(command, {command.prog: recipe})
        _add_save(command)
        _add_json(command)

    train_digits = _add_command(
        commands,
        "train-digits",
        "all ten digits: ten scores, softmax and cross-entropy, linear or net",
        "Prints a row of losses and accuracies as each epoch ends, then the accuracy of "
        "each digit, the confusion matrix and the most-confused pairs.",
    )
    train_digits.add_argument(
        "--model",
        choices=tuple(digits.MODELS),
        default="linear",
        help=f"linear: 784 -> 10 (the default); net: 784 -> {digits.N_HIDDEN} -> ReLU -> 10",
    )
    _add_data_dir(train_digits, "ten digits")
    _add_recipe(train_digits, {name: model.recipe for name, model in digits.MODELS.items()})
    _add_save(train_digits)
    _add_json(train_digits)

    similarity = _add_command(
        commands, "baseline", "pixel similarity: is each digit closer to the ideal 3 or 7?"
    )
    _add_data_dir(similarity)
    _add_json(similarity)

    receipts = _add_command(
        commands, "apples-pears", "find prices from receipts: weights and bias by analogy"
    )
    _add_json(receipts)

    predict = _add_command(
        commands,
        "predict",
        "score your own digit (a photo, a scan or a drawing) with trained weights",
        "The image is reduced as MNIST's digits were: the ink's bounding box scaled into "
        "20x20, centred by its centre of mass in 28x28 (a 28x28 image is used as it is).",
    )
    predict.add_argument(
        "--weights",
        required=True,
        metavar="FILE",
        help="a weights .npz (saved by lessons train, train-net or train-digits --save, or "
        "the site's weights.npz) or the site's model.json; the output says which model it is",
    )
    predict.add_argument("image", help="an image of one digit: PNG, JPEG or any Pillow reads")
    predict.add_argument(
        "--show",
        action="store_true",
        help="with --json, add the 784 pixels of the 28x28 input the model scored (the "
        "text output always pictures it)",
    )
    _add_json(predict)

    download = _add_command(
        commands, "download", "fetch the real MNIST files into the cache, checked by md5"
    )
    download.add_argument(
        "--dest", metavar="DIR", help=f"target folder (default: {data.cache_dir()})"
    )
    return parser


class ProgressBar:
    """`epoch 12/20 [######    ] 60%` on one line of a terminal's stderr.

    It appears only on a terminal and only once a run has taken a second, and it is
    wiped before each row is printed, so the rows and the bar never mix.
    """

    def __init__(self, epochs: int, stream: TextIO | None = None, delay: float | None = None):
        self.epochs = epochs
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self.delay = PROGRESS_DELAY if delay is None else delay
        self.drawn = 0  # characters of the bar on the line now
        self.on_terminal = self.stream.isatty()

    def update(self, epoch: int, width: int = 30) -> None:
        """Draw the bar after `epoch` epochs, if the run has taken long enough."""
        elapsed = time.perf_counter() - self.started
        if not self.on_terminal or elapsed < self.delay or epoch >= self.epochs:
            return
        filled = width * epoch // self.epochs
        left = elapsed / epoch * (self.epochs - epoch)
        bar = (
            f"epoch {epoch:,}/{self.epochs:,} [{'#' * filled}{' ' * (width - filled)}] "
            f"{100 * epoch // self.epochs}%, about {left:,.0f} s left"
        )
        self.clear()
        self.stream.write(bar)
        self.stream.flush()
        self.drawn = len(bar)

    def clear(self) -> None:
        """Wipe the bar from its line."""
        if self.drawn:
            self.stream.write(f"\r{' ' * self.drawn}\r")
            self.stream.flush()
            self.drawn = 0


def _recipe(args: argparse.Namespace, default: learner.Recipe) -> learner.Recipe:
    given = {"learning_rate": args.lr, "batch_size": args.batch_size, "seed": args.seed}
    recipe = replace(default, **{name: value for name, value in given.items() if value is not None})
    if args.epochs is None:
        return recipe
    return replace(recipe, epochs=args.epochs, keep_chapter_steps=False)


@dataclass(frozen=True)
class Training:
    """What a training command trains: its data, its lesson's train function (which takes
    on_epoch and keep_history), how the trained model scores, and its recipe."""

    load: Callable[[str | None], data.MnistData]
    train: Callable[..., learner.TrainingRun]
    predict: learner.Predict
    recipe: learner.Recipe
    ten_digits: bool  # the ten-digit summary: each digit's accuracy, the confusion matrix


TRAINING = {
    "train": Training(
        data.load_threes_sevens,
        linear_model.train,
        linear_model.predict,
        linear_model.RECIPE,
        ten_digits=False,
    ),
    "train-net": Training(
        data.load_threes_sevens,
        neural_net.train,
        neural_net.simple_net,
        neural_net.RECIPE,
        ten_digits=False,
    ),
    **{
        f"train-digits --model {name}": Training(
            data.load_digits, model.train, model.predict, model.recipe, ten_digits=True
        )
        for name, model in digits.MODELS.items()
    },
}
"""Each training command, `train-digits` once per --model."""


def _training(args: argparse.Namespace) -> Training:
    model = getattr(args, "model", None)
    return TRAINING[args.command if model is None else f"{args.command} --model {model}"]


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) back until the block is done, where the system allows it."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: Ctrl-C stops at once
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _train(args: argparse.Namespace) -> int:
    """Train, printing each epoch's row as it ends; return the exit code."""
    training = _training(args)
    recipe = _recipe(args, training.recipe)
    learner.check_recipe(recipe)  # before any data is read
    if args.save is not None:
        weights_file.check_writable(args.save)  # before training, not after a long run
    history: list[learner.EpochStats] = []  # with --json, which prints them all at the end
    done = 0  # epochs finished
    bar = None  # made once the training set, and so the number of epochs, is known

    def on_epoch(stats: learner.EpochStats) -> None:
        nonlocal done
        with _ctrl_c_held():  # so "interrupted after epoch N" follows exactly N rows
            done = stats.epoch
            if args.json:
                history.append(stats)
            else:
                bar.clear()
                print(summaries.format_epoch(stats), flush=True)
            bar.update(stats.epoch)

    model = {"model": args.model} if training.ten_digits else {}
    try:
        mnist = training.load(args.data_dir)
        n_train = len(mnist.train_x)
        learner.check_recipe(recipe, n_train=n_train)
        epochs = recipe.epochs_on(n_train)
        bar = ProgressBar(epochs)
        if not args.json:
            steps = epochs * -(-n_train // recipe.batch_size)
            if training.ten_digits:
                print(f"model: {args.model}")
            print(summaries.format_run_start(mnist.source, recipe, epochs, steps), flush=True)
        # Only --json prints every epoch's stats at the end; the rows printed as they
        # come need no history, so that a run of any length runs in the same memory.
        run = training.train(mnist, recipe, on_epoch=on_epoch, keep_history=args.json)
    except KeyboardInterrupt:
        if bar is not None:
            bar.clear()
        if args.json:
            print(json.dumps({**model, **summaries.interrupted_summary(recipe, history)}))
        unsaved = f"; nothing saved to {args.save}" if args.save is not None else ""
        print(f"interrupted after epoch {done}{one_line(unsaved)}", file=sys.stderr)
        return EXIT_INTERRUPTED
    bar.clear()
    if training.ten_digits:
        summary = summaries.digits_summary(mnist, run, args.model)
    else:
        summary = summaries.run_summary(mnist, run, training.predict)
    if args.save is not None:
        weights_file.save_params(args.save, run.params)
        summary["saved_to"] = args.save
    if args.json:
        print(json.dumps(summary))
        return 0
    print(summaries.format_run_end(summary))
    if training.ten_digits:
        print(summaries.format_digits_end(summary))
    return 0


def _predict(args: argparse.Namespace) -> dict:
    saved = weights_file.load_model(args.weights)
    digit = digit_image.read_digit(args.image)
    # The text output always pictures the input: the learner sees what the model saw.
    return summaries.predict_summary(args.image, digit, saved, args.show or not args.json)


def _run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Run the chosen command; return its exit code."""
    if args.command is None:
        parser.print_help()
        return 0
    if args.command in {"train", "train-net", "train-digits"}:
        return _train(args)
    if args.command == "baseline":
        mnist = data.load_threes_sevens(args.data_dir)
        summary, show = summaries.baseline_summary(mnist), summaries.format_baseline
    elif args.command == "apples-pears":
        story = apples_pears.tell_story()
        summary, show = summaries.apples_pears_summary(story), summaries.format_apples_pears
    elif args.command == "predict":
        summary, show = _predict(args), summaries.format_predict
    else:
        data.download(args.dest, progress=data.progress_bar())
        print(f"MNIST is ready in {data.cache_dir() if args.dest is None else args.dest}")
        return 0
    print(json.dumps(summary) if getattr(args, "json", False) else show(summary))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with learner.blas_threads():  # see BLAS_THREADS: the same bits on every machine
            code = _run(args, parser)
        sys.stdout.flush()  # a closed pipe shows here, while it can still be caught
        return code
    except learner.RecipeError as error:
        message = f"argument {FLAGS[error.field]}: {error}"
        print(f"lessons {args.command}: error: {one_line(message)}", file=sys.stderr)
        return EXIT_USAGE
    except data.DataError as error:
        print(f"lessons {args.command}: error: {one_line(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`lessons train | head -2`): stop quietly. Python would
        # complain again when it flushes stdout at exit, so point stdout at nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_CLOSED_PIPE
