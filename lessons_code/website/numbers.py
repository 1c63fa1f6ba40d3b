"""Every number the pages state, by name: a page says `{{ linear.bias:.3f }}` and the build
puts the number there, from `numbers(runs)`.
"""

from __future__ import annotations

import numpy as np

from lessons_code import (
    arrays,
    baseline,
    digits,
    learner,
    linear_model,
    summaries,
)
from lessons_code.website.pages import shared
from lessons_code.website.runs import (
    N_CONFUSED_PAIRS,
    PUBLISHED_ERRORS,
    TWO_CLASS_SCORES,
    Runs,
)


def _cli_output(runs: Runs) -> dict:
    summary = summaries.run_summary(runs.mnist, runs.linear, linear_model.predict)
    return {
        "train": summaries.format_run(summary, timing=False),
        "baseline": summaries.format_baseline(summaries.baseline_summary(runs.mnist)),
        "apples_pears": summaries.format_apples_pears(summaries.apples_pears_summary(runs.story)),
        "train_digits": summaries.format_digits(
            summaries.digits_summary(runs.ten_digits, runs.ten_linear, "linear"), timing=False
        ),
    }


def _shape(shape: tuple[int, ...]) -> str:
    """Return a shape as Python prints it: "(400, 28, 28)", "(200,)"."""
    return str(tuple(int(size) for size in shape))


def _arrays(mnist) -> dict:
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
        "stacked_threes_shape": _shape(stacked_threes.shape),
        "stacked_threes_rank": arrays.rank(stacked_threes),
        "image_shape": _shape(threes[0].shape),
        "mean3_shape": _shape(mean3.shape),
        "mean3_rank": arrays.rank(mean3),
        "valid_threes_shape": _shape(valid_threes.shape),
        "difference_shape": _shape((valid_threes - mean3).shape),
        "train_x_shape": _shape(train_x.shape),
        "train_y_shape": _shape((len(train_x), 1)),  # the chapter's unsqueeze(1)
        "rows_shape": _shape(valid_rows.shape),
        "ideal_shape": _shape(ideal_3.shape),
        "rows_difference_shape": _shape((valid_rows - ideal_3).shape),
        "distances_shape": _shape(baseline.mnist_distance(valid_rows, ideal_3).shape),
    }


def _dataloader(mnist) -> dict:
    recipe = linear_model.RECIPE
    dls = learner.dataloaders(mnist, recipe.batch_size, np.random.default_rng(recipe.seed))
    sizes = [len(xb) for xb, _ in dls.train]
    xb, yb = next(iter(dls.train))
    return {
        "batch_size": recipe.batch_size,
        "batches": len(dls.train),
        "last_batch_size": sizes[-1],
        "first_xb_shape": _shape(xb.shape),
        "first_yb_shape": _shape(yb.shape),
    }


def _first_image(runs: Runs) -> dict:
    """Return the linear model's ten scores for the first validation image, worked through."""
    image, digit = runs.ten_digits.valid_x[:1], int(runs.ten_digits.valid_y[0])
    scores = digits.predict(runs.ten_linear.params, image)  # (1, 10)
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


def _two_classes() -> dict:
    seven, three = TWO_CLASS_SCORES
    scores = np.array([[seven, three]])
    return {
        "score_7": seven,
        "score_3": three,
        "softmax_3": float(digits.softmax(scores)[0, 1]),
        "sigmoid": float(linear_model.sigmoid(three - seven)),
    }


def _ten_digits(runs: Runs) -> dict:
    mnist, confusion = runs.ten_digits, runs.ten_confusion
    per_digit = digits.per_class_accuracy(confusion)
    easiest, hardest = int(per_digit.argmax()), int(per_digit.argmin())
    pairs = digits.most_confused(confusion, N_CONFUSED_PAIRS)
    rates = runs.ten_learning_rates
    return {
        "train_size": len(mnist.train_x),
        "valid_size": len(mnist.valid_x),
        "chance": digits.CHANCE,
        "nearest_l1": runs.ten_nearest["l1"].accuracy,
        "nearest_l2": runs.ten_nearest["l2"].accuracy,
        "linear": shared.history(runs.ten_linear),
        "net": {**shared.history(runs.ten_net), "hidden_units": digits.N_HIDDEN},
        "right": int(np.trace(confusion)),
        "wrong": int(confusion.sum() - np.trace(confusion)),
        "easiest_digit": easiest,
        "easiest_accuracy": float(per_digit[easiest]),
        "hardest_digit": hardest,
        "hardest_accuracy": float(per_digit[hardest]),
        **{
            f"confused_{rank}": {"true": true, "said": said, "count": count}
            for rank, (true, said, count) in enumerate(pairs, start=1)
        },
        "first_image": _first_image(runs),
        "two_classes": _two_classes(),
        "unscaled_accuracy": runs.ten_unscaled.final_valid_accuracy,
        "two_class_loss_accuracy": runs.ten_two_class_loss.final_valid_accuracy,
        "learning_rates": {
            f"lr_{index}": {"learning_rate": rate, **shared.history(run)}
            for index, (rate, run) in enumerate(rates.items())
        },
    }


def _published() -> dict:
    return {
        **{f"{name}_error": error for name, error in PUBLISHED_ERRORS.items()},
        **{f"{name}_accuracy": 1 - error for name, error in PUBLISHED_ERRORS.items()},
    }


def numbers(runs: Runs) -> dict:
    """Return every number the pages state, by name (nested dicts of plain values)."""
    mnist = runs.mnist
    return {
        "cli": _cli_output(runs),
        "arrays": _arrays(mnist),
        "dataloader": _dataloader(mnist),
        "ten_digits": _ten_digits(runs),
        "published": _published(),
    }
