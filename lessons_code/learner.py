"""The training loop both models share: mini-batch SGD, epoch after epoch.

The pieces are the chapter's. A `Dataset` pairs each image with its target, as
`zip(train_x, train_y)` does; a `DataLoader` cuts it into mini-batches, shuffled by
the run's generator; `train_epoch` takes one step per batch. With hand-derived
gradients a model is two functions, `predict(params, xb)` and `calc_grad(params, xb,
yb)` (a `HandModel`), and `train_model` trains it; the loop does not care which model it trains.

`Learner` is the same loop as fastai writes it, from scratch (the chapter's Further
Research): a model whose parameters get their gradients from `loss.backward()` (our
`autograd`), an optimizer like the chapter's `BasicOptim`, a loss and a metric, and
`fit(epochs, lr)`. Both measure the loss and the metric on both sets after each epoch.

Both train with one BLAS thread (`blas_threads`), on every machine: see BLAS_THREADS.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import threadpoolctl

from lessons_code.data import check_every_class

Params = dict[str, np.ndarray]
"""A model's parameters by name, e.g. {"weights": (784,), "bias": ()}."""

Predict = Callable[[Params, np.ndarray], np.ndarray]
CalcGrad = Callable[[Params, np.ndarray, np.ndarray], tuple[float, Params]]
Measure = Callable[[np.ndarray, np.ndarray], float]
"""A loss function or a metric: (predictions, targets) -> one number."""

OnEpoch = Callable[["EpochStats"], None]
"""Called with each epoch's stats as it ends (the command line prints a row)."""


MNIST_SAMPLE_TRAIN_SIZE = 12_396
"""Training images of fastai's MNIST_SAMPLE (6,131 threes, 6,265 sevens): the set the
chapter's recipes were written for."""


@dataclass(frozen=True)
class Recipe:
    """The hyperparameters of one training run.

    With `keep_chapter_steps`, as in the chapter's own recipes, `epochs` counts passes over
    the chapter's 12,396 training images: a smaller training set has fewer batches per
    epoch, so the run makes as many SGD steps as the chapter's run does, which takes more
    epochs (20 epochs of 49 batches are 980 steps; 800 images make 4 batches, so 245
    epochs). Without it, `epochs` are passes over whatever training set is given.
    """

    learning_rate: float = 1.0
    batch_size: int = 256
    epochs: int = 20
    seed: int = 0
    keep_chapter_steps: bool = False

    def epochs_on(self, n_train: int) -> int:
        """Return how many epochs the run makes over n_train training images."""
        if not self.keep_chapter_steps:
            return self.epochs
        chapter_steps = self.epochs * math.ceil(MNIST_SAMPLE_TRAIN_SIZE / self.batch_size)
        return max(self.epochs, math.ceil(chapter_steps / math.ceil(n_train / self.batch_size)))


class RecipeError(ValueError):
    """A hyperparameter that cannot work; `field` names it (e.g. "learning_rate")."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def check_recipe(recipe: Recipe, n_train: int | None = None) -> None:
    """Raise RecipeError, saying what is expected, if a hyperparameter cannot work.

    Given the number of training images, a batch larger than the whole set is refused
    too: it would silently be one batch of all the images.
    """
    rate = recipe.learning_rate
    if not np.isfinite(rate) or rate <= 0:
        raise RecipeError("learning_rate", f"learning rate must be a positive number, got {rate}")
    for field_name, minimum in (("batch_size", 1), ("epochs", 1), ("seed", 0)):
        value = getattr(recipe, field_name)
        if not isinstance(value, int | np.integer) or value < minimum:
            words = field_name.replace("_", " ")
            raise RecipeError(
                field_name, f"{words} must be a whole number ≥ {minimum}, got {value}"
            )
    if n_train is not None and recipe.batch_size > n_train:
        raise RecipeError(
            "batch_size",
            f"batch size must be at most the {n_train:,} training images, "
            f"got {recipe.batch_size:,}",
        )


@dataclass(frozen=True)
class EpochStats:
    """Loss and accuracy on both sets after one epoch."""

    epoch: int
    train_loss: float
    valid_loss: float
    train_accuracy: float
    valid_accuracy: float


@dataclass(frozen=True)
class TrainingRun:
    """What a training run returns: the final parameters and how it got there."""

    recipe: Recipe
    initial: Params  # where training started
    params: Params  # where it ended
    history: list[EpochStats]  # every epoch's; the last one's only if not keep_history
    steps: int  # SGD steps taken, one per batch
    snapshots: list[Params] = field(default_factory=list)  # after epoch 0 (start), 1, ..., N
    seconds: float = 0.0  # wall time of the epochs: their steps and their measuring

    @property
    def epochs(self) -> int:
        """Return how many epochs the run made."""
        return self.history[-1].epoch

    @property
    def final_valid_accuracy(self) -> float:
        """Return the validation accuracy after the last epoch."""
        return self.history[-1].valid_accuracy

    @property
    def seconds_per_epoch(self) -> float:
        """Return the mean wall time of an epoch: its steps, and the loss and the metric
        of both sets measured after them."""
        return self.seconds / self.epochs


BLAS_THREADS = 1
"""The BLAS threads training uses, the same on every machine whatever its cores.

The same count everywhere makes the same run add its sums in the same order, so it gives
the same bits on a laptop, in CI and on the site: with the library's default (a thread
per core) a chaotic run, the ten digits at lr 50 on the bundled sample, ended at 88.5% on
one thread and 85.7% on two. One, because it never fights other programs for the cores:
with the cores busy (the site's build beside its notebook kernels, pytest's processes, a
learner's other work) two threads made the training commands up to 5 times slower; with
a core idle, they save little on the lessons' small matrices (a step multiplies at most
256 × 784 by 784 × 100), nothing on the 3/7 models and at most half the time of the
ten-digit net (benchmarks/threads.py and benchmarks/README.md)."""

_blas_lock = threading.Lock()
_blas_users = 0  # blocks inside blas_threads now, in any thread
_blas_limits: threadpoolctl.threadpool_limits | None = None


@contextmanager
def blas_threads() -> Iterator[None]:
    """Run the block with BLAS_THREADS BLAS threads, and give the library its own count
    back after it. Blocks may nest and run in several threads at once (the site trains in
    two): the first to start sets the limit, the last to end restores it."""
    global _blas_users, _blas_limits
    with _blas_lock:
        if _blas_users == 0:
            _blas_limits = threadpoolctl.threadpool_limits(BLAS_THREADS, user_api="blas")
        _blas_users += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_users -= 1
            if _blas_users == 0:
                _blas_limits.restore_original_limits()


# --8<-- [start:dataloader]
@dataclass(frozen=True)
class Dataset:
    """Images and their targets side by side: dataset[i] is the pair (x[i],
    y[i]), as zip gives."""

    # (n_images, 784)
    x: np.ndarray
    # (n_images,): 1 for a 3, 0 for a 7
    y: np.ndarray

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, index) -> tuple[np.ndarray, np.ndarray]:
        return self.x[index], self.y[index]


@dataclass(frozen=True)
class DataLoader:
    """Mini-batches of a dataset; with the run's generator, in a new random
    order every pass."""

    dataset: Dataset
    batch_size: int
    rng: np.random.Generator | None = None  # None: in order, as for validation

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        n_images = len(self.dataset)
        order = np.arange(n_images)
        if self.rng is not None:
            order = self.rng.permutation(n_images)
        for start in range(0, n_images, self.batch_size):
            # (xb, yb)
            yield self.dataset[order[start : start + self.batch_size]]

    def __len__(self) -> int:
        # the last batch may be smaller
        return -(-len(self.dataset) // self.batch_size)


# --8<-- [end:dataloader]


@dataclass(frozen=True)
class DataLoaders:
    """The training batches and the validation batches, as fastai's DataLoaders holds them."""

    train: DataLoader
    valid: DataLoader


def dataloaders(data, batch_size: int, rng: np.random.Generator) -> DataLoaders:
    """Return the training set shuffled by the run's generator, and the validation set in order.

    Raises MissingSplitError if the training set lacks a digit the validation set holds.
    """
    check_every_class(data.train_y, data.valid_y)
    train_x = np.asarray(data.train_x, dtype=np.float32)
    train_y = np.asarray(data.train_y, dtype=np.float32)
    return DataLoaders(
        DataLoader(Dataset(train_x, train_y), batch_size, rng),
        DataLoader(Dataset(data.valid_x, data.valid_y), batch_size),
    )


# --8<-- [start:train_epoch]
def train_epoch(
    params: Params,
    calc_grad: CalcGrad,
    batches: Iterable[tuple[np.ndarray, np.ndarray]],
    learning_rate: float,
) -> None:
    """Take one SGD step per mini-batch of the training set (updates params)."""
    for xb, yb in batches:
        _, grads = calc_grad(params, xb, yb)
        for name, grad in grads.items():
            # step downhill: against the gradient
            params[name] -= learning_rate * grad


# --8<-- [end:train_epoch]


def validate_epoch(
    predict: Predict, params: Params, x: np.ndarray, y: np.ndarray, loss: Measure, metric: Measure
) -> tuple[float, float]:
    """Return (loss, metric) of the model on a whole set of images."""
    predictions = predict(params, x)
    return loss(predictions, y), metric(predictions, y)


def epoch_stats(
    epoch: int, dls: DataLoaders, measure: Callable[[Dataset], tuple[float, float]]
) -> EpochStats:
    """Return the loss and metric of both whole sets, measured after an epoch."""
    train_loss, train_accuracy = measure(dls.train.dataset)
    valid_loss, valid_accuracy = measure(dls.valid.dataset)
    return EpochStats(epoch, train_loss, valid_loss, train_accuracy, valid_accuracy)


@contextmanager
def _finite_or_too_large(learning_rate: float, epoch: int) -> Iterator[None]:
    """Raise RecipeError if the block's arithmetic overflows: the steps were so large that
    the parameters or the scores no longer fit in a float, and training has diverged."""
    try:
        with np.errstate(over="raise", invalid="raise"):
            yield
    except FloatingPointError:
        raise RecipeError(
            "learning_rate",
            f"learning rate {learning_rate:g} is too large: in epoch {epoch} its steps grew "
            f"the parameters until the arithmetic overflowed (training diverged); try a "
            f"smaller one",
        ) from None


@dataclass(frozen=True, kw_only=True)
class HandModel:
    """A model with hand-derived gradients, as train_model trains it: its two functions,
    and the loss and the metric measured after each epoch. Made by name only, so that the
    loss and the metric, two functions of one type, cannot swap places unnoticed."""

    predict: Predict  # (params, xb) -> scores
    calc_grad: CalcGrad  # (params, xb, yb) -> (loss, gradients)
    loss: Measure
    metric: Measure


@blas_threads()  # the same bits on every machine: see BLAS_THREADS
def train_model(
    params: Params,
    *,
    model: HandModel,
    data,
    recipe: Recipe,
    rng: np.random.Generator,
    keep_snapshots: bool = False,
    on_epoch: OnEpoch | None = None,
    keep_history: bool = True,
) -> TrainingRun:
    """Train a copy of params with mini-batch SGD and return the run and its history.

    on_epoch, if given, sees each epoch's stats as soon as the epoch ends; it changes
    nothing in the run. Without keep_history the run keeps the last epoch's stats only,
    so that a run of any length fits in the same memory (the command line prints the rest
    as it goes).
    """
    check_recipe(recipe)
    initial, params = copy_params(params), copy_params(params)
    dls = dataloaders(data, recipe.batch_size, rng)

    def measure(dataset: Dataset) -> tuple[float, float]:
        return validate_epoch(model.predict, params, dataset.x, dataset.y, model.loss, model.metric)

    snapshots = [copy_params(params)] if keep_snapshots else []
    history, seconds = [], 0.0
    epochs = recipe.epochs_on(len(dls.train.dataset))
    for epoch in range(1, epochs + 1):
        with _finite_or_too_large(recipe.learning_rate, epoch):
            started = time.perf_counter()
            train_epoch(params, model.calc_grad, dls.train, recipe.learning_rate)
            stats = epoch_stats(epoch, dls, measure)
            seconds += time.perf_counter() - started
        history.append(stats)
        if not keep_history:
            del history[:-1]
        if keep_snapshots:
            snapshots.append(copy_params(params))
        if on_epoch is not None:
            on_epoch(stats)
    steps = epochs * len(dls.train)
    return TrainingRun(recipe, initial, params, history, steps, snapshots, seconds)


def train_from_seed(
    init: Callable[[np.random.Generator], Params],
    *,
    model: HandModel,
    data,
    recipe: Recipe,
    **watch,
) -> TrainingRun:
    """Draw the starting params with init from the recipe's seed, then train_model them:
    the seed is the run's only source of randomness (the start, then the batches' order).
    watch: what train_model takes besides (keep_snapshots, on_epoch, keep_history)."""
    rng = np.random.default_rng(recipe.seed)
    return train_model(init(rng), model=model, data=data, recipe=recipe, rng=rng, **watch)


# --8<-- [start:basic_optim]
class BasicOptim:
    """The chapter's optimizer: step every parameter against its gradient, then
    forget it."""

    def __init__(self, params, lr: float):
        self.params, self.lr = list(params), lr

    def step(self) -> None:
        for p in self.params:
            p.data -= p.grad * self.lr

    def zero_grad(self) -> None:
        for p in self.params:
            # backward() adds to .grad: start the next batch from nothing
            p.grad = None


# --8<-- [end:basic_optim]


# --8<-- [start:learner]
class Learner:
    """fastai's Learner from scratch: data, a model, an optimizer, a loss and a
    metric."""

    def __init__(
        self,
        dls: DataLoaders,
        model,
        opt_func,
        loss_func,
        metrics: Measure,
    ):
        self.dls, self.model, self.opt_func = dls, model, opt_func
        self.loss_func, self.metrics = loss_func, metrics

    @blas_threads()  # the same bits on every machine: see BLAS_THREADS
    def fit(self, epochs: int, lr: float) -> list[EpochStats]:
        """Train for some epochs; return the loss and metric of both sets after
        each."""
        # step 1 was making the model
        opt = self.opt_func(self.model.parameters(), lr)
        history = []
        # step 6: repeat; step 7: stop after `epochs`
        for epoch in range(1, epochs + 1):
            for xb, yb in self.dls.train:
                predictions = self.model(xb)  # step 2: predict
                loss = self.loss_func(predictions, yb)  # step 3: the loss
                # step 4: the gradients, added to each parameter's .grad
                loss.backward()
                opt.step()  # step 5: step the weights
                # and forget the gradients before the next batch
                opt.zero_grad()
            history.append(epoch_stats(epoch, self.dls, self.validate))
        return history

    def validate(self, dataset: Dataset) -> tuple[float, float]:
        """Return (loss, metric) of the model on a whole set of images."""
        predictions = self.model(dataset.x)
        return float(self.loss_func(predictions, dataset.y)), self.metrics(
            predictions.data, dataset.y
        )


# --8<-- [end:learner]


def copy_params(params: Params) -> Params:
    """Return an independent copy of the parameters."""
    return {name: value.copy() for name, value in params.items()}
