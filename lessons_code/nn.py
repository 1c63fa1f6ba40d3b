"""The chapter's PyTorch pieces, from scratch on our autograd: `nn.Linear`, `F.relu` and
`nn.ReLU`, `nn.Sequential`, and `mnist_loss` and `calc_grad` written on tensors.

No gradient is derived by hand here: `loss.backward()` finds them all. Started from the
same random numbers and fed the same batches, a model built from these layers and
trained by our `Learner` follows the hand-derived run of `lessons train` (linear1) or
`lessons train-net` (simple_net).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lessons_code import linear_model, neural_net
from lessons_code.autograd import Tensor, as_tensor, where
from lessons_code.learner import (
    BasicOptim,
    EpochStats,
    Learner,
    Recipe,
    check_recipe,
    dataloaders,
)


# --8<-- [start:linear]
class Linear:
    """nn.Linear from scratch: a weighted sum of the inputs plus a bias, both
    learned."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray):
        # (n_in, n_out)
        self.weights = Tensor(weights, requires_grad=True, name="weights")
        # (n_out,)
        self.bias = Tensor(bias, requires_grad=True, name="bias")

    def __call__(self, x) -> Tensor:
        # (n, n_in) @ (n_in, n_out) +
        # (n_out,)
        return as_tensor(x) @ self.weights + self.bias

    def parameters(self) -> list[Tensor]:
        """Return what training changes: the weights and the bias."""
        return [self.weights, self.bias]


# --8<-- [end:linear]


# --8<-- [start:relu]
def relu(x: Tensor) -> Tensor:
    """F.relu: a function, max(x, 0) for every number of x."""
    return x.relu()


class ReLU:
    """nn.ReLU: the same function as a layer, so that it can sit in a
    Sequential."""

    def __call__(self, x: Tensor) -> Tensor:
        return relu(x)

    def parameters(self) -> list[Tensor]:
        """Return nothing: a ReLU has no parameters to learn."""
        return []


# --8<-- [end:relu]


# --8<-- [start:sequential]
class Sequential:
    """nn.Sequential: layers applied one after the other, the output of each the
    next's input."""

    def __init__(self, *layers):
        self.layers = layers

    def __call__(self, x) -> Tensor:
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> list[Tensor]:
        """Return the parameters of every layer, in order."""
        return [p for layer in self.layers for p in layer.parameters()]


# --8<-- [end:sequential]


# --8<-- [start:mnist_loss]
def mnist_loss(predictions: Tensor, targets: np.ndarray) -> Tensor:
    """Return the chapter's mnist_loss as a tensor that remembers how it was
    computed."""
    predictions = predictions.sigmoid()
    return where(targets == 1, 1 - predictions, predictions).mean()


# --8<-- [end:mnist_loss]


# --8<-- [start:calc_grad]
def calc_grad(xb: np.ndarray, yb: np.ndarray, model) -> None:
    """Add the batch's gradient to every parameter's .grad, as the chapter's
    calc_grad does."""
    predictions = model(xb)
    loss = mnist_loss(predictions, yb)
    loss.backward()


# --8<-- [end:calc_grad]


# --8<-- [start:models]
def linear1_model(rng: np.random.Generator) -> Linear:
    """Return the linear model as one Linear layer, started as `lessons train`
    starts it."""
    # 784 weights and a bias, normal with std 1
    params = linear_model.init_linear(rng)
    return Linear(params["weights"], params["bias"])


def simple_net_model(rng: np.random.Generator) -> Sequential:
    """Return the chapter's two-layer net, started as `lessons train-net` starts
    it."""
    # uniform in ±1/sqrt(n_in), as nn.Linear starts
    params = neural_net.init_net(rng)
    return Sequential(
        Linear(params["w1"], params["b1"]),  # nn.Linear(28*28, 30)
        ReLU(),  # nn.ReLU()
        # nn.Linear(30, 1), one score per image
        Linear(params["w2"], params["b2"]),
    )


# --8<-- [end:models]


# --8<-- [start:fit]
def fit(
    make_model: Callable[[np.random.Generator], Linear | Sequential],
    data,
    recipe: Recipe,
) -> list[EpochStats]:
    """Train a model with our Learner and autograd; return the history of every
    epoch."""
    check_recipe(recipe)
    # the same start and batches as `lessons train`
    rng = np.random.default_rng(recipe.seed)
    model = make_model(rng)
    dls = dataloaders(data, recipe.batch_size, rng)
    learn = Learner(
        dls,
        model,
        opt_func=BasicOptim,
        loss_func=mnist_loss,
        metrics=linear_model.batch_accuracy,
    )
    return learn.fit(
        recipe.epochs_on(len(dls.train.dataset)),
        recipe.learning_rate,
    )


# --8<-- [end:fit]
