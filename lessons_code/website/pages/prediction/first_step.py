"""The prediction page's first step of training: which images move the weights, and how
much."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from lessons_code import linear_model
from lessons_code.website import style
from lessons_code.website.register import figure, numbers
from lessons_code.website.runs import Runs


@dataclass(frozen=True)
class FirstStep:
    """The chapter's first SGD step, as the training run takes it."""

    images: np.ndarray  # (batch, 784) the batch
    targets: np.ndarray  # (batch,) 1 for a 3, 0 for a 7
    counts: np.ndarray  # (batch,) how much of each image is added to the weights
    change: np.ndarray  # (784,) the change of the weights: counts @ images
    threes: int  # the batch's 3s
    sevens: int  # and 7s
    threes_added: float  # the 3s' counts, summed
    sevens_subtracted: float  # minus the 7s' counts, summed


def first_step(runs: Runs) -> FirstStep:
    """Return the first step of the linear model's run: its generator, in the run's order."""
    recipe = linear_model.RECIPE
    rng = np.random.default_rng(recipe.seed)
    params = linear_model.init_linear(rng)
    batch = rng.permutation(len(runs.mnist.train_x))[: recipe.batch_size]
    x, y = runs.mnist.train_x[batch], runs.mnist.train_y[batch]
    counts, change = linear_model.one_step_change(params, x, y, recipe.learning_rate)
    threes = y == 1
    return FirstStep(
        images=x,
        targets=y,
        counts=counts,
        change=change,
        threes=int(threes.sum()),
        sevens=int((~threes).sum()),
        threes_added=float(counts[threes].sum()),
        sevens_subtracted=float(-counts[~threes].sum()),
    )


@numbers("first_step")
def first_step_numbers(runs: Runs) -> dict:
    """Return how much the 3s and 7s of the first batch count, against the most they could."""
    step = first_step(runs)
    counts, sizes = step.counts, np.abs(step.counts)
    most_possible = linear_model.RECIPE.learning_rate * 0.25 / len(counts)  # slope <= 1/4
    start = linear_model.init_linear(np.random.default_rng(linear_model.RECIPE.seed))
    scores = linear_model.predict(start, step.images)  # the scores the step's counts come from
    threes = step.targets == 1
    wrong = (scores > 0) != threes
    surest_wrong = np.flatnonzero(wrong)[np.argmax(np.abs(scores[wrong]))]
    return {
        "wrong": int(wrong.sum()),
        "wrong_faint": int((sizes[wrong] < 0.1 * most_possible).sum()),
        "surest_wrong_score": float(scores[surest_wrong]),
        "surest_wrong_count": float(sizes[surest_wrong]),
        "threes_distance": float(np.abs(scores[threes]).mean()),
        "sevens_distance": float(np.abs(scores[~threes]).mean()),
        "images": len(counts),
        "threes": step.threes,
        "sevens": step.sevens,
        "threes_added": step.threes_added,
        "sevens_subtracted": step.sevens_subtracted,
        "largest_count": float(np.abs(counts).max()),
        "most_possible": most_possible,
        "mean_share": float(np.abs(counts).mean() / most_possible),
        "largest_change": float(np.abs(step.change).max()),
    }


def _mostly(threes: float, sevens: float) -> str:
    """Return which digit's ink dominates a change that adds 3s and takes away 7s."""
    if threes >= 2 * sevens:
        times = f", {threes / sevens:.1f} times as much as the 7s" if sevens > 0 else ""
        return f"mostly a 3, because the 3s count more{times}"
    if sevens >= 2 * threes:
        times = f", {sevens / threes:.1f} times as much as the 3s" if threes > 0 else ""
        return f"mostly a negative 7, because the 7s count more{times}"
    return "a faint 3 over a faint negative 7"


@figure("one-step", inputs=lambda runs: (first_step(runs),))
def one_step_change(step: FirstStep, n: int = 4) -> Figure:
    """Return the images that count most in one SGD step, each with its count, beside the
    change of the weights: the sum of every image of the batch times its count."""
    images, targets, counts = step.images, step.targets, step.counts
    shown = [
        index
        for digit in (1, 0)
        for index in np.flatnonzero(targets == digit)[
            np.argsort(-np.abs(counts[targets == digit]), kind="stable")
        ][:n]
    ]
    figure = style.new_figure(
        3.6,
        6.2,
        f"One step of training on a batch of {len(targets)} images. First: the {n} 3s and the "
        f"{n} 7s that count most in this step, each with its count: how much of the image is "
        f"added to the weights (a 3, positive) or taken away (a 7, negative). An image counts "
        f"more the more unsure the model still is about it (a score near 0), right or wrong; "
        f"the {step.threes} 3s count "
        f"{step.threes_added:+.4f} in all, the {step.sevens} 7s "
        f"{-step.sevens_subtracted:+.4f}. Then: the change of the weights in this step, the sum "
        f"of every image times its count: the 3s' ink added, the 7s' ink taken away, "
        f"{_mostly(step.threes_added, step.sevens_subtracted)}. The images themselves "
        f"never change. " + style.TOWARD,
    )
    if style.narrow():  # the 3s' row and the 7s' row above the change, drawn larger
        grid = figure.add_gridspec(3, n, height_ratios=[1, 1, 2.6])
        at = [grid[row, column] for row in range(2) for column in range(n)]
        ax = figure.add_subplot(grid[2, :])
    else:  # the 3s' row and the 7s' row beside the change
        grid = figure.add_gridspec(2, n + 2, width_ratios=[1] * n + [0.3, 2.2])
        at = [grid[row, column] for row in range(2) for column in range(n)]
        ax = figure.add_subplot(grid[:, n + 1])
    for place, index in zip(at, [*shown, *[None] * (2 * n - len(shown))], strict=True):
        picture = figure.add_subplot(place)
        if index is None:
            picture.set_visible(False)
            continue
        style.digit(picture, images[index])
        picture.set_xlabel(style.minus(f"× {counts[index]:+.5f}"), fontsize=style.SMALLEST_TEXT_PT)
    change = step.change
    image = style.heatmap(ax, change, style.limit(change), "= the change\nof the weights")
    style.colour_bar(figure, image, ax, "change in the weight")
    return figure
