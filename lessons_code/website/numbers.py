"""Every number the pages state, by name: a page says `{{ linear.bias:.3f }}` and the build
puts the number there, from `numbers(runs)`.
"""

from __future__ import annotations

import numpy as np

from lessons_code import (
    apples_pears,
    arrays,
    baseline,
    digits,
    learner,
    linear_model,
    neural_net,
    nn,
    summaries,
)
from lessons_code.data import digit_name
from lessons_code.learner import TrainingRun, validate_epoch
from lessons_code.website import lab
from lessons_code.website.runs import (
    ASCENT_RATE,
    GRAPH_BATCH,
    LOSS_EXAMPLES,
    N_CONFUSED_PAIRS,
    NUDGE,
    NUDGE_SAMPLE,
    NUDGED_PIXEL,
    PUBLISHED_ERRORS,
    SATURATED_SCORE,
    TWO_CLASS_SCORES,
    VARIANT_BATCH_SIZE,
    VARIANT_EPOCHS,
    VARIANT_LEARNING_RATE,
    Runs,
    wiggly_curve,
)


def _history(run: TrainingRun) -> dict:
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
    random_score = float(linear_model.linear1(image, start["weights"], start["bias"]))
    trained_score = float(linear_model.linear1(image, trained["weights"], trained["bias"]))
    return {
        "label": digit_name(target),
        "random_score": random_score,
        "random_verdict": "3" if random_score > 0 else "7",
        "trained_score": trained_score,
        "trained_verdict": "3" if trained_score > 0 else "7",
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
    says_3 = [linear_model.predict(p, x) > 0 for p in (params, nudged)]
    return {
        "nudge": NUDGE,
        "crossed": int((says_3[0] != says_3[1]).sum()),  # validation images that changed side
        "sample_size": sum(min(NUDGE_SAMPLE, int((y == label).sum())) for label in (1.0, 0.0)),
        "row": NUDGED_PIXEL // 28,
        "column": NUDGED_PIXEL % 28,
        "loss_before": before[0],
        "loss_after": after[0],
        "accuracy_before": before[1],
        "accuracy_after": after[1],
        "gradient": float(grads["weights"][NUDGED_PIXEL]),
    }


def _saturated(run: TrainingRun, x: np.ndarray) -> float:
    """Return the fraction of images whose score is so far from 0 that mnist_loss is flat."""
    return float((np.abs(linear_model.predict(run.params, x)) > SATURATED_SCORE).mean())


def _never_inked(runs: Runs) -> dict:
    blank = runs.never_inked()
    start, trained = runs.linear.initial["weights"], runs.linear.params["weights"]
    return {
        "pixels": int(blank.sum()),
        "mean_abs_weight_there": float(np.abs(trained[blank]).mean()),
        "mean_abs_weight_inside": float(np.abs(trained[~blank]).mean()),
        "largest_change_there": float(np.abs(trained[blank] - start[blank]).max(initial=0)),
    }


def _templates(runs: Runs) -> dict:
    weights, bias = runs.templates
    x, y = runs.mnist.valid_x.astype(np.float64), runs.mnist.valid_y
    ink = {
        digit: float(runs.mnist.train_x[runs.mnist.train_y == t].sum(axis=1).mean())
        for digit, t in (("3", 1), ("7", 0))
    }
    return {
        "bias": bias,
        "accuracy": linear_model.batch_accuracy(x @ weights + bias, y),
        "accuracy_without_bias": linear_model.batch_accuracy(x @ weights, y),
        "l2_accuracy": runs.similarity_l2.accuracy,
        "ink_3": ink["3"],
        "ink_7": ink["7"],
    }


def _bias(runs: Runs) -> dict:
    scores, y = runs.valid_scores().astype(np.float64), runs.mnist.valid_y
    shifts = np.round(np.arange(-10, 10.001, 0.1), 1)
    accuracies = np.array([linear_model.batch_accuracy(scores + s, y) for s in shifts])
    best = max(range(len(shifts)), key=lambda i: (accuracies[i], -abs(shifts[i])))
    start, trained = float(runs.linear.initial["bias"]), float(runs.linear.params["bias"])
    return {
        "start": start,
        "trained": trained,
        "moved": abs(trained - start),
        "typical_score": float(np.median(np.abs(scores))),
        "best_shift": float(shifts[best]),
        "best_accuracy": float(accuracies[best]),
    }


def _surest_mistake(runs: Runs) -> dict:
    _, targets, scores = runs.mistakes["valid"]
    score = float(scores[0])
    probability = float(linear_model.sigmoid(score))
    return {
        "digit": digit_name(targets[0]),
        "score": score,
        "probability": probability,
        "slope": probability * (1 - probability),
        "slope_share": probability * (1 - probability) / 0.25,  # of the slope at p = 0.5
    }


def _first_step(runs: Runs) -> dict:
    _, y, counts, change = runs.first_step
    threes = y == 1
    most_possible = linear_model.RECIPE.learning_rate * 0.25 / len(y)  # the sigmoid's slope <= 1/4
    return {
        "images": len(y),
        "threes": int(threes.sum()),
        "sevens": int((~threes).sum()),
        "threes_added": float(counts[threes].sum()),
        "sevens_subtracted": float(-counts[~threes].sum()),
        "largest_count": float(np.abs(counts).max()),
        "most_possible": most_possible,
        "mean_share": float(np.abs(counts).mean() / most_possible),
        "largest_change": float(np.abs(change).max()),
    }


def _ascent(runs: Runs) -> dict:
    weights, bias = (
        runs.linear.params["weights"].astype(np.float64),
        float(runs.linear.params["bias"]),
    )
    scores = runs.ascent @ weights + bias
    valid_threes = runs.valid_scores()[runs.mnist.valid_y == 1]
    return {
        "steps": len(runs.ascent) - 1,
        "learning_rate": ASCENT_RATE,
        "final_score": float(scores[-1]),
        "inked": float((runs.ascent[-1] > 0.5).mean()),
        "largest_real_three": float(valid_threes.max()),
    }


VARIANT_NAMES = {
    "chapter": "the chapter's recipe",
    "small_start": "starting weights as small as nn.Linear's",
    "learning_rate": f"learning rate {VARIANT_LEARNING_RATE:g}",
    "batch_size": f"batches of {VARIANT_BATCH_SIZE}",
    "epochs": f"{VARIANT_EPOCHS} epochs of the chapter's, not {linear_model.RECIPE.epochs}",
    "cross_entropy": "binary cross-entropy for the loss",
}


MNIST_SAMPLE_VALID_SIZE = 2_038
"""Validation images of fastai's MNIST_SAMPLE: every 3 and 7 of MNIST's test set."""

CHANCE_IMAGES = 3
"""Two accuracies closer than this many validation images are "about the same"."""


def _verdict(accuracy: float, reference: float, n_valid: int) -> str:
    """Return "better", "worse" or "about the same" for an accuracy against a reference."""
    if abs(accuracy - reference) * n_valid < CHANCE_IMAGES:
        return "about the same"
    return "better" if accuracy > reference else "worse"


def _variants(runs: Runs) -> dict:
    reference, n_valid = runs.linear.final_valid_accuracy, len(runs.mnist.valid_x)
    return {
        name: {
            **_history(run),
            "change": VARIANT_NAMES[name],
            "verdict": _verdict(run.final_valid_accuracy, reference, n_valid),
        }
        for name, run in runs.variants.items()
    }


WORKED = (0.2, 0.8)
"""A prediction that moves from this probability of "3" to that one."""


def _worked() -> dict:
    scores = np.log(np.array(WORKED) / (1 - np.array(WORKED)))  # the scores behind them
    loss = {
        (digit, moment): linear_model.mnist_loss(scores[[i]], np.array([target]))
        for digit, target in (("three", 1.0), ("seven", 0.0))
        for i, moment in enumerate(("before", "after"))
    }
    return {
        "before": WORKED[0],
        "after": WORKED[1],
        **{f"{digit}_{moment}": value for (digit, moment), value in loss.items()},
    }


def _thresholds(runs: Runs) -> dict:
    scores, y = runs.valid_scores(), runs.mnist.valid_y
    on_probability = linear_model.sigmoid(scores) > 0.5
    return {
        "disagree": int(((scores > 0) != on_probability).sum()),
        "score_above_half": float(((scores > 0.5) == (y == 1)).mean()),
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


def _linear(runs: Runs) -> dict:
    run, mnist = runs.linear, runs.mnist
    start_scores = linear_model.predict(run.initial, mnist.train_x)
    start_valid = linear_model.predict(run.initial, mnist.valid_x)
    return {
        **_history(run),
        "bias": float(run.params["bias"]),
        "initial_train_loss": linear_model.mnist_loss(start_scores, mnist.train_y),
        "mean_change": float(np.abs(run.params["weights"] - run.initial["weights"]).mean()),
        "mean_start": float(np.abs(run.initial["weights"]).mean()),
        "initial_valid_accuracy": linear_model.batch_accuracy(start_valid, mnist.valid_y),
        "chapter_steps_per_epoch": -(-learner.MNIST_SAMPLE_TRAIN_SIZE // run.recipe.batch_size),
        "chapter_train_size": learner.MNIST_SAMPLE_TRAIN_SIZE,
    }


def _net(runs: Runs) -> dict:
    units = neural_net.describe_hidden_units(runs.net.initial["w1"], runs.net.params["w1"])
    small_start = runs.variants["small_start"].final_valid_accuracy
    gain = runs.net.final_valid_accuracy - small_start
    return {
        **_history(runs.net),
        "hidden_units": neural_net.N_HIDDEN,
        "barely_moved": units.barely_moved,
        "same_pattern": units.same_pattern,
        "barely": neural_net.BARELY,
        "alike": neural_net.ALIKE,
        "gain_over_small_start": gain,
        "against_small_start": {
            "better": "higher than",
            "worse": "lower than",
            "about the same": "about the same as",
        }[_verdict(runs.net.final_valid_accuracy, small_start, len(runs.mnist.valid_x))],
        "gain_images": gain * len(runs.mnist.valid_x),
        **_collapsed_layers(runs.net, runs.mnist.valid_x),
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


def _autograd(runs: Runs) -> dict:
    """Our autograd's gradients beside the hand-derived ones, in float64, on this data."""
    mnist, seed = runs.mnist, linear_model.RECIPE.seed
    n_images = linear_model.RECIPE.batch_size
    xb, yb = mnist.train_x[:n_images].astype(np.float64), mnist.train_y[:n_images].astype(float)

    def float64(params: dict) -> dict:
        return {name: value.astype(np.float64) for name, value in params.items()}

    start = float64(linear_model.init_linear(np.random.default_rng(seed)))
    _, by_hand = linear_model.calc_grad(start, xb, yb)
    model = nn.Linear(start["weights"], start["bias"])
    nn.calc_grad(xb, yb, model)
    net_start = float64(neural_net.init_net(np.random.default_rng(seed)))
    _, net_by_hand = neural_net.calc_grad(net_start, xb, yb)
    net = nn.Sequential(
        nn.Linear(net_start["w1"], net_start["b1"]),
        nn.ReLU(),
        nn.Linear(net_start["w2"], net_start["b2"]),
    )
    nn.calc_grad(xb, yb, net)
    net_difference = max(
        float(np.abs(p.grad - net_by_hand[name]).max())
        for name, p in zip(("w1", "b1", "w2", "b2"), net.parameters(), strict=True)
    )

    twice = nn.Linear(start["weights"], start["bias"])  # the chapter's batch = train_x[:4]
    nn.calc_grad(xb[:GRAPH_BATCH], yb[:GRAPH_BATCH], twice)
    once = {"weights_mean": float(twice.weights.grad.mean()), "bias": float(twice.bias.grad)}
    nn.calc_grad(xb[:GRAPH_BATCH], yb[:GRAPH_BATCH], twice)
    histories = runs.learner_histories
    return {
        "batch_size": n_images,
        "graph_batch": GRAPH_BATCH,
        "parameters": len(model.weights.data) + 1,
        "bias_grad_by_hand": float(by_hand["bias"]),
        "bias_grad_autograd": float(model.bias.grad),
        "weights_grad_mean_by_hand": float(by_hand["weights"].mean()),
        "weights_grad_mean_autograd": float(model.weights.grad.mean()),
        "linear_largest_difference": max(
            float(np.abs(model.weights.grad - by_hand["weights"]).max()),
            abs(float(model.bias.grad - by_hand["bias"])),
        ),
        "net_parameters": sum(p.data.size for p in net.parameters()),
        "net_largest_difference": net_difference,
        "once_weights_grad_mean": once["weights_mean"],
        "once_bias_grad": once["bias"],
        "twice_weights_grad_mean": float(twice.weights.grad.mean()),
        "twice_bias_grad": float(twice.bias.grad),
        "twice_over_once": float(twice.bias.grad) / once["bias"],
        "learner_linear_final_valid_accuracy": histories["linear"][-1].valid_accuracy,
        "learner_net_final_valid_accuracy": histories["net"][-1].valid_accuracy,
        "learner_linear_identical_epochs": sum(
            a == b for a, b in zip(histories["linear"], runs.linear.history, strict=True)
        ),
        "learner_net_identical_epochs": sum(
            a == b for a, b in zip(histories["net"], runs.net.history, strict=True)
        ),
    }


def _collapsed_layers(run: TrainingRun, x: np.ndarray) -> dict:
    """Two linear layers with no ReLU between them are one: the trained net's, checked."""
    p = {name: value.astype(np.float64) for name, value in run.params.items()}
    x = x.astype(np.float64)
    two_layers = (x @ p["w1"] + p["b1"]) @ p["w2"] + p["b2"]
    one_layer = x @ (p["w1"] @ p["w2"]) + (p["b1"] @ p["w2"] + p["b2"])  # (784,) and ()
    return {
        "collapsed_weights": len(p["w1"] @ p["w2"]),
        "collapsed_largest_difference": float(np.abs(two_layers - one_layer).max()),
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
    _, curve = wiggly_curve()
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
            "one_image": 1 / len(mnist.valid_x),
            "mnist_sample_train_size": learner.MNIST_SAMPLE_TRAIN_SIZE,
            "mnist_sample_valid_size": MNIST_SAMPLE_VALID_SIZE,
            "half_train_size": len(mnist.train_x) // 2,
            "half": _history(runs.half_data),
            "chance_images": CHANCE_IMAGES,
            "majority": max(float(mnist.valid_y.mean()), 1 - float(mnist.valid_y.mean())),
        },
        "linear": _linear(runs),
        "net": _net(runs),
        "relu_pieces": {
            f"fit_{index}": {"units": n, "largest_miss": float(np.abs(fit - curve).max())}
            for index, (n, fit) in enumerate(runs.relu_fits.items())
        },
        "arrays": _arrays(mnist),
        "dataloader": _dataloader(mnist),
        "autograd": _autograd(runs),
        "baseline": {
            "accuracy_3": runs.similarity.accuracy_3,
            "accuracy_7": runs.similarity.accuracy_7,
            "accuracy": runs.similarity.accuracy,
            "l2_accuracy": runs.similarity_l2.accuracy,
        },
        "learning_rates": {
            f"lr_{index}": {
                "learning_rate": rate,
                **_history(run),
                "saturated": _saturated(run, mnist.train_x),
            }
            for index, (rate, run) in enumerate(runs.learning_rates.items())
        },
        "never_inked": _never_inked(runs),
        "templates": _templates(runs),
        "bias": _bias(runs),
        "surest_mistake": _surest_mistake(runs),
        "first_step": _first_step(runs),
        "ascent": _ascent(runs),
        "worked": _worked(),
        "thresholds": _thresholds(runs),
        "variants": _variants(runs),
        "apples_pears": _apples_pears(runs.story),
        "ten_digits": _ten_digits(runs),
        "published": _published(),
        "lab": lab.numbers(runs),
    }
