"""The chapter's PyTorch files (docs_src/pytorch): every one runs, and started from the same
weights and fed the same batches, PyTorch and lessons_code agree to 1e-5 in float32 on the
scores, the loss, the gradients and the accuracy after one epoch.

Skipped, with the reason, where torch is not installed; `.ci/run` installs it and sets
LESSONS_REQUIRE_TORCH=1, so that there they cannot skip.
"""

from __future__ import annotations

import ast
import importlib

import numpy as np
import pytest

from tests.support import REPO, require_torch

torch = require_torch()

from docs_src.pytorch import (  # noqa: E402
    broadcasting,
    dataloader,
    gradients,
    loss,
    optimizer,
    quadratic,
    sgd,
    simple_net,
    tensors,
)
from lessons_code import (  # noqa: E402
    arrays,
    autograd,
    baseline,
    data,
    linear_model,
    neural_net,
)
from lessons_code.learner import DataLoader, Dataset  # noqa: E402
from tests.support.pytorch_parity import PAIRS, parity  # noqa: E402

FILES = sorted(p for p in (REPO / "docs_src" / "pytorch").glob("*.py") if p.name != "__init__.py")
AGREE = 1e-5
"""How close PyTorch and lessons_code must be, in float32."""


@pytest.fixture(scope="module")
def sample() -> data.MnistData:
    """Return the bundled sample, whatever $LESSONS_DATA says."""
    return data.load_threes_sevens(data.SAMPLE_DIR)


def as_tensors(images: list[np.ndarray]) -> list[torch.Tensor]:
    """Return 28×28 images in [0, 1] as the chapter reads its PNGs: tensors of 0-255 bytes."""
    return [torch.from_numpy(np.rint(image * 255).astype(np.uint8)) for image in images]


def test_every_pytorch_file_imports_and_every_function_in_it_is_run_here():
    tests = REPO / "tests"
    this_test = (tests / "test_pytorch.py").read_text()
    this_test += (tests / "support" / "pytorch_parity.py").read_text()
    assert {path.stem for path in FILES} == {
        "broadcasting",
        "dataloader",
        "gradients",
        "loss",
        "optimizer",
        "quadratic",
        "sgd",
        "simple_net",
        "tensors",
    }
    for path in FILES:
        module = importlib.import_module(f"docs_src.pytorch.{path.stem}")
        tree = ast.parse(path.read_text())
        defined = [
            node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)
        ]
        assert defined, path.name
        for name in defined:
            assert hasattr(module, name)
            assert f"{path.stem}.{name}(" in this_test, f"{path.name}: {name} is never run"


def test_stacking_gives_the_same_rank_3_tensor_as_numpy(sample):
    threes = arrays.digit_images(sample.train_x, sample.train_y, 1.0)
    stacked_threes = tensors.stack_digits(as_tensors(threes))
    ours = arrays.stack_digits(threes)
    assert tuple(stacked_threes.shape) == ours.shape == (len(threes), 28, 28)
    assert tensors.rank(stacked_threes) == arrays.rank(ours) == stacked_threes.ndim == 3
    np.testing.assert_array_equal(stacked_threes.numpy(), ours)


def test_view_lays_each_image_out_as_a_row_like_reshape(sample):
    threes = arrays.digit_images(sample.train_x, sample.train_y, 1.0)
    sevens = arrays.digit_images(sample.train_x, sample.train_y, 0.0)
    train_x, train_y = tensors.training_set(
        tensors.stack_digits(as_tensors(threes)), tensors.stack_digits(as_tensors(sevens))
    )
    assert tuple(train_x.shape) == (len(threes) + len(sevens), 784)
    assert tuple(train_y.shape) == (len(threes) + len(sevens), 1)
    ours = arrays.as_rows(arrays.stack_digits(threes + sevens))
    np.testing.assert_array_equal(train_x.numpy(), ours)
    assert train_y[: len(threes)].eq(1).all() and train_y[len(threes) :].eq(0).all()


def test_the_mean_3_and_mnist_distance_broadcast_as_numpy_does(sample):
    threes = arrays.digit_images(sample.train_x, sample.train_y, 1.0)
    sevens = arrays.digit_images(sample.train_x, sample.train_y, 0.0)
    mean3 = broadcasting.ideal_digit(tensors.stack_digits(as_tensors(threes)))
    mean7 = broadcasting.ideal_digit(tensors.stack_digits(as_tensors(sevens)))
    ideal_3, ideal_7 = baseline.ideal_digits(sample.train_x, sample.train_y)
    assert tuple(mean3.shape) == (28, 28)
    np.testing.assert_allclose(mean3.numpy().reshape(-1), ideal_3, atol=AGREE)
    valid = tensors.stack_digits(as_tensors(list(sample.valid_x.reshape(-1, 28, 28))))
    distances = broadcasting.mnist_distance(valid, mean3)  # (n, 28, 28) - (28, 28)
    assert tuple(distances.shape) == (len(sample.valid_x),)
    ours = baseline.mnist_distance(sample.valid_x, ideal_3)  # (n, 784) - (784,)
    np.testing.assert_allclose(distances.numpy(), ours, atol=AGREE)
    called_3 = broadcasting.is_3(valid, mean3, mean7).numpy()
    np.testing.assert_array_equal(called_3, baseline.is_3(sample.valid_x, ideal_3, ideal_7))


def test_the_chapters_functions_give_our_numbers(sample):
    torch.manual_seed(0)
    weights, bias = sgd.init_params((28 * 28, 1)), sgd.init_params(1)
    assert weights.requires_grad and tuple(weights.shape) == (784, 1)
    xb = torch.from_numpy(sample.train_x[:4])
    yb = torch.from_numpy(sample.train_y[:4]).unsqueeze(1)
    scores = sgd.linear1(xb, weights, bias)
    assert tuple(scores.shape) == (4, 1)
    ours = linear_model.linear1(sample.train_x[:4], weights.detach().numpy()[:, 0], bias.item())
    np.testing.assert_allclose(scores.detach().numpy()[:, 0], ours, atol=AGREE)
    loss = sgd.mnist_loss(scores, yb).item()
    assert loss == pytest.approx(linear_model.mnist_loss(ours, sample.train_y[:4]), abs=AGREE)
    assert sgd.batch_accuracy(scores, yb).item() == linear_model.batch_accuracy(
        ours, sample.train_y[:4]
    )


def test_backward_adds_so_the_chapter_zeroes_the_gradients(sample):
    torch.manual_seed(0)
    weights, bias = sgd.init_params((28 * 28, 1)), sgd.init_params(1)
    xb = torch.from_numpy(sample.train_x[:4])
    yb = torch.from_numpy(sample.train_y[:4]).unsqueeze(1)

    def model(x):
        return sgd.linear1(x, weights, bias)

    sgd.calc_grad(xb, yb, model)
    once = bias.grad.clone()
    sgd.calc_grad(xb, yb, model)
    assert torch.equal(bias.grad, 2 * once)
    dl = [(xb, yb)]
    sgd.train_epoch(model, 1.0, (weights, bias), dl)  # one step, then zero_()
    assert bias.grad.eq(0).all() and weights.grad.eq(0).all()
    assert 0 <= sgd.validate_epoch(model, dl) <= 1


def test_the_chapters_dataset_and_dataloader_give_every_pair_once_per_epoch(sample):
    x, y = torch.from_numpy(sample.train_x), torch.from_numpy(sample.train_y).unsqueeze(1)
    dset = dataloader.dataset(x, y)
    first_x, first_y = dset[0]
    assert tuple(first_x.shape) == (784,) and tuple(first_y.shape) == (1,)
    torch.manual_seed(0)
    dl = dataloader.training_batches(dset, batch_size=256)
    ours = DataLoader(Dataset(sample.train_x, sample.train_y), 256, np.random.default_rng(0))
    batches = list(dl)
    assert len(dl) == len(batches) == len(ours)
    assert [len(xb) for xb, _ in batches] == [len(xb) for xb, _ in ours]
    assert tuple(batches[0][0].shape) == (256, 784) and tuple(batches[0][1].shape) == (256, 1)
    seen = torch.cat([yb for _, yb in batches])
    assert seen.sum().item() == sample.train_y.sum()
    assert torch.equal(batches[0][0], x[:256])  # the chapter's order: not shuffled
    assert all(torch.equal(a[0], b[0]) for a, b in zip(batches, list(dl), strict=True))


def test_nn_linear_and_basic_optim_train(sample):
    torch.manual_seed(0)
    model = optimizer.linear_model()
    weight, bias = model.parameters()
    assert tuple(weight.shape) == (1, 784) and tuple(bias.shape) == (1,)
    x, y = torch.from_numpy(sample.train_x), torch.from_numpy(sample.train_y).unsqueeze(1)
    # Shuffled: in the bundled sample's order, sorted by digit, 5 epochs of 4 batches
    # (all 3s, all 3s, both, all 7s) are too few to learn from (the chapter has 49).
    dl = torch.utils.data.DataLoader(dataloader.dataset(x, y), batch_size=256, shuffle=True)
    valid_dl = [(torch.from_numpy(sample.valid_x), torch.from_numpy(sample.valid_y).unsqueeze(1))]
    opt = optimizer.BasicOptim(model.parameters(), 1.0)
    accuracies = optimizer.train_model(model, opt, dl, valid_dl, epochs=5)
    assert len(accuracies) == 5 and accuracies[-1] > 0.8
    assert weight.grad is None  # zero_grad forgets the gradient after each step


def test_basic_optim_takes_the_steps_of_torch_sgd_and_holds_the_models_own_tensors(sample):
    x, y = torch.from_numpy(sample.train_x), torch.from_numpy(sample.train_y).unsqueeze(1)
    batches = list(zip(x.split(256), y.split(256), strict=True))
    trained = []
    for make_opt in (
        lambda params: optimizer.BasicOptim(params, 1.0),
        lambda params: torch.optim.SGD(params, lr=1.0),  # no momentum, no weight decay
    ):
        torch.manual_seed(0)
        model = optimizer.linear_model()
        opt = make_opt(model.parameters())
        optimizer.train_epoch(model, opt, batches)
        trained.append([p.detach().clone() for p in model.parameters()])
    assert all(torch.equal(a, b) for a, b in zip(*trained, strict=True))
    model = optimizer.linear_model()
    opt = optimizer.BasicOptim(model.parameters(), 1.0)
    assert all(a is b for a, b in zip(opt.params, model.parameters(), strict=True))
    weight = model.weight
    assert isinstance(weight, torch.nn.Parameter) and weight.requires_grad
    before = weight.detach().clone()
    optimizer.train_epoch(model, opt, batches[:1])
    after_one = weight.detach().clone()
    optimizer.train_epoch(model, opt, batches[1:2])  # a second call goes on from there
    assert not torch.equal(after_one, before) and not torch.equal(weight.detach(), after_one)


def test_f_relu_and_nn_relu_are_the_same_function(sample):
    torch.manual_seed(0)
    net = simple_net.simple_net_module()
    assert [tuple(p.shape) for p in net.parameters()] == [(30, 784), (30,), (1, 30), (1,)]
    relu_layer = net[1]
    assert list(relu_layer.parameters()) == []
    values = torch.linspace(-2, 2, 9)
    assert torch.equal(relu_layer(values), torch.nn.functional.relu(values))
    xb = torch.from_numpy(sample.train_x[:8])
    first, last = net[0], net[2]
    as_function = simple_net.simple_net(xb, first.weight.T, first.bias, last.weight.T, last.bias)
    assert torch.allclose(as_function, net(xb))
    with_max = (xb @ first.weight.T + first.bias).max(torch.tensor(0.0)) @ last.weight.T + last.bias
    assert torch.equal(as_function, with_max)  # the chapter's res.max(tensor(0.0))


def test_the_chapters_first_tensor_indexes_and_computes_as_numpy_does():
    basics = tensors.tensor_basics()
    arr = np.array([[1, 2, 3], [4, 5, 6]])  # the chapter's array(data)
    np.testing.assert_array_equal(basics["row"].numpy(), arr[1])
    np.testing.assert_array_equal(basics["column"].numpy(), arr[:, 1])
    np.testing.assert_array_equal(basics["part_of_a_row"].numpy(), [5, 6])
    np.testing.assert_array_equal(basics["plus_one"].numpy(), arr + 1)
    assert basics["type"] == "torch.LongTensor"
    assert basics["times_1_5"].dtype == torch.float32
    np.testing.assert_allclose(basics["times_1_5"].numpy(), arr * 1.5)
    np.testing.assert_array_equal(basics["added"].numpy(), [2, 3, 4])


def test_one_images_distances_by_hand_and_by_pytorch_match_numpy(sample):
    threes = arrays.digit_images(sample.train_x, sample.train_y, 1.0)
    sevens = arrays.digit_images(sample.train_x, sample.train_y, 0.0)
    stacked_threes = tensors.stack_digits(as_tensors(threes))
    mean7 = broadcasting.ideal_digit(tensors.stack_digits(as_tensors(sevens)))
    dist_abs, dist_sqr = broadcasting.distances_by_hand(stacked_threes, mean7)
    l1, rmse = broadcasting.distances_by_pytorch(stacked_threes, mean7)
    assert dist_abs.shape == dist_sqr.shape == ()
    assert l1.item() == pytest.approx(dist_abs.item(), abs=AGREE)
    assert rmse.item() == pytest.approx(dist_sqr.item(), abs=AGREE)
    a_3 = stacked_threes[1].numpy().reshape(1, -1)
    ideal_7 = mean7.numpy().reshape(-1)
    ours_l1 = baseline.mnist_distance(a_3, ideal_7, "l1")[0]
    ours_l2 = baseline.mnist_distance(a_3, ideal_7, "l2")[0]
    assert dist_abs.item() == pytest.approx(ours_l1, abs=AGREE)
    assert dist_sqr.item() == pytest.approx(ours_l2, abs=AGREE)
    assert dist_sqr > dist_abs  # RMSE weighs the big differences more


def test_the_baselines_accuracies_are_those_of_our_pixel_similarity(sample):
    def stack(x, y, digit):
        return tensors.stack_digits(as_tensors(arrays.digit_images(x, y, digit)))

    mean3 = broadcasting.ideal_digit(stack(sample.train_x, sample.train_y, 1.0))
    mean7 = broadcasting.ideal_digit(stack(sample.train_x, sample.train_y, 0.0))
    valid_3_tens = stack(sample.valid_x, sample.valid_y, 1.0)
    valid_7_tens = stack(sample.valid_x, sample.valid_y, 0.0)
    found = broadcasting.accuracy_3s_7s(valid_3_tens, valid_7_tens, mean3, mean7)
    accuracy_3s, accuracy_7s, mean_of_the_two = (value.item() for value in found)
    ours = baseline.pixel_similarity(sample)
    assert accuracy_3s == pytest.approx(ours.accuracy_3, abs=AGREE)
    assert accuracy_7s == pytest.approx(ours.accuracy_7, abs=AGREE)
    assert mean_of_the_two == pytest.approx((ours.accuracy_3 + ours.accuracy_7) / 2, abs=AGREE)


def test_backward_gives_the_slope_of_x_squared_as_our_autograd_does():
    assert gradients.f(torch.tensor(3.0)).item() == 9.0
    assert gradients.gradient_at(3.0).item() == 6.0
    xs = [3.0, 4.0, 10.0]
    found = gradients.gradients_of_sum(xs)
    ours = autograd.Tensor(np.array(xs), requires_grad=True)
    (ours**2).sum().backward()
    np.testing.assert_array_equal(found.numpy(), ours.grad)
    np.testing.assert_array_equal(found.numpy(), [6.0, 8.0, 20.0])
    with pytest.raises(RuntimeError):  # an integer tensor cannot ask for a gradient
        torch.tensor(3).requires_grad_()


def test_the_roller_coaster_fit_takes_the_steps_the_chain_rule_gives():
    time, speed = quadratic.measure_speed(torch.Generator().manual_seed(0))
    assert tuple(time.shape) == tuple(speed.shape) == (20,)
    assert time[0].item() == 0.0 and time[-1].item() == 19.0
    params = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    preds = quadratic.f(time, params).detach().numpy()
    t, s = time.numpy().astype(np.float64), speed.numpy().astype(np.float64)
    np.testing.assert_allclose(preds, 0.5 * t**2 - t + 2, rtol=1e-6)
    error = preds - s
    loss_before = quadratic.apply_step(params, time, speed, lr=1e-5)
    assert loss_before == pytest.approx((error**2).mean(), rel=1e-5)
    assert quadratic.mse(torch.tensor([1.0, 3.0]), torch.tensor([0.0, 0.0])).item() == 5.0
    # d mean((f - s)²) / d (a, b, c) = mean(2 (f - s) (t², t, 1))
    by_hand = np.array([(2 * error * t**2).mean(), (2 * error * t).mean(), (2 * error).mean()])
    np.testing.assert_allclose(
        params.detach().numpy(), np.array([0.5, -1.0, 2.0]) - 1e-5 * by_hand, rtol=1e-5
    )
    assert params.grad is None  # forgotten after the step
    fitted, losses = quadratic.fit(time, speed, torch.Generator().manual_seed(1), steps=10)
    assert len(losses) == 10 and losses[-1] < losses[0]
    assert all(later <= earlier for earlier, later in zip(losses, losses[1:], strict=False))
    assert fitted.requires_grad and tuple(fitted.shape) == (3,)


def test_accuracy_is_flat_under_a_nudge_and_the_chapters_bare_nudge_raises(sample):
    torch.manual_seed(0)
    weights, bias = sgd.init_params((28 * 28, 1)), sgd.init_params(1)
    x = torch.from_numpy(sample.train_x)
    y = torch.from_numpy(sample.train_y).unsqueeze(1)
    preds = sgd.linear1(x, weights, bias)
    ours = linear_model.linear1(sample.train_x, weights.detach().numpy()[:, 0], bias.item())
    assert loss.accuracy_at_zero(preds, y) == pytest.approx(
        float(((ours > 0) == (sample.train_y == 1)).mean()), abs=AGREE
    )
    first = weights[0].item()
    before, after = loss.accuracy_after_nudge(x, y, weights, bias)
    assert before == after  # flat: no image crossed the line
    assert weights[0].item() == pytest.approx(first * 1.0001)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        weights[0] *= 1.0001  # the chapter's line as written, on today's PyTorch


def test_the_first_mnist_loss_and_the_sigmoid_give_the_chapters_numbers():
    trgts, prds = loss.three_images()
    per_image = torch.where(trgts == 1, 1 - prds, prds)
    assert torch.allclose(per_image, torch.tensor([0.1, 0.4, 0.8]))
    assert loss.mnist_loss(prds, trgts).item() == pytest.approx(0.4333, abs=1e-4)
    better = loss.mnist_loss(torch.tensor([0.9, 0.4, 0.8]), trgts).item()
    assert better == pytest.approx(0.2333, abs=1e-4)
    scores = torch.linspace(-4, 4, 9)
    assert torch.allclose(loss.sigmoid(scores), torch.sigmoid(scores))
    np.testing.assert_allclose(
        loss.sigmoid(scores).numpy(), linear_model.sigmoid(scores.numpy()), atol=AGREE
    )
    # the final mnist_loss is the first one on the sigmoid of the scores
    targets = torch.tensor([[1], [0], [1]])
    assert sgd.mnist_loss(scores[:3, None], targets).item() == pytest.approx(
        loss.mnist_loss(loss.sigmoid(scores[:3, None]), targets).item()
    )


def test_a_shuffled_dataloader_gives_every_item_once_in_a_new_order():
    generator = torch.Generator().manual_seed(0)
    batches = dataloader.shuffled_batches(range(15), 5, generator)
    assert [len(batch) for batch in batches] == [5, 5, 5]
    seen = sorted(torch.cat(batches).tolist())
    assert seen == list(range(15)) and torch.cat(batches).tolist() != seen
    again = dataloader.shuffled_batches(range(15), 5, generator)
    assert torch.cat(again).tolist() != torch.cat(batches).tolist()  # a new order
    ds = dataloader.letters()
    assert ds[:2] == [(0, "a"), (1, "b")] and len(ds) == 26
    pairs = dataloader.shuffled_batches(ds, 6, torch.Generator().manual_seed(0))
    assert [len(numbers) for numbers, _ in pairs] == [6, 6, 6, 6, 2]
    numbers, letters_of_batch = pairs[0]  # collated: a tensor of numbers, a tuple of letters
    assert isinstance(numbers, torch.Tensor) and isinstance(letters_of_batch, tuple)
    assert all(ds[n][1] == c for n, c in zip(numbers.tolist(), letters_of_batch, strict=True))


def test_one_score_is_the_first_row_of_linear1_and_gradients_add_up(sample):
    torch.manual_seed(0)
    weights, bias = sgd.init_params((28 * 28, 1)), sgd.init_params(1)
    x = torch.from_numpy(sample.train_x)
    y = torch.from_numpy(sample.train_y).unsqueeze(1)
    score = sgd.one_score(x[0], weights, bias)
    assert tuple(score.shape) == (1,)
    assert score.item() == pytest.approx(sgd.linear1(x[:1], weights, bias).item(), abs=1e-4)
    batch_loss, weights_grad, bias_grad = sgd.first_gradients(x, y, weights, bias)
    assert batch_loss.shape == () and tuple(weights_grad.shape) == (784, 1)
    params = {"weights": weights.detach().numpy()[:, 0], "bias": bias.item()}
    ours_loss, ours = linear_model.calc_grad(params, sample.train_x[:4], sample.train_y[:4])
    assert batch_loss.item() == pytest.approx(ours_loss, abs=AGREE)
    np.testing.assert_allclose(weights_grad.numpy()[:, 0], ours["weights"], atol=AGREE)
    assert bias_grad.item() == pytest.approx(ours["bias"], abs=AGREE)
    weights.grad, bias.grad = None, None

    def model(xb):
        return sgd.linear1(xb, weights, bias)

    once, twice = sgd.calc_grad_twice(x[:4], y[:4], model, bias)
    assert torch.equal(twice, 2 * once) and bias.grad.eq(0).all()


def test_linear1_and_torch_sgd_train_the_chapters_loops(sample):
    x, y = torch.from_numpy(sample.train_x), torch.from_numpy(sample.train_y).unsqueeze(1)
    dset = dataloader.dataset(x, y)
    valid = [(torch.from_numpy(sample.valid_x), torch.from_numpy(sample.valid_y).unsqueeze(1))]
    torch.manual_seed(0)
    dl = torch.utils.data.DataLoader(dset, batch_size=256, shuffle=True)
    weights, bias = sgd.init_params((28 * 28, 1)), sgd.init_params(1)
    # the chapter's 20 epochs; weights drawn with std 1 take a while to learn
    accuracies = sgd.train_linear1(weights, bias, dl, valid, lr=1.0, epochs=20)
    assert len(accuracies) == 20 and accuracies[-1] > accuracies[0] + 0.1
    torch.manual_seed(0)
    with_sgd = optimizer.train_with_sgd(dl, valid, lr=1.0, epochs=5)
    assert len(with_sgd) == 5 and with_sgd[-1] > 0.8


def test_the_two_layer_nets_parameters_have_the_chapters_shapes():
    torch.manual_seed(0)
    w1, b1, w2, b2 = simple_net.simple_net_params()
    assert [tuple(p.shape) for p in (w1, b1, w2, b2)] == [(784, 30), (30,), (30, 1), (1,)]
    assert all(p.requires_grad for p in (w1, b1, w2, b2))
    scores = simple_net.simple_net(torch.rand(5, 784), w1, b1, w2, b2)
    assert tuple(scores.shape) == (5, 1)


@pytest.mark.parametrize("pair", PAIRS)
def test_pytorch_and_lessons_code_agree_over_one_epoch(sample, pair):
    recipe = linear_model.RECIPE if pair.startswith("linear") else neural_net.RECIPE
    found = parity(pair, sample, recipe)
    assert found.scores <= AGREE, found
    assert found.loss <= AGREE, found
    assert found.gradients <= AGREE, found
    ours, theirs = found.accuracy
    assert abs(ours - theirs) <= AGREE, found


@pytest.mark.parametrize("pair", PAIRS)
def test_they_agree_on_real_mnist_too(real_data, pair):
    recipe = linear_model.RECIPE if pair.startswith("linear") else neural_net.RECIPE
    found = parity(pair, real_data, recipe)
    assert max(found.scores, found.loss, found.gradients) <= AGREE, found
    assert abs(found.accuracy[0] - found.accuracy[1]) <= AGREE, found
