"""How a page module puts its figures, numbers and widgets on the site: three decorators.

    @figure("bias-effect", inputs=lambda runs: (...))  # {{ figure:bias-effect }} on a page
    def bias_effect(...) -> Figure: ...                 # results in, a Figure out

    @numbers("bias")                                    # {{ bias.best_shift:+.1f }}
    def bias_numbers(runs: Runs) -> dict: ...

    @widget("nudge", "nudge.json")                      # <div data-widget="nudge">
    def nudge(runs: Runs) -> dict: ...

    @data_file("lab-digits.bin.gz")                     # data/lab-digits.bin.gz, as bytes
    def digits_file(runs: Runs) -> bytes: ...

A figure drawn by a function of another module is one line:
`figure("task", inputs=task_inputs)(shared.digit_grid)`. Each decorator records its
function in a table here, under its name, and returns the function unchanged, so that a
test can still call it with synthetic arrays. `registry` imports every page module, so
the tables are complete whichever module was imported first; a name registered twice
fails at import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from matplotlib.figure import Figure

if TYPE_CHECKING:
    from lessons_code.website.runs import Runs

Made = TypeVar("Made", bound=Callable)


@dataclass(frozen=True)
class FigureSpec:
    """One figure of the site: the function that draws it, and the results it is drawn from."""

    draw: Callable[..., Figure]  # a function of a lessons_code.website.pages module
    inputs: Callable[[Runs], tuple]  # its arguments, from the runs

    def figure(self, runs: Runs) -> Figure:
        """Return the figure drawn from the runs."""
        return self.draw(*self.inputs(runs))


@dataclass(frozen=True)
class Widget:
    """One widget of the site: the JSON file it reads, and what that file holds."""

    data: str  # the file's name under data/ in the built site
    make: Callable[[Runs], dict]  # its content, plain values only


FIGURES: dict[str, FigureSpec] = {}
"""Every figure of the site, by the name a page gives it: `{{ figure:NAME }}`."""

NUMBERS: dict[str, Callable[[Runs], dict]] = {}
"""Every group of numbers, by the name a page gives it: `{{ GROUP.name:.1% }}`."""

WIDGETS: dict[str, Widget] = {}
"""Every widget of the site, by the name a page gives it: `<div data-widget="NAME">`."""

FILES: dict[str, Callable[[Runs], bytes]] = {}
"""Every other file under data/ that a widget fetches itself, by its name: its bytes."""


def _add(table: dict, name: str, entry) -> None:
    if name in table:
        raise ValueError(f"{name!r} is registered twice: {table[name]!r} and {entry!r}")
    table[name] = entry


def figure(name: str, inputs: Callable[[Runs], tuple]) -> Callable[[Made], Made]:
    """Register a draw function as the figure NAME, drawn from inputs(runs)."""

    def register(draw: Made) -> Made:
        _add(FIGURES, name, FigureSpec(draw, inputs))
        return draw

    return register


def numbers(group: str) -> Callable[[Made], Made]:
    """Register a function of the runs as the group of numbers GROUP of numbers.json."""

    def register(make: Made) -> Made:
        _add(NUMBERS, group, make)
        return make

    return register


def widget(name: str, data: str) -> Callable[[Made], Made]:
    """Register a function of the runs as what the widget NAME reads, data/DATA."""

    def register(make: Made) -> Made:
        _add(WIDGETS, name, Widget(data, make))
        return make

    return register


def data_file(name: str) -> Callable[[Made], Made]:
    """Register a function of the runs as the bytes of data/NAME (a widget fetches it)."""

    def register(make: Made) -> Made:
        _add(FILES, name, make)
        return make

    return register
