"""A lesson's results as plain values and as text: what `lessons … --json` prints and what
`lessons …` prints to a person. The site shows the same text as the command's output.
"""

from __future__ import annotations

import textwrap
from dataclasses import asdict, fields

import numpy as np

from lessons_code import (
    apples_pears,
    baseline,
    data,
    digit_image,
    digits,
    linear_model,
    neural_net,
    weights_file,
)
from lessons_code.learner import EpochStats, Predict, Recipe, TrainingRun


def run_summary(mnist: data.MnistData, run: TrainingRun, predict: Predict | None = None) -> dict:
    """Return the JSON summary of a training run (the `--json` output).

    Given the model's predict (a one-score model), it also has `bias`, the model's bias (the
    net's is its output unit's, b2), `saturated`: whether every validation prediction
    ended where the sigmoid is flat, and `collapsed_to`: the one answer it gives every
    validation image, if it gives only one ("3" or "7"; else None).
    """
    summary = {
        "train_size": len(mnist.train_x),
        "valid_size": len(mnist.valid_x),
        "data_source": mnist.source,
        **asdict(run.recipe),
        "epochs": run.epochs,  # the epochs run: more than the recipe's on a small training set
        "steps": run.steps,
        "history": [asdict(stats) for stats in run.history],
        "final_valid_accuracy": run.final_valid_accuracy,
        "seconds_per_epoch": run.seconds_per_epoch,
    }
    if predict is not None:
        bias = run.params["bias"] if "bias" in run.params else run.params["b2"]
        predictions = predict(run.params, mnist.valid_x)
        summary["bias"] = float(bias)
        summary["saturated"] = linear_model.saturated(predictions)
        said = {data.digit_name(float(three)) for three in np.unique(predictions > 0)}
        summary["collapsed_to"] = said.pop() if len(said) == 1 else None
    return summary


def interrupted_summary(recipe: Recipe, history: list[EpochStats]) -> dict:
    """Return the JSON summary of a run stopped by Ctrl-C: its recipe and the epochs done."""
    return {
        **asdict(recipe),
        "history": [asdict(stats) for stats in history],
        "interrupted_after_epoch": len(history),
    }


HEADER = "epoch  train loss  valid loss  train acc  valid acc"

WIDTH = 80
"""The widest line a command prints: a terminal's 80 columns, and the site's code column
at 1280 px (the Running page shows these lines as the commands' output)."""


SAVED_TO = "weights saved to "
"""How the line naming a saved file starts: kept whole however long, as a path is copied
from the line."""


def fit(lines: list[str]) -> str:
    """Return the lines joined, each longer than WIDTH wrapped at spaces, its continuation
    two columns further in than the line it continues."""
    fitted = []
    for line in "\n".join(lines).split("\n"):
        if len(line) <= WIDTH or line.startswith(SAVED_TO):
            fitted.append(line)
            continue
        indent = " " * (len(line) - len(line.lstrip()))
        fitted += textwrap.wrap(
            line,
            WIDTH,
            subsequent_indent=indent + "  ",
            break_long_words=False,
            break_on_hyphens=False,
        )
    return "\n".join(fitted)


def per_digit(title: str, values: list[float]) -> list[str]:
    """Return "title 0: v  1: v ...", the ten digits in two rows of five, aligned."""
    cells = [f"{digit}: {value:.3f}" for digit, value in enumerate(values)]
    rows = ["  ".join(cells[start : start + 5]) for start in range(0, len(cells), 5)]
    return [f"{title} {rows[0]}", *(" " * (len(title) + 1) + row for row in rows[1:])]


def format_run_start(data_source: str, recipe: Recipe, epochs: int, steps: int) -> str:
    """Return the lines printed before the first epoch: the data, the recipe, the header."""
    return fit(
        [
            f"data: {data_source}",
            f"recipe: lr {recipe.learning_rate}, batch {recipe.batch_size}, "
            f"{epochs} epoch{'' if epochs == 1 else 's'} ({steps:,} steps), seed {recipe.seed}",
            HEADER,
        ]
    )


def format_epoch(stats: EpochStats) -> str:
    """Return one epoch's row of the table."""
    return (
        f"{stats.epoch:>5}  {stats.train_loss:>10.4f}  {stats.valid_loss:>10.4f}  "
        f"{stats.train_accuracy:>9.4f}  {stats.valid_accuracy:>9.4f}"
    )


def format_history(history: list[dict]) -> str:
    """Return the per-epoch table: the loss and the accuracy on both sets after each epoch."""
    return "\n".join([HEADER, *(format_epoch(EpochStats(**row)) for row in history)])


def format_run_end(summary: dict, timing: bool = True) -> str:
    """Return the lines printed after the last epoch; timing=False leaves out the wall time.

    A run whose predictions all saturated ends with a line naming the likely cause.
    """
    bias = f", bias: {summary['bias']:.4f}" if "bias" in summary else ""
    lines = [f"final valid accuracy: {summary['final_valid_accuracy']:.4f}{bias}"]
    if timing:
        lines.append(
            f"time: {summary['seconds_per_epoch'] * 1000:.1f} ms per epoch (its steps, then "
            f"the loss and accuracy of both sets)"
        )
    if summary.get("saved_to"):
        lines.append(f"{SAVED_TO}{summary['saved_to']}")
    likely = (
        f"the learning rate {summary['learning_rate']:g} is the likely cause, try a smaller --lr"
    )
    if summary.get("collapsed_to") is not None:
        lines.append(
            f"the model calls every validation image a {summary['collapsed_to']}: it has "
            f"collapsed to one answer, whatever the image"
            + ("" if summary.get("saturated") else f"; {likely}")
        )
    if summary.get("saturated"):
        lines.append(
            f"every validation prediction saturated (the sigmoid is flat there, so the "
            f"gradient is zero and nothing more is learned): {likely}"
        )
    return fit(lines)


def format_run(summary: dict, timing: bool = True) -> str:
    """Return the human output of a training run; timing=False leaves out the wall time."""
    recipe = Recipe(**{field.name: summary[field.name] for field in fields(Recipe)})
    start = format_run_start(summary["data_source"], recipe, summary["epochs"], summary["steps"])
    rows = [format_epoch(EpochStats(**row)) for row in summary["history"]]
    return "\n".join([start, *rows, format_run_end(summary, timing)])


def digits_summary(mnist: data.MnistData, run: TrainingRun, model: digits.Model) -> dict:
    """Return the JSON summary of a ten-digit run: the run's, and how each digit fares."""
    predict = digits.MODELS[model].predict
    confusion = digits.confusion_matrix(predict(run.params, mnist.valid_x), mnist.valid_y)
    said = np.flatnonzero(confusion.sum(axis=0))  # the digits the model gave as answers
    return {
        "model": model,
        **run_summary(mnist, run),
        "collapsed_to": int(said[0]) if len(said) == 1 else None,
        "per_class_accuracy": digits.per_class_accuracy(confusion).tolist(),
        "confusion_matrix": confusion.tolist(),
        "most_confused": [
            {"true": true, "predicted": said, "count": count}
            for true, said, count in digits.most_confused(confusion)
        ],
    }


def format_confusion(confusion: list[list[int]]) -> str:
    """Return the confusion matrix as a table: a row per true digit, a column per answer."""
    width = max(5, len(f"{np.max(confusion):,}") + 1)
    lines = [
        "confusion matrix (rows: the true digit; columns: what the model said)",
        "true " + "".join(f"{digit:>{width}}" for digit in range(len(confusion))),
    ]
    for digit, row in enumerate(confusion):
        lines.append(f"{digit:>4} " + "".join(f"{count:>{width},}" for count in row))
    return "\n".join(lines)


def format_digits(summary: dict, timing: bool = True) -> str:
    """Return the human output of a ten-digit run: epochs, confusion, most-confused pairs."""
    return "\n".join(
        [f"model: {summary['model']}", format_run(summary, timing), format_digits_end(summary)]
    )


def format_digits_end(summary: dict) -> str:
    """Return how each digit fared, printed after a ten-digit run's last line."""
    lines = per_digit("valid accuracy per digit:", summary["per_class_accuracy"])
    lines.append(format_confusion(summary["confusion_matrix"]))
    pairs = ", ".join(
        f"{pair['true']} called {pair['predicted']} ({pair['count']:,} times)"
        for pair in summary["most_confused"]
    )
    lines.append(f"most confused: {pairs}")
    return fit(lines)


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
    return fit(lines)


def apples_pears_summary(story: apples_pears.Story) -> dict:
    """Return the receipts story as numbers: the walk, the line, the descent."""
    receipt, descent = story.receipt, story.descent_with_fee
    return {
        "story_receipt": asdict(receipt),
        "walk": [asdict(guess) for guess in story.walk],
        "one_receipt_line": {
            str(apple): float(apples_pears.pear_prices_fitting(receipt, apple))
            for apple in (0.0, 1.0, 2.0)
        },
        "two_receipts_prices": apples_pears.solve_prices(story.receipts[:2]).tolist(),
        "receipts_with_fee": [asdict(r) for r in story.receipts_with_fee],
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
    return fit(lines)


SCORE = {
    ("3 or 7", "linear"): linear_model.predict,
    ("3 or 7", "net"): neural_net.simple_net,
    ("ten digits", "linear"): digits.MODELS["linear"].predict,
    ("ten digits", "net"): digits.MODELS["net"].predict,
}
"""How each kind of saved model scores images: (n, 784) -> (n,) or (n, 10)."""


def model_name(saved: weights_file.SavedModel) -> str:
    """Return what a saved model is, in words: the task and the layers."""
    outputs = 1 if saved.task == "3 or 7" else digits.N_DIGITS
    task = "3-or-7" if outputs == 1 else "ten-digit"
    if saved.model == "linear":
        layers = "784 weights and a bias" if outputs == 1 else "784 -> 10"
        return f"the {task} linear model ({layers})"
    hidden = saved.params["w1"].shape[1]
    return f"the {task} two-layer net (784 -> {hidden} -> ReLU -> {outputs})"


def predict_summary(
    image: str, digit: digit_image.Digit, saved: weights_file.SavedModel, show: bool
) -> dict:
    """Return what `lessons predict --json` prints: the score(s) of one digit, its verdict,
    which model gave them, and how the image looks unlike MNIST's digits, if it does."""
    scores = SCORE[saved.task, saved.model](saved.params, digit.pixels[None, :])[0]
    summary = {
        "image": image,
        "size": list(digit.size),
        "reduced": digit.reduced,
        "inverted": digit.inverted,
        "task": saved.task,
        "model": saved.model,
        "model_name": model_name(saved),
        "unlike_mnist": digit_image.unlike_mnist(digit),
    }
    if saved.task == "3 or 7":
        bias = saved.params["bias"] if saved.model == "linear" else saved.params["b2"]
        summary |= {
            "score": float(scores),
            "bias": float(bias),
            "probability_of_3": float(linear_model.sigmoid(scores)),
            "verdict": "3" if scores > 0 else "7",
        }
    else:
        probabilities = digits.softmax(scores)
        summary |= {
            "scores": scores.tolist(),
            "probabilities": probabilities.tolist(),
            "verdict": str(int(probabilities.argmax())),
            "probability": float(probabilities.max()),
        }
    if show:
        summary["pixels"] = [round(float(v), 4) for v in digit.pixels]
    return summary


SHADES = " .:-=+*#%@"
"""Ink from none to full, one character each, for a digit printed as text."""


def format_digit(pixels: list[float]) -> str:
    """Return 28 framed lines of text picturing 784 pixels in [0, 1], two characters each."""
    last = len(SHADES) - 1
    shades = [SHADES[min(last, int(v * len(SHADES)))] * 2 for v in pixels]
    side = data.IMAGE_SIDE
    rows = ["|" + "".join(shades[row * side : (row + 1) * side]) + "|" for row in range(side)]
    edge = "+" + "-" * 2 * side + "+"
    return "\n".join([edge, *rows, edge])


def format_predict(summary: dict) -> str:
    """Return the human output of `lessons predict`: the model, how the image was read,
    the 28×28 input the model scored, a warning if it looks unlike MNIST, the verdict."""
    lines = [f"model: {summary['model_name']}"]
    if summary["inverted"]:
        lines.append("dark ink on a light background: inverted to MNIST's light ink on black")
    if summary["reduced"]:
        width, height = summary["size"]
        lines.append(
            f"the {width}×{height} image reduced as MNIST's digits were: the ink's box "
            f"scaled into 20×20, centred by its centre of mass in 28×28"
        )
    if "pixels" in summary:
        lines.append("the model's input, 28×28:")
        lines.append(format_digit(summary["pixels"]))
    if summary["unlike_mnist"]:
        lines.append("this does not look like an MNIST digit; the answer below may mean little:")
        lines += [f"  - {reason}" for reason in summary["unlike_mnist"]]
    if summary["task"] == "3 or 7":
        lines.append(
            f"score {summary['score']:.4f} (bias {summary['bias']:.4f}), probability of a 3 "
            f"{summary['probability_of_3']:.4f}: the model says {summary['verdict']}"
        )
    else:
        lines += per_digit("probability of each digit:", summary["probabilities"])
        lines.append(
            f"the most probable, {summary['probability']:.4f}: the model says {summary['verdict']}"
        )
    return fit(lines)
