"""What "Gradient descent" (docs/gradient-descent.md) states: the learning rates compared,
the "change one thing" table, and the training replay's data."""

from __future__ import annotations

import numpy as np

from lessons_code import learner, linear_model
from lessons_code.learner import TrainingRun
from lessons_code.website.pages import shared
from lessons_code.website.register import figure, numbers, widget
from lessons_code.website.runs import (
    VARIANT_BATCH_SIZE,
    VARIANT_EPOCHS,
    VARIANT_LEARNING_RATE,
    Runs,
)

SATURATED_SCORE = 20.0
"""A score this far from 0 has a sigmoid slope p(1 - p) under 3e-9: mnist_loss learns
nothing from that image."""


figure("learning-rates", inputs=lambda runs: (runs.learning_rates,))(shared.learning_rate_curves)


def saturated(run: TrainingRun, x: np.ndarray) -> float:
    """Return the fraction of images whose score is so far from 0 that mnist_loss is flat."""
    return float((np.abs(linear_model.predict(run.params, x)) > SATURATED_SCORE).mean())


CHAPTER_PRINTED = {
    "similarity_3": 0.9168,  # accuracy_3s
    "similarity_7": 0.9854,  # accuracy_7s
    "similarity": 0.9511,  # (accuracy_3s + accuracy_7s) / 2
    "linear": 0.9696,  # linear1 from init_params, lr 1, the last of its 20 epochs
    "nn_linear": 0.9785,  # nn.Linear and BasicOptim, train_model(linear_model, 20)
    "net": 0.9828,  # simple_net, learn.fit(40, 0.1): learn.recorder.values[-1][2]
}
"""The validation accuracies the chapter printed (fastbook's 04_mnist_basics.ipynb) for
the runs this site redoes."""


@numbers("chapter_printed")
def chapter_printed_numbers(runs: Runs) -> dict:
    """Return the chapter's printed accuracies, CHAPTER_PRINTED."""
    return dict(CHAPTER_PRINTED)


VARIANT_NAMES = {
    "chapter": "the chapter's recipe",
    "small_start": "starting weights as small as nn.Linear's",
    "learning_rate": f"learning rate {VARIANT_LEARNING_RATE:g}",
    "batch_size": f"batches of {VARIANT_BATCH_SIZE}",
    "epochs": f"{VARIANT_EPOCHS} epochs of the chapter's, not {linear_model.RECIPE.epochs}",
    "cross_entropy": "binary cross-entropy for the loss",
}


@numbers("variants")
def variant_numbers(runs: Runs) -> dict:
    """Return each "change one thing" run, what it changes, and how it compares with the
    chapter's recipe."""
    reference, n_valid = runs.linear.final_valid_accuracy, len(runs.mnist.valid_x)
    return {
        name: {
            **shared.history(run),
            "change": VARIANT_NAMES[name],
            "verdict": shared.verdict(run.final_valid_accuracy, reference, n_valid),
        }
        for name, run in runs.variants.items()
    }


@numbers("learning_rates")
def learning_rate_numbers(runs: Runs) -> dict:
    """Return the linear model's run at each compared learning rate, and how many of its
    training images end with a flat loss."""
    return {
        f"lr_{index}": {
            "learning_rate": rate,
            **shared.history(run),
            "saturated": saturated(run, runs.mnist.train_x),
        }
        for index, (rate, run) in enumerate(runs.learning_rates.items())
    }


def flat(grads: dict) -> np.ndarray:
    """Return a gradient as one vector: the 784 weights' gradients, then the bias's."""
    return np.append(grads["weights"], grads["bias"])


@numbers("batch_gradients")
def batch_gradient_numbers(runs: Runs) -> dict:
    """Return how each batch's gradient compares with the whole training set's, at the
    random start and at the trained weights: how many point downhill for the whole set (a
    positive dot product), and the smallest cosine between them (1: the same direction)."""
    recipe = runs.linear.recipe
    dls = learner.dataloaders(runs.mnist, recipe.batch_size, np.random.default_rng(recipe.seed))
    x, y = runs.mnist.train_x, runs.mnist.train_y
    numbers = {"batches": len(dls.train)}
    for moment, params in (("start", runs.linear.initial), ("trained", runs.linear.params)):
        whole = flat(linear_model.calc_grad(params, x, y)[1])
        cosines = [
            float(batch @ whole / (np.linalg.norm(batch) * np.linalg.norm(whole)))
            for batch in (flat(linear_model.calc_grad(params, xb, yb)[1]) for xb, yb in dls.train)
        ]
        numbers[moment] = {
            "downhill": sum(cosine > 0 for cosine in cosines),
            "smallest_cosine": min(cosines),
        }
    return numbers


REPLAY_FRAMES = 21
"""How many epochs the training replay shows at most: the start, epochs 1 and 2, then
evenly in log scale to the end (most of what training changes, it changes first)."""


@widget("replay", "training.json")
def replay(runs: Runs) -> dict:
    """Return the weights at up to REPLAY_FRAMES epochs and the whole loss history."""
    linear = runs.linear
    later = np.geomspace(3, max(linear.epochs, 3), REPLAY_FRAMES - 3)
    shown = np.unique(np.concatenate([[0, 1, 2], later]).round().astype(int))
    shown = shown[shown <= linear.epochs]
    return {
        "about": "the weights after some epochs (0 = random start) and the loss history",
        "epochs": shown.tolist(),
        "weights": [shared.rounded(linear.snapshots[epoch]["weights"], 4) for epoch in shown],
        "train_loss": [stats.train_loss for stats in linear.history],
        "valid_loss": [stats.valid_loss for stats in linear.history],
        "valid_accuracy": [stats.valid_accuracy for stats in linear.history],
    }
