"""The seven steps of SGD, in the chapter's PyTorch: init_params, linear1, mnist_loss,
calc_grad with backward, and train_epoch, which zeroes each gradient after its step.

The chapter keeps `weights`, `bias` and `dl` in global variables; here they are arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch


# --8<-- [start:init_params]
def init_params(size, std: float = 1.0) -> torch.Tensor:
    """Step 1: return random parameters that record what is computed from
    them."""
    return (torch.randn(size) * std).requires_grad_()


# --8<-- [end:init_params]


# --8<-- [start:linear1]
def linear1(
    xb: torch.Tensor,
    weights: torch.Tensor,
    bias: torch.Tensor,
) -> torch.Tensor:
    """Step 2: return one score per image."""
    # (n, 784) @ (784, 1) + (1,)
    # -> (n, 1)
    return xb @ weights + bias


# --8<-- [end:linear1]


# --8<-- [start:one_score]
def one_score(
    x: torch.Tensor,
    weights: torch.Tensor,
    bias: torch.Tensor,
) -> torch.Tensor:
    """Return one image's score, pixel by pixel: what @ does for every row
    at once."""
    # (784,) * (1, 784) -> (1, 784):
    # .T makes the column of weights a row
    # to match;
    # .sum() -> (), + bias (1,) -> (1,)
    return (x * weights.T).sum() + bias


# --8<-- [end:one_score]


# --8<-- [start:mnist_loss]
def mnist_loss(
    predictions: torch.Tensor,
    targets: torch.Tensor,
) -> torch.Tensor:
    """Step 3: return how far the probabilities are from the targets."""
    predictions = predictions.sigmoid()
    return torch.where(targets == 1, 1 - predictions, predictions).mean()


# --8<-- [end:mnist_loss]


# --8<-- [start:calc_grad]
def calc_grad(xb: torch.Tensor, yb: torch.Tensor, model: Callable) -> None:
    """Step 4: add the batch's gradients to the .grad of every parameter."""
    predictions = model(xb)
    loss = mnist_loss(predictions, yb)
    loss.backward()


# --8<-- [end:calc_grad]


# --8<-- [start:first_batch]
def first_gradients(
    train_x: torch.Tensor,
    train_y: torch.Tensor,
    weights: torch.Tensor,
    bias: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return the loss of the first 4 images and the gradients it gives."""
    # (4, 784): small, to look at
    batch = train_x[:4]
    # (4, 1)
    preds = linear1(batch, weights, bias)
    # ()
    loss = mnist_loss(preds, train_y[:4])
    # fills weights.grad (784, 1), one per
    # weight, and bias.grad (1,)
    loss.backward()
    return loss, weights.grad, bias.grad


def calc_grad_twice(
    xb: torch.Tensor,
    yb: torch.Tensor,
    model: Callable,
    bias: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Return bias.grad after one calc_grad and after a second: doubled,
    because backward() adds to .grad."""
    calc_grad(xb, yb, model)
    # a copy: .grad itself changes next
    once = bias.grad.clone()
    calc_grad(xb, yb, model)
    twice = bias.grad.clone()
    # the trailing _ : in place, no new tensor
    bias.grad.zero_()
    return once, twice


# --8<-- [end:first_batch]


# --8<-- [start:train_epoch]
def train_epoch(
    model: Callable,
    lr: float,
    params: Iterable[torch.Tensor],
    dl,
) -> None:
    """Steps 2 to 6 for every mini-batch of one epoch."""
    for xb, yb in dl:
        calc_grad(xb, yb, model)
        for p in params:
            p.data -= p.grad * lr  # step 5: step the weights
            # backward() adds to .grad: empty it for the next batch
            p.grad.zero_()


# --8<-- [end:train_epoch]


# --8<-- [start:batch_accuracy]
def batch_accuracy(xb: torch.Tensor, yb: torch.Tensor) -> torch.Tensor:
    """Return the fraction of images on the right side of probability 0.5."""
    preds = xb.sigmoid()
    correct = (preds > 0.5) == yb
    return correct.float().mean()


def validate_epoch(model: Callable, valid_dl) -> float:
    """Return the mean batch accuracy over the validation batches."""
    accs = [batch_accuracy(model(xb), yb) for xb, yb in valid_dl]
    return round(torch.stack(accs).mean().item(), 4)


# --8<-- [end:batch_accuracy]


# --8<-- [start:train_linear1]
def train_linear1(
    weights: torch.Tensor,
    bias: torch.Tensor,
    dl,
    valid_dl,
    lr: float = 1.0,
    epochs: int = 20,
) -> list[float]:
    """Train linear1 for some epochs; return the validation accuracy after
    each (the chapter prints them)."""
    params = weights, bias

    def model(xb: torch.Tensor) -> torch.Tensor:
        return linear1(xb, weights, bias)

    accuracies = []
    for _ in range(epochs):
        # lr = 1.0, not 1e-5 as for the speeds:
        # pixels are in [0, 1], and the sigmoid
        # keeps every gradient small
        train_epoch(model, lr, params, dl)
        accuracies.append(validate_epoch(model, valid_dl))
    return accuracies


# --8<-- [end:train_linear1]
