"""Every figure, group of numbers and widget of the site, collected from the page modules.

Each module of `lessons_code.website.pages` registers what its page states with the
decorators of `lessons_code.website.register`; importing them all here completes the
three tables, whatever was imported first. Everything else (the files the build writes,
the cache, the tests' lists) is derived from these tables:

- a figure: `{{ figure:NAME }}` on a page draws FIGURES[NAME], in both palettes;
- a number: `{{ GROUP.name:.1% }}` reads numbers.json, which is `numbers(runs)`;
- a widget: `<div data-widget="NAME">` on a page loads `docs/javascripts/widgets/NAME.mjs`
  with the JSON file WIDGETS[NAME] names, made by its function.
"""

from __future__ import annotations

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
    pytorch,
    running,
    shared,
    ten_digits,
)
from lessons_code.website.register import FIGURES, NUMBERS, WIDGETS, FigureSpec, Widget
from lessons_code.website.runs import Runs

__all__ = ["FIGURES", "NUMBERS", "PAGES", "WIDGETS", "FigureSpec", "Widget", "numbers"]

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
    pytorch,
    running,
    shared,
    ten_digits,
)
"""Every page module: importing them registered their figures, numbers and widgets."""


def numbers(runs: Runs) -> dict:
    """Return every number the pages state, by group (nested dicts of plain values)."""
    return {group: make(runs) for group, make in NUMBERS.items()}
