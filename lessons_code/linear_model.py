"""The chapter's linear classifier: one weight per pixel, one bias, trained by SGD.

Every gradient here is derived by hand. Read it top to bottom next to fastbook
chapter 4: the names (`init_params`, `linear1`, `mnist_loss`, `batch_accuracy`,
`calc_grad`) are the book's. The training loop (`train_epoch`, `validate_epoch`) is
the one both models share, in `lessons_code.learner`.

The image never changes during training. Only the `weights` and the `bias` do.
"""

from __future__ import annotations

import numpy as np

from lessons_code.learner import OnEpoch, Params, Recipe, TrainingRun, train_model

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


SATURATED_SLOPE = 1e-9
"""Below this slope of the sigmoid a prediction is saturated: its gradient is nearly zero."""


def saturated(predictions: np.ndarray) -> bool:
    """Return whether every prediction sits where the sigmoid is flat (or is not a number)."""
    probabilities = sigmoid(predictions)
    slope = probabilities * (1 - probabilities)  # d sigmoid(z) / dz
    return bool(np.all(~(slope >= SATURATED_SLOPE)))  # NaN counts as saturated too


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


# --8<-- [start:train]
def train(
    data, recipe: Recipe = RECIPE, keep_snapshots: bool = False, on_epoch: OnEpoch | None = None
) -> TrainingRun:
    """Train the chapter's linear model on 3s (1) and 7s (0) and return the run."""
    rng = np.random.default_rng(recipe.seed)  # the run's only source of randomness
    params = init_linear(rng)
    return train_model(
        params,
        predict,
        calc_grad,
        data,
        recipe,
        rng,
        mnist_loss,
        batch_accuracy,
        keep_snapshots,
        on_epoch,
    )


# --8<-- [end:train]
