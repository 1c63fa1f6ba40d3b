"""Pixel similarity: the learner's own idea, before any learning.

Average every training 3 into an "ideal" 3, and every 7 into an ideal 7. A new
image is called a 3 when it is closer to the ideal 3 than to the ideal 7. The
closeness is `abs(pixel - ideal)` averaged over the 784 pixels (L1), or the root
of the mean squared difference (L2). Nothing here is learned by gradient descent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Distance = Literal["l1", "l2"]


# --8<-- [start:mnist_distance]
def mnist_distance(
    images: np.ndarray,
    ideal: np.ndarray,
    kind: Distance = "l1",
) -> np.ndarray:
    """Return each image's distance to the ideal digit, averaged over its
    pixels."""
    # (n_images, 784) - (784,)
    # -> (n_images, 784)
    difference = images - ideal
    if kind == "l1":
        return np.abs(difference).mean(axis=-1)
    if kind == "l2":
        return np.sqrt((difference**2).mean(axis=-1))
    raise ValueError(f"distance must be 'l1' or 'l2', got {kind!r}")


def is_3(
    images: np.ndarray,
    ideal_3: np.ndarray,
    ideal_7: np.ndarray,
    kind: Distance = "l1",
):
    """Return True for each image closer to the ideal 3 than to the ideal 7."""
    to_3 = mnist_distance(images, ideal_3, kind)
    return to_3 < mnist_distance(images, ideal_7, kind)


# --8<-- [end:mnist_distance]


# --8<-- [start:templates_as_weights]
def templates_as_weights(
    ideal_3: np.ndarray,
    ideal_7: np.ndarray,
) -> tuple[np.ndarray, float]:
    """Return the (weights, bias) of a linear model that says "3" exactly when
    an image is closer to the ideal 3 than to the ideal 7, in squared distance.

    |x - m7|² - |x - m3|² = 2 x·(m3 - m7) + |m7|² - |m3|²: a sum of pixel ×
    weight, plus a bias. Distance to two templates is itself multiply-and-add.
    """
    ideal_3 = np.asarray(ideal_3, np.float64)
    ideal_7 = np.asarray(ideal_7, np.float64)
    # (784,): + where 3s have more ink,
    # - where 7s do
    weights = 2 * (ideal_3 - ideal_7)
    # < 0 when 3s carry more ink
    bias = float(ideal_7 @ ideal_7 - ideal_3 @ ideal_3)
    return weights, bias


# --8<-- [end:templates_as_weights]


@dataclass(frozen=True)
class PixelSimilarity:
    """The ideal digits and how well "closest ideal" classifies the validation set."""

    ideal_3: np.ndarray  # (784,) the mean training 3
    ideal_7: np.ndarray  # (784,) the mean training 7
    kind: Distance
    accuracy_3: float  # fraction of validation 3s called "3"
    accuracy_7: float  # fraction of validation 7s called "7"
    accuracy: float  # over the whole validation set


def ideal_digits(train_x: np.ndarray, train_y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the mean image of the training 3s and of the training 7s."""
    return train_x[train_y == 1].mean(axis=0), train_x[train_y == 0].mean(axis=0)


def pixel_similarity(data, kind: Distance = "l1") -> PixelSimilarity:
    """Build the ideal 3 and 7 from the training set and score the validation set."""
    ideal_3, ideal_7 = ideal_digits(data.train_x, data.train_y)
    called_3 = is_3(data.valid_x, ideal_3, ideal_7, kind)
    threes = data.valid_y == 1
    return PixelSimilarity(
        ideal_3=ideal_3,
        ideal_7=ideal_7,
        kind=kind,
        accuracy_3=float(called_3[threes].mean()),
        accuracy_7=float((~called_3[~threes]).mean()),
        accuracy=float((called_3 == threes).mean()),
    )
