"""What "From numpy to PyTorch" (docs/pytorch.md) states: the shapes of the chapter's
arrays, and how the DataLoader batches the training set."""

from __future__ import annotations

import numpy as np

from lessons_code import arrays, baseline, learner, linear_model
from lessons_code.website.register import numbers
from lessons_code.website.runs import Runs


def shape(shape: tuple[int, ...]) -> str:
    """Return a shape as Python prints it: "(400, 28, 28)", "(200,)"."""
    return str(tuple(int(size) for size in shape))


@numbers("arrays")
def array_numbers(runs: Runs) -> dict:
    """Return the shapes and ranks of the arrays the chapter stacks, averages and subtracts."""
    mnist = runs.mnist
    threes = arrays.digit_images(mnist.train_x, mnist.train_y, 1.0)
    sevens = arrays.digit_images(mnist.train_x, mnist.train_y, 0.0)
    stacked_threes = arrays.stack_digits(threes)
    valid_threes = arrays.stack_digits(arrays.digit_images(mnist.valid_x, mnist.valid_y, 1.0))
    mean3 = stacked_threes.mean(0)
    train_x = arrays.as_rows(arrays.stack_digits(threes + sevens))
    ideal_3, _ = baseline.ideal_digits(mnist.train_x, mnist.train_y)
    valid_rows = arrays.as_rows(valid_threes)
    return {
        "threes": len(threes),
        "sevens": len(sevens),
        "stacked_threes_shape": shape(stacked_threes.shape),
        "stacked_threes_rank": arrays.rank(stacked_threes),
        "image_shape": shape(threes[0].shape),
        "mean3_shape": shape(mean3.shape),
        "mean3_rank": arrays.rank(mean3),
        "valid_threes_shape": shape(valid_threes.shape),
        "difference_shape": shape((valid_threes - mean3).shape),
        "train_x_shape": shape(train_x.shape),
        "train_y_shape": shape((len(train_x), 1)),  # the chapter's unsqueeze(1)
        "rows_shape": shape(valid_rows.shape),
        "ideal_shape": shape(ideal_3.shape),
        "rows_difference_shape": shape((valid_rows - ideal_3).shape),
        "distances_shape": shape(baseline.mnist_distance(valid_rows, ideal_3).shape),
    }


@numbers("dataloader")
def dataloader_numbers(runs: Runs) -> dict:
    """Return how the DataLoader cuts the training set into batches, and the first batch's
    shapes."""
    mnist = runs.mnist
    recipe = linear_model.RECIPE
    dls = learner.dataloaders(mnist, recipe.batch_size, np.random.default_rng(recipe.seed))
    sizes = [len(xb) for xb, _ in dls.train]
    xb, yb = next(iter(dls.train))
    return {
        "batch_size": recipe.batch_size,
        "batches": len(dls.train),
        "last_batch_size": sizes[-1],
        "first_xb_shape": shape(xb.shape),
        "first_yb_shape": shape(yb.shape),
    }


@numbers("batch_mean")
def batch_mean_numbers(runs: Runs) -> dict:
    """Return the trained linear model's validation accuracy as the chapter's validate_epoch
    takes it (the mean of each batch's accuracy) and as ours does (the whole set at once)."""
    mnist, recipe = runs.mnist, linear_model.RECIPE
    scores = linear_model.predict(runs.linear.params, mnist.valid_x)
    starts = range(0, len(scores), recipe.batch_size)
    accuracies = [
        linear_model.batch_accuracy(
            scores[i : i + recipe.batch_size], mnist.valid_y[i : i + recipe.batch_size]
        )
        for i in starts
    ]
    return {
        "batches": len(accuracies),
        "last_batch_size": len(scores) - starts[-1],
        "batch_mean": float(np.mean(accuracies)),
        "whole_set": linear_model.batch_accuracy(scores, mnist.valid_y),
    }
