"""The site's figures: results in, a matplotlib Figure out (drawn in `style`'s palettes)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from lessons_code.website import style


def digit_templates(weights: np.ndarray) -> Figure:
    """Return the ten columns of a 784 → 10 linear model as ten 28×28 heatmaps, one scale."""
    weights = np.asarray(weights, dtype=float)
    n_digits = weights.shape[1]
    limit = style.limit(weights)
    figure = style.new_figure(
        9.2,
        4.3,
        f"The {n_digits} columns of weights of the trained linear model, one per digit, each "
        f"drawn as a 28 by 28 picture on one colour scale (strongest weight {limit:.2f} away "
        f"from 0). Orange pixels raise that digit's score when they have ink, purple pixels "
        f"lower it: most templates show a rough outline of their digit in orange, with purple "
        f"where other digits put their ink.",
    )
    columns = -(-n_digits // 2)
    axes = np.atleast_1d(figure.subplots(2, columns)).ravel()
    for digit, ax in enumerate(axes):
        if digit < n_digits:
            image = style.heatmap(ax, weights[:, digit], limit, f"“{digit}”")
        else:
            ax.set_visible(False)
    bar = style.colour_bar(figure, image, axes.tolist(), "weight", toward=False)
    bar.set_ticks(
        [-limit, 0, limit],
        labels=[
            f"{style.signed(-limit)}\nlowers\nthe score",
            "0",
            f"{style.signed(limit)}\nraises\nthe score",
        ],
    )
    return figure


CELL_INK = {"light": "#000000", "dark": "#ffffff"}  # text on a light and on a dark cell


def confusion_heatmap(confusion: np.ndarray, pairs: Sequence[tuple[int, int, int]]) -> Figure:
    """Return the 10 × 10 confusion matrix, the mistakes shaded, the named pairs outlined."""
    confusion = np.asarray(confusion)
    n = len(confusion)
    mistakes = confusion.copy()
    np.fill_diagonal(mistakes, 0)
    right = int(np.trace(confusion))
    named = "; ".join(
        f"a {true} called {said}, {count} time{'' if count == 1 else 's'}"
        for true, said, count in pairs
    )
    figure = style.new_figure(
        6.6,
        5.8,
        f"The confusion matrix of the linear model on the {confusion.sum():,} validation "
        f"images: one row per true digit, one column per digit the model said. The diagonal "
        f"holds the {right:,} right answers; every other cell counts one kind of mistake, "
        f"shaded darker the more often it happens. The most frequent, outlined: {named}.",
    )
    ax = figure.add_subplot()
    most = max(int(mistakes.max()), 1)
    image = ax.imshow(mistakes, cmap=style.DIGIT_CMAP, vmin=0, vmax=most)
    for true in range(n):
        for said in range(n):
            count = int(confusion[true, said])
            dark_cell = true != said and count > most / 2
            ax.text(
                said,
                true,
                f"{count:,}",
                ha="center",
                va="center",
                fontsize=8 if count < 1000 else 7,
                fontweight="bold" if true == said else "normal",
                color=CELL_INK["dark" if dark_cell else "light"],
            )
    for true, said, _ in pairs:
        ax.add_patch(
            Rectangle(
                (said - 0.5, true - 0.5),
                1,
                1,
                fill=False,
                edgecolor=style.VERMILLION,
                linewidth=2.5,
            )
        )
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
    ax.xaxis.set_ticks_position("top")
    ax.xaxis.set_label_position("top")
    ax.set(xlabel="the digit the model said", ylabel="the true digit")
    for spine in ax.spines.values():
        spine.set_visible(True)
    bar = figure.colorbar(image, ax=ax, shrink=0.8, aspect=25)
    bar.set_label("how often this mistake happens")
    bar.set_ticks([0, most], labels=["never", f"{most}×"])
    return figure
