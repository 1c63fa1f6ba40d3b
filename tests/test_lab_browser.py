"""The lab page in a real Chromium (Debian's package, driven by Playwright), on the built
site: a default run ends on the build's accuracy, the address restores an experiment, a
diverging run says so, Stop leaves a lab that trains again, the keyboard reaches every
control, and axe-core finds nothing serious after a run in either palette (the page as
it loads is checked with every page by tests/test_site_gates.py).

Skipped with a reason when no browser is installed (see tests/support/browser.py).
"""

from __future__ import annotations

import json
import re

import pytest

from tests.support.browser import Watched, axe_violations, page_url

FIELDS = ("model", "hidden", "lr", "batch-size", "epochs", "init", "std", "loss")
FIELDS += ("shuffle", "zero-grad", "pixels", "seed")
"""Every control's test id after `lab-`, in the page's order."""

DONE = "document.querySelector('[data-testid=lab-status]').textContent === 'done'"
RUN_SECONDS = 120_000  # ms: a generous bound for the slowest run here, on a loaded machine


@pytest.fixture(scope="module")
def lab_config(built) -> dict:
    return json.loads((built / "site" / "data" / "lab.json").read_text())


def open_lab(watched, site_url, hash_: str = ""):
    return watched.open(page_url(site_url, "lab.md") + hash_, "lab-page")


def train_until_done(page) -> dict:
    """Press Train, wait for the run to end; return what the lab shows of it."""
    page.click("[data-testid=lab-train]")
    page.wait_for_function(DONE, timeout=RUN_SECONDS)
    shown = {
        name: page.text_content(f"[data-testid=lab-{name}]")
        for name in ("accuracy", "progress", "verdict")
    }
    shown["value"] = page.get_attribute("[data-testid=lab-accuracy]", "data-value")
    shown["kind"] = page.get_attribute("[data-testid=lab-verdict]", "data-kind")
    return shown


def values(page) -> dict[str, str]:
    return {name: page.input_value(f"[data-testid=lab-{name}]") for name in FIELDS}


def test_a_default_run_ends_on_the_builds_accuracy(watched, site_url, lab_config):
    page = open_lab(watched, site_url)
    digits = lab_config["digits"]["file"]
    assert not any(digits in url for url in watched.requests)  # nothing heavy before Train
    shown = train_until_done(page)
    build = page.text_content("[data-testid=lab-build-accuracy]")
    assert shown["accuracy"] == build == f"{lab_config['build']['valid_accuracy']:.1%}"
    assert float(shown["value"]) == lab_config["build"]["valid_accuracy"]
    assert shown["kind"] == "learned"
    assert sum(digits in url for url in watched.requests) == 1
    assert page.evaluate("location.hash") == ""
    assert not watched.errors


def test_an_address_restores_the_experiment_and_its_run(watched, site_url):
    experiment = "#model=net&hidden=8&lr=0.5&batch_size=64&epochs=4&shuffle=yes&seed=5"
    page = open_lab(watched, site_url, experiment)
    given = {"model": "net", "hidden": "8", "lr": "0.5", "batch-size": "64", "epochs": "4"}
    given |= {"shuffle": "yes", "seed": "5", "init": "nn.Linear"}  # init: the net's default
    assert {name: values(page)[name] for name in given} == given
    first = train_until_done(page)
    assert page.evaluate("location.hash") == experiment

    page.click("[data-testid=lab-reset]")
    assert page.evaluate("location.hash") == "" and values(page)["model"] == "linear"
    page.select_option("[data-testid=lab-model]", "net")
    page.select_option("[data-testid=lab-shuffle]", "yes")
    for name, typed in (("hidden", "8"), ("lr", "0.5"), ("batch-size", "64"), ("epochs", "4")):
        page.fill(f"[data-testid=lab-{name}]", typed)
    page.fill("[data-testid=lab-seed]", "5")
    assert page.evaluate("location.hash") == experiment
    again = train_until_done(page)
    assert again == first
    assert not watched.errors


def assert_lab_shows(page, experiment: str, **controls: str) -> None:
    """Wait until the lab is ready, then check that each named control holds its value
    and the address holds the experiment."""
    page.wait_for_selector("[data-widget=lab-page][data-ready=yes]")
    for name, value in controls.items():
        assert page.input_value(f"[data-testid=lab-{name}]") == value, name
    assert page.evaluate("location.hash") == experiment


def test_a_lesson_links_into_the_lab_with_its_preset(watched, site_url):
    page = watched.open(page_url(site_url, "gradient-descent.md"))
    page.click("text=the same run with a learning rate of 10")
    assert_lab_shows(page, "#lr=10", lr="10", epochs="20")


def test_the_hash_stays_the_experiment_while_the_reader_scrolls(watched, site_url):
    page = open_lab(watched, site_url, "#lr=10")
    page.evaluate("document.getElementById('check-yourself').scrollIntoView()")
    page.wait_for_timeout(1200)  # Material writes the heading scrolled to after 0.5 s
    assert page.evaluate("location.hash") == "#lr=10"
    page.wait_for_load_state("networkidle")  # Material's instant navigation is ready
    page.click("text=Shuffle the batches")  # a preset on the page: Material's pushState
    page.wait_for_function("document.querySelector('[data-testid=lab-shuffle]').value === 'yes'")
    assert page.evaluate("location.hash") == "#shuffle=yes"
    # every other control back at its default (waited for: on a busy machine the fields
    # are written one after another, and a read between two writes saw an empty one)
    page.wait_for_function("document.querySelector('[data-testid=lab-lr]').value === '1'")


SLOW_LAB_DATA = """const fetched = window.fetch;
window.fetch = (url, ...rest) => String(url).includes("lab.json")
  ? new Promise((done) => setTimeout(done, 2000)).then(() => fetched(url, ...rest))
  : fetched(url, ...rest);"""
"""The lab's data arriving 2 s late, as on a slow phone or a loaded machine."""


def test_a_linked_experiment_survives_a_scroll_while_the_lab_loads(watched, site_url):
    # Material's navigation.tracking clears the hash when the reader scrolls back to the
    # top; a lab that read the address only once loaded trained the defaults instead.
    experiment = "#lr=10000&loss=binary_cross_entropy"
    watched.page.add_init_script(SLOW_LAB_DATA)
    watched.page.goto(page_url(site_url, "lab.md") + experiment)
    watched.page.evaluate("window.scrollBy(0, 1500)")
    watched.page.wait_for_timeout(600)
    watched.page.evaluate("window.scrollTo(0, 0)")
    watched.page.wait_for_timeout(600)
    assert_lab_shows(watched.page, experiment, lr="10000", loss="binary_cross_entropy")


def test_a_diverging_rate_is_reported_with_no_nan_or_infinity(watched, site_url):
    page = open_lab(watched, site_url, "#lr=10000&loss=binary_cross_entropy")
    shown = train_until_done(page)
    assert shown["kind"] == "diverged"
    assert shown["verdict"].startswith("Diverged")
    text = page.text_content("[data-testid=lab]")
    assert "NaN" not in text and "Infinity" not in text
    assert not watched.errors


def test_nonsense_is_marked_and_the_last_valid_value_stays_in_use(watched, site_url, lab_config):
    page = open_lab(watched, site_url, "#epochs=abc")
    assert page.get_attribute("[data-testid=lab-epochs]", "aria-invalid") == "true"
    assert "still using 20" in page.text_content("[data-testid=lab-epochs-message]")
    for typed, problem in (("-3", "outside"), ("", "empty"), ("1e9", "outside")):
        page.fill("[data-testid=lab-lr]", typed)
        assert page.get_attribute("[data-testid=lab-lr]", "aria-invalid") == "true"
        message = page.text_content("[data-testid=lab-lr-message]")
        assert message.startswith(problem) and message.endswith("still using 1"), message
    page.fill("[data-testid=lab-batch-size]", "2.5")
    assert "not a whole number" in page.text_content("[data-testid=lab-batch-size-message]")
    assert page.evaluate("location.hash") == ""
    shown = train_until_done(page)  # with the values in use: the chapter's
    assert float(shown["value"]) == lab_config["build"]["valid_accuracy"]


TYPED = ("", "-5", "0", "1e308", "abc", "1e", "--5", "2.5", "99999999")
"""What a reader may type where a number goes: empty, negative, huge, not a number."""
ACCEPTED = {"lr": {"2.5"}, "std": {"0", "2.5"}, "seed": {"0"}}
"""The typed values that a field takes: every other is refused."""
NUMERIC = ("hidden", "lr", "batch-size", "epochs", "std", "seed")
PASTE = """(field, text) => {
  field.value = text;  // at once, as a paste: the browser empties what a number field refuses
  field.dispatchEvent(new Event("input", { bubbles: true }));
}"""
SHOWN = """(root) => [root.innerText, ...[root, ...root.querySelectorAll("*")].flatMap(
  (element) => [...[...element.attributes].map((a) => a.value), element.value ?? ""])]"""


def test_every_bad_value_in_every_field_is_marked_and_shows_no_nan(watched, site_url):
    page = open_lab(watched, site_url, "#model=net&init=init_params")  # every field applies
    for name in NUMERIC:
        field = page.locator(f"[data-testid=lab-{name}]")
        original = in_use = field.input_value()
        for typed in TYPED:
            field.evaluate(PASTE, typed)
            if typed in ACCEPTED.get(name, ()):
                assert field.get_attribute("aria-invalid") is None, (name, typed)
                in_use = typed
                continue
            assert field.get_attribute("aria-invalid") == "true", (name, typed)
            message = page.text_content(f"[data-testid=lab-{name}-message]")
            assert message.endswith(f"still using {in_use}"), (name, typed, message)
            shown = page.locator("[data-testid=lab]").evaluate(SHOWN)
            assert not any("NaN" in s or "Infinity" in s for s in shown), (name, typed)
            assert not re.search(r"\d{10,}", shown[0]), (name, typed)
        field.fill(original)
        assert field.get_attribute("aria-invalid") is None, name
    assert page.evaluate("location.hash") == "#model=net&init=init_params"
    assert not watched.errors


def test_stop_mid_run_leaves_a_lab_that_trains_again(watched, site_url, lab_config):
    page = open_lab(watched, site_url, "#model=net&epochs=200")
    page.click("[data-testid=lab-train]")
    page.wait_for_function(
        "/^epoch [1-9]/.test(document.querySelector('[data-testid=lab-progress]').textContent)",
        timeout=RUN_SECONDS,
    )
    page.click("[data-testid=lab-stop]")
    assert page.text_content("[data-testid=lab-status]") == "stopped"
    progress = page.text_content("[data-testid=lab-progress]")
    page.wait_for_timeout(1000)
    assert page.text_content("[data-testid=lab-progress]") == progress  # nothing runs on
    page.click("[data-testid=lab-reset]")
    shown = train_until_done(page)
    assert float(shown["value"]) == lab_config["build"]["valid_accuracy"]
    assert not watched.errors


def test_the_keyboard_alone_reaches_every_control_and_trains(watched, site_url):
    page = open_lab(watched, site_url, "#model=net&init=init_params")  # every field applies
    page.focus("[data-testid=lab-model]")
    reached = ["model"]
    for _ in range(len(FIELDS) + 2):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.dataset.testid").removeprefix("lab-"))
    assert reached == [*FIELDS, "train", "stop", "reset"]
    page.focus("[data-testid=lab-epochs]")
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.focus("[data-testid=lab-train]")
    page.keyboard.press("Enter")
    page.wait_for_function(DONE, timeout=RUN_SECONDS)
    assert page.text_content("[data-testid=lab-progress]") == "after 2 epochs"
    page.focus("[data-testid=lab-reset]")
    page.keyboard.press("Space")
    assert page.text_content("[data-testid=lab-status]") == "ready"
    assert page.input_value("[data-testid=lab-model]") == "linear"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_after_a_run(browser, site_url, scheme):
    """The page as it loads is the site gates' (every page, both palettes); here, the lab
    after a run, with a field marked invalid and the verdict written."""
    session = Watched(browser, 1280, scheme)
    try:
        session.open(page_url(site_url, "lab.md"))
        page = session.settle()  # as a reader scrolls: each code block mounted as it is reached
        page.fill("[data-testid=lab-lr]", "-1")
        train_until_done(page)
        assert not axe_violations(page)
        assert not session.errors
    finally:
        session.close()
