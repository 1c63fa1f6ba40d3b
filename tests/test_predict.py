"""`lessons predict`: the site's weights, taken home, score a learner's own PNG."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from lessons_code import linear_model, weights_file
from lessons_code.weights_file import load_weights, npz_bytes
from tests.support import run_cli


@pytest.fixture(scope="module")
def trained(tiny_data):
    return linear_model.train(tiny_data, linear_model.Recipe(epochs=5, batch_size=50))


@pytest.fixture
def weights_npz(tmp_path, trained):
    path = tmp_path / "weights.npz"
    path.write_bytes(npz_bytes(trained.params["weights"], float(trained.params["bias"])))
    return path


def save_png(path, pixels01: np.ndarray):
    Image.fromarray(np.round(pixels01.reshape(28, 28) * 255).astype(np.uint8)).save(path)
    return path


def test_npz_is_reproducible_and_round_trips(trained, weights_npz):
    weights, bias = trained.params["weights"], float(trained.params["bias"])
    assert npz_bytes(weights, bias) == npz_bytes(weights, bias)
    loaded_weights, loaded_bias = load_weights(weights_npz)
    np.testing.assert_array_equal(loaded_weights, weights.astype(np.float64))
    assert loaded_bias == bias


def test_predict_on_a_validation_png_matches_linear1(tmp_path, tiny_data, trained, weights_npz):
    png = save_png(tmp_path / "digit.png", tiny_data.valid_x[3])
    result = run_cli("predict", "--weights", str(weights_npz), str(png), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    pixels = weights_file.read_png(png) / 255  # exactly what the PNG holds
    expected = linear_model.linear1(
        pixels[None, :], trained.params["weights"].astype(float), float(trained.params["bias"])
    )[0]
    assert summary["score"] == pytest.approx(expected, abs=1e-9)
    assert summary["verdict"] == ("3" if expected > 0 else "7")
    human = run_cli("predict", "--weights", str(weights_npz), str(png)).stdout
    assert "the model says" in human


def test_dark_ink_on_white_paper_is_inverted(tmp_path, tiny_data, trained, weights_npz):
    image = tiny_data.valid_x[3]
    light = save_png(tmp_path / "mnist.png", image)
    paper = save_png(tmp_path / "paper.png", 1 - image)
    ink, _ = weights_file.read_digit(light)
    flipped, inverted = weights_file.read_digit(paper)
    assert inverted and np.allclose(ink, flipped, atol=1 / 255)


def test_json_weights_work_too(tmp_path, trained):
    path = tmp_path / "model.json"
    weights = trained.params["weights"]
    path.write_text(json.dumps({"weights": weights.tolist(), "bias": 0.5}))
    loaded, bias = load_weights(path)
    assert loaded.shape == (784,) and bias == 0.5


@pytest.mark.parametrize(
    ("make_weights", "make_image", "says"),
    [
        ("good", "not a png", "expected a PNG"),
        ("good", "wrong size", "28×28"),
        ("short", "good", "784 weights and one bias"),
        ("not weights", "good", "'weights' and 'bias'"),
        ("missing", "good", "no such weights file"),
    ],
)
def test_bad_input_is_one_clear_line(
    tmp_path, tiny_data, weights_npz, make_weights, make_image, says
):
    weights = {
        "good": weights_npz,
        "short": tmp_path / "short.npz",
        "not weights": tmp_path / "text.npz",
        "missing": tmp_path / "nowhere.npz",
    }[make_weights]
    (tmp_path / "short.npz").write_bytes(npz_bytes(np.zeros(100), 0.0))
    (tmp_path / "text.npz").write_text("hello")
    image = tmp_path / "image.png"
    if make_image == "not a png":
        image.write_text("just text")
    elif make_image == "wrong size":
        Image.new("L", (64, 64)).save(image)
    else:
        save_png(image, tiny_data.valid_x[0])
    result = run_cli("predict", "--weights", str(weights), str(image))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr
