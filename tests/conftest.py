"""Shared fixtures: small synthetic digits for fast tests, real MNIST when it is beside us."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lessons_code.data import MnistData, load_threes_sevens

REPO = Path(__file__).resolve().parents[1]
SHARED_MNIST = REPO.parent / "shared" / "data" / "mnist"


def synthetic_digits(n_images: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Return fake 28×28 "3s" (ink on the left half) and "7s" (ink on the top rows)."""
    labels = (np.arange(n_images) % 2).astype(np.float32)  # 1 = "3", 0 = "7"
    images = np.zeros((n_images, 28, 28), dtype=np.float32)  # blank, like MNIST's background
    images[labels == 1, 8:20, 8:12] = 1.0
    images[labels == 0, 6:10, 8:20] = 1.0
    images += rng.uniform(0, 1, images.shape) * (rng.uniform(size=images.shape) < 0.05)
    return np.clip(images, 0, 1).reshape(n_images, 784), labels


@pytest.fixture(scope="session")
def tiny_data() -> MnistData:
    """Return 200 training and 100 validation synthetic images."""
    rng = np.random.default_rng(0)
    train_x, train_y = synthetic_digits(200, rng)
    valid_x, valid_y = synthetic_digits(100, rng)
    return MnistData(train_x, train_y, valid_x, valid_y, source="synthetic test digits")


@pytest.fixture(scope="session")
def real_data() -> MnistData:
    """Return the 3s and 7s of the real MNIST files in ../shared/data/mnist, or skip."""
    if not SHARED_MNIST.is_dir():
        pytest.skip(f"real MNIST not found at {SHARED_MNIST}")
    return load_threes_sevens(SHARED_MNIST)
