"""What the home page (docs/index.md) shows: the task and the trained weights."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from lessons_code.data import digit_name
from lessons_code.website import style
from lessons_code.website.pages import shared
from lessons_code.website.pages.shared import WeightMove
from lessons_code.website.register import figure
from lessons_code.website.runs import Runs


def task_inputs(runs: Runs) -> tuple:
    """Return four training 3s and four training 7s, captioned, and the alt text."""
    y = runs.mnist.train_y
    chosen = np.concatenate([np.flatnonzero(y == 1)[:4], np.flatnonzero(y == 0)[:4]])
    captions = [f"a {digit_name(t)}" for t in y[chosen]]
    alt = (
        "Four handwritten 3s and four handwritten 7s from the training set, each 28 by 28 "
        "grey pixels. The task: look at such an image and say 3 or 7."
    )
    return list(runs.mnist.train_x[chosen]), captions, alt


figure("task", inputs=task_inputs)(shared.digit_grid)


@figure(
    "weights",
    inputs=lambda runs: (
        runs.linear.params["weights"],
        runs.linear.initial["weights"],
        shared.weight_move(runs.linear),
    ),
)
def weights_heatmap(weights: np.ndarray, initial_weights: np.ndarray, move: WeightMove) -> Figure:
    """Return the 784 weights as a 28×28 heatmap, beside what training changed."""
    change = np.asarray(weights) - np.asarray(initial_weights)
    figure = style.new_figure(
        3.3,
        6.0,
        "First: the 784 weights after training, drawn as a 28 by 28 picture. "
        + move.sentence()
        + " Second: what training changed, the weights minus their random start: a 3 and a "
        "7 appear, orange where 3s have ink and 7s do not, purple where 7s have ink. The "
        "border, blank in every image, did not change. " + style.TOWARD,
    )
    figure.get_layout_engine().set(wspace=0.12)
    left, right = style.panels(figure, 2)
    style.colour_bar(
        figure,
        style.heatmap(left, weights, style.limit(weights), "the trained weights"),
        left,
        "weight",
    )
    changed = style.heatmap(right, change, style.limit(change), "what training changed")
    style.colour_bar(figure, changed, right, "change in the weight")
    return figure
