"""The site's look: both palettes, the colour code, and the helpers every figure draws with.

Every figure builds its Figure directly (no pyplot, no global state), takes every text
and line colour from the rcParams, and stores its alt text, what a reader should see, as
the figure's label: `fig.get_label()`. Drawing the same figure inside
`matplotlib.rc_context(themed("light"))` or `themed("dark")` gives the two palettes of
the site. Saving them is `lessons_code.website.cache`'s job.

Every figure is drawn twice more, in two layouts: `wide` for a screen whose text column
is at least WIDE_COLUMN_PX wide, `narrow` for a phone's (panels stacked in one column).
One rule makes text legible in both: a figure is exactly as wide as its layout's column
(WIDTHS, in inches), so the browser never shrinks it, and no text is smaller than
SMALLEST_TEXT_PT, which is MIN_TEXT_PX once drawn at its own size. A figure asks
`narrow()` which layout it is drawn in; its alt text must not depend on it.

One colour code holds in every figure: orange means "3" (a positive score, a weight
that pushes toward 3), purple means "7". With ten digits, each digit has its own
weights: orange raises that digit's score, purple lowers it.
"""

from __future__ import annotations

import contextlib
import contextvars
import textwrap
from collections.abc import Iterator

import matplotlib as mpl
import numpy as np
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from lessons_code.data import IMAGE_SIDE

WEIGHTS_CMAP = "PuOr_r"  # diverging, colour-blind safe: orange = toward "3", purple = "7"
DIGIT_CMAP = "gray_r"  # dark ink on a light square, readable in both palettes
THREE_COLOUR = "#CC6A0C"  # the orange of the weights' colour map, darkened to read on white
SEVEN_COLOUR = "#8073AC"  # the purple of the weights' colour map
# Okabe–Ito colours for other series: distinguishable with every common colour-vision
# deficiency, and at least 3:1 against both white and the dark slate background.
BLUE, VERMILLION, GREEN, PINK = "#0072B2", "#D55E00", "#009E73", "#CC79A7"

MIN_TEXT_PX = 11
"""The smallest text a reader must read, in CSS pixels, on a phone and on a desktop."""
PX_PER_INCH = 96  # CSS pixels; matplotlib's SVG says points, 72 an inch
LAYOUTS = ("wide", "narrow")
WIDE_COLUMN_PX = 686
"""The narrowest text column that gets the wide layout: Material's column is at least this
wide from NARROW_UP_TO_PX + 1 up (at 960 px, with the table of contents beside it)."""
NARROW_UP_TO_PX = 719
"""The widest screen (CSS pixels) that gets the narrow layout."""
MEDIA = {"narrow": f"(max-width: {NARROW_UP_TO_PX}px)"}
"""The media query of each layout but the wide one, which a browser shows otherwise."""
WIDTHS = {"wide": 7.1, "narrow": 3.55}
"""Each layout's figure width in inches: 682 px, within WIDE_COLUMN_PX; 341 px, within
the column of a 375 px phone (343 px) and of a 390 px one (358 px)."""
SMALLEST_TEXT_PT = 9
"""No text smaller (12 px at the figure's own size): still over MIN_TEXT_PX shrunk to a
360 px phone's column (328 px of 341)."""

_COMMON = {
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.transparent": True,
    "svg.hashsalt": "lessons-code",  # fixed ids inside the SVG: same figure, same bytes
    "svg.fonttype": "path",  # text as shapes: the browser needs no font
    "font.size": 10,
    "axes.titlesize": 10.5,
    "axes.labelsize": 10,
    "xtick.labelsize": SMALLEST_TEXT_PT,
    "ytick.labelsize": SMALLEST_TEXT_PT,
    "legend.fontsize": SMALLEST_TEXT_PT,
    "legend.title_fontsize": SMALLEST_TEXT_PT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "image.interpolation": "none",  # vector output keeps the 28×28 pixels, drawn crisp
    "lines.linewidth": 2,
}
LIGHT = {
    **_COMMON,
    "text.color": "#1f2328",
    "axes.labelcolor": "#1f2328",
    "axes.edgecolor": "#57606a",
    "xtick.color": "#57606a",
    "ytick.color": "#57606a",
    "grid.color": "#c4ccd4",
}
DARK = {
    **_COMMON,
    "text.color": "#e6edf3",
    "axes.labelcolor": "#e6edf3",
    "axes.edgecolor": "#9da7b3",
    "xtick.color": "#9da7b3",
    "ytick.color": "#9da7b3",
    "grid.color": "#4a525c",
}


def themed(name: str) -> dict:
    """Return the rcParams of the site's "light" or "dark" palette."""
    themes = {"light": LIGHT, "dark": DARK}
    if name not in themes:
        raise ValueError(f"palette must be 'light' or 'dark', got {name!r}")
    return themes[name]


def ink() -> str:
    """Return the palette's text colour, for lines that must read like text."""
    return mpl.rcParams["text.color"]


_layout = contextvars.ContextVar("layout", default="wide")


@contextlib.contextmanager
def laid_out(name: str) -> Iterator[None]:
    """Draw the figures made inside the block in the layout NAME, "wide" or "narrow"."""
    if name not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, got {name!r}")
    token = _layout.set(name)
    try:
        yield
    finally:
        _layout.reset(token)


def narrow() -> bool:
    """Return whether the figure being drawn is the phone's: panels go one under another."""
    return _layout.get() == "narrow"


def figure_width() -> float:
    """Return the width, in inches, of the figures of the layout being drawn."""
    return WIDTHS[_layout.get()]


def new_figure(wide: float, narrow: float, alt: str) -> Figure:
    """Return an empty figure as wide as its layout's column, `wide` or `narrow` inches
    tall in each layout, whose label is its alt text."""
    layout = _layout.get()
    figure = Figure(
        figsize=(WIDTHS[layout], wide if layout == "wide" else narrow), layout="constrained"
    )
    figure.set_label(alt)
    return figure


def panels(figure: Figure, n: int, **shared) -> np.ndarray:
    """Return n axes side by side in the wide layout, one under another in the narrow one."""
    rows, columns = (n, 1) if narrow() else (1, n)
    return np.atleast_1d(figure.subplots(rows, columns, squeeze=False, **shared).ravel())


def columns(wide: int, narrow_: int) -> int:
    """Return how many pictures a row holds: `wide`, or `narrow_` on a phone."""
    return narrow_ if narrow() else wide


def picture_grid(
    n: int, columns: int, beside: float, gap: float, alt: str
) -> tuple[Figure, np.ndarray]:
    """Return a figure of n square pictures, `columns` to a row, that fill the column but
    `beside` inches (a colour bar's) with `gap` inches under each row (its titles); and its
    axes, one per place in the grid, those past the n-th hidden."""
    rows = -(-n // columns)
    side = (figure_width() - beside) / columns
    figure = new_figure((side + gap) * rows, (side + gap) * rows, alt)
    axes = np.atleast_1d(figure.subplots(rows, columns)).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    return figure, axes


def pair_over_one(figure: Figure) -> list:
    """Return three axes: in a row, or on a phone, the first two side by side above the
    third, drawn larger."""
    if not narrow():
        return list(figure.subplots(1, 3))
    grid = figure.add_gridspec(2, 2, height_ratios=[1, 2])
    return [
        figure.add_subplot(grid[0, 0]),
        figure.add_subplot(grid[0, 1]),
        figure.add_subplot(grid[1, :]),
    ]


def wrapped(text: str, share: float = 1.0, size: float | None = None) -> str:
    """Return text broken into lines that fit `share` of the figure's width at `size`
    points (by default the titles'), each existing line broken on its own."""
    size = size or mpl.rcParams["axes.titlesize"]
    chars = max(8, int(share * figure_width() * 72 / (0.6 * size)))  # DejaVu Sans: 0.6 em
    return "\n".join("\n".join(textwrap.wrap(line, chars)) for line in text.split("\n"))


def signed(value: float) -> str:
    """Return a short signed label for a colour bar's end, e.g. "+3.9" or "−0.12"."""
    text = f"{abs(value):.2g}" if abs(value) < 100 else f"{abs(value):.0f}"
    return ("−" if value < 0 else "+") + text


def minus(text: str) -> str:
    """Return text with its hyphens as minus signs, as matplotlib writes tick labels."""
    return text.replace("-", "−")


def limit(*arrays: np.ndarray) -> float:
    """Return the largest absolute value in the arrays, or 1 when they are all zero."""
    return max(float(np.abs(a).max()) for a in arrays) or 1.0


def frame(ax, title: str = "") -> None:
    """Drop the ticks of a picture, keep its four edges, and title it."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(True)
    if title:
        ax.set_title(title)


def digit(ax, image: np.ndarray, title: str = "") -> None:
    """Draw one 28×28 image in grey, framed so a blank image still shows its square."""
    ax.imshow(np.asarray(image).reshape(IMAGE_SIDE, IMAGE_SIDE), cmap=DIGIT_CMAP, vmin=0, vmax=1)
    frame(ax, title)


def heatmap(ax, values: np.ndarray, limit: float, title: str = ""):
    """Draw 784 signed numbers as a 28×28 heatmap, 0 in the middle; return the image."""
    image = ax.imshow(
        np.asarray(values, dtype=float).reshape(IMAGE_SIDE, IMAGE_SIDE),
        cmap=WEIGHTS_CMAP,
        norm=Normalize(-limit, limit),  # symmetric: white is exactly 0
    )
    frame(ax, title)
    return image


def bar_side() -> str:
    """Return where a colour bar goes: right of its pictures, below them on a phone."""
    return "bottom" if narrow() else "right"


def colour_bar(figure: Figure, image, axes, label: str, toward: bool = True):
    """Add a colour bar beside the axes (below them on a phone); with toward=True its
    ends say which digit they push toward."""
    side = bar_side()
    bar = figure.colorbar(image, ax=axes, shrink=0.9, aspect=20, location=side)
    limit = image.norm.vmax
    if toward and side == "bottom":  # the words under the bar: its ends would collide
        bar.set_ticks([-limit, 0, limit], labels=[signed(-limit), "0", signed(limit)])
        label = f"{label}\n← “7”      “3” →"
    elif toward:
        labels = [f"{signed(-limit)}\ntoward “7”", "0", f"{signed(limit)}\ntoward “3”"]
        bar.set_ticks([-limit, 0, limit], labels=labels)
    bar.set_label(label)
    return bar


def legend(ax, loc: str) -> None:
    """Give the axes a legend at loc, or on a phone, under the figure: out of the way."""
    if narrow():
        ax.figure.legend(*ax.get_legend_handles_labels(), loc="outside lower center")
    else:
        ax.legend(loc=loc)


TOWARD = "Orange pushes the score toward 3, purple toward 7, white is 0."


def marks(n: int, most: int = 10) -> int:
    """Return every how many points to mark a line, so that it has at most `most` marks."""
    return max(1, -(-n // most))
