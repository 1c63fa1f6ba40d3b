"""The chapter's linear classifier: one weight per pixel, one bias, trained by SGD.

Every gradient here is derived by hand. Read it top to bottom next to fastbook
chapter 4: the names (`init_params`, `linear1`, `mnist_loss`, `batch_accuracy`,
`train_epoch`, `validate_epoch`) are the book's.

The image never changes during training. Only the `weights` and the `bias` do.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

Params = dict[str, np.ndarray]
"""A model's parameters by name, e.g. {"weights": (784,), "bias": ()}."""


@dataclass(frozen=True)
class Recipe:
    """The hyperparameters of one training run."""

    learning_rate: float = 1.0
    batch_size: int = 256
    epochs: int = 20
    seed: int = 0


RECIPE = Recipe()
"""The chapter's recipe for the linear model: lr 1.0, batch 256, 20 epochs."""

N_PIXELS = 28 * 28  # 784: one weight for every pixel of a 28×28 image


# --8<-- [start:init_params]
def init_params(shape: int | tuple[int, ...], rng: np.random.Generator, std: float = 1.0):
    """Return random parameters drawn from a normal distribution with this std."""
    return (rng.standard_normal(shape) * std).astype(np.float32)


# --8<-- [end:init_params]


# --8<-- [start:linear1]
def linear1(xb: np.ndarray, weights: np.ndarray, bias: np.ndarray | float) -> np.ndarray:
    """Return one score per image: the sum of pixel × weight, plus the bias."""
    return xb @ weights + bias  # (n_images, 784) @ (784,) -> (n_images,)


# --8<-- [end:linear1]


# --8<-- [start:sigmoid]
def sigmoid(x: np.ndarray | float) -> np.ndarray:
    """Return 1 / (1 + exp(-x)), squashing any score into a probability in [0, 1]."""
    x = np.asarray(x)
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows, even at ±1000
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


# --8<-- [end:sigmoid]


# --8<-- [start:mnist_loss]
def mnist_loss(predictions: np.ndarray, targets: np.ndarray) -> float:
    """Return how far the probabilities are from the targets (1 for a 3, 0 for a 7)."""
    probabilities = sigmoid(predictions)
    return float(np.where(targets == 1, 1 - probabilities, probabilities).mean())


# --8<-- [end:mnist_loss]


# --8<-- [start:mnist_loss_grad]
def mnist_loss_grad(predictions: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Return d mnist_loss / d predictions, one number per image."""
    probabilities = sigmoid(predictions)
    slope = probabilities * (1 - probabilities)  # d sigmoid(z) / dz
    # A 3 (target 1) wants a higher score: raising its score lowers the loss.
    return np.where(targets == 1, -slope, slope) / len(predictions)


# --8<-- [end:mnist_loss_grad]


# --8<-- [start:batch_accuracy]
def batch_accuracy(predictions: np.ndarray, targets: np.ndarray) -> float:
    """Return the fraction of images whose score lands on the right side of 0."""
    correct = (predictions > 0) == (targets == 1)  # sigmoid(score) > 0.5  <=>  score > 0
    return float(correct.mean())


# --8<-- [end:batch_accuracy]


def mistakes(predictions: np.ndarray, targets: np.ndarray, k: int) -> np.ndarray:
    """Return the indices of the k wrongly classified images the model was surest about."""
    wrong = np.flatnonzero((predictions > 0) != (targets == 1))
    return wrong[np.argsort(-np.abs(predictions[wrong]), kind="stable")][:k]


def predict(params: Params, xb: np.ndarray) -> np.ndarray:
    """Return the linear model's scores for a batch of images."""
    return linear1(xb, params["weights"], params["bias"])


# --8<-- [start:calc_grad]
def calc_grad(params: Params, xb: np.ndarray, yb: np.ndarray) -> tuple[float, Params]:
    """Return the batch's loss and its gradient for the weights and the bias."""
    predictions = predict(params, xb)
    d_predictions = mnist_loss_grad(predictions, yb)  # (n_images,)
    grads = {
        # score = sum(pixel * weight) + bias, so d score / d weight = pixel.
        "weights": xb.T @ d_predictions,  # (784, n_images) @ (n_images,) -> (784,)
        # d score / d bias = 1 for every image.
        "bias": d_predictions.sum(),
    }
    return mnist_loss(predictions, yb), grads


# --8<-- [end:calc_grad]


def init_linear(rng: np.random.Generator) -> Params:
    """Return the chapter's starting point: 784 random weights and a random bias."""
    return {"weights": init_params(N_PIXELS, rng), "bias": init_params((), rng)}


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


Predict = Callable[[Params, np.ndarray], np.ndarray]
CalcGrad = Callable[[Params, np.ndarray, np.ndarray], tuple[float, Params]]


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


def validate_epoch(predict: Predict, params: Params, x: np.ndarray, y: np.ndarray):
    """Return (loss, accuracy) of the model on a whole set of images."""
    predictions = predict(params, x)
    return mnist_loss(predictions, y), batch_accuracy(predictions, y)


def train_model(
    params: Params,
    predict: Predict,
    calc_grad: CalcGrad,
    data,
    recipe: Recipe,
    rng: np.random.Generator,
    keep_snapshots: bool = False,
) -> TrainingRun:
    """Train a copy of params with mini-batch SGD and return the run and its history."""
    check_recipe(recipe)
    params = _copy(params)
    train_x = np.asarray(data.train_x, dtype=np.float32)
    train_y = np.asarray(data.train_y, dtype=np.float32)
    snapshots = [_copy(params)] if keep_snapshots else []
    history, epoch_seconds = [], []
    for epoch in range(1, recipe.epochs + 1):
        started = time.perf_counter()
        train_epoch(
            params, calc_grad, train_x, train_y, recipe.learning_rate, recipe.batch_size, rng
        )
        epoch_seconds.append(time.perf_counter() - started)
        train_loss, train_accuracy = validate_epoch(predict, params, train_x, train_y)
        valid_loss, valid_accuracy = validate_epoch(predict, params, data.valid_x, data.valid_y)
        history.append(EpochStats(epoch, train_loss, valid_loss, train_accuracy, valid_accuracy))
        if keep_snapshots:
            snapshots.append(_copy(params))
    return TrainingRun(recipe, params, history, snapshots, epoch_seconds)


def _copy(params: Params) -> Params:
    """Return an independent copy of the parameters."""
    return {name: value.copy() for name, value in params.items()}


def check_recipe(recipe: Recipe) -> None:
    """Raise ValueError, saying what is expected, if a hyperparameter cannot work."""
    if not np.isfinite(recipe.learning_rate) or recipe.learning_rate <= 0:
        raise ValueError(f"learning rate must be a positive number, got {recipe.learning_rate}")
    if recipe.batch_size < 1:
        raise ValueError(f"batch size must be at least 1, got {recipe.batch_size}")
    if recipe.epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {recipe.epochs}")


# --8<-- [start:train]
def train(data, recipe: Recipe = RECIPE, keep_snapshots: bool = False) -> TrainingRun:
    """Train the chapter's linear model on 3s (1) and 7s (0) and return the run."""
    rng = np.random.default_rng(recipe.seed)  # the run's only source of randomness
    params = init_linear(rng)
    return train_model(params, predict, calc_grad, data, recipe, rng, keep_snapshots)


# --8<-- [end:train]
