"""Seconds per epoch of the chapter's linear model: our numpy against PyTorch on the CPU.

Both run the same recipe (weights std 1, mnist_loss, lr 1.0, batch 256, 20 epochs,
reshuffled every epoch) on the same real 3s and 7s, in the same process. Target:
numpy takes at most 0.7x PyTorch's time per epoch.

    python -m benchmarks.train_speed [--data-dir ../shared/data/mnist]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from lessons_code import data, learner, linear_model
from tests.support import real_mnist

TARGET_RATIO = 0.7


def numpy_seconds_per_epoch(mnist: data.MnistData, recipe: learner.Recipe) -> float:
    """Return the median seconds per epoch of lessons_code's linear model: its SGD steps
    alone, as for PyTorch below (a run's own time per epoch includes measuring both sets)."""
    rng = np.random.default_rng(recipe.seed)
    params = linear_model.init_linear(rng)
    batches = learner.dataloaders(mnist, recipe.batch_size, rng).train
    seconds = []
    with learner.blas_threads():  # as the lessons train
        for _ in range(recipe.epochs):
            started = time.perf_counter()
            learner.train_epoch(params, linear_model.calc_grad, batches, recipe.learning_rate)
            seconds.append(time.perf_counter() - started)
    return float(np.median(seconds))


def torch_seconds_per_epoch(mnist: data.MnistData, recipe: learner.Recipe) -> float:
    """Return the median seconds per epoch of the chapter's code in PyTorch."""
    import torch

    torch.manual_seed(recipe.seed)
    train_x = torch.from_numpy(mnist.train_x)
    train_y = torch.from_numpy(mnist.train_y)
    weights = torch.randn(784, requires_grad=True)
    bias = torch.randn(1, requires_grad=True)

    def mnist_loss(predictions, targets):
        predictions = predictions.sigmoid()
        return torch.where(targets == 1, 1 - predictions, predictions).mean()

    seconds = []
    for _ in range(recipe.epochs):
        started = time.perf_counter()
        order = torch.randperm(len(train_x))
        for start in range(0, len(order), recipe.batch_size):
            batch = order[start : start + recipe.batch_size]
            loss = mnist_loss(train_x[batch] @ weights + bias, train_y[batch])
            loss.backward()
            with torch.no_grad():
                for param in (weights, bias):
                    param -= param.grad * recipe.learning_rate
                    param.grad.zero_()
        seconds.append(time.perf_counter() - started)
    return float(np.median(seconds))


def measure(data_dir: Path | str | None = None, repeats: int = 3) -> dict:
    """Return both medians (best of a few runs each) and their ratio; torch is None if absent."""
    mnist = data.load_threes_sevens(data_dir)
    recipe = linear_model.RECIPE
    numpy_time = min(numpy_seconds_per_epoch(mnist, recipe) for _ in range(repeats))
    try:
        torch_time = min(torch_seconds_per_epoch(mnist, recipe) for _ in range(repeats))
    except ImportError:
        torch_time = None
    return {
        "data_source": mnist.source,
        "numpy_seconds_per_epoch": numpy_time,
        "torch_seconds_per_epoch": torch_time,
        "ratio": None if torch_time is None else numpy_time / torch_time,
    }


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=real_mnist())
    result = measure(parser.parse_args().data_dir)
    print(f"data: {result['data_source']}")
    print(f"numpy:   {result['numpy_seconds_per_epoch'] * 1000:.2f} ms per epoch")
    if result["torch_seconds_per_epoch"] is None:
        print("pytorch: not installed (pip install torch==2.13.0), no ratio")
        return
    print(f"pytorch: {result['torch_seconds_per_epoch'] * 1000:.2f} ms per epoch")
    verdict = "meets" if result["ratio"] <= TARGET_RATIO else "MISSES"
    print(f"ratio numpy / pytorch: {result['ratio']:.2f} ({verdict} the target ≤ {TARGET_RATIO})")


if __name__ == "__main__":
    main()
