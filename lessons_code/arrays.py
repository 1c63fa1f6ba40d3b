"""Tensors in numpy: the chapter's first steps on arrays, stacking, rank, shape, reshape.

A PyTorch tensor and a numpy array are the same idea: numbers in a grid with any number
of axes. The number of axes is the rank; the length of each axis is the shape. The
chapter stacks its 28×28 images into one rank-3 tensor, then lays each image out as a
row of 784 pixels with `view`; numpy's `reshape` does the same.
"""

from __future__ import annotations

import numpy as np

from lessons_code.data import IMAGE_SIDE


# --8<-- [start:stack]
def stack_digits(digit_images: list[np.ndarray]) -> np.ndarray:
    """Return the 28×28 images of one digit as one rank-3 array."""
    return np.stack(digit_images)  # n × (28, 28) -> (n, 28, 28)


def rank(array: np.ndarray) -> int:
    """Return how many axes an array has: 3 for a stack of images."""
    return len(array.shape)  # the same as array.ndim


# --8<-- [end:stack]


def digit_images(images: np.ndarray, targets: np.ndarray, target: float) -> list[np.ndarray]:
    """Return the images of one digit (target 1 for a 3, 0 for a 7), each 28×28."""
    return list(images[targets == target].reshape(-1, IMAGE_SIDE, IMAGE_SIDE))


# --8<-- [start:reshape]
def as_rows(stacked: np.ndarray) -> np.ndarray:
    """Return each image of a stack as a row of its 784 pixels (torch: .view(-1,
    28*28))."""
    # (n, 28, 28) -> (n, 784)
    return stacked.reshape(-1, IMAGE_SIDE * IMAGE_SIDE)


# --8<-- [end:reshape]
