"""The site's figures: results in, a matplotlib Figure out.

Each function builds its Figure directly (no pyplot, no global state), takes every
text and line colour from the rcParams, and stores its alt text, what a reader should
see, as the figure's label: `fig.get_label()`. Drawing the same figure inside
`matplotlib.rc_context(themed("light"))` or `themed("dark")` gives the two palettes of
the site. Saving is the build hook's job.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from lessons_code import apples_pears
from lessons_code.baseline import PixelSimilarity
from lessons_code.linear_model import EpochStats, TrainingRun, batch_accuracy, sigmoid

# Okabe–Ito colours: distinguishable with every common colour-vision deficiency.
BLUE, ORANGE, VERMILLION, GREEN = "#0072B2", "#E69F00", "#D55E00", "#009E73"
THREE_COLOUR, SEVEN_COLOUR = BLUE, ORANGE
WEIGHTS_CMAP = "PuOr_r"  # diverging, colour-blind safe: orange = toward "3", purple = "7"
DIGIT_CMAP = "gray_r"  # ink is dark on a light square, in both palettes

_COMMON = {
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.transparent": True,
    "svg.hashsalt": "lessons-code",
    "svg.fonttype": "path",
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "image.interpolation": "nearest",
}
LIGHT = {
    **_COMMON,
    "text.color": "#1f2328",
    "axes.labelcolor": "#1f2328",
    "axes.edgecolor": "#57606a",
    "xtick.color": "#57606a",
    "ytick.color": "#57606a",
    "grid.color": "#d0d7de",
}
DARK = {
    **_COMMON,
    "text.color": "#e6edf3",
    "axes.labelcolor": "#e6edf3",
    "axes.edgecolor": "#9da7b3",
    "xtick.color": "#9da7b3",
    "ytick.color": "#9da7b3",
    "grid.color": "#3d444d",
}


def themed(name: str) -> dict:
    """Return the rcParams of the site's "light" or "dark" palette."""
    themes = {"light": LIGHT, "dark": DARK}
    if name not in themes:
        raise ValueError(f"palette must be 'light' or 'dark', got {name!r}")
    return themes[name]


def _figure(width: float, height: float, alt: str) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    figure.set_label(alt)
    return figure


def _digit(ax, image: np.ndarray, title: str = "") -> None:
    """Draw one 28×28 image with a frame so a blank image still shows its square."""
    ax.imshow(np.asarray(image).reshape(28, 28), cmap=DIGIT_CMAP, vmin=0, vmax=1)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(True)
    if title:
        ax.set_title(title)


def _weights(ax, weights: np.ndarray, title: str = "", limit: float | None = None):
    """Draw 784 weights as a 28×28 diverging heatmap centred on 0; return the image."""
    weights = np.asarray(weights, dtype=float).reshape(28, 28)
    limit = limit or float(np.abs(weights).max()) or 1.0
    image = ax.imshow(weights, cmap=WEIGHTS_CMAP, norm=TwoSlopeNorm(0, -limit, limit))
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return image


def _colour_bar(figure: Figure, image, axes, label: str = "weight", toward: bool = True):
    """Add a colour bar; with toward=True its ends say which digit they push toward."""
    bar = figure.colorbar(image, ax=axes, shrink=0.85)
    limit = image.norm.vmax
    if toward:
        bar.set_ticks(
            [-limit, 0, limit], labels=[f"{-limit:.2g}\n→ “7”", "0", f"{limit:.2g}\n→ “3”"]
        )
    bar.set_label(label)


TOWARD = "Orange pushes the score toward 3, purple toward 7."


def weights_heatmap(weights: np.ndarray, initial_weights: np.ndarray) -> Figure:
    """Return the trained weights beside what training changed in them, as 28×28 heatmaps."""
    change = np.asarray(weights) - np.asarray(initial_weights)
    figure = _figure(
        8.5,
        3.8,
        "Left: the 784 weights after training, drawn as a 28 by 28 picture; they still "
        "look like the random noise they started as. Right: what training changed, the "
        "weights minus their random start: a 3 and a 7 appear, orange where 3s have ink "
        "and 7s do not, purple along the top bar and the stroke of a 7. The border, blank "
        "in every image, never changed. " + TOWARD,
    )
    left, right = figure.subplots(1, 2)
    _colour_bar(figure, _weights(left, weights, "the trained weights"), left)
    _colour_bar(figure, _weights(right, change, "what training changed"), right, "change")
    return figure


def weights_over_epochs(snapshots: Sequence[dict], epochs: Sequence[int]) -> Figure:
    """Return the weights at several epochs, and how far each has moved from the start."""
    epochs = [epoch for epoch in epochs if epoch < len(snapshots)]
    start = snapshots[0]["weights"]
    figure = _figure(
        1.9 * len(epochs) + 1.2,
        4.6,
        f"Top row: the weights after epochs {', '.join(map(str, epochs))}; the random start "
        "dominates and they change little to the eye. Bottom row: the weights minus their "
        "random start; from nothing at epoch 0, the pattern of a 3 against a 7 grows "
        "epoch after epoch. The training images never changed. " + TOWARD,
    )
    axes = figure.subplots(2, len(epochs))
    limit = max(float(np.abs(snapshots[e]["weights"]).max()) for e in epochs)
    change_limit = max(float(np.abs(snapshots[e]["weights"] - start).max()) for e in epochs)
    for column, epoch in enumerate(epochs):
        image = _weights(axes[0, column], snapshots[epoch]["weights"], f"epoch {epoch}", limit)
        change = snapshots[epoch]["weights"] - start
        changed = _weights(axes[1, column], change, "", change_limit or 1.0)
    axes[0, 0].set_ylabel("weights")
    axes[1, 0].set_ylabel("change since\nepoch 0")
    _colour_bar(figure, image, axes[0].tolist())
    _colour_bar(figure, changed, axes[1].tolist(), "change")
    return figure


def contribution_map(image: np.ndarray, weights: np.ndarray, bias: float) -> Figure:
    """Return an image, the weights, their product, and the score they add up to."""
    contributions = np.asarray(image) * np.asarray(weights)
    score = float(contributions.sum() + bias)
    verdict = "3" if score > 0 else "7"
    figure = _figure(
        9,
        3.2,
        f"Left, a handwritten digit. Middle, the weights. Right, pixel times weight: blank "
        f"pixels contribute exactly 0, inked pixels contribute their weight. The "
        f"contributions add up to {contributions.sum():.2f}; with the bias {float(bias):.2f} "
        f"the score is {score:.2f}, so the model says {verdict}.",
    )
    axes = figure.subplots(1, 3)
    _digit(axes[0], image, "the image (never changes)")
    limit = float(np.abs(weights).max())
    _weights(axes[1], weights, "× the weights", limit)
    product = _weights(axes[2], contributions, "= pixel × weight", limit)
    _colour_bar(figure, product, axes.tolist(), "contribution")
    axes[2].set_xlabel(
        f"sum {contributions.sum():.2f} + bias {float(bias):.2f}\n"
        f"= score {score:.2f}  →  “{verdict}”"
    )
    return figure


def bias_effect(predictions: np.ndarray, targets: np.ndarray, bias: float) -> Figure:
    """Return the scores with the decision line, what a bias shift does, and accuracy."""
    predictions, targets = np.asarray(predictions), np.asarray(targets)
    shifts = np.linspace(-15, 15, 121)
    accuracies = np.array([batch_accuracy(predictions + s, targets) for s in shifts])
    best = float(shifts[accuracies.argmax()])
    figure = _figure(
        10,
        3.4,
        f"Left: the scores of the validation 3s (blue) and 7s (orange), split by the "
        f"decision line at score 0. Middle: adding 5 to the bias slides every score 5 to the "
        f"right, so some 7s cross the line and are called 3. Right: accuracy against the "
        f"shift added to the trained bias ({bias:.2f}); it is highest near no shift "
        f"(best shift {best:+.1f}).",
    )
    axes = figure.subplots(1, 3)
    edges = np.linspace(
        np.percentile(predictions, 0.5) - 5, np.percentile(predictions, 99.5) + 5, 50
    )
    for ax, shift, title in ((axes[0], 0.0, "trained bias"), (axes[1], 5.0, "bias + 5")):
        for label, colour, name in ((1, THREE_COLOUR, "3s"), (0, SEVEN_COLOUR, "7s")):
            ax.hist(
                predictions[targets == label] + shift,
                bins=edges + shift,
                color=colour,
                alpha=0.7,
                label=name,
            )
        ax.axvline(0, color=mpl.rcParams["text.color"], linestyle="--", linewidth=1.2)
        ax.text(0, ax.get_ylim()[1] * 0.95, " line: score 0", va="top")
        ax.set_title(title)
        ax.set_xlabel("score")
    axes[0].set_ylabel("validation images")
    axes[0].legend(loc="upper left")
    axes[2].plot(shifts, accuracies, color=BLUE)
    axes[2].axvline(0, color=mpl.rcParams["text.color"], linestyle=":", linewidth=1)
    axes[2].set_xlabel("shift added to the bias")
    axes[2].set_ylabel("validation accuracy")
    axes[2].set_title("accuracy against bias")
    return figure


def loss_curves(history: Sequence[EpochStats]) -> Figure:
    """Return the train and valid loss per epoch beside the valid accuracy per epoch."""
    epochs = [stats.epoch for stats in history]
    first, last = history[0], history[-1]
    figure = _figure(
        8,
        3.2,
        f"Left: the loss falls epoch after epoch, on the training images from "
        f"{first.train_loss:.3f} to {last.train_loss:.3f} and on the validation images from "
        f"{first.valid_loss:.3f} to {last.valid_loss:.3f}. Right: validation accuracy rises "
        f"from {first.valid_accuracy:.1%} to {last.valid_accuracy:.1%}.",
    )
    loss_ax, accuracy_ax = figure.subplots(1, 2)
    loss_ax.plot(epochs, [s.train_loss for s in history], "o-", color=BLUE, label="train")
    loss_ax.plot(epochs, [s.valid_loss for s in history], "s--", color=ORANGE, label="valid")
    loss_ax.set(xlabel="epoch", ylabel="mnist_loss", title="loss per epoch")
    loss_ax.legend()
    accuracy_ax.plot(epochs, [s.valid_accuracy for s in history], "o-", color=GREEN)
    accuracy_ax.set(xlabel="epoch", ylabel="validation accuracy", title="accuracy per epoch")
    return figure


def learning_rates(runs: dict[float, TrainingRun]) -> Figure:
    """Return the loss curves of runs with different learning rates, side by side."""
    styles = (("o-", VERMILLION), ("s-", BLUE), ("^-", ORANGE), ("d-", GREEN))
    summary = "; ".join(
        f"learning rate {rate:g} ends at loss {run.history[-1].train_loss:.3f} and accuracy "
        f"{run.history[-1].valid_accuracy:.1%}"
        for rate, run in runs.items()
    )
    figure = _figure(
        8,
        3.4,
        f"Training loss (left) and validation accuracy (right) per epoch for each "
        f"learning rate: {summary}.",
    )
    loss_ax, accuracy_ax = figure.subplots(1, 2)
    for (rate, run), (marker, colour) in zip(runs.items(), styles, strict=False):
        epochs = [s.epoch for s in run.history]
        label = f"lr {rate:g}"
        loss_ax.plot(
            epochs,
            [s.train_loss for s in run.history],
            marker,
            color=colour,
            label=label,
            markersize=4,
        )
        accuracy_ax.plot(
            epochs,
            [s.valid_accuracy for s in run.history],
            marker,
            color=colour,
            label=label,
            markersize=4,
        )
    loss_ax.set(xlabel="epoch", ylabel="training loss", title="loss")
    accuracy_ax.set(xlabel="epoch", ylabel="validation accuracy", title="accuracy")
    loss_ax.legend()
    return figure


def ideal_digits_vs_weights(
    similarity: PixelSimilarity, weights: np.ndarray, initial_weights: np.ndarray
) -> Figure:
    """Return the pixel-similarity ideal 3 and 7 beside what training taught the weights."""
    figure = _figure(
        9,
        3.2,
        f"Left and middle: the ideal 3 and the ideal 7, the average of every training 3 and "
        f"7; comparing a new image to them gets {similarity.accuracy:.1%} of the validation "
        f"images right. Right: what training taught the weights (the weights minus their "
        f"random start), one signed number per pixel saying how much ink there is evidence "
        f"for a 3 (orange) or for a 7 (purple).",
    )
    axes = figure.subplots(1, 3)
    _digit(axes[0], similarity.ideal_3, "ideal 3 (mean of the 3s)")
    _digit(axes[1], similarity.ideal_7, "ideal 7 (mean of the 7s)")
    change = np.asarray(weights) - np.asarray(initial_weights)
    _colour_bar(figure, _weights(axes[2], change, "learned: weights − start"), axes[2], "change")
    return figure


def apples_pears_descent(
    receipts: Sequence[apples_pears.Receipt], descent: apples_pears.Descent
) -> Figure:
    """Return the receipts' loss surface over the two prices with the descent path."""
    path = descent.prices
    start, end = path[0], path[-1]
    apples = np.linspace(-1, 6, 141)
    pears = np.linspace(-1, 10, 221)
    surface = apples_pears.loss_surface(receipts, apples, pears)
    figure = _figure(
        6,
        4.6,
        f"Contour map of the loss over the apple and pear prices. Gradient descent starts "
        f"from the guess apple {start[0]:g}, pear {start[1]:g} (loss {descent.losses[0]:.0f}) "
        f"and walks downhill to apple {end[0]:.2f}, pear {end[1]:.2f}, the bottom of the "
        f"valley, where the loss is {descent.losses[-1]:.1g}.",
    )
    ax = figure.add_subplot()
    levels = np.geomspace(0.05, surface.max(), 14)
    contours = ax.contour(apples, pears, surface, levels=levels, cmap="viridis", linewidths=1)
    figure.colorbar(contours, ax=ax, label="loss (mean squared error, cents²)", format="%.2g")
    shown = path[: min(len(path), 60)]
    ax.plot(shown[:, 0], shown[:, 1], ".-", color=VERMILLION, markersize=4, label="descent")
    ax.plot(*start, "o", color=VERMILLION, markersize=8)
    ax.annotate(
        f"first guess ({start[0]:g}, {start[1]:g})",
        start,
        xytext=(8, 0),
        textcoords="offset points",
    )
    ax.plot(*end, "*", color=GREEN, markersize=14, label="true prices")
    ax.set(
        xlabel="apple price (cents)",
        ylabel="pear price (cents)",
        title="the loss surface and the path downhill",
    )
    ax.legend(loc="lower left")
    return figure


def one_receipt_line(
    receipt: apples_pears.Receipt, receipts: Sequence[apples_pears.Receipt]
) -> Figure:
    """Return the line of prices that fit one receipt, crossed by a second receipt's line."""
    second = next(r for r in receipts if r.quantities != receipt.quantities and r.quantities[1])
    apples = np.linspace(0, 2.5, 50)
    prices = apples_pears.solve_prices([receipt, second])
    describe = " + ".join(
        f"{q:g} {n}" for q, n in zip(receipt.quantities, ("apples", "pears"), strict=True)
    )
    figure = _figure(
        5.5,
        4,
        f"Every point on the solid line is a pair of prices that makes {describe} cost "
        f"{receipt.total:g} cents: one receipt cannot decide the prices. A second receipt "
        f"draws a second line; the two cross at one point, apple {prices[0]:g} and pear "
        f"{prices[1]:g}.",
    )
    ax = figure.add_subplot()
    for r, colour, style in ((receipt, BLUE, "-"), (second, ORANGE, "--")):
        q_apples, q_pears = r.quantities
        ax.plot(
            apples,
            apples_pears.pear_prices_fitting(r, apples),
            style,
            color=colour,
            linewidth=2,
            label=f"{q_apples:g} apples + {q_pears:g} pears = {r.total:g}",
        )
    ax.plot(*prices, "o", color=GREEN, markersize=10, label="fits both receipts")
    ax.set(
        xlabel="apple price (cents)",
        ylabel="pear price (cents)",
        xlim=(0, 2.5),
        ylim=(0, 4),
        title="one receipt: a line of answers",
    )
    ax.legend(loc="upper right")
    return figure


def sigmoid_curve(scores: np.ndarray) -> Figure:
    """Return the sigmoid curve with a few scores mapped to their probabilities."""
    scores = np.asarray(scores, dtype=float)
    probabilities = sigmoid(scores)
    pairs = ", ".join(f"{s:g} → {p:.2f}" for s, p in zip(scores, probabilities, strict=True))
    figure = _figure(
        6,
        3.6,
        f"The sigmoid turns any score into a number between 0 and 1, read as the "
        f"probability of a 3. Score 0 gives 0.5; big positive scores approach 1, big "
        f"negative ones approach 0. Marked: {pairs}.",
    )
    ax = figure.add_subplot()
    xs = np.linspace(-8, 8, 200)
    ax.plot(xs, sigmoid(xs), color=BLUE, linewidth=2)
    ax.axhline(0.5, color=mpl.rcParams["grid.color"], linestyle=":")
    for s, p in zip(scores, probabilities, strict=True):
        ax.plot(s, p, "o", color=VERMILLION)
        ax.annotate(f"{s:g} → {p:.2f}", (s, p), xytext=(6, -12), textcoords="offset points")
    ax.set(
        xlabel="score",
        ylabel="sigmoid(score)",
        ylim=(-0.05, 1.05),
        title="sigmoid: score to probability",
    )
    return figure


def digit_grid(
    images: Sequence[np.ndarray], captions: Sequence[str], alt: str, columns: int | None = None
) -> Figure:
    """Return 28×28 images in rows of `columns`, each with its caption underneath."""
    if len(images) != len(captions) or not len(images):
        raise ValueError(f"need one caption per image, got {len(images)} and {len(captions)}")
    columns = columns or len(images)
    rows = -(-len(images) // columns)
    figure = _figure(1.6 * columns, 2.2 * rows, alt)
    axes = np.atleast_1d(figure.subplots(rows, columns)).ravel()
    for index, ax in enumerate(axes):
        if index < len(images):
            _digit(ax, images[index])
            ax.set_xlabel(captions[index])
        else:
            ax.set_visible(False)
    return figure


def hidden_units(w1: np.ndarray, n: int = 10) -> Figure:
    """Return the incoming weights of the first n hidden units as 28×28 heatmaps."""
    n = min(n, w1.shape[1])
    columns = 5
    rows = -(-n // columns)
    figure = _figure(
        2 * columns,
        2.1 * rows,
        f"The incoming weights of {n} of the two-layer net's hidden units, each drawn as a "
        f"28 by 28 picture. Each unit has learned its own pattern of strokes to look for.",
    )
    axes = np.atleast_1d(figure.subplots(rows, columns)).ravel()
    limit = float(np.abs(w1[:, :n]).max())
    for unit, ax in enumerate(axes):
        if unit < n:
            image = _weights(ax, w1[:, unit], f"unit {unit + 1}", limit)
        else:
            ax.set_visible(False)
    _colour_bar(figure, image, axes.tolist(), "weight into the unit", toward=False)
    return figure
