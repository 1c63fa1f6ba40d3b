"""What "Loss, not accuracy" (docs/loss.md) states: the sigmoid, mnist_loss worked through,
one nudged weight (and the nudge widget's data), the surest mistake, and the two losses."""

from __future__ import annotations

import base64
from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from lessons_code import linear_model
from lessons_code.data import IMAGE_SIDE, digit_name
from lessons_code.learner import EpochStats, validate_epoch
from lessons_code.linear_model import sigmoid
from lessons_code.website import style
from lessons_code.website.pages import shared
from lessons_code.website.register import figure, numbers, widget
from lessons_code.website.runs import Runs

SIGMOID_SCORES = (-4.0, -1.0, 0.0, 1.0, 4.0)
"""Scores marked on the sigmoid figure."""


NUDGED_PIXEL = 14 * IMAGE_SIDE + 14
"""The weight the "loss, not accuracy" page nudges: the pixel in the middle of the image."""


NUDGE = 0.01
"""How far that weight is nudged."""


NUDGE_SAMPLE = 60
"""How many validation 3s, and as many 7s, the nudge widget computes its loss over."""


LOSS_EXAMPLES = {
    "three_scored_2": (1.0, 2.0),
    "seven_scored_2": (0.0, 2.0),
    "three_scored_minus_1": (1.0, -1.0),
}
"""Worked examples of mnist_loss: (target, score)."""

WORKED = (0.2, 0.8)
"""A prediction that moves from this probability of "3" to that one."""


def nudge_sample(runs: Runs) -> np.ndarray:
    """Return the validation images the nudge widget computes its loss over: up to
    NUDGE_SAMPLE 3s and as many 7s, drawn with the run's seed, in the set's order."""
    rng = np.random.default_rng(runs.linear.recipe.seed)
    y = runs.mnist.valid_y
    return np.sort(
        np.concatenate(
            [
                rng.choice(
                    np.flatnonzero(y == label),
                    min(NUDGE_SAMPLE, int((y == label).sum())),
                    replace=False,
                )
                for label in (1.0, 0.0)
            ]
        )
    )


@numbers("nudge")
def nudge_numbers(runs: Runs) -> dict:
    """Return what nudging one weight does to the validation loss, accuracy and scores."""
    params = runs.linear.params
    nudged = {**params, "weights": params["weights"].copy()}
    nudged["weights"][NUDGED_PIXEL] += NUDGE
    x, y = runs.mnist.valid_x, runs.mnist.valid_y
    before, after = (
        validate_epoch(
            linear_model.predict, p, x, y, linear_model.mnist_loss, linear_model.batch_accuracy
        )
        for p in (params, nudged)
    )
    _, grads = linear_model.calc_grad(params, x, y)
    says_3 = [linear_model.predict(p, x) > 0 for p in (params, nudged)]
    scores = linear_model.predict(params, x)[:, None]  # (n, 1)
    still = [  # for each weight: does this nudge leave every image on its side? (784,)
        ((scores > 0) == (scores + sign * NUDGE * x > 0)).all(axis=0) for sign in (1, -1)
    ]
    sample = nudge_sample(runs)
    sample_scores = linear_model.predict(params, x[sample])
    return {
        "still_share": float(np.mean(still)),  # of the 784 weights' nudges up and down
        "nudge": NUDGE,
        "crossed": int((says_3[0] != says_3[1]).sum()),  # validation images that changed side
        "sample_size": len(sample),
        # where the widget starts, on its sample: not the whole set's numbers of the table
        "sample_loss": float(linear_model.mnist_loss(sample_scores, y[sample])),
        "sample_accuracy": float(linear_model.batch_accuracy(sample_scores, y[sample])),
        "row": NUDGED_PIXEL // IMAGE_SIDE,
        "column": NUDGED_PIXEL % IMAGE_SIDE,
        "loss_before": before[0],
        "loss_after": after[0],
        "accuracy_before": before[1],
        "accuracy_after": after[1],
        "gradient": float(grads["weights"][NUDGED_PIXEL]),
    }


@numbers("surest_mistake")
def surest_mistake_numbers(runs: Runs) -> dict:
    """Return the surest validation mistake's score, probability and sigmoid slope."""
    _, targets, scores = shared.mistakes(runs)["valid"]
    score = float(scores[0])
    probability = float(linear_model.sigmoid(score))
    return {
        "digit": digit_name(targets[0]),
        "score": score,
        "probability": probability,
        "slope": probability * (1 - probability),
        "slope_share": probability * (1 - probability) / 0.25,  # of the slope at p = 0.5
    }


@numbers("worked")
def worked_numbers(runs: Runs) -> dict:
    """Return mnist_loss of a 3 and of a 7 as the probability of "3" moves WORKED."""
    scores = np.log(np.array(WORKED) / (1 - np.array(WORKED)))  # the scores behind them
    loss = {
        (digit, moment): linear_model.mnist_loss(scores[[i]], np.array([target]))
        for digit, target in (("three", 1.0), ("seven", 0.0))
        for i, moment in enumerate(("before", "after"))
    }
    return {
        "before": WORKED[0],
        "after": WORKED[1],
        **{f"{digit}_{moment}": value for (digit, moment), value in loss.items()},
    }


@numbers("thresholds")
def threshold_numbers(runs: Runs) -> dict:
    """Return how often "score > 0" and "probability > 0.5" disagree, and "score > 0.5"'s
    accuracy."""
    scores, y = shared.valid_scores(runs), runs.mnist.valid_y
    on_probability = linear_model.sigmoid(scores) > 0.5
    return {
        "disagree": int(((scores > 0) != on_probability).sum()),
        "score_above_half": float(((scores > 0.5) == (y == 1)).mean()),
    }


@numbers("sigmoid_twice")
def sigmoid_twice_numbers(runs: Runs) -> dict:
    """Return where a probability lands when the sigmoid is applied to it again, and what
    that does to the trained model's validation accuracy with the 0.5 threshold."""
    scores, y = shared.valid_scores(runs), runs.mnist.valid_y
    twice = sigmoid(sigmoid(scores))
    return {
        "lowest": float(sigmoid(0.0)),  # the sigmoid of a probability of 0
        "highest": float(sigmoid(1.0)),  # ... and of a probability of 1
        "smallest": float(twice.min()),  # over the validation images
        "largest": float(twice.max()),
        "sevens_below_half": int(((twice < 0.5) & (y == 0)).sum()),
    }


@numbers("mismatched_shapes")
def mismatched_shape_numbers(runs: Runs) -> dict:
    """Return mnist_loss of the trained model's validation scores as a column (n, 1)
    against targets as a row (n,), broadcast to (n, n), next to the loss with both (n,)."""
    scores, y = shared.valid_scores(runs), runs.mnist.valid_y
    table = linear_model.mnist_loss(scores[:, None], y)  # every score against every target
    return {
        "images": len(y),
        "table_entries": len(y) ** 2,
        "loss": linear_model.mnist_loss(scores, y),
        "table_loss": table,
    }


@numbers("curves")
def curve_numbers(runs: Runs) -> dict:
    """Return the linear model's loss and accuracy on both sets after its first epoch,
    each measured on the whole set with the same weights."""
    first = runs.linear.history[0]
    return {
        "epoch": first.epoch,
        "train_loss": first.train_loss,
        "valid_loss": first.valid_loss,
        "train_accuracy": first.train_accuracy,
        "valid_accuracy": first.valid_accuracy,
    }


@numbers("loss_examples")
def loss_example_numbers(runs: Runs) -> dict:
    """Return the probability and mnist_loss of each of LOSS_EXAMPLES."""
    examples = {}
    for name, (target, score) in LOSS_EXAMPLES.items():
        probability = float(linear_model.sigmoid(score))
        loss = linear_model.mnist_loss(np.array([score]), np.array([target]))
        examples[name] = {"score": score, "probability": probability, "loss": loss}
    return examples


@widget("nudge", "nudge.json")
def nudge(runs: Runs) -> dict:
    """Return a stratified sample of validation images (base64 uint8), their labels and the
    weight the page nudges."""
    y, chosen = runs.mnist.valid_y, nudge_sample(runs)
    images = np.round(runs.mnist.valid_x[chosen] * 255).astype(np.uint8)
    return {
        "about": f"{len(chosen)} of the {len(y)} validation images, for the nudge widget",
        "weights": [float(w) for w in runs.linear.params["weights"]],
        "bias": float(runs.linear.params["bias"]),
        "labels": [int(label) for label in y[chosen]],
        "images_base64": base64.b64encode(images.tobytes()).decode(),
        "n_valid": len(y),
        "pixel": NUDGED_PIXEL,
    }


@figure("loss-curves", inputs=lambda runs: (runs.linear.history,))
def loss_curves(history: Sequence[EpochStats]) -> Figure:
    """Return the train and valid loss per epoch beside the valid accuracy per epoch."""
    epochs = [stats.epoch for stats in history]
    first, last = history[0], history[-1]
    figure = style.new_figure(
        3.2,
        6.0,
        f"First: the loss falls epoch after epoch, on the training images from "
        f"{first.train_loss:.3f} after epoch {first.epoch} to {last.train_loss:.3f} after "
        f"epoch {last.epoch}, and on the validation images from {first.valid_loss:.3f} to "
        f"{last.valid_loss:.3f}. Second: validation accuracy goes "
        f"from {first.valid_accuracy:.1%} after epoch {first.epoch} to "
        f"{last.valid_accuracy:.1%} after epoch {last.epoch}.",
    )
    loss_ax, accuracy_ax = style.panels(figure, 2)
    train_losses = [s.train_loss for s in history]
    every = style.marks(len(epochs))
    loss_ax.plot(
        epochs,
        train_losses,
        "o-",
        color=style.BLUE,
        markersize=4,
        markevery=every,
        label="training images",
    )
    valid_losses = [s.valid_loss for s in history]
    loss_ax.plot(
        epochs,
        valid_losses,
        "s--",
        color=style.VERMILLION,
        markersize=4,
        markevery=every,
        label="validation images",
    )
    loss_ax.set(xlabel="epoch", ylabel="mnist_loss", title="loss after each epoch")
    loss_ax.set_ylim(bottom=0)
    loss_ax.legend()
    accuracy_ax.plot(
        epochs,
        [s.valid_accuracy for s in history],
        "o-",
        color=style.GREEN,
        markersize=4,
        markevery=every,
    )
    accuracy_ax.annotate(
        f"{last.valid_accuracy:.1%}",
        (last.epoch, last.valid_accuracy),
        xytext=(0, -16),
        textcoords="offset points",
        ha="center",
    )
    accuracy_ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    accuracy_ax.set(xlabel="epoch", ylabel="validation accuracy", title="accuracy after each epoch")
    return figure


@figure("sigmoid", inputs=lambda runs: (np.array(SIGMOID_SCORES),))
def sigmoid_curve(scores: np.ndarray) -> Figure:
    """Return the sigmoid curve with a few scores mapped to their probabilities."""
    scores = np.asarray(scores, dtype=float)
    probabilities = sigmoid(scores)
    pairs = ", ".join(f"{s:g} → {p:.2f}" for s, p in zip(scores, probabilities, strict=True))
    figure = style.new_figure(
        3.8,
        3.4,
        f"The sigmoid turns any score into a number between 0 and 1, read as the "
        f"probability of a 3. Score 0 gives 0.5; big positive scores approach 1, big "
        f"negative ones approach 0. Marked, score → probability: {pairs}.",
    )
    ax = figure.add_subplot()
    reach = max(8.0, 1.2 * float(np.abs(scores).max(initial=0)))
    xs = np.linspace(-reach, reach, 241)
    ax.plot(xs, sigmoid(xs), color=style.BLUE)
    guides = {"color": mpl.rcParams["grid.color"], "linestyle": ":", "linewidth": 1}
    for s, p in zip(scores, probabilities, strict=True):
        ax.plot([s, s, -reach], [0, p, p], **guides)  # up from the score, across to its value
        colour = style.THREE_COLOUR if s > 0 else style.SEVEN_COLOUR if s < 0 else style.ink()
        ax.plot(s, p, "o", color=colour, markersize=7)
        above = s <= 0  # left of the middle, the space above-left of the curve is free
        ax.annotate(
            f"{style.minus(f'{s:g}')} → {p:.2f}",
            (s, p),
            xytext=(-6, 6) if above else (8, -6),
            textcoords="offset points",
            ha="right" if above else "left",
            va="bottom" if above else "top",
        )
    ax.set(
        xlabel="score",
        ylabel="sigmoid(score):\nprobability of a 3",
        xlim=(-reach, reach),
        ylim=(0, 1.05),
        title=style.wrapped("the sigmoid: score in, probability out"),
    )
    return figure


@figure("two-losses", inputs=lambda runs: ())
def two_losses() -> Figure:
    """Return mnist_loss and binary cross-entropy against the probability given to the true
    digit, and how strongly each pushes the score there (the size of its gradient)."""
    p_true = np.linspace(0.001, 0.999, 400)
    mnist = 1 - p_true  # mnist_loss of a 3 given this probability
    cross_entropy = -np.log(p_true)
    figure = style.new_figure(
        3.4,
        6.4,
        f"First: the loss of one image against the probability the model gives its true "
        f"digit. mnist_loss, 1 minus that probability, is a straight line from 1 to 0; "
        f"binary cross-entropy, minus its logarithm, is 0 for a sure right answer too but "
        f"grows without limit for a sure wrong one ({cross_entropy[0]:.1f} at "
        f"{p_true[0]:.3f}). Second: how strongly each loss pushes the score, the size of its "
        f"gradient. mnist_loss pushes hardest at 0.5 and hardly at all for a sure wrong "
        f"answer; cross-entropy pushes hardest exactly there.",
    )
    panels = (
        ("loss", (0, 5), "the loss", mnist, "1 − p", cross_entropy, "−log p"),
        (
            "size of d loss / d score",
            (0, 1.05),
            "how hard it pushes the score",
            p_true * (1 - p_true),
            "p(1 − p)",
            1 - p_true,
            "1 − p",
        ),
    )
    for ax, (ylabel, ylim, title, mnist_curve, mnist_formula, ce_curve, ce_formula) in zip(
        style.panels(figure, 2), panels, strict=True
    ):
        ax.plot(p_true, mnist_curve, color=style.BLUE, label=f"mnist_loss: {mnist_formula}")
        ax.plot(p_true, ce_curve, color=style.VERMILLION, label=f"cross-entropy: {ce_formula}")
        ax.set(
            xlabel=style.wrapped("p: probability given to the true digit", 0.45, 10),
            ylabel=ylabel,
            ylim=ylim,
            title=title,
        )
        ax.legend(loc="upper right")
    return figure
