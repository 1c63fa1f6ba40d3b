"""The command line: `python -m lessons_code <lesson>` (or `lessons <lesson>`).

Every mistake a user can make (a bad number, a missing folder, a corrupt file)
ends as one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, replace

from lessons_code import (
    apples_pears,
    data,
    digits,
    learner,
    linear_model,
    neural_net,
    summaries,
    weights_file,
)

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, not a usage block."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


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


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        help="a folder of MNIST IDX files or fastai's MNIST_SAMPLE (default: $LESSONS_DATA, "
        "then the download cache, then the bundled sample)",
    )


def _add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")


def _add_recipe(parser: argparse.ArgumentParser, recipe: learner.Recipe | None) -> None:
    """Add the recipe's flags; with recipe None they default to the chosen model's recipe."""
    defaults = asdict(recipe) if recipe else dict.fromkeys(FLAGS)
    parser.add_argument(
        "--epochs",
        type=_whole_number,
        help=f"passes over the training images (default: {recipe.epochs} over the chapter's "
        f"12,396 images, or as many as make the same number of steps on a smaller set)"
        if recipe and recipe.keep_chapter_steps
        else None,
    )
    parser.add_argument("--lr", type=_real_number, default=defaults["learning_rate"])
    parser.add_argument("--batch-size", type=_whole_number, default=defaults["batch_size"])
    parser.add_argument("--seed", type=_whole_number, default=defaults["seed"])


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for every lesson command."""
    parser = _Parser(prog="lessons", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    train = commands.add_parser("train", help="train the chapter's linear model")
    train_net = commands.add_parser("train-net", help="train the two-layer net 784-30-1")
    for command, recipe in ((train, linear_model.RECIPE), (train_net, neural_net.RECIPE)):
        _add_data_dir(command)
        _add_recipe(command, recipe)
        _add_json(command)

    train_digits = commands.add_parser(
        "train-digits", help="all ten digits: softmax and cross-entropy, linear or net"
    )
    train_digits.add_argument(
        "--model",
        choices=tuple(digits.MODELS),
        default="linear",
        help="linear: 784 -> 10 (the default); net: 784 -> 100 -> ReLU -> 10",
    )
    _add_data_dir(train_digits)
    _add_recipe(train_digits, None)
    _add_json(train_digits)

    similarity = commands.add_parser("baseline", help="pixel similarity: the ideal 3 and 7")
    _add_data_dir(similarity)
    _add_json(similarity)

    receipts = commands.add_parser("apples-pears", help="find prices from receipts")
    _add_json(receipts)

    predict = commands.add_parser("predict", help="score your own 28x28 PNG with saved weights")
    predict.add_argument("--weights", required=True, help="a weights .npz or .json (the site's)")
    predict.add_argument("image", help="a 28x28 PNG of a 3 or a 7")
    _add_json(predict)

    download = commands.add_parser("download", help="fetch real MNIST into the cache")
    download.add_argument("--dest", help=f"target folder (default: {data.cache_dir()})")
    return parser


def _recipe(args: argparse.Namespace, default: learner.Recipe) -> learner.Recipe:
    given = {"learning_rate": args.lr, "batch_size": args.batch_size, "seed": args.seed}
    recipe = replace(
        default, **{field: value for field, value in given.items() if value is not None}
    )
    if args.epochs is None:
        return recipe
    return replace(recipe, epochs=args.epochs, keep_chapter_steps=False)


def _train(args: argparse.Namespace, model) -> dict:
    recipe = _recipe(args, model.RECIPE)
    learner.check_recipe(recipe)  # before any data is read
    mnist = data.load_threes_sevens(args.data_dir)
    return summaries.run_summary(mnist, model.train(mnist, recipe))


def _train_digits(args: argparse.Namespace) -> dict:
    train, _, default = digits.MODELS[args.model]
    recipe = _recipe(args, default)
    learner.check_recipe(recipe)  # before any data is read
    mnist = data.load_digits(args.data_dir)
    return summaries.digits_summary(mnist, train(mnist, recipe), args.model)


def _predict(args: argparse.Namespace) -> dict:
    weights, bias = weights_file.load_weights(args.weights)
    pixels, inverted = weights_file.read_digit(args.image)
    score = float(linear_model.linear1(pixels, weights, bias))  # (784,) @ (784,) -> a score
    return {
        "image": args.image,
        "inverted": inverted,
        "score": score,
        "probability_of_3": float(linear_model.sigmoid(score)),
        "verdict": "3" if score > 0 else "7",
    }


def _format_predict(summary: dict) -> str:
    lines = []
    if summary["inverted"]:
        lines.append("dark ink on a light background: inverted to MNIST's light ink on black")
    lines.append(
        f"score {summary['score']:.4f}, probability of a 3 {summary['probability_of_3']:.4f}: "
        f"the model says {summary['verdict']}"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "train":
            summary, show = _train(args, linear_model), summaries.format_run
        elif args.command == "train-net":
            summary, show = _train(args, neural_net), summaries.format_run
        elif args.command == "train-digits":
            summary, show = _train_digits(args), summaries.format_digits
        elif args.command == "baseline":
            mnist = data.load_threes_sevens(args.data_dir)
            summary, show = summaries.baseline_summary(mnist), summaries.format_baseline
        elif args.command == "apples-pears":
            story = apples_pears.tell_story()
            summary, show = summaries.apples_pears_summary(story), summaries.format_apples_pears
        elif args.command == "predict":
            summary, show = _predict(args), _format_predict
        else:
            data.download(args.dest, progress=data.progress_bar())
            print(f"MNIST is ready in {data.cache_dir() if args.dest is None else args.dest}")
            return 0
    except learner.RecipeError as error:
        print(
            f"lessons {args.command}: error: argument {FLAGS[error.field]}: {error}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except data.DataError as error:
        print(f"lessons {args.command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(json.dumps(summary) if getattr(args, "json", False) else show(summary))
    return 0
