"""All ten digits: softmax and cross-entropy stay finite, every gradient matches finite
differences, two classes reduce to the chapter's sigmoid, and the models learn."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import numpy as np
import pytest

from lessons_code import data, digits, linear_model
from lessons_code.linear_model import sigmoid
from tests.support.gradcheck import numeric_grad, relative_error


def test_softmax_is_finite_and_sums_to_one_even_at_1000():
    scores = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0], [1.0, 2.0, 3.0]])
    probabilities = digits.softmax(scores)
    assert np.isfinite(probabilities).all()
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    np.testing.assert_allclose(probabilities[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(probabilities[1], [1 / 3] * 3)
    naive = np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()
    np.testing.assert_allclose(probabilities[2], naive)


def test_cross_entropy_is_minus_log_of_the_right_digits_probability():
    scores = np.array([[2.0, 1.0, 0.1], [0.5, 0.5, 3.0]])
    targets = np.array([0, 1])
    probabilities = digits.softmax(scores)
    expected = -(np.log(probabilities[0, 0]) + np.log(probabilities[1, 1])) / 2
    assert digits.cross_entropy(scores, targets) == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(digits.log_softmax(scores), np.log(probabilities))


def test_cross_entropy_stays_finite_when_the_model_is_sure_and_wrong():
    scores = np.array([[1000.0, -1000.0]])
    assert digits.cross_entropy(scores, np.array([1])) == pytest.approx(2000.0)
    assert digits.cross_entropy(scores, np.array([0])) == 0.0
    assert np.isfinite(digits.cross_entropy_grad(scores, np.array([1]))).all()


def float64(params: dict) -> dict:
    return {name: value.astype(np.float64) for name, value in params.items()}


def check_gradients(calc_grad, forward, loss, params, xb, yb, rng):
    _, grads = calc_grad(params, xb, yb)
    for name in params:
        flat = [np.unravel_index(i, params[name].shape) for i in range(params[name].size)]
        chosen = [flat[i] for i in rng.choice(len(flat), min(40, len(flat)), replace=False)]
        analytic = np.array([grads[name][index] for index in chosen])
        numeric = numeric_grad(lambda p: loss(forward(p, xb), yb), params, name, chosen)
        assert relative_error(analytic, numeric) <= 1e-6, name


@pytest.fixture
def batch():
    rng = np.random.default_rng(4)
    return rng.uniform(0, 1, (12, 784)), rng.integers(0, 10, 12), rng


def test_cross_entropy_grad_matches_finite_differences():
    rng = np.random.default_rng(5)
    scores, targets = rng.normal(0, 3, (6, 10)), rng.integers(0, 10, 6)
    numeric = numeric_grad(
        lambda p: digits.cross_entropy(p["scores"], targets),
        {"scores": scores},
        "scores",
        list(np.ndindex(scores.shape)),
    )
    analytic = digits.cross_entropy_grad(scores, targets).ravel()
    assert relative_error(analytic, numeric) <= 1e-6


def test_linear_gradient_matches_finite_differences(batch):
    xb, yb, rng = batch
    params = float64(digits.ten_init_linear(np.random.default_rng(6)))
    params["bias"] = rng.normal(0, 0.1, 10)  # not all zero: every bias is checked off 0
    check_gradients(digits.calc_grad, digits.ten_predict, digits.cross_entropy, params, xb, yb, rng)


def test_net_backprop_matches_finite_differences(batch):
    xb, yb, rng = batch
    params = float64(digits.ten_init_net(np.random.default_rng(7), n_hidden=16))
    check_gradients(
        digits.ten_net_calc_grad, digits.ten_simple_net, digits.cross_entropy, params, xb, yb, rng
    )


def test_the_two_class_loss_gradient_matches_finite_differences(batch):
    xb, yb, rng = batch
    params = float64(digits.ten_init_linear(np.random.default_rng(8)))
    check_gradients(
        digits.two_class_loss_calc_grad,
        digits.ten_predict,
        digits.two_class_loss,
        params,
        xb,
        yb,
        rng,
    )


def test_the_two_class_loss_gradient_with_binary_cross_entropy_matches(batch):
    xb, yb, rng = batch
    params = float64(digits.ten_init_linear(np.random.default_rng(9)))
    bce = linear_model.BINARY_CROSS_ENTROPY
    check_gradients(
        partial(digits.two_class_loss_calc_grad, loss=bce),
        digits.ten_predict,
        partial(digits.two_class_loss, loss=bce),
        params,
        xb,
        yb,
        rng,
    )


def test_ten_sigmoids_learn_with_binary_cross_entropy_where_mnist_loss_is_stuck():
    """The ten-digit page: ten "this digit or not?" scores fail with mnist_loss (its blind
    spot), not for lack of competition: with binary cross-entropy they work."""
    ten = data.load_digits()
    stuck = digits.train_linear_two_class_loss(ten).final_valid_accuracy
    working = digits.train_linear_two_class_loss(ten, loss=linear_model.BINARY_CROSS_ENTROPY)
    assert stuck < 0.5 < 0.8 < working.final_valid_accuracy


def test_with_two_classes_softmax_and_cross_entropy_are_the_sigmoid_and_its_loss():
    """Scores (a 7's, a 3's): softmax gives the 3 sigmoid(score_3 - score_7), and the
    cross-entropy and its gradient are binary cross-entropy's of that one score."""
    rng = np.random.default_rng(9)
    scores = rng.normal(0, 4, (50, 2))  # column 0: "7", column 1: "3"
    targets = (rng.uniform(size=50) > 0.5).astype(float)  # 1 for a 3, as in the chapter
    one_score = scores[:, 1] - scores[:, 0]
    np.testing.assert_allclose(digits.softmax(scores)[:, 1], sigmoid(one_score), atol=1e-15)
    assert digits.cross_entropy(scores, targets) == pytest.approx(
        linear_model.binary_cross_entropy(one_score, targets), rel=1e-12
    )
    two_column_grad = digits.cross_entropy_grad(scores, targets)
    one_score_grad = linear_model.binary_cross_entropy_grad(one_score, targets)
    np.testing.assert_allclose(two_column_grad[:, 1], one_score_grad, atol=1e-15)
    np.testing.assert_allclose(two_column_grad[:, 0], -one_score_grad, atol=1e-15)


@pytest.mark.parametrize("spread", [0.1, 3.0, 40.0, 1000.0])
def test_both_binary_cross_entropies_agree_even_on_extreme_scores(spread):
    """The ten-digit page's binary cross-entropy (via softmax of two scores) and the loss
    page's (via logaddexp) are one loss: the same value and gradient on any scores."""
    rng = np.random.default_rng(10)
    scores = np.concatenate([rng.normal(0, spread, 64), [spread, -spread, 0.0]])
    targets = (rng.uniform(size=len(scores)) > 0.5).astype(float)
    via_softmax = digits.binary_cross_entropy_via_softmax(scores, targets)
    assert np.isfinite(via_softmax)
    assert via_softmax == pytest.approx(
        linear_model.binary_cross_entropy(scores, targets), rel=1e-12, abs=1e-15
    )
    np.testing.assert_allclose(
        digits.binary_cross_entropy_via_softmax_grad(scores, targets),
        linear_model.binary_cross_entropy_grad(scores, targets),
        rtol=0,
        atol=1e-15,
    )


def test_binary_cross_entropy_via_softmax_is_the_price_of_a_sure_wrong_answer():
    scores, targets = np.array([1000.0, -1000.0]), np.array([0.0, 1.0])  # sure, and wrong
    assert digits.binary_cross_entropy_via_softmax(scores, targets) == pytest.approx(1000.0)
    assert digits.binary_cross_entropy_via_softmax(scores, 1 - targets) == 0.0


def test_confusion_matrix_rows_are_the_true_digit():
    targets = np.array([4, 4, 4, 9, 9, 1])
    said = np.array([4, 9, 9, 9, 4, 1])
    confusion = digits.confusion_matrix(np.eye(10)[said], targets)
    assert confusion.sum() == 6 and confusion.shape == (10, 10)
    assert confusion[4, 9] == 2 and confusion[9, 4] == 1 and confusion[4, 4] == 1
    accuracy = digits.per_class_accuracy(confusion)
    assert accuracy[4] == pytest.approx(1 / 3) and accuracy[9] == 0.5 and accuracy[1] == 1
    assert accuracy[0] == 0  # no 0 at all: no division by zero
    assert digits.most_confused(confusion, 2) == [(4, 9, 2), (9, 4, 1)]
    assert digits.most_confused(confusion, 5) == [(4, 9, 2), (9, 4, 1)]  # no 0-count "mistake"


def test_nearest_ideal_finds_the_digit_of_clean_images(tiny_digits):
    ideals = digits.ten_ideal_digits(tiny_digits.train_x, tiny_digits.train_y)
    assert ideals.shape == (10, 784)
    for kind in ("l1", "l2"):
        said = digits.nearest_ideal(tiny_digits.train_x, ideals, kind)
        np.testing.assert_array_equal(said, tiny_digits.train_y)
        result = digits.nearest_ideal_baseline(tiny_digits, kind)
        assert result.accuracy == 0.95  # all but the mislabelled one in 20


def test_linear_model_and_net_learn_ten_digits(tiny_digits):
    quick = replace(digits.LINEAR_RECIPE, epochs=10, batch_size=30)
    for run in (
        digits.train_linear(tiny_digits, quick),
        digits.train_net(tiny_digits, replace(quick, epochs=30), n_hidden=20),
    ):
        assert run.history[-1].train_loss < run.history[0].train_loss
        assert run.final_valid_accuracy > 0.9
        assert run.history[0].valid_accuracy > digits.CHANCE


def test_recipes_are_the_chapters_sgd_with_batch_256():
    for recipe in (digits.LINEAR_RECIPE, digits.NET_RECIPE):
        assert recipe.batch_size == 256
    assert digits.MODELS["linear"].recipe is digits.LINEAR_RECIPE
    params = digits.ten_init_net(np.random.default_rng(0))
    shapes = {name: value.shape for name, value in params.items()}
    assert shapes == {"w1": (784, 100), "b1": (100,), "w2": (100, 10), "b2": (10,)}
