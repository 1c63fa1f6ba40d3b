"""What "All ten digits" (docs/ten-digits.md) states: the ten-score models and baselines,
the confusion matrix and its most frequent mistakes, the learning rates compared, the
published results, and the ten-digit pad's data."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import PercentFormatter

from lessons_code import digits, linear_model, neural_net
from lessons_code.data import MnistData
from lessons_code.learner import TrainingRun
from lessons_code.website import style
from lessons_code.website.pages import shared
from lessons_code.website.register import figure, numbers, widget
from lessons_code.website.runs import Runs

N_CONFUSED_PAIRS = 3
"""How many of the most frequent mistakes the ten-digit page names."""


N_CONFUSED_EXAMPLES = 3
"""How many real validation images the ten-digit page shows of each of those mistakes."""


TWO_CLASS_SCORES = (1.0, 3.0)
"""A worked example: the scores of "7" and "3" whose softmax is the sigmoid of 3 - 1."""


PUBLISHED_ERRORS = {
    "lecun_linear": 0.12,  # LeCun's MNIST table: linear classifier (1-layer NN), 12.0% error
    "lecun_net_300": 0.047,  # the same table: 2-layer NN, 300 hidden units, 4.7% error
    "tensorflow_softmax": 0.08,  # TensorFlow's beginners' softmax regression: about 92%
}
"""Published test error rates on all ten digits, cited on the ten-digit page."""


@dataclass(frozen=True)
class Confusion:
    """The ten-digit linear model's answers on the validation set, counted."""

    matrix: np.ndarray  # (10, 10) row = the true digit, column = the digit the model said
    right: int  # the diagonal: the right answers
    pairs: list[tuple[int, int, int]]  # the N_CONFUSED_PAIRS most frequent (true, said, count)


def confusion(runs: Runs) -> Confusion:
    """Return the ten-digit linear model's confusion matrix and its most frequent mistakes."""
    scores = digits.ten_predict(runs.ten_linear.params, runs.ten_digits.valid_x)
    matrix = digits.confusion_matrix(scores, runs.ten_digits.valid_y)
    pairs = digits.most_confused(matrix, N_CONFUSED_PAIRS)
    return Confusion(matrix, int(np.trace(matrix)), pairs)


def confused_examples(runs: Runs) -> list[tuple[int, int, np.ndarray]]:
    """Return (true digit, said digit, images) of the most frequent mistakes."""
    mnist = runs.ten_digits
    said = digits.ten_predict(runs.ten_linear.params, mnist.valid_x).argmax(axis=1)
    return [
        (
            true,
            wrong,
            mnist.valid_x[(mnist.valid_y == true) & (said == wrong)][:N_CONFUSED_EXAMPLES],
        )
        for true, wrong, _ in confusion(runs).pairs
    ]


def confused_inputs(runs: Runs) -> tuple:
    """Return real examples of the most frequent mistakes, a row per mistake, captioned."""
    found = confused_examples(runs)
    images, captions, parts = [], [], []
    for true, said, examples in found:
        images += list(examples)
        captions += [f"a {true}, called {said}"] * len(examples)
        parts.append(f"{len(examples)} {true}s the model called {said}")
    alt = (
        "Real validation images behind the most frequent mistakes of the ten-digit linear "
        "model, one row per mistake: " + "; ".join(parts) + "."
    )
    return images, captions, alt, max(len(examples) for *_, examples in found)


figure("digit-confused-examples", inputs=confused_inputs)(shared.digit_grid)
figure("digit-learning-rates", inputs=lambda runs: (runs.ten_learning_rates,))(
    shared.learning_rate_curves
)


def first_image(runs: Runs) -> dict:
    """Return the linear model's ten scores for the first validation image, worked through."""
    image, digit = runs.ten_digits.valid_x[:1], int(runs.ten_digits.valid_y[0])
    scores = digits.ten_predict(runs.ten_linear.params, image)  # (1, 10)
    probabilities = digits.softmax(scores)[0]
    top = int(scores.argmax())
    return {
        "digit": digit,
        "score": float(scores[0, digit]),
        "probability": float(probabilities[digit]),
        "loss": digits.cross_entropy(scores, np.array([digit])),
        "top_digit": top,
        "top_score": float(scores[0, top]),
        "top_probability": float(probabilities[top]),
        "probability_sum": float(probabilities.sum()),
    }


def two_classes() -> dict:
    """Return softmax of the two scores TWO_CLASS_SCORES beside the sigmoid of their difference."""
    seven, three = TWO_CLASS_SCORES
    scores = np.array([[seven, three]])
    return {
        "score_7": seven,
        "score_3": three,
        "softmax_3": float(digits.softmax(scores)[0, 1]),
        "sigmoid": float(linear_model.sigmoid(three - seven)),
    }


LAST_EPOCHS = 5
"""The last epochs over which the page gives a run's range of validation accuracies: a
run whose steps are too large jumps from epoch to epoch, and its last epoch is a draw."""


def chaotic(run: TrainingRun) -> dict:
    """Return the lowest and highest validation accuracy of the run's LAST_EPOCHS epochs."""
    last = [stats.valid_accuracy for stats in run.history[-LAST_EPOCHS:]]
    return {"lowest_last": min(last), "highest_last": max(last), "last_epochs": len(last)}


SURE_SLOPE = 0.01
"""A score counts as a sure "no" when the sigmoid's slope there is below this share of its
largest, 1/4: mnist_loss learns next to nothing from it."""


def sure_no(run: TrainingRun, mnist: MnistData) -> float:
    """Return the share of validation images whose own digit's sigmoid score is a sure
    "no" after a ten-sigmoid run: a confident mistake, in mnist_loss's blind spot."""
    scores = digits.ten_predict(run.params, mnist.valid_x)
    own = scores[np.arange(len(scores)), mnist.valid_y]  # each image's own digit's score
    probabilities = linear_model.sigmoid(own)
    slope = probabilities * (1 - probabilities)
    return float(((own < 0) & (slope < SURE_SLOPE * 0.25)).mean())


@numbers("ten_digits")
def ten_digit_numbers(runs: Runs) -> dict:
    """Return the ten-digit runs and baselines, how each digit fares, the most frequent
    mistakes, the first validation image worked through, and the learning rates compared."""
    mnist, found = runs.ten_digits, confusion(runs)
    per_digit = digits.per_class_accuracy(found.matrix)
    easiest, hardest = int(per_digit.argmax()), int(per_digit.argmin())
    rates = runs.ten_learning_rates
    return {
        "train_size": len(mnist.train_x),
        "valid_size": len(mnist.valid_x),
        "one_image": 1 / len(mnist.valid_x),
        "chance": digits.CHANCE,
        "nearest_l1": runs.ten_nearest["l1"].accuracy,
        "nearest_l2": runs.ten_nearest["l2"].accuracy,
        "linear": shared.history(runs.ten_linear),
        "net": {**shared.history(runs.ten_net), "hidden_units": digits.N_HIDDEN},
        "right": found.right,
        "wrong": int(found.matrix.sum()) - found.right,
        "easiest_digit": easiest,
        "easiest_accuracy": float(per_digit[easiest]),
        "hardest_digit": hardest,
        "hardest_accuracy": float(per_digit[hardest]),
        **{
            f"confused_{rank}": {"true": true, "said": said, "count": count}
            for rank, (true, said, count) in enumerate(found.pairs, start=1)
        },
        "first_image": first_image(runs),
        "two_classes": two_classes(),
        "unscaled_accuracy": runs.ten_unscaled.final_valid_accuracy,
        "unscaled": chaotic(runs.ten_unscaled),
        "two_class_loss_accuracy": runs.ten_two_class_loss.final_valid_accuracy,
        "two_class_bce_accuracy": runs.ten_two_class_bce.final_valid_accuracy,
        "two_class_loss_sure": sure_no(runs.ten_two_class_loss, mnist),
        "sure_slope": SURE_SLOPE,
        "two_class_bce_sure": sure_no(runs.ten_two_class_bce, mnist),
        "net_chapter_hidden": {
            **shared.history(runs.ten_net_chapter_hidden),
            "hidden_units": neural_net.N_HIDDEN,
        },
        "learning_rates": {
            f"lr_{index}": {"learning_rate": rate, **shared.history(run), **chaotic(run)}
            for index, (rate, run) in enumerate(rates.items())
        },
    }


@numbers("published")
def published_numbers(runs: Runs) -> dict:
    """Return the published error rates PUBLISHED_ERRORS, and the accuracies they leave."""
    return {
        **{f"{name}_error": error for name, error in PUBLISHED_ERRORS.items()},
        **{f"{name}_accuracy": 1 - error for name, error in PUBLISHED_ERRORS.items()},
    }


TEMPLATE_DECIMALS = 4
"""Decimals kept of the ten-digit pad's weights: the scores move by under 0.01, the file
stays small."""


@widget("ten-digit-pad", "ten-digits.json")
def ten_digit_pad(runs: Runs) -> dict:
    """Return the trained ten-digit linear model: a template of 784 weights and a bias per
    digit."""
    params = runs.ten_linear.params
    return {
        "about": "the ten-digit linear model of the site: score of digit d = pixels . "
        "templates[d] + biases[d]",
        "templates": [shared.rounded(column, TEMPLATE_DECIMALS) for column in params["weights"].T],
        "biases": shared.rounded(params["bias"], TEMPLATE_DECIMALS),
    }


@figure("digit-templates", inputs=lambda runs: (runs.ten_linear.params["weights"],))
def digit_templates(weights: np.ndarray) -> Figure:
    """Return the ten columns of a 784 → 10 linear model as ten 28×28 heatmaps, one scale."""
    weights = np.asarray(weights, dtype=float)
    n_digits = weights.shape[1]
    limit = style.limit(weights)
    columns = style.columns(-(-n_digits // 2), 3)
    figure, axes = style.picture_grid(
        n_digits,
        columns,
        1.3,
        0.3,
        f"The {n_digits} columns of weights of the trained linear model, one per digit, each "
        f"drawn as a 28 by 28 picture on one colour scale (strongest weight {limit:.2f} away "
        f"from 0). Orange pixels raise that digit's score when they have ink, purple pixels "
        f"lower it: most templates show a rough outline of their digit in orange, with purple "
        f"where other digits put their ink.",
    )
    for digit, ax in enumerate(axes[:n_digits]):
        image = style.heatmap(ax, weights[:, digit], limit, f"“{digit}”")
    bar = style.colour_bar(figure, image, axes.tolist(), "weight", toward=False)
    bar.set_ticks(
        [-limit, 0, limit],
        labels=[
            f"{style.signed(-limit)}\nlowers\nthe score",
            "0",
            f"{style.signed(limit)}\nraises\nthe score",
        ],
    )
    return figure


CELL_INK = {"light": "#000000", "dark": "#ffffff"}  # text on a light and on a dark cell


@figure("digit-confusion", inputs=lambda runs: (confusion(runs),))
def confusion_heatmap(found: Confusion) -> Figure:
    """Return the 10 × 10 confusion matrix, the mistakes shaded, the named pairs outlined."""
    confusion, pairs, right = found.matrix, found.pairs, found.right
    n = len(confusion)
    mistakes = confusion.copy()
    np.fill_diagonal(mistakes, 0)
    named = "; ".join(
        f"a {true} called {said}, {count} time{'' if count == 1 else 's'}"
        for true, said, count in pairs
    )
    figure = style.new_figure(
        6.2,
        4.3,
        f"The confusion matrix of the linear model on the {confusion.sum():,} validation "
        f"images: one row per true digit, one column per digit the model said. The diagonal "
        f"holds the {right:,} right answers, each digit's count written in its cell; every "
        f"other cell is one kind of mistake, shaded darker the more often it happens, white "
        f"if it never does. The most frequent, outlined with their counts: {named}.",
    )
    ax = figure.add_subplot()
    most = max(int(mistakes.max()), 1)
    image = ax.imshow(mistakes, cmap=style.DIGIT_CMAP, vmin=0, vmax=most)
    counted = [(digit, digit) for digit in range(n)] + [(true, said) for true, said, _ in pairs]
    for true, said in counted:  # the other cells' shading says how often (the page stays light)
        count = int(confusion[true, said])
        dark_cell = true != said and count > most / 2
        ax.text(
            said,
            true,
            f"{count}",
            ha="center",
            va="center",
            fontsize=style.SMALLEST_TEXT_PT,
            fontweight="bold" if true == said else "normal",
            color=CELL_INK["dark" if dark_cell else "light"],
        )
    for true, said, _ in pairs:
        ax.add_patch(
            Rectangle(
                (said - 0.5, true - 0.5),
                1,
                1,
                fill=False,
                edgecolor=style.VERMILLION,
                linewidth=2.5,
            )
        )
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
    ax.xaxis.set_ticks_position("top")
    ax.xaxis.set_label_position("top")
    ax.set(xlabel="the digit the model said", ylabel="the true digit")
    for spine in ax.spines.values():
        spine.set_visible(True)
    bar = figure.colorbar(image, ax=ax, shrink=0.8, aspect=25, location=style.bar_side())
    bar.set_label("how often this mistake happens")
    bar.set_ticks([0, most], labels=["never", f"{most}×"])
    return figure


@figure(
    "ten-scores",
    inputs=lambda runs: (
        runs.ten_digits.valid_x[0],
        int(runs.ten_digits.valid_y[0]),
        runs.ten_linear.params,
    ),
)
def ten_scores(image: np.ndarray, digit: int, params: dict) -> Figure:
    """Return one image, the linear model's ten scores for it, and the ten probabilities
    softmax makes of them, the true digit's bar marked."""
    scores = digits.ten_predict(params, np.asarray(image)[None])[0]  # (1, 784) -> (10,)
    probabilities = digits.softmax(scores)
    top = int(scores.argmax())
    said = "right" if top == digit else f"wrong: it says {top}"
    figure = style.new_figure(
        2.7,
        5.2,
        f"The first validation image of this build, a {digit}, and the trained ten-digit "
        f"linear model's ten scores for it, one per digit, from {scores.min():.2f} to "
        f"{scores.max():.2f}; softmax turns them into ten probabilities that add up to "
        f"{probabilities.sum():.3f}. The highest score, {scores[top]:.2f} for the digit {top}, "
        f"gets the highest probability, {probabilities[top]:.1%}; the true digit {digit} gets "
        f"{probabilities[digit]:.1%}, so the model is {said}.",
    )
    picture, score_ax, probability_ax = style.pair_over_one(figure)
    style.digit(picture, image, f"a {digit}")
    colours = [style.GREEN if d == digit else style.BLUE for d in range(len(scores))]
    for ax, values, title in (
        (score_ax, scores, "ten scores"),
        (probability_ax, probabilities, "softmax: probabilities"),
    ):
        ax.bar(range(len(values)), values, color=colours)
        ax.axhline(0, color=style.ink(), linewidth=1)
        ax.set_xticks(range(len(values)))
        ax.set(title=title, xlabel="digit")
    score_ax.set_yticks(sorted({0.0, round(float(scores.min()), 1), round(float(scores.max()), 1)}))
    probability_ax.set_yticks([0, 0.5, 1])
    probability_ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    return figure
