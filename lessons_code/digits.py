"""All ten digits: the chapter's models with ten scores per image instead of one.

One score and `mnist_loss` can answer one question, "3 or 7?". Ten classes need ten
scores, one per digit: the linear model gets ten columns of weights, the two-layer
net ten outputs. `softmax` turns the ten scores into ten probabilities that add up to
1, and the loss is the cross-entropy, minus the log of the probability of the right
digit. Every gradient is derived by hand; the training loop is the chapter's, in
`lessons_code.learner`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Literal

import numpy as np

from lessons_code.baseline import Distance, mnist_distance
from lessons_code.data import N_PIXELS
from lessons_code.learner import (
    CalcGrad,
    HandModel,
    Measure,
    OnEpoch,
    Params,
    Predict,
    Recipe,
    TrainingRun,
    train_from_seed,
)
from lessons_code.linear_model import (
    MNIST_LOSS,
    Loss,
    init_layer,
    init_params,
    linear1,
)
from lessons_code.neural_net import relu

N_DIGITS = 10
N_HIDDEN = 100  # the chapter has 30, which on ten digits do a little worse (the page)

LINEAR_RECIPE = Recipe(learning_rate=0.5, epochs=20)
"""The linear model's recipe for ten digits: lr 0.5, batch 256, 20 epochs."""

NET_RECIPE = Recipe(learning_rate=0.5, epochs=20)
"""The two-layer net's recipe for ten digits: lr 0.5, batch 256, 20 epochs."""

Model = Literal["linear", "net"]


# --8<-- [start:softmax]
def softmax(scores: np.ndarray) -> np.ndarray:
    """Return each row of scores as probabilities: exp(score) / sum of
    exp(scores)."""
    # the largest becomes 0: no overflow
    shifted = scores - scores.max(axis=-1, keepdims=True)
    exps = np.exp(shifted)
    return exps / exps.sum(axis=-1, keepdims=True)


# --8<-- [end:softmax]


# --8<-- [start:cross_entropy]
def log_softmax(scores: np.ndarray) -> np.ndarray:
    """Return log(softmax(scores)), computed without taking the log of a tiny
    number."""
    shifted = scores - scores.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def cross_entropy(predictions: np.ndarray, targets: np.ndarray) -> float:
    """Return the mean of -log(probability of the right digit) over the
    images."""
    # the true digit of each image, 0 to 9
    right_digits = np.asarray(targets, dtype=np.intp)
    # (n_images, 10)
    log_probabilities = log_softmax(predictions)
    rows = np.arange(len(right_digits))
    return float(-log_probabilities[rows, right_digits].mean())


# --8<-- [end:cross_entropy]


# --8<-- [start:cross_entropy_grad]
def one_hot(targets: np.ndarray, n_classes: int = N_DIGITS) -> np.ndarray:
    """Return a row per image with 1 in the column of its digit and 0
    elsewhere."""
    return np.eye(n_classes)[np.asarray(targets, dtype=np.intp)]


def cross_entropy_grad(
    predictions: np.ndarray,
    targets: np.ndarray,
) -> np.ndarray:
    """Return d cross_entropy / d predictions: (probabilities -
    one_hot(targets)) / n."""
    # Raising the right digit's score lowers the loss (its gradient is p - 1 <
    # 0); raising any other digit's score raises it (gradient p > 0).
    one_hots = one_hot(targets, predictions.shape[-1])
    return (softmax(predictions) - one_hots) / len(predictions)


# --8<-- [end:cross_entropy_grad]


# --8<-- [start:batch_accuracy]
def batch_accuracy(predictions: np.ndarray, targets: np.ndarray) -> float:
    """Return the fraction of images whose highest score is their digit's."""
    return float((predictions.argmax(axis=-1) == np.asarray(targets)).mean())


# --8<-- [end:batch_accuracy]


# --8<-- [start:ten_scores]
def ten_init_linear(rng: np.random.Generator) -> Params:
    """Return ten columns of 784 weights and ten biases: one linear model per
    digit."""
    return {
        "weights": init_params((N_PIXELS, N_DIGITS), rng, std=0.01),
        "bias": np.zeros(N_DIGITS, dtype=np.float32),
    }


def ten_predict(params: Params, xb: np.ndarray) -> np.ndarray:
    """Return ten scores per image from the linear model."""
    # (n, 784) @ (784, 10) -> (n, 10)
    return linear1(xb, params["weights"], params["bias"])


# --8<-- [end:ten_scores]


# --8<-- [start:calc_grad]
def calc_grad(
    params: Params,
    xb: np.ndarray,
    yb: np.ndarray,
) -> tuple[float, Params]:
    """Return the batch's cross-entropy and its gradient for the weights and the
    biases."""
    predictions = ten_predict(params, xb)
    # (n, 10)
    d_predictions = cross_entropy_grad(predictions, yb)
    grads = {
        # (784, n) @ (n, 10)
        # -> (784, 10)
        "weights": xb.T @ d_predictions,
        # (10,)
        "bias": d_predictions.sum(axis=0),
    }
    return cross_entropy(predictions, yb), grads


# --8<-- [end:calc_grad]


# --8<-- [start:net]
def ten_init_net(rng: np.random.Generator, n_hidden: int = N_HIDDEN) -> Params:
    """Return the two layers' starting weights and biases: 784 -> n_hidden -> 10."""
    w1, b1 = init_layer(N_PIXELS, n_hidden, rng)
    w2, b2 = init_layer(n_hidden, N_DIGITS, rng)
    return {"w1": w1, "b1": b1, "w2": w2, "b2": b2}


def ten_simple_net(params: Params, xb: np.ndarray) -> np.ndarray:
    """Return ten scores per image from the two-layer net (h = n_hidden, 100 by default)."""
    hidden = relu(xb @ params["w1"] + params["b1"])  # (n, 784) @ (784, h) -> (n, h)
    return hidden @ params["w2"] + params["b2"]  # (n, h) @ (h, 10) -> (n, 10)


def ten_net_calc_grad(params: Params, xb: np.ndarray, yb: np.ndarray) -> tuple[float, Params]:
    """Return the batch's cross-entropy and its gradient for all four parameter arrays."""
    before_relu = xb @ params["w1"] + params["b1"]  # (n, h)
    hidden = relu(before_relu)  # (n, h)
    predictions = hidden @ params["w2"] + params["b2"]  # (n, 10)

    d_predictions = cross_entropy_grad(predictions, yb)  # (n, 10)
    d_hidden = d_predictions @ params["w2"].T  # (n, 10) @ (10, h) -> (n, h)
    d_before_relu = d_hidden * (before_relu > 0)  # ReLU passes gradient only where it was on
    grads = {
        "w2": hidden.T @ d_predictions,  # (h, n) @ (n, 10) -> (h, 10)
        "b2": d_predictions.sum(axis=0),  # (10,)
        "w1": xb.T @ d_before_relu,  # (784, n) @ (n, h) -> (784, h)
        "b1": d_before_relu.sum(axis=0),  # (h,)
    }
    return cross_entropy(predictions, yb), grads


# --8<-- [end:net]


# --8<-- [start:train]
def train_linear(
    data,
    recipe: Recipe = LINEAR_RECIPE,
    gradient: CalcGrad = calc_grad,
    loss: Measure = cross_entropy,
    on_epoch: OnEpoch | None = None,
    keep_history: bool = True,
) -> TrainingRun:
    """Train the linear model 784 -> 10 on all ten digits and return the run:
    with cross-entropy, unless another loss and its gradient are given."""
    model = HandModel(
        predict=ten_predict,
        calc_grad=gradient,
        loss=loss,
        metric=batch_accuracy,
    )
    init = ten_init_linear
    watch = {"on_epoch": on_epoch, "keep_history": keep_history}
    return train_from_seed(init, model=model, data=data, recipe=recipe, **watch)


def train_net(
    data,
    recipe: Recipe = NET_RECIPE,
    n_hidden: int = N_HIDDEN,
    on_epoch: OnEpoch | None = None,
    keep_history: bool = True,
) -> TrainingRun:
    """Train the two-layer net 784 -> n_hidden -> ReLU -> 10 and return the
    run."""
    model = HandModel(
        predict=ten_simple_net,
        calc_grad=ten_net_calc_grad,
        loss=cross_entropy,
        metric=batch_accuracy,
    )
    init = partial(ten_init_net, n_hidden=n_hidden)
    watch = {"on_epoch": on_epoch, "keep_history": keep_history}
    return train_from_seed(init, model=model, data=data, recipe=recipe, **watch)


# --8<-- [end:train]


@dataclass(frozen=True)
class DigitModel:
    """A ten-digit model: how to train it, how it scores, and its recipe."""

    train: Callable[[object, Recipe], TrainingRun]  # (data, recipe) -> the run
    predict: Predict
    recipe: Recipe


MODELS = {
    "linear": DigitModel(train_linear, ten_predict, LINEAR_RECIPE),
    "net": DigitModel(train_net, ten_simple_net, NET_RECIPE),
}
"""Each ten-digit model by the name `lessons train-digits --model` gives it."""


# --- how well, digit by digit ----------------------------------------------------------


# --8<-- [start:confusion_matrix]
def confusion_matrix(
    predictions: np.ndarray,
    targets: np.ndarray,
) -> np.ndarray:
    """Return 10 × 10 counts: row = the true digit, column = the digit the model
    said."""
    said = predictions.argmax(axis=-1)
    counts = np.zeros((N_DIGITS, N_DIGITS), dtype=np.int64)
    np.add.at(counts, (np.asarray(targets, dtype=np.intp), said), 1)
    return counts


def per_class_accuracy(confusion: np.ndarray) -> np.ndarray:
    """Return, for each true digit, the fraction of its images the model got
    right."""
    return np.diag(confusion) / np.maximum(confusion.sum(axis=1), 1)


def most_confused(
    confusion: np.ndarray,
    k: int = 3,
) -> list[tuple[int, int, int]]:
    """Return the k most frequent mistakes as (true digit, said digit, count),
    most first."""
    mistakes = confusion.astype(np.int64).copy()
    np.fill_diagonal(mistakes, 0)
    order = np.argsort(-mistakes, axis=None, kind="stable")[:k]
    pairs = [divmod(int(index), N_DIGITS) for index in order]
    found = [(true, said, int(mistakes[true, said])) for true, said in pairs]
    return [mistake for mistake in found if mistake[2]]


# --8<-- [end:confusion_matrix]


# --- baselines --------------------------------------------------------------------------

CHANCE = 1 / N_DIGITS
"""Guessing a digit at random is right one time in ten."""


# --8<-- [start:nearest_ideal]
def ten_ideal_digits(train_x: np.ndarray, train_y: np.ndarray) -> np.ndarray:
    """Return the ten "ideal" digits: the mean training image of each digit,
    (10, 784)."""
    return np.stack(
        [train_x[train_y == digit].mean(axis=0) for digit in range(N_DIGITS)],
    )


def nearest_ideal(
    images: np.ndarray,
    ideals: np.ndarray,
    kind: Distance = "l1",
) -> np.ndarray:
    """Return, for each image, the digit whose ideal it is closest to."""
    distances = np.stack(
        [mnist_distance(images, ideal, kind) for ideal in ideals],
        axis=1,
    )
    # (n_images, 10) -> (n_images,)
    return distances.argmin(axis=1)


# --8<-- [end:nearest_ideal]


@dataclass(frozen=True)
class NearestIdeal:
    """The ten ideal digits and how often "the closest ideal" is right on the validation set."""

    ideals: np.ndarray  # (10, 784)
    kind: Distance
    accuracy: float


def nearest_ideal_baseline(data, kind: Distance = "l1") -> NearestIdeal:
    """Build the ten ideal digits from the training set and score the validation set."""
    ideals = ten_ideal_digits(data.train_x, data.train_y)
    said = nearest_ideal(data.valid_x, ideals, kind)
    return NearestIdeal(ideals, kind, float((said == data.valid_y).mean()))


# --- two classes: softmax is the sigmoid ------------------------------------------------


# --8<-- [start:two_classes]
def two_scores(predictions: np.ndarray) -> np.ndarray:
    """Return one score per image as two: 0 for a 7 and the score itself for a
    3."""
    # (n,) -> (n, 2)
    return np.stack([np.zeros_like(predictions), predictions], axis=-1)


def binary_cross_entropy_via_softmax(
    predictions: np.ndarray,
    targets: np.ndarray,
) -> float:
    """Return binary cross-entropy of one score per image (1 for a 3, 0 for a
    7), computed as the cross-entropy of two scores: softmax gives the 3
    sigmoid(score - 0)."""
    return cross_entropy(two_scores(predictions), targets)


def binary_cross_entropy_via_softmax_grad(
    predictions: np.ndarray, targets: np.ndarray
) -> np.ndarray:
    """Return its gradient, the 3's column of cross_entropy_grad:
    (sigmoid(score) - target) / n."""
    return cross_entropy_grad(two_scores(predictions), targets)[:, 1]


# --8<-- [end:two_classes]


# --- a wrong turn: the two-class loss on ten scores --------------------------------------


# --8<-- [start:two_class_loss]
def two_class_loss(
    predictions: np.ndarray,
    targets: np.ndarray,
    loss: Loss = MNIST_LOSS,
) -> float:
    """Return a two-class loss, mnist_loss unless told, on each of the ten
    scores: ten separate questions "this digit or not?", a sigmoid per score
    and no softmax."""
    # mean over n × 10
    return loss.value(predictions.ravel(), one_hot(targets).ravel())


def two_class_loss_calc_grad(
    params: Params, xb: np.ndarray, yb: np.ndarray, loss: Loss = MNIST_LOSS
):
    """Return two_class_loss of the linear model's batch and its gradient."""
    # (n, 10)
    predictions = ten_predict(params, xb)
    # mean over n × 10
    flat = loss.grad(predictions.ravel(), one_hot(yb).ravel())
    d_predictions = flat.reshape(predictions.shape)
    grads = {"weights": xb.T @ d_predictions, "bias": d_predictions.sum(axis=0)}
    return two_class_loss(predictions, yb, loss), grads


# --8<-- [end:two_class_loss]


def train_linear_two_class_loss(
    data, recipe: Recipe = LINEAR_RECIPE, loss: Loss = MNIST_LOSS
) -> TrainingRun:
    """Train the ten-score linear model with a two-class loss on each score (mnist_loss
    unless told) instead of softmax and cross-entropy."""
    return train_linear(
        data,
        recipe,
        partial(two_class_loss_calc_grad, loss=loss),
        partial(two_class_loss, loss=loss),
    )
