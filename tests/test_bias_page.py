"""The bias page states one best shift: its text and its figure's alt text name the same
one, read from one analysis, on the bundled sample and on real MNIST."""

from __future__ import annotations

import re

import numpy as np
import pytest

from lessons_code.website.pages import bias
from lessons_code.website.registry import FIGURES, NUMBERS
from lessons_code.website.runs import Runs
from tests.support import html_path, parse

ALT_SHIFT = re.compile(r"at best (\d+\.\d)% with a shift of ([+-]\d+\.\d)\.")


def stated_by_the_figure(runs: Runs) -> tuple[str, str]:
    """Return the (accuracy, shift) the bias figure's alt text states as the best."""
    (found,) = ALT_SHIFT.findall(FIGURES["bias-effect"].figure(runs).get_label())
    return found


def stated_by_the_text(runs: Runs) -> tuple[str, str]:
    """Return the (accuracy, shift) the bias page's text states, as the page formats them."""
    group = NUMBERS["bias"](runs)
    return f"{group['best_accuracy'] * 100:.1f}", f"{group['best_shift']:+.1f}"


def test_on_the_sample_text_and_alt_text_name_the_same_best_shift():
    runs = Runs()
    assert stated_by_the_figure(runs) == stated_by_the_text(runs)


def test_on_real_mnist_text_and_alt_text_name_the_same_best_shift(real_mnist_folder):
    runs = Runs(str(real_mnist_folder))
    assert stated_by_the_figure(runs) == stated_by_the_text(runs)


def test_the_built_page_names_one_best_shift(built):
    page = html_path(built / "site", "bias.md")
    text = " ".join(" ".join(parse(page).text).split())
    (alt,) = [image["alt"] for image in parse(page).images if "bias-effect-light" in image["src"]]
    ((_, alt_shift),) = ALT_SHIFT.findall(alt)
    # "Shift it by X and ..." when X gains a few images, "the best shift, X, ..." when not
    said = re.findall(r"(?:Shift it by|the best shift,) ([+-]?\d+\.\d)\b", text)
    assert [float(shift) for shift in said] == [float(alt_shift)]


def test_ties_go_to_the_smallest_shift_and_the_figure_states_it():
    targets = np.array([1.0, 0.0])
    scores = np.array([5.0, -5.0])  # right with any shift from -4.9 to +4.9
    best = bias.most_accurate_shift(scores, targets)
    assert (best.shift, best.accuracy) == (0.0, 1.0)
    wrong_way = bias.most_accurate_shift(np.array([-1.05, -3.0]), targets)  # 3 below 0
    assert wrong_way.shift == 1.1 and wrong_way.accuracy == 1.0
    label = bias.bias_effect(scores, targets, 0.5, wrong_way, shift=2.0).get_label()
    assert "at best 100.0% with a shift of +1.1." in label


@pytest.mark.parametrize(("scores", "edge"), [([-9.95, -10.2], 10.0), ([10.2, 9.95], -10.0)])
def test_the_search_reaches_both_ends_of_its_grid(scores, edge):
    best = bias.most_accurate_shift(np.array(scores), np.array([1.0, 0.0]))  # a 3, a 7
    assert (best.shift, best.accuracy) == (edge, 1.0)
