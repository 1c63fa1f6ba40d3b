"""`lessons predict`: the site's weights (or yours, from `lessons train --save`) score a
learner's own digit: a 28×28 PNG as it is, any other image reduced as MNIST's were."""

from __future__ import annotations

import gc
import io
import json
import os
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lessons_code import data, digit_image, linear_model
from lessons_code.weights_file import WeightsFileError, load_weights, npz_bytes
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
    pixels = data.read_png(png) / 255  # exactly what the PNG holds
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
    ink, flipped = digit_image.read_digit(light), digit_image.read_digit(paper)
    assert flipped.inverted and not ink.inverted
    assert np.allclose(ink.pixels, flipped.pixels, atol=1 / 255)


def test_json_weights_work_too(tmp_path, trained):
    path = tmp_path / "model.json"
    weights = trained.params["weights"]
    path.write_text(json.dumps({"weights": weights.tolist(), "bias": 0.5}))
    loaded, bias = load_weights(path)
    assert loaded.shape == (784,) and bias == 0.5


@pytest.mark.parametrize(
    ("make_weights", "make_image", "says"),
    [
        ("good", "not a png", "expected an image (PNG, JPEG, ...)"),
        ("good", "blank", "found no ink"),
        ("good", "missing", "no such image file"),
        ("short", "good", "784 weights and one bias"),
        ("not weights", "good", "not a weights file"),
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
    elif make_image == "blank":
        Image.new("L", (64, 64), 255).save(image)
    elif make_image == "missing":
        image = tmp_path / "nowhere.png"
    else:
        save_png(image, tiny_data.valid_x[0])
    result = run_cli("predict", "--weights", str(weights), str(image))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr


def test_an_image_given_as_weights_is_not_a_weights_file_and_no_pickle_advice(tmp_path, tiny_data):
    png = save_png(tmp_path / "digit.png", tiny_data.valid_x[0])
    result = run_cli("predict", "--weights", str(png), str(png))
    assert result.returncode == 2
    assert "not a weights file" in result.stderr and "found a PNG image" in result.stderr
    assert "pickle" not in result.stderr.lower()


def test_an_archive_of_python_objects_gets_no_pickle_advice(tmp_path):
    objects = tmp_path / "objects.npz"
    np.savez(objects, weights=np.array([{"a": 1}] * 784, dtype=object), bias=np.array(0.0))
    result = run_cli("predict", "--weights", str(objects), str(objects))
    assert result.returncode == 2 and "not a weights file" in result.stderr
    assert "pickle" not in result.stderr.lower()


def real_digit(digit: str) -> np.ndarray:
    """Return the first validation image of a 3 or a 7 of the bundled sample, 28×28 in [0, 1]."""
    mnist = data.load_threes_sevens(data.SAMPLE_DIR)
    return mnist.valid_x[mnist.valid_y == data.DIGITS[digit]][0].reshape(28, 28)


@pytest.fixture(scope="module")
def sample_weights(tmp_path_factory):
    """Return weights.npz of the chapter's model trained on the bundled sample."""
    mnist = data.load_threes_sevens(data.SAMPLE_DIR)
    run = linear_model.train(mnist)
    path = tmp_path_factory.mktemp("weights") / "weights.npz"
    path.write_bytes(npz_bytes(run.params["weights"], float(run.params["bias"])))
    return path


@pytest.mark.parametrize("digit", ["3", "7"])
def test_a_photo_as_jpeg_dark_ink_on_paper_is_read_and_reduced(tmp_path, sample_weights, digit):
    paper = np.round((1 - real_digit(digit)) * 255).astype(np.uint8)
    photo = Image.fromarray(paper).resize((150, 120), Image.BILINEAR).convert("RGB")
    photo.save(tmp_path / "photo.jpg", quality=80)
    result = run_cli("predict", "--weights", str(sample_weights), str(tmp_path / "photo.jpg"))
    assert result.returncode == 0, result.stderr
    assert "inverted" in result.stdout and "150×120 image reduced" in result.stdout
    assert result.stdout.rstrip().endswith(f"the model says {digit}")


def test_a_56_by_56_image_is_reduced_like_mnist_not_refused(tmp_path, sample_weights):
    three = real_digit("3")
    big = Image.fromarray(np.round(three * 255).astype(np.uint8)).resize((56, 56), Image.NEAREST)
    big.save(tmp_path / "big.png")
    result = run_cli(
        "predict", "--weights", str(sample_weights), str(tmp_path / "big.png"), "--json"
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["size"] == [56, 56] and summary["reduced"] and summary["verdict"] == "3"
    digit = digit_image.read_digit(tmp_path / "big.png")
    # The reduction of an MNIST digit drawn twice as large is close to the digit itself.
    assert np.corrcoef(digit.pixels, three.reshape(-1))[0, 1] > 0.95


def test_show_prints_the_28_by_28_input(tmp_path, sample_weights):
    png = save_png(tmp_path / "digit.png", real_digit("7"))
    result = run_cli("predict", "--weights", str(sample_weights), str(png), "--show")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    start = lines.index("the model's input, 28×28:") + 1
    frame = lines[start : start + 30]
    assert frame[0] == frame[-1] == "+" + "-" * 56 + "+"
    assert all(len(row) == 58 and row[0] == row[-1] == "|" for row in frame[1:-1])
    inked = {i for i, row in enumerate(frame[1:-1]) if row.strip("| ")}
    assert 10 <= len(inked) <= 28
    summary = json.loads(
        run_cli("predict", "--weights", str(sample_weights), str(png), "--show", "--json").stdout
    )
    assert len(summary["pixels"]) == 784


# Found by the property tests of tests/test_bad_files.py and tests/test_bad_arguments.py.


def test_a_damaged_npz_leaves_no_file_open(tmp_path):
    """numpy's np.load(path) kept the file open when the archive was damaged: a
    ResourceWarning, printed as "Exception ignored" under `python -W error`."""
    damaged = tmp_path / "damaged.npz"
    damaged.write_bytes(npz_bytes(np.zeros(784), 0.0)[:-30])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(WeightsFileError, match="not a weights file"):
            load_weights(damaged)
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]


@pytest.mark.parametrize("name", ["n" * 5000, "weights\x00.npz"])
def test_a_weights_name_the_system_refuses_is_a_weights_file_error(name):
    with pytest.raises(WeightsFileError, match="cannot read it"):
        load_weights(name)


def test_an_image_name_too_long_for_the_system_is_a_digit_image_error():
    with pytest.raises(digit_image.DigitImageError, match="File name too long"):
        digit_image.read_digit("n" * 5000)


def test_pillows_warnings_about_a_damaged_photo_are_not_printed(tmp_path):
    """A TIFF cut after its header made Pillow warn "Corrupt EXIF data" above the error."""
    photo = tmp_path / "photo.tiff"
    buffer = io.BytesIO()
    Image.new("L", (64, 64), 255).save(buffer, format="TIFF")
    photo.write_bytes(buffer.getvalue()[:8])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(digit_image.DigitImageError, match="could not read it"):
            digit_image.read_digit(photo)
    assert not caught, [str(w.message) for w in caught]


@pytest.mark.parametrize(
    ("make", "says"),
    [
        ("folder", "expected an image file, found a folder"),
        ("fifo", "expected an image file, found a named pipe (FIFO)"),
        ("device", "expected an image file, found a device"),
        ("missing", "no such image file"),
    ],
)
def test_what_is_not_an_image_file_is_named_for_what_it_is(tmp_path, weights_npz, make, says):
    """A folder, a FIFO or /dev/zero were all "no such image file"; a FIFO or a device
    must not even be opened (reading waits for a writer, or never ends)."""
    image = {"folder": tmp_path, "device": Path("/dev/zero")}.get(make, tmp_path / "digit")
    if make == "fifo":
        os.mkfifo(image)
    result = run_cli("predict", "--weights", str(weights_npz), str(image))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert says in result.stderr


@pytest.mark.parametrize("make", ["folder", "fifo", "device"])
def test_what_is_not_a_weights_file_is_named_and_never_read(tmp_path, make):
    weights = {"folder": tmp_path, "device": Path("/dev/zero")}.get(make, tmp_path / "w.npz")
    if make == "fifo":
        os.mkfifo(weights)  # opened, it would wait for a writer for ever
    with pytest.raises(WeightsFileError, match="expected a weights file, found a"):
        load_weights(weights)


def shadowed_photo(digit: np.ndarray, side: int = 240) -> np.ndarray:
    """Return a photo-like grey image (side, side) in [0, 1]: white paper darkened by a
    shadow growing into the top-left corner, and the digit written on it in dark ink."""
    rows, columns = np.mgrid[0:side, 0:side] / side
    shadow = np.clip(0.75 - (rows + columns), 0, None)  # up to 0.75 darker in the corner
    paper = 0.92 - shadow
    ink = np.asarray(Image.fromarray(np.uint8(digit * 255)).resize((side // 2, side // 2)))
    stroke = np.zeros((side, side))
    stroke[side // 3 : side // 3 + side // 2, side // 3 : side // 3 + side // 2] = ink / 255
    return np.clip(paper - 0.85 * stroke, 0, 1)


def test_a_photo_with_a_shadow_is_said_to_look_unlike_mnist_and_shown(tmp_path, sample_weights):
    """The shadow reads as ink and the model answers anyway: the output says why its
    answer means little, and pictures the 28×28 image it scored."""
    photo = tmp_path / "photo.png"
    Image.fromarray(np.uint8(np.round(shadowed_photo(real_digit("7")) * 255))).save(photo)
    result = run_cli("predict", "--weights", str(sample_weights), str(photo))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "the model's input, 28×28:" in lines  # shown without --show
    warning = lines.index(
        "this does not look like an MNIST digit; the answer below may mean little:"
    )
    assert any("touches" in line and "border" in line for line in lines[warning + 1 : -1])
    assert "the model says" in lines[-1]
    summary = json.loads(
        run_cli("predict", "--weights", str(sample_weights), str(photo), "--json").stdout
    )
    assert summary["unlike_mnist"] and "pixels" not in summary  # --show adds them to JSON


def test_a_clean_photo_and_every_mnist_digit_look_like_mnist(tmp_path):
    """The warnings must not cry wolf: no bundled digit, and no clean photo, gets one."""
    mnist = data.load_digits(data.SAMPLE_DIR)
    for pixels in np.concatenate([mnist.train_x, mnist.valid_x]):
        digit = digit_image.Digit(
            pixels, False, (28, 28), False, digit_image.border_share(pixels.reshape(28, 28))
        )
        assert digit_image.unlike_mnist(digit) == []
    paper = np.round((1 - real_digit("3")) * 255).astype(np.uint8)
    Image.fromarray(paper).resize((150, 120), Image.BILINEAR).save(tmp_path / "photo.png")
    assert digit_image.unlike_mnist(digit_image.read_digit(tmp_path / "photo.png")) == []
