"""The training loop both models share: mini-batch SGD, epoch after epoch.

A model is two functions, `predict(params, xb)` and `calc_grad(params, xb, yb)`; the
loop does not care which model it trains. It steps every parameter against its
gradient, then measures the loss and a metric on both sets after each epoch. This is
what fastai's `Learner` does for the chapter: `fit(epochs, lr)`.
"""

from __future__ import annotations

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

OnEpoch = Callable[["EpochStats"], None]
"""Called with each epoch's stats as it ends (the command line prints a row)."""


@dataclass(frozen=True)
class Recipe:
    """The hyperparameters of one training run."""

    learning_rate: float = 1.0
    batch_size: int = 256
    epochs: int = 20
    seed: int = 0


class RecipeError(ValueError):
    """A hyperparameter that cannot work; `field` names it (e.g. "learning_rate")."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def check_recipe(recipe: Recipe, n_train: int | None = None) -> None:
    """Raise RecipeError, saying what is expected, if a hyperparameter cannot work.

    Given the number of training images, a batch larger than the whole set is refused
    too: it would silently be one batch of all the images.
    """
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
    if n_train is not None and recipe.batch_size > n_train:
        raise RecipeError(
            "batch_size",
            f"batch size must be at most the {n_train:,} training images, "
            f"got {recipe.batch_size:,}",
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
    params: Params
    history: list[EpochStats]
    snapshots: list[Params] = field(default_factory=list)  # after epoch 0 (start), 1, ..., N
    epoch_seconds: list[float] = field(default_factory=list)

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
    on_epoch: OnEpoch | None = None,
) -> TrainingRun:
    """Train a copy of params with mini-batch SGD and return the run and its history.

    on_epoch, if given, sees each epoch's stats as soon as the epoch ends; it changes
    nothing in the run.
    """
    check_recipe(recipe)
    params = copy_params(params)
    train_x = np.asarray(data.train_x, dtype=np.float32)
    train_y = np.asarray(data.train_y, dtype=np.float32)
    snapshots = [copy_params(params)] if keep_snapshots else []
    history, epoch_seconds = [], []
    for epoch in range(1, recipe.epochs + 1):
        started = time.perf_counter()
        train_epoch(
            params, calc_grad, train_x, train_y, recipe.learning_rate, recipe.batch_size, rng
        )
        epoch_seconds.append(time.perf_counter() - started)
        train_loss, train_accuracy = validate_epoch(predict, params, train_x, train_y, loss, metric)
        valid_loss, valid_accuracy = validate_epoch(
            predict, params, data.valid_x, data.valid_y, loss, metric
        )
        stats = EpochStats(epoch, train_loss, valid_loss, train_accuracy, valid_accuracy)
        history.append(stats)
        if keep_snapshots:
            snapshots.append(copy_params(params))
        if on_epoch is not None:
            on_epoch(stats)
    return TrainingRun(recipe, params, history, snapshots, epoch_seconds)


def copy_params(params: Params) -> Params:
    """Return an independent copy of the parameters."""
    return {name: value.copy() for name, value in params.items()}
