"""Apples and pears: finding prices from receipts is the same job as learning weights.

From the forum reply: "I buy 3 apples and 2 pears and it comes to 7 cents. How do
I calculate the price?" Guess, measure how wrong the guess is, adjust, repeat.

    items    <-> pixels          quantities <-> pixel brightness
    prices   <-> weights         bag fee    <-> bias
    total    <-> score           receipts   <-> the training set
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

TRUE_PRICES = (1.0, 2.0)
"""What the shop really charges, in cents: an apple costs 1, a pear costs 2."""

BAG_FEE = 3.0
"""The fixed fee the second shop adds to every receipt, whatever is in the bag."""

STORY_BASKET = (3, 2)
"""3 apples and 2 pears: the basket of the forum post."""

BASKETS = ((3, 2), (1, 0), (0, 1), (1, 2))
"""The baskets on the receipts we learn from: (apples, pears)."""

FIRST_GUESS = (5.0, 9.0)
"""The forum reply's random first guess at the prices."""

LEARNING_RATE = 0.1
STEPS = 300


@dataclass(frozen=True)
class Receipt:
    """One receipt: how many of each item, and what the till said."""

    quantities: tuple[float, ...]
    total: float


# --8<-- [start:price_basket]
def price_basket(
    quantities: Sequence[float],
    prices: Sequence[float],
    fee: float = 0.0,
):
    """Return the total of a basket: sum of quantity × price, plus the fixed
    fee."""
    return float(np.dot(quantities, prices) + fee)


# --8<-- [end:price_basket]


def make_receipts(
    baskets: Sequence[Sequence[float]] = BASKETS,
    prices: Sequence[float] = TRUE_PRICES,
    fee: float = 0.0,
) -> list[Receipt]:
    """Return the receipts the shop prints for these baskets at these prices."""
    return [Receipt(tuple(b), price_basket(b, prices, fee)) for b in baskets]


@dataclass(frozen=True)
class Guess:
    """One step of the guessing walk: the prices tried and the total they predict."""

    prices: tuple[float, float]
    total: float


def guessing_walk(receipt: Receipt | None = None) -> list[Guess]:
    """Return the forum reply's walk: 5 and 9 -> 33, a quarter of that -> 8.25, 1 and 2 -> 7."""
    receipt = receipt or make_receipts([STORY_BASKET])[0]
    first = FIRST_GUESS
    # 33 is about four times too much, so scale both prices by a quarter.
    scaled = (first[0] / 4, first[1] / 4)
    return [Guess(p, price_basket(receipt.quantities, p)) for p in (first, scaled, TRUE_PRICES)]


def pear_prices_fitting(receipt: Receipt, apple_prices: np.ndarray) -> np.ndarray:
    """Return, for each apple price, the pear price that makes this receipt exact."""
    apples, pears = receipt.quantities
    return (receipt.total - apples * np.asarray(apple_prices)) / pears


def solve_prices(receipts: Sequence[Receipt]) -> np.ndarray:
    """Return the only prices that fit these receipts exactly; ValueError if not decided."""
    quantities, totals = as_arrays(receipts)
    n_items = quantities.shape[1]
    if np.linalg.matrix_rank(quantities) < n_items:
        raise ValueError(
            f"{len(receipts)} receipt(s) with {np.linalg.matrix_rank(quantities)} independent "
            f"basket(s) cannot decide {n_items} prices: a whole line of prices fits"
        )
    prices, *_ = np.linalg.lstsq(quantities, totals, rcond=None)
    return prices


def as_arrays(receipts: Sequence[Receipt]) -> tuple[np.ndarray, np.ndarray]:
    """Return the receipts' quantities (n_receipts, n_items) and totals (n_receipts,)."""
    quantities = np.array([r.quantities for r in receipts], dtype=float)
    totals = np.array([r.total for r in receipts], dtype=float)
    return quantities, totals


# --8<-- [start:loss]
def receipts_errors(
    receipts: Sequence[Receipt],
    prices: Sequence[float],
    fee: float = 0.0,
):
    """Return predicted total minus printed total, one number per receipt."""
    quantities, totals = as_arrays(receipts)
    return quantities @ np.asarray(prices, dtype=float) + fee - totals


def receipts_loss(
    receipts: Sequence[Receipt],
    prices: Sequence[float],
    fee: float = 0.0,
):
    """Return the mean squared error between predicted and printed totals."""
    return float(np.mean(receipts_errors(receipts, prices, fee) ** 2))


def receipts_grad(
    receipts: Sequence[Receipt],
    prices: Sequence[float],
    fee: float = 0.0,
):
    """Return (d loss / d prices, d loss / d fee)."""
    quantities, _ = as_arrays(receipts)
    errors = receipts_errors(receipts, prices, fee)
    # an item bought more moves more
    d_prices = 2 * quantities.T @ errors / len(receipts)
    # the fee is on every receipt, like a bias on every image
    d_fee = 2 * errors.mean()
    return d_prices, float(d_fee)


# --8<-- [end:loss]


@dataclass(frozen=True)
class Descent:
    """The path of gradient descent: prices, fee and loss at every step."""

    prices: np.ndarray  # (steps + 1, n_items)
    fees: np.ndarray  # (steps + 1,)
    losses: np.ndarray  # (steps + 1,)


# --8<-- [start:descend]
def descend(
    receipts: Sequence[Receipt],
    start: Sequence[float] = FIRST_GUESS,
    learning_rate: float = LEARNING_RATE,
    steps: int = STEPS,
    learn_fee: bool = False,
) -> Descent:
    """Guess, measure the loss, nudge prices (and the fee) downhill; repeat."""
    prices, fee = np.array(start, dtype=float), 0.0
    path, fees = [prices.copy()], [fee]
    losses = [receipts_loss(receipts, prices, fee)]
    for _ in range(steps):
        d_prices, d_fee = receipts_grad(receipts, prices, fee)
        prices -= learning_rate * d_prices
        if learn_fee:
            fee -= learning_rate * d_fee
        path.append(prices.copy())
        fees.append(fee)
        losses.append(receipts_loss(receipts, prices, fee))
    return Descent(np.array(path), np.array(fees), np.array(losses))


# --8<-- [end:descend]


def loss_surface(
    receipts: Sequence[Receipt], apple_prices: np.ndarray, pear_prices: np.ndarray
) -> np.ndarray:
    """Return the loss at every (pear, apple) grid point, shape (len(pear), len(apple))."""
    apples, pears = np.meshgrid(apple_prices, pear_prices)
    quantities, totals = as_arrays(receipts)
    predicted = apples[..., None] * quantities[:, 0] + pears[..., None] * quantities[:, 1]
    return ((predicted - totals) ** 2).mean(axis=-1)


@dataclass(frozen=True)
class Story:
    """The forum's receipts story, worked once: what the page, the CLI and the figures show."""

    receipt: Receipt  # 3 apples + 2 pears = 7 cents
    walk: list[Guess]  # 5 and 9 -> 33, a quarter of that -> 8.25, 1 and 2 -> 7
    receipts: list[Receipt]  # the shop without a fee
    receipts_with_fee: list[Receipt]  # the shop that adds a bag fee
    descent: Descent  # the prices learned from `receipts`
    descent_with_fee: Descent  # the prices and the fee learned from `receipts_with_fee`


def tell_story() -> Story:
    """Return the whole receipts story: the walk, both shops and gradient descent on each."""
    receipt = make_receipts([STORY_BASKET])[0]
    receipts = make_receipts()
    receipts_with_fee = make_receipts(fee=BAG_FEE)
    return Story(
        receipt=receipt,
        walk=guessing_walk(receipt),
        receipts=receipts,
        receipts_with_fee=receipts_with_fee,
        descent=descend(receipts),
        descent_with_fee=descend(receipts_with_fee, learn_fee=True),
    )
