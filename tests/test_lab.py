"""The lab: lessons_code.lab trains as the chapter does, and the page's JavaScript
(docs/javascripts/widgets/lab.mjs) computes the same numbers, to 1e-9, epoch by epoch.

Node runs the page's own module on fixtures this file writes into a temporary folder:
the lab's digits, each run's settings, its starting parameters and its batch orders.
The browser drives the page itself in tests/test_lab_browser.py.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from dataclasses import asdict, replace

import numpy as np
import pytest

from lessons_code import data, lab, learner
from lessons_code.website.pages import lab as site_lab
from tests.support import REPO, html_path, parse
from tests.support.browser import require

TOLERANCE = 1e-9
STATS = ("train_loss", "valid_loss", "train_accuracy", "valid_accuracy")

LINEAR, NET = lab.DEFAULTS["linear"], lab.DEFAULTS["net"]
PARITY_RUNS = {
    "linear, the chapter's": replace(LINEAR, batch_size=32, epochs=6),
    "linear, cross-entropy, shuffled, unzeroed, small start": replace(
        LINEAR,
        loss="binary_cross_entropy",
        shuffle=True,
        zero_grad=False,
        init="nn.Linear",
        batch_size=50,
        epochs=4,
    ),
    "linear, grey levels 0 to 255": replace(LINEAR, pixels="0-255", epochs=3, seed=9),
    "net, the chapter's": replace(NET, batch_size=32, epochs=6),
    "net, init_params, cross-entropy, shuffled": replace(
        NET,
        hidden=8,
        init="init_params",
        std=0.1,
        loss="binary_cross_entropy",
        shuffle=True,
        lr=0.5,
        batch_size=64,
        epochs=5,
        seed=3,
    ),
    "net, unzeroed, 0 to 255": replace(NET, hidden=5, zero_grad=False, pixels="0-255", epochs=3),
}


@pytest.fixture(scope="module")
def lab_digits() -> lab.LabData:
    """Return 400 training and 100 validation images of the bundled sample, as the lab
    keeps them."""
    return lab.lab_data(data.load_threes_sevens(data.SAMPLE_DIR), 400, 100, seed=0)


def run_node(fixture: dict, folder) -> dict:
    """Return what tests/js/lab-parity.mjs answers for a fixture written into folder."""
    node = shutil.which("node")
    if node is None:
        require("node", "apt-get install -y nodejs")
    path = folder / "fixture.json"
    path.write_text(json.dumps(fixture))
    result = subprocess.run(
        [node, str(REPO / "tests" / "js" / "lab-parity.mjs"), str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(result.stdout)


def fixture_for(digits: lab.LabData, runs: dict[str, lab.Settings], folder) -> dict:
    """Write the digits into folder; return the fixture: each run's settings, starting
    parameters and batch orders, all from lessons_code.lab's generator."""
    (folder / "digits.bin").write_bytes(site_lab.digits_bytes(digits))
    n_train = len(digits.train_y)
    written = []
    for settings in runs.values():
        rng = lab.Mulberry32(settings.seed)
        initial = lab.init(settings, rng)
        orders = lab.batch_orders(settings, rng, n_train)
        written.append(
            {
                "settings": asdict(settings),
                "initial": {name: value.ravel().tolist() for name, value in initial.items()},
                "orders": [next(orders).tolist() for _ in range(settings.epochs)],
            }
        )
    return {
        "digits": "digits.bin",
        "n_train": n_train,
        "n_valid": len(digits.valid_y),
        "runs": written,
        "prng_seed": 20_26,
    }


@pytest.fixture(scope="module")
def parity(lab_digits, tmp_path_factory) -> tuple[dict, dict]:
    """Return (the fixture, Node's answers) for PARITY_RUNS."""
    folder = tmp_path_factory.mktemp("lab-parity")
    fixture = fixture_for(lab_digits, PARITY_RUNS, folder)
    return fixture, run_node(fixture, folder)


def history_array(history) -> np.ndarray:
    """Return a history (EpochStats or Node's dicts) as (epochs + 1, 4) numbers."""
    rows = [[getattr(s, k) if hasattr(s, k) else s[k] for k in STATS] for s in history]
    return np.array(rows, dtype=np.float64)


def largest_differences(lab_digits, parity) -> dict[str, float]:
    """Return, per run, the largest difference between Node's numbers and lessons_code's,
    from the same starting parameters and batches."""
    fixture, answers = parity
    found = {}
    for name, written, answer in zip(PARITY_RUNS, fixture["runs"], answers["runs"], strict=True):
        settings = PARITY_RUNS[name]
        initial = lab.init(settings, lab.Mulberry32(settings.seed))
        orders = (np.array(order) for order in written["orders"])
        python = lab.train_from(initial, settings, lab_digits, orders)
        assert len(answer["given"]) == settings.epochs + 1, name
        found[name] = float(
            np.abs(history_array(answer["given"]) - history_array(python.history)).max()
        )
    return found


def test_the_generator_is_the_same_in_both_languages(parity):
    _, answers = parity
    rng = lab.Mulberry32(20_26)
    assert answers["uint32"] == [rng.next_uint32() for _ in range(1000)]
    normals = [rng.normal() for _ in range(1000)]
    np.testing.assert_allclose(answers["normal"], normals, rtol=1e-14, atol=1e-15)
    assert answers["permutation"] == rng.permutation(1000).tolist()


def test_the_same_seed_gives_the_same_start_and_batches(parity):
    fixture, answers = parity
    for name, written, answer in zip(PARITY_RUNS, fixture["runs"], answers["runs"], strict=True):
        for param, values in written["initial"].items():
            np.testing.assert_allclose(answer["initial"][param], values, rtol=0, atol=1e-15)
        if PARITY_RUNS[name].shuffle:
            assert answer["orders"] == written["orders"], name


def test_the_page_trains_as_lessons_code_does_to_1e_9(lab_digits, parity):
    """From the same starting parameters and batches, every epoch's losses and accuracies."""
    differences = largest_differences(lab_digits, parity)
    assert max(differences.values()) <= TOLERANCE, differences
    fixture, answers = parity
    accuracies = {
        name: [stats["valid_accuracy"] for stats in answer["given"]]
        for name, answer in zip(PARITY_RUNS, answers["runs"], strict=True)
    }
    assert len({tuple(a) for a in accuracies.values()}) == len(PARITY_RUNS)  # runs differ


def test_a_run_from_the_seed_alone_is_lessons_code_labs(lab_digits, parity):
    _, answers = parity
    for name, answer in zip(PARITY_RUNS, answers["runs"], strict=True):
        python = lab.train(PARITY_RUNS[name], lab_digits)
        np.testing.assert_allclose(
            history_array(answer["seeded"]),
            history_array(python.history),
            rtol=0,
            atol=TOLERANCE,
            err_msg=name,
        )


def test_the_chapters_settings_learn_and_a_huge_rate_overshoots(lab_digits):
    chapter = lab.train(replace(LINEAR, batch_size=32), lab_digits)
    assert chapter.history[-1].train_loss < chapter.history[0].train_loss / 3
    assert chapter.final_valid_accuracy > 0.85 and not chapter.diverged
    huge = lab.train(replace(LINEAR, lr=1e4, loss="binary_cross_entropy"), lab_digits)
    assert huge.history[-1].train_loss > 10 * huge.history[0].train_loss


def test_a_run_that_overflows_stops_there(lab_digits):
    settings = replace(NET, hidden=4, init="init_params", loss="binary_cross_entropy", epochs=200)
    rng = lab.Mulberry32(0)
    start = {name: value * 1e200 for name, value in lab.init(settings, rng).items()}
    run = lab.train_from(start, settings, lab_digits, lab.batch_orders(settings, rng, 400))
    assert run.diverged and len(run.history) < settings.epochs + 1


def test_without_zero_grad_each_step_adds_up_every_gradient(lab_digits):
    settings = replace(LINEAR, zero_grad=False, batch_size=200, epochs=1)  # two steps, lr 1
    start = lab.init(settings, lab.Mulberry32(0))
    run = lab.train_from(start, settings, lab_digits, [np.arange(400)])
    x, y = lab.scaled(lab_digits.train_x, "0-1"), lab_digits.train_y
    calc_grad = lab.MODELS["linear"][1]
    _, first = calc_grad(start, x[:200], y[:200])
    by_hand = {name: start[name] - first[name] for name in start}
    _, second = calc_grad(by_hand, x[200:], y[200:])
    by_hand = {name: by_hand[name] - (first[name] + second[name]) for name in start}
    np.testing.assert_allclose(run.params["weights"], by_hand["weights"], rtol=0, atol=1e-12)
    assert np.abs(second["weights"]).max() > 0


def test_settings_that_cannot_work_are_refused_by_name():
    for changes, field in [
        ({"lr": 0.0}, "lr"),
        ({"epochs": 2.5}, "epochs"),
        ({"batch_size": 401}, "batch_size"),
        ({"hidden": 0}, "hidden"),
        ({"loss": "mse"}, "loss"),
        ({"shuffle": "yes"}, "shuffle"),
        ({"seed": -1}, "seed"),
    ]:
        with pytest.raises(learner.RecipeError) as raised:
            lab.check_settings(replace(LINEAR, **changes), n_train=400)
        assert raised.value.field == field


def test_the_lab_data_keeps_the_chapters_order(lab_digits):
    for y in (lab_digits.train_y, lab_digits.valid_y):
        assert (np.diff(y) <= 0).all() and y[0] == 1 and y[-1] == 0  # every 3, then every 7
    assert lab_digits.train_x.dtype == np.uint8 and lab_digits.train_x.shape == (400, 784)


def test_on_real_mnist_the_lab_gets_a_stratified_sample(real_data):
    digits = lab.lab_data(real_data, site_lab.TRAIN_SIZE, site_lab.VALID_SIZE, seed=0)
    for y, full, size in [
        (digits.train_y, real_data.train_y, site_lab.TRAIN_SIZE),
        (digits.valid_y, real_data.valid_y, site_lab.VALID_SIZE),
    ]:
        assert len(y) == size
        assert abs((y == 1).sum() - size * (full == 1).mean()) <= 1


@pytest.fixture(scope="module")
def built_lab(built) -> tuple[dict, lab.LabData, bytes]:
    """Return the built site's lab.json, its digits read back, and the digits file."""
    folder = built / "site" / "data"
    config = json.loads((folder / "lab.json").read_text())
    packed = (folder / config["digits"]["file"]).read_bytes()
    raw = np.frombuffer(gzip.decompress(packed), dtype=np.uint8)
    n_train, n_valid = config["digits"]["train_size"], config["digits"]["valid_size"]
    images = raw[: (n_train + n_valid) * 784].reshape(-1, 784)
    labels = raw[(n_train + n_valid) * 784 :].astype(np.float64)
    digits = lab.LabData(images[:n_train], labels[:n_train], images[n_train:], labels[n_train:])
    return config, digits, packed


def test_the_built_digits_are_the_bundled_samples_3s_and_7s(built_lab):
    config, digits, _ = built_lab
    mnist = data.load_threes_sevens(data.SAMPLE_DIR)
    assert config["digits"]["train_size"] == len(mnist.train_y) == 800
    assert config["digits"]["valid_size"] == len(mnist.valid_y) == 200
    np.testing.assert_array_equal(digits.valid_x, np.round(mnist.valid_x * 255))
    assert int(digits.train_y.sum()) == config["digits"]["train_threes"] == 400


def test_a_default_run_in_node_ends_on_the_builds_accuracy(built_lab, built, tmp_path):
    config, digits, _ = built_lab
    answers = run_node(fixture_for(digits, {"default": LINEAR}, tmp_path), tmp_path)
    final = answers["runs"][0]["seeded"][-1]
    assert final["valid_accuracy"] == config["build"]["valid_accuracy"]
    shown = "".join(parse(html_path(built / "site", "lab.md")).text)
    assert f"{config['build']['valid_accuracy']:.1%}" in shown


def test_the_pages_menus_offer_exactly_the_labs_choices():
    page = (REPO / "docs" / "lab.md").read_text()
    for name, choices in lab.CHOICES.items():
        menu = page.split(f'data-testid="lab-{name.replace("_", "-")}"', 1)[1].split("</select>")[0]
        offered = [part.split('"', 1)[0] for part in menu.split('<option value="')[1:]]
        words = {True: "yes", False: "no"}
        assert offered == [words.get(choice, choice) for choice in choices], name
    for name in lab.BOUNDS:
        assert f'data-testid="lab-{name.replace("_", "-")}"' in page, name
