"""Our autograd: its gradients are the hand-derived ones, backward() adds, and a Learner
driven by it trains exactly as the hand-derived `lessons train` and `train-net` do."""

from __future__ import annotations

import numpy as np
import pytest

from lessons_code import data, linear_model, neural_net, nn
from lessons_code.autograd import Tensor, where
from lessons_code.learner import BasicOptim
from tests.support.gradcheck import numeric_grad, relative_error


@pytest.fixture(scope="module")
def sample() -> data.MnistData:
    """Return the bundled sample, whatever $LESSONS_DATA says."""
    return data.load_threes_sevens(data.SAMPLE_DIR)


def float64_batch(sample: data.MnistData, n_images: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the first n_images training images and targets, in float64."""
    return sample.train_x[:n_images].astype(np.float64), sample.train_y[:n_images].astype(float)


def as_float64(params: dict) -> dict:
    return {name: np.asarray(value, dtype=np.float64) for name, value in params.items()}


@pytest.mark.parametrize("n_images", [256, 117, 1])
def test_linear_gradients_equal_the_hand_derived_ones(sample, n_images):
    xb, yb = float64_batch(sample, n_images)
    params = as_float64(linear_model.init_linear(np.random.default_rng(3)))
    loss, by_hand = linear_model.calc_grad(params, xb, yb)
    model = nn.Linear(params["weights"], params["bias"])
    nn.calc_grad(xb, yb, model)
    assert float(nn.mnist_loss(model(xb), yb)) == pytest.approx(loss, abs=1e-12)
    np.testing.assert_allclose(model.weights.grad, by_hand["weights"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(model.bias.grad, by_hand["bias"], rtol=0, atol=1e-10)
    assert model.weights.grad.shape == (784,) and model.bias.grad.shape == ()


@pytest.mark.parametrize("n_images", [256, 117])
def test_net_gradients_equal_the_hand_derived_ones(sample, n_images):
    xb, yb = float64_batch(sample, n_images)
    params = as_float64(neural_net.init_net(np.random.default_rng(4)))
    _, by_hand = neural_net.calc_grad(params, xb, yb)
    net = nn.Sequential(
        nn.Linear(params["w1"], params["b1"]), nn.ReLU(), nn.Linear(params["w2"], params["b2"])
    )
    nn.calc_grad(xb, yb, net)
    for name, p in zip(("w1", "b1", "w2", "b2"), net.parameters(), strict=True):
        np.testing.assert_allclose(p.grad, by_hand[name], rtol=0, atol=1e-10, err_msg=name)


def test_backward_twice_without_zeroing_doubles_the_gradient(sample):
    xb, yb = float64_batch(sample, 4)  # the chapter's batch = train_x[:4]
    params = as_float64(linear_model.init_linear(np.random.default_rng(0)))
    model = nn.Linear(params["weights"], params["bias"])
    nn.calc_grad(xb, yb, model)
    once = [p.grad.copy() for p in model.parameters()]
    nn.calc_grad(xb, yb, model)  # the chapter's second call: the gradients have changed
    for p, first in zip(model.parameters(), once, strict=True):
        np.testing.assert_array_equal(p.grad, 2 * first)
    BasicOptim(model.parameters(), 1.0).zero_grad()  # so the chapter zeroes them
    nn.calc_grad(xb, yb, model)
    for p, first in zip(model.parameters(), once, strict=True):
        np.testing.assert_array_equal(p.grad, first)


def test_calling_backward_on_the_same_loss_twice_also_adds():
    x = Tensor(np.array([3.0, 4.0, 10.0]), requires_grad=True)
    loss = (x**2).sum()  # the chapter's f(x) = (x**2).sum()
    loss.backward()
    np.testing.assert_array_equal(x.grad, [6.0, 8.0, 20.0])  # 2x
    loss.backward()
    np.testing.assert_array_equal(x.grad, [12.0, 16.0, 40.0])


@pytest.mark.parametrize(
    ("make_model", "lesson"), [(nn.linear1_model, linear_model), (nn.simple_net_model, neural_net)]
)
def test_a_learner_driven_by_autograd_repeats_the_hand_derived_run(sample, make_model, lesson):
    """The chapter's recipe on the sample: the same history, to the last bit."""
    by_hand = lesson.train(sample).history
    assert nn.fit(make_model, sample, lesson.RECIPE) == by_hand


def test_the_same_bits_when_the_last_batch_is_not_a_power_of_two(real_data):
    """Real MNIST's last batch holds 117 images: 1/117 is rounded, and still the Learner
    repeats the hand-derived run, because mnist_loss_grad takes autograd's steps in order."""
    by_hand = linear_model.train(real_data).history
    assert nn.fit(nn.linear1_model, real_data, linear_model.RECIPE) == by_hand


def test_only_tensors_that_require_grad_get_one():
    images = Tensor(np.ones((2, 3)), name="images")
    weights = Tensor(np.array([1.0, -2.0, 0.5]), requires_grad=True)
    scores = images @ weights
    assert scores.requires_grad and not images.requires_grad
    scores.sum().backward()
    assert images.grad is None
    np.testing.assert_array_equal(weights.grad, [2.0, 2.0, 2.0])


def test_the_graph_lists_inputs_before_what_is_made_from_them(sample):
    xb, yb = float64_batch(sample, 4)
    model = nn.linear1_model(np.random.default_rng(0))
    loss = nn.mnist_loss(model(Tensor(xb, name="images")), yb)
    order = loss.graph()
    assert order[-1] is loss
    ops = [t.op for t in order if t.op]
    assert ops == ["@", "+", "sigmoid", "-", "where", "mean"]
    positions = {id(t): i for i, t in enumerate(order)}
    assert all(positions[id(s)] < positions[id(t)] for t in order for s in t.inputs)
    assert {t.name for t in order if t.requires_grad and not t.inputs} == {"weights", "bias"}


def finite_difference_check(build, shapes: dict, seed: int = 0) -> None:
    """Check every gradient of sum(build(**tensors)) against central differences."""
    rng = np.random.default_rng(seed)
    values = {name: rng.normal(size=shape) for name, shape in shapes.items()}
    tensors = {name: Tensor(value, requires_grad=True) for name, value in values.items()}
    build(**tensors).sum().backward()

    def loss_fn(params):
        return float(build(**{n: Tensor(v) for n, v in params.items()}).sum().data)

    for name, value in values.items():
        indices = list(np.ndindex(value.shape))
        numeric = numeric_grad(loss_fn, values, name, indices)
        analytic = np.array([tensors[name].grad[index] for index in indices])
        assert relative_error(analytic, numeric) <= 1e-6, name


@pytest.mark.parametrize(
    ("build", "shapes"),
    [
        (lambda a, b: a @ b, {"a": (3, 4), "b": (4,)}),
        (lambda a, b: a @ b, {"a": (3, 4), "b": (4, 2)}),
        (lambda a, b: a + b, {"a": (3, 2), "b": (2,)}),
        (lambda a, b: a + b, {"a": (3, 2), "b": (3, 1)}),
        (lambda a, b: a * b - b, {"a": (3, 2), "b": ()}),
        (lambda a: 1 - a.sigmoid(), {"a": (5,)}),
        (lambda a: (2.0 * a).relu(), {"a": (6,)}),
        (lambda a: a**3, {"a": (4,)}),
        (lambda a: a.mean(), {"a": (2, 3)}),
        (lambda a: a.sum(axis=0) * a.sum(axis=1)[0], {"a": (2, 3)}),
        (lambda a: a[np.array([2, 0, 2])], {"a": (3, 2)}),
        (lambda a, b: where(np.array([True, False, True]), a, b * b), {"a": (3,), "b": (3,)}),
    ],
)
def test_each_operation_matches_finite_differences(build, shapes):
    finite_difference_check(build, shapes)


def test_numbers_beside_a_tensor_keep_its_dtype():
    probabilities = Tensor(np.array([0.25, 0.5], dtype=np.float32), requires_grad=True)
    assert (1 - probabilities).data.dtype == np.float32
    assert (np.ones(2, dtype=np.float32) + probabilities).requires_grad  # numpy hands it over


def test_matmul_says_which_shapes_it_takes():
    with pytest.raises(ValueError, match=r"@ takes a batch \(n, k\)"):
        Tensor(np.ones(3)) @ Tensor(np.ones(3))


def test_only_floats_can_require_a_gradient():
    with pytest.raises(TypeError, match="only floats can have a gradient, got int64"):
        Tensor(np.array([3, 4, 10]), requires_grad=True)


def test_the_engines_sigmoid_is_the_lessons_sigmoid_bit_for_bit():
    """The engine computes its own sigmoid (it imports no model); it must be the same one."""
    scores = np.array([-1000.0, -30.0, -1.5, -1e-9, 0.0, 1e-9, 2.0, 30.0, 1000.0])
    for dtype in (np.float32, np.float64):
        x = scores.astype(dtype)
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            ours = Tensor(x).sigmoid().data
        assert ours.dtype == linear_model.sigmoid(x).dtype
        assert ours.tobytes() == linear_model.sigmoid(x).tobytes()
