"""Every number the pages state, by name: a page says `{{ linear.bias:.3f }}` and the build
puts the number there, from `numbers(runs)`.
"""

from __future__ import annotations

import numpy as np

from lessons_code import apples_pears, linear_model, neural_net, summaries
from lessons_code.learner import TrainingRun, validate_epoch
from lessons_code.website.runs import (
    LOSS_EXAMPLES,
    NUDGE,
    NUDGE_SAMPLE,
    NUDGED_PIXEL,
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
    summary = summaries.run_summary(runs.mnist, runs.linear, linear_model.predict)
    return {
        "train": summaries.format_run(summary, timing=False),
        "baseline": summaries.format_baseline(summaries.baseline_summary(runs.mnist)),
        "apples_pears": summaries.format_apples_pears(summaries.apples_pears_summary(runs.story)),
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
    }
