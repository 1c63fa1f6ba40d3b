"""The chapter's questionnaire asks for a few small pieces of code: here they are, as
functions the tests run (tests/test_questionnaire.py) and the page "Check yourself" shows.

The training loop it asks for (questions 25 and 33) is not here: the page shows the real
one, `lessons_code.learner`'s `train_epoch` and `Learner.fit`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from matplotlib.figure import Figure


# --8<-- [start:double_the_odd]
def double_the_odd(numbers: Iterable[int]) -> list[int]:
    """Return the odd numbers of a list, each doubled, in their order."""
    # [1, 2, 3, 4, 5] -> [2, 6, 10]
    return [2 * n for n in numbers if n % 2 == 1]


# --8<-- [end:double_the_odd]


# --8<-- [start:corner]
def doubled_corner() -> np.ndarray:
    """Return the bottom-right 2×2 of the numbers 1 to 9 in a 3×3 array,
    doubled."""
    # [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    numbers = np.arange(1, 10).reshape(3, 3)
    # all nine at once, no loop: [[2, 4, 6], [8, 10, 12], [14, 16, 18]]
    doubled = numbers * 2
    # rows 1 and 2, columns 1 and 2: [[10, 12], [16, 18]]
    return doubled[1:, 1:]


# --8<-- [end:corner]


# --8<-- [start:pairs]
def pairs(xs: Iterable, ys: Iterable) -> list[tuple]:
    """Return the items of xs and ys paired in order: [(xs[0], ys[0]), (xs[1],
    ys[1]), ...]."""
    # pairs([1, 2, 3, 4], "abcd") -> [(1, 'a'), ...]
    return list(zip(xs, ys, strict=True))


# --8<-- [end:pairs]


# --8<-- [start:relu_plot]
def relu_plot() -> Figure:
    """Return a plot of ReLU, max(x, 0), for x from -2 to +2."""
    x = np.linspace(-2, 2, 401)
    figure = Figure(figsize=(4, 3))
    axes = figure.subplots()
    axes.plot(x, np.maximum(x, 0))  # 0 for every negative x, then x itself
    axes.set(xlabel="x", ylabel="relu(x)", title="ReLU: max(x, 0)")
    return figure


# --8<-- [end:relu_plot]
