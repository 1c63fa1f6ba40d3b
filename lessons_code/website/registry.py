"""The site's figures and widgets, one line each.

Adding a figure is a function in `figures` (results in, Figure out), one line in
FIGURES naming it and what it is drawn from, and `{{ figure:NAME }}` on a page.
Adding a widget is a module `docs/javascripts/widgets/NAME.js`, one line in WIDGETS
naming the JSON file it reads and what that file holds, and `<div data-widget="NAME">`
on a page. Everything else (the files the build writes, the cache, the tests' lists)
is derived from these two tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from lessons_code import digits
from lessons_code.data import digit_name
from lessons_code.website import figures, lab, widgets
from lessons_code.website.runs import (
    ASCENT_SHOWN,
    EARLY_EPOCHS,
    N_CONFUSED_PAIRS,
    N_MISTAKES,
    SIGMOID_SCORES,
    Runs,
    wiggly_curve,
)


@dataclass(frozen=True)
class FigureSpec:
    """One figure of the site: the function that draws it, and the results it is drawn from."""

    draw: Callable[..., Figure]  # a function of lessons_code.website.figures
    inputs: Callable[[Runs], tuple]  # its arguments, from the runs

    def figure(self, runs: Runs) -> Figure:
        """Return the figure drawn from the runs."""
        return self.draw(*self.inputs(runs))


@dataclass(frozen=True)
class Widget:
    """One widget of the site: the JSON file it reads, and what that file holds."""

    data: str  # the file's name under data/ in the built site
    make: Callable[[Runs], dict]  # its content, plain values only


def task_inputs(runs: Runs) -> tuple:
    """Return four training 3s and four training 7s, captioned, and the alt text."""
    y = runs.mnist.train_y
    chosen = np.concatenate([np.flatnonzero(y == 1)[:4], np.flatnonzero(y == 0)[:4]])
    captions = [f"a {digit_name(t)}" for t in y[chosen]]
    alt = (
        "Four handwritten 3s and four handwritten 7s from the training set, each 28 by 28 "
        "grey pixels. The task: look at such an image and say 3 or 7."
    )
    return list(runs.mnist.train_x[chosen]), captions, alt


def confused_inputs(runs: Runs) -> tuple:
    """Return real examples of the most frequent mistakes, a row per mistake, captioned."""
    found = runs.confused_examples()
    images, captions, parts = [], [], []
    for true, said, examples in found:
        images += list(examples)
        captions += [f"a {true}, called {said}"] * len(examples)
        parts.append(f"{len(examples)} {true}s the model called {said}")
    alt = (
        "Real validation images behind the most frequent mistakes of the ten-digit linear "
        "model, one row per mistake: " + "; ".join(parts) + "."
    )
    return images, captions, alt, max(len(examples) for *_, examples in found)


FIGURES: dict[str, FigureSpec] = {
    "task": FigureSpec(figures.digit_grid, task_inputs),
    "mistakes": FigureSpec(
        figures.surest_mistakes,
        lambda runs: (
            [
                (label, *runs.mistakes[name])
                for name, label in (("train", "training"), ("valid", "validation"))
            ],
            N_MISTAKES,
        ),
    ),
    "weights": FigureSpec(
        figures.weights_heatmap,
        lambda runs: (runs.linear.params["weights"], runs.linear.snapshots[0]["weights"]),
    ),
    "weights-over-epochs": FigureSpec(
        figures.weights_over_epochs,
        lambda runs: (runs.linear.snapshots, (*EARLY_EPOCHS, runs.linear.epochs)),
    ),
    "contribution": FigureSpec(
        figures.contribution_map,
        lambda runs: (
            runs.mnist.valid_x[0],
            runs.linear.params["weights"],
            runs.linear.params["bias"],
        ),
    ),
    "bias-effect": FigureSpec(
        figures.bias_effect,
        lambda runs: (runs.valid_scores(), runs.mnist.valid_y, float(runs.linear.params["bias"])),
    ),
    "loss-curves": FigureSpec(figures.loss_curves, lambda runs: (runs.linear.history,)),
    "learning-rates": FigureSpec(figures.learning_rates, lambda runs: (runs.learning_rates,)),
    "ideal-vs-weights": FigureSpec(
        figures.ideal_digits_vs_weights,
        lambda runs: (
            runs.similarity,
            runs.linear.params["weights"],
            runs.linear.snapshots[0]["weights"],
        ),
    ),
    "apples-pears-descent": FigureSpec(
        figures.apples_pears_descent, lambda runs: (runs.story.receipts, runs.story.descent)
    ),
    "one-receipt-line": FigureSpec(
        figures.one_receipt_line, lambda runs: (runs.story.receipt, runs.story.receipts)
    ),
    "sigmoid": FigureSpec(figures.sigmoid_curve, lambda runs: (np.array(SIGMOID_SCORES),)),
    "hidden-units": FigureSpec(
        figures.hidden_units, lambda runs: (runs.net.initial["w1"], runs.net.params["w1"], 10)
    ),
    "templates-as-weights": FigureSpec(
        figures.templates_as_weights,
        lambda runs: (
            runs.similarity.ideal_3,
            runs.similarity.ideal_7,
            *runs.templates,
            runs.similarity_l2.accuracy,
        ),
    ),
    "one-step": FigureSpec(figures.one_step_change, lambda runs: runs.first_step),
    "two-losses": FigureSpec(figures.two_losses, lambda runs: ()),
    "ascent": FigureSpec(
        figures.ascended_pixels,
        lambda runs: (
            runs.ascent,
            ASCENT_SHOWN,
            runs.linear.params["weights"],
            float(runs.linear.params["bias"]),
        ),
    ),
    "relu-pieces": FigureSpec(figures.relu_pieces, lambda runs: (*wiggly_curve(), runs.relu_fits)),
    "computational-graph": FigureSpec(
        figures.computational_graph, lambda runs: (runs.loss_graph(),)
    ),
    "digit-templates": FigureSpec(
        figures.digit_templates, lambda runs: (runs.ten_linear.params["weights"],)
    ),
    "digit-confusion": FigureSpec(
        figures.confusion_heatmap,
        lambda runs: (
            runs.ten_confusion,
            digits.most_confused(runs.ten_confusion, N_CONFUSED_PAIRS),
        ),
    ),
    "digit-confused-examples": FigureSpec(figures.digit_grid, confused_inputs),
    "digit-learning-rates": FigureSpec(
        figures.learning_rates, lambda runs: (runs.ten_learning_rates,)
    ),
}
"""Every figure of the site, by the name a page gives it: `{{ figure:NAME }}`."""

WIDGETS: dict[str, Widget] = {
    "digit-pad": Widget("model.json", widgets.digit_pad),
    "receipts": Widget("receipts.json", widgets.receipts),
    "replay": Widget("training.json", widgets.replay),
    "nudge": Widget("nudge.json", widgets.nudge),
    "ten-digit-pad": Widget("ten-digits.json", widgets.ten_digit_pad),
    "lab-page": Widget("lab.json", lab.widget),
}
"""Every widget of the site, by the name a page gives it: `<div data-widget="NAME">`."""
