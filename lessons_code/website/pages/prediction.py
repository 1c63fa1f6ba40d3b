"""What "How does the model predict?" (docs/prediction.md) states: a score from pixels and
weights, the surest mistakes, the first step of training, gradient ascent on a blank
image, and the drawing pad's data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from lessons_code import baseline, linear_model
from lessons_code.data import N_PIXELS, MnistData, digit_name
from lessons_code.website import style
from lessons_code.website.pages import shared
from lessons_code.website.pages.shared import WeightMove
from lessons_code.website.register import figure, numbers, widget
from lessons_code.website.runs import Runs

EARLY_EPOCHS = (0, 1, 2, 5)
"""The first epochs at which the "weights evolving" figure shows the weights (then the last)."""

ASCENT_STEPS, ASCENT_RATE = 20, 0.05
"""Gradient ascent on a blank image's pixels: how many steps, how far each (the pad's
"let the model draw its 3" button takes the same steps)."""

ASCENT_SHOWN = (0, 1, 2, 5, ASCENT_STEPS)
"""The steps the ascent figure shows."""

N_EXAMPLES = 10
"""How many validation 3s and 7s the drawing pad can load, of each digit."""


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


@dataclass(frozen=True)
class Ascent:
    """Gradient ascent on a blank image's pixels toward "3", the trained weights fixed."""

    images: np.ndarray  # (ASCENT_STEPS + 1, 784) the image after each step, blank first
    scores: np.ndarray  # (ASCENT_STEPS + 1,) the score of each
    inked: float  # the fraction of the last image's pixels more than half inked


def ascent(runs: Runs, run_name: str = "chapter") -> Ascent:
    """Return gradient ascent on a blank image's pixels with a trained linear model: the
    chapter's, or another of the "change one thing" variants."""
    params = runs.variants[run_name].params
    weights = params["weights"].astype(np.float64)
    images = linear_model.ascend_pixels(weights, ASCENT_STEPS, ASCENT_RATE)
    scores = images @ weights + float(params["bias"])
    return Ascent(images, scores, float((images[-1] > 0.5).mean()))


def template_likeness(image: np.ndarray, mnist: MnistData) -> float:
    """Return the correlation of an image with the ideal 3 minus the ideal 7: 1 for a
    picture of where 3s and 7s differ, 0 for one unrelated to it."""
    ideal_3, ideal_7 = baseline.ideal_digits(mnist.train_x, mnist.train_y)
    return float(np.corrcoef(image, ideal_3 - ideal_7)[0, 1])


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


@numbers("ascent")
def ascent_numbers(runs: Runs) -> dict:
    """Return where gradient ascent takes a blank image's score, against the real 3s'."""
    climbed, from_small = ascent(runs), ascent(runs, "small_start")
    valid_threes = shared.valid_scores(runs)[runs.mnist.valid_y == 1]
    return {
        "steps": len(climbed.images) - 1,
        "learning_rate": ASCENT_RATE,
        "final_score": float(climbed.scores[-1]),
        "inked": climbed.inked,
        "likeness": template_likeness(climbed.images[-1], runs.mnist),
        "small_start_inked": from_small.inked,
        "small_start_likeness": template_likeness(from_small.images[-1], runs.mnist),
        "start_spread": float(np.abs(runs.linear.initial["weights"]).mean()),
        "mean_change": shared.weight_move(runs.linear).mean_change,
        "largest_real_three": float(valid_threes.max()),
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


@figure("ascent", inputs=lambda runs: (ascent(runs), ASCENT_SHOWN))
def ascended_pixels(climbed: Ascent, steps: Sequence[int]) -> Figure:
    """Return a blank image changed step by step to raise its "3" score, weights fixed."""
    images, scores = climbed.images, climbed.scores
    return shared.digit_grid(
        [images[step] for step in steps],
        [style.minus(f"step {step}\nscore {scores[step]:.1f}") for step in steps],
        f"Gradient ascent on the pixels of a blank image, the trained weights held fixed, "
        f"to make the model say 3 more strongly. Captions give the step and the score. The "
        f"score climbs from {scores[0]:.1f} to {scores[-1]:.1f}, far above any real "
        f"3's, but the image does not become a 3: every step adds the weights themselves, "
        f"so after {len(images) - 1} steps {climbed.inked:.0%} of the pixels are more than "
        f"half inked: wherever a weight is large and positive, border included. It is the weight "
        f"pattern, noise and all, not a digit.",
        columns=len(steps),
    )


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
