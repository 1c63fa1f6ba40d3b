"""nn.Linear in place of weights and bias, and the chapter's own optimizer, BasicOptim."""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import nn

from docs_src.pytorch.sgd import calc_grad, validate_epoch


# --8<-- [start:linear_model]
def linear_model() -> nn.Linear:
    """Return a linear layer: 784 weights and a bias, made and started by
    PyTorch."""
    return nn.Linear(28 * 28, 1)  # weight (1, 784), bias (1,)


# --8<-- [end:linear_model]


# --8<-- [start:basic_optim]
class BasicOptim:
    """Step every parameter against its gradient, then forget the gradient."""

    def __init__(self, params: Iterable[torch.Tensor], lr: float):
        self.params, self.lr = list(params), lr

    def step(self, *args, **kwargs) -> None:
        for p in self.params:
            p.data -= p.grad.data * self.lr

    def zero_grad(self, *args, **kwargs) -> None:
        for p in self.params:
            p.grad = None


# --8<-- [end:basic_optim]


# --8<-- [start:train_model]
def train_epoch(model: nn.Module, opt: BasicOptim, dl) -> None:
    """Take one step of the optimizer per mini-batch."""
    for xb, yb in dl:
        calc_grad(xb, yb, model)
        opt.step()
        opt.zero_grad()


def train_model(
    model: nn.Module,
    opt: BasicOptim,
    dl,
    valid_dl,
    epochs: int,
) -> list[float]:
    """Train for some epochs; return the validation accuracy after each."""
    accuracies = []
    for _ in range(epochs):
        train_epoch(model, opt, dl)
        accuracies.append(validate_epoch(model, valid_dl))
    return accuracies


# --8<-- [end:train_model]


# --8<-- [start:torch_sgd]
def train_with_sgd(
    dl,
    valid_dl,
    lr: float,
    epochs: int,
) -> list[float]:
    """Train a new nn.Linear with PyTorch's SGD in place of BasicOptim."""
    linear_model = nn.Linear(28 * 28, 1)
    # the chapter's SGD is fastai's; torch's,
    # without momentum, takes BasicOptim's steps
    opt = torch.optim.SGD(linear_model.parameters(), lr)
    return train_model(linear_model, opt, dl, valid_dl, epochs)


# --8<-- [end:torch_sgd]
