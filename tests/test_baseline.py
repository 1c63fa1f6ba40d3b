"""Pixel similarity: the learner's abs(value - ideal) idea."""

from __future__ import annotations

import numpy as np
import pytest

from lessons_code import linear_model
from lessons_code.baseline import (
    ideal_digits,
    is_3,
    mnist_distance,
    pixel_similarity,
    templates_as_weights,
)


def test_ideal_digits_are_the_class_means():
    images = np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0], [0.0, 0.5]])
    labels = np.array([1, 1, 0, 0])
    ideal_3, ideal_7 = ideal_digits(images, labels)
    assert ideal_3.tolist() == [0.5, 0.0] and ideal_7.tolist() == [0.0, 0.75]


def test_distances():
    images = np.array([[1.0, 0.0, 0.0, 0.0]])
    ideal = np.zeros(4)
    assert mnist_distance(images, ideal, "l1")[0] == 0.25
    assert mnist_distance(images, ideal, "l2")[0] == 0.5
    with pytest.raises(ValueError, match="'l1' or 'l2'"):
        mnist_distance(images, ideal, "l3")


def test_closest_ideal_wins():
    ideal_3, ideal_7 = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    assert is_3(np.array([[0.9, 0.2], [0.1, 0.8]]), ideal_3, ideal_7).tolist() == [True, False]


def test_pixel_similarity_separates_synthetic_digits(tiny_data):
    result = pixel_similarity(tiny_data)
    assert result.accuracy_3 > 0.95 and result.accuracy_7 > 0.95


def test_pixel_similarity_reference_figures_on_real_mnist(real_data):
    result = pixel_similarity(real_data, "l1")
    # ../shared/data/mnist/README.md: 3s 0.9198, 7s 0.9874 on exactly these files.
    assert round(result.accuracy_3, 4) == 0.9198
    assert round(result.accuracy_7, 4) == 0.9874


@pytest.mark.parametrize("source", ["tiny", "sample"])
def test_distance_to_two_templates_is_a_linear_model(tiny_data, source):
    """Seed 001's deepest answer: L2 pixel similarity is multiply-and-add, bias included."""
    from lessons_code.data import load_threes_sevens

    data = tiny_data if source == "tiny" else load_threes_sevens(None)
    similarity = pixel_similarity(data, "l2")
    weights, bias = templates_as_weights(similarity.ideal_3, similarity.ideal_7)
    scores = linear_model.linear1(data.valid_x.astype(float), weights, bias)
    called_3 = is_3(data.valid_x, similarity.ideal_3, similarity.ideal_7, "l2")
    np.testing.assert_array_equal(scores > 0, called_3)
    assert linear_model.batch_accuracy(scores, data.valid_y) == similarity.accuracy
    np.testing.assert_allclose(weights, 2 * (similarity.ideal_3 - similarity.ideal_7))
