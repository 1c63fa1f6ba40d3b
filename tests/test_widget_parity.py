"""The widgets compute what lessons_code computes: Node runs the widgets' own modules on
the build's exported JSON, and every number agrees with the lessons to 1e-9.

Node's unit tests of the same modules run with `node --test` (tests/js/).
"""

from __future__ import annotations

import base64
import json
import shutil

import numpy as np
import pytest

from lessons_code import apples_pears, digits, linear_model
from tests.support import REPO, processes
from tests.support.browser import require

TOLERANCE = 1e-9
DELTA = 0.01  # how far the nudge moves its weight, as one step of the page's slider


@pytest.fixture(scope="module")
def exported(built) -> dict:
    data = built / "site" / "data"
    return {
        name: json.loads((data / f"{name}.json").read_text())
        for name in ("model", "nudge", "receipts", "ten-digits")
    }


def ten_pixels() -> np.ndarray:
    """Return images to score on the ten-digit pad: blank, full ink, and random ink."""
    rng = np.random.default_rng(17)
    return np.vstack([np.zeros(784), np.ones(784), rng.uniform(0, 1, (8, 784))])


@pytest.fixture(scope="module")
def widgets(exported) -> dict:
    """Return the widgets' numbers, computed by Node from the exported JSON."""
    node = shutil.which("node")
    if node is None:
        require("node", "apt-get install -y nodejs")
    request = json.dumps(
        {
            **exported,
            "delta": DELTA,
            "ten_pixels": ten_pixels().tolist(),
            "descent_steps": apples_pears.STEPS,
        }
    )
    result = processes.run(
        [node, str(REPO / "tests" / "js" / "parity.mjs")],
        input=request,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


def test_the_pads_score_is_linear1(exported, widgets):
    model = exported["model"]
    pixels = np.array([example["pixels"] for example in model["examples"]]) / 255
    expected = linear_model.linear1(pixels, np.array(model["weights"]), model["bias"])
    np.testing.assert_allclose(widgets["example_scores"], expected, rtol=0, atol=TOLERANCE)


def nudge_images(nudge: dict) -> np.ndarray:
    raw = np.frombuffer(base64.b64decode(nudge["images_base64"]), dtype=np.uint8)
    return raw.reshape(len(nudge["labels"]), 784) / 255


def test_mnist_loss_and_the_nudged_loss(exported, widgets):
    nudge = exported["nudge"]
    images, labels = nudge_images(nudge), np.array(nudge["labels"], dtype=float)
    weights = np.array(nudge["weights"])
    scores = linear_model.linear1(images, weights, nudge["bias"])
    np.testing.assert_allclose(widgets["nudge_scores"], scores, rtol=0, atol=TOLERANCE)
    assert abs(widgets["nudge_loss"] - linear_model.mnist_loss(scores, labels)) <= TOLERANCE
    weights[nudge["pixel"]] += DELTA
    moved = linear_model.linear1(images, weights, nudge["bias"])
    assert abs(widgets["nudged"]["loss"] - linear_model.mnist_loss(moved, labels)) <= TOLERANCE
    assert widgets["nudged"]["accuracy"] == linear_model.batch_accuracy(moved, labels)


def test_gradient_descent_on_the_receipts_is_descend(exported, widgets):
    """Step by step, the playground's descent in each shop is apples_pears.descend's, the
    fee learned only in the shop that adds one: in the other it stays 0."""
    shops = exported["receipts"]
    story = apples_pears.tell_story()
    assert shops["learns_fee"] == {"no fee": False, "bag fee": True}
    assert not story.descent.fees.any() and story.descent_with_fee.fees[-1] > 0
    for shop, receipts in shops["shops"].items():
        receipts = [apples_pears.Receipt(tuple(r["quantities"]), r["total"]) for r in receipts]
        descent = apples_pears.descend(
            receipts,
            shops["first_guess"],
            shops["learning_rate"],
            apples_pears.STEPS,
            learn_fee=shops["learns_fee"][shop],
        )
        path = widgets["receipts_paths"][shop]
        assert len(path) == len(descent.losses), shop
        np.testing.assert_allclose(
            [step["prices"] for step in path], descent.prices, rtol=0, atol=TOLERANCE
        )
        fees = [step["fee"] for step in path]
        np.testing.assert_allclose(fees, descent.fees, rtol=0, atol=TOLERANCE)
        if not shops["learns_fee"][shop]:
            assert set(fees) == {0}, shop


def test_descend_from_anywhere_in_the_sliders_ranges_never_climbs(exported, widgets):
    """The playground's "Descend" (150 checked steps of the widget's own code) from every
    corner and middle of the price ranges, in both shops: every step finite, none raising
    the loss, every descent ending next to the shop's true prices."""
    descents = widgets["descents"]
    assert len(descents) == 9 + 27  # the fee 0 where the shop adds none
    for descent in descents:
        assert descent["climbed"] == descent["refused"] == 0, descent
        assert descent["loss"] < 1e-3, descent


def test_the_pads_drawing_of_its_3_is_ascend_pixels(exported, widgets):
    model = exported["model"]
    weights = np.array(model["weights"])
    images = linear_model.ascend_pixels(
        weights, model["ascent"]["steps"], model["ascent"]["learning_rate"]
    )
    np.testing.assert_allclose(widgets["ascent"], images[-1], rtol=0, atol=TOLERANCE)


def test_the_ten_digit_pads_scores_and_softmax_are_the_lessons(exported, widgets):
    model = exported["ten-digits"]
    params = {"weights": np.array(model["templates"]).T, "bias": np.array(model["biases"])}
    assert params["weights"].shape == (784, 10) and params["bias"].shape == (10,)
    scores = digits.ten_predict(params, ten_pixels())
    np.testing.assert_allclose(widgets["ten_scores"], scores, rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(
        widgets["ten_probabilities"], digits.softmax(scores), rtol=0, atol=TOLERANCE
    )
    said = np.argmax(widgets["ten_probabilities"], axis=1)
    assert len(set(said.tolist())) > 1  # the inputs do not all land on one digit
