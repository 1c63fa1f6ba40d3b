"""What each widget of the site reads: one JSON document per widget, made from the runs.

The widgets (docs/javascripts/widgets/) compute nothing the lessons have not computed
first: they read the trained weights, the snapshots and the receipts from here, and
every constant they need (the nudged pixel, the price ranges) comes with the data.
"""

from __future__ import annotations

from lessons_code import apples_pears
from lessons_code.website.pages import shared
from lessons_code.website.runs import (
    Runs,
)

TEMPLATE_DECIMALS = 4
"""Decimals kept of the ten-digit pad's weights: the scores move by under 0.01, the file
stays small."""

PRICE_RANGES = {"apple": (0.0, 6.0), "pear": (0.0, 10.0), "fee": (0.0, 6.0)}
"""The range of each price and of the fee on the receipts playground: sliders, typed
values and the loss map's axes all keep to it (a gradient step may go past it, and the
playground says so)."""


def ten_digit_pad(runs: Runs) -> dict:
    """Return the trained ten-digit linear model: a template of 784 weights and a bias per
    digit."""
    params = runs.ten_linear.params
    return {
        "about": "the ten-digit linear model of the site: score of digit d = pixels . "
        "templates[d] + biases[d]",
        "templates": [shared.rounded(column, TEMPLATE_DECIMALS) for column in params["weights"].T],
        "biases": shared.rounded(params["bias"], TEMPLATE_DECIMALS),
    }


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
        "true_prices": list(apples_pears.TRUE_PRICES),
        "bag_fee": apples_pears.BAG_FEE,
        "first_guess": list(apples_pears.FIRST_GUESS),
        "learning_rate": apples_pears.LEARNING_RATE,
        "ranges": {name: list(bounds) for name, bounds in PRICE_RANGES.items()},
    }
