"""Every number the pages state, by name: a page says `{{ linear.bias:.3f }}` and the build
puts the number there, from `numbers(runs)`.
"""

from __future__ import annotations

import numpy as np

from lessons_code import apples_pears, digits, linear_model, neural_net, summaries
from lessons_code.learner import TrainingRun, validate_epoch
from lessons_code.website.runs import (
    LOSS_EXAMPLES,
    N_CONFUSED_PAIRS,
    NUDGE,
    NUDGE_SAMPLE,
    NUDGED_PIXEL,
    PUBLISHED_ERRORS,
    TWO_CLASS_SCORES,
    Runs,
    digit_name,
)


def _history(run: TrainingRun) -> dict:
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
        "label": digit_name(target),
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
    before, after = (
        validate_epoch(
            linear_model.predict, p, x, y, linear_model.mnist_loss, linear_model.batch_accuracy
        )
        for p in (params, nudged)
    )
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
    summary = summaries.run_summary(runs.mnist, runs.linear)
    return {
        "train": summaries.format_run(summary, timing=False),
        "baseline": summaries.format_baseline(summaries.baseline_summary(runs.mnist)),
        "apples_pears": summaries.format_apples_pears(summaries.apples_pears_summary(runs.story)),
        "train_digits": summaries.format_digits(
            summaries.digits_summary(runs.ten_digits, runs.ten_linear, "linear"), timing=False
        ),
    }


def _apples_pears(story: apples_pears.Story) -> dict:
    walk, receipt, descent = story.walk, story.receipt, story.descent_with_fee
    return {
        "story_apples": receipt.quantities[0],
        "story_pears": receipt.quantities[1],
        "story_total": receipt.total,
        "guess_apple": walk[0].prices[0],
        "guess_pear": walk[0].prices[1],
        "guess_total": walk[0].total,
        "scaled_apple": walk[1].prices[0],
        "scaled_pear": walk[1].prices[1],
        "scaled_total": walk[1].total,
        "scaled_apple_cost": receipt.quantities[0] * walk[1].prices[0],
        "scaled_pear_cost": receipt.quantities[1] * walk[1].prices[1],
        "line_pear_at_0": float(apples_pears.pear_prices_fitting(receipt, 0.0)),
        "line_pear_at_2": float(apples_pears.pear_prices_fitting(receipt, 2.0)),
        "true_apple": walk[2].prices[0],
        "true_pear": walk[2].prices[1],
        "true_total": walk[2].total,
        "n_receipts": len(story.receipts_with_fee),
        "learned_apple": float(descent.prices[-1][0]),
        "learned_pear": float(descent.prices[-1][1]),
        "learned_fee": float(descent.fees[-1]),
        "true_fee": apples_pears.BAG_FEE,
        "steps": len(descent.losses) - 1,
        "learning_rate": apples_pears.LEARNING_RATE,
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
        "linear": _history(runs.ten_linear),
        "net": {**_history(runs.ten_net), "hidden_units": digits.N_HIDDEN},
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
            f"lr_{index}": {"learning_rate": rate, **_history(run)}
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
        "apples_pears": _apples_pears(runs.story),
        "ten_digits": _ten_digits(runs),
        "published": _published(),
    }
