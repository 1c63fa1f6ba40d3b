"""Weights you can take home: the trained linear model saved as .npz or .json, and read back.

The site's build saves the very weights its pages describe; `lessons predict --weights
FILE IMAGE.png` scores a digit you drew or scanned with them.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np

from lessons_code.data import DataError, read_png
from lessons_code.linear_model import N_PIXELS

FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # zip entries carry no build time: same weights, same bytes


class WeightsFileError(DataError):
    """A weights file that is not 784 weights and one bias."""


def npz_bytes(weights: np.ndarray, bias: float) -> bytes:
    """Return an .npz holding `weights` (784,) and `bias` (), byte-for-byte reproducible."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in (("weights", np.asarray(weights)), ("bias", np.asarray(bias))):
            content = io.BytesIO()
            np.lib.format.write_array(content, array, allow_pickle=False)
            entry = zipfile.ZipInfo(f"{name}.npy", date_time=FIXED_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, content.getvalue())
    return buffer.getvalue()


def load_weights(path: str | Path) -> tuple[np.ndarray, float]:
    """Return (weights (784,) float64, bias) from a .npz or .json weights file."""
    path = Path(path)
    try:
        if path.suffix == ".json":
            document = json.loads(path.read_text())
            weights, bias = document["weights"], document["bias"]
        else:
            with np.load(path, allow_pickle=False) as archive:
                weights, bias = archive["weights"], archive["bias"]
        weights = np.asarray(weights, dtype=np.float64)
        bias = np.asarray(bias, dtype=np.float64)
    except FileNotFoundError:
        raise WeightsFileError(f"{path}: no such weights file") from None
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as error:
        raise WeightsFileError(
            f"{path}: expected an .npz or .json with 'weights' and 'bias', could not read it "
            f"({type(error).__name__}: {error})"
        ) from None
    if weights.shape != (N_PIXELS,) or bias.size != 1:
        raise WeightsFileError(
            f"{path}: expected 784 weights and one bias, found weights of shape "
            f"{weights.shape} and a bias of shape {bias.shape}"
        )
    return weights, float(bias.reshape(()))


def read_digit(path: str | Path) -> tuple[np.ndarray, bool]:
    """Return (784 pixels in [0, 1] with ink high, whether the PNG had to be inverted).

    MNIST stores ink as bright pixels on black. A digit drawn or scanned as dark ink on
    white paper is inverted first, which is decided by its border: paper is bright.
    """
    pixels = read_png(Path(path)).astype(np.float64) / 255
    square = pixels.reshape(28, 28)
    border = np.concatenate([square[0], square[-1], square[:, 0], square[:, -1]])
    inverted = bool(border.mean() > 0.5)
    return (1 - pixels if inverted else pixels), inverted
