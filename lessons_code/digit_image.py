"""A photo, a scan or a drawing of a digit, made into the 28×28 input the model reads.

MNIST's digits were made this way: the ink's bounding box scaled into 20×20 keeping its
aspect ratio, then placed in 28×28 so that its centre of mass sits at the centre. The
site's drawing pad does the very same steps (`reduceToMnist` in
docs/javascripts/widgets/pad.mjs); a parity test holds the two to 1e-9.

An image that is already 28×28 is taken as it is: that is MNIST's own format.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lessons_code.data import IMAGE_SIDE, DataError, regular_file

BOX_SIDE = 20  # MNIST fits each digit's bounding box into 20×20, then pads it to 28×28
CENTRE = 14  # where MNIST's digits have their centre of mass: pixel 14 of 0..27, both ways
EPSILON = 1e-9  # a centre exactly half a pixel off rounds the same way here and in JS
NOISE = 0.2
"""Ink fainter than this fraction of the way from the paper to the darkest stroke is paper."""
MIN_CONTRAST = 0.1
"""A photo whose darkest ink is this close to its paper holds no digit."""
SIXTEEN_BIT = {"I;16", "I;16B", "I;16L", "I;16N"}

# How MNIST's digits look, measured on the bundled sample's 5,000 (the limits leave a
# margin): ink on at most 4.6% of an image's border pixels, on 4.5% to 37% of its 784
# pixels, and at least 49% of the inked pixels bright (a stroke, not a haze).
MOST_BORDER_INK = 0.1
"""Above this share of the border's pixels inked, the ink runs off the image."""
MOST_INK = 0.45
"""Above this share of the 784 pixels inked, the ink is not a pen's stroke."""
LEAST_BRIGHT_INK = 0.4
"""Below this share of the inked pixels bright (over half the full ink), no clear stroke."""
INKED, BRIGHT = 0.1, 0.5


class DigitImageError(DataError):
    """An image that cannot be read as a digit: not an image, too large, or blank."""


@dataclass(frozen=True)
class Digit:
    """A digit read from an image file, ready for the model."""

    pixels: np.ndarray  # (784,) in [0, 1], ink high, as MNIST stores it
    inverted: bool  # dark ink on light paper, turned into MNIST's light ink on black
    size: tuple[int, int]  # the image's width and height
    reduced: bool  # scaled and centred like MNIST (every image but a 28×28 one)
    border_ink: float = 0.0  # the share of the given image's border pixels that are ink


def border_share(ink: np.ndarray) -> float:
    """Return the share of an image's border pixels (height, width) holding ink."""
    border = np.concatenate([ink[0], ink[-1], ink[1:-1, 0], ink[1:-1, -1]])
    return float((border > INKED).mean())


def unlike_mnist(digit: Digit) -> list[str]:
    """Return how the digit looks unlike MNIST's, one reason each (none: it looks like one).

    A model trained on MNIST answers anything with confidence; a shadow in a photo's corner
    read as ink makes a digit of it, so the reasons say what the learner should look at."""
    reasons = []
    if digit.border_ink > MOST_BORDER_INK:
        reasons.append(
            f"ink touches {digit.border_ink:.0%} of the image's border (a shadow, the edge "
            f"of the paper, a digit cut off?): MNIST's digits stay clear of it"
        )
    inked = digit.pixels > INKED
    if inked.mean() > MOST_INK:
        reasons.append(
            f"{inked.mean():.0%} of the 28×28 image is ink: MNIST's digits ink at most "
            f"{MOST_INK:.0%}"
        )
    if inked.any() and (digit.pixels > BRIGHT).sum() / inked.sum() < LEAST_BRIGHT_INK:
        bright = (digit.pixels > BRIGHT).sum() / inked.sum()
        reasons.append(
            f"no clear stroke: only {bright:.0%} of the ink is bright, where MNIST's "
            f"strokes make at least {LEAST_BRIGHT_INK:.0%} of it"
        )
    return reasons


def area_weights(source: int, target: int) -> np.ndarray:
    """Return the (target, source) matrix resizing by area averaging; each row sums to 1."""
    step = source / target  # source pixels per target pixel
    weights = np.zeros((target, source))
    for i in range(target):
        start, end = i * step, (i + 1) * step
        for j in range(math.floor(start), min(source, math.ceil(end))):
            overlap = min(end, j + 1) - max(start, j)
            if overlap > 0:
                weights[i, j] = overlap / step
    return weights


def reduce_to_mnist(ink: np.ndarray) -> np.ndarray:
    """Return 784 pixels in [0, 1]: ink (height, width) in [0, 1] reduced as MNIST was."""
    ink = np.asarray(ink, dtype=np.float64)
    pixels = np.zeros((IMAGE_SIDE, IMAGE_SIDE))
    rows = np.flatnonzero((ink > 0).any(axis=1))
    columns = np.flatnonzero((ink > 0).any(axis=0))
    if rows.size == 0:
        return pixels.reshape(-1)
    box = ink[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]
    box_height, box_width = box.shape
    scale = BOX_SIDE / max(box_width, box_height)
    width = max(1, math.floor(box_width * scale + 0.5))
    height = max(1, math.floor(box_height * scale + 0.5))
    # (height, box_height) @ (box_height, box_width) @ (box_width, width) -> (height, width)
    small = area_weights(box_height, height) @ box @ area_weights(box_width, width).T
    small = np.minimum(small, 1)  # shares sum to 1 give or take a rounding
    mass = small.sum()
    if not mass > 0:
        return pixels.reshape(-1)
    centre_x = (small * np.arange(width)).sum() / mass
    centre_y = (small * np.arange(height)[:, None]).sum() / mass
    # Shift by whole pixels so the centre of mass lands on pixel 14 (rounding half up).
    offset_x = math.floor(CENTRE + 0.5 - centre_x + EPSILON)
    offset_y = math.floor(CENTRE + 0.5 - centre_y + EPSILON)
    for y in range(height):
        target_y = y + offset_y
        if 0 <= target_y < IMAGE_SIDE:
            for x in range(width):
                if 0 <= x + offset_x < IMAGE_SIDE:
                    pixels[target_y, x + offset_x] = small[y, x]
    return pixels.reshape(-1)


def read_grey(path: str | Path) -> np.ndarray:
    """Return any image Pillow reads as grey levels (height, width) in [0, 1].

    Transparent parts count as white paper; a phone photo is turned upright first.
    """
    from PIL import Image, ImageOps

    path = Path(path)
    try:
        regular_file(path, "image file", DigitImageError)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Corrupt EXIF data", ...: a damaged file's
            warnings.simplefilter("error", Image.DecompressionBombWarning)  # error says it
            with Image.open(path) as opened:
                image = ImageOps.exif_transpose(opened)
                if image.mode in SIXTEEN_BIT:
                    return np.asarray(image, dtype=np.float64) / 65535
                if image.mode in {"I", "F"}:
                    raise DigitImageError(
                        f"{path}: expected an 8- or 16-bit image, found 32-bit mode "
                        f"{image.mode!r}; save it as a PNG or a JPEG"
                    )
                if "A" in image.mode or "transparency" in image.info:
                    paper = Image.new("RGBA", image.size, "white")
                    image = Image.alpha_composite(paper, image.convert("RGBA"))
                return np.asarray(image.convert("L"), dtype=np.float64) / 255
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DigitImageError(
            f"{path}: expected a photo of a digit, found an image of more than "
            f"{Image.MAX_IMAGE_PIXELS:,} pixels; make it smaller first"
        ) from None
    except DigitImageError:
        raise
    except Exception as error:  # Pillow's decoders raise many kinds on a damaged file
        raise DigitImageError(
            f"{path}: expected an image (PNG, JPEG, ...), could not read it "
            f"({type(error).__name__}: {error})"
        ) from None


def read_digit(path: str | Path) -> Digit:
    """Return the digit in an image file as the model's 784 inputs (see the module's doc).

    MNIST stores ink as bright pixels on black. A digit drawn or photographed as dark
    ink on light paper is inverted first, which is decided by its border: paper is
    bright. In a photo, the paper's shade (the border's median) becomes black and
    anything fainter than NOISE of the way to the darkest stroke counts as paper.
    """
    grey = read_grey(path)
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    inverted = bool(border.mean() > 0.5)
    ink = 1 - grey if inverted else grey
    height, width = ink.shape
    if ink.shape == (IMAGE_SIDE, IMAGE_SIDE):
        return Digit(ink.reshape(-1), inverted, (width, height), False, border_share(ink))
    paper = float(np.median(1 - border if inverted else border))
    darkest = float(ink.max())
    if darkest - paper < MIN_CONTRAST:
        raise DigitImageError(
            f"{path}: expected a digit, found no ink: the {width}×{height} image is one flat shade"
        )
    floor = paper + NOISE * (darkest - paper)
    ink = np.clip((ink - floor) / (darkest - floor), 0, 1)
    return Digit(reduce_to_mnist(ink), inverted, (width, height), True, border_share(ink))
