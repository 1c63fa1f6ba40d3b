"""Tensors, rank and shape: the chapter stacks its images into one rank-3 tensor."""

from __future__ import annotations

import torch


# --8<-- [start:stack]
def stack_digits(digit_tensors: list[torch.Tensor]) -> torch.Tensor:
    """Return the 28×28 images of one digit as one rank-3 tensor of floats in
    [0, 1]."""
    # n × (28, 28) -> (n, 28, 28)
    return torch.stack(digit_tensors).float() / 255


def rank(tensor: torch.Tensor) -> int:
    """Return how many axes a tensor has: 3 for a stack of images."""
    return len(tensor.shape)  # the same as tensor.ndim


# --8<-- [end:stack]


# --8<-- [start:view]
def training_set(
    stacked_threes: torch.Tensor, stacked_sevens: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """Return every image as a row of 784 pixels, and its target: 1 for a 3, 0
    for a 7."""
    # (n, 784)
    train_x = torch.cat([stacked_threes, stacked_sevens]).view(-1, 28 * 28)
    targets = [1] * len(stacked_threes) + [0] * len(stacked_sevens)
    # (n,) -> (n, 1)
    train_y = torch.tensor(targets).unsqueeze(1)
    return train_x, train_y


# --8<-- [end:view]
