"""The lab: the chapter's two models trained with every choice of its training code a
setting, as the lab page trains them in the reader's browser.

The arithmetic is the lessons' own (`linear1`, `simple_net`, `mnist_loss`, the two
`calc_grad`, `train_epoch`, `batch_accuracy`), in float64. Only the randomness is the
lab's: a small 32-bit generator, mulberry32, short enough to write again in JavaScript
bit for bit (docs/javascripts/widgets/lab.mjs), so that a seed gives the same starting
weights and the same batches on the page and here. The settings' defaults are the
chapter's, including the choices its code makes without saying so: its `DataLoader`
does not shuffle, its training set is every 3 and then every 7, its `train_epoch`
zeroes each gradient after its step, and it divides the grey levels by 255.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial

import numpy as np

from lessons_code import learner, linear_model, neural_net
from lessons_code.data import N_PIXELS, MnistData, stratified_sample
from lessons_code.learner import EpochStats, Params, RecipeError

MASK = 0xFFFFFFFF  # arithmetic on 32-bit unsigned integers, as JavaScript's `>>> 0`


# --8<-- [start:mulberry32]
class Mulberry32:
    """A seeded 32-bit generator (mulberry32, by Tommy Ettinger): uniform
    numbers, normal numbers (Box-Muller) and shuffles (Fisher-Yates), the same
    in JavaScript."""

    def __init__(self, seed: int):
        self.state = seed & MASK

    def next_uint32(self) -> int:
        """Return the next whole number in [0, 2**32)."""
        self.state = (self.state + 0x6D2B79F5) & MASK
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & MASK
        t = ((t + (((t ^ (t >> 7)) * (t | 61)) & MASK)) & MASK) ^ t
        return t ^ (t >> 14)

    def uniform(self) -> float:
        """Return a number in [0, 1): a whole number of 2**-32, exact in a
        float."""
        return self.next_uint32() / 2**32

    def normal(self) -> float:
        """Return a number from the standard normal distribution (Box-Muller,
        cosine)."""
        # 1 - u is in (0, 1]
        radius = math.sqrt(-2 * math.log(1 - self.uniform()))
        return radius * math.cos(2 * math.pi * self.uniform())

    def permutation(self, n: int) -> np.ndarray:
        """Return 0 .. n-1 in a random order (Fisher-Yates, from the end)."""
        order = list(range(n))
        for i in range(n - 1, 0, -1):
            # exact: u * (i + 1) < 2**53
            j = math.floor(self.uniform() * (i + 1))
            order[i], order[j] = order[j], order[i]
        return np.array(order, dtype=np.int64)


# --8<-- [end:mulberry32]


@dataclass(frozen=True)
class Settings:
    """Every choice of the chapter's training code; the defaults are the chapter's."""

    model: str = "linear"  # "linear": 784 -> 1; "net": 784 -> hidden -> ReLU -> 1
    hidden: int = neural_net.N_HIDDEN  # the net's hidden units
    lr: float = linear_model.RECIPE.learning_rate
    batch_size: int = linear_model.RECIPE.batch_size
    epochs: int = linear_model.RECIPE.epochs  # passes over the lab's training images
    init: str = "init_params"  # "init_params": normal × std; "nn.Linear": ±1/sqrt(inputs)
    std: float = 1.0  # init_params' std
    loss: str = "mnist_loss"  # or "binary_cross_entropy"
    shuffle: bool = False  # the chapter's DataLoader(dset, batch_size=256) does not
    zero_grad: bool = True  # the chapter's train_epoch: p.grad.zero_() after each step
    pixels: str = "0-1"  # "0-1": grey levels / 255, as the chapter; "0-255": as stored
    seed: int = 0


DEFAULTS = {
    "linear": Settings(),
    "net": Settings(
        model="net",
        lr=neural_net.RECIPE.learning_rate,
        epochs=neural_net.RECIPE.epochs,
        init="nn.Linear",  # the chapter's net is nn.Sequential(nn.Linear, ...), fit by Learner
    ),
}
"""The chapter's settings for each model: "Putting It All Together" trains the linear
model, "Adding a Nonlinearity" the net (lr 0.1, 40 epochs, nn.Linear's start)."""

CHOICES: dict[str, tuple] = {
    "model": ("linear", "net"),
    "init": ("init_params", "nn.Linear"),
    "loss": ("mnist_loss", "binary_cross_entropy"),
    "shuffle": (False, True),
    "zero_grad": (True, False),
    "pixels": ("0-1", "0-255"),
}
"""The settings that take one of a few values."""

BOUNDS: dict[str, tuple[float, float]] = {
    "hidden": (1, 128),
    "lr": (1e-6, 1e6),
    "batch_size": (1, 1_000_000),  # at most the training images, too (check_settings)
    "epochs": (1, 200),
    "std": (0, 100),
    "seed": (0, 1_000_000),
}
"""The range of each numeric setting: wide enough to diverge, stall or freeze on purpose,
narrow enough that a run ends (the page keeps its fields to the same ranges)."""

WHOLE = ("hidden", "batch_size", "epochs", "seed")
"""The numeric settings that must be whole numbers."""


def check_settings(settings: Settings, n_train: int) -> None:
    """Raise RecipeError, naming the setting and what is expected, for a setting that
    cannot work."""
    for name, allowed in CHOICES.items():
        if getattr(settings, name) not in allowed:
            raise RecipeError(
                name, f"{name} must be one of {allowed}, got {getattr(settings, name)!r}"
            )
    for name, (low, high) in BOUNDS.items():
        high = min(high, n_train) if name == "batch_size" else high
        value = getattr(settings, name)
        whole = isinstance(value, int | np.integer) and not isinstance(value, bool)
        if (name in WHOLE and not whole) or not low <= value <= high:
            kind = "a whole number" if name in WHOLE else "a number"
            raise RecipeError(name, f"{name} must be {kind} from {low:g} to {high:g}, got {value}")


# --8<-- [start:lab_data]
@dataclass(frozen=True)
class LabData:
    """The lab's images as stored, grey levels 0 to 255, and their targets."""

    # (n_train, 784) uint8: every 3,
    # then every 7, as the chapter's
    train_x: np.ndarray
    # (n_train,) float64: 1 for a 3, 0
    # for a 7
    train_y: np.ndarray
    # (n_valid, 784) uint8
    valid_x: np.ndarray
    # (n_valid,)
    valid_y: np.ndarray


def lab_data(
    mnist: MnistData,
    train_size: int,
    valid_size: int,
    seed: int,
) -> LabData:
    """Return a stratified sample of the 3s and 7s (see stratified_sample) as
    uint8."""
    rng = np.random.default_rng(seed)
    train = stratified_sample(mnist.train_y, train_size, rng)
    valid = stratified_sample(mnist.valid_y, valid_size, rng)
    return LabData(
        train_x=np.round(mnist.train_x[train] * 255).astype(np.uint8),
        train_y=mnist.train_y[train].astype(np.float64),
        valid_x=np.round(mnist.valid_x[valid] * 255).astype(np.uint8),
        valid_y=mnist.valid_y[valid].astype(np.float64),
    )


# --8<-- [end:lab_data]


def init(settings: Settings, rng: Mulberry32) -> Params:
    """Return the starting parameters, drawn in order (each array in row-major order):
    the linear model's weights (784) and bias; the net's w1 (784, hidden), b1, w2, b2."""
    pixels, hidden = N_PIXELS, settings.hidden
    shapes = {  # name: (shape, inputs of its layer)
        "linear": {"weights": ((pixels,), pixels), "bias": ((), pixels)},
        "net": {
            "w1": ((pixels, hidden), pixels),
            "b1": ((hidden,), pixels),
            "w2": ((hidden,), hidden),
            "b2": ((), hidden),
        },
    }[settings.model]
    params = {}
    for name, (shape, n_inputs) in shapes.items():
        size = math.prod(shape)
        if settings.init == "init_params":  # the chapter's: torch.randn(size) * std
            values = [rng.normal() * settings.std for _ in range(size)]
        else:  # nn.Linear's: uniform in ±1/sqrt(inputs), for the weights and the bias
            bound = 1 / math.sqrt(n_inputs)
            values = [(2 * rng.uniform() - 1) * bound for _ in range(size)]
        params[name] = np.array(values, dtype=np.float64).reshape(shape)
    return params


def batch_orders(settings: Settings, rng: Mulberry32, n_train: int) -> Iterator[np.ndarray]:
    """Yield each epoch's order of the training images: a new shuffle, or the set's order."""
    while True:
        yield rng.permutation(n_train) if settings.shuffle else np.arange(n_train)


def accumulating(calc_grad: learner.CalcGrad) -> learner.CalcGrad:
    """Return calc_grad whose gradients add up over every step, as PyTorch's .grad does
    when nothing zeroes it: each step then goes by the sum of all the gradients so far."""
    totals: Params = {}

    def calc_grad_unzeroed(params: Params, xb: np.ndarray, yb: np.ndarray):
        loss, grads = calc_grad(params, xb, yb)
        for name, grad in grads.items():
            totals[name] = totals[name] + grad if name in totals else np.array(grad)
        return loss, {name: total.copy() for name, total in totals.items()}

    return calc_grad_unzeroed


@dataclass(frozen=True)
class LabRun:
    """A run of the lab: where it started and ended, and the stats of every epoch."""

    settings: Settings
    initial: Params
    params: Params
    history: list[EpochStats]  # epoch 0 (the start), 1, ...; it stops at a non-finite one

    @property
    def diverged(self) -> bool:
        """Return whether the run left the finite numbers (and so stopped early)."""
        return not _finite(self.params, self.history[-1])

    @property
    def final_valid_accuracy(self) -> float:
        """Return the validation accuracy after the last epoch."""
        return self.history[-1].valid_accuracy


def _finite(params: Params, stats: EpochStats) -> bool:
    numbers = [stats.train_loss, stats.valid_loss]
    return bool(np.isfinite(numbers).all() and all(np.isfinite(p).all() for p in params.values()))


MODELS: dict[str, tuple[learner.Predict, Callable]] = {
    "linear": (linear_model.predict, linear_model.calc_grad),
    "net": (neural_net.simple_net, neural_net.calc_grad),
}
LOSSES = {
    "mnist_loss": linear_model.MNIST_LOSS,
    "binary_cross_entropy": linear_model.BINARY_CROSS_ENTROPY,
}


def scaled(images: np.ndarray, pixels: str) -> np.ndarray:
    """Return the images as float64: grey levels / 255 ("0-1"), or as stored ("0-255")."""
    return images / 255 if pixels == "0-1" else images.astype(np.float64)


# --8<-- [start:train_from]
def train_from(
    params: Params,
    settings: Settings,
    data: LabData,
    orders: Iterable[np.ndarray],
) -> LabRun:
    """Train a copy of params with the chapter's loop, one epoch per order of
    the training images, and return the run; it stops after an epoch that left
    the finite numbers."""
    check_settings(settings, len(data.train_y))
    initial, params = learner.copy_params(params), learner.copy_params(params)
    train_x = scaled(data.train_x, settings.pixels)
    valid_x = scaled(data.valid_x, settings.pixels)
    predict, calc_grad = MODELS[settings.model]
    loss = LOSSES[settings.loss]
    gradient = partial(calc_grad, loss=loss)
    if not settings.zero_grad:
        gradient = accumulating(gradient)

    def stats(epoch: int) -> EpochStats:
        measure = partial(
            learner.validate_epoch,
            predict,
            params,
            loss=loss.value,
        )
        train = measure(
            train_x,
            data.train_y,
            metric=linear_model.batch_accuracy,
        )
        valid = measure(
            valid_x,
            data.valid_y,
            metric=linear_model.batch_accuracy,
        )
        return EpochStats(epoch, train[0], valid[0], train[1], valid[1])

    # a run that diverges says so, below: no warnings
    with np.errstate(all="ignore"):
        history = [stats(0)]
        for epoch, order in zip(
            range(1, settings.epochs + 1),
            orders,
            strict=False,
        ):
            batches = (
                (train_x[rows], data.train_y[rows])
                for rows in np.split(
                    order,
                    range(settings.batch_size, len(order), settings.batch_size),
                )
            )
            learner.train_epoch(params, gradient, batches, settings.lr)
            history.append(stats(epoch))
            if not _finite(params, history[-1]):
                break
    return LabRun(settings, initial, params, history)


# --8<-- [end:train_from]


def train(settings: Settings, data: LabData) -> LabRun:
    """Train as the lab page does: the starting parameters and every epoch's order of the
    training images from one Mulberry32 seeded with settings.seed."""
    rng = Mulberry32(settings.seed)
    params = init(settings, rng)
    return train_from(params, settings, data, batch_orders(settings, rng, len(data.train_y)))
