"""The lab page's files: its digits, the numbers its page states, and the JSON it reads.

The digits are a stratified sample of the build's 3s and 7s (all of them on the bundled
sample), stored as they are, one byte a pixel, and gzipped: the page fetches them only
when the reader first presses Train. The build trains the lab's default settings on them
with `lessons_code.lab`, and a default run on the page must end where that run ended.
"""

from __future__ import annotations

import gzip
from dataclasses import asdict, fields, replace
from functools import cache

import numpy as np

from lessons_code import lab, learner
from lessons_code.website.pages import shared
from lessons_code.website.register import data_file, numbers, widget
from lessons_code.website.runs import Runs

TRAIN_SIZE, VALID_SIZE = 3_000, 1_000
"""How many of the build's 3s and 7s the lab trains and validates on, at most. On real
MNIST that is a fair sample of each digit, not the whole set: 3,000 training images are
12 batches of 256 an epoch, enough for the chapter's recipe to learn; one validation
image is 0.1% of the accuracy; the download stays near 600 KB; and 40 epochs of the net,
the slowest default, take seconds in a browser rather than a minute."""

DIGITS_FILE = "lab-digits.bin.gz"


@cache
def lab_data(runs: Runs) -> lab.LabData:
    """Return the lab's images: a stratified sample of the build's, drawn with the
    default run's seed."""
    return lab.lab_data(runs.mnist, TRAIN_SIZE, VALID_SIZE, lab.DEFAULTS["linear"].seed)


@cache
def default_run(runs: Runs) -> lab.LabRun:
    """Return the lab's default settings (the chapter's linear model) trained on its data."""
    return lab.train(lab.DEFAULTS["linear"], lab_data(runs))


def digits_bytes(data: lab.LabData) -> bytes:
    """Return the lab's digits as the page reads them: the training images, the
    validation images (784 grey levels each), then their labels (1 for a 3, 0 for a 7)."""
    labels = [data.train_y.astype(np.uint8), data.valid_y.astype(np.uint8)]
    return b"".join(array.tobytes() for array in [data.train_x, data.valid_x, *labels])


@data_file(DIGITS_FILE)
@cache
def digits_file(runs: Runs) -> bytes:
    """Return the digits file, gzipped the same way on every build (level 6: within 2% of
    level 9, gzip.compress's default, in a tenth of the time)."""
    return gzip.compress(digits_bytes(lab_data(runs)), compresslevel=6, mtime=0)


def _counts(data: lab.LabData) -> dict:
    return {
        "train_size": len(data.train_y),
        "valid_size": len(data.valid_y),
        "train_threes": int((data.train_y == 1).sum()),
        "train_sevens": int((data.train_y == 0).sum()),
        "valid_threes": int((data.valid_y == 1).sum()),
        "valid_sevens": int((data.valid_y == 0).sum()),
    }


@widget("lab-page", "lab.json")
def lab_widget(runs: Runs) -> dict:
    """Return what the lab page reads: its digits' file and shape, the settings in the
    page's order with each one's default, choices and range, and the build's default run."""
    data = lab_data(runs)
    n_train = len(data.train_y)
    run = default_run(runs)
    bounds = {name: list(bound) for name, bound in lab.BOUNDS.items()}
    bounds["batch_size"][1] = min(bounds["batch_size"][1], n_train)
    return {
        "about": "the lab's digits (a stratified sample of the build's 3s and 7s), its "
        "settings, and the build's run of the default settings with lessons_code.lab",
        "digits": {"file": DIGITS_FILE, **_counts(data)},
        "order": [field.name for field in fields(lab.Settings)],
        "defaults": {model: asdict(settings) for model, settings in lab.DEFAULTS.items()},
        "choices": {name: list(values) for name, values in lab.CHOICES.items()},
        "bounds": bounds,
        "majority": max(float(data.valid_y.mean()), 1 - float(data.valid_y.mean())),
        "chapter_train_size": learner.MNIST_SAMPLE_TRAIN_SIZE,
        "build": {
            "valid_accuracy": run.final_valid_accuracy,
            "train_loss": [stats.train_loss for stats in run.history],
        },
    }


@numbers("lab")
def lab_numbers(runs: Runs) -> dict:
    """Return the numbers the lab page states: its data and the build's default run."""
    data, run = lab_data(runs), default_run(runs)
    settings = run.settings
    batches = -(-len(data.train_y) // settings.batch_size)
    chapter_batches = -(-learner.MNIST_SAMPLE_TRAIN_SIZE // settings.batch_size)
    return {
        **_counts(data),
        "sample_train_size": TRAIN_SIZE,
        "sample_valid_size": VALID_SIZE,
        "digits_kb": len(digits_file(runs)) / 1000,
        "build_accuracy": run.final_valid_accuracy,
        "build_start_accuracy": run.history[0].valid_accuracy,
        "epochs": settings.epochs,
        "batch_size": settings.batch_size,
        "lr": settings.lr,
        "steps": settings.epochs * batches,
        "chapter_steps": settings.epochs * chapter_batches,
        "chapter_train_size": learner.MNIST_SAMPLE_TRAIN_SIZE,
        "net_lr": lab.DEFAULTS["net"].lr,
        "net_epochs": lab.DEFAULTS["net"].epochs,
        "hidden": lab.DEFAULTS["net"].hidden,
    }


CHANGES = {
    "no_zero_grad": ("linear", {"zero_grad": False}),
    "pixels_255": ("linear", {"pixels": "0-255"}),
    "summed": ("linear", {"lr": lab.DEFAULTS["linear"].lr * lab.DEFAULTS["linear"].batch_size}),
    "net": ("net", {}),
    "net_std_1": ("net", {"init": "init_params", "std": 1.0}),
}
"""Runs of the lab that the site's answers to learners' questions cite: one setting
changed from the chapter's. "summed" is a loss summed over each batch instead of
averaged: for a full batch its gradient is batch_size times the mean's, so it takes the
steps of the mean at batch_size times the learning rate, which is what this run does."""


@cache
def changed_run(runs: Runs, name: str) -> lab.LabRun:
    """Return the lab's run with CHANGES[name] made to its model's default settings."""
    model, change = CHANGES[name]
    return lab.train(replace(lab.DEFAULTS[model], **change), lab_data(runs))


@numbers("lab_changes")
def lab_change_numbers(runs: Runs) -> dict:
    """Return each of CHANGES' final validation accuracy, whether it diverged, and how it
    compares with the lab's default run of the same model (the net: with nn.Linear's start)."""
    n_valid = len(lab_data(runs).valid_y)
    references = {"linear": default_run(runs), "net": changed_run(runs, "net")}
    numbers = {}
    for name, (model, _) in CHANGES.items():
        run, reference = changed_run(runs, name), references[model]
        numbers[name] = {
            "lr": run.settings.lr,
            "final_valid_accuracy": run.final_valid_accuracy,
            "diverged": run.diverged,
            "verdict": shared.verdict(
                run.final_valid_accuracy, reference.final_valid_accuracy, n_valid
            ),
        }
    return numbers
