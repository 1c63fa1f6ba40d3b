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

import numpy as np

from lessons_code import apples_pears, baseline, data, linear_model, neural_net, weights_file

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, not a usage block."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _whole_number(minimum: int):
    """Return an argparse type that accepts whole numbers ≥ minimum."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(f"expected a whole number ≥ {minimum}, got {text!r}")
        return value

    return parse


_positive_int, _seed = _whole_number(1), _whole_number(0)


def _learning_rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not np.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text}")
    return value


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        help="a folder of MNIST IDX files or fastai's MNIST_SAMPLE (default: $LESSONS_DATA, "
        "then the download cache, then the bundled sample)",
    )


def _add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")


def _add_recipe(parser: argparse.ArgumentParser, recipe: linear_model.Recipe) -> None:
    parser.add_argument("--epochs", type=_positive_int, default=recipe.epochs)
    parser.add_argument("--lr", type=_learning_rate, default=recipe.learning_rate)
    parser.add_argument("--batch-size", type=_positive_int, default=recipe.batch_size)
    parser.add_argument("--seed", type=_seed, default=recipe.seed)


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


def _recipe(args: argparse.Namespace, default: linear_model.Recipe) -> linear_model.Recipe:
    return replace(
        default,
        learning_rate=args.lr,
        batch_size=args.batch_size,
        epochs=args.epochs,
        seed=args.seed,
    )


def run_summary(mnist: data.MnistData, run: linear_model.TrainingRun) -> dict:
    """Return the JSON summary of a training run (the `--json` output)."""
    return {
        "train_size": len(mnist.train_x),
        "valid_size": len(mnist.valid_x),
        "data_source": mnist.source,
        **asdict(run.recipe),
        "history": [asdict(stats) for stats in run.history],
        "final_valid_accuracy": run.final_valid_accuracy,
        "seconds_per_epoch": run.seconds_per_epoch,
    }


def format_run(summary: dict, timing: bool = True) -> str:
    """Return the human output of a training run; timing=False leaves out the wall time."""
    lines = [
        f"data: {summary['data_source']}",
        f"recipe: lr {summary['learning_rate']}, batch {summary['batch_size']}, "
        f"{summary['epochs']} epochs, seed {summary['seed']}",
        "epoch  train loss  valid loss  train acc  valid acc",
    ]
    for row in summary["history"]:
        lines.append(
            f"{row['epoch']:>5}  {row['train_loss']:>10.4f}  {row['valid_loss']:>10.4f}  "
            f"{row['train_accuracy']:>9.4f}  {row['valid_accuracy']:>9.4f}"
        )
    lines.append(f"final valid accuracy: {summary['final_valid_accuracy']:.4f}")
    if timing:
        lines.append(f"time: {summary['seconds_per_epoch'] * 1000:.1f} ms per epoch (median)")
    return "\n".join(lines)


def _print_run(summary: dict) -> None:
    print(format_run(summary))


def _train(args: argparse.Namespace, model) -> dict:
    mnist = data.load_threes_sevens(args.data_dir)
    run = model.train(mnist, _recipe(args, model.RECIPE))
    return run_summary(mnist, run)


def _baseline(args: argparse.Namespace) -> dict:
    return baseline_summary(data.load_threes_sevens(args.data_dir))


def baseline_summary(mnist: data.MnistData) -> dict:
    """Return the pixel-similarity accuracies as the `baseline --json` object."""
    results = {kind: baseline.pixel_similarity(mnist, kind) for kind in ("l1", "l2")}
    return {
        "train_size": len(mnist.train_x),
        "valid_size": len(mnist.valid_x),
        "data_source": mnist.source,
        **{
            kind: {
                "accuracy_3": result.accuracy_3,
                "accuracy_7": result.accuracy_7,
                "accuracy": result.accuracy,
            }
            for kind, result in results.items()
        },
    }


def format_baseline(summary: dict) -> str:
    """Return the human output of the pixel-similarity baseline."""
    lines = [
        f"data: {summary['data_source']}",
        "pixel similarity: is each validation image closer to the ideal 3 or the ideal 7?",
    ]
    for kind, name in (("l1", "mean abs difference (L1)"), ("l2", "root mean square (L2)")):
        result = summary[kind]
        lines.append(
            f"  {name:<26} 3s {result['accuracy_3']:.4f}  7s {result['accuracy_7']:.4f}  "
            f"all {result['accuracy']:.4f}"
        )
    return "\n".join(lines)


def _print_baseline(summary: dict) -> None:
    print(format_baseline(summary))


def apples_pears_summary() -> dict:
    """Return the receipts story as numbers: the walk, the line, the descent."""
    story = apples_pears.make_receipts([apples_pears.STORY_BASKET])[0]
    receipts = apples_pears.make_receipts()
    receipts_with_fee = apples_pears.make_receipts(fee=apples_pears.BAG_FEE)
    descent = apples_pears.descend(receipts_with_fee, learn_fee=True)
    return {
        "story_receipt": asdict(story),
        "walk": [asdict(guess) for guess in apples_pears.guessing_walk(story)],
        "one_receipt_line": {
            str(apple): float(apples_pears.pear_prices_fitting(story, apple))
            for apple in (0.0, 1.0, 2.0)
        },
        "two_receipts_prices": apples_pears.solve_prices(receipts[:2]).tolist(),
        "receipts_with_fee": [asdict(r) for r in receipts_with_fee],
        "learned_prices": descent.prices[-1].tolist(),
        "learned_fee": float(descent.fees[-1]),
        "final_loss": float(descent.losses[-1]),
        "steps": len(descent.losses) - 1,
    }


def format_apples_pears(summary: dict) -> str:
    """Return the human output of the receipts story."""
    story = summary["story_receipt"]
    apples, pears = story["quantities"]
    lines = [f"receipt: {apples} apples + {pears} pears = {story['total']:g} cents"]
    for guess in summary["walk"]:
        apple, pear = guess["prices"]
        lines.append(f"  guess apple {apple:g}, pear {pear:g} -> {guess['total']:g} cents")
    line = ", ".join(f"({a}, {p:g})" for a, p in summary["one_receipt_line"].items())
    lines.append(f"one receipt fits a whole line of (apple, pear) prices: {line}, ...")
    apple, pear = summary["two_receipts_prices"]
    lines.append(f"two receipts fix them: apple {apple:g}, pear {pear:g}")
    apple, pear = summary["learned_prices"]
    lines.append(
        f"gradient descent on {len(summary['receipts_with_fee'])} receipts with a bag fee, "
        f"{summary['steps']} steps: apple {apple:.4f}, pear {pear:.4f}, "
        f"fee {summary['learned_fee']:.4f} (loss {summary['final_loss']:.2e})"
    )
    return "\n".join(lines)


def _print_apples_pears(summary: dict) -> None:
    print(format_apples_pears(summary))


def _predict(args: argparse.Namespace) -> dict:
    weights, bias = weights_file.load_weights(args.weights)
    pixels, inverted = weights_file.read_digit(args.image)
    score = weights_file.predict(weights, bias, pixels)
    return {
        "image": args.image,
        "inverted": inverted,
        "score": score,
        "probability_of_3": float(linear_model.sigmoid(score)),
        "verdict": "3" if score > 0 else "7",
    }


def _print_predict(summary: dict) -> None:
    if summary["inverted"]:
        print("dark ink on a light background: inverted to MNIST's light ink on black")
    print(
        f"score {summary['score']:.4f}, probability of a 3 {summary['probability_of_3']:.4f}: "
        f"the model says {summary['verdict']}"
    )


def _download(args: argparse.Namespace) -> dict:
    paths = data.download(args.dest, progress=data.progress_bar())
    return {"files": [str(path) for path in paths]}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "train":
            summary, show = _train(args, linear_model), _print_run
        elif args.command == "train-net":
            summary, show = _train(args, neural_net), _print_run
        elif args.command == "baseline":
            summary, show = _baseline(args), _print_baseline
        elif args.command == "apples-pears":
            summary, show = apples_pears_summary(), _print_apples_pears
        elif args.command == "predict":
            summary, show = _predict(args), _print_predict
        else:
            summary = _download(args)
            print(f"MNIST is ready in {data.cache_dir() if args.dest is None else args.dest}")
            return 0
    except data.DataError as error:
        print(f"lessons {args.command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    if getattr(args, "json", False):
        print(json.dumps(summary))
    else:
        show(summary)
    return 0
