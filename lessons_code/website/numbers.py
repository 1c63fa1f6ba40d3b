"""Every number the pages state, by name: a page says `{{ linear.bias:.3f }}` and the build
puts the number there, from `numbers(runs)`.
"""

from __future__ import annotations

import numpy as np

from lessons_code import (
    apples_pears,
    arrays,
    baseline,
    learner,
    linear_model,
    neural_net,
    nn,
    summaries,
)
from lessons_code.learner import EpochStats, TrainingRun, validate_epoch
from lessons_code.website.runs import (
    GRAPH_BATCH,
    LOSS_EXAMPLES,
    NUDGE,
    NUDGE_SAMPLE,
    NUDGED_PIXEL,
    Runs,
    digit_name,
    wiggly_curve,
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


def _largest_difference(ours: list[EpochStats], theirs: list[EpochStats]) -> float:
    return max(
        abs(getattr(a, field) - getattr(b, field))
        for a, b in zip(ours, theirs, strict=True)
        for field in ("train_loss", "valid_loss", "train_accuracy", "valid_accuracy")
    )


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
        "learner_linear_largest_difference": _largest_difference(
            histories["linear"], runs.linear.history
        ),
        "learner_net_largest_difference": _largest_difference(histories["net"], runs.net.history),
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
        },
        "linear": {**_history(runs.linear), "bias": float(runs.linear.params["bias"])},
        "net": {
            **_history(runs.net),
            "hidden_units": neural_net.N_HIDDEN,
            **_collapsed_layers(runs.net, mnist.valid_x),
        },
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
        },
        "learning_rates": {
            f"lr_{index}": {"learning_rate": rate, **_history(run)}
            for index, (rate, run) in enumerate(runs.learning_rates.items())
        },
        "apples_pears": _apples_pears(runs.story),
    }
