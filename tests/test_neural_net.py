"""The two-layer net: backprop by hand against finite differences, and it learns."""

from __future__ import annotations

import numpy as np

from lessons_code import neural_net
from lessons_code.learner import Recipe
from lessons_code.linear_model import mnist_loss
from tests.support.gradcheck import numeric_grad, relative_error


def test_backprop_matches_finite_differences():
    rng = np.random.default_rng(2)
    xb = rng.uniform(0, 1, (12, 784))
    yb = (rng.uniform(size=12) > 0.5).astype(float)
    params = {
        name: value.astype(np.float64)
        for name, value in neural_net.init_net(np.random.default_rng(3)).items()
    }
    _, grads = neural_net.calc_grad(params, xb, yb)

    def loss_fn(p):
        return mnist_loss(neural_net.simple_net(p, xb), yb)

    for name in ("w1", "b1", "w2", "b2"):
        flat = [np.unravel_index(i, params[name].shape) for i in range(params[name].size)]
        chosen = [flat[i] for i in rng.choice(len(flat), min(40, len(flat)), replace=False)]
        analytic = np.array([grads[name][index] for index in chosen])
        assert relative_error(analytic, numeric_grad(loss_fn, params, name, chosen)) <= 1e-6, name


def test_relu_keeps_positives_only():
    assert neural_net.relu(np.array([-2.0, 0.0, 3.0])).tolist() == [0.0, 0.0, 3.0]


def test_chapter_recipe_and_shapes():
    assert (neural_net.RECIPE.learning_rate, neural_net.RECIPE.epochs) == (0.1, 40)
    params = neural_net.init_net(np.random.default_rng(0))
    shapes = {name: value.shape for name, value in params.items()}
    assert shapes == {"w1": (784, 30), "b1": (30,), "w2": (30,), "b2": ()}


def test_net_learns(tiny_data):
    run = neural_net.train(tiny_data, Recipe(learning_rate=0.1, epochs=15, batch_size=20))
    assert run.history[-1].train_loss < run.history[0].train_loss
    assert run.history[-1].valid_accuracy > 0.9


def test_hidden_units_are_described_by_how_far_they_moved():
    rng = np.random.default_rng(0)
    start = rng.uniform(-0.04, 0.04, (784, 4))
    pattern = rng.normal(size=784)
    moved = start.copy()
    moved[:, 0] += pattern  # far, along the pattern
    moved[:, 1] -= 2 * pattern  # far, along the same pattern with the other sign
    moved[:, 2] += 0.001 * rng.normal(size=784)  # barely
    moved[:, 3] += rng.normal(size=784)  # far, along something else
    units = neural_net.describe_hidden_units(start, moved)
    assert units.barely_moved == 1
    assert units.same_pattern == 2
    assert units.moved[2] < neural_net.BARELY < units.moved[0]
