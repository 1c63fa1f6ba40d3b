"""The MNIST loss function, built as the chapter builds it: accuracy first (flat),
then mnist_loss on probabilities, then the sigmoid that makes any score one."""

from __future__ import annotations

import torch

from docs_src.pytorch.sgd import linear1


# --8<-- [start:accuracy_is_flat]
def accuracy_at_zero(preds: torch.Tensor, train_y: torch.Tensor) -> float:
    """Return the share of images on the right side of score 0."""
    # (n, 1) > 0 -> (n, 1) of booleans;
    # as floats they compare with the 1s and 0s
    corrects = (preds > 0.0).float() == train_y
    return corrects.float().mean().item()


def accuracy_after_nudge(
    train_x: torch.Tensor,
    train_y: torch.Tensor,
    weights: torch.Tensor,
    bias: torch.Tensor,
) -> tuple[float, float]:
    """Return the accuracy before and after a tiny change of one weight: most
    often the same."""
    before = accuracy_at_zero(linear1(train_x, weights, bias), train_y)
    # the chapter's bare weights[0] *= 1.0001
    # raises today: weights requires grad,
    # and an in-place change must not be
    # recorded. no_grad() says so
    with torch.no_grad():
        weights[0] *= 1.0001
    after = accuracy_at_zero(linear1(train_x, weights, bias), train_y)
    return before, after


# --8<-- [end:accuracy_is_flat]


# --8<-- [start:mnist_loss]
def three_images() -> tuple[torch.Tensor, torch.Tensor]:
    """Return the chapter's targets (a 3, a 7, a 3) and probabilities."""
    trgts = torch.tensor([1, 0, 1])
    # sure of the first, unsure of the
    # second, wrong about the third
    prds = torch.tensor([0.9, 0.4, 0.2])
    return trgts, prds


def mnist_loss(
    predictions: torch.Tensor,
    targets: torch.Tensor,
) -> torch.Tensor:
    """Return how far each probability is from its target, on average."""
    # for a 3, 1 - p; for a 7, p itself:
    # [0.1, 0.4, 0.8] -> 0.4333 on the three
    # images. A loop would run at Python speed
    return torch.where(targets == 1, 1 - predictions, predictions).mean()


# --8<-- [end:mnist_loss]


# --8<-- [start:sigmoid]
def sigmoid(x: torch.Tensor) -> torch.Tensor:
    """Return 1 / (1 + e^-x): any score squashed into (0, 1)."""
    # built in as torch.sigmoid, or x.sigmoid():
    # the same numbers, faster
    return 1 / (1 + torch.exp(-x))


# --8<-- [end:sigmoid]
