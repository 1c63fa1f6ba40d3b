"""Broadcasting: the distance of every validation image to the mean 3, in one line."""

from __future__ import annotations

import torch
import torch.nn.functional as F


# --8<-- [start:mean3]
def ideal_digit(stacked: torch.Tensor) -> torch.Tensor:
    """Return the mean image of a stack: the chapter's mean3 or mean7."""
    # (n, 28, 28) -> (28, 28): the mean
    # over axis 0, the images
    return stacked.mean(0)


# --8<-- [end:mean3]


# --8<-- [start:distances]
def distances_by_hand(
    stacked_threes: torch.Tensor,
    mean: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Return the L1 and the RMSE distance of the second 3 to a mean image."""
    # (n, 28, 28) -> (28, 28): an image
    a_3 = stacked_threes[1]
    # (28, 28) - (28, 28) -> (28, 28),
    # then its mean -> (): the mean
    # absolute difference, L1
    dist_abs = (a_3 - mean).abs().mean()
    # square, mean, then root: RMSE. It
    # weighs big differences more than L1
    dist_sqr = ((a_3 - mean) ** 2).mean().sqrt()
    return dist_abs, dist_sqr


def distances_by_pytorch(
    stacked_threes: torch.Tensor,
    mean: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Return the same two distances from PyTorch's own loss functions."""
    a_3 = stacked_threes[1]
    # the chapter's a_3.float() changes
    # nothing: a_3 is already float
    # mse_loss has no root: .sqrt() makes
    # it RMSE
    return F.l1_loss(a_3, mean), F.mse_loss(a_3, mean).sqrt()


# --8<-- [end:distances]


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


# --8<-- [start:accuracy]
def accuracy_3s_7s(
    valid_3_tens: torch.Tensor,
    valid_7_tens: torch.Tensor,
    mean3: torch.Tensor,
    mean7: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return the share of validation 3s called 3, of 7s called 7, and the
    mean of the two."""
    # (n,) of True/False -> (n,) of 1/0
    # and the mean of those is the share of
    # Trues
    accuracy_3s = is_3(valid_3_tens, mean3, mean7).float().mean()
    # a 7 is right when it is not called 3
    accuracy_7s = (1 - is_3(valid_7_tens, mean3, mean7).float()).mean()
    # each digit weighs the same here, however
    # many images it has
    return accuracy_3s, accuracy_7s, (accuracy_3s + accuracy_7s) / 2


# --8<-- [end:accuracy]
