"""The runs behind the site that are costly or shared: every model the pages describe,
trained once, on first use.

A build that needs one figure trains only what that figure is drawn from. The constants
that define a run (which learning rates to compare, the variants' changes) are here,
beside it; the chapter's choices (its recipes) stay in the lessons, and what one page
alone computes from these runs is in that page's module (`lessons_code.website.pages`).
"""

from __future__ import annotations

import threading
from dataclasses import replace
from functools import cached_property

import numpy as np

from lessons_code import (
    apples_pears,
    baseline,
    data,
    digits,
    learner,
    linear_model,
    neural_net,
    nn,
)

LEARNING_RATES = (0.01, 1.0, 10.0, 100.0)
"""The learning rates compared on the site: too small, the chapter's, bigger, too large."""

VARIANT_BATCH_SIZE = 32
VARIANT_EPOCHS = 80
VARIANT_LEARNING_RATE = 10.0
"""The "change one thing" table's changes: a smaller batch, four times the epochs, a
larger learning rate (the starting weights and the loss are the other two)."""

TEN_DIGIT_LEARNING_RATES = (0.005, digits.LINEAR_RECIPE.learning_rate, 5.0, 50.0)
"""The learning rates compared on the ten-digit page: too small, the recipe's, bigger, far
too big."""


SECOND_THREAD = (
    "ten_digits",
    "ten_linear",
    "ten_net",
    "ten_nearest",
    "ten_learning_rates",
    "ten_unscaled",
    "ten_two_class_loss",
    "ten_two_class_bce",
    "ten_net_chapter_hidden",
)
"""The runs `Runs.compute_all` trains in a second thread while the main thread trains the
others: the ten-digit runs, which read their own data. Each of them reads only runs of
this list, and no other run reads them (tests/test_runs.py checks both): a run that both
threads asked for would be trained twice, since a cached_property has no lock."""


class Runs:
    """The training runs behind the site, each computed on first use."""

    def __init__(self, data_dir: str | None = None):
        self.data_dir = data_dir

    def compute_all(self) -> None:
        """Compute every run of the site, those of SECOND_THREAD in a second thread meanwhile.

        Training is mostly numpy, which lets go of Python's lock, so the two threads use
        two cores. The two groups share nothing (see SECOND_THREAD).
        """
        names = [name for name, value in vars(Runs).items() if isinstance(value, cached_property)]
        failed: list[BaseException] = []

        def train_second_group() -> None:
            try:
                for name in SECOND_THREAD:
                    getattr(self, name)
            except BaseException as error:  # raised again in the main thread, below
                failed.append(error)

        # A daemon: if a run of the main thread fails, the process need not wait for it.
        second = threading.Thread(target=train_second_group, daemon=True)
        second.start()
        for name in names:
            if name not in SECOND_THREAD:
                getattr(self, name)
        second.join()
        if failed:
            raise failed[0]

    @cached_property
    def mnist(self) -> data.MnistData:
        """Return the 3s and 7s the site is built from."""
        return data.load_threes_sevens(self.data_dir)

    @cached_property
    def linear(self) -> learner.TrainingRun:
        """Return the chapter's linear model, trained with its recipe, with snapshots."""
        return linear_model.train(self.mnist, keep_snapshots=True)

    @cached_property
    def net(self) -> learner.TrainingRun:
        """Return the chapter's two-layer net, trained with its recipe."""
        return neural_net.train(self.mnist)

    @cached_property
    def learner_histories(self) -> dict[str, list[learner.EpochStats]]:
        """Return the histories of our Learner (gradients by our autograd) training linear1
        and simple_net with the chapter's recipes, started as the hand-derived runs."""
        return {
            "linear": nn.fit(nn.linear1_model, self.mnist, linear_model.RECIPE),
            "net": nn.fit(nn.simple_net_model, self.mnist, neural_net.RECIPE),
        }

    @cached_property
    def half_mnist(self) -> data.MnistData:
        """Return the same validation set with half of the training set, each digit in its
        share, drawn with the recipe's seed."""
        rng = np.random.default_rng(linear_model.RECIPE.seed)
        return data.training_subset(self.mnist, len(self.mnist.train_x) // 2, rng)

    @cached_property
    def half_data(self) -> learner.TrainingRun:
        """Return the chapter's linear model trained on half_mnist: what fewer training
        images change."""
        return linear_model.train(self.half_mnist)

    @cached_property
    def similarity(self) -> baseline.PixelSimilarity:
        """Return pixel similarity with the L1 distance, the chapter's choice."""
        return baseline.pixel_similarity(self.mnist, "l1")

    @cached_property
    def similarity_l2(self) -> baseline.PixelSimilarity:
        """Return pixel similarity with the L2 distance."""
        return baseline.pixel_similarity(self.mnist, "l2")

    @cached_property
    def variants(self) -> dict[str, learner.TrainingRun]:
        """Return the chapter's recipe, then the recipe with one of its choices changed."""
        recipe, mnist = linear_model.RECIPE, self.mnist
        return {
            "chapter": self.linear,
            "small_start": linear_model.train(mnist, init=linear_model.init_like_nn_linear),
            "learning_rate": self.learning_rates[VARIANT_LEARNING_RATE],
            "batch_size": linear_model.train(mnist, replace(recipe, batch_size=VARIANT_BATCH_SIZE)),
            "epochs": linear_model.train(mnist, replace(recipe, epochs=VARIANT_EPOCHS)),
            "cross_entropy": linear_model.train(mnist, loss=linear_model.BINARY_CROSS_ENTROPY),
        }

    @cached_property
    def learning_rates(self) -> dict[float, learner.TrainingRun]:
        """Return the linear model trained at each compared learning rate."""
        return {
            rate: linear_model.train(self.mnist, replace(linear_model.RECIPE, learning_rate=rate))
            for rate in LEARNING_RATES
        }

    @cached_property
    def ten_digits(self) -> data.MnistData:
        """Return all ten digits the site is built from."""
        return data.load_digits(self.data_dir)

    @cached_property
    def ten_linear(self) -> learner.TrainingRun:
        """Return the linear model 784 -> 10, trained with its recipe."""
        return digits.train_linear(self.ten_digits)

    @cached_property
    def ten_net(self) -> learner.TrainingRun:
        """Return the two-layer net 784 -> 100 -> 10, trained with its recipe."""
        return digits.train_net(self.ten_digits)

    @cached_property
    def ten_nearest(self) -> dict[str, digits.NearestIdeal]:
        """Return the ten-ideal-digits baseline with each distance."""
        return {kind: digits.nearest_ideal_baseline(self.ten_digits, kind) for kind in ("l1", "l2")}

    @cached_property
    def ten_learning_rates(self) -> dict[float, learner.TrainingRun]:
        """Return the ten-digit linear model trained at each compared learning rate."""
        return {
            rate: self.ten_linear
            if rate == digits.LINEAR_RECIPE.learning_rate
            else digits.train_linear(
                self.ten_digits, replace(digits.LINEAR_RECIPE, learning_rate=rate)
            )
            for rate in TEN_DIGIT_LEARNING_RATES
        }

    @cached_property
    def ten_unscaled(self) -> learner.TrainingRun:
        """Return the ten-digit linear model trained on grey levels 0 to 255, not 0 to 1."""
        mnist = self.ten_digits
        unscaled = replace(mnist, train_x=mnist.train_x * 255, valid_x=mnist.valid_x * 255)
        return digits.train_linear(unscaled)

    @cached_property
    def ten_two_class_loss(self) -> learner.TrainingRun:
        """Return the ten-score linear model trained with mnist_loss, not cross-entropy."""
        return digits.train_linear_two_class_loss(self.ten_digits)

    @cached_property
    def ten_two_class_bce(self) -> learner.TrainingRun:
        """Return the ten-score linear model trained with binary cross-entropy on each
        score: ten sigmoids, no softmax, without mnist_loss's blind spot."""
        return digits.train_linear_two_class_loss(
            self.ten_digits, loss=linear_model.BINARY_CROSS_ENTROPY
        )

    @cached_property
    def ten_net_chapter_hidden(self) -> learner.TrainingRun:
        """Return the ten-digit net with the chapter's 30 hidden units, not 100."""
        return digits.train_net(self.ten_digits, n_hidden=neural_net.N_HIDDEN)

    @cached_property
    def story(self) -> apples_pears.Story:
        """Return the apples-and-pears story: the walk, both shops, both descents."""
        return apples_pears.tell_story()
