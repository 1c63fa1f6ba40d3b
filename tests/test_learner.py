"""The shared loop's pieces: Dataset, DataLoader, BasicOptim, Learner and the layers, and
the proof that building `train_model` on them changed no result."""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np
import pytest

from lessons_code import learner, linear_model, neural_net, nn
from lessons_code.autograd import Tensor
from lessons_code.learner import BasicOptim, DataLoader, Dataset, EpochStats, Recipe


def test_a_dataset_pairs_each_image_with_its_target_as_zip_does(tiny_data):
    dataset = Dataset(tiny_data.train_x, tiny_data.train_y)
    zipped = list(zip(tiny_data.train_x, tiny_data.train_y, strict=True))
    assert len(dataset) == len(zipped)
    for index in (0, 7, len(zipped) - 1):
        x, y = dataset[index]
        np.testing.assert_array_equal(x, zipped[index][0])
        assert y == zipped[index][1]


def test_a_dataloader_visits_every_image_once_per_epoch_in_a_new_order():
    indices = np.arange(10)
    loader = DataLoader(Dataset(indices, indices * 10), 4, np.random.default_rng(0))
    first, second = list(loader), list(loader)
    assert len(loader) == len(first) == 3
    assert [len(xb) for xb, _ in first] == [4, 4, 2]  # the last batch holds what is left
    for epoch in (first, second):
        seen = np.concatenate([xb for xb, _ in epoch])
        assert sorted(seen) == list(indices)
        np.testing.assert_array_equal(np.concatenate([yb for _, yb in epoch]), seen * 10)
    assert not np.array_equal(first[0][0], second[0][0])  # reshuffled every pass


def test_without_a_generator_batches_come_in_order():
    indices = np.arange(5)
    batches = [xb.tolist() for xb, _ in DataLoader(Dataset(indices, indices), 2)]
    assert batches == [[0, 1], [2, 3], [4]]


def loop_before_the_dataloader(params, predict, calc_grad, data, recipe, rng, loss, metric):
    """The shared loop as it was before it took a DataLoader: the oracle for the refactor."""
    train_x = np.asarray(data.train_x, dtype=np.float32)
    train_y = np.asarray(data.train_y, dtype=np.float32)
    params = {name: value.copy() for name, value in params.items()}
    history = []
    for epoch in range(1, recipe.epochs + 1):
        order = rng.permutation(len(train_x))
        for start in range(0, len(order), recipe.batch_size):
            batch = order[start : start + recipe.batch_size]
            _, grads = calc_grad(params, train_x[batch], train_y[batch])
            for name, grad in grads.items():
                params[name] -= recipe.learning_rate * grad
        train = learner.validate_epoch(predict, params, train_x, train_y, loss, metric)
        valid = learner.validate_epoch(predict, params, data.valid_x, data.valid_y, loss, metric)
        history.append(EpochStats(epoch, train[0], valid[0], train[1], valid[1]))
    return params, history


@pytest.mark.parametrize(
    ("lesson", "init", "predict"),
    [
        (linear_model, linear_model.init_linear, linear_model.predict),
        (neural_net, neural_net.init_net, neural_net.simple_net),
    ],
)
def test_train_is_byte_identical_to_the_loop_before_the_dataloader(
    tiny_data, lesson, init, predict
):
    recipe = replace(lesson.RECIPE, epochs=4, batch_size=48, seed=11, keep_chapter_steps=False)
    run = lesson.train(tiny_data, recipe)
    rng = np.random.default_rng(recipe.seed)
    params, history = loop_before_the_dataloader(
        init(rng),
        predict,
        lesson.calc_grad,
        tiny_data,
        recipe,
        rng,
        linear_model.mnist_loss,
        linear_model.batch_accuracy,
    )
    assert run.history == history
    for name, value in params.items():
        assert np.asarray(run.params[name]).tobytes() == np.asarray(value).tobytes(), name


def test_basic_optim_steps_against_the_gradient_then_forgets_it():
    weights = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    weights.grad = np.array([0.5, -1.0])
    opt = BasicOptim([weights], lr=0.1)
    opt.step()
    np.testing.assert_allclose(weights.data, [0.95, 2.1])
    opt.zero_grad()
    assert weights.grad is None


def test_layers_list_their_parameters():
    net = nn.simple_net_model(np.random.default_rng(0))
    shapes = [p.shape for p in net.parameters()]
    assert shapes == [(784, 30), (30,), (30,), ()]
    assert nn.ReLU().parameters() == []
    assert all(p.requires_grad for p in net.parameters())
    assert nn.linear1_model(np.random.default_rng(0)).parameters()[0].shape == (784,)


def test_relu_the_function_and_relu_the_layer_give_the_same_numbers():
    x = Tensor(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
    np.testing.assert_array_equal(nn.relu(x).data, [0.0, 0.0, 0.0, 0.5, 2.0])
    np.testing.assert_array_equal(nn.ReLU()(x).data, nn.relu(x).data)


def test_the_learner_learns_and_reports_every_epoch(tiny_data):
    recipe = Recipe(learning_rate=1.0, batch_size=32, epochs=5)
    history = nn.fit(nn.linear1_model, tiny_data, recipe)
    assert [stats.epoch for stats in history] == [1, 2, 3, 4, 5]
    assert history[-1].train_loss < history[0].train_loss
    assert history[-1].valid_accuracy > 0.9


def test_a_second_fit_goes_on_from_the_weights_the_first_one_left(tiny_data):
    def learner_and_model():
        rng = np.random.default_rng(0)
        model = nn.linear1_model(rng)
        dls = learner.dataloaders(tiny_data, 32, rng)
        return learner.Learner(
            dls, model, BasicOptim, nn.mnist_loss, linear_model.batch_accuracy
        ), model

    twice, model_twice = learner_and_model()
    first = twice.fit(2, 1.0)
    second = twice.fit(2, 1.0)
    assert second[0].train_loss < first[0].train_loss  # it did not start again at random
    once, model_once = learner_and_model()
    once.fit(4, 1.0)
    for a, b in zip(model_twice.parameters(), model_once.parameters(), strict=True):
        np.testing.assert_array_equal(a.data, b.data)  # two fits of 2 epochs = one of 4


def test_the_learner_refuses_an_impossible_recipe(tiny_data):
    with pytest.raises(ValueError, match="batch size must be"):
        nn.fit(nn.linear1_model, tiny_data, Recipe(batch_size=0))


@pytest.mark.parametrize(("module", "learning_rate"), [(linear_model, 1e300), (neural_net, 1e30)])
def test_a_learning_rate_that_overflows_is_a_recipe_error_not_nan(tiny_data, module, learning_rate):
    """Found by tests/test_bad_arguments.py: such a run printed numpy's overflow warnings,
    then rows of nan losses and a bias of nan."""
    recipe = Recipe(learning_rate=learning_rate, batch_size=50, epochs=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(learner.RecipeError, match="too large: in epoch 1") as raised:
            module.train(tiny_data, recipe)
    assert raised.value.field == "learning_rate"


def test_a_large_learning_rate_that_stays_finite_still_trains(tiny_data):
    """Saturated, not diverged: the command line names the cause after the run."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = linear_model.train(tiny_data, Recipe(learning_rate=1e10, batch_size=50, epochs=2))
    assert np.isfinite(run.params["weights"]).all() and run.epochs == 2


def test_train_model_takes_everything_but_the_params_by_name(tiny_data):
    """loss and metric are both (predictions, targets) -> float: by position, a swap of the
    two would train on and report the wrong one unnoticed."""
    functions = (linear_model.predict, linear_model.calc_grad)
    measures = (linear_model.mnist_loss, linear_model.batch_accuracy)
    with pytest.raises(TypeError, match="positional"):
        learner.HandModel(*functions, *measures)
    model = learner.HandModel(
        predict=functions[0], calc_grad=functions[1], loss=measures[0], metric=measures[1]
    )
    params = linear_model.init_linear(np.random.default_rng(0))
    rng = np.random.default_rng(0)
    with pytest.raises(TypeError, match="positional"):
        learner.train_model(params, model, tiny_data, Recipe(epochs=1), rng)
    run = learner.train_model(params, model=model, data=tiny_data, recipe=Recipe(epochs=1), rng=rng)
    assert run.history[-1].valid_accuracy == run.final_valid_accuracy
