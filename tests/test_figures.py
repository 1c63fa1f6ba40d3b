"""Every figure: a Figure with alt text, readable in both palettes, the same bytes twice."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from lessons_code import apples_pears, baseline, figures, linear_model, neural_net, report

RECIPE = linear_model.Recipe(epochs=5, batch_size=50)


@dataclass
class Results:
    """Everything the figures are drawn from, computed on the synthetic digits in milliseconds."""

    mnist: object
    linear: linear_model.TrainingRun
    net: linear_model.TrainingRun
    similarity: baseline.PixelSimilarity
    learning_rates: dict[float, linear_model.TrainingRun]
    receipts: list[apples_pears.Receipt]
    descent: apples_pears.Descent

    def valid_scores(self) -> np.ndarray:
        return linear_model.predict(self.linear.params, self.mnist.valid_x)


@pytest.fixture(scope="module")
def results(tiny_data) -> Results:
    receipts = apples_pears.make_receipts()
    return Results(
        mnist=tiny_data,
        linear=linear_model.train(tiny_data, RECIPE, keep_snapshots=True),
        net=neural_net.train(tiny_data, replace(RECIPE, learning_rate=0.1), n_hidden=12),
        similarity=baseline.pixel_similarity(tiny_data),
        learning_rates={
            rate: linear_model.train(tiny_data, replace(RECIPE, learning_rate=rate, epochs=3))
            for rate in (0.01, 100.0)
        },
        receipts=receipts,
        descent=apples_pears.descend(receipts, steps=60),
    )


DRAW = {
    "weights_heatmap": lambda r: figures.weights_heatmap(
        r.linear.params["weights"], r.linear.snapshots[0]["weights"]
    ),
    "weights_over_epochs": lambda r: figures.weights_over_epochs(r.linear.snapshots, (0, 5)),
    "contribution_map": lambda r: figures.contribution_map(
        r.mnist.valid_x[0], r.linear.params["weights"], r.linear.params["bias"]
    ),
    "bias_effect": lambda r: figures.bias_effect(
        r.valid_scores(), r.mnist.valid_y, float(r.linear.params["bias"])
    ),
    "loss_curves": lambda r: figures.loss_curves(r.linear.history),
    "learning_rates": lambda r: figures.learning_rates(r.learning_rates),
    "ideal_digits_vs_weights": lambda r: figures.ideal_digits_vs_weights(
        r.similarity, r.linear.params["weights"], r.linear.snapshots[0]["weights"]
    ),
    "apples_pears_descent": lambda r: figures.apples_pears_descent(r.receipts, r.descent),
    "one_receipt_line": lambda r: figures.one_receipt_line(r.receipts[0], r.receipts),
    "sigmoid_curve": lambda r: figures.sigmoid_curve(np.array([-4.0, 0.0, 1.0])),
    "digit_grid": lambda r: figures.digit_grid(
        r.mnist.valid_x[:4], [f"image {i}\nscore {i - 2:+.1f}" for i in range(4)]
    ),
    "hidden_units": lambda r: figures.hidden_units(r.net.params["w1"], 4),
}


def svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def draw_svg(results: Results, name: str, theme: str) -> tuple[Figure, bytes]:
    with matplotlib.rc_context(figures.themed(theme)):
        figure = DRAW[name](results)
        return figure, svg(figure)


@pytest.fixture(scope="module")
def drawn(results):
    """Return {(name, theme): (figure, svg)}, each drawn once (drawing is the slow part)."""
    return {(name, theme): draw_svg(results, name, theme) for name in DRAW for theme in THEMES}


THEMES = ("light", "dark")


@pytest.mark.parametrize("name", list(DRAW))
def test_figure_has_alt_text_renders_in_both_palettes_and_is_light(drawn, name):
    figure, light = drawn[name, "light"]
    _, dark = drawn[name, "dark"]
    assert isinstance(figure, Figure)
    assert len(figure.get_label()) > 40  # says what the reader should see
    for picture in (light, dark):
        assert picture.rstrip().endswith(b"</svg>")
        assert len(picture) < 150_000
    # Text is drawn as paths filled with the palette's own text colour: dark text
    # never lands on the dark background, nor light text on the light one.
    assert figures.LIGHT["text.color"].encode() in light
    assert figures.DARK["text.color"].encode() not in light
    assert figures.DARK["text.color"].encode() in dark
    assert figures.LIGHT["text.color"].encode() not in dark


@pytest.mark.parametrize("name", list(DRAW))
def test_the_same_inputs_give_the_same_bytes(results, drawn, name):
    assert draw_svg(results, name, "dark")[1] == drawn[name, "dark"][1]


def test_palettes_differ_only_in_colours():
    assert figures.LIGHT.keys() == figures.DARK.keys()
    differing = {key for key in figures.LIGHT if figures.LIGHT[key] != figures.DARK[key]}
    assert differing and all("color" in key for key in differing)
    assert figures.LIGHT["figure.facecolor"] == figures.LIGHT["axes.facecolor"] == "none"
    assert figures.LIGHT["svg.fonttype"] == "path"  # the browser needs no font
    assert figures.themed("dark") is figures.DARK
    with pytest.raises(ValueError, match="'light' or 'dark'"):
        figures.themed("sepia")


def test_weights_colour_bar_is_centred_and_says_which_digit(results):
    weights = results.linear.params["weights"]
    figure = figures.weights_heatmap(weights)
    image = figure.axes[0].images[0]
    assert image.norm.vmin == -image.norm.vmax == -np.abs(weights).max()
    labels = [tick.get_text() for tick in image.colorbar.ax.get_yticklabels()]
    assert "toward “7”" in labels[0] and "toward “3”" in labels[-1]
    assert image.colorbar.ax.get_ylabel()


def test_contribution_map_states_the_score(results):
    image, weights = results.mnist.valid_x[0], results.linear.params["weights"]
    bias = float(results.linear.params["bias"])
    figure = figures.contribution_map(image, weights, bias)
    score = float(image @ weights + bias)
    assert f"{score:.2f}" in figure.get_label()
    assert f"says {'3' if score > 0 else '7'}" in figure.get_label()


def test_bias_effect_states_the_trained_accuracy(results):
    scores, targets = results.valid_scores(), results.mnist.valid_y
    figure = figures.bias_effect(scores, targets, 0.5, shift=2.0)
    assert f"{linear_model.batch_accuracy(scores, targets):.1%}" in figure.get_label()
    assert "adding 2 to the bias" in figure.get_label()


def test_weights_over_epochs_needs_an_epoch_it_has(results):
    with pytest.raises(ValueError, match="no epoch to show"):
        figures.weights_over_epochs(results.linear.snapshots, (99,))


def test_digit_grid_wraps_into_rows_and_needs_one_caption_per_image(tiny_data):
    figure = figures.digit_grid(tiny_data.valid_x[:10], [str(i) for i in range(10)])
    shown = [ax for ax in figure.axes if ax.get_visible()]
    assert len(shown) == 10
    assert {ax.get_subplotspec().rowspan.start for ax in shown} == {0, 1}  # 2 rows of 5
    assert figures.digit_grid(tiny_data.valid_x[:1], ["a"], "one digit").get_label() == (
        "one digit"
    )
    with pytest.raises(ValueError, match="one caption per image"):
        figures.digit_grid(tiny_data.valid_x[:3], ["a"])


def test_every_figure_the_site_names_exists():
    for name, spec in report.FIGURES.items():
        assert callable(getattr(figures, spec.function, None)), name


@pytest.mark.parametrize("name", list(DRAW))
def test_signed_maps_are_diverging_centred_and_explained(drawn, name):
    """Colour-blind readers need a diverging map centred on 0 with a labelled colour bar."""
    figure, _ = drawn[name, "light"]
    images = [image for axes in figure.axes for image in axes.images]
    bars = [image.colorbar for image in images if image.colorbar is not None]
    for image in images:
        if image.norm.vmin >= 0:  # a digit: ink on paper, in grey
            assert image.get_cmap().name == figures.DIGIT_CMAP, name
            assert np.asarray(image.get_array()).min() >= 0, f"{name}: signed values in grey"
            continue
        assert image.get_cmap().name == figures.WEIGHTS_CMAP, name
        assert image.norm.vmin == -image.norm.vmax, f"{name}: a signed map not centred on 0"
        explained = [bar for bar in bars if bar.mappable.norm.vmax == image.norm.vmax]
        assert explained, f"{name}: a signed map without a colour bar for its range"
        assert all(bar.ax.get_ylabel() for bar in explained), f"{name}: a bar without label"
