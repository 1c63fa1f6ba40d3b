"""Weights you can take home: the trained linear model saved as .npz or .json, and read back.

The site's build saves the very weights its pages describe, and `lessons train --save
weights.npz` saves yours in the same format; `lessons predict --weights FILE IMAGE`
scores a digit you drew, scanned or photographed with them.
"""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from pathlib import Path

import numpy as np

from lessons_code.data import N_PIXELS, DataError

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


def save_weights(path: str | Path, weights: np.ndarray, bias: float) -> None:
    """Write the weights and the bias to path as the site's .npz (see npz_bytes)."""
    path = Path(path)
    try:
        path.write_bytes(npz_bytes(weights, bias))
    except OSError as error:
        raise WeightsFileError(f"{path}: cannot write it ({error.strerror or error})") from None


SIGNATURES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x93NUMPY": "a single .npy array",
}
"""The first bytes of files often given by mistake, to say what was found instead."""

ZIP = b"PK\x03\x04"  # every .npz is a zip archive of .npy files


def _not_weights(path: Path, found: str) -> WeightsFileError:
    return WeightsFileError(
        f"{path}: not a weights file: expected the .npz (or .json) with 784 'weights' and "
        f"one 'bias' that lessons train --save and the site write, found {found}"
    )


def _read_npz(path: Path, head: bytes) -> tuple[object, object]:
    if not head.startswith(ZIP):
        found = next((what for sign, what in SIGNATURES.items() if head.startswith(sign)), None)
        raise _not_weights(path, found or "a file that is not a zip archive")
    try:  # the file opened here, so that it is closed whatever numpy makes of it
        with path.open("rb") as stream, np.load(stream, allow_pickle=False) as archive:
            missing = {"weights", "bias"} - set(archive.files)
            if missing:
                raise _not_weights(path, f"an archive without {' or '.join(sorted(missing))}")
            return archive["weights"], archive["bias"]
    except (
        OSError,
        ValueError,
        EOFError,
        RuntimeError,  # an encrypted archive
        NotImplementedError,  # a compression numpy's zip reader does not know
        zipfile.BadZipFile,
        zlib.error,
    ):
        # numpy's own message here suggests allow_pickle: loading pickles runs code.
        raise _not_weights(path, "a damaged archive, or arrays of Python objects") from None


def _read_json(path: Path) -> tuple[object, object]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise _not_weights(path, f"text that is not JSON ({type(error).__name__})") from None
    if not isinstance(document, dict) or not {"weights", "bias"} <= set(document):
        raise _not_weights(path, "JSON without the keys 'weights' and 'bias'")
    return document["weights"], document["bias"]


def load_weights(path: str | Path) -> tuple[np.ndarray, float]:
    """Return (weights (784,) float64, bias) from a .npz or .json weights file."""
    path = Path(path)
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
    except FileNotFoundError:
        raise WeightsFileError(f"{path}: no such weights file") from None
    except (OSError, ValueError) as error:  # ValueError: a NUL in the name
        why = getattr(error, "strerror", None) or error
        raise WeightsFileError(f"{path}: cannot read it ({why})") from None
    weights, bias = _read_json(path) if path.suffix == ".json" else _read_npz(path, head)
    try:
        weights, bias = np.asarray(weights), np.asarray(bias)
    except (ValueError, TypeError, OverflowError, RecursionError):
        raise _not_weights(path, "weights or a bias that are not numbers") from None
    if weights.dtype.kind not in "fiub" or bias.dtype.kind not in "fiub":
        raise _not_weights(path, f"{weights.dtype} weights and a {bias.dtype} bias, not numbers")
    weights, bias = weights.astype(np.float64), bias.astype(np.float64)
    if weights.shape != (N_PIXELS,) or bias.size != 1:
        raise WeightsFileError(
            f"{path}: expected 784 weights and one bias, found weights of shape "
            f"{weights.shape} and a bias of shape {bias.shape}"
        )
    if not (np.isfinite(weights).all() and np.isfinite(bias).all()):
        raise WeightsFileError(f"{path}: expected finite numbers, found NaN or infinity")
    return weights, float(bias.reshape(()))
