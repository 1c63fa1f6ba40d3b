"""What "A layer of ReLUs" (docs/layer.md) states: the two-layer net, what its hidden units
learned, and the wiggly curve fitted by a few, more and many ReLUs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from lessons_code import neural_net
from lessons_code.learner import TrainingRun
from lessons_code.neural_net import ALIKE, BARELY, HiddenUnits
from lessons_code.website import style
from lessons_code.website.pages import shared
from lessons_code.website.register import figure, numbers
from lessons_code.website.runs import Runs

RELU_UNITS = (3, 6, 24)
"""How many hidden ReLUs the universal-approximation figure fits a wiggly curve with."""


def wiggly_curve() -> tuple[np.ndarray, np.ndarray]:
    """Return the curve the universal-approximation figure fits: no straight line would do."""
    xs = np.linspace(-3.0, 3.0, 601)
    return xs, np.sin(2 * xs) + 0.3 * xs


@dataclass(frozen=True)
class ReluFits:
    """The wiggly curve, its closest fit with each number of hidden ReLUs, and their misses."""

    xs: np.ndarray  # (601,)
    ys: np.ndarray  # (601,) the curve
    fits: dict[int, np.ndarray]  # units -> (601,) the fit
    misses: dict[int, float]  # units -> the largest |fit - curve|


def relu_fits() -> ReluFits:
    """Return the wiggly curve's closest fit with each of RELU_UNITS hidden ReLUs."""
    xs, ys = wiggly_curve()
    fits = {n: neural_net.relu_pieces(xs, ys, n) for n in RELU_UNITS}
    return ReluFits(xs, ys, fits, {n: float(np.abs(fit - ys).max()) for n, fit in fits.items()})


def net_units(runs: Runs) -> HiddenUnits:
    """Return how far each hidden unit of the trained net moved, and how alike the moves are."""
    return neural_net.describe_hidden_units(runs.net.initial["w1"], runs.net.params["w1"])


def why_barely(runs: Runs, units: HiddenUnits) -> dict:
    """Return, for the units that barely moved and for the others, the median size of
    their outgoing weight and the median share of training images that switch them on,
    both at the start: the two factors of a unit's incoming gradient."""
    start = runs.net.initial
    outgoing = np.abs(start["w2"])  # (units,)
    on = ((runs.mnist.train_x @ start["w1"] + start["b1"]) > 0).mean(axis=0)  # (units,)
    barely = units.moved < BARELY
    return {
        f"{name}_{group}": float(np.median(values[chosen])) if chosen.any() else 0.0
        for name, values in (("outgoing", outgoing), ("on", on))
        for group, chosen in (("barely", barely), ("moved", ~barely))
    }


@numbers("net")
def net_numbers(runs: Runs) -> dict:
    """Return the two-layer net's run, what its hidden units learned, its lead over the
    linear model with the same small start, and its two layers collapsed into one."""
    units = net_units(runs)
    small_start = runs.variants["small_start"].final_valid_accuracy
    gain = runs.net.final_valid_accuracy - small_start
    return {
        **shared.history(runs.net),
        "hidden_units": neural_net.N_HIDDEN,
        "barely_moved": units.barely_moved,
        "same_pattern": units.same_pattern,
        "barely": neural_net.BARELY,
        "alike": neural_net.ALIKE,
        "gain_over_small_start": gain,
        "against_small_start": {
            "better": "higher than",
            "worse": "lower than",
            "about the same": "about the same as",
        }[shared.verdict(runs.net.final_valid_accuracy, small_start, len(runs.mnist.valid_x))],
        "gain_images": gain * len(runs.mnist.valid_x),
        **why_barely(runs, units),
        **collapsed_layers(runs.net, runs.mnist.valid_x),
    }


def collapsed_layers(run: TrainingRun, x: np.ndarray) -> dict:
    """Two linear layers with no ReLU between them are one: the trained net's, checked."""
    p = {name: value.astype(np.float64) for name, value in run.params.items()}
    x = x.astype(np.float64)
    two_layers = (x @ p["w1"] + p["b1"]) @ p["w2"] + p["b2"]
    one_layer = x @ (p["w1"] @ p["w2"]) + (p["b1"] @ p["w2"] + p["b2"])  # (784,) and ()
    return {
        "collapsed_weights": len(p["w1"] @ p["w2"]),
        "collapsed_largest_difference": float(np.abs(two_layers - one_layer).max()),
    }


@numbers("dead_units")
def dead_unit_numbers(runs: Runs) -> dict:
    """Return how many hidden units of the net are off (ReLU input at most 0) for every
    training image, at the start and after training, and how many inputs sit exactly on 0."""
    x = runs.mnist.train_x

    def before_relu(params) -> np.ndarray:
        return x @ params["w1"] + params["b1"]  # (n, 784) @ (784, 30) -> (n, 30)

    start, trained = before_relu(runs.net.initial), before_relu(runs.net.params)
    return {
        "at_start": int((start <= 0).all(axis=0).sum()),
        "trained": int((trained <= 0).all(axis=0).sum()),
        "on_the_kink": int((trained == 0).sum()),
        "inputs": trained.size,  # images × hidden units
    }


@numbers("relu_pieces")
def relu_piece_numbers(runs: Runs) -> dict:
    """Return the largest miss of the wiggly curve's fit with each number of ReLUs."""
    fitted = relu_fits()
    return {
        f"fit_{index}": {"units": n, "largest_miss": fitted.misses[n]}
        for index, n in enumerate(fitted.fits)
    }


@figure("hidden-units", inputs=lambda runs: (runs.net.params["w1"], net_units(runs), 10))
def hidden_units(w1: np.ndarray, units: HiddenUnits, n: int = 10) -> Figure:
    """Return the incoming weights of the first n hidden units as 28×28 heatmaps, each
    titled with how far training moved it from its random start."""
    n = min(n, w1.shape[1])
    columns = min(n, style.columns(5, 3))
    figure, axes = style.picture_grid(
        n,
        columns,
        1.2,
        0.45,
        f"The weights going into {n} of the two-layer net's {w1.shape[1]} hidden units, each "
        f"drawn as a 28 by 28 picture on one colour scale, titled with how far training "
        f"moved it, as a multiple of its small random start. Of all {w1.shape[1]} units, "
        f"{units.barely_moved} moved less than {BARELY:.0%} of their start and still look "
        f"like noise; {units.same_pattern} moved along nearly the same pattern (their "
        f"changes at least {ALIKE:.0%} alike, up to sign), a blurred 3 against a 7. So the "
        f"layer learned mostly one template many times, not {w1.shape[1]} different stroke "
        f"detectors. Orange pixels raise a unit's output, purple lower it.",
    )
    limit = style.limit(w1[:, :n])
    for unit, ax in enumerate(axes[:n]):
        title = f"unit {unit + 1}\n×{units.moved[unit]:.2f}"
        image = style.heatmap(ax, w1[:, unit], limit, title)
    style.colour_bar(figure, image, axes.tolist(), "weight into the unit", toward=False)
    return figure


@figure("relu-pieces", inputs=lambda runs: (relu_fits(),))
def relu_pieces(fitted: ReluFits) -> Figure:
    """Return a wiggly curve beside its closest fits by a few, more and many hidden ReLUs."""
    xs, ys, fits, errors = fitted.xs, fitted.ys, fitted.fits, fitted.misses
    figure = style.new_figure(
        3.0,
        7.2,
        "A wiggly curve (dashed) and the closest a layer of hidden ReLUs followed by a "
        "linear layer can get to it: straight pieces joined where a ReLU switches on. The "
        "largest miss is "
        + "; ".join(f"{e:.2f} with {n} ReLUs" for n, e in errors.items())
        + ". More units, shorter pieces, a closer fit: the universal approximation theorem.",
    )
    axes = style.panels(figure, len(fits), sharey=True)
    for ax, (n, fit) in zip(axes, fits.items(), strict=True):
        ax.plot(xs, ys, "--", color=style.ink(), linewidth=1.2, label="the curve")
        ax.plot(xs, fit, color=style.BLUE, label="the ReLUs' fit")
        ax.set(title=f"{n} hidden ReLUs\nlargest miss {errors[n]:.2f}", xlabel="x")
        ax.set_ylabel("y")
    axes[0].legend(loc="upper left")
    return figure
