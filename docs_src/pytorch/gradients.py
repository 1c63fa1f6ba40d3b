"""Calculating gradients: requires_grad_, backward and .grad on the chapter's f(x) = x²."""

from __future__ import annotations

import torch


# --8<-- [start:backward]
def f(x: torch.Tensor) -> torch.Tensor:
    """Return x squared: the chapter's function whose slope we want."""
    return x**2


def gradient_at(x: float) -> torch.Tensor:
    """Return the slope of f at x, found by backward(): 2 * x."""
    # a float: only floats can have a gradient
    # tensor(3), an integer, would refuse
    # requires_grad_
    xt = torch.tensor(x).requires_grad_()
    # yt remembers it was made by ** from xt
    yt = f(xt)
    # walks back from yt, adds d yt/d xt
    # to xt.grad; returns nothing
    yt.backward()
    return xt.grad


def gradients_of_sum(xs: list[float]) -> torch.Tensor:
    """Return the gradient of the sum of squares at each x: 2 * x each."""
    # (3,)
    xt = torch.tensor(xs).requires_grad_()
    # (3,) -> (): backward() needs one
    # number, so the chapter's f sums
    yt = f(xt).sum()
    yt.backward()
    # (3,): one slope per input
    return xt.grad


# --8<-- [end:backward]
