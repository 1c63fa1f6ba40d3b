"""Broadcasting: the distance of every validation image to the mean 3, in one line."""

from __future__ import annotations

import torch


# --8<-- [start:mean3]
def ideal_digit(stacked: torch.Tensor) -> torch.Tensor:
    """Return the mean image of a stack: the chapter's mean3 or mean7."""
    # (n, 28, 28) -> (28, 28): the mean
    # over axis 0, the images
    return stacked.mean(0)


# --8<-- [end:mean3]


# --8<-- [start:mnist_distance]
def mnist_distance(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Return the mean absolute difference over the last two axes, the 28×28
    pixels."""
    # (n, 28, 28) - (28, 28)
    # -> (n, 28, 28) -> (n,)
    return (a - b).abs().mean((-1, -2))


def is_3(
    x: torch.Tensor,
    mean3: torch.Tensor,
    mean7: torch.Tensor,
) -> torch.Tensor:
    """Return True for each image closer to the mean 3 than to the mean 7."""
    return mnist_distance(x, mean3) < mnist_distance(x, mean7)


# --8<-- [end:mnist_distance]
