"""Every figure, group of numbers and widget of the site, collected from the page modules.

Each module of `lessons_code.website.pages` registers what its page states with the
decorators of `lessons_code.website.register`; importing them all here (every module
of the folder: a new page module needs no line here) completes the three tables,
whatever was imported first. Everything else (the files the build writes,
the cache, the tests' lists) is derived from these tables:

- a figure: `{{ figure:NAME }}` on a page draws FIGURES[NAME], in both palettes;
- a number: `{{ GROUP.name:.1% }}` reads numbers.json, which is `numbers(runs)`;
- a widget: `<div data-widget="NAME">` on a page loads `docs/javascripts/widgets/NAME.mjs`
  with the JSON file WIDGETS[NAME] names, made by its function.
"""

from __future__ import annotations

import importlib
import pkgutil

from lessons_code.website import pages
from lessons_code.website.register import FIGURES, FILES, NUMBERS, WIDGETS, FigureSpec, Widget
from lessons_code.website.runs import Runs

__all__ = ["FIGURES", "FILES", "NUMBERS", "PAGES", "WIDGETS", "FigureSpec", "Widget", "numbers"]

PAGES = tuple(
    importlib.import_module(f"{pages.__name__}.{module.name}")
    for module in sorted(pkgutil.iter_modules(pages.__path__), key=lambda module: module.name)
)
"""Every module of `pages`, imported: each registered its figures, numbers and widgets."""


def numbers(runs: Runs) -> dict:
    """Return every number the pages state, by group (nested dicts of plain values)."""
    return {group: make(runs) for group, make in NUMBERS.items()}
