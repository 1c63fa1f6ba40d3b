"""Every figure of the registry: a Figure with alt text, readable in both palettes, the
same bytes twice. Drawn from the site's own runs, trained on synthetic digits in
milliseconds."""

from __future__ import annotations

import io
import sys

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from lessons_code import linear_model
from lessons_code.website import style
from lessons_code.website.cache import (
    LONG_DECIMAL,
    SVG_METADATA,
    THEMES,
    _svg_size,
    render_svg,
    stable_ids,
)
from lessons_code.website.pages import bias, index, prediction, shared
from lessons_code.website.registry import FIGURES, PAGES
from lessons_code.website.runs import Runs
from tests.support.figures import smallest_text

pytestmark = pytest.mark.timeout(900)  # the first test draws every figure, in each layout


@pytest.fixture(scope="module")
def runs(tiny_data, tiny_digits) -> Runs:
    """Return the site's runs with the synthetic digits in place of MNIST."""
    runs = Runs()
    runs.mnist = tiny_data  # a cached_property: set, it is never loaded
    runs.ten_digits = tiny_digits
    return runs


def draw_svg(runs: Runs, name: str, theme: str, layout: str = "wide") -> tuple[Figure, bytes]:
    """Draw a figure; return it and its SVG with its ids named as the build names them
    (the first figure a process draws has a clip rectangle a few ulps off the later ones',
    and matplotlib hashes the floats into the id: view-and-matmul's, in one CI run)."""
    with matplotlib.rc_context(style.themed(theme)), style.laid_out(layout):
        figure = FIGURES[name].figure(runs)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata=SVG_METADATA)
        return figure, stable_ids(buffer.getvalue())


@pytest.fixture(scope="module")
def drawn(runs):
    """Return {(name, theme, layout): (figure, svg)}, each drawn once (drawing is the slow
    part): the wide layout in both palettes, the narrow one in the light palette (the
    palettes differ in the same rcParams whatever the layout)."""
    return {
        (name, theme, layout): draw_svg(runs, name, theme, layout)
        for name in FIGURES
        for layout in style.LAYOUTS
        for theme in (THEMES if layout == "wide" else ["light"])
    }


@pytest.mark.parametrize("name", list(FIGURES))
def test_figure_has_alt_text_renders_in_both_palettes_and_is_light(drawn, name):
    figure, light = drawn[name, "light", "wide"]
    _, dark = drawn[name, "dark", "wide"]
    assert isinstance(figure, Figure)
    assert len(figure.get_label()) > 40  # says what the reader should see
    for picture in (light, dark):
        assert picture.rstrip().endswith(b"</svg>")
        assert len(picture) < 150_000
    # Text is drawn as paths filled with the palette's own text colour: dark text
    # never lands on the dark background, nor light text on the light one.
    assert style.LIGHT["text.color"].encode() in light
    assert style.DARK["text.color"].encode() not in light
    assert style.DARK["text.color"].encode() in dark
    assert style.LIGHT["text.color"].encode() not in dark


@pytest.mark.parametrize("name", list(FIGURES))
@pytest.mark.parametrize("layout", style.LAYOUTS)
def test_each_layout_is_its_column_s_width_with_text_a_reader_can_read(drawn, name, layout):
    """A figure as wide as its layout's column is never shrunk, so its smallest text shows at
    its own size: at least MIN_TEXT_PX (tests/test_site_gates.py checks it in a browser)."""
    figure, svg = drawn[name, "light", layout]
    width_px = _svg_size(svg)[0]
    assert width_px == round(style.WIDTHS[layout] * style.PX_PER_INCH), (name, width_px)
    size, view_box_width = smallest_text(svg)
    text_px = size * width_px / view_box_width
    assert text_px >= style.MIN_TEXT_PX, f"{name} ({layout}): text of {text_px:.1f} px"
    assert figure.get_label() == drawn[name, "light", "wide"][0].get_label(), name
    assert style.WIDTHS["wide"] * style.PX_PER_INCH <= style.WIDE_COLUMN_PX
    assert style.WIDTHS["narrow"] * style.PX_PER_INCH <= 375 - 32  # a small phone's column


def test_the_site_s_svgs_keep_two_decimals_and_the_same_text(runs, drawn):
    svg, alt = render_svg("sigmoid", "light", runs, "narrow")
    assert (
        svg.rstrip().endswith(b"</svg>")
        and alt == drawn["sigmoid", "light", "narrow"][0].get_label()
    )
    assert not LONG_DECIMAL.search(svg)
    assert len(svg) < 0.97 * len(drawn["sigmoid", "light", "narrow"][1])
    assert smallest_text(svg) == smallest_text(drawn["sigmoid", "light", "narrow"][1])


def test_panels_run_across_a_desktop_and_down_a_phone():
    for layout, rows, columns in (("wide", 1, 3), ("narrow", 3, 1)):
        with style.laid_out(layout):
            axes = style.panels(style.new_figure(3, 6, "three panels"), 3)
        spans = {
            (ax.get_subplotspec().rowspan.start, ax.get_subplotspec().colspan.start) for ax in axes
        }
        assert spans == {(r, c) for r in range(rows) for c in range(columns)}, layout
    with pytest.raises(ValueError, match="layout must be one of"), style.laid_out("tablet"):
        pass


@pytest.mark.parametrize("name", list(FIGURES))
def test_the_same_inputs_give_the_same_bytes(runs, drawn, name):
    assert draw_svg(runs, name, "dark")[1] == drawn[name, "dark", "wide"][1]


def test_palettes_differ_only_in_colours():
    assert style.LIGHT.keys() == style.DARK.keys()
    differing = {key for key in style.LIGHT if style.LIGHT[key] != style.DARK[key]}
    assert differing and all("color" in key for key in differing)
    assert style.LIGHT["figure.facecolor"] == style.LIGHT["axes.facecolor"] == "none"
    assert style.LIGHT["svg.fonttype"] == "path"  # the browser needs no font
    assert style.themed("dark") is style.DARK
    with pytest.raises(ValueError, match="'light' or 'dark'"):
        style.themed("sepia")


def test_weights_colour_bar_is_centred_and_says_which_digit(runs):
    weights = runs.linear.params["weights"]
    initial = runs.linear.initial["weights"]
    figure = index.weights_heatmap(weights, initial, shared.weight_move(runs.linear))
    image = figure.axes[0].images[0]
    assert image.norm.vmin == -image.norm.vmax == -np.abs(weights).max()
    labels = [tick.get_text() for tick in image.colorbar.ax.get_yticklabels()]
    assert "toward “7”" in labels[0] and "toward “3”" in labels[-1]
    assert image.colorbar.ax.get_ylabel()


def test_contribution_map_states_the_score(runs):
    image, weights = runs.mnist.valid_x[0], runs.linear.params["weights"]
    bias = float(runs.linear.params["bias"])
    figure = prediction.score.contribution_map(image, weights, bias)
    score = float(image @ weights + bias)
    assert f"{score:.2f}" in figure.get_label()
    assert f"says {'3' if score > 0 else '7'}" in figure.get_label()


def test_bias_effect_states_the_trained_accuracy(runs):
    scores, targets = shared.valid_scores(runs), runs.mnist.valid_y
    best = bias.most_accurate_shift(scores, targets)
    figure = bias.bias_effect(scores, targets, 0.5, best, shift=2.0)
    assert f"{linear_model.batch_accuracy(scores, targets):.1%}" in figure.get_label()
    assert "adding 2 to the bias" in figure.get_label()


def test_weights_over_epochs_needs_an_epoch_it_has(runs):
    with pytest.raises(ValueError, match="no epoch to show"):
        prediction.score.weights_over_epochs(
            runs.linear.snapshots,
            (100_000,),
            runs.linear.initial["weights"],
            shared.weight_move(runs.linear),
        )


def test_digit_grid_wraps_into_rows_and_needs_one_caption_per_image(tiny_data):
    figure = shared.digit_grid(tiny_data.valid_x[:10], [str(i) for i in range(10)])
    shown = [ax for ax in figure.axes if ax.get_visible()]
    assert len(shown) == 10
    assert {ax.get_subplotspec().rowspan.start for ax in shown} == {0, 1}  # 2 rows of 5
    assert shared.digit_grid(tiny_data.valid_x[:1], ["a"], "one digit").get_label() == ("one digit")
    with pytest.raises(ValueError, match="one caption per image"):
        shared.digit_grid(tiny_data.valid_x[:3], ["a"])


def test_every_figure_is_drawn_by_a_function_of_a_page_module():
    for name, spec in FIGURES.items():
        module = sys.modules[spec.draw.__module__]  # a page's module, or one of its package
        assert any(module.__name__.startswith(page.__name__) for page in PAGES), name
        assert spec.draw is getattr(module, spec.draw.__name__, None), name


@pytest.mark.parametrize("name", list(FIGURES))
@pytest.mark.parametrize("layout", style.LAYOUTS)
def test_signed_maps_are_diverging_centred_and_explained(drawn, name, layout):
    """Colour-blind readers need a diverging map centred on 0 with a labelled colour bar."""
    figure, _ = drawn[name, "light", layout]
    images = [image for axes in figure.axes for image in axes.images]
    bars = [image.colorbar for image in images if image.colorbar is not None]
    for image in images:
        if image.norm.vmin >= 0:  # a digit: ink on paper, in grey
            assert image.get_cmap().name == style.DIGIT_CMAP, name
            assert np.asarray(image.get_array()).min() >= 0, f"{name}: signed values in grey"
            continue
        assert image.get_cmap().name == style.WEIGHTS_CMAP, name
        assert image.norm.vmin == -image.norm.vmax, f"{name}: a signed map not centred on 0"
        explained = [bar for bar in bars if bar.mappable.norm.vmax == image.norm.vmax]
        assert explained, f"{name}: a signed map without a colour bar for its range"
        labelled = [bar.ax.get_ylabel() or bar.ax.get_xlabel() for bar in explained]
        assert all(labelled), f"{name}: a bar without label"


def test_alt_texts_say_what_the_data_shows(runs, drawn):
    from lessons_code import neural_net

    units = neural_net.describe_hidden_units(runs.net.initial["w1"], runs.net.params["w1"])
    alt = drawn["hidden-units", "light", "wide"][0].get_label()
    assert f"{units.barely_moved} moved less than" in alt
    assert f"{units.same_pattern} moved along nearly the same pattern" in alt
    assert "separate detector" not in alt
    contribution = drawn["contribution", "light", "wide"][0].get_label()
    assert "contributes its ink times its weight" in contribution
    ascent = drawn["ascent", "light", "wide"][0].get_label()
    assert "does not become a 3" in ascent
