"""Adding a nonlinearity: simple_net as a plain function with F.relu, then as nn.Sequential."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from docs_src.pytorch.sgd import init_params


# --8<-- [start:simple_net_function]
def simple_net(
    xb: torch.Tensor,
    w1: torch.Tensor,
    b1: torch.Tensor,
    w2: torch.Tensor,
    b2: torch.Tensor,
) -> torch.Tensor:
    """Return one score per image: a linear layer, a ReLU, a second linear
    layer."""
    # (n, 784) @ (784, 30) -> (n, 30)
    res = xb @ w1 + b1
    # the chapter writes res.max(tensor(0.0)): the same numbers
    res = F.relu(res)
    # (n, 30) @ (30, 1) -> (n, 1)
    res = res @ w2 + b2
    return res


# --8<-- [end:simple_net_function]


# --8<-- [start:simple_net_params]
def simple_net_params() -> tuple[torch.Tensor, ...]:
    """Return random w1, b1, w2, b2: 30 hidden numbers per image."""
    # (784, 30): 30 scores, not 1
    w1 = init_params((28 * 28, 30))
    b1 = init_params(30)  # one bias per hidden unit
    # (30, 1): the 30 become one score
    w2 = init_params((30, 1))
    b2 = init_params(1)
    return w1, b1, w2, b2


# --8<-- [end:simple_net_params]


# --8<-- [start:sequential]
def simple_net_module() -> nn.Sequential:
    """Return the same net as layers: PyTorch makes and starts every weight."""
    return nn.Sequential(
        nn.Linear(28 * 28, 30),
        nn.ReLU(),  # a layer that calls F.relu; it has no parameters
        nn.Linear(30, 1),
    )


# --8<-- [end:sequential]
