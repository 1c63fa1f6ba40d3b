"""The site's look: both palettes, the colour code, and the helpers every figure draws with.

Every figure builds its Figure directly (no pyplot, no global state), takes every text
and line colour from the rcParams, and stores its alt text, what a reader should see, as
the figure's label: `fig.get_label()`. Drawing the same figure inside
`matplotlib.rc_context(themed("light"))` or `themed("dark")` gives the two palettes of
the site. Saving them is `lessons_code.website.cache`'s job.

One colour code holds in every figure: orange means "3" (a positive score, a weight
that pushes toward 3), purple means "7". With ten digits, each digit has its own
weights: orange raises that digit's score, purple lowers it.
"""

from __future__ import annotations

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

_COMMON = {
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.transparent": True,
    "svg.hashsalt": "lessons-code",  # fixed ids inside the SVG: same figure, same bytes
    "svg.fonttype": "path",  # text as shapes: the browser needs no font
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
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


def new_figure(width: float, height: float, alt: str) -> Figure:
    """Return an empty figure whose label is its alt text."""
    figure = Figure(figsize=(width, height), layout="constrained")
    figure.set_label(alt)
    return figure


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


def colour_bar(figure: Figure, image, axes, label: str, toward: bool = True):
    """Add a colour bar; with toward=True its ends say which digit they push toward."""
    bar = figure.colorbar(image, ax=axes, shrink=0.9, aspect=20)
    limit = image.norm.vmax
    if toward:
        labels = [f"{signed(-limit)}\ntoward “7”", "0", f"{signed(limit)}\ntoward “3”"]
        bar.set_ticks([-limit, 0, limit], labels=labels)
    bar.set_label(label)
    return bar


TOWARD = "Orange pushes the score toward 3, purple toward 7, white is 0."


def marks(n: int, most: int = 25) -> int:
    """Return every how many points to mark a line, so that it has at most `most` marks."""
    return max(1, -(-n // most))
