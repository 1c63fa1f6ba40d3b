"""Every figure: a Figure with alt text, readable in both palettes, the same bytes twice."""

from __future__ import annotations

import io

import matplotlib
import pytest
from matplotlib.figure import Figure

from lessons_code import figures
from lessons_code.report import FIGURES, Runs


class TinyRuns(Runs):
    """The site's runs, on the synthetic digits instead of MNIST (a second or so)."""

    def __init__(self, mnist):
        super().__init__()
        self.__dict__["mnist"] = mnist  # fills the cached property


@pytest.fixture(scope="module")
def runs(tiny_data):
    return TinyRuns(tiny_data)


def svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


@pytest.mark.parametrize("name", list(FIGURES))
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_figure_has_alt_text_and_renders_the_same_twice(runs, name, theme):
    with matplotlib.rc_context(figures.themed(theme)):
        first, second = FIGURES[name].draw(runs), FIGURES[name].draw(runs)
        assert isinstance(first, Figure)
        assert len(first.get_label()) > 40  # says what the reader should see
        first_svg, second_svg = svg(first), svg(second)
    assert first_svg == second_svg
    assert len(first_svg) < 150_000


def test_palettes_differ_only_in_colours():
    assert figures.LIGHT.keys() == figures.DARK.keys()
    assert figures.LIGHT["text.color"] != figures.DARK["text.color"]
    assert figures.LIGHT["figure.facecolor"] == "none"  # transparent on either background
    with pytest.raises(ValueError, match="'light' or 'dark'"):
        figures.themed("sepia")


def test_weights_colour_bar_is_centred_and_says_which_digit(runs):
    weights = runs.linear.params["weights"]
    figure = figures.weights_heatmap(weights, runs.linear.snapshots[0]["weights"])
    image = figure.axes[0].images[0]
    assert image.norm.vmin == -image.norm.vmax and image.norm.vcenter == 0
    bar = image.colorbar
    labels = " ".join(tick.get_text() for tick in bar.ax.get_yticklabels())
    assert "3" in labels and "7" in labels
    assert bar.ax.get_ylabel()


def test_contribution_map_states_the_score(runs):
    image, weights = runs.mnist.valid_x[0], runs.linear.params["weights"]
    bias = float(runs.linear.params["bias"])
    figure = figures.contribution_map(image, weights, bias)
    score = float(image @ weights + bias)
    assert f"{score:.2f}" in figure.get_label()


def test_digit_grid_needs_one_caption_per_image(tiny_data):
    figure = figures.digit_grid(tiny_data.valid_x[:3], ["a", "b", "c"], "three digits")
    assert figure.get_label() == "three digits"
    with pytest.raises(ValueError, match="one caption per image"):
        figures.digit_grid(tiny_data.valid_x[:3], ["a"], "too few captions")
