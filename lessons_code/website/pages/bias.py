"""What "What is the bias for?" (docs/bias.md) states: the best shift of the bias, the
`bias` numbers, and the bias-effect figure."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from lessons_code.linear_model import batch_accuracy
from lessons_code.website import style
from lessons_code.website.pages import shared
from lessons_code.website.register import figure, numbers
from lessons_code.website.runs import Runs

SHIFTS = np.round(np.arange(-10, 10.001, 0.1), 1)
"""The shifts of the trained bias searched for the most accurate one: -10 to 10 by 0.1."""


@dataclass(frozen=True)
class BiasShift:
    """The shift of the trained bias that gives the best validation accuracy."""

    shift: float  # the best of SHIFTS; of equally good ones, the smallest in size
    accuracy: float  # the validation accuracy with it


def most_accurate_shift(scores: np.ndarray, targets: np.ndarray) -> BiasShift:
    """Return the shift of SHIFTS that, added to every score, gives the best accuracy."""
    scores = np.asarray(scores, dtype=np.float64)
    accuracies = [batch_accuracy(scores + shift, targets) for shift in SHIFTS]
    best = max(range(len(SHIFTS)), key=lambda i: (accuracies[i], -abs(SHIFTS[i])))
    return BiasShift(float(SHIFTS[best]), float(accuracies[best]))


def best_shift(runs: Runs) -> BiasShift:
    """Return the best shift of the trained linear model's bias on the validation set."""
    return most_accurate_shift(shared.valid_scores(runs), runs.mnist.valid_y)


@numbers("bias")
def bias_numbers(runs: Runs) -> dict:
    """Return where the bias started and ended, the scores' typical size, and its best shift."""
    scores = shared.valid_scores(runs).astype(np.float64)
    start, trained = float(runs.linear.initial["bias"]), float(runs.linear.params["bias"])
    best = best_shift(runs)
    trained_accuracy = batch_accuracy(scores, runs.mnist.valid_y)
    return {
        "start": start,
        "trained": trained,
        "moved": abs(trained - start),
        "typical_score": float(np.median(np.abs(scores))),
        "best_shift": best.shift,
        "best_accuracy": best.accuracy,
        "best_gain_images": round((best.accuracy - trained_accuracy) * len(scores)),
        "chance_images": shared.CHANCE_IMAGES,
        "mean_weight_change": shared.weight_move(runs.linear).mean_change,
    }


@figure(
    "bias-effect",
    inputs=lambda runs: (
        shared.valid_scores(runs),
        runs.mnist.valid_y,
        float(runs.linear.params["bias"]),
        best_shift(runs),
    ),
)
def bias_effect(
    predictions: np.ndarray,
    targets: np.ndarray,
    bias: float,
    best: BiasShift,
    shift: float = 5.0,
) -> Figure:
    """Return the scores split at 0, the same scores after a bias shift, and accuracy
    against the shift, drawn on a grid wide enough for the scores; the alt text states
    the best shift of `best`."""
    predictions = np.asarray(predictions, dtype=float)
    threes = np.asarray(targets) == 1
    shifted = predictions + shift  # adding to the bias adds the same to every score
    newly_three = int((~threes & (predictions <= 0) & (shifted > 0)).sum())
    newly_seven = int((threes & (predictions > 0) & (shifted <= 0)).sum())
    reach = max(float(np.ptp(predictions)) / 2, 2 * abs(shift), 1.0)
    shifts = np.linspace(-reach, reach, 201)  # odd count: 0 (the trained bias) is on it
    accuracies = np.array([batch_accuracy(predictions + s, targets) for s in shifts])
    trained, moved = batch_accuracy(predictions, targets), batch_accuracy(shifted, targets)
    lost = f", while {newly_seven} 3s fall below it" if newly_seven else ""
    figure = style.new_figure(
        3.7,
        8.6,
        f"First: the scores of the validation 3s (orange) and 7s (purple), split by the "
        f"line at score 0: above 0 the model says 3. Second: adding {shift:g} to the bias "
        f"slides every score {shift:g} to the right; {newly_three} more 7s cross the line "
        f"and are called 3{lost}. Third: validation accuracy against the "
        f"shift added to the trained bias ({bias:.2f}): {trained:.1%} with no shift, "
        f"{moved:.1%} with {shift:+g}, at best {best.accuracy:.1%} with a shift of "
        f"{best.shift:+.1f}.",
    )
    axes = style.panels(figure, 3)
    axes[0].sharex(axes[1])
    axes[0].sharey(axes[1])
    edges = np.linspace(
        min(predictions.min(), shifted.min()), max(predictions.max(), shifted.max()), 51
    )
    tallest = max(
        np.histogram(scores[chosen], edges)[0].max(initial=0)
        for scores in (predictions, shifted)
        for chosen in (threes, ~threes)
    )
    panels = (
        (axes[0], predictions, "the trained bias"),
        (axes[1], shifted, f"bias {shift:+g}: every score {shift:+g}"),
    )
    for ax, scores, title in panels:
        for chosen, colour, name in (
            (threes, style.THREE_COLOUR, "3s"),
            (~threes, style.SEVEN_COLOUR, "7s"),
        ):
            ax.hist(scores[chosen], bins=edges, histtype="stepfilled", color=colour, alpha=0.35)
            ax.hist(scores[chosen], bins=edges, histtype="step", color=colour, label=name)
        ax.axvline(0, color=style.ink(), linestyle="--", linewidth=1.2)
        on_top = ax.get_xaxis_transform()  # x in scores, y as a fraction of the height
        ax.text(0, 1.0, "says 7 ← ", transform=on_top, ha="right", va="bottom", fontsize=9)
        ax.text(0, 1.0, " → says 3", transform=on_top, ha="left", va="bottom", fontsize=9)
        ax.set_title(title, pad=16)
        ax.set_xlabel("score")
    axes[0].set_ylim(0, 1.4 * tallest)  # room above the bars for the legend and the arrow
    axes[0].set_ylabel("validation images")
    axes[0].legend(loc="upper left", title="validation", alignment="left", ncols=2)
    sevens_middle = float(np.median(predictions[~threes])) if (~threes).any() else 0.0
    axes[1].annotate(
        "",
        xy=(sevens_middle + shift, 1.15 * tallest),
        xytext=(sevens_middle, 1.15 * tallest),
        arrowprops={
            "arrowstyle": "-|>",
            "color": style.ink(),
            "linewidth": 2,
            "mutation_scale": 14,
        },
    )
    axes[1].text(
        0.02 * np.ptp(edges),
        1.35 * tallest,
        f"{newly_three} more 7s\nnow called 3",
        va="top",
        fontsize=9,
    )
    ax = axes[2]
    ax.plot(shifts, accuracies, color=style.BLUE)
    for x, accuracy, colour, label, where in (
        (0, trained, style.ink(), f"trained bias\n{trained:.1%}", (0.5, 0.45)),
        (shift, moved, style.SEVEN_COLOUR, f"bias {shift:+g}\n{moved:.1%}", (0.72, 0.72)),
    ):
        ax.plot(x, accuracy, "o", color=colour, markersize=6)
        ax.annotate(
            label,
            (x, accuracy),
            xytext=where,
            textcoords="axes fraction",
            ha="left" if where[0] > 0.5 else "center",
            va="top",
            fontsize=9,
            arrowprops={"arrowstyle": "->", "color": style.ink(), "linewidth": 1, "shrinkB": 4},
        )
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set(xlabel="shift added to the trained bias", ylabel="validation accuracy")
    ax.set_title("accuracy against bias", pad=16)
    return figure
