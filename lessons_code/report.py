"""Every run, number and figure the site shows, computed from the lessons.

The site's build hook calls this module; so can a test or a notebook. Runs are
computed lazily, once, so a build that finds its figures in the cache trains nothing.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from lessons_code import apples_pears, baseline, cli, data, linear_model, neural_net

if TYPE_CHECKING:
    from matplotlib.figure import Figure

LEARNING_RATES = (0.01, 1.0, 10.0, 100.0)
"""The learning rates compared on the site: too small, the chapter's, bigger, too large."""

WEIGHT_EPOCHS = (0, 1, 2, 5, linear_model.RECIPE.epochs)
"""The epochs at which the "weights evolving" figure shows the weights."""

SIGMOID_SCORES = (-4.0, -1.0, 0.0, 1.0, 4.0)
"""Scores marked on the sigmoid figure."""

N_MISTAKES = 5
"""How many misclassified images the prediction page shows from each set."""

NUDGED_PIXEL = 14 * 28 + 14
"""The weight the "loss, not accuracy" page nudges: the pixel in the middle of the image."""

NUDGE = 0.01
"""How far that weight is nudged."""

LOSS_EXAMPLES = {
    "three_scored_2": (1.0, 2.0),
    "seven_scored_2": (0.0, 2.0),
    "three_scored_minus_1": (1.0, -1.0),
}
"""Worked examples of mnist_loss: (target, score)."""


class Runs:
    """The training runs behind the site, each computed on first use."""

    def __init__(self, data_dir: str | None = None):
        self.data_dir = data_dir

    @cached_property
    def mnist(self) -> data.MnistData:
        """Return the 3s and 7s the site is built from."""
        return data.load_threes_sevens(self.data_dir)

    @cached_property
    def data_key(self) -> str:
        """Return a checksum of the data's files, where they are, and the loader, for cache keys.

        The files are hashed as they are on disk, without decoding them, so a build whose
        figures are all cached reads no image.
        """
        folder, why = data.locate(self.data_dir)  # a missing folder fails later, when loaded
        # The page names the folder of real data, not where the bundled sample is installed.
        where = "" if folder == data.SAMPLE_DIR else str(folder)
        digest = hashlib.sha256(f"{why}\0{where}".encode())
        digest.update(Path(data.__file__).read_bytes())
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(f"\0{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()

    @cached_property
    def linear(self) -> linear_model.TrainingRun:
        """Return the chapter's linear model, trained with its recipe, with snapshots."""
        return linear_model.train(self.mnist, keep_snapshots=True)

    @cached_property
    def net(self) -> linear_model.TrainingRun:
        """Return the chapter's two-layer net, trained with its recipe."""
        return neural_net.train(self.mnist)

    @cached_property
    def similarity(self) -> baseline.PixelSimilarity:
        """Return pixel similarity with the L1 distance, the chapter's choice."""
        return baseline.pixel_similarity(self.mnist, "l1")

    @cached_property
    def learning_rates(self) -> dict[float, linear_model.TrainingRun]:
        """Return the linear model trained at each compared learning rate."""
        return {
            rate: linear_model.train(self.mnist, replace(linear_model.RECIPE, learning_rate=rate))
            for rate in LEARNING_RATES
        }

    @cached_property
    def receipts_with_fee(self) -> list[apples_pears.Receipt]:
        """Return the receipts of the shop with a bag fee."""
        return apples_pears.make_receipts(fee=apples_pears.BAG_FEE)

    @cached_property
    def descent(self) -> apples_pears.Descent:
        """Return gradient descent on the receipts without a fee, from the forum's guess."""
        return apples_pears.descend(apples_pears.make_receipts())

    @cached_property
    def descent_with_fee(self) -> apples_pears.Descent:
        """Return gradient descent that learns the prices and the fee."""
        return apples_pears.descend(self.receipts_with_fee, learn_fee=True)

    def valid_scores(self) -> np.ndarray:
        """Return the trained linear model's score for every validation image."""
        return linear_model.predict(self.linear.params, self.mnist.valid_x)

    @cached_property
    def mistakes(self) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Return, per set, the surest mistakes: (images, targets, scores)."""
        found = {}
        for name, x, y in (
            ("train", self.mnist.train_x, self.mnist.train_y),
            ("valid", self.mnist.valid_x, self.mnist.valid_y),
        ):
            scores = linear_model.predict(self.linear.params, x)
            chosen = linear_model.mistakes(scores, y, N_MISTAKES)
            found[name] = (x[chosen], y[chosen], scores[chosen])
        return found


def _digit(target: float) -> str:
    return "3" if target == 1 else "7"


def mistakes_figure_inputs(runs: Runs) -> tuple:
    """Return the images, captions and alt text of the misclassified-images figure."""
    images, captions, parts = [], [], []
    for name, label in (("train", "training"), ("valid", "validation")):
        x, y, scores = runs.mistakes[name]
        images += list(x)
        captions += [
            f"{label}\na {_digit(t)}, score {s:+.1f}" for t, s in zip(y, scores, strict=True)
        ]
        parts.append(
            f"{len(x)} {label} images: "
            + ", ".join(f"a {_digit(t)} scored {s:+.1f}" for t, s in zip(y, scores, strict=True))
        )
    alt = (
        "Handwritten digits the trained model gets wrong, the ones it is surest about: "
        + "; ".join(parts)
        + ". A positive score means the model says 3."
    )
    return images, captions, alt, N_MISTAKES


def task_figure_inputs(runs: Runs) -> tuple:
    """Return four training 3s and four training 7s, captioned, and the alt text."""
    y = runs.mnist.train_y
    chosen = np.concatenate([np.flatnonzero(y == 1)[:4], np.flatnonzero(y == 0)[:4]])
    captions = [f"a {_digit(t)}" for t in y[chosen]]
    alt = (
        "Four handwritten 3s and four handwritten 7s from the training set, each 28 by 28 "
        "grey pixels. The task: look at such an image and say 3 or 7."
    )
    return list(runs.mnist.train_x[chosen]), captions, alt


def _history(run: linear_model.TrainingRun) -> dict:
    first, last = run.history[0], run.history[-1]
    return {
        "epochs": run.recipe.epochs,
        "learning_rate": run.recipe.learning_rate,
        "batch_size": run.recipe.batch_size,
        "seed": run.recipe.seed,
        "first_train_loss": first.train_loss,
        "final_train_loss": last.train_loss,
        "final_valid_loss": last.valid_loss,
        "final_train_accuracy": last.train_accuracy,
        "final_valid_accuracy": last.valid_accuracy,
    }


def _prediction(runs: Runs) -> dict:
    image, target = runs.mnist.train_x[0], float(runs.mnist.train_y[0])
    start, trained = runs.linear.snapshots[0], runs.linear.params
    valid_scores = runs.valid_scores()
    train_scores = linear_model.predict(trained, runs.mnist.train_x)
    wrong = {
        name: int(((scores > 0) != (y == 1)).sum())
        for name, scores, y in (
            ("train", train_scores, runs.mnist.train_y),
            ("valid", valid_scores, runs.mnist.valid_y),
        )
    }
    return {
        "label": _digit(target),
        "random_score": float(linear_model.linear1(image, start["weights"], start["bias"])),
        "trained_score": float(linear_model.linear1(image, trained["weights"], trained["bias"])),
        "train_wrong": wrong["train"],
        "valid_wrong": wrong["valid"],
        "blank_verdict": "3" if float(trained["bias"]) > 0 else "7",
        "blank_score": float(
            linear_model.linear1(np.zeros(784), trained["weights"], trained["bias"])
        ),
    }


def _nudge(runs: Runs) -> dict:
    params = runs.linear.params
    nudged = {**params, "weights": params["weights"].copy()}
    nudged["weights"][NUDGED_PIXEL] += NUDGE
    x, y = runs.mnist.valid_x, runs.mnist.valid_y
    before = linear_model.validate_epoch(linear_model.predict, params, x, y)
    after = linear_model.validate_epoch(linear_model.predict, nudged, x, y)
    _, grads = linear_model.calc_grad(params, x, y)
    return {
        "nudge": NUDGE,
        "sample_size": sum(min(NUDGE_SAMPLE, int((y == label).sum())) for label in (1.0, 0.0)),
        "row": NUDGED_PIXEL // 28,
        "column": NUDGED_PIXEL % 28,
        "loss_before": before[0],
        "loss_after": after[0],
        "accuracy_before": before[1],
        "accuracy_after": after[1],
        "gradient": float(grads["weights"][NUDGED_PIXEL]),
    }


def _loss_examples() -> dict:
    examples = {}
    for name, (target, score) in LOSS_EXAMPLES.items():
        probability = float(linear_model.sigmoid(score))
        loss = linear_model.mnist_loss(np.array([score]), np.array([target]))
        examples[name] = {"score": score, "probability": probability, "loss": loss}
    return examples


def _cli_output(runs: Runs) -> dict:
    summary = cli.run_summary(runs.mnist, runs.linear)
    return {
        "train": cli.format_run(summary, timing=False),
        "baseline": cli.format_baseline(cli.baseline_summary(runs.mnist)),
        "apples_pears": cli.format_apples_pears(cli.apples_pears_summary()),
    }


def numbers(runs: Runs) -> dict:
    """Return every number the pages state, by name (nested dicts of plain values)."""
    mnist = runs.mnist
    walk = apples_pears.guessing_walk()
    fee_descent = runs.descent_with_fee
    story = apples_pears.make_receipts([apples_pears.STORY_BASKET])[0]
    return {
        "prediction": _prediction(runs),
        "nudge": _nudge(runs),
        "loss_examples": _loss_examples(),
        "cli": _cli_output(runs),
        "data": {
            "source": mnist.source,
            "train_size": len(mnist.train_x),
            "valid_size": len(mnist.valid_x),
            "train_threes": int((mnist.train_y == 1).sum()),
            "train_sevens": int((mnist.train_y == 0).sum()),
            "valid_threes": int((mnist.valid_y == 1).sum()),
            "valid_sevens": int((mnist.valid_y == 0).sum()),
        },
        "linear": {**_history(runs.linear), "bias": float(runs.linear.params["bias"])},
        "net": {**_history(runs.net), "hidden_units": neural_net.N_HIDDEN},
        "baseline": {
            "accuracy_3": runs.similarity.accuracy_3,
            "accuracy_7": runs.similarity.accuracy_7,
            "accuracy": runs.similarity.accuracy,
        },
        "learning_rates": {
            f"lr_{index}": {"learning_rate": rate, **_history(run)}
            for index, (rate, run) in enumerate(runs.learning_rates.items())
        },
        "apples_pears": {
            "story_apples": story.quantities[0],
            "story_pears": story.quantities[1],
            "story_total": story.total,
            "guess_apple": walk[0].prices[0],
            "guess_pear": walk[0].prices[1],
            "guess_total": walk[0].total,
            "scaled_apple": walk[1].prices[0],
            "scaled_pear": walk[1].prices[1],
            "scaled_total": walk[1].total,
            "scaled_apple_cost": story.quantities[0] * walk[1].prices[0],
            "scaled_pear_cost": story.quantities[1] * walk[1].prices[1],
            "line_pear_at_0": float(apples_pears.pear_prices_fitting(story, 0.0)),
            "line_pear_at_2": float(apples_pears.pear_prices_fitting(story, 2.0)),
            "true_apple": walk[2].prices[0],
            "true_pear": walk[2].prices[1],
            "true_total": walk[2].total,
            "n_receipts": len(runs.receipts_with_fee),
            "learned_apple": float(fee_descent.prices[-1][0]),
            "learned_pear": float(fee_descent.prices[-1][1]),
            "learned_fee": float(fee_descent.fees[-1]),
            "true_fee": apples_pears.BAG_FEE,
            "steps": len(fee_descent.losses) - 1,
            "learning_rate": apples_pears.LEARNING_RATE,
        },
    }


def _rounded(array: np.ndarray, digits: int) -> list:
    return [round(float(value), digits) for value in np.ravel(array)]


NUDGE_SAMPLE = 100
"""How many validation 3s, and as many 7s, the nudge widget computes its loss over."""

N_EXAMPLES = 10
"""How many validation 3s and 7s the drawing pad can load, of each digit."""


def _examples(mnist: data.MnistData) -> list[dict]:
    """Return real validation digits for the pad: a 3, a 7, a 3, ... as 0-255 grey levels."""
    threes = np.flatnonzero(mnist.valid_y == 1)[:N_EXAMPLES]
    sevens = np.flatnonzero(mnist.valid_y == 0)[:N_EXAMPLES]
    order = np.ravel(np.column_stack([threes, sevens]))
    return [
        {
            "label": _digit(mnist.valid_y[i]),
            "pixels": np.round(mnist.valid_x[i] * 255).astype(int).tolist(),
        }
        for i in order
    ]


def _nudge_sample(runs: Runs) -> dict:
    """Return a stratified sample of validation images (base64 uint8) and their labels."""
    rng = np.random.default_rng(runs.linear.recipe.seed)
    y = runs.mnist.valid_y
    chosen = np.sort(
        np.concatenate(
            [
                rng.choice(
                    np.flatnonzero(y == label),
                    min(NUDGE_SAMPLE, int((y == label).sum())),
                    replace=False,
                )
                for label in (1.0, 0.0)
            ]
        )
    )
    images = np.round(runs.mnist.valid_x[chosen] * 255).astype(np.uint8)
    return {
        "about": f"{len(chosen)} of the {len(y)} validation images, for the nudge widget",
        "weights": [float(w) for w in runs.linear.params["weights"]],
        "bias": float(runs.linear.params["bias"]),
        "labels": [int(label) for label in y[chosen]],
        "images_base64": base64.b64encode(images.tobytes()).decode(),
        "n_valid": len(y),
    }


def exports(runs: Runs) -> dict[str, dict]:
    """Return the JSON files the widgets read, by file name (plain values only)."""
    linear = runs.linear
    receipts = apples_pears.make_receipts()
    return {
        "model.json": {
            "about": "the trained linear model of the site: score = pixels . weights + bias",
            "data_source": runs.mnist.source,
            "weights": [float(w) for w in linear.params["weights"]],  # float32, exact
            "bias": float(linear.params["bias"]),
            "examples": _examples(runs.mnist),
        },
        "training.json": {
            "about": "the weights after each epoch (0 = random start) and the loss history",
            "epochs": list(range(len(linear.snapshots))),
            "weights": [_rounded(s["weights"], 4) for s in linear.snapshots],
            "train_loss": [stats.train_loss for stats in linear.history],
            "valid_loss": [stats.valid_loss for stats in linear.history],
            "valid_accuracy": [stats.valid_accuracy for stats in linear.history],
        },
        "nudge.json": _nudge_sample(runs),
        "receipts.json": {
            "about": "the receipts of lessons_code.apples_pears and the forum's first guess",
            "shops": {
                "no fee": [{"quantities": r.quantities, "total": r.total} for r in receipts],
                "bag fee": [
                    {"quantities": r.quantities, "total": r.total} for r in runs.receipts_with_fee
                ],
            },
            "true_prices": list(apples_pears.TRUE_PRICES),
            "bag_fee": apples_pears.BAG_FEE,
            "first_guess": list(apples_pears.FIRST_GUESS),
            "learning_rate": apples_pears.LEARNING_RATE,
        },
    }


@dataclass(frozen=True)
class FigureSpec:
    """One figure of the site: which function of `figures` draws it, from which results."""

    function: str  # the name of a function in lessons_code.figures
    inputs: Callable[[Runs], tuple]  # the results it is drawn from
    uses: tuple[str, ...]  # lessons_code modules whose code changes the figure

    def draw(self, runs: Runs) -> Figure:
        """Return the figure (matplotlib is imported only when a figure is drawn)."""
        figures = importlib.import_module("lessons_code.figures")
        return getattr(figures, self.function)(*self.inputs(runs))


FIGURES: dict[str, FigureSpec] = {
    "task": FigureSpec("digit_grid", task_figure_inputs, ("data",)),
    "mistakes": FigureSpec("digit_grid", mistakes_figure_inputs, ("data", "linear_model")),
    "weights": FigureSpec(
        "weights_heatmap",
        lambda runs: (runs.linear.params["weights"], runs.linear.snapshots[0]["weights"]),
        ("data", "linear_model"),
    ),
    "weights-over-epochs": FigureSpec(
        "weights_over_epochs",
        lambda runs: (runs.linear.snapshots, WEIGHT_EPOCHS),
        ("data", "linear_model"),
    ),
    "contribution": FigureSpec(
        "contribution_map",
        lambda runs: (
            runs.mnist.valid_x[0],
            runs.linear.params["weights"],
            runs.linear.params["bias"],
        ),
        ("data", "linear_model"),
    ),
    "bias-effect": FigureSpec(
        "bias_effect",
        lambda runs: (runs.valid_scores(), runs.mnist.valid_y, float(runs.linear.params["bias"])),
        ("data", "linear_model"),
    ),
    "loss-curves": FigureSpec(
        "loss_curves", lambda runs: (runs.linear.history,), ("data", "linear_model")
    ),
    "learning-rates": FigureSpec(
        "learning_rates", lambda runs: (runs.learning_rates,), ("data", "linear_model")
    ),
    "ideal-vs-weights": FigureSpec(
        "ideal_digits_vs_weights",
        lambda runs: (
            runs.similarity,
            runs.linear.params["weights"],
            runs.linear.snapshots[0]["weights"],
        ),
        ("data", "linear_model", "baseline"),
    ),
    "apples-pears-descent": FigureSpec(
        "apples_pears_descent",
        lambda runs: (apples_pears.make_receipts(), runs.descent),
        ("apples_pears",),
    ),
    "one-receipt-line": FigureSpec(
        "one_receipt_line",
        lambda runs: (
            apples_pears.make_receipts([apples_pears.STORY_BASKET])[0],
            apples_pears.make_receipts(),
        ),
        ("apples_pears",),
    ),
    "sigmoid": FigureSpec(
        "sigmoid_curve", lambda runs: (np.array(SIGMOID_SCORES),), ("linear_model",)
    ),
    "hidden-units": FigureSpec(
        "hidden_units",
        lambda runs: (runs.net.params["w1"], 10),
        ("data", "linear_model", "neural_net"),
    ),
}
