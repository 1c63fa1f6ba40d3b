"""What many pages state: the data, the chapter's linear model and pixel similarity; and
the analyses and figures that more than one page shows, each computed here once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from lessons_code import learner, linear_model
from lessons_code.learner import TrainingRun
from lessons_code.website import style
from lessons_code.website.register import numbers
from lessons_code.website.runs import Runs

MNIST_SAMPLE_VALID_SIZE = 2_038
"""Validation images of fastai's MNIST_SAMPLE: every 3 and 7 of MNIST's test set."""

CHANCE_IMAGES = 3
"""Two accuracies closer than this many validation images are "about the same"."""

N_MISTAKES = 5
"""How many misclassified images the prediction page shows from each set (the loss page
names the surest)."""


def history(run: TrainingRun) -> dict:
    """Return a run's recipe, its steps and its first and last epoch's loss and accuracy."""
    first, last = run.history[0], run.history[-1]
    chapter_batches = -(-learner.MNIST_SAMPLE_TRAIN_SIZE // run.recipe.batch_size)
    return {
        "chapter_steps": run.recipe.epochs * chapter_batches,
        "steps_per_epoch": run.steps // run.epochs,
        "epochs": run.epochs,
        "steps": run.steps,
        "chapter_epochs": run.recipe.epochs,
        "learning_rate": run.recipe.learning_rate,
        "batch_size": run.recipe.batch_size,
        "seed": run.recipe.seed,
        "first_train_loss": first.train_loss,
        "final_train_loss": last.train_loss,
        "final_valid_loss": last.valid_loss,
        "final_train_accuracy": last.train_accuracy,
        "final_valid_accuracy": last.valid_accuracy,
    }


def verdict(accuracy: float, reference: float, n_valid: int) -> str:
    """Return "better", "worse" or "about the same" for an accuracy against a reference."""
    if abs(accuracy - reference) * n_valid < CHANCE_IMAGES:
        return "about the same"
    return "better" if accuracy > reference else "worse"


def rounded(array: np.ndarray, decimals: int) -> list[float]:
    """Return an array's numbers as a flat list, each rounded (a widget's JSON stays small)."""
    return [round(float(value), decimals) for value in np.ravel(array)]


def valid_scores(runs: Runs) -> np.ndarray:
    """Return the trained linear model's score for every validation image."""
    return linear_model.predict(runs.linear.params, runs.mnist.valid_x)


def mistakes(runs: Runs) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Return, per set, the linear model's surest mistakes: (images, targets, scores)."""
    found = {}
    for name, x, y in (
        ("train", runs.mnist.train_x, runs.mnist.train_y),
        ("valid", runs.mnist.valid_x, runs.mnist.valid_y),
    ):
        scores = linear_model.predict(runs.linear.params, x)
        chosen = linear_model.mistakes(scores, y, N_MISTAKES)
        found[name] = (x[chosen], y[chosen], scores[chosen])
    return found


@dataclass(frozen=True)
class WeightMove:
    """How far training moved the weights, next to the size of their random start."""

    mean_change: float  # the mean of |trained weight - its start|
    mean_start: float  # the mean of |its start|

    def sentence(self) -> str:
        """Return the comparison in words, as a figure's alt text says it."""
        moved, start = self.mean_change, self.mean_start
        if moved < start / 2:
            return (
                f"Training moved a weight by {moved:.2f} on average, small next to their random "
                f"start (typical size {start:.2f}), so the weights still look like that noise."
            )
        return (
            f"Training moved a weight by {moved:.2f} on average, from a start of size {start:.2f}."
        )


def weight_move(run: TrainingRun) -> WeightMove:
    """Return how far training moved the run's weights from their start."""
    trained, start = run.params["weights"], run.initial["weights"]
    return WeightMove(float(np.abs(trained - start).mean()), float(np.abs(start).mean()))


@numbers("data")
def data_numbers(runs: Runs) -> dict:
    """Return where the 3s and 7s come from and how many there are of each, in each set."""
    mnist = runs.mnist
    return {
        "source": mnist.source,
        "train_size": len(mnist.train_x),
        "valid_size": len(mnist.valid_x),
        "train_threes": int((mnist.train_y == 1).sum()),
        "train_sevens": int((mnist.train_y == 0).sum()),
        "valid_threes": int((mnist.valid_y == 1).sum()),
        "valid_sevens": int((mnist.valid_y == 0).sum()),
        "one_image": 1 / len(mnist.valid_x),
        "mnist_sample_train_size": learner.MNIST_SAMPLE_TRAIN_SIZE,
        "mnist_sample_valid_size": MNIST_SAMPLE_VALID_SIZE,
        "half_train_size": len(runs.half_mnist.train_x),
        "half_threes": int((runs.half_mnist.train_y == 1).sum()),
        "half_sevens": int((runs.half_mnist.train_y == 0).sum()),
        "half": history(runs.half_data),
        "half_verdict": verdict(  # the half-trained model against the whole-trained one
            runs.half_data.final_valid_accuracy,
            runs.linear.final_valid_accuracy,
            len(mnist.valid_x),
        ),
        "chance_images": CHANCE_IMAGES,
        "majority": max(float(mnist.valid_y.mean()), 1 - float(mnist.valid_y.mean())),
    }


@numbers("linear")
def linear_numbers(runs: Runs) -> dict:
    """Return the chapter's linear model: its run, its start, and how far its weights moved."""
    run, mnist = runs.linear, runs.mnist
    start_scores = linear_model.predict(run.initial, mnist.train_x)
    start_valid = linear_model.predict(run.initial, mnist.valid_x)
    move = weight_move(run)
    return {
        **history(run),
        "bias": float(run.params["bias"]),
        "initial_train_loss": linear_model.mnist_loss(start_scores, mnist.train_y),
        "mean_change": move.mean_change,
        "mean_start": move.mean_start,
        "initial_valid_accuracy": linear_model.batch_accuracy(start_valid, mnist.valid_y),
        "chapter_steps_per_epoch": -(-learner.MNIST_SAMPLE_TRAIN_SIZE // run.recipe.batch_size),
        "chapter_train_size": learner.MNIST_SAMPLE_TRAIN_SIZE,
    }


@numbers("baseline")
def baseline_numbers(runs: Runs) -> dict:
    """Return how often pixel similarity is right, with the L1 and the L2 distance; the
    chapter's overall figure, the mean of the 3s' and the 7s' accuracies; and how the
    trained linear model compares with each ("better", "worse", "about the same")."""
    similarity = runs.similarity
    trained, n_valid = runs.linear.final_valid_accuracy, len(runs.mnist.valid_x)
    return {
        "accuracy_3": similarity.accuracy_3,
        "accuracy_7": similarity.accuracy_7,
        "accuracy": similarity.accuracy,
        "mean_of_the_two": (similarity.accuracy_3 + similarity.accuracy_7) / 2,
        "l2_accuracy": runs.similarity_l2.accuracy,
        "linear_against_l1": verdict(trained, runs.similarity.accuracy, n_valid),
        "linear_against_l2": verdict(trained, runs.similarity_l2.accuracy, n_valid),
    }


def digit_grid(
    images: Sequence[np.ndarray],
    captions: Sequence[str],
    alt: str | None = None,
    columns: int | None = None,
) -> Figure:
    """Return 28×28 images in rows, each captioned underneath: at most 6 a row by default,
    3 on a phone (4 if every caption line is short), as few rows as fit, filled evenly."""
    if len(images) != len(captions) or not len(images):
        raise ValueError(f"need one caption per image, got {len(images)} and {len(captions)}")
    n = len(images)
    short = max(len(line) for caption in captions for line in caption.split("\n")) <= 8
    most = style.columns(6, 4 if short else 3)
    columns = min(columns or most, most)
    columns = -(-n // -(-n // columns))  # as few rows as fit `columns` a row, filled evenly
    rows = -(-n // columns)
    lines = max(caption.count("\n") + 1 for caption in captions)
    if alt is None:
        alt = f"{n} handwritten digits, captioned: " + "; ".join(
            caption.replace("\n", " ") for caption in captions
        )
    side = min(1.7, style.figure_width() / columns)  # one picture's, in inches
    row = side + 0.05 + 0.2 * lines
    figure = style.new_figure(row * rows, row * rows, alt)
    axes = np.atleast_1d(figure.subplots(rows, columns)).ravel()
    for index, ax in enumerate(axes):
        if index < n:
            style.digit(ax, images[index])
            ax.set_xlabel(captions[index])
        else:
            ax.set_visible(False)
    return figure


def learning_rate_curves(runs: dict[float, TrainingRun]) -> Figure:
    """Return the loss and accuracy curves of runs with different learning rates."""
    styles = (("o-", style.VERMILLION), ("s-", style.BLUE), ("^-", style.GREEN), ("d-", style.PINK))
    if len(runs) > len(styles):
        raise ValueError(f"at most {len(styles)} learning rates fit one figure, got {len(runs)}")
    summary = "; ".join(
        f"learning rate {rate:g} ends at loss {run.history[-1].train_loss:.3f} and accuracy "
        f"{run.history[-1].valid_accuracy:.1%}"
        for rate, run in runs.items()
    )
    figure = style.new_figure(
        3.3,
        6.4,
        f"Training loss (first) and validation accuracy (second) after each epoch, one line "
        f"per learning rate: {summary}.",
    )
    loss_ax, accuracy_ax = style.panels(figure, 2)
    for (rate, run), (marker, colour) in zip(runs.items(), styles, strict=False):
        epochs = [s.epoch for s in run.history]
        label = f"learning rate {rate:g}\n(ends at {run.history[-1].valid_accuracy:.1%})"
        look = {
            "color": colour,
            "markersize": 4,
            "linewidth": 1.5,
            "markevery": style.marks(len(epochs)),
        }
        loss_ax.plot(epochs, [s.train_loss for s in run.history], marker, **look)
        accuracy_ax.plot(
            epochs, [s.valid_accuracy for s in run.history], marker, label=label, **look
        )
    loss_ax.set(xlabel="epoch", ylabel="training loss", title="loss")
    loss_ax.set_ylim(bottom=0)
    accuracy_ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    accuracy_ax.set(xlabel="epoch", ylabel="validation accuracy", title="accuracy")
    if style.narrow():
        figure.legend(loc="outside lower center", ncols=2)
    else:
        figure.legend(loc="outside right center", labelspacing=1.0)
    return figure
