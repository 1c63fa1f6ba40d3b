"""PyTorch beside lessons_code: the chapter's PyTorch files (docs_src/pytorch) and our
lessons, started from the same weights and fed the same batches for one epoch, compared
number by number, in float32. Needs torch (`pip install torch==2.13.0`).

The pairs compared (`PAIRS`):

- `linear`: the hand-derived linear model against the chapter's `linear1`, `calc_grad`
  and `train_epoch` (docs_src/pytorch/sgd.py);
- `net`: the hand-derived two-layer net against the chapter's `simple_net` written with
  `F.relu` (docs_src/pytorch/simple_net.py), trained by the same `train_epoch`;
- `linear_layer`: our `Learner` and `nn.Linear` from scratch (gradients by our autograd)
  against PyTorch's `nn.Linear` and the chapter's `BasicOptim` (docs_src/pytorch/optimizer.py);
- `sequential`: the same for the two-layer net, our `Sequential` against `nn.Sequential`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import torch

from docs_src.pytorch import dataloader, optimizer, sgd, simple_net
from lessons_code import linear_model, neural_net, nn
from lessons_code.data import MnistData
from lessons_code.learner import (
    BasicOptim,
    DataLoader,
    Dataset,
    Learner,
    Recipe,
    dataloaders,
    train_epoch,
)

PAIRS = ("linear", "net", "linear_layer", "sequential")


@dataclass(frozen=True)
class Parity:
    """How far lessons_code and PyTorch are apart: each the largest |ours - PyTorch's|."""

    scores: float  # every validation score, before and after the epoch
    loss: float  # the first batch's loss, and the validation loss after the epoch
    gradients: float  # every gradient of the first batch, and of the whole training set
    # after the epoch
    accuracy: tuple[float, float]  # the validation accuracy after the epoch: (ours, PyTorch's)


def batch_order(n_images: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Return the batches of indices our DataLoader draws from rng for one epoch."""
    indices = np.arange(n_images)
    return [batch for batch, _ in DataLoader(Dataset(indices, indices), batch_size, rng)]


class _Ours:
    """A model of lessons_code: hand-derived gradients, or our autograd's."""

    def __init__(self, pair: str, mnist: MnistData, recipe: Recipe):
        rng = np.random.default_rng(recipe.seed)  # as `lessons train` and `train-net` start
        self.recipe, self.dls = recipe, None
        if pair in ("linear", "net"):
            module = linear_model if pair == "linear" else neural_net
            self.params = (linear_model.init_linear if pair == "linear" else neural_net.init_net)(
                rng
            )
            self.predict = linear_model.predict if pair == "linear" else neural_net.simple_net
            self.calc_grad = module.calc_grad
        else:
            self.model = (nn.linear1_model if pair == "linear_layer" else nn.simple_net_model)(rng)
            self.dls = dataloaders(mnist, recipe.batch_size, rng)
        # The order our DataLoader will draw, drawn from a copy of the generator.
        self.batches = batch_order(len(mnist.train_x), recipe.batch_size, copy.deepcopy(rng))

    def start(self) -> list[np.ndarray]:
        """Return the starting parameters, in order."""
        if self.dls is None:
            return list(self.params.values())
        return [p.data for p in self.model.parameters()]

    def scores(self, x: np.ndarray) -> np.ndarray:
        if self.dls is None:
            return self.predict(self.params, x)
        return self.model(x).data

    def gradients(self, x: np.ndarray, y: np.ndarray) -> tuple[float, list[np.ndarray]]:
        """Return the loss of a batch and the gradient of every parameter, in order."""
        if self.dls is None:
            loss, grads = self.calc_grad(self.params, x, y)
            return loss, list(grads[name] for name in self.params)
        nn.calc_grad(x, y, self.model)
        grads = [p.grad for p in self.model.parameters()]
        BasicOptim(self.model.parameters(), 0).zero_grad()
        return float(nn.mnist_loss(self.model(x), y)), grads

    def epoch(self, mnist: MnistData) -> None:
        """Train one epoch on the batches of the order drawn at the start."""
        if self.dls is None:
            x = np.asarray(mnist.train_x, dtype=np.float32)
            y = np.asarray(mnist.train_y, dtype=np.float32)
            batches = [(x[batch], y[batch]) for batch in self.batches]
            train_epoch(self.params, self.calc_grad, batches, self.recipe.learning_rate)
        else:
            learn = Learner(
                self.dls,
                self.model,
                opt_func=BasicOptim,
                loss_func=nn.mnist_loss,
                metrics=linear_model.batch_accuracy,
            )
            learn.fit(1, self.recipe.learning_rate)


class _Theirs:
    """The same model in the chapter's PyTorch, started from our starting parameters."""

    def __init__(self, pair: str, start: list[np.ndarray], batches: list[np.ndarray], mnist):
        self.pair = pair
        if pair in ("linear", "net"):  # weights (784, 1) and (30, 1), biases (1,)
            self.params = [
                torch.tensor(
                    value[:, None] if value.ndim == 1 and i % 2 == 0 else np.atleast_1d(value)
                ).requires_grad_()
                for i, value in enumerate(start)
            ]
            if pair == "linear":
                self.model = lambda xb: sgd.linear1(xb, *self.params)
            else:
                self.model = lambda xb: simple_net.simple_net(xb, *self.params)
        else:  # nn.Linear keeps its weight as (n_out, n_in)
            self.model = (
                optimizer.linear_model()
                if pair == "linear_layer"
                else simple_net.simple_net_module()
            )
            for p, value in zip(self.model.parameters(), start, strict=True):
                p.data = torch.tensor(
                    np.atleast_2d(value.T) if p.ndim == 2 else np.atleast_1d(value)
                )
            self.params = list(self.model.parameters())
        self.train_x = torch.from_numpy(np.asarray(mnist.train_x, dtype=np.float32))
        self.train_y = torch.from_numpy(np.asarray(mnist.train_y, dtype=np.float32)).unsqueeze(1)
        dset = dataloader.dataset(self.train_x, self.train_y)
        self.dl = torch.utils.data.DataLoader(dset, batch_sampler=[b.tolist() for b in batches])

    def scores(self, x: np.ndarray) -> torch.Tensor:
        return self.model(torch.from_numpy(x))[:, 0]

    def gradients(self, x: np.ndarray, y: np.ndarray, shapes) -> tuple[torch.Tensor, list]:
        x_t, y_t = torch.from_numpy(x), torch.from_numpy(y).unsqueeze(1)
        sgd.calc_grad(x_t, y_t, self.model)
        grads = [
            (p.grad.T if p.ndim == 2 and self.pair in ("linear_layer", "sequential") else p.grad)
            .reshape(shape)
            .clone()
            for p, shape in zip(self.params, shapes, strict=True)
        ]
        for p in self.params:
            p.grad = None
        return sgd.mnist_loss(self.model(x_t), y_t), grads

    def epoch(self, learning_rate: float) -> None:
        if self.pair in ("linear", "net"):
            sgd.train_epoch(self.model, learning_rate, self.params, self.dl)
        else:
            optimizer.train_epoch(
                self.model, optimizer.BasicOptim(self.params, learning_rate), self.dl
            )


def _difference(ours, theirs) -> float:
    """Return the largest |ours - theirs| over two arrays (PyTorch's as a tensor)."""
    theirs = theirs.detach().double().numpy() if isinstance(theirs, torch.Tensor) else theirs
    return float(np.abs(np.asarray(ours, dtype=np.float64) - theirs).max())


def parity(pair: str, mnist: MnistData, recipe: Recipe) -> Parity:
    """Return how far lessons_code and PyTorch are apart over one epoch of one pair."""
    ours = _Ours(pair, mnist, recipe)
    theirs = _Theirs(pair, ours.start(), ours.batches, mnist)
    train_x = np.asarray(mnist.train_x, dtype=np.float32)
    train_y = np.asarray(mnist.train_y, dtype=np.float32)
    valid_x = np.asarray(mnist.valid_x, dtype=np.float32)
    valid_y = np.asarray(mnist.valid_y, dtype=np.float32)
    shapes = [np.shape(value) for value in ours.start()]
    scores, losses, grads = [], [], []

    def compare_gradients(x: np.ndarray, y: np.ndarray) -> None:
        our_loss, our_grads = ours.gradients(x, y)
        their_loss, their_grads = theirs.gradients(x, y, shapes)
        losses.append(_difference(our_loss, their_loss))
        grads.extend(_difference(a, b) for a, b in zip(our_grads, their_grads, strict=True))

    first = ours.batches[0]
    compare_gradients(train_x[first], train_y[first])
    scores.append(_difference(ours.scores(valid_x), theirs.scores(valid_x)))
    ours.epoch(mnist)
    theirs.epoch(recipe.learning_rate)
    compare_gradients(train_x, train_y)
    our_scores, their_scores = ours.scores(valid_x), theirs.scores(valid_x)
    scores.append(_difference(our_scores, their_scores))
    losses.append(
        _difference(
            linear_model.mnist_loss(our_scores, valid_y),
            sgd.mnist_loss(their_scores[:, None], torch.from_numpy(valid_y)[:, None]),
        )
    )
    return Parity(
        scores=max(scores),
        loss=max(losses),
        gradients=max(grads),
        accuracy=(
            linear_model.batch_accuracy(our_scores, valid_y),
            sgd.batch_accuracy(their_scores[:, None], torch.from_numpy(valid_y)[:, None]).item(),
        ),
    )
