"""The prediction page's gradient ascent on a blank image: what the model draws as its
"3"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from lessons_code import baseline, linear_model
from lessons_code.data import MnistData
from lessons_code.website import style
from lessons_code.website.pages import shared
from lessons_code.website.register import figure, numbers
from lessons_code.website.runs import Runs

ASCENT_STEPS, ASCENT_RATE = 20, 0.05
"""Gradient ascent on a blank image's pixels: how many steps, how far each (the pad's
"let the model draw its 3" button takes the same steps)."""

ASCENT_SHOWN = (0, 1, 2, 5, ASCENT_STEPS)
"""The steps the ascent figure shows."""


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
