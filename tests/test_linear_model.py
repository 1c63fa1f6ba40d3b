"""The linear model: hand-derived gradients, falling loss, reproducibility, the sigmoid."""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np
import pytest

from lessons_code import linear_model
from lessons_code.learner import RecipeError, check_recipe
from lessons_code.linear_model import (
    RECIPE,
    Recipe,
    batch_accuracy,
    calc_grad,
    linear1,
    mnist_loss,
    sigmoid,
    train,
)
from tests.support.gradcheck import numeric_grad, relative_error


def test_sigmoid_is_finite_and_silent_at_extremes():
    scores = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        probabilities = sigmoid(scores)
        probabilities32 = sigmoid(scores.astype(np.float32))
    assert np.all(np.isfinite(probabilities)) and np.all(np.isfinite(probabilities32))
    assert probabilities[0] == 0.0 and probabilities[-1] == 1.0
    assert probabilities[2] == 0.5


def test_sigmoid_matches_the_textbook_formula():
    scores = np.linspace(-20, 20, 81)
    np.testing.assert_allclose(sigmoid(scores), 1 / (1 + np.exp(-scores)), rtol=1e-12)


def test_linear1_is_pixels_times_weights_plus_bias():
    images = np.array([[1.0, 0.0, 0.5], [0.0, 0.0, 0.0]])
    weights = np.array([2.0, -3.0, 4.0])
    assert linear1(images, weights, 0.5).tolist() == [4.5, 0.5]  # a blank image scores the bias


def test_mnist_loss_is_distance_from_the_target_probability():
    assert mnist_loss(np.array([1000.0]), np.array([1.0])) == 0.0  # sure "3", and it is a 3
    assert mnist_loss(np.array([1000.0]), np.array([0.0])) == 1.0  # sure "3", but it is a 7
    assert mnist_loss(np.array([0.0, 0.0]), np.array([1.0, 0.0])) == 0.5


def test_batch_accuracy_uses_the_zero_line():
    predictions = np.array([2.0, -1.0, 0.5, -3.0])
    targets = np.array([1.0, 0.0, 0.0, 1.0])
    assert batch_accuracy(predictions, targets) == 0.5


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(1)
    xb = rng.uniform(0, 1, (16, 784))
    yb = (rng.uniform(size=16) > 0.5).astype(float)
    params = {"weights": rng.normal(0, 0.1, 784), "bias": np.array(0.3)}
    _, grads = calc_grad(params, xb, yb)

    def loss_fn(p):
        return mnist_loss(linear1(xb, p["weights"], p["bias"]), yb)

    indices = list(rng.choice(784, 60, replace=False))
    numeric_weights = numeric_grad(loss_fn, params, "weights", indices)
    assert relative_error(grads["weights"][indices], numeric_weights) <= 1e-6
    numeric_bias = numeric_grad(loss_fn, params, "bias", [()])
    assert relative_error(np.atleast_1d(grads["bias"]), numeric_bias) <= 1e-6


def test_chapter_recipe_is_the_default():
    assert (RECIPE.learning_rate, RECIPE.batch_size, RECIPE.epochs) == (1.0, 256, 20)
    params = linear_model.init_linear(np.random.default_rng(0))
    assert params["weights"].shape == (784,) and params["bias"].shape == ()


def test_loss_falls_and_accuracy_rises(tiny_data):
    run = train(tiny_data, Recipe(epochs=10, batch_size=32))
    losses = [stats.train_loss for stats in run.history]
    assert losses[-1] < losses[0] / 2
    assert run.history[-1].valid_accuracy > 0.9
    assert [stats.epoch for stats in run.history] == list(range(1, 11))


def test_same_seed_same_history_other_seed_other_history(tiny_data):
    recipe = Recipe(epochs=3, batch_size=50, seed=7)
    first, second = train(tiny_data, recipe), train(tiny_data, recipe)
    assert first.history == second.history
    assert first.params["weights"].tobytes() == second.params["weights"].tobytes()
    other = train(tiny_data, replace(recipe, seed=8))
    assert other.history != first.history


def test_snapshots_start_random_and_end_trained(tiny_data):
    run = train(tiny_data, Recipe(epochs=4, batch_size=50), keep_snapshots=True)
    assert len(run.snapshots) == 5  # epoch 0 (the random start) then 1..4
    np.testing.assert_array_equal(run.snapshots[-1]["weights"], run.params["weights"])
    assert not np.array_equal(run.snapshots[0]["weights"], run.params["weights"])


def test_training_never_changes_the_images(tiny_data):
    before = tiny_data.train_x.copy()
    train(tiny_data, Recipe(epochs=2))
    np.testing.assert_array_equal(tiny_data.train_x, before)


@pytest.mark.parametrize(
    "recipe", [Recipe(epochs=0), Recipe(batch_size=0), Recipe(learning_rate=-1.0)]
)
def test_impossible_recipes_are_refused(tiny_data, recipe):
    with pytest.raises(ValueError, match="must be"):
        train(tiny_data, recipe)


def test_binary_cross_entropy_is_minus_log_p_and_its_gradient_matches():
    scores = np.array([-800.0, -2.0, 0.0, 3.0, 800.0])
    targets = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # finite and silent, even for a sure mistake
        loss = linear_model.binary_cross_entropy(scores, targets)
    # -log of the probability of the true digit: 800 for a sure mistake at ±800.
    middle = [-np.log(1 - sigmoid(-2.0)), -np.log(sigmoid(0.0)), -np.log(sigmoid(3.0))]
    assert loss == pytest.approx((800 + sum(middle) + 800) / 5, rel=1e-12)
    rng = np.random.default_rng(3)
    xb, yb = rng.uniform(0, 1, (12, 784)), (rng.uniform(size=12) > 0.5).astype(float)
    params = {"weights": rng.normal(0, 0.1, 784), "bias": np.array(-0.2)}
    _, grads = calc_grad(params, xb, yb, loss=linear_model.BINARY_CROSS_ENTROPY)

    def loss_fn(p):
        return linear_model.binary_cross_entropy(linear1(xb, p["weights"], p["bias"]), yb)

    indices = list(rng.choice(784, 40, replace=False))
    numeric = numeric_grad(loss_fn, params, "weights", indices)
    assert relative_error(grads["weights"][indices], numeric) <= 1e-6


def test_one_step_changes_the_weights_by_a_weighted_sum_of_images(tiny_data):
    """Seed 000's deepest answer: the change is 3s added and 7s taken away, nothing else."""
    rng = np.random.default_rng(0)
    params = linear_model.init_linear(rng)
    xb, yb = tiny_data.train_x[:64].astype(float), tiny_data.train_y[:64]
    counts, change = linear_model.one_step_change(params, xb, yb, learning_rate=1.0)
    stepped = {name: value.astype(float).copy() for name, value in params.items()}
    _, grads = calc_grad(stepped, xb, yb)
    np.testing.assert_allclose(change, -1.0 * grads["weights"], atol=1e-12)
    np.testing.assert_allclose(
        change, sum(c * x for c, x in zip(counts, xb, strict=True)), atol=1e-12
    )
    assert np.all(counts[yb == 1] >= 0) and np.all(counts[yb == 0] <= 0)


def test_in_one_step_an_image_counts_by_how_unsure_the_model_is_not_how_wrong():
    """mnist_loss weighs an image by the sigmoid's slope p(1 - p): a sure mistake counts
    next to nothing, an unsure right answer the most (the prediction page's lesson)."""
    params = {"weights": np.array([1.0]), "bias": np.array(0.0)}
    xb = np.array([[-20.0], [-0.5], [0.5], [20.0]])  # scores -20, -0.5, 0.5, 20
    yb = np.array([1.0, 1.0, 1.0, 1.0])  # all 3s: the first two are mistakes
    counts, _ = linear_model.one_step_change(params, xb, yb, learning_rate=1.0)
    sure_mistake, unsure_mistake, unsure_right, sure_right = counts
    assert sure_mistake < 1e-7 * unsure_mistake  # the most wrong counts least
    assert unsure_mistake == pytest.approx(unsure_right)  # the same slope either side of 0
    assert sure_right < 1e-7 * unsure_right
    p = linear_model.sigmoid(-0.5)
    assert unsure_mistake == pytest.approx(p * (1 - p) / 4)


def test_ascending_the_pixels_adds_the_weights_and_raises_the_score():
    weights = np.array([2.0, -1.0, 0.5, 0.0])
    images = linear_model.ascend_pixels(weights, steps=4, learning_rate=0.25)
    assert images.shape == (5, 4) and images.min() >= 0 and images.max() <= 1
    scores = images @ weights
    assert np.all(np.diff(scores) >= 0)
    assert images[-1].tolist() == [1.0, 0.0, 0.5, 0.0]  # the weight pattern, clipped


def test_ascent_draws_noise_from_the_chapters_start_and_a_template_from_a_small_one():
    """The prediction page: the ascent's noise is the std-1 start left in the weights."""
    from lessons_code import data

    mnist = data.load_threes_sevens()
    inked = {
        name: (linear_model.ascend_pixels(run.params["weights"], 20, 0.05)[-1] > 0.5).mean()
        for name, run in (
            ("chapter", linear_model.train(mnist)),
            ("small", linear_model.train(mnist, init=linear_model.init_like_nn_linear)),
        )
    }
    assert inked["small"] < 0.1 < 0.2 < inked["chapter"]


def test_the_chapters_recipe_keeps_its_steps_on_a_smaller_set():
    assert RECIPE.epochs_on(12_396) == 20  # MNIST_SAMPLE: 49 batches, 980 steps
    assert RECIPE.epochs_on(800) == 245  # 4 batches an epoch: 980 steps
    assert RECIPE.epochs_on(60_000) == 20  # never fewer than the recipe's epochs
    assert Recipe(epochs=3).epochs_on(800) == 3  # a plain recipe counts its own epochs


def test_train_with_another_start_and_another_loss(tiny_data):
    recipe = Recipe(epochs=3, batch_size=50)
    small = train(tiny_data, recipe, init=linear_model.init_like_nn_linear)
    assert np.abs(small.initial["weights"]).max() <= 1 / 28
    entropy = train(tiny_data, recipe, loss=linear_model.BINARY_CROSS_ENTROPY)
    assert entropy.history[0].train_loss != train(tiny_data, recipe).history[0].train_loss


def test_watching_each_epoch_changes_nothing_in_the_run(tiny_data):
    """The command line prints rows through on_epoch; the run must be the same bytes."""
    recipe = replace(linear_model.RECIPE, epochs=4, batch_size=50)
    seen = []
    watched = linear_model.train(tiny_data, recipe, on_epoch=seen.append)
    plain = linear_model.train(tiny_data, recipe)
    assert seen == plain.history == watched.history
    for name, value in plain.params.items():
        assert value.tobytes() == watched.params[name].tobytes(), name


def test_saturated_means_every_sigmoid_is_flat():
    assert linear_model.saturated(np.array([1e10, -1e10, 40.0, np.nan]))
    assert not linear_model.saturated(np.array([1e10, -1e10, 0.5]))


def test_a_batch_larger_than_the_training_set_is_refused():
    with pytest.raises(RecipeError, match="at most the 800 training images"):
        check_recipe(replace(linear_model.RECIPE, batch_size=801), n_train=800)
    check_recipe(replace(linear_model.RECIPE, batch_size=800), n_train=800)


def test_a_summed_loss_steps_as_the_mean_at_batch_size_times_the_rate():
    rng = np.random.default_rng(0)
    xb, yb = rng.uniform(0, 1, (16, 784)), (rng.uniform(size=16) > 0.5).astype(float)
    params = {"weights": rng.normal(size=784), "bias": np.float64(0.3)}
    _, mean_grads = linear_model.calc_grad(params, xb, yb)
    summed = [linear_model.calc_grad(params, xb[[i]], yb[[i]])[1] for i in range(16)]
    for name in params:
        np.testing.assert_allclose(sum(g[name] for g in summed), 16 * mean_grads[name])


def test_a_score_column_against_a_target_row_scores_every_image_by_every_label():
    scores, targets = np.array([3.0, -2.0, 0.5]), np.array([1.0, 0.0, 0.0])
    probabilities = linear_model.sigmoid(scores)
    table = linear_model.mnist_loss(scores[:, None], targets)  # (3, 1) against (3,): (3, 3)
    share_of_threes = targets.mean()  # each score meets every target, its own or not
    expected = (
        share_of_threes * (1 - probabilities) + (1 - share_of_threes) * probabilities
    ).mean()
    assert table == pytest.approx(expected)
    assert table != pytest.approx(linear_model.mnist_loss(scores, targets))
