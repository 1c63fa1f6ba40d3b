"""Apples and pears: the receipts analogy of the forum reply."""

from __future__ import annotations

import numpy as np
import pytest

from lessons_code import apples_pears as ap


def test_the_forum_walk_33_then_8_25_then_7():
    walk = ap.guessing_walk()
    assert [guess.prices for guess in walk] == [(5.0, 9.0), (1.25, 2.25), (1.0, 2.0)]
    assert [guess.total for guess in walk] == [33.0, 8.25, 7.0]  # the post's 7.25 was a slip


def test_the_fee_is_added_to_every_basket_like_a_bias():
    assert ap.price_basket((3, 2), (1, 2)) == 7
    assert ap.price_basket((3, 2), (1, 2), fee=3) == 10
    assert ap.price_basket((0, 0), (1, 2), fee=3) == 3  # an empty bag costs the fee


def test_one_receipt_fits_a_whole_line_of_prices():
    story = ap.make_receipts([ap.STORY_BASKET])[0]
    apples = np.linspace(0, 2, 5)
    pears = ap.pear_prices_fitting(story, apples)
    for apple, pear in zip(apples, pears, strict=True):
        assert ap.price_basket(story.quantities, (apple, pear)) == pytest.approx(7)
    with pytest.raises(ValueError, match="cannot decide 2 prices"):
        ap.solve_prices([story])


def test_two_independent_receipts_fix_the_prices():
    np.testing.assert_allclose(ap.solve_prices(ap.make_receipts()[:2]), ap.TRUE_PRICES)
    twice_the_basket = [ap.Receipt((3, 2), 7), ap.Receipt((6, 4), 14)]
    with pytest.raises(ValueError, match="1 independent"):
        ap.solve_prices(twice_the_basket)


def test_gradient_descent_recovers_prices_and_fee():
    receipts = ap.make_receipts(fee=ap.BAG_FEE)
    descent = ap.descend(receipts, learn_fee=True)
    np.testing.assert_allclose(descent.prices[-1], ap.TRUE_PRICES, atol=1e-3)
    assert descent.fees[-1] == pytest.approx(ap.BAG_FEE, abs=1e-3)
    assert descent.losses[-1] < descent.losses[0]
    assert np.all(np.diff(descent.losses) <= 1e-12)  # each step goes downhill


def test_gradient_matches_finite_differences():
    receipts = ap.make_receipts(fee=ap.BAG_FEE)
    prices, fee, eps = np.array([1.7, 0.4]), 0.9, 1e-6
    d_prices, d_fee = ap.receipts_grad(receipts, prices, fee)
    for item in range(2):
        step = np.eye(2)[item] * eps
        numeric = (
            ap.receipts_loss(receipts, prices + step, fee)
            - ap.receipts_loss(receipts, prices - step, fee)
        ) / (2 * eps)
        assert d_prices[item] == pytest.approx(numeric, rel=1e-6)
    numeric_fee = (
        ap.receipts_loss(receipts, prices, fee + eps)
        - ap.receipts_loss(receipts, prices, fee - eps)
    ) / (2 * eps)
    assert d_fee == pytest.approx(numeric_fee, rel=1e-6)


def test_loss_surface_is_zero_at_the_true_prices():
    receipts = ap.make_receipts()
    apples, pears = np.array([0.0, 1.0, 2.0]), np.array([1.0, 2.0])
    surface = ap.loss_surface(receipts, apples, pears)
    assert surface.shape == (2, 3)
    assert surface[1, 1] == 0.0
    assert surface[0, 0] == ap.receipts_loss(receipts, (0.0, 1.0))
