"""What "From numpy to PyTorch" (docs/pytorch.md) states: the shapes of the chapter's
arrays, how the DataLoader batches the training set, and three pictures of them:
broadcasting, a batch through `view` and `@`, and the two-layer net."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from lessons_code import arrays, baseline, learner, linear_model
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
