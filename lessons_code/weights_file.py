"""Weights you can take home: a trained model saved as .npz (the linear model also as
.json), and read back.

The site's build saves the very weights its pages describe, and `lessons train --save
weights.npz` saves yours in the same format; `lessons train-net`, and `lessons
train-digits` with either model, save theirs the same way, each array under the name
the lessons give it. `lessons predict --weights FILE IMAGE` scores a digit you drew,
scanned or photographed with any of them.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from lessons_code.data import N_PIXELS, DataError, regular_file

FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # zip entries carry no build time: same weights, same bytes
N_DIGITS = 10

Task = Literal["3 or 7", "ten digits"]
Model = Literal["linear", "net"]


class WeightsFileError(DataError):
    """A weights file that holds no model the lessons train."""


@dataclass(frozen=True)
class SavedModel:
    """A model read from a weights file: what it tells apart, its kind, its arrays."""

    task: Task  # "3 or 7": one score per image; "ten digits": ten
    model: Model  # "linear": weights and bias; "net": w1, b1, w2, b2
    params: dict[str, np.ndarray]  # float64


def params_npz_bytes(params: dict[str, np.ndarray]) -> bytes:
    """Return an .npz holding each array under its name, byte-for-byte reproducible."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in params.items():
            content = io.BytesIO()
            np.lib.format.write_array(content, np.asarray(array), allow_pickle=False)
            entry = zipfile.ZipInfo(f"{name}.npy", date_time=FIXED_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, content.getvalue())
    return buffer.getvalue()


def npz_bytes(weights: np.ndarray, bias: float) -> bytes:
    """Return an .npz holding `weights` (784,) and `bias` (), byte-for-byte reproducible."""
    return params_npz_bytes({"weights": weights, "bias": bias})


def check_writable(path: str | Path) -> None:
    """Raise WeightsFileError unless a model can be saved to path: a name ending in .npz,
    in a folder that exists and may be written, and not a folder itself. Nothing is left
    behind: it is checked before a run, so that no run ends unable to save."""
    path = Path(path)
    if path.suffix != ".npz":
        raise WeightsFileError(f"{path}: expected a file name ending in .npz")
    try:
        if path.is_dir():
            raise WeightsFileError(f"{path}: expected a file name to save to, found a folder")
        folder = path.parent
        if not folder.is_dir():
            raise WeightsFileError(f"{path}: cannot write it (no such folder {folder})")
        tempfile.TemporaryFile(dir=folder).close()  # the folder takes a new file
        if path.exists() and not os.access(path, os.W_OK):
            raise PermissionError(13, "Permission denied")
    except (OSError, ValueError) as error:  # ValueError: a NUL in the name
        why = getattr(error, "strerror", None) or error
        raise WeightsFileError(f"{path}: cannot write it ({why})") from None


def save_params(path: str | Path, params: dict[str, np.ndarray]) -> None:
    """Write a model's arrays to path as an .npz (see params_npz_bytes)."""
    path = Path(path)
    try:
        path.write_bytes(params_npz_bytes(params))
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
        f"one 'bias' that lessons train --save and the site write (or a net's w1, b1, w2 "
        f"and b2), found {found}"
    )


NAMES = {"linear": ("weights", "bias"), "net": ("w1", "b1", "w2", "b2")}
"""The arrays of each kind of model, by the names the lessons give them."""


def _read_npz(path: Path, head: bytes) -> dict[str, object]:
    if not head.startswith(ZIP):
        found = next((what for sign, what in SIGNATURES.items() if head.startswith(sign)), None)
        raise _not_weights(path, found or "a file that is not a zip archive")
    try:  # the file opened here, so that it is closed whatever numpy makes of it
        with path.open("rb") as stream, np.load(stream, allow_pickle=False) as archive:
            names = NAMES["net"] if "w1" in archive.files else NAMES["linear"]
            missing = set(names) - set(archive.files)
            if missing:
                raise _not_weights(path, f"an archive without {' or '.join(sorted(missing))}")
            return {name: archive[name] for name in names}
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


def _read_json(path: Path) -> dict[str, object]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise _not_weights(path, f"text that is not JSON ({type(error).__name__})") from None
    if not isinstance(document, dict) or not {"weights", "bias"} <= set(document):
        raise _not_weights(path, "JSON without the keys 'weights' and 'bias'")
    return {"weights": document["weights"], "bias": document["bias"]}


def _numbers(path: Path, arrays: dict[str, object]) -> dict[str, np.ndarray]:
    """Return the arrays as float64, or raise if they are not finite numbers."""
    try:
        arrays = {name: np.asarray(value) for name, value in arrays.items()}
    except (ValueError, TypeError, OverflowError, RecursionError):
        raise _not_weights(path, "weights or a bias that are not numbers") from None
    for name, array in arrays.items():
        if array.dtype.kind not in "fiub":
            raise _not_weights(path, f"{array.dtype} {name}, not numbers")
    arrays = {name: array.astype(np.float64) for name, array in arrays.items()}
    if not all(np.isfinite(array).all() for array in arrays.values()):
        raise WeightsFileError(f"{path}: expected finite numbers, found NaN or infinity")
    return arrays


def _task(params: dict[str, np.ndarray]) -> Task | None:
    """Return what a model of these shapes tells apart, or None if it is no lesson's model."""
    shapes = {name: array.shape for name, array in params.items()}
    w1 = shapes.get("w1", ())
    hidden = w1[1] if len(w1) == 2 and w1[1] > 0 else None
    for task, outputs in (("3 or 7", ()), ("ten digits", (N_DIGITS,))):
        linear = {"weights": (N_PIXELS, *outputs), "bias": outputs}
        net = {"w1": (N_PIXELS, hidden), "b1": (hidden,), "w2": (hidden, *outputs), "b2": outputs}
        if shapes in (linear, net):
            return task
    return None


def load_model(path: str | Path) -> SavedModel:
    """Return the model in a weights file: the linear model of the 3s and 7s (the site's
    weights.npz or model.json, lessons train --save), the two-layer net (train-net), or
    either ten-digit model (train-digits)."""
    path = Path(path)
    regular_file(path, "weights file", WeightsFileError)
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
    except (OSError, ValueError) as error:
        why = getattr(error, "strerror", None) or error
        raise WeightsFileError(f"{path}: cannot read it ({why})") from None
    found = _read_json(path) if path.suffix == ".json" else _read_npz(path, head)
    params = _numbers(path, found)
    if "bias" in params and params["bias"].size == 1:
        params["bias"] = params["bias"].reshape(())  # a bias written as [0.5] is one bias
    task = _task(params)
    if task is None:
        shapes = ", ".join(f"{name} {array.shape}" for name, array in params.items())
        raise WeightsFileError(
            f"{path}: expected 784 weights and one bias (or ten of each, or a net's w1, b1, "
            f"w2 and b2 of matching shapes), found arrays of shape {shapes}"
        )
    return SavedModel(task, "net" if "w1" in params else "linear", params)


def load_weights(path: str | Path) -> tuple[np.ndarray, float]:
    """Return (weights (784,) float64, bias) of the 3-or-7 linear model in a weights file."""
    saved = load_model(path)
    if (saved.task, saved.model) != ("3 or 7", "linear"):
        raise WeightsFileError(
            f"{path}: expected 784 weights and one bias (the 3-or-7 linear model), found "
            f"the {saved.task} {saved.model} model"
        )
    return saved.params["weights"], float(saved.params["bias"])
