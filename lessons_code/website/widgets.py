"""What each widget of the site reads: one JSON document per widget, made from the runs.

The widgets (docs/javascripts/widgets/) compute nothing the lessons have not computed
first: they read the trained weights, the snapshots and the receipts from here, and
every constant they need (the nudged pixel, the price ranges) comes with the data.
"""

from __future__ import annotations

from lessons_code.website.pages import shared
from lessons_code.website.runs import (
    Runs,
)

TEMPLATE_DECIMALS = 4
"""Decimals kept of the ten-digit pad's weights: the scores move by under 0.01, the file
stays small."""


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
