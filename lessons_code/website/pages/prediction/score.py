"""The prediction page's score from pixels and weights, its figures of the weights and
the surest mistakes, and the drawing pad's data."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from lessons_code import linear_model
from lessons_code.data import N_PIXELS, MnistData, digit_name
from lessons_code.website import style
from lessons_code.website.pages import shared
from lessons_code.website.pages.prediction.ascent import ASCENT_RATE, ASCENT_STEPS
from lessons_code.website.pages.shared import WeightMove
from lessons_code.website.register import figure, numbers, widget
from lessons_code.website.runs import Runs

EARLY_EPOCHS = (0, 1, 2, 5)
"""The first epochs at which the "weights evolving" figure shows the weights (then the last)."""

N_EXAMPLES = 10
"""How many validation 3s and 7s the drawing pad can load, of each digit."""


@numbers("prediction")
def prediction_numbers(runs: Runs) -> dict:
    """Return the first training image's score before and after training, the mistakes
    on each set, and a blank image's score."""
    image, target = runs.mnist.train_x[0], float(runs.mnist.train_y[0])
    start, trained = runs.linear.initial, runs.linear.params
    valid_scores = shared.valid_scores(runs)
    train_scores = linear_model.predict(trained, runs.mnist.train_x)
    wrong = {
        name: int(((scores > 0) != (y == 1)).sum())
        for name, scores, y in (
            ("train", train_scores, runs.mnist.train_y),
            ("valid", valid_scores, runs.mnist.valid_y),
        )
    }
    random_score = float(linear_model.linear1(image, start["weights"], start["bias"]))
    trained_score = float(linear_model.linear1(image, trained["weights"], trained["bias"]))
    return {
        "label": digit_name(target),
        "random_score": random_score,
        "random_verdict": "3" if random_score > 0 else "7",
        "trained_score": trained_score,
        "trained_verdict": "3" if trained_score > 0 else "7",
        "train_wrong": wrong["train"],
        "valid_wrong": wrong["valid"],
        "blank_verdict": "3" if float(trained["bias"]) > 0 else "7",
        "blank_score": float(
            linear_model.linear1(np.zeros(N_PIXELS), trained["weights"], trained["bias"])
        ),
    }


@figure(
    "contribution",
    inputs=lambda runs: (
        runs.mnist.valid_x[0],
        runs.linear.params["weights"],
        runs.linear.params["bias"],
    ),
)
def contribution_map(image: np.ndarray, weights: np.ndarray, bias: float) -> Figure:
    """Return an image, the weights, their product, and the score they add up to."""
    image, weights, bias = np.asarray(image), np.asarray(weights), float(bias)
    contributions = image * weights  # (784,) * (784,) -> (784,): pixel × weight
    total = float(contributions.sum())
    score = total + bias
    verdict = "3" if score > 0 else "7"
    figure = style.new_figure(
        3.3,
        6.0,
        f"First, a handwritten digit. Then, the weights. Last, pixel times weight: blank "
        f"pixels contribute exactly 0, an inked pixel contributes its ink times its weight. The "
        f"contributions add up to {total:.2f}; with the bias {bias:.2f} the score is "
        f"{score:.2f}, so the model says {verdict}. " + style.TOWARD,
    )
    axes = style.pair_over_one(figure)
    style.digit(axes[0], image, "the image\n(never changes)")
    limit = style.limit(weights)
    style.heatmap(axes[1], weights, limit, "× the weights")
    product = style.heatmap(axes[2], contributions, limit, "= pixel × weight")
    style.colour_bar(figure, product, axes, "weight, or pixel × weight")
    axes[2].set_xlabel(
        style.minus(f"sum {total:.2f} + bias {bias:.2f}\n= score {score:.2f}  →  says “{verdict}”"),
        fontsize=mpl.rcParams["axes.titlesize"],
    )
    return figure


@figure(
    "weights-over-epochs",
    inputs=lambda runs: (
        runs.linear.snapshots,
        (*EARLY_EPOCHS, runs.linear.epochs),
        runs.linear.initial["weights"],
        shared.weight_move(runs.linear),
    ),
)
def weights_over_epochs(
    snapshots: Sequence[dict],
    epochs: Sequence[int],
    initial_weights: np.ndarray,
    move: WeightMove,
) -> Figure:
    """Return the weights at several epochs, and how far each has moved from the start."""
    shown = [epoch for epoch in epochs if 0 <= epoch < len(snapshots)]
    if not shown:
        raise ValueError(f"no epoch to show: {len(snapshots)} snapshots, asked for {list(epochs)}")
    epochs = shown
    start = np.asarray(initial_weights)
    weights = [np.asarray(snapshots[epoch]["weights"]) for epoch in epochs]
    changes = [w - start for w in weights]
    figure = style.new_figure(
        3.9,
        1.2 * len(epochs) + 1.4,
        f"Weights after epochs {', '.join(map(str, epochs))}. "
        + move.sentence()
        + " Beside them, the weights minus their random start: blank at epoch 0, then the "
        "pattern of a 3 against a 7 grows epoch after epoch. The training images never "
        "changed. " + style.TOWARD,
    )
    if style.narrow():  # a row per epoch: the weights, then their change
        axes = figure.subplots(len(epochs), 2, squeeze=False).T
    else:  # a column per epoch: the weights above their change
        axes = figure.subplots(2, len(epochs), squeeze=False)
    limit, change_limit = style.limit(*weights), style.limit(*changes)
    for column, epoch in enumerate(epochs):
        image = style.heatmap(axes[0, column], weights[column], limit)
        changed = style.heatmap(axes[1, column], changes[column], change_limit)
        if style.narrow():
            axes[0, column].set_ylabel(f"epoch {epoch}")
        else:
            axes[0, column].set_title(f"epoch {epoch}")
    if style.narrow():
        axes[0, 0].set_title("weights")
        axes[1, 0].set_title("change since\nepoch 0")
    else:
        axes[0, 0].set_ylabel("weights")
        axes[1, 0].set_ylabel("change since\nepoch 0")
    style.colour_bar(figure, image, axes[0].tolist(), "weight")
    style.colour_bar(figure, changed, axes[1].tolist(), "change in the weight")
    return figure


@figure(
    "mistakes",
    inputs=lambda runs: (
        [
            (label, *shared.mistakes(runs)[name])
            for name, label in (("train", "training"), ("valid", "validation"))
        ],
        shared.N_MISTAKES,
    ),
)
def surest_mistakes(
    rows: Sequence[tuple[str, np.ndarray, np.ndarray, np.ndarray]], n: int
) -> Figure:
    """Return one row per set (name, images, targets, scores) of its surest mistakes, up to
    n each; a set with no mistake says so in its row."""
    parts = []
    for name, images, targets, scores in rows:
        described = ", ".join(
            f"a {digit_name(t)} scored {s:+.1f}" for t, s in zip(targets, scores, strict=True)
        )
        parts.append(
            f"{len(images)} {name} images: {described}"
            if len(images)
            else f"no {name} image: the model gets every one right"
        )
    per_row = style.columns(n, 3)
    lines = -(-n // per_row)  # rows of pictures for each set
    side = style.figure_width() / per_row
    figure = style.new_figure(
        (side + 0.6) * lines * len(rows),
        (side + 0.6) * lines * len(rows),
        "Handwritten digits the trained model gets wrong, the ones it is surest about: "
        + "; ".join(parts)
        + ". A positive score means the model says 3.",
    )
    axes = figure.subplots(lines * len(rows), per_row, squeeze=False)
    for set_index, (name, images, targets, scores) in enumerate(rows):
        chosen = axes[set_index * lines : (set_index + 1) * lines].ravel()
        for index, ax in enumerate(chosen):
            if index < len(images):
                style.digit(ax, images[index])
                ax.set_xlabel(
                    style.minus(
                        f"{name}\na {digit_name(targets[index])}, score {scores[index]:+.1f}"
                    )
                )
            elif index == 0:
                style.frame(ax)
                ax.text(0.5, 0.5, f"no {name}\nmistake", ha="center", va="center")
            else:
                ax.set_visible(False)
    return figure


def _examples(mnist: MnistData) -> list[dict]:
    """Return real validation digits for the pad: a 3, a 7, a 3, ... as 0-255 grey levels."""
    threes = np.flatnonzero(mnist.valid_y == 1)[:N_EXAMPLES]
    sevens = np.flatnonzero(mnist.valid_y == 0)[:N_EXAMPLES]
    order = np.ravel(np.column_stack([threes, sevens]))
    return [
        {
            "label": digit_name(mnist.valid_y[i]),
            "pixels": np.round(mnist.valid_x[i] * 255).astype(int).tolist(),
        }
        for i in order
    ]


@widget("digit-pad", "model.json")
def digit_pad(runs: Runs) -> dict:
    """Return the trained linear model of the site and real digits to try it on."""
    linear = runs.linear
    return {
        "about": "the trained linear model of the site: score = pixels . weights + bias",
        "data_source": runs.mnist.source,
        "weights": [float(w) for w in linear.params["weights"]],  # float32, exact
        "bias": float(linear.params["bias"]),
        "examples": _examples(runs.mnist),
        "ascent": {"steps": ASCENT_STEPS, "learning_rate": ASCENT_RATE},
    }
