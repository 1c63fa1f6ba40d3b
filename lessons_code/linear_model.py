"""The chapter's linear classifier: one weight per pixel, one bias, trained by SGD.

Every gradient here is derived by hand. Read it top to bottom next to fastbook
chapter 4: the names (`init_params`, `linear1`, `mnist_loss`, `batch_accuracy`,
`calc_grad`) are the book's. The training loop (`train_epoch`, `validate_epoch`) is
the one both models share, in `lessons_code.learner`.

The image never changes during training. Only the `weights` and the `bias` do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from lessons_code.data import N_PIXELS
from lessons_code.learner import HandModel, OnEpoch, Params, Recipe, TrainingRun, train_from_seed

RECIPE = Recipe(keep_chapter_steps=True)
"""The chapter's recipe for the linear model: lr 1.0, batch 256, 20 epochs of its 12,396
images: 980 steps, or as near as whole epochs of another training set come (988 on
4,725 images)."""


# --8<-- [start:init_params]
def init_params(
    shape: int | tuple[int, ...],
    rng: np.random.Generator,
    std: float = 1.0,
):
    """Return random parameters drawn from a normal distribution with this
    std."""
    return (rng.standard_normal(shape) * std).astype(np.float32)


# --8<-- [end:init_params]


# --8<-- [start:linear1]
def linear1(
    xb: np.ndarray,
    weights: np.ndarray,
    bias: np.ndarray | float,
) -> np.ndarray:
    """Return one score per image: the sum of pixel × weight, plus the bias."""
    # (n_images, 784) @ (784,)
    # -> (n_images,)
    return xb @ weights + bias


# --8<-- [end:linear1]


# --8<-- [start:sigmoid]
def sigmoid(x: np.ndarray | float) -> np.ndarray:
    """Return 1 / (1 + exp(-x)), squashing any score into a probability in [0,
    1]."""
    x = np.asarray(x)
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows, even at ±1000
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


# --8<-- [end:sigmoid]


SATURATED_SLOPE = 1e-9
"""Below this slope of the sigmoid a prediction is saturated: its gradient is nearly zero."""


def saturated(predictions: np.ndarray) -> bool:
    """Return whether every prediction sits where the sigmoid is flat (or is not a number)."""
    probabilities = sigmoid(predictions)
    slope = probabilities * (1 - probabilities)  # d sigmoid(z) / dz
    return bool(np.all(~(slope >= SATURATED_SLOPE)))  # NaN counts as saturated too


# --8<-- [start:mnist_loss]
def mnist_loss(predictions: np.ndarray, targets: np.ndarray) -> float:
    """Return how far the probabilities are from the targets (1 for a 3, 0 for a
    7)."""
    probabilities = sigmoid(predictions)
    losses = np.where(targets == 1, 1 - probabilities, probabilities)
    return float(losses.mean())


# --8<-- [end:mnist_loss]


# --8<-- [start:mnist_loss_grad]
def mnist_loss_grad(predictions: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Return d mnist_loss / d predictions, one number per image: the chain
    rule."""
    probabilities = sigmoid(predictions)
    # d loss / d probability, the loss being a mean over n images: a 3's loss is
    # 1 - p, so -1/n (raising its probability lowers the loss); a 7's loss is p,
    # so +1/n.
    sign = np.where(targets == 1, -1, 1).astype(probabilities.dtype)
    d_probabilities = sign / len(predictions)
    # d probability / d score: the sigmoid's slope
    slope = probabilities * (1 - probabilities)
    return d_probabilities * slope


# --8<-- [end:mnist_loss_grad]


# --8<-- [start:binary_cross_entropy]
def binary_cross_entropy(predictions: np.ndarray, targets: np.ndarray) -> float:
    """Return the mean of -log(probability given to the true digit): 0 when sure
    and right."""
    # -log(sigmoid(z)) = log(1 + exp(-z)), written so that it never overflows.
    # the true digit's score
    signed = np.where(targets == 1, predictions, -predictions)
    return float((np.logaddexp(0, -signed)).mean())


def binary_cross_entropy_grad(
    predictions: np.ndarray,
    targets: np.ndarray,
) -> np.ndarray:
    """Return d binary_cross_entropy / d predictions: (probability - target) /
    n."""
    return (sigmoid(predictions) - targets) / len(predictions)


# --8<-- [end:binary_cross_entropy]


@dataclass(frozen=True)
class Loss:
    """A loss function and its gradient with respect to the scores."""

    name: str
    value: Callable[[np.ndarray, np.ndarray], float]
    grad: Callable[[np.ndarray, np.ndarray], np.ndarray]


MNIST_LOSS = Loss("mnist_loss", mnist_loss, mnist_loss_grad)
BINARY_CROSS_ENTROPY = Loss("binary cross-entropy", binary_cross_entropy, binary_cross_entropy_grad)


# --8<-- [start:batch_accuracy]
def batch_accuracy(predictions: np.ndarray, targets: np.ndarray) -> float:
    """Return the fraction of images whose score lands on the right side of
    0."""
    # sigmoid(score) > 0.5  <=>  score > 0
    correct = (predictions > 0) == (targets == 1)
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
def calc_grad(
    params: Params, xb: np.ndarray, yb: np.ndarray, loss: Loss = MNIST_LOSS
) -> tuple[float, Params]:
    """Return the batch's loss and its gradient for the weights and the bias."""
    predictions = predict(params, xb)
    # d loss / d score, one per image: (n_images,)
    d_predictions = loss.grad(predictions, yb)
    grads = {
        # score = sum(pixel * weight) + bias, so d score / d weight = pixel:
        # each image's pixels, times how much its score should move, summed over
        # the batch.
        # (784, n_images) @ (n_images,)
        # -> (784,)
        "weights": xb.T @ d_predictions,
        # d score / d bias = 1 for every image.
        "bias": d_predictions.sum(),
    }
    return loss.value(predictions, yb), grads


# --8<-- [end:calc_grad]


# --8<-- [start:one_step_change]
def one_step_change(
    params: Params, xb: np.ndarray, yb: np.ndarray, learning_rate: float
) -> tuple[np.ndarray, np.ndarray]:
    """Return (how much each image counts, the change of the weights) for one
    SGD step.

    The change is a weighted sum of the batch's images: each 3 is added and
    each 7 subtracted, weighted by the sigmoid's slope at its score, p(1 - p):
    most for an image the model is unsure about (p near 0.5), almost nothing
    for one it is sure of, right or wrong (mnist_loss's blind spot).
    """
    # (n_images,)
    counts = -learning_rate * mnist_loss_grad(predict(params, xb), yb)
    # (n_images,) @ (n_images, 784)
    # -> (784,)
    return counts, counts @ xb


# --8<-- [end:one_step_change]


# --8<-- [start:ascend_pixels]
def ascend_pixels(
    weights: np.ndarray,
    steps: int,
    learning_rate: float,
) -> np.ndarray:
    """Return the images (steps + 1, 784) of gradient ascent on the pixels of a
    blank image, the weights held fixed, to raise its score: the learner's
    "start from a blank image and change it" idea, tried.

    The score is pixels · weights + bias, so its gradient for the pixels is the
    weights themselves: every step adds the weights to the image (kept between 0
    and 1).
    """
    images = [np.zeros_like(weights, dtype=np.float64)]
    for _ in range(steps):
        images.append(np.clip(images[-1] + learning_rate * weights, 0, 1))
    return np.array(images)


# --8<-- [end:ascend_pixels]


def init_linear(rng: np.random.Generator) -> Params:
    """Return the chapter's starting point: 784 random weights and a random bias, std 1."""
    return {"weights": init_params(N_PIXELS, rng), "bias": init_params((), rng)}


def init_layer(n_in: int, n_out: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Return (weights, bias) uniform in ±1/sqrt(n_in), as PyTorch's nn.Linear starts."""
    bound = 1 / np.sqrt(n_in)
    shape = (n_in, n_out) if n_out > 1 else (n_in,)
    weights = rng.uniform(-bound, bound, shape).astype(np.float32)
    bias = rng.uniform(-bound, bound, n_out if n_out > 1 else ()).astype(np.float32)
    return weights, bias


def init_like_nn_linear(rng: np.random.Generator) -> Params:
    """Return small starting weights and bias, as nn.Linear(784, 1) draws them."""
    weights, bias = init_layer(N_PIXELS, 1, rng)
    return {"weights": weights, "bias": bias}


# --8<-- [start:train]
def train(
    data,
    recipe: Recipe = RECIPE,
    keep_snapshots: bool = False,
    init: Callable[[np.random.Generator], Params] = init_linear,
    loss: Loss = MNIST_LOSS,
    on_epoch: OnEpoch | None = None,
    keep_history: bool = True,
) -> TrainingRun:
    """Train the chapter's linear model on 3s (1) and 7s (0) and return the run."""
    gradient = partial(calc_grad, loss=loss)
    model = HandModel(predict=predict, calc_grad=gradient, loss=loss.value, metric=batch_accuracy)
    watch = {"keep_snapshots": keep_snapshots, "on_epoch": on_epoch, "keep_history": keep_history}
    return train_from_seed(init, model=model, data=data, recipe=recipe, **watch)


# --8<-- [end:train]
