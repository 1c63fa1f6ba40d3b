"""The chapter's last model: 784 pixels -> 30 hidden units -> ReLU -> 1 score.

It is trained with the same loss, the same SGD loop and the same data as the
linear model; only `predict` and `calc_grad` change. Backpropagation is written
out by hand, one layer at a time, from the score back to the first weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from lessons_code.data import N_PIXELS
from lessons_code.learner import HandModel, OnEpoch, Params, Recipe, TrainingRun, train_from_seed
from lessons_code.linear_model import (
    MNIST_LOSS,
    Loss,
    batch_accuracy,
    init_layer,
    mnist_loss,
)

N_HIDDEN = 30

RECIPE = Recipe(learning_rate=0.1, epochs=40, keep_chapter_steps=True)
"""The chapter's recipe for the two-layer net: lr 0.1, batch 256, 40 epochs of its 12,396
images: 1,960 steps, or as near as whole epochs of another training set come."""


def init_net(rng: np.random.Generator, n_hidden: int = N_HIDDEN) -> Params:
    """Return the two layers' starting weights and biases."""
    w1, b1 = init_layer(N_PIXELS, n_hidden, rng)
    w2, b2 = init_layer(n_hidden, 1, rng)
    return {"w1": w1, "b1": b1, "w2": w2, "b2": b2}


# --8<-- [start:simple_net]
def relu(x: np.ndarray) -> np.ndarray:
    """Return x where it is positive and 0 elsewhere."""
    return np.maximum(x, 0)


def simple_net(params: Params, xb: np.ndarray) -> np.ndarray:
    """Return one score per image from the two-layer net."""
    # (n, 784) @ (784, 30) -> (n, 30)
    hidden = relu(xb @ params["w1"] + params["b1"])
    # (n, 30) @ (30,) -> (n,)
    return hidden @ params["w2"] + params["b2"]


# --8<-- [end:simple_net]


@dataclass(frozen=True)
class HiddenUnits:
    """What the hidden units learned, read from how far their weights moved."""

    moved: np.ndarray  # (units,) the change of each unit's weights / their random start
    alike: np.ndarray  # (units,) |cosine| of each unit's change with the commonest change
    barely_moved: int  # units whose weights moved less than BARELY of their start
    same_pattern: int  # units that moved, along nearly the commonest change (ALIKE)


BARELY, ALIKE = 0.25, 0.9


def describe_hidden_units(initial_w1: np.ndarray, w1: np.ndarray) -> HiddenUnits:
    """Return how far each hidden unit moved from its start, and how alike the moves are."""
    change = np.asarray(w1, np.float64) - initial_w1  # (784, units)
    size = np.linalg.norm(change, axis=0)
    moved = size / np.linalg.norm(initial_w1, axis=0)
    commonest = np.linalg.svd(change, full_matrices=False)[0][:, 0]  # (784,)
    alike = np.abs(commonest @ change) / np.where(size > 0, size, 1)
    return HiddenUnits(
        moved=moved,
        alike=alike,
        barely_moved=int((moved < BARELY).sum()),
        same_pattern=int(((alike >= ALIKE) & (moved >= BARELY)).sum()),
    )


# --8<-- [start:calc_grad]
def calc_grad(
    params: Params, xb: np.ndarray, yb: np.ndarray, loss: Loss = MNIST_LOSS
) -> tuple[float, Params]:
    """Return the batch's loss and its gradient for all four parameter
    arrays."""
    # Forward, keeping what the backward pass needs.
    # (n, 30)
    before_relu = xb @ params["w1"] + params["b1"]
    # (n, 30)
    hidden = relu(before_relu)
    # (n,)
    predictions = hidden @ params["w2"] + params["b2"]

    # Backward: the chain rule, from the score back to the first layer.
    # (n,)
    d_predictions = loss.grad(predictions, yb)
    # (n,) x (30,) -> (n, 30)
    d_hidden = np.outer(d_predictions, params["w2"])
    # ReLU passes gradient only where it was on
    d_before_relu = d_hidden * (before_relu > 0)
    grads = {
        # (30, n) @ (n,) -> (30,)
        "w2": hidden.T @ d_predictions,
        "b2": d_predictions.sum(),
        # (784, n) @ (n, 30)
        # -> (784, 30)
        "w1": xb.T @ d_before_relu,
        # (30,)
        "b1": d_before_relu.sum(axis=0),
    }
    return loss.value(predictions, yb), grads


# --8<-- [end:calc_grad]


# --8<-- [start:relu_pieces]
def relu_pieces(xs: np.ndarray, ys: np.ndarray, n_units: int) -> np.ndarray:
    """Return the closest fit to the curve (xs, ys) that n_units hidden ReLUs
    can make: straight lines joined at n_units evenly spaced points."""
    bends = np.linspace(xs.min(), xs.max(), n_units, endpoint=False)
    # layer 1 (weight 1, bias -bend), ReLU: (n, n_units)
    hidden = relu(xs[:, None] - bends)
    # and a bias for layer 2
    features = np.column_stack([hidden, np.ones_like(xs)])
    # layer 2: the best weights
    weights, *_ = np.linalg.lstsq(features, ys, rcond=None)
    # (n, n_units + 1) @ (n_units + 1,)
    # -> (n,)
    return features @ weights


# --8<-- [end:relu_pieces]


def train(
    data,
    recipe: Recipe = RECIPE,
    n_hidden: int = N_HIDDEN,
    on_epoch: OnEpoch | None = None,
    keep_history: bool = True,
) -> TrainingRun:
    """Train the two-layer net on 3s (1) and 7s (0) and return the run."""
    model = HandModel(
        predict=simple_net, calc_grad=calc_grad, loss=mnist_loss, metric=batch_accuracy
    )
    watch = {"on_epoch": on_epoch, "keep_history": keep_history}
    init = partial(init_net, n_hidden=n_hidden)
    return train_from_seed(init, model=model, data=data, recipe=recipe, **watch)
