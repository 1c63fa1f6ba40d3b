"""The site's figures and widgets, one line each.

Adding a figure is a function in `figures` (results in, Figure out), one line in
FIGURES naming it and what it is drawn from, and `{{ figure:NAME }}` on a page.
Adding a widget is a module `docs/javascripts/widgets/NAME.js`, one line in WIDGETS
naming the JSON file it reads and what that file holds, and `<div data-widget="NAME">`
on a page. Everything else (the files the build writes, the cache, the tests' lists)
is derived from these two tables.
"""

from __future__ import annotations

from lessons_code import digits
from lessons_code.website import figures, widgets
from lessons_code.website import numbers as legacy_numbers
from lessons_code.website.pages import (
    apples_pears,
    autograd,
    bias,
    gradient_descent,
    index,
    layer,
    loss,
    multiply,
    prediction,
    shared,
)
from lessons_code.website.register import (
    FIGURES,
    NUMBERS,
    WIDGETS,
    FigureSpec,
    Widget,
    figure,
    widget,
)
from lessons_code.website.runs import (
    N_CONFUSED_PAIRS,
    Runs,
)

__all__ = ["FIGURES", "NUMBERS", "PAGES", "WIDGETS", "FigureSpec", "Widget", "numbers"]


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


_LEGACY_FIGURES = {
    "digit-templates": (figures.digit_templates, lambda runs: (runs.ten_linear.params["weights"],)),
    "digit-confusion": (
        figures.confusion_heatmap,
        lambda runs: (
            runs.ten_confusion,
            digits.most_confused(runs.ten_confusion, N_CONFUSED_PAIRS),
        ),
    ),
    "digit-confused-examples": (shared.digit_grid, confused_inputs),
    "digit-learning-rates": (shared.learning_rate_curves, lambda runs: (runs.ten_learning_rates,)),
}
for _name, (_draw, _inputs) in _LEGACY_FIGURES.items():
    figure(_name, _inputs)(_draw)

_LEGACY_WIDGETS = {
    "ten-digit-pad": ("ten-digits.json", widgets.ten_digit_pad),
}
for _name, (_data, _make) in _LEGACY_WIDGETS.items():
    widget(_name, _data)(_make)


PAGES = (
    apples_pears,
    autograd,
    bias,
    gradient_descent,
    index,
    layer,
    loss,
    multiply,
    prediction,
    shared,
)
"""Every page module: importing them registered their figures, numbers and widgets."""


def numbers(runs: Runs) -> dict:
    """Return every number the pages state, by group (nested dicts of plain values)."""
    found = legacy_numbers.numbers(runs)
    for group, make in NUMBERS.items():
        assert group not in found, group
        found[group] = make(runs)
    return found
