"""The widgets in a real Chromium (Debian's package, driven by Playwright), on the built site.

Skipped with a reason when no browser is installed (see tests/support/browser.py). The checks of
every page (local only, no console error, fits, accessible) are in test_site_gates.py.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from tests.support.browser import Watched, draw, page_url

SEVEN = [(50, 50), (230, 50), (130, 250)]
THREE = [(60, 40), (200, 40), (210, 100), (120, 140), (215, 180), (200, 245), (60, 250)]
ZERO = [
    (
        round(140 + 65 * math.sin(2 * math.pi * k / 24)),
        round(140 - 100 * math.cos(2 * math.pi * k / 24)),
    )
    for k in range(25)
]  # an upright oval, drawn from the top, round and closed
ONE = [(150, 35), (140, 140), (130, 250)]  # one stroke down, leaning a little
TWO = [(60, 80), (100, 40), (180, 40), (210, 90), (60, 250), (220, 250)]
FOUR = [(160, 40), (60, 170), (220, 170)]  # then a second stroke: FOUR_DOWN
FOUR_DOWN = [(160, 40), (160, 250)]
SIX = [(190, 40), (90, 120), (70, 200), (120, 250), (190, 220), (180, 160), (90, 170)]
EIGHT = [
    (190, 60), (140, 35), (90, 60), (100, 110), (180, 170), (180, 230),
    (140, 255), (90, 230), (100, 170), (180, 110), (190, 60),
]  # fmt: skip
NINE = [(200, 80), (150, 40), (90, 60), (80, 110), (130, 140), (200, 110), (200, 80), (190, 250)]


def test_drawing_a_seven_and_a_three(watched, site_url):
    page = watched.open(page_url(site_url, "prediction.md"), "digit-pad")
    verdict = page.locator("[data-testid=digit-prediction]")
    draw(page, SEVEN)
    assert verdict.text_content() == "7"
    page.click("[data-testid=digit-clear]")
    assert verdict.text_content() == "draw a digit"
    assert page.locator("[data-testid=digit-score]").text_content() == "–"
    draw(page, THREE)
    assert verdict.text_content() == "3"
    assert not watched.errors


def test_page_score_is_pixels_dot_weights_plus_bias(watched, site_url, built):
    page = watched.open(page_url(site_url, "prediction.md"), "digit-pad")
    draw(page, SEVEN)
    pixels = json.loads(page.get_attribute("[data-testid=digit-input-28]", "data-pixels"))
    score = float(page.get_attribute("[data-testid=digit-prediction]", "data-score"))
    model = json.loads((built / "site" / "data" / "model.json").read_text())
    expected = sum(p * w for p, w in zip(pixels, model["weights"], strict=True)) + model["bias"]
    assert len(pixels) == 784 and max(pixels) <= 1
    assert abs(score - expected) <= 1e-6


def test_apples_and_pears_playground(watched, site_url):
    page = watched.open(page_url(site_url, "apples-pears.md"), "receipts")
    loss = page.locator("[data-testid=receipts-loss]")
    page.fill("[data-testid=apple-price]", "1")
    page.fill("[data-testid=pear-price]", "2")
    assert float(loss.get_attribute("data-value")) == 0  # the shop adds no fee: the fee is 0
    page.fill("[data-testid=apple-price]", "3")
    before = float(loss.get_attribute("data-value"))
    page.click("[data-testid=gradient-step]")
    after = float(loss.get_attribute("data-value"))
    assert 0 < after < before
    assert not watched.errors


def test_sliding_the_prices_until_the_receipts_are_right(watched, site_url):
    page = watched.open(page_url(site_url, "apples-pears.md"), "receipts")
    loss = page.locator("[data-testid=receipts-loss]")
    apple = page.locator("[data-testid=apple-slider]")
    apple.focus()
    page.keyboard.press("ArrowRight")  # one step of the slider moves the typed price too
    assert float(page.input_value("[data-testid=apple-price]")) == pytest.approx(5.05)
    apple.fill("1")
    page.locator("[data-testid=pear-slider]").fill("2")
    assert float(loss.get_attribute("data-value")) == 0  # every receipt is right
    page.click("[data-testid=gradient-step]")  # already at the bottom: nothing moves
    page.fill("[data-testid=pear-price]", "3")
    assert page.locator("[data-testid=pear-slider]").input_value() == "3"
    assert float(loss.get_attribute("data-value")) > 0
    assert not watched.errors


def test_the_shop_without_a_bag_fee_never_changes_the_fee(watched, site_url):
    """The fee is the bias of the analogy: the shop that adds none keeps it at 0 however
    long gradient descent runs, as apples_pears.descend does without learn_fee; the
    prices alone fit its receipts."""
    watched.page.clock.install()  # Descend's steps are moved on by the test
    page = watched.open(page_url(site_url, "apples-pears.md"), "receipts")
    assert page.locator("[data-testid=shop]").input_value() == "no fee"
    for control in ("fee", "fee-slider"):
        assert page.locator(f"[data-testid={control}]").is_disabled()
    for start in ("3", "0", "6"):
        page.fill("[data-testid=apple-price]", start)
        for _ in range(4):
            page.click("[data-testid=descend]")
            page.clock.run_for(20 * 150)  # every step of a descent
            page.click("[data-testid=gradient-step]")
            assert page.input_value("[data-testid=fee]") == "0"
            assert page.locator("[data-testid=fee-slider]").input_value() == "0"
    loss = float(page.get_attribute("[data-testid=receipts-loss]", "data-value"))
    assert loss < 1e-9
    assert float(page.input_value("[data-testid=apple-price]")) == pytest.approx(1)
    page.select_option("[data-testid=shop]", "bag fee")  # the other shop learns its fee
    assert page.locator("[data-testid=fee]").is_enabled()
    page.click("[data-testid=descend]")
    page.clock.run_for(20 * 150)
    assert float(page.input_value("[data-testid=fee]")) > 0
    assert not watched.errors


def test_training_replay_moves_with_the_slider(watched, site_url, built):
    page = watched.open(page_url(site_url, "gradient-descent.md"), "replay")
    label = page.locator("[data-testid=replay-label]")
    assert label.text_content().startswith("epoch 0")
    slider = page.locator("[data-testid=replay-epoch]")
    slider.focus()
    page.keyboard.press("End")  # the keyboard works the slider too
    training = json.loads((built / "site" / "data" / "training.json").read_text())
    assert len(training["epochs"]) <= 21  # the replay shows a few epochs, not every one
    assert training["epochs"][:3] == [0, 1, 2]  # where most of the change happens
    assert label.text_content().startswith(f"epoch {training['epochs'][-1]}:")
    assert not watched.errors


def test_the_replay_plays_every_epoch_it_shows(watched, site_url, built):
    watched.page.clock.install()
    page = watched.open(page_url(site_url, "gradient-descent.md"), "replay")
    training = json.loads((built / "site" / "data" / "training.json").read_text())
    play = page.locator("[data-testid=replay-play]")
    label = page.locator("[data-testid=replay-label]")
    label.evaluate(
        """(label) => {
          window.shown = [label.textContent];
          new MutationObserver(() => window.shown.push(label.textContent))
            .observe(label, { childList: true, characterData: true, subtree: true });
        }"""
    )
    play.click()
    assert play.text_content() == "Pause"
    page.clock.run_for(400 * len(training["epochs"]))  # an epoch every 0.4 s, to the end
    texts = [text.split(":")[0] for text in page.evaluate("window.shown")]
    shown = [text for i, text in enumerate(texts) if i == 0 or text != texts[i - 1]]
    assert shown == [f"epoch {epoch}" for epoch in training["epochs"]], shown
    assert play.text_content() == "Play"  # at the end, it stops
    play.click()  # from the end, Play starts again
    page.clock.run_for(400)
    assert label.text_content().startswith(f"epoch {training['epochs'][1]}:")
    page.locator("[data-testid=replay-epoch]").fill("0")  # the slider takes over
    assert play.text_content() == "Play"
    ticks = page.locator("[data-widget=replay] svg text").all_text_contents()
    assert len([tick for tick in ticks if tick.replace(".", "").isdigit()]) == 3  # a y-axis
    assert not watched.errors


def centre_of_mass(pixels: list[float]) -> tuple[float, float]:
    total = sum(pixels)
    rows = sum(v * (i // 28) for i, v in enumerate(pixels)) / total
    columns = sum(v * (i % 28) for i, v in enumerate(pixels)) / total
    return rows, columns


def test_an_off_centre_drawing_is_centred_before_scoring(watched, site_url):
    page = watched.open(page_url(site_url, "prediction.md"), "digit-pad")
    draw(page, [(10, 10), (90, 10), (45, 100)])  # a small 7 in the top-left corner
    pixels = json.loads(page.get_attribute("[data-testid=digit-input-28]", "data-pixels"))
    rows, columns = centre_of_mass(pixels)
    assert abs(rows - 13.5) <= 1 and abs(columns - 13.5) <= 1


def test_the_keyboard_can_draw_a_stroke(watched, site_url):
    page = watched.open(page_url(site_url, "prediction.md"), "digit-pad")
    page.focus("[data-testid=digit-pad]")
    verdict = page.locator("[data-testid=digit-prediction]")
    page.keyboard.press("Space")  # lower the pen
    for key in ["ArrowUp"] * 4 + ["ArrowRight"] * 3:
        page.keyboard.press(key)
    first = verdict.get_attribute("data-score")
    for key in ["ArrowDown"] * 8 + ["ArrowLeft"] * 2:
        page.keyboard.press(key)
    second = verdict.get_attribute("data-score")
    assert first is not None and second is not None and first != second
    assert verdict.text_content() in {"3", "7"}
    assert page.locator("[aria-live] [data-testid=digit-prediction]").count() == 1


def test_a_real_validation_image_and_the_sum_written_out(watched, site_url, built):
    page = watched.open(page_url(site_url, "prediction.md"), "digit-pad")
    button = page.locator("[data-testid=digit-example]")
    button.click()
    assert page.locator("[data-testid=digit-prediction]").text_content() in {"3", "7"}
    assert button.get_attribute("data-label") in {"3", "7"}
    label = button.get_attribute("data-label")
    truth = page.locator("[data-testid=digit-truth]").text_content()
    assert truth.strip() == f"This validation image is a {label}."  # its true label, shown
    links = page.locator("[data-testid=digit-arithmetic] a")
    texts = links.all_text_contents()
    assert not [text for text in texts if any(c.isdigit() for c in text)], texts  # no number
    hrefs = {link.get_attribute("href").rsplit("#", 1)[1] for link in links.all()}
    assert {"pixel", "weight", "bias", "score-or-prediction", "probability"} <= hrefs
    glossary = (built / "site" / "glossary" / "index.html").read_text()
    for anchor in hrefs:
        assert f'id="{anchor}"' in glossary, anchor


def test_nudging_one_weight_moves_the_loss_not_the_accuracy(watched, site_url):
    page = watched.open(page_url(site_url, "loss.md"), "nudge")
    loss = page.locator("[data-testid=nudge-loss]")
    accuracy = page.locator("[data-testid=nudge-accuracy]")
    before = (loss.get_attribute("data-value"), accuracy.get_attribute("data-value"))
    page.focus("[data-testid=nudge-slider]")
    page.keyboard.press("ArrowRight")  # one step of the slider
    after = (loss.get_attribute("data-value"), accuracy.get_attribute("data-value"))
    assert float(after[0]) != float(before[0])
    assert after[1] == before[1]
    page.focus("[data-testid=nudge-weights]")
    page.keyboard.press("ArrowLeft")  # another weight, picked from the keyboard
    assert "column 13" in page.locator("[data-testid=nudge-pixel]").text_content()
    assert not watched.errors


def test_the_nudge_plots_a_smooth_loss_and_a_staircase_accuracy(watched, site_url):
    """The lesson is a shape: over the slider's range the loss takes a new value at every
    point, the accuracy only a few (a step each time an image crosses the line)."""
    page = watched.open(page_url(site_url, "loss.md"), "nudge")
    plot = page.locator("[data-testid=nudge-plot]")
    losses = json.loads(plot.get_attribute("data-losses"))
    accuracies = json.loads(plot.get_attribute("data-accuracies"))
    assert len(losses) == len(accuracies) > 100
    assert len(set(losses)) == len(losses)
    assert 1 < len(set(accuracies)) < len(accuracies) / 4
    label = plot.get_attribute("aria-label")
    assert "smooth curve" in label and "staircase" in label
    before = label
    page.locator("[data-testid=nudge-slider]").fill("1")
    assert plot.get_attribute("aria-label") != before  # the nudge now, marked
    assert not watched.errors


def test_the_pad_and_the_notebook_agree_on_a_real_digit(watched, site_url, built):
    page = watched.open(page_url(site_url, "prediction.md"), "digit-pad")
    page.click("[data-testid=digit-example]")
    score = float(page.get_attribute("[data-testid=digit-prediction]", "data-score"))
    model = json.loads((built / "site" / "data" / "model.json").read_text())
    pixels = [v / 255 for v in model["examples"][0]["pixels"]]
    expected = sum(p * w for p, w in zip(pixels, model["weights"], strict=True)) + model["bias"]
    assert abs(score - expected) <= 1e-6
    notebook = (built / "site" / "notebooks" / "prediction" / "index.html").read_text()
    assert f"score of the first validation 3: {score:.2f}" in notebook


BROKEN = (
    '<div class="lesson-widget" data-widget="no-such-widget" data-src="../data/model.json" '
    'data-testid="unknown" hidden><p>unknown</p></div>'
    '<div class="lesson-widget" data-widget="receipts" data-src="../data/missing.json" '
    'data-testid="no-data" hidden><p>no data</p></div>'
)


def test_a_widget_loads_nothing_until_the_reader_comes_near_it(watched, site_url):
    """Far down its page, the ten-digit pad fetches neither its code nor its 66 KB of data
    while the page loads; scrolled to, it starts."""
    page = watched.open(page_url(site_url, "ten-digits.md"))
    page.wait_for_load_state("networkidle")
    pad = page.locator("[data-widget=ten-digit-pad]")
    assert pad.get_attribute("data-ready") == "waiting"
    widget_files = {"ten-digit-pad.mjs", "ten-digits.json"}
    assert not widget_files & {url.rsplit("/", 1)[-1] for url in watched.requests}
    watched.scroll_down(until="[data-widget=ten-digit-pad][data-ready=waiting]")
    page.wait_for_selector("[data-widget=ten-digit-pad][data-ready=yes]")
    assert widget_files <= {url.rsplit("/", 1)[-1] for url in watched.requests}


def test_a_widget_that_cannot_start_says_so_and_the_others_work(watched, site_url):
    """An unknown widget and one whose data is missing, put first on the page."""
    url = page_url(site_url, "prediction.md")

    def with_broken_widgets(route):
        html = route.fetch().text()
        route.fulfill(
            body=html.replace(
                '<div class="lesson-widget"', BROKEN + '<div class="lesson-widget"', 1
            ),
            content_type="text/html",
        )

    watched.page.route(url, with_broken_widgets)
    page = watched.open(url, "digit-pad")  # the pad after them still starts
    for broken in ("unknown", "no-data"):
        widget = page.locator(f"[data-testid={broken}]")
        widget.locator("xpath=.").wait_for(state="visible")
        assert widget.get_attribute("data-ready") == "failed"
        assert "could not start" in widget.text_content()
    assert "no widget named" in page.locator("[data-testid=unknown]").text_content()
    assert "data did not load" in page.locator("[data-testid=no-data]").text_content()
    draw(page, SEVEN)
    assert page.locator("[data-testid=digit-prediction]").text_content() == "7"


def test_the_model_draws_its_3_and_it_is_noise(watched, site_url, built):
    """The learner's idea, tried on the pad: the score soars, the image is the weights."""
    watched.page.clock.install()  # the page's timers on Playwright's clock, time flowing
    page = watched.open(page_url(site_url, "prediction.md"), "digit-pad")
    model = json.loads((built / "site" / "data" / "model.json").read_text())
    ascend = page.locator("[data-testid=digit-ascend]")
    ascend.click()
    assert ascend.is_disabled()
    page.clock.run_for((1 + model["ascent"]["steps"]) * 60)  # the blank start, every 60 ms step
    assert ascend.is_enabled()
    verdict = page.locator("[data-testid=digit-prediction]")
    assert verdict.text_content() == "3"
    pixels = json.loads(page.get_attribute("[data-testid=digit-input-28]", "data-pixels"))
    inked_where_positive = [p > 0 for p, w in zip(pixels, model["weights"], strict=True) if w > 0]
    assert all(inked_where_positive)
    assert all(p == 0 for p, w in zip(pixels, model["weights"], strict=True) if w <= 0)
    assert float(verdict.get_attribute("data-score")) > 100
    assert not watched.errors


def ten_digit_probabilities(page) -> list[float]:
    rows = page.locator("[data-testid=ten-digit-probabilities] li")
    assert rows.count() == 10
    assert [row.locator(".bar-label").text_content() for row in rows.all()] == list("0123456789")
    return [float(row.get_attribute("data-probability")) for row in rows.all()]


TEN_DIGIT_DRAWINGS = {
    "0": [ZERO],
    "1": [ONE],
    "2": [TWO],
    "3": [THREE],
    "4": [FOUR, FOUR_DOWN],
    "6": [SIX],
    "7": [SEVEN],
    "8": [EIGHT],
    "9": [NINE],
}
"""Digits as a person draws them, stroke by stroke. A 5 is left out: drawn this simply,
the linear model of real MNIST calls it a 3, one of its most frequent mistakes."""


@pytest.fixture(scope="module")
def ten_digit_page(browser, site_url):
    """Return the ten-digit page, loaded once for the tests that draw on its pad."""
    session = Watched(browser)
    session.open(page_url(site_url, "ten-digits.md"), "ten-digit-pad")
    yield session
    session.close()


@pytest.fixture
def ten_digit_pad(ten_digit_page):
    """Return the ten-digit page with nothing on its pad; clear the pad afterwards."""
    yield ten_digit_page
    ten_digit_page.page.click("[data-testid=ten-digit-clear]")


@pytest.mark.parametrize(("digit", "strokes"), list(TEN_DIGIT_DRAWINGS.items()))
def test_drawing_a_digit_on_the_ten_digit_pad(ten_digit_pad, digit, strokes):
    page = ten_digit_pad.page
    verdict = page.locator("[data-testid=ten-digit-prediction]")
    assert verdict.text_content() == "draw a digit"
    for stroke in strokes:
        draw(page, stroke, "ten-digit-pad")
    assert verdict.text_content() == digit
    probabilities = ten_digit_probabilities(page)
    assert abs(sum(probabilities) - 1) <= 1e-9
    assert max(range(10), key=probabilities.__getitem__) == int(digit)
    winner = page.locator("[data-testid=ten-digit-probabilities] li.winner")
    assert winner.get_attribute("data-digit") == digit
    shown = page.locator("[data-testid=ten-digit-probability]").text_content()
    assert shown == f"{100 * probabilities[int(digit)]:.1f}%"
    template = page.locator("[data-testid=ten-digit-template]")
    assert f"digit {digit}" in template.get_attribute("aria-label")
    assert (
        page.locator("[data-role=template-caption]").text_content() == f"the template of “{digit}”"
    )
    assert not ten_digit_pad.errors  # on this page since it loaded


def test_the_ten_digit_pad_is_softmax_of_the_exported_templates(ten_digit_pad, built):
    page = ten_digit_pad.page
    draw(page, SEVEN, "ten-digit-pad")
    pixels = np.array(
        json.loads(page.get_attribute("[data-testid=ten-digit-input-28]", "data-pixels"))
    )
    model = json.loads((built / "site" / "data" / "ten-digits.json").read_text())
    scores = np.array(model["templates"]) @ pixels + np.array(model["biases"])
    expected = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
    np.testing.assert_allclose(ten_digit_probabilities(page), expected, rtol=0, atol=1e-9)


def test_clearing_the_ten_digit_pad(ten_digit_pad):
    page = ten_digit_pad.page
    draw(page, ONE, "ten-digit-pad")
    page.click("[data-testid=ten-digit-clear]")
    assert page.locator("[data-testid=ten-digit-prediction]").text_content() == "draw a digit"
    assert page.locator("[data-testid=ten-digit-probability]").text_content() == "–"
    values = page.locator("[data-testid=ten-digit-probabilities] .bar-value").all_text_contents()
    assert values == ["–"] * 10
    assert page.locator("[data-testid=ten-digit-probabilities] li.winner").count() == 0


def test_the_keyboard_can_draw_on_the_ten_digit_pad(watched, site_url):
    page = watched.open(page_url(site_url, "ten-digits.md"), "ten-digit-pad")
    page.focus("[data-testid=ten-digit-pad]")
    assert page.locator("[data-testid=ten-digit-pad] + [data-role=cursor]").is_visible()
    page.keyboard.press("Space")  # lower the pen
    for key in ["ArrowUp"] * 5 + ["ArrowDown"] * 10:
        page.keyboard.press(key)
    verdict = page.locator("[data-testid=ten-digit-prediction]")
    assert verdict.text_content() in set("0123456789")
    assert sum(ten_digit_probabilities(page)) == pytest.approx(1)
    assert page.locator("[aria-live] [data-testid=ten-digit-prediction]").count() == 1
    assert not watched.errors
