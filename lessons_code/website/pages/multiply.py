"""What "Multiply and add" (docs/multiply.md) states: pixel similarity as a linear model,
what training taught the weights, and the pixels no training image inks."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from lessons_code import baseline, linear_model
from lessons_code.baseline import PixelSimilarity
from lessons_code.website import style
from lessons_code.website.register import figure, numbers
from lessons_code.website.runs import Runs


def templates(runs: Runs) -> tuple[np.ndarray, float]:
    """Return the (weights, bias) that make L2 pixel similarity a linear model."""
    return baseline.templates_as_weights(runs.similarity.ideal_3, runs.similarity.ideal_7)


def never_inked(runs: Runs) -> np.ndarray:
    """Return a mask of the pixels that are blank in every training image."""
    return runs.mnist.train_x.max(axis=0) == 0


@numbers("never_inked")
def never_inked_numbers(runs: Runs) -> dict:
    """Return how many pixels are blank in every training image, and what their weights did."""
    blank = never_inked(runs)
    start, trained = runs.linear.initial["weights"], runs.linear.params["weights"]
    return {
        "pixels": int(blank.sum()),
        "mean_abs_weight_there": float(np.abs(trained[blank]).mean()),
        "mean_abs_weight_inside": float(np.abs(trained[~blank]).mean()),
        "largest_change_there": float(np.abs(trained[blank] - start[blank]).max(initial=0)),
    }


@numbers("templates")
def template_numbers(runs: Runs) -> dict:
    """Return the ideal digits as a linear model: its bias, its accuracy with and without it,
    and how much ink the 3s and the 7s carry."""
    weights, bias = templates(runs)
    x, y = runs.mnist.valid_x.astype(np.float64), runs.mnist.valid_y
    ink = {
        digit: float(runs.mnist.train_x[runs.mnist.train_y == t].sum(axis=1).mean())
        for digit, t in (("3", 1), ("7", 0))
    }
    return {
        "bias": bias,
        "accuracy": linear_model.batch_accuracy(x @ weights + bias, y),
        "accuracy_without_bias": linear_model.batch_accuracy(x @ weights, y),
        "l2_accuracy": runs.similarity_l2.accuracy,
        "ink_3": ink["3"],
        "ink_7": ink["7"],
    }


@numbers("ink_feature")
def ink_feature_numbers(runs: Runs) -> dict:
    """Return how often one hand-made feature tells a 3 from a 7: an image's ink, summed
    over all its pixels, called a 3 when it is nearer the training 3s' mean than the 7s'."""
    train_x, train_y = runs.mnist.train_x, runs.mnist.train_y
    ink_3, ink_7 = (float(train_x[train_y == t].sum(axis=1).mean()) for t in (1, 0))
    ink = runs.mnist.valid_x.sum(axis=1)
    nearer_3 = np.abs(ink - ink_3) < np.abs(ink - ink_7)
    return {"accuracy": float((nearer_3 == (runs.mnist.valid_y == 1)).mean())}


@figure(
    "ideal-vs-weights",
    inputs=lambda runs: (
        runs.similarity,
        runs.linear.params["weights"],
        runs.linear.initial["weights"],
    ),
)
def ideal_digits_vs_weights(
    similarity: PixelSimilarity, weights: np.ndarray, initial_weights: np.ndarray
) -> Figure:
    """Return the pixel-similarity ideal 3 and 7 beside what training taught the weights:
    the trained weights minus their start."""
    learned = np.asarray(weights) - np.asarray(initial_weights)
    title = "learned: weights − start"
    figure = style.new_figure(
        3.0,
        5.4,
        f"First: the ideal 3 and the ideal 7, the average of every training 3 and "
        f"every training 7, grey where there is ink; calling a new image by the closer "
        f"ideal gets {similarity.accuracy:.1%} of the validation images right. Then: "
        "how training changed the weights, the trained weights minus their random start: "
        "orange where training pushed a weight up, toward 3, purple where it pushed it down, "
        "toward 7. The trained weights are this change plus their random start, which is "
        "larger, so most of them still look like noise.",
    )
    axes = style.pair_over_one(figure)
    style.digit(axes[0], similarity.ideal_3, "ideal 3\n(mean of the 3s)")
    style.digit(axes[1], similarity.ideal_7, "ideal 7\n(mean of the 7s)")
    style.colour_bar(
        figure, style.heatmap(axes[2], learned, style.limit(learned), title), axes[2], "weight"
    )
    return figure


@figure(
    "templates-as-weights",
    inputs=lambda runs: (
        runs.similarity.ideal_3,
        runs.similarity.ideal_7,
        *templates(runs),
        runs.similarity_l2.accuracy,
    ),
)
def templates_as_weights(
    ideal_3: np.ndarray, ideal_7: np.ndarray, weights: np.ndarray, bias: float, accuracy: float
) -> Figure:
    """Return the ideal 3 and 7 and the weights that make "closer to the ideal 3" a sum of
    pixel × weight, with the bias that completes it."""
    figure = style.new_figure(
        3.1,
        5.6,
        f"First: the ideal 3 and the ideal 7, the means of the training 3s and 7s. "
        f"Then: the weights 2 × (ideal 3 − ideal 7), orange where 3s have more ink, purple "
        f"where 7s have more. With the bias {bias:.1f} they make a linear model that says 3 "
        f"exactly when an image is closer to the ideal 3 than to the ideal 7 (squared "
        f"distance): {accuracy:.1%} of the validation images right, the same images as "
        f"pixel similarity. Nothing was learned: the weights were computed from two averages.",
    )
    axes = style.pair_over_one(figure)
    style.digit(axes[0], ideal_3, "ideal 3")
    style.digit(axes[1], ideal_7, "ideal 7")
    image = style.heatmap(axes[2], weights, style.limit(weights), "weights = 2 × (3 − 7)")
    axes[2].set_xlabel(style.minus(f"bias = |7|² − |3|² = {bias:.1f}"))
    style.colour_bar(figure, image, axes[2], "weight")
    return figure
