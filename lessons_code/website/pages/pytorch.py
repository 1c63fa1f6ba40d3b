"""What "From numpy to PyTorch" (docs/pytorch.md) states: the shapes of the chapter's
arrays, how the DataLoader batches the training set, and three pictures of them:
broadcasting, a batch through `view` and `@`, and the two-layer net."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from lessons_code import arrays, baseline, learner, linear_model, neural_net
from lessons_code.data import digit_name
from lessons_code.website import style
from lessons_code.website.register import figure, numbers
from lessons_code.website.runs import Runs


def shape(shape: tuple[int, ...]) -> str:
    """Return a shape as Python prints it: "(400, 28, 28)", "(200,)"."""
    return str(tuple(int(size) for size in shape))


@numbers("arrays")
def array_numbers(runs: Runs) -> dict:
    """Return the shapes and ranks of the arrays the chapter stacks, averages and subtracts."""
    mnist = runs.mnist
    threes = arrays.digit_images(mnist.train_x, mnist.train_y, 1.0)
    sevens = arrays.digit_images(mnist.train_x, mnist.train_y, 0.0)
    stacked_threes = arrays.stack_digits(threes)
    valid_threes = arrays.stack_digits(arrays.digit_images(mnist.valid_x, mnist.valid_y, 1.0))
    mean3 = stacked_threes.mean(0)
    train_x = arrays.as_rows(arrays.stack_digits(threes + sevens))
    ideal_3, _ = baseline.ideal_digits(mnist.train_x, mnist.train_y)
    valid_rows = arrays.as_rows(valid_threes)
    return {
        "threes": len(threes),
        "sevens": len(sevens),
        "stacked_threes_shape": shape(stacked_threes.shape),
        "stacked_threes_rank": arrays.rank(stacked_threes),
        "image_shape": shape(threes[0].shape),
        "mean3_shape": shape(mean3.shape),
        "mean3_rank": arrays.rank(mean3),
        "valid_threes_shape": shape(valid_threes.shape),
        "difference_shape": shape((valid_threes - mean3).shape),
        "train_x_shape": shape(train_x.shape),
        "train_y_shape": shape((len(train_x), 1)),  # the chapter's unsqueeze(1)
        "rows_shape": shape(valid_rows.shape),
        "ideal_shape": shape(ideal_3.shape),
        "rows_difference_shape": shape((valid_rows - ideal_3).shape),
        "distances_shape": shape(baseline.mnist_distance(valid_rows, ideal_3).shape),
    }


@numbers("dataloader")
def dataloader_numbers(runs: Runs) -> dict:
    """Return how the DataLoader cuts the training set into batches, and the first batch's
    shapes."""
    mnist = runs.mnist
    recipe = linear_model.RECIPE
    dls = learner.dataloaders(mnist, recipe.batch_size, np.random.default_rng(recipe.seed))
    sizes = [len(xb) for xb, _ in dls.train]
    xb, yb = next(iter(dls.train))
    return {
        "batch_size": recipe.batch_size,
        "batches": len(dls.train),
        "last_batch_size": sizes[-1],
        "first_xb_shape": shape(xb.shape),
        "first_yb_shape": shape(yb.shape),
    }


@numbers("batch_mean")
def batch_mean_numbers(runs: Runs) -> dict:
    """Return the trained linear model's validation accuracy as the chapter's validate_epoch
    takes it (the mean of each batch's accuracy) and as ours does (the whole set at once)."""
    mnist, recipe = runs.mnist, linear_model.RECIPE
    scores = linear_model.predict(runs.linear.params, mnist.valid_x)
    starts = range(0, len(scores), recipe.batch_size)
    accuracies = [
        linear_model.batch_accuracy(
            scores[i : i + recipe.batch_size], mnist.valid_y[i : i + recipe.batch_size]
        )
        for i in starts
    ]
    return {
        "batches": len(accuracies),
        "last_batch_size": len(scores) - starts[-1],
        "batch_mean": float(np.mean(accuracies)),
        "whole_set": linear_model.batch_accuracy(scores, mnist.valid_y),
    }


N_SHOWN = 3
"""How many images of a stack the shape figures draw, one behind another."""
BATCH_ROWS = 16
"""How many rows of the first batch the view-and-@ figure draws: enough to see rows."""


def _stack(ax, images: np.ndarray, faded: bool = False) -> None:
    """Draw up to N_SHOWN 28×28 images as a stack of cards, the first in front; faded
    cards are drawn pale and dashed: copies that are not made."""
    side = 28
    step = 5
    for index in reversed(range(min(N_SHOWN, len(images)))):
        left, bottom = index * step, index * step
        pale = faded and index > 0
        ax.imshow(
            images[index],
            cmap=style.DIGIT_CMAP,
            vmin=0,
            vmax=1,
            extent=(left, left + side, bottom, bottom + side),
            alpha=0.35 if pale else 1.0,
            zorder=2 * (N_SHOWN - index),  # the first card in front
        )
        ax.add_patch(
            Rectangle(
                (left, bottom),
                side,
                side,
                fill=False,
                edgecolor=mpl.rcParams["axes.edgecolor"],
                linestyle="--" if pale else "-",
                linewidth=1,
                zorder=2 * (N_SHOWN - index) + 1,
            )
        )
    reach = side + step * (N_SHOWN - 1)
    ax.set(xlim=(-1, reach + 1), ylim=(-1, reach + 1), aspect="equal")
    ax.set_axis_off()


def broadcast_inputs(runs: Runs) -> tuple:
    """Return the validation 3s stacked, the mean training 3, and their shapes."""
    mnist = runs.mnist
    valid_threes = arrays.stack_digits(arrays.digit_images(mnist.valid_x, mnist.valid_y, 1.0))
    mean3 = arrays.stack_digits(arrays.digit_images(mnist.train_x, mnist.train_y, 1.0)).mean(0)
    return valid_threes, mean3


@figure("broadcasting", inputs=broadcast_inputs)
def broadcasting(valid_threes: np.ndarray, mean3: np.ndarray) -> Figure:
    """Return the validation 3s minus the mean 3: the shapes lined up from the right, the
    mean 3 acting as if copied once per image, and the difference, one per image."""
    difference = np.abs(valid_threes - mean3)  # (n, 28, 28) - (28, 28) -> (n, 28, 28)
    n = len(valid_threes)
    shapes = [shape(a.shape) for a in (valid_threes, mean3, difference)]
    figure = style.new_figure(
        2.6,
        5.0,
        f"Broadcasting in mnist_distance, with this build's arrays. The {n} validation 3s, "
        f"shape {shapes[0]}, minus the mean 3, shape {shapes[1]}. Lined up from the right, "
        f"the last two axes match, 28 and 28, and the mean 3 has no first axis: it acts as if "
        f"copied {n} times (drawn pale: nothing is copied). The difference has shape "
        f"{shapes[2]}: one picture per image, dark where that 3 and the mean 3 differ.",
    )
    columns = style.columns(4, 2)
    axes = figure.subplots(4 // columns, columns).ravel()
    _stack(axes[0], valid_threes)
    axes[0].set_title(f"the validation 3s\n{shapes[0]}\n")
    _stack(axes[1], np.stack([mean3] * N_SHOWN), faded=True)
    axes[1].set_title(f"− the mean 3\n{shapes[1]}\nas if ×{n}")
    _stack(axes[2], difference)
    axes[2].set_title(f"= |difference|\n{shapes[2]}\n")
    ax = axes[3]
    ax.set_axis_off()
    width = max(map(len, shapes))
    lined_up = "\n".join(s.rjust(width) for s in shapes)
    ax.text(0.5, 0.55, lined_up, ha="center", va="center", family="monospace", linespacing=1.6)
    ax.set_title("shapes, lined up\nfrom the right\n")
    return figure


def first_batch(runs: Runs) -> tuple[np.ndarray, np.ndarray]:
    """Return the first training batch of the chapter's recipe, as the DataLoader gives it."""
    recipe = linear_model.RECIPE
    dls = learner.dataloaders(runs.mnist, recipe.batch_size, np.random.default_rng(recipe.seed))
    xb, yb = next(iter(dls.train))
    return xb, yb


def _score_bars(ax, scores: np.ndarray) -> None:
    """Draw one horizontal bar per score, the first on top: orange above 0 (says 3),
    purple below (says 7)."""
    colours = [style.THREE_COLOUR if s > 0 else style.SEVEN_COLOUR for s in scores]
    ax.barh(np.arange(len(scores)), scores, color=colours, height=0.7)
    ax.axvline(0, color=style.ink(), linewidth=1)
    ax.set_ylim(len(scores) - 0.5, -0.5)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)


@figure(
    "view-and-matmul",
    inputs=lambda runs: (
        *first_batch(runs),
        runs.linear.params["weights"],
        runs.linear.params["bias"],
    ),
)
def view_and_matmul(xb: np.ndarray, yb: np.ndarray, weights: np.ndarray, bias: float) -> Figure:
    """Return the first batch as 28×28 images, as rows of 784 pixels (`view`), and the one
    score per image that `@ weights + bias` gives."""
    images = np.asarray(xb).reshape(-1, 28, 28)  # the chapter's (bs, 28, 28)
    rows = images.reshape(-1, 28 * 28)  # view(-1, 28*28): (bs, 784)
    scores = rows @ np.asarray(weights) + float(bias)  # (bs, 784) @ (784,) -> (bs,)
    n, k = len(rows), min(BATCH_ROWS, len(rows))
    threes = int((scores > 0).sum())
    figure = style.new_figure(
        2.7,
        6.6,
        f"This build's first training batch going through view and @. {n} images, shape "
        f"{shape(images.shape)}, as the chapter holds them; view(-1, 28*28) lays each out as "
        f"one row of 784 pixels, shape {shape(rows.shape)}: the first {k} rows are drawn, a "
        f"digit's 28 pixel rows one after another, the numbers unmoved, only the shape "
        f"changed. Then @ the 784 trained weights, plus the bias {float(bias):.2f}, gives one "
        f"score per image, shape {shape(scores.shape)}: {threes} of the {n} score above 0, "
        f"where the model says 3.",
    )
    if style.narrow():
        grid = figure.add_gridspec(3, 1, height_ratios=[1.3, 1, 1.3])
    else:
        grid = figure.add_gridspec(1, 3, width_ratios=[1, 2.3, 1.3])
    cards, matrix, bars = (figure.add_subplot(grid[index]) for index in range(3))
    _stack(cards, images)
    cards.set_title(f"a batch: xb\n{shape(images.shape)}")
    matrix.imshow(rows[:k], cmap=style.DIGIT_CMAP, vmin=0, vmax=1, aspect="auto")
    style.frame(matrix, f"xb.view(-1, 28*28)\n{shape(rows.shape)}: a row per image")
    matrix.set_xlabel(f"784 pixels (the first {k} rows drawn)")
    _score_bars(bars, scores[:k])
    bars.set_title(f"@ weights + bias\n{shape(scores.shape)}: a score each")
    bars.set_xlabel("score: > 0 says 3")
    return figure


@figure(
    "two-layer-net",
    inputs=lambda runs: (runs.mnist.valid_x[0], runs.mnist.valid_y[0], runs.net.params),
)
def two_layer_net(image: np.ndarray, target: float, params: dict) -> Figure:
    """Return one image through the two-layer net: the 30 numbers of the first layer, the
    same after the ReLU, and the score the second layer makes of them."""
    x = np.asarray(image, dtype=np.float64)
    before = x @ params["w1"] + params["b1"]  # (784,) @ (784, 30) -> (30,)
    hidden = neural_net.relu(before)
    score = float(hidden @ params["w2"] + params["b2"])  # (30,) @ (30,) -> ()
    units = len(before)
    zeroed = int((before <= 0).sum())
    says = "3" if score > 0 else "7"
    figure = style.new_figure(
        3.0,
        6.8,
        f"One validation image, a {digit_name(target)}, through this build's trained two-layer "
        f"net. Its 784 pixels @ w1 plus b1 give {units} numbers, one per hidden unit, from "
        f"{before.min():.2f} to {before.max():.2f}; the ReLU sets the {zeroed} negative ones "
        f"to 0 and keeps the other {units - zeroed}; @ w2 plus b2 turns those {units} numbers "
        f"into one score, {score:.2f}, so the net says {says}.",
    )
    if style.narrow():  # the image and its score above the two layers' numbers
        grid = figure.add_gridspec(2, 2, height_ratios=[1, 2.2])
        image_ax, score_ax = figure.add_subplot(grid[0, 0]), figure.add_subplot(grid[0, 1])
        layers, relu_ax = figure.add_subplot(grid[1, 0]), figure.add_subplot(grid[1, 1])
    else:
        image_ax, layers, relu_ax, score_ax = figure.subplots(
            1, 4, gridspec_kw={"width_ratios": [1, 1.2, 1.2, 1]}
        )
    style.digit(image_ax, x, f"a {digit_name(target)}\n(784,)")
    for ax, values, title in (
        (layers, before, f"@ w1 + b1\n({units},)"),
        (relu_ax, hidden, f"ReLU\n{zeroed} set to 0"),
    ):
        ax.barh(np.arange(units), values, color=style.BLUE, height=0.7)
        ax.axvline(0, color=style.ink(), linewidth=1)
        ax.set_ylim(units - 0.5, -0.5)
        ax.set_title(title)
        ax.set_xlabel("value")
    layers.set_ylabel(f"hidden unit (1 to {units})")
    layers.set_yticks([])
    relu_ax.tick_params(labelleft=False, left=False)
    score_ax.set_axis_off()
    score_ax.set_title("@ w2 + b2\none score")
    score_ax.text(
        0.5,
        0.5,
        style.minus(f"score\n{score:+.2f}\nsays “{says}”"),
        ha="center",
        va="center",
        fontsize=mpl.rcParams["axes.titlesize"] * 1.3,
        color=style.THREE_COLOUR if score > 0 else style.SEVEN_COLOUR,
        transform=score_ax.transAxes,
    )
    return figure
