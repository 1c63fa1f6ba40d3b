"""A lesson's results as plain values and as text: what `lessons … --json` prints and what
`lessons …` prints to a person. The site shows the same text as the command's output.
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np

from lessons_code import apples_pears, baseline, data, digits
from lessons_code.learner import TrainingRun


def run_summary(mnist: data.MnistData, run: TrainingRun) -> dict:
    """Return the JSON summary of a training run (the `--json` output)."""
    return {
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


def format_run(summary: dict, timing: bool = True) -> str:
    """Return the human output of a training run; timing=False leaves out the wall time."""
    lines = [
        f"data: {summary['data_source']}",
        f"recipe: lr {summary['learning_rate']}, batch {summary['batch_size']}, "
        f"{summary['epochs']} epoch{'' if summary['epochs'] == 1 else 's'} "
        f"({summary['steps']} steps), seed {summary['seed']}",
        format_history(summary["history"]),
        f"final valid accuracy: {summary['final_valid_accuracy']:.4f}",
    ]
    if timing:
        lines.append(f"time: {summary['seconds_per_epoch'] * 1000:.1f} ms per epoch (median)")
    return "\n".join(lines)


def format_history(history: list[dict]) -> str:
    """Return the per-epoch table: the loss and the accuracy on both sets after each epoch."""
    lines = ["epoch  train loss  valid loss  train acc  valid acc"]
    for row in history:
        lines.append(
            f"{row['epoch']:>5}  {row['train_loss']:>10.4f}  {row['valid_loss']:>10.4f}  "
            f"{row['train_accuracy']:>9.4f}  {row['valid_accuracy']:>9.4f}"
        )
    return "\n".join(lines)


def digits_summary(mnist: data.MnistData, run: TrainingRun, model: digits.Model) -> dict:
    """Return the JSON summary of a ten-digit run: the run's, and how each digit fares."""
    _, predict, _ = digits.MODELS[model]
    confusion = digits.confusion_matrix(predict(run.params, mnist.valid_x), mnist.valid_y)
    return {
        "model": model,
        **run_summary(mnist, run),
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
    lines = [f"model: {summary['model']}", format_run(summary, timing)]
    accuracies = "  ".join(
        f"{digit}: {accuracy:.3f}" for digit, accuracy in enumerate(summary["per_class_accuracy"])
    )
    lines.append(f"valid accuracy per digit: {accuracies}")
    lines.append(format_confusion(summary["confusion_matrix"]))
    pairs = ", ".join(
        f"{pair['true']} called {pair['predicted']} ({pair['count']:,} times)"
        for pair in summary["most_confused"]
    )
    lines.append(f"most confused: {pairs}")
    return "\n".join(lines)


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
    return "\n".join(lines)
