"""Bad files, tried by the thousand: every reader of a file from outside (IDX, raw and
gzip; fastai's MNIST_SAMPLE and MNIST folders of PNGs; weights .npz and model.json; the
image given to `lessons predict`) either gives the right result or raises one of the
project's named errors (a DataError), whatever bytes it is given: arbitrary ones, a valid
file cut short, a valid file with bits flipped.

Property tests (hypothesis): a few examples in every run, thousands with
`python -m pytest --hypothesis-profile=thorough` (tests/conftest.py). A numpy or Pillow
warning fails a test, as a learner would see it printed.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import math
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image, ImageDraw

from lessons_code import data, digit_image, weights_file
from lessons_code.data import IMAGES_MAGIC, LABELS_MAGIC, DataError, idx_bytes
from tests.support.bad_input import (
    bit_flips,
    damaged,
    examples,
    flip,
    flipped_bits,
    no_warnings,
    truncations,
)

RNG = np.random.default_rng(20)
IMAGES = RNG.integers(0, 256, (3, 784), dtype=np.uint8)
LABELS = np.array([3, 7, 0], dtype=np.uint8)
VALID_IDX = {"images": idx_bytes(IMAGES), "labels": idx_bytes(LABELS)}
MAGIC = {"images": IMAGES_MAGIC, "labels": LABELS_MAGIC}
HEADER = {"images": 16, "labels": 8}


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """Return a folder for this module's examples (hypothesis wants no per-test fixture)."""
    folder = Path(tempfile.mkdtemp(prefix="bad-files-"))
    yield folder
    shutil.rmtree(folder)


def read_idx_bytes(scratch: Path, content: bytes, kind: str, gz: bool) -> np.ndarray:
    """Return what read_idx makes of a file holding content (compressed as it is, for .gz)."""
    path = scratch / ("file.gz" if gz else "file")
    path.write_bytes(content)
    with no_warnings():
        return data.read_idx(path, MAGIC[kind])


def assert_read_back(items: np.ndarray, kind: str, content: bytes) -> None:
    """Assert that items are exactly what the IDX bytes hold: written back, the same bytes."""
    assert items.dtype == np.uint8
    assert items.shape[1:] == ((784,) if kind == "images" else ())
    assert idx_bytes(items) == content
    if kind == "labels":
        assert items.max(initial=0) <= 9  # digits, nothing else


def gunzipped(content: bytes) -> bytes | None:
    """Return content decompressed, or None when it is not a complete gzip file."""
    try:
        return gzip.decompress(content)
    except (OSError, EOFError, ValueError, gzip.zlib.error):
        return None


@st.composite
def idx_like(draw, kind: str) -> bytes:
    """Return bytes shaped like an IDX file: a magic number (often right), counts and sides
    (small, 28, or anything up to 2³² − 1) and a payload (often exactly the length promised)."""
    magic = draw(st.sampled_from(list(MAGIC.values())) | st.integers(0, 2**32 - 1))
    count = draw(st.integers(0, 4) | st.integers(0, 2**32 - 1))
    sides = [28, 28] if kind == "images" else []
    if kind == "images" and draw(st.booleans()):
        sides = draw(
            st.lists(st.integers(0, 30) | st.integers(0, 2**32 - 1), min_size=2, max_size=2)
        )
    header = b"".join(n.to_bytes(4, "big") for n in [magic, count, *sides])
    promised = count * math.prod(sides)
    if promised <= 4 * 784 and draw(st.booleans()):
        payload = draw(st.binary(min_size=promised, max_size=promised))
    else:
        payload = draw(st.binary(max_size=64))
    return header + payload


KINDS = st.sampled_from(["images", "labels"])


@examples()
@given(kind=KINDS, gz=st.booleans(), content=st.data())
def test_idx_from_arbitrary_bytes(scratch, kind, gz, content):
    """Arbitrary bytes, or bytes shaped like an IDX file, raw or in a .gz (compressed or
    not): read back exactly, or a DataError."""
    idx = content.draw(st.binary(max_size=256) | idx_like(kind), label="IDX content")
    stored = gzip.compress(idx, mtime=0) if gz and content.draw(st.booleans()) else idx
    try:
        items = read_idx_bytes(scratch, stored, kind, gz)
    except DataError:
        return
    assert_read_back(items, kind, gunzipped(stored) if gz else stored)


@examples(0.5)
@given(kind=KINDS, gz=st.booleans(), cut=st.data())
def test_idx_cut_short_is_a_truncated_file(scratch, kind, gz, cut):
    valid = gzip.compress(VALID_IDX[kind], mtime=0) if gz else VALID_IDX[kind]
    with pytest.raises(data.TruncatedFileError):
        read_idx_bytes(scratch, cut.draw(truncations(valid), label="prefix"), kind, gz)


@examples()
@given(kind=KINDS, data_=st.data())
def test_idx_with_bits_flipped(scratch, kind, data_):
    """A flip in the header is always caught; a flip in the pixels or labels reads back as
    it is (a label flipped past 9 is refused)."""
    bits = data_.draw(flipped_bits(VALID_IDX[kind]), label="bits")
    flipped = flip(VALID_IDX[kind], bits)
    in_header = min(bits) < 8 * HEADER[kind]
    try:
        items = read_idx_bytes(scratch, flipped, kind, gz=False)
    except DataError as error:
        assert in_header or isinstance(error, data.BadLabelError), error
        return
    assert not in_header, f"a header with bits {bits} flipped was read"
    assert_read_back(items, kind, flipped)


@examples(0.5)
@given(kind=KINDS, data_=st.data())
def test_gzip_idx_with_bits_flipped(scratch, kind, data_):
    """gzip's checksum catches a flipped bit; what it lets through (its header's time, say)
    reads back exactly."""
    flipped = data_.draw(bit_flips(gzip.compress(VALID_IDX[kind], mtime=0)), label="gz")
    try:
        items = read_idx_bytes(scratch, flipped, kind, gz=True)
    except DataError:
        return
    content = gunzipped(flipped)
    assert content is not None, "a gzip file that gzip refuses was read"
    assert_read_back(items, kind, content)


def write_idx_folder(folder: Path, gz: bool) -> dict[str, Path]:
    """Write a tiny IDX MNIST with each digit in each split; return its four files."""
    folder.mkdir(parents=True, exist_ok=True)
    labels = np.arange(20, dtype=np.uint8) % 10
    images = RNG.integers(0, 256, (20, 784), dtype=np.uint8)
    paths = {}
    for prefix in ("train", "t10k"):
        for kind, items in (("images-idx3", images), ("labels-idx1", labels)):
            content = idx_bytes(items)
            path = folder / f"{prefix}-{kind}-ubyte{'.gz' if gz else ''}"
            path.write_bytes(gzip.compress(content, mtime=0) if gz else content)
            paths[f"{prefix}-{kind}"] = path
    return paths


LOADERS = {"threes_sevens": data.load_threes_sevens, "digits": data.load_digits}


def assert_loaded(mnist: data.MnistData, loader: str) -> None:
    """Assert what every caller of a loader relies on: images and targets side by side,
    pixels in [0, 1], each split holding every class the task needs."""
    for x, y in ((mnist.train_x, mnist.train_y), (mnist.valid_x, mnist.valid_y)):
        assert x.dtype == np.float32 and x.ndim == 2 and x.shape[1] == 784
        assert len(x) == len(y) > 0
        assert np.isfinite(x).all() and x.min() >= 0 and x.max() <= 1
        if loader == "threes_sevens":
            assert set(np.unique(y)) == {0.0, 1.0}, "a split without 3s or without 7s"
        else:
            assert set(np.unique(y)) <= set(range(10))


@contextlib.contextmanager
def replaced(path: Path, content: bytes) -> Iterator[None]:
    """Give the file at path this content for the block, then its own back."""
    own = path.read_bytes()
    path.write_bytes(content)
    try:
        yield
    finally:
        path.write_bytes(own)


@pytest.fixture(scope="module")
def idx_folders(scratch) -> dict[bool, dict[str, Path]]:
    """Return a tiny IDX MNIST's four files, raw (False) and gzipped (True)."""
    return {gz: write_idx_folder(scratch / f"idx-{gz}", gz) for gz in (False, True)}


@examples(0.5)
@given(loader=st.sampled_from(sorted(LOADERS)), gz=st.booleans(), data_=st.data())
def test_an_idx_folder_with_one_file_damaged(idx_folders, loader, gz, data_):
    paths = idx_folders[gz]
    path = paths[data_.draw(st.sampled_from(sorted(paths)), label="file")]
    content = data_.draw(damaged(path.read_bytes()), label="content")
    with replaced(path, content):
        try:
            with no_warnings():
                mnist = LOADERS[loader](path.parent)
        except DataError:
            return
    assert_loaded(mnist, loader)


def png_bytes(pixels: np.ndarray, mode: str = "L") -> bytes:
    """Return a PNG file of 28×28 grey levels, in this Pillow mode."""
    buffer = io.BytesIO()
    Image.fromarray(pixels.reshape(28, 28)).convert(mode).save(buffer, format="PNG")
    return buffer.getvalue()


PNG_LAYOUTS = {  # loader -> its folder layout, each split's digits
    "MNIST_SAMPLE": {"train": "37", "valid": "37"},
    "MNIST": {"training": "0123456789", "testing": "0123456789"},
}


def write_png_folder(folder: Path, layout: str) -> dict[Path, np.ndarray]:
    """Write a tiny fastai MNIST_SAMPLE or MNIST, one PNG per digit and split; return each
    PNG's pixels."""
    written = {}
    for split, digits in PNG_LAYOUTS[layout].items():
        for digit in digits:
            path = folder / split / digit / "0.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            pixels = RNG.integers(0, 256, 784, dtype=np.uint8)
            path.write_bytes(png_bytes(pixels))
            written[path] = pixels
    return written


@pytest.fixture(scope="module")
def png_folders(scratch) -> dict[str, dict[Path, np.ndarray]]:
    """Return a tiny fastai MNIST_SAMPLE and MNIST: each PNG's path and pixels."""
    return {layout: write_png_folder(scratch / layout, layout) for layout in PNG_LAYOUTS}


@examples(0.5)
@given(
    layout_loader=st.sampled_from(
        [("MNIST_SAMPLE", "threes_sevens"), ("MNIST", "digits"), ("MNIST", "threes_sevens")]
    ),
    data_=st.data(),
)
def test_a_png_folder_with_one_image_damaged(png_folders, layout_loader, data_):
    """A damaged PNG is a BadPngError; what still reads is the PNG's own pixels, the other
    images untouched."""
    layout, loader = layout_loader
    written = png_folders[layout]
    path = data_.draw(st.sampled_from(sorted(written)), label="image")
    content = data_.draw(damaged(path.read_bytes()), label="content")
    with replaced(path, content):
        try:
            with no_warnings():
                mnist = LOADERS[loader](path.parents[2])
        except data.BadPngError:
            return
    assert_loaded(mnist, loader)
    read = np.concatenate([mnist.train_x, mnist.valid_x])
    wanted = [p for p in written if loader == "digits" or p.parent.name in "37"]
    for row, png in zip(read, wanted, strict=True):  # written split by split, digit by digit
        if png != path:
            np.testing.assert_array_equal(np.round(row * 255), written[png])


NAMES = ("train", "valid", "training", "testing", *"0123456789", "a.png", "b.png", "x")


@st.composite
def folder_trees(draw) -> dict[str, bytes | None]:
    """Return a folder's files (relative path -> content; None for an empty folder): paths
    made of the layouts' names, contents valid PNGs, damaged ones or anything."""
    valid = png_bytes(RNG.integers(0, 256, 784, dtype=np.uint8))
    paths = st.lists(st.sampled_from(NAMES), min_size=1, max_size=4).map("/".join)
    contents = (
        st.none()
        | st.just(valid)
        | damaged(valid)
        | st.just(png_bytes(np.zeros(784, np.uint8), "RGB"))
    )
    return draw(st.dictionaries(paths, contents, max_size=12))


@examples(0.2)
@given(loader=st.sampled_from(sorted(LOADERS)), tree=folder_trees())
def test_any_folder_of_folders_and_files(scratch, loader, tree):
    folder = scratch / "tree"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for relative, content in sorted(tree.items()):
        path = folder / relative
        try:
            if content is None:
                path.mkdir(parents=True, exist_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            continue  # a name already taken by a file or a folder: leave it as it is
    try:
        with no_warnings():
            mnist = LOADERS[loader](folder)
    except DataError:
        return
    assert_loaded(mnist, loader)


PNG_MODES = ["1", "L", "LA", "P", "RGB", "RGBA", "I;16"]
OTHER_MODES = ["I", "F", "CMYK"]  # saved as TIFF: PNG has no such mode


@examples(0.5)
@given(
    mode=st.sampled_from(PNG_MODES + OTHER_MODES),
    size=st.tuples(st.integers(1, 40), st.integers(1, 40)) | st.just((28, 28)),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_png_is_read_as_its_grey_levels_or_refused(scratch, mode, size, seed):
    grey = np.random.default_rng(seed).integers(0, 256, size[::-1], dtype=np.uint8)
    image = Image.fromarray(grey).convert(mode)
    path = scratch / "any.png"
    image.save(path, format="TIFF" if mode in OTHER_MODES else "PNG")
    try:
        with no_warnings():
            pixels = data.read_png(path)
    except data.BadPngError:
        assert size != (28, 28) or mode not in data.CONVERTIBLE_MODES
        return
    assert size == (28, 28)
    expected = np.asarray(Image.open(path).convert("L"), dtype=np.uint8).reshape(-1)
    np.testing.assert_array_equal(pixels, expected)


# --- weights files -------------------------------------------------------------------

WEIGHTS = RNG.standard_normal(784).astype(np.float32)
BIAS = -0.25
VALID_NPZ = weights_file.npz_bytes(WEIGHTS, BIAS)
VALID_JSON = json.dumps({"weights": WEIGHTS.tolist(), "bias": BIAS}).encode()


def load_weights_bytes(scratch: Path, content: bytes, suffix: str):
    """Return what load_weights makes of a file holding content, named *suffix."""
    path = scratch / f"weights{suffix}"
    path.write_bytes(content)
    with no_warnings():
        return weights_file.load_weights(path)


def assert_weights(loaded, expected_weights, expected_bias) -> None:
    weights, bias = loaded
    assert weights.dtype == np.float64 and weights.shape == (784,)
    assert isinstance(bias, float) and math.isfinite(bias) and np.isfinite(weights).all()
    np.testing.assert_array_equal(weights, np.asarray(expected_weights, dtype=np.float64))
    assert bias == float(np.asarray(expected_bias, dtype=np.float64).reshape(()))


SUFFIXES = st.sampled_from([".npz", ".json"])


@examples()
@given(suffix=SUFFIXES, content=st.binary(max_size=512))
def test_weights_from_arbitrary_bytes(scratch, suffix, content):
    with pytest.raises(weights_file.WeightsFileError):
        load_weights_bytes(scratch, content, suffix)


@examples(0.5)
@given(suffix=SUFFIXES, data_=st.data())
def test_weights_cut_short(scratch, suffix, data_):
    valid = VALID_NPZ if suffix == ".npz" else VALID_JSON
    with pytest.raises(weights_file.WeightsFileError):
        load_weights_bytes(scratch, data_.draw(truncations(valid), label="prefix"), suffix)


@examples(0.5)
@given(data_=st.data())
def test_npz_with_bits_flipped_is_refused_or_unchanged(scratch, data_):
    """The zip's checksums catch a flip in the arrays; a flip they let through (a date, a
    name in the local header) leaves the weights as they were."""
    flipped = data_.draw(bit_flips(VALID_NPZ), label="npz")
    try:
        loaded = load_weights_bytes(scratch, flipped, ".npz")
    except weights_file.WeightsFileError:
        return
    assert_weights(loaded, WEIGHTS, BIAS)


def expected_from_json(text: bytes):
    """Return (weights, bias) as a reader of JSON numbers expects them, or None if the
    document is not 784 finite numbers and one."""
    try:
        document = json.loads(text.decode("utf-8"))
        weights = np.asarray(document["weights"], dtype=np.float64)
        bias = np.asarray(document["bias"], dtype=np.float64)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError, RecursionError):
        return None
    if weights.shape != (784,) or bias.size != 1:
        return None
    if not (np.isfinite(weights).all() and np.isfinite(bias).all()):
        return None
    return weights, bias


def assert_json_weights_read_or_refused(scratch, content: bytes) -> None:
    """A model.json is read as exactly the numbers it holds, or refused by name."""
    expected = expected_from_json(content)
    try:
        loaded = load_weights_bytes(scratch, content, ".json")
    except weights_file.WeightsFileError:
        return
    assert expected is not None, "a document that is not 784 finite numbers and one was read"
    assert_weights(loaded, *expected)


@examples(0.3)
@given(data_=st.data())
def test_json_with_bits_flipped_reads_the_numbers_it_holds(scratch, data_):
    flipped = data_.draw(bit_flips(VALID_JSON) | damaged(VALID_JSON), label="json")
    assert_json_weights_read_or_refused(scratch, flipped)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)
NUMBERS = st.floats() | st.integers(-(2**70), 2**70) | st.just(1e308)


@st.composite
def weights_documents(draw) -> dict:
    """Return a JSON document with keys 'weights' and 'bias' (and maybe more): numbers,
    often 784 of them, or any JSON value."""
    weights = draw(
        JSON_VALUES
        | st.just([0.5] * 784)
        | st.lists(NUMBERS, max_size=20)
        | hnp.arrays(np.float64, st.integers(780, 790), elements=st.floats()).map(np.ndarray.tolist)
        | hnp.arrays(np.int64, 784).map(np.ndarray.tolist)
    )
    bias = draw(JSON_VALUES | NUMBERS | st.just([1.0]))
    extra = draw(st.dictionaries(st.text(max_size=5), JSON_VALUES, max_size=2))
    return {**extra, "weights": weights, "bias": bias}


@examples(0.2)
@given(document=JSON_VALUES | weights_documents())
def test_any_json_document_as_weights(scratch, document):
    assert_json_weights_read_or_refused(scratch, json.dumps(document).encode())


def npz_of(arrays: dict[str, np.ndarray], compressed: bool) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():  # numpy notes the file format a field's name needs
        warnings.simplefilter("ignore", UserWarning)
        (np.savez_compressed if compressed else np.savez)(buffer, **arrays)
    return buffer.getvalue()


ANY_ARRAY = hnp.arrays(
    dtype=hnp.scalar_dtypes() | hnp.nested_dtypes(max_itemsize=32),
    shape=st.sampled_from([(784,), (), (1,), (1, 1), (28, 28), (783,), (2,)])
    | hnp.array_shapes(min_dims=0, max_side=4),
)


@examples(0.1)
@given(
    arrays=st.dictionaries(
        st.sampled_from(["weights", "bias", "other"]), ANY_ARRAY, min_size=1, max_size=3
    ),
    compressed=st.booleans(),
)
def test_any_arrays_saved_by_numpy_as_weights(scratch, arrays, compressed):
    """An .npz numpy wrote with any arrays in it: numbers of the right shape are read as
    float64, anything else is refused."""
    assume(all(a.dtype.kind != "O" for a in arrays.values()))
    try:
        content = npz_of(arrays, compressed)
    except (ValueError, TypeError):
        assume(False)
    try:
        loaded = load_weights_bytes(scratch, content, ".npz")
    except weights_file.WeightsFileError:
        return
    weights, bias = arrays["weights"], arrays["bias"]
    assert weights.dtype.kind in "fiub" and bias.dtype.kind in "fiub"
    assert_weights(loaded, weights, bias)


# --- images given to `lessons predict` -------------------------------------------------


def a_drawn_digit() -> Image.Image:
    """Return a 64×64 grey drawing of a 7: dark ink on white paper."""
    paper = np.full((64, 64), 255, dtype=np.uint8)
    paper[10:16, 12:52] = 20  # the bar
    for row in range(16, 56):
        column = 50 - (row - 16) // 2
        paper[row, column - 3 : column + 3] = 20  # the stroke down
    return Image.fromarray(paper)


def image_bytes(image: Image.Image, format: str) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB" if format == "JPEG" else image.mode).save(buffer, format=format)
    return buffer.getvalue()


PHOTO_FORMATS = ["PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP"]
VALID_IMAGES = {format: image_bytes(a_drawn_digit(), format) for format in PHOTO_FORMATS}


def read_digit_bytes(scratch: Path, content: bytes, name: str = "photo"):
    path = scratch / name
    path.write_bytes(content)
    with no_warnings():
        return digit_image.read_digit(path)


def assert_digit(digit: digit_image.Digit) -> None:
    """Assert what the model needs: 784 finite pixels in [0, 1], ink somewhere when reduced."""
    assert digit.pixels.shape == (784,) and digit.pixels.dtype == np.float64
    assert np.isfinite(digit.pixels).all()
    assert digit.pixels.min() >= 0 and digit.pixels.max() <= 1
    assert digit.reduced == (digit.size != (28, 28))
    if digit.reduced:
        assert digit.pixels.max() > 0


@examples()
@given(content=st.binary(max_size=512))
def test_a_photo_of_arbitrary_bytes(scratch, content):
    try:
        digit = read_digit_bytes(scratch, content)
    except digit_image.DigitImageError:
        return
    assert_digit(digit)


@examples()
@given(format=st.sampled_from(PHOTO_FORMATS), data_=st.data())
def test_a_damaged_photo(scratch, format, data_):
    content = data_.draw(damaged(VALID_IMAGES[format]), label="content")
    try:
        digit = read_digit_bytes(scratch, content, f"photo.{format.lower()}")
    except digit_image.DigitImageError:
        return
    assert_digit(digit)


def drawn(mode: str, size: tuple[int, int], strokes: list, background: int) -> Image.Image:
    """Return an image of this size and mode: strokes (lines of any shade) on a background."""
    image = Image.new("L", size, background)
    pen = ImageDraw.Draw(image)
    for x0, y0, x1, y1, shade, width in strokes:
        pen.line([(x0 * size[0], y0 * size[1]), (x1 * size[0], y1 * size[1])], shade, width)
    return image.convert(mode)


UNIT = st.floats(0, 1)
STROKES = st.lists(
    st.tuples(UNIT, UNIT, UNIT, UNIT, st.integers(0, 255), st.integers(1, 8)), max_size=4
)


@examples(0.3)
@given(
    mode=st.sampled_from(PNG_MODES + OTHER_MODES),
    size=st.tuples(st.integers(1, 120), st.integers(1, 120)),
    strokes=STROKES,
    background=st.integers(0, 255),
)
def test_any_drawing_in_any_mode_and_size(scratch, mode, size, strokes, background):
    """A drawing of any size (1×1, 120×3, ...), mode and contrast, the border inked or
    not: a digit the model can score, or "no ink" / a mode it cannot read."""
    image = drawn(mode, size, strokes, background)
    buffer = io.BytesIO()
    image.save(buffer, format="TIFF" if mode in OTHER_MODES else "PNG")
    try:
        digit = read_digit_bytes(scratch, buffer.getvalue())
    except digit_image.DigitImageError as error:
        assert "found no ink" in str(error) or mode in {"I", "F"}, error
        return
    assert digit.size == size
    assert_digit(digit)
