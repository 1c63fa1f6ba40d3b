"""The chapter's end-to-end SGD example: fit a quadratic to a roller coaster's speed
over 20 seconds, with the seven steps written out by hand."""

from __future__ import annotations

import torch


# --8<-- [start:speed]
def measure_speed(
    generator: torch.Generator,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Return the chapter's 20 times and its made-up speeds: a parabola plus
    noise."""
    # 0., 1., ..., 19.: (20,). arange gives
    # integers; float() so they mix with noise
    time = torch.arange(0, 20).float()
    # noise of spread 3 around a curve that
    # is lowest at time 9.5, halfway through
    noise = torch.randn(20, generator=generator) * 3
    speed = noise + 0.75 * (time - 9.5) ** 2 + 1
    return time, speed


def f(t: torch.Tensor, params: torch.Tensor) -> torch.Tensor:
    """Return a*t² + b*t + c at every time: the model."""
    # a (3,) tensor unpacks into three () ones
    a, b, c = params
    # (20,): one speed for each time
    return a * (t**2) + (b * t) + c


def mse(preds: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Return the mean squared error: the loss."""
    # squared, so that misses above and below
    # do not cancel out: (20,) -> ()
    return ((preds - targets) ** 2).mean()


# --8<-- [end:speed]


# --8<-- [start:apply_step]
def apply_step(
    params: torch.Tensor,
    time: torch.Tensor,
    speed: torch.Tensor,
    lr: float = 1e-5,
) -> float:
    """Steps 2 to 5 once: predict, measure, gradient, step. Return the loss
    before the step (the chapter prints it)."""
    preds = f(time, params)  # step 2
    loss = mse(preds, speed)  # step 3
    loss.backward()  # step 4: params.grad, (3,)
    # step 5: (1)!
    params.data -= lr * params.grad.data
    # forget the gradient: backward() adds
    params.grad = None
    return loss.item()


def fit(
    time: torch.Tensor,
    speed: torch.Tensor,
    generator: torch.Generator,
    steps: int = 10,
) -> tuple[torch.Tensor, list[float]]:
    """Step 1, then step 6: start at random and repeat apply_step. Return the
    parameters and the loss before each step."""
    # step 1: a, b and c at random; the
    # chapter keeps them to show each step
    params = torch.randn(3, generator=generator).requires_grad_()
    losses = [apply_step(params, time, speed) for _ in range(steps)]
    return params, losses  # step 7: stop


# --8<-- [end:apply_step]
