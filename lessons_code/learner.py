"""The training loop both models share: mini-batch SGD, epoch after epoch.

A model is two functions, `predict(params, xb)` and `calc_grad(params, xb, yb)`; the
loop does not care which model it trains. It steps every parameter against its
gradient, then measures the loss and a metric on both sets after each epoch. This is
what fastai's `Learner` does for the chapter: `fit(epochs, lr)`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

Params = dict[str, np.ndarray]
"""A model's parameters by name, e.g. {"weights": (784,), "bias": ()}."""

Predict = Callable[[Params, np.ndarray], np.ndarray]
CalcGrad = Callable[[Params, np.ndarray, np.ndarray], tuple[float, Params]]
Measure = Callable[[np.ndarray, np.ndarray], float]
"""A loss function or a metric: (predictions, targets) -> one number."""


MNIST_SAMPLE_TRAIN_SIZE = 12_396
"""Training images of fastai's MNIST_SAMPLE (6,131 threes, 6,265 sevens): the set the
chapter's recipes were written for."""


@dataclass(frozen=True)
class Recipe:
    """The hyperparameters of one training run.

    With `keep_chapter_steps`, as in the chapter's own recipes, `epochs` counts passes over
    the chapter's 12,396 training images: a smaller training set has fewer batches per
    epoch, so the run makes as many SGD steps as the chapter's run does, which takes more
    epochs (20 epochs of 49 batches are 980 steps; 800 images make 4 batches, so 245
    epochs). Without it, `epochs` are passes over whatever training set is given.
    """

    learning_rate: float = 1.0
    batch_size: int = 256
    epochs: int = 20
    seed: int = 0
    keep_chapter_steps: bool = False

    def epochs_on(self, n_train: int) -> int:
        """Return how many epochs the run makes over n_train training images."""
        if not self.keep_chapter_steps:
            return self.epochs
        chapter_steps = self.epochs * math.ceil(MNIST_SAMPLE_TRAIN_SIZE / self.batch_size)
        return max(self.epochs, math.ceil(chapter_steps / math.ceil(n_train / self.batch_size)))


class RecipeError(ValueError):
    """A hyperparameter that cannot work; `field` names it (e.g. "learning_rate")."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def check_recipe(recipe: Recipe) -> None:
    """Raise RecipeError, saying what is expected, if a hyperparameter cannot work."""
    rate = recipe.learning_rate
    if not np.isfinite(rate) or rate <= 0:
        raise RecipeError("learning_rate", f"learning rate must be a positive number, got {rate}")
    for field_name, minimum in (("batch_size", 1), ("epochs", 1), ("seed", 0)):
        value = getattr(recipe, field_name)
        if not isinstance(value, int | np.integer) or value < minimum:
            words = field_name.replace("_", " ")
            raise RecipeError(
                field_name, f"{words} must be a whole number ≥ {minimum}, got {value}"
            )


@dataclass(frozen=True)
class EpochStats:
    """Loss and accuracy on both sets after one epoch."""

    epoch: int
    train_loss: float
    valid_loss: float
    train_accuracy: float
    valid_accuracy: float


@dataclass(frozen=True)
class TrainingRun:
    """What a training run returns: the final parameters and how it got there."""

    recipe: Recipe
    initial: Params  # where training started
    params: Params  # where it ended
    history: list[EpochStats]
    steps: int  # SGD steps taken, one per batch
    snapshots: list[Params] = field(default_factory=list)  # after epoch 0 (start), 1, ..., N
    epoch_seconds: list[float] = field(default_factory=list)

    @property
    def epochs(self) -> int:
        """Return how many epochs the run made."""
        return len(self.history)

    @property
    def final_valid_accuracy(self) -> float:
        """Return the validation accuracy after the last epoch."""
        return self.history[-1].valid_accuracy

    @property
    def seconds_per_epoch(self) -> float:
        """Return the median wall time of one training epoch."""
        return float(np.median(self.epoch_seconds))


# --8<-- [start:train_epoch]
def train_epoch(
    params: Params,
    calc_grad: CalcGrad,
    train_x: np.ndarray,
    train_y: np.ndarray,
    learning_rate: float,
    batch_size: int,
    rng: np.random.Generator,
) -> None:
    """Take one SGD step per mini-batch over the shuffled training set (updates params)."""
    order = rng.permutation(len(train_x))
    for start in range(0, len(order), batch_size):
        batch = order[start : start + batch_size]
        _, grads = calc_grad(params, train_x[batch], train_y[batch])
        for name, grad in grads.items():
            params[name] -= learning_rate * grad  # step downhill: against the gradient


# --8<-- [end:train_epoch]


def validate_epoch(
    predict: Predict, params: Params, x: np.ndarray, y: np.ndarray, loss: Measure, metric: Measure
) -> tuple[float, float]:
    """Return (loss, metric) of the model on a whole set of images."""
    predictions = predict(params, x)
    return loss(predictions, y), metric(predictions, y)


def train_model(
    params: Params,
    predict: Predict,
    calc_grad: CalcGrad,
    data,
    recipe: Recipe,
    rng: np.random.Generator,
    loss: Measure,
    metric: Measure,
    keep_snapshots: bool = False,
) -> TrainingRun:
    """Train a copy of params with mini-batch SGD and return the run and its history."""
    check_recipe(recipe)
    initial, params = copy_params(params), copy_params(params)
    train_x = np.asarray(data.train_x, dtype=np.float32)
    train_y = np.asarray(data.train_y, dtype=np.float32)
    snapshots = [copy_params(params)] if keep_snapshots else []
    history, epoch_seconds = [], []
    epochs = recipe.epochs_on(len(train_x))
    for epoch in range(1, epochs + 1):
        started = time.perf_counter()
        train_epoch(
            params, calc_grad, train_x, train_y, recipe.learning_rate, recipe.batch_size, rng
        )
        epoch_seconds.append(time.perf_counter() - started)
        train_loss, train_accuracy = validate_epoch(predict, params, train_x, train_y, loss, metric)
        valid_loss, valid_accuracy = validate_epoch(
            predict, params, data.valid_x, data.valid_y, loss, metric
        )
        history.append(EpochStats(epoch, train_loss, valid_loss, train_accuracy, valid_accuracy))
        if keep_snapshots:
            snapshots.append(copy_params(params))
    steps = epochs * math.ceil(len(train_x) / recipe.batch_size)
    return TrainingRun(recipe, initial, params, history, steps, snapshots, epoch_seconds)


def copy_params(params: Params) -> Params:
    """Return an independent copy of the parameters."""
    return {name: value.copy() for name, value in params.items()}
