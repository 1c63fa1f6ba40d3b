"""The site's figures: results in, a matplotlib Figure out (drawn in `style`'s palettes)."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from lessons_code import apples_pears
from lessons_code.website import style


def _items(quantities: Sequence[float]) -> str:
    """Return a basket in words: "3 apples + 1 pear"."""
    apples, pears = quantities
    return (
        f"{apples:g} apple{'' if apples == 1 else 's'} + {pears:g} pear{'' if pears == 1 else 's'}"
    )


def _small(loss: float) -> str:
    """Return a loss near 0 the way a newcomer reads it: "0.0312", or "about 0"."""
    return f"{loss:.4f}" if loss >= 5e-5 else "about 0"


LOSS_LEVELS = (0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 3000)
"""The loss of each contour line on the apples-and-pears map: evenly spaced in log scale."""


def apples_pears_descent(
    receipts: Sequence[apples_pears.Receipt], descent: apples_pears.Descent
) -> Figure:
    """Return the receipts' loss surface over the two prices with the descent path."""
    path = descent.prices
    start, end = path[0], path[-1]
    steps = len(path) - 1
    low = np.minimum(path.min(axis=0), 0) - 1
    high = np.maximum(path.max(axis=0), end) + 1
    apples = np.linspace(low[0], high[0], 141)
    pears = np.linspace(low[1], high[1], 141)
    surface = apples_pears.loss_surface(receipts, apples, pears)
    figure = style.new_figure(
        6.5,
        5,
        f"Contour map of the loss over the apple and pear prices; each line joins prices "
        f"with the same loss, like heights on a hiking map. Gradient descent starts from "
        f"the guess apple {start[0]:g}, pear {start[1]:g} (loss {descent.losses[0]:.0f}) and "
        f"walks downhill in {steps} steps to apple {end[0]:.2f}, pear {end[1]:.2f}, the "
        f"bottom of the valley, where the loss is {_small(descent.losses[-1])}.",
    )
    ax = figure.add_subplot()
    levels = [level for level in LOSS_LEVELS if level < surface.max()]
    lines = ax.contour(
        apples, pears, surface, levels=levels, colors=mpl.rcParams["axes.edgecolor"], linewidths=0.8
    )
    ax.clabel(lines, [level for level in levels if level >= 1], fmt="%g", fontsize=8)
    first_steps = path[: min(len(path), 12)]
    ax.plot(
        first_steps[:, 0],
        first_steps[:, 1],
        "o",
        color=style.VERMILLION,
        markersize=4,
        label="gradient descent:\none dot per step",
    )
    ax.plot(path[:, 0], path[:, 1], "-", color=style.VERMILLION, linewidth=1.5)
    ax.plot(*start, "o", color=style.VERMILLION, markersize=9)
    ax.annotate(
        f"first guess ({start[0]:g}, {start[1]:g})\nloss {descent.losses[0]:.0f}",
        start,
        xytext=(-10, 0),
        textcoords="offset points",
        ha="right",
        va="center",
    )
    ax.plot(
        *end,
        "*",
        color=style.GREEN,
        markersize=15,
        markeredgecolor=style.ink(),
        markeredgewidth=0.6,
    )
    ax.annotate(
        f"after {steps} steps\n({end[0]:.2f}, {end[1]:.2f}), loss {_small(descent.losses[-1])}",
        end,
        xytext=(40, -50),
        textcoords="offset points",
        va="top",
        arrowprops={"arrowstyle": "->", "color": style.ink(), "linewidth": 1, "shrinkB": 8},
    )
    ax.legend(loc="upper left")
    ax.set(
        xlabel="apple price (cents)",
        ylabel="pear price (cents)",
        title="the loss of every pair of prices, and the path downhill",
    )
    return figure


def one_receipt_line(
    receipt: apples_pears.Receipt, receipts: Sequence[apples_pears.Receipt]
) -> Figure:
    """Return the line of prices that fit one receipt, crossed by a second receipt's line."""
    apples_bought, pears_bought = receipt.quantities
    if not apples_bought or not pears_bought:
        raise ValueError(f"the receipt needs apples and pears, got {receipt.quantities}")
    second = next(
        r
        for r in receipts
        if r.quantities[1] and np.linalg.matrix_rank([receipt.quantities, r.quantities]) == 2
    )
    prices = apples_pears.solve_prices([receipt, second])
    right = 1.15 * max(receipt.total / apples_bought, 2 * prices[0])
    top = 1.15 * max(receipt.total / pears_bought, 2 * prices[1])
    apples = np.linspace(0, right, 50)
    others = [a for a in (0.0, round(2 * prices[0])) if not np.isclose(a, prices[0])]
    figure = style.new_figure(
        6,
        4.3,
        f"Every point on the solid line is a pair of prices that makes "
        f"{_items(receipt.quantities)} cost {receipt.total:g} cents, for example "
        + ", ".join(
            f"apple {a:g} and pear {apples_pears.pear_prices_fitting(receipt, a):g}" for a in others
        )
        + f": one receipt cannot decide the prices. A second receipt, "
        f"{_items(second.quantities)} = {second.total:g}, draws the dashed line; the two "
        f"cross at one point, apple {prices[0]:g} and pear {prices[1]:g}.",
    )
    ax = figure.add_subplot()
    for r, colour, dashes in ((receipt, style.BLUE, "-"), (second, style.VERMILLION, "--")):
        ax.plot(
            apples,
            apples_pears.pear_prices_fitting(r, apples),
            dashes,
            color=colour,
            label=f"{_items(r.quantities)} = {r.total:g}",
        )
    for a in others:
        pear = float(apples_pears.pear_prices_fitting(receipt, a))
        ax.plot(a, pear, "o", color=style.BLUE, markerfacecolor="none", markersize=8)
        ax.annotate(
            f"({a:g}, {pear:g}) fits too",
            (a, pear),
            xytext=(10, 4),
            textcoords="offset points",
        )
    ax.plot(*prices, "o", color=style.GREEN, markersize=10, label="fits both receipts")
    ax.annotate(
        f"({prices[0]:g}, {prices[1]:g})",
        prices,
        xytext=(-10, -8),
        textcoords="offset points",
        ha="right",
        va="top",
    )
    ax.set(
        xlabel="apple price (cents)",
        ylabel="pear price (cents)",
        xlim=(0, right),
        ylim=(0, top),
        title="one receipt: a whole line of answers",
    )
    ax.legend(loc="upper right")
    return figure


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
