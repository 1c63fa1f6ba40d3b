"""What "Apples and pears" (docs/apples-pears.md) states: the forum's receipts, the line of
prices one receipt allows, gradient descent on the prices, and the playground's data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from lessons_code import apples_pears
from lessons_code.website import style
from lessons_code.website.register import figure, numbers, widget
from lessons_code.website.runs import Runs


@dataclass(frozen=True)
class ReceiptLine:
    """The prices that fit one receipt: a line, pinned to one point by a second receipt."""

    receipt: apples_pears.Receipt
    second: apples_pears.Receipt  # the first receipt whose line crosses the first's
    prices: np.ndarray  # (apple, pear) where the two lines cross
    others: dict[float, float]  # apple 0 and twice the apple price -> the pear price fitting


def receipt_line(story: apples_pears.Story) -> ReceiptLine:
    """Return the story's receipt's line of prices, and the second receipt that fixes them."""
    receipt, receipts = story.receipt, story.receipts
    if not receipt.quantities[0] or not receipt.quantities[1]:
        raise ValueError(f"the receipt needs apples and pears, got {receipt.quantities}")
    second = next(
        r
        for r in receipts
        if r.quantities[1] and np.linalg.matrix_rank([receipt.quantities, r.quantities]) == 2
    )
    prices = apples_pears.solve_prices([receipt, second])
    others = {
        apple: float(apples_pears.pear_prices_fitting(receipt, apple))
        for apple in (0.0, float(round(2 * prices[0])))
        if not np.isclose(apple, prices[0])
    }
    return ReceiptLine(receipt, second, prices, others)


@numbers("apples_pears")
def apples_pears_numbers(runs: Runs) -> dict:
    """Return the forum's story in numbers: the guesses, the receipt's line of fitting
    prices, and what gradient descent learns from the shop with a bag fee."""
    story = runs.story
    walk, receipt, descent = story.walk, story.receipt, story.descent_with_fee
    line = receipt_line(story)
    return {
        "story_apples": receipt.quantities[0],
        "story_pears": receipt.quantities[1],
        "story_total": receipt.total,
        "guess_apple": walk[0].prices[0],
        "guess_pear": walk[0].prices[1],
        "guess_total": walk[0].total,
        "scaled_apple": walk[1].prices[0],
        "scaled_pear": walk[1].prices[1],
        "scaled_total": walk[1].total,
        "scaled_apple_cost": receipt.quantities[0] * walk[1].prices[0],
        "scaled_pear_cost": receipt.quantities[1] * walk[1].prices[1],
        **{f"line_pear_at_{apple:g}": pear for apple, pear in line.others.items()},
        "true_apple": walk[2].prices[0],
        "true_pear": walk[2].prices[1],
        "true_total": walk[2].total,
        "n_receipts": len(story.receipts_with_fee),
        "learned_apple": float(descent.prices[-1][0]),
        "learned_pear": float(descent.prices[-1][1]),
        "learned_fee": float(descent.fees[-1]),
        "true_fee": apples_pears.BAG_FEE,
        "steps": len(descent.losses) - 1,
        "learning_rate": apples_pears.LEARNING_RATE,
    }


PRICE_RANGES = {"apple": (0.0, 6.0), "pear": (0.0, 10.0), "fee": (0.0, 6.0)}
"""The range of each price and of the fee on the receipts playground: sliders, typed
values and the loss map's axes all keep to it (a gradient step may go past it, and the
playground says so)."""


@widget("receipts", "receipts.json")
def receipts(runs: Runs) -> dict:
    """Return both shops' receipts, the forum's first guess and the playground's ranges."""
    story = runs.story
    return {
        "about": "the receipts of lessons_code.apples_pears and the forum's first guess",
        "shops": {
            "no fee": [{"quantities": r.quantities, "total": r.total} for r in story.receipts],
            "bag fee": [
                {"quantities": r.quantities, "total": r.total} for r in story.receipts_with_fee
            ],
        },
        # whether gradient descent learns the fee, as tell_story descends each shop: the
        # shop without a fee keeps it at 0, as a model without a bias would
        "learns_fee": {"no fee": False, "bag fee": True},
        "true_prices": list(apples_pears.TRUE_PRICES),
        "bag_fee": apples_pears.BAG_FEE,
        "first_guess": list(apples_pears.FIRST_GUESS),
        "learning_rate": apples_pears.LEARNING_RATE,
        "ranges": {name: list(bounds) for name, bounds in PRICE_RANGES.items()},
    }


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


@figure("apples-pears-descent", inputs=lambda runs: (runs.story.receipts, runs.story.descent))
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
        4.8,
        3.9,
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
    ax.clabel(
        lines, [level for level in levels if level >= 1], fmt="%g", fontsize=style.SMALLEST_TEXT_PT
    )
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
        f"after {steps} steps\n({end[0]:.2f}, {end[1]:.2f})\nloss {_small(descent.losses[-1])}",
        end,
        xytext=(30, 10) if style.narrow() else (40, -50),
        textcoords="offset points",
        va="bottom" if style.narrow() else "top",
        arrowprops={"arrowstyle": "->", "color": style.ink(), "linewidth": 1, "shrinkB": 8},
    )
    style.legend(ax, "upper left")
    ax.set(
        xlabel="apple price (cents)",
        ylabel="pear price (cents)",
        title=style.wrapped("the loss of every pair of prices, and the path downhill"),
    )
    return figure


@figure("one-receipt-line", inputs=lambda runs: (receipt_line(runs.story),))
def one_receipt_line(line: ReceiptLine) -> Figure:
    """Return the line of prices that fit one receipt, crossed by a second receipt's line."""
    receipt, second, prices = line.receipt, line.second, line.prices
    apples_bought, pears_bought = receipt.quantities
    right = 1.15 * max(receipt.total / apples_bought, 2 * prices[0])
    top = 1.15 * max(receipt.total / pears_bought, 2 * prices[1])
    apples = np.linspace(0, right, 50)
    figure = style.new_figure(
        4.2,
        3.7,
        f"Every point on the solid line is a pair of prices that makes "
        f"{_items(receipt.quantities)} cost {receipt.total:g} cents, for example "
        + ", ".join(f"apple {a:g} and pear {pear:g}" for a, pear in line.others.items())
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
    for a, pear in line.others.items():
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
        title=style.wrapped("one receipt: a whole line of answers"),
    )
    style.legend(ax, "upper right")
    return figure
