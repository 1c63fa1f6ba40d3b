"""A digit image made into MNIST's 28×28: the same steps as the drawing pad, to 1e-9.

`lessons predict` reduces a photo with lessons_code.digit_image; the site's pad reduces
a drawing with reduceToMnist in docs/javascripts/widgets/pad.mjs. Node runs the pad's
own module here on the same inputs, and every pixel agrees.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from PIL import Image

from lessons_code import data
from lessons_code.digit_image import (
    DigitImageError,
    area_weights,
    read_digit,
    reduce_to_mnist,
)
from tests.support import REPO, processes
from tests.support.browser import require

TOLERANCE = 1e-9


def stroke_drawing(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """Return a pad-like drawing: a few thick anti-aliased strokes somewhere on the canvas."""
    ys, xs = np.mgrid[0:height, 0:width]
    ink = np.zeros((height, width))
    points = rng.uniform([0, 0], [width, height], size=(rng.integers(2, 6), 2))
    radius = rng.uniform(1, max(2, min(width, height) / 12))
    for (x0, y0), (x1, y1) in zip(points[:-1], points[1:], strict=True):
        for t in np.linspace(0, 1, 40):
            x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
            distance = np.hypot(xs + 0.5 - x, ys + 0.5 - y)
            ink = np.maximum(ink, np.clip(radius + 0.5 - distance, 0, 1))
    return ink


def cases() -> list[np.ndarray]:
    """Return inputs of every kind: drawings of many sizes, a dot, a line, noise, nothing."""
    rng = np.random.default_rng(18)
    drawings = [
        stroke_drawing(rng, width, height)
        for width, height in [(280, 280), (280, 280), (300, 150), (64, 200), (56, 56), (13, 9)]
    ]
    dot = np.zeros((280, 280))
    dot[100, 200] = 0.5
    line = np.zeros((50, 120))
    line[20, 5:115] = 1
    square = np.zeros((100, 100))
    square[10:30, 60:80] = 1  # symmetric: its centre of mass is exactly half a pixel off
    noise = rng.uniform(size=(37, 23)) * (rng.uniform(size=(37, 23)) < 0.3)
    return [*drawings, dot, line, square, noise, np.zeros((28, 28))]


@pytest.fixture(scope="module")
def pad_reductions() -> list[list[float]]:
    """Return the drawing pad's own reduction of every case, computed by Node."""
    node = shutil.which("node")
    if node is None:
        require("node", "apt-get install -y nodejs")
    request = {
        "cases": [
            {"ink": ink.reshape(-1).tolist(), "width": ink.shape[1], "height": ink.shape[0]}
            for ink in cases()
        ]
    }
    result = processes.run(
        [node, str(REPO / "tests" / "js" / "reduce.mjs")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(result.stdout)


def test_python_and_the_pad_reduce_alike(pad_reductions):
    for index, (ink, by_pad) in enumerate(zip(cases(), pad_reductions, strict=True)):
        np.testing.assert_allclose(
            reduce_to_mnist(ink), by_pad, rtol=0, atol=TOLERANCE, err_msg=f"case {index}"
        )


def test_area_weights_keep_the_ink():
    for source, target in [(280, 20), (7, 20), (1000, 13), (5, 5)]:
        weights = area_weights(source, target)
        np.testing.assert_allclose(weights.sum(axis=1), 1, atol=1e-12)
        np.testing.assert_allclose(weights.sum(axis=0), target / source, atol=1e-12)


def test_the_box_fits_20_by_20_keeping_its_aspect_ratio():
    wide = np.zeros((100, 300))
    wide[40:70, 0:300] = 1  # 300 × 30 -> 20 × 2
    pixels = reduce_to_mnist(wide).reshape(28, 28)
    assert np.flatnonzero(pixels.any(axis=0)).size == 20
    assert np.flatnonzero(pixels.any(axis=1)).size == 2
    assert pixels.min() >= 0 and pixels.max() <= 1


def test_where_the_digit_sits_does_not_matter():
    rng = np.random.default_rng(4)
    drawing = stroke_drawing(rng, 60, 60)
    left, right = np.zeros((200, 300)), np.zeros((200, 300))
    left[0:60, 0:60] = drawing
    right[130:190, 235:295] = drawing
    np.testing.assert_array_equal(reduce_to_mnist(left), reduce_to_mnist(right))


def test_an_mnist_digit_drawn_twice_as_large_reduces_back_to_itself():
    """The reduction is MNIST's own: a digit of the sample, doubled, comes back unchanged."""
    mnist = data.load_threes_sevens(data.SAMPLE_DIR)
    correlations = []
    for image in mnist.valid_x[:50]:
        digit = image.reshape(28, 28).astype(np.float64)
        doubled = np.kron(digit, np.ones((2, 2)))  # each pixel as a 2 × 2 block: 56 × 56
        correlations.append(np.corrcoef(reduce_to_mnist(doubled), digit.reshape(-1))[0, 1])
    assert np.median(correlations) > 0.999
    assert min(correlations) > 0.95


def alike(first: np.ndarray, second: np.ndarray) -> float:
    """Return the correlation of two 28×28 digits, the better of any shift by one pixel.

    A JPEG's faint ringing can widen the ink's box by a pixel, which moves the digit by one.
    """
    second = second.reshape(28, 28)
    return max(
        np.corrcoef(first, np.roll(second, (dy, dx), axis=(0, 1)).reshape(-1))[0, 1]
        for dy in (-1, 0, 1)
        for dx in (-1, 0, 1)
    )


def save(tmp_path, name: str, pixels: np.ndarray, mode: str = "L"):
    path = tmp_path / name
    Image.fromarray(np.round(pixels * 255).astype(np.uint8)).convert(mode).save(path)
    return path


@pytest.mark.parametrize(
    ("name", "mode"),
    [("digit.png", "L"), ("digit.jpg", "RGB"), ("digit.gif", "P"), ("digit.webp", "RGB")],
)
def test_any_image_pillow_reads_gives_the_same_digit(tmp_path, name, mode):
    rng = np.random.default_rng(7)
    paper = 1 - stroke_drawing(rng, 120, 120)  # dark ink on white paper
    reference = read_digit(save(tmp_path, "reference.png", paper))
    digit = read_digit(save(tmp_path, name, paper, mode))
    assert digit.inverted and digit.reduced and digit.size == (120, 120)
    assert alike(digit.pixels, reference.pixels) > 0.95


def test_transparent_paper_counts_as_white(tmp_path):
    ink = stroke_drawing(np.random.default_rng(2), 90, 90)
    rgba = np.zeros((90, 90, 4), dtype=np.uint8)
    rgba[..., 3] = np.round(ink * 255)  # black strokes on a see-through canvas, like the pad
    Image.fromarray(rgba, "RGBA").save(tmp_path / "pad.png")
    digit = read_digit(tmp_path / "pad.png")
    assert digit.inverted
    expected = reduce_to_mnist(np.clip((ink - 0.2) / 0.8, 0, 1))
    assert np.corrcoef(digit.pixels, expected)[0, 1] > 0.99


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "could not read it"),
        (b"just some text", "could not read it"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "could not read it"),
    ],
)
def test_what_is_not_an_image_raises_the_named_error(tmp_path, content, says):
    path = tmp_path / "not-an-image.png"
    path.write_bytes(content)
    with pytest.raises(DigitImageError, match=says):
        read_digit(path)
    assert issubclass(DigitImageError, data.DataError)


def test_a_blank_photo_holds_no_digit(tmp_path):
    with pytest.raises(DigitImageError, match="found no ink"):
        read_digit(save(tmp_path, "blank.jpg", np.full((40, 60), 0.9), "RGB"))
