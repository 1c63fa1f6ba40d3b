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


# --8<-- [start:basics]
def tensor_basics() -> dict[str, torch.Tensor | str]:
    """Return the chapter's small tensor, three ways into it, and arithmetic
    on every element at once."""
    data = [[1, 2, 3], [4, 5, 6]]
    # the chapter's tensor(data) is fastai's
    # shortcut for torch.tensor: shape (2, 3)
    tns = torch.tensor(data)
    return {
        # (2, 3) -> (3,): 1 index picks
        # a row; counting starts at 0
        "row": tns[1],
        # (2, 3) -> (2,): ":" keeps all
        # rows, 1 picks the second column
        "column": tns[:, 1],
        # (2,): 1:3 is columns 1 and 2;
        # the end of a slice is left out
        "part_of_a_row": tns[1, 1:3],
        # (2, 3): 1 is added to each
        "plus_one": tns + 1,
        # "torch.LongTensor": made from whole
        # numbers, it holds 64-bit integers
        "type": tns.type(),
        # times a float, the integers become
        # floats: a new tensor, same shape
        "times_1_5": tns * 1.5,
        # two (3,) tensors, element by element:
        # tensor([2, 3, 4])
        "added": torch.tensor([1, 2, 3]) + torch.tensor([1, 1, 1]),
    }


# --8<-- [end:basics]
