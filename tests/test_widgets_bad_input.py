"""Bad input for every widget, in a real Chromium: every kind of bad value typed (and
pasted) into every numeric field, every button pressed in every state, the drawing pads
given nothing, a dot and strokes along their borders.

After each input: no "NaN" or "Infinity" anywhere in the widget (text, attributes,
fields), no absurd row of digits on show, no console error; a bad typed value is marked
invalid with a message beside it while the last valid value stays in use; and the widget
recovers when a valid value is typed again. One page load per widget.
"""

from __future__ import annotations

import json
import math
import re

import pytest

from lessons_code import apples_pears
from tests.support.browser import centre_in_view, draw, page_url

BAD_VALUES = [
    "", " ", "-5", "1e308", "99999999", "abc", "NaN", "Infinity", "-Infinity", "-1e308",
    "-99999999", "1e-320", "1e", "--5", "0x10", "6.0001",
]  # fmt: skip
"""What a reader may type where a number goes: empty, negative, huge, tiny, not a number."""

NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$", re.IGNORECASE)
ABSURD = re.compile(r"\d{10,}")
"""Ten digits in a row on show: a number that should have been in powers of ten."""

SHOWN = """(root) => {
  const seen = [];
  for (const element of [root, ...root.querySelectorAll("*")]) {
    for (const attribute of element.attributes) seen.push(attribute.value);
    if (typeof element.value === "string") seen.push(element.value);
  }
  return { text: root.innerText, everything: seen.join("\\n") };
}"""

OBSERVE = """(root) => {
  const seen = [];
  for (const element of [root, ...root.querySelectorAll("*")]) {
    for (const attribute of element.attributes) seen.push(attribute.value);
    if (typeof element.value === "string") seen.push(element.value);
  }
  const fields = {};
  const ids = { apple: "apple-price", pear: "pear-price", fee: "fee" };
  for (const [name, id] of Object.entries(ids)) {
    const field = root.querySelector(`[data-testid=${id}]`);
    fields[name] = {
      value: field.value,
      badInput: field.validity.badInput,
      invalid: field.getAttribute("aria-invalid"),
      message: root.querySelector(`[data-testid=${name}-message]`).textContent,
    };
  }
  const sliders = {};
  for (const name of Object.keys(ids)) {
    sliders[name] = root.querySelector(`[data-testid=${name}-slider]`).value;
  }
  return {
    text: root.innerText,
    everything: seen.join(" "),
    fields,
    sliders,
    loss: Number(root.querySelector("[data-testid=receipts-loss]").dataset.value),
    stepMessage: root.querySelector("[data-testid=receipts-step-message]").textContent,
    stepsPressed: window.stepsPressed,
  };
}"""
"""Everything a check of the playground needs, in one round trip to the browser."""

RECORD = f"""(root) => {{
  const observe = {OBSERVE};
  window.observePlayground = () => observe(root);
  window.observedPlayground = [];
  root.addEventListener("keyup", () => window.observedPlayground.push(observe(root)));
  window.stepsPressed = 0;
  root.addEventListener("click", (event) => {{
    if (event.target.closest("[data-testid=gradient-step]")) window.stepsPressed++;
  }});
}}"""
"""Observe the playground after every key a reader types into it: its `input` handler
has run by the time the key comes up. TAKE returns (and forgets) what was recorded.
Count the clicks that reach "One gradient step"."""

TAKE = "() => window.observedPlayground.splice(0)"

SET_VALUE = """(field, value) => {
  field.value = value;  // as a paste or an autofill would: the browser sanitizes it
  field.dispatchEvent(new Event("input", { bubbles: true }));
}"""

PASTE = f"""(field, value) => {{
  ({SET_VALUE})(field, value);
  return window.observePlayground();
}}"""
"""Set a field's value at once, as a paste would; return what the playground then shows."""

SET_SLIDERS = f"""(root, values) => {{
  for (const [name, value] of Object.entries(values)) {{
    ({SET_VALUE})(root.querySelector(`[data-testid=${{name}}-slider]`), value);
  }}
  return window.observePlayground();
}}"""
"""Set sliders one after the other ({name: value}); return what the playground then shows."""


def assert_clean(page, widget: str, after: str) -> None:
    """Assert that the widget shows no NaN, Infinity or absurd number anywhere."""
    shown = page.locator(f"[data-widget={widget}]").evaluate(SHOWN)
    for word in ("NaN", "Infinity"):
        assert word not in shown["everything"], f"{word} after {after}"
    absurd = ABSURD.search(shown["text"])
    assert absurd is None, f"{absurd and absurd.group()} on show after {after}"


def type_keys(page, testid: str, text: str) -> list[tuple[str, dict]]:
    """Empty a field, then type text into it key by key, as a reader does (the browser
    drops what a number field cannot hold); return what was typed after each key, with
    what the playground showed then (recorded in the page: see RECORD)."""
    field = page.locator(f"[data-testid={testid}]")
    field.fill("")  # selects what the field holds and presses Delete: one key
    field.press_sequentially(text)
    seen = page.evaluate(TAKE)
    typed = [text[:end] for end in range(len(text) + 1)]
    assert len(seen) == len(typed), f"{len(seen)} keys seen typing {text!r} into {testid}"
    return list(zip(typed, seen, strict=True))


def paste(page, testid: str, text: str) -> list[tuple[str, dict]]:
    """Set a field's value at once, as a paste or an autofill would; return it, with what
    the playground showed then."""
    return [(text, page.locator(f"[data-testid={testid}]").evaluate(PASTE, text))]


def set_value(page, testid: str, text: str) -> None:
    """Set a field's (or a slider's) value at once; the browser sanitizes it."""
    page.locator(f"[data-testid={testid}]").evaluate(SET_VALUE, text)


# --- the receipts playground ---------------------------------------------------------

FIELDS = {"apple": "apple-price", "pear": "pear-price", "fee": "fee"}
DESCENT_TICK, DESCENT_STEPS = 20, 150
"""Descend takes a step every 20 ms, at most 150 steps (receipts.mjs)."""


class Playground:
    """The receipts playground, and the values it should be using (the lessons' maths)."""

    def __init__(self, page, exported: dict):
        self.page, self.exported = page, exported
        self.root = page.locator("[data-widget=receipts]")
        self.root.evaluate(RECORD)
        self.state = dict(zip(("apple", "pear"), exported["first_guess"], strict=True))
        self.state["fee"] = 0.0
        self.shop = "no fee"
        self.inputs = 0
        self.steps = 0  # "One gradient step" pressed

    def choose_shop(self, shop: str) -> None:
        """Choose a shop: the values in use come back inside the sliders' ranges, and the
        fee is 0, fixed, in a shop that adds none."""
        self.page.select_option("[data-testid=shop]", shop)
        self.shop = shop
        for name, (low, high) in self.exported["ranges"].items():
            self.state[name] = min(high, max(low, self.state[name]))
        if not self.learns_fee():
            self.state["fee"] = 0.0

    def learns_fee(self) -> bool:
        return self.exported["learns_fee"][self.shop]

    def receipts(self) -> list[apples_pears.Receipt]:
        shop = self.exported["shops"][self.shop]
        return [apples_pears.Receipt(tuple(r["quantities"]), r["total"]) for r in shop]

    def prices(self) -> tuple[float, float]:
        return self.state["apple"], self.state["pear"]

    def expected_loss(self) -> float:
        return apples_pears.receipts_loss(self.receipts(), self.prices(), self.state["fee"])

    def observe(self) -> dict:
        """Return what the playground shows now (see OBSERVE)."""
        return self.page.evaluate("() => window.observePlayground()")

    def check(self, after: str, seen: dict | None = None) -> dict:
        """Assert the loss on show (seen, or observed now) is the loss of the values in use
        and nothing on show is NaN, Infinity or absurd; return what the widget shows."""
        seen = self.observe() if seen is None else seen
        loss = self.expected_loss()
        assert math.isclose(seen["loss"], loss, rel_tol=1e-9, abs_tol=1e-12), after
        for word in ("NaN", "Infinity"):
            assert word not in seen["everything"], f"{word} after {after}"
        assert ABSURD.search(seen["text"]) is None, f"an absurd number after {after}"
        return seen

    def enter(self, way, name: str, text: str) -> None:
        """Type (key by key) or paste text into a field; after every keystroke a valid
        value is used and anything else refused, the last valid value staying in use."""
        self.inputs += 1
        after = f"{way.__name__} {text!r} into {name}"
        low, high = self.exported["ranges"][name]
        for typed, seen in way(self.page, FIELDS[name], text):
            field = seen["fields"][name]
            valid = not field["badInput"] and NUMBER.match(field["value"].strip())
            valid = bool(valid) and low <= float(field["value"]) <= high
            if valid:
                self.state[name] = float(field["value"])
            self.check(f"{after}, at {typed!r}", seen)
            if valid:
                assert field["invalid"] is None and field["message"] == "", after
            else:
                assert field["invalid"] == "true", after
                assert "still using" in field["message"] and len(field["message"]) < 80, after

    def step(self, after: str) -> None:
        """Press "One gradient step": the lessons' step from the values in use."""
        before = self.expected_loss()
        d_prices, d_fee = apples_pears.receipts_grad(
            self.receipts(), self.prices(), self.state["fee"]
        )
        rate = self.exported["learning_rate"]
        self.state["apple"], self.state["pear"] = (
            p - rate * d for p, d in zip(self.prices(), d_prices, strict=True)
        )
        if self.learns_fee():
            self.state["fee"] -= rate * d_fee
        # A real click at the button's centre, without Playwright's wait for the page to
        # be still: the count of clicks the button received shows it landed.
        self.page.click("[data-testid=gradient-step]", force=True)
        seen = self.check(f"a step after {after}")
        self.steps += 1
        assert seen["stepsPressed"] == self.steps, f"the step after {after} missed the button"
        assert seen["loss"] <= before + 1e-12, after  # never a climb with the page's rate
        assert seen["stepMessage"] == "", after
        for field in seen["fields"].values():  # what a step set is valid, whatever was typed
            assert field["invalid"] is None, after


def test_every_bad_value_in_every_field_of_the_playground(watched, site_url, built):
    page = watched.open(page_url(site_url, "apples-pears.md"), "receipts")
    exported = json.loads((built / "site" / "data" / "receipts.json").read_text())
    playground = Playground(page, exported)
    playground.check("loading")
    for field in FIELDS.values():  # typed fields keep to their sliders' ranges
        slider = page.locator(f"[data-slider-for={field.split('-')[0]}]")
        bounds = [page.get_attribute(f"[data-testid={field}]", edge) for edge in ("min", "max")]
        assert bounds == [slider.get_attribute("min"), slider.get_attribute("max")]
    for name in FIELDS:
        if name == "fee":  # the shop without a bag fee keeps its fee at 0: no field to type in
            assert page.locator("[data-testid=fee]").is_disabled()
            playground.choose_shop("bag fee")
        for way in (type_keys, paste):
            for text in BAD_VALUES:
                playground.enter(way, name, text)
                playground.step(f"{text!r} in {name}")  # a button, the field invalid
                playground.enter(way, name, "2")  # recovers
    assert playground.inputs == 3 * 2 * 2 * len(BAD_VALUES)  # 3 fields, 2 ways, bad then good
    assert not watched.errors


def test_the_sliders_and_every_button_in_every_state(watched, site_url, built):
    watched.page.clock.install()  # time flows as usual; Descend is moved on by the test
    page = watched.open(page_url(site_url, "apples-pears.md"), "receipts")
    exported = json.loads((built / "site" / "data" / "receipts.json").read_text())
    playground = Playground(page, exported)
    playground.choose_shop("bag fee")  # where the fee has a slider to set
    for name in FIELDS:  # the browser bounds a slider: whatever is set, it is in range
        for text in BAD_VALUES:
            seen = playground.root.evaluate(SET_SLIDERS, {name: text})
            playground.state[name] = float(seen["sliders"][name])
            assert float(seen["fields"][name]["value"]) == playground.state[name]
            playground.check(f"{text!r} set on the {name} slider", seen)
    for shop in ("no fee", "bag fee"):
        playground.choose_shop(shop)
        ranges = exported["ranges"]
        set_here = [name for name in FIELDS if name != "fee" or playground.learns_fee()]
        for corner in ((0, 0, 0), (1, 1, 1), (0, 1, 0), (1, 0, 1)):  # the ranges' corners
            values = {
                name: str(ranges[name][edge])
                for name, edge in zip(set_here, corner[: len(set_here)], strict=True)
            }
            seen = playground.root.evaluate(SET_SLIDERS, values)
            playground.state.update({name: float(value) for name, value in values.items()})
            playground.check(f"the corner {corner} in {shop}", seen)
            for _ in range(3):
                playground.step(f"the corner {corner}")
    # From the first guess, one step takes the fee below its slider: the field says so,
    # until the shop changes (the fee back to 0 where the shop adds none).
    for name, value in zip(FIELDS, [*exported["first_guess"], 0], strict=True):
        playground.enter(type_keys, name, str(value))
    playground.step("the first guess")
    assert playground.state["fee"] < 0
    assert "outside the slider" in page.text_content("[data-testid=fee-message]")
    playground.choose_shop("no fee")
    seen = playground.check("a change of shop")
    assert all("outside" not in field["message"] for field in seen["fields"].values())
    assert seen["fields"]["fee"]["value"] == "0"
    # Descend, then type while it runs: the descent stops and the typed value is used.
    descend = page.locator("[data-testid=descend]")
    page.click("[data-testid=descend]")
    assert descend.is_disabled()
    descend.evaluate("(button) => button.click()")  # ignored
    page.clock.run_for(DESCENT_TICK * 3)  # three steps down
    set_value(page, "apple-price", "4")
    assert descend.is_enabled()
    page.clock.run_for(DESCENT_TICK * 5)  # no step is still on its way
    set_value(page, "pear-price", "3")
    playground.state.update(apple=4.0, pear=3.0)
    playground.check("typing while descending")
    # Descend to the end, from an invalid field and from the bottom of the loss.
    playground.enter(type_keys, "pear", "abc")
    page.click("[data-testid=descend]")
    page.clock.run_for(DESCENT_TICK * DESCENT_STEPS)
    assert descend.is_enabled()
    assert playground.observe()["loss"] < 1e-6
    assert_clean(page, "receipts", "descending")
    page.click("[data-testid=descend]")  # at the bottom: nothing moves, nothing breaks
    page.click("[data-testid=gradient-step]")
    page.clock.run_for(DESCENT_TICK * DESCENT_STEPS)
    assert descend.is_enabled()
    assert playground.observe()["loss"] < 1e-6
    assert_clean(page, "receipts", "descending at the bottom")
    assert not watched.errors


# --- the sliders of the nudge and the replay --------------------------------------------


def test_the_nudge_slider_and_the_heatmap_at_their_edges(watched, site_url):
    page = watched.open(page_url(site_url, "loss.md"), "nudge")
    start = page.get_attribute("[data-testid=nudge-loss]", "data-value")
    for text in BAD_VALUES:
        set_value(page, "nudge-slider", text)
        delta = float(page.input_value("[data-testid=nudge-slider]"))
        assert -2 <= delta <= 2
        assert math.isfinite(float(page.get_attribute("[data-testid=nudge-loss]", "data-value")))
        assert_clean(page, "nudge", f"{text!r} on the slider")
    set_value(page, "nudge-slider", "0")
    assert page.get_attribute("[data-testid=nudge-loss]", "data-value") == start  # recovers
    box = centre_in_view(page, "nudge-weights")
    right, bottom = box["width"] - 1, box["height"] - 1  # the last pixel inside each edge
    for x, y, row, column in ((1, 1, 0, 0), (right, bottom, 27, 27), (1, bottom, 27, 0)):
        page.mouse.click(box["x"] + x, box["y"] + y)
        pixel = page.text_content("[data-testid=nudge-pixel]")
        assert pixel.startswith(f"row {row}, column {column}:"), pixel
        set_value(page, "nudge-slider", "2")
        assert_clean(page, "nudge", f"a click at ({x}, {y})")
    page.focus("[data-testid=nudge-weights]")
    for key in ["ArrowUp"] * 30 + ["ArrowLeft"] * 30 + ["ArrowDown"] * 30 + ["ArrowRight"] * 30:
        page.keyboard.press(key)
    pixel = page.text_content("[data-testid=nudge-pixel]")
    assert re.match(r"row 27, column 27: weight -?\d+\.\d{3} [+−] \d\.\d{3}$", pixel), pixel
    assert_clean(page, "nudge", "the arrow keys past every edge")
    assert not watched.errors


def test_the_replay_slider_with_bad_values(watched, site_url, built):
    page = watched.open(page_url(site_url, "gradient-descent.md"), "replay")
    training = json.loads((built / "site" / "data" / "training.json").read_text())
    label = page.locator("[data-testid=replay-label]")
    for text in BAD_VALUES:
        set_value(page, "replay-epoch", text)
        frame = int(page.input_value("[data-testid=replay-epoch]"))
        assert 0 <= frame < len(training["epochs"])
        assert label.text_content().startswith(f"epoch {training['epochs'][frame]}")
        assert_clean(page, "replay", f"{text!r} on the slider")
    page.focus("[data-testid=replay-epoch]")
    for key in ("End", "PageUp", "ArrowRight", "Home", "PageDown", "ArrowLeft"):
        page.keyboard.press(key)
        assert_clean(page, "replay", key)
    set_value(page, "replay-epoch", "0")
    assert label.text_content() == "epoch 0: the random start"  # recovers
    assert not watched.errors


# --- the drawing pads ------------------------------------------------------------------


def dot(page, pad_id: str, x: float, y: float) -> None:
    """Press and lift the mouse at one point of the pad: a single dot."""
    box = centre_in_view(page, pad_id)
    page.mouse.move(box["x"] + x, box["y"] + y)
    page.mouse.down()
    page.mouse.up()


def border_strokes(page, pad_id: str) -> list[list[tuple[float, float]]]:
    """Return a stroke along each edge of the pad, on its very edge, and one leaving it."""
    box = page.locator(f"[data-testid={pad_id}]").bounding_box()
    left, top, right, bottom = 1, 1, box["width"] - 1, box["height"] - 1  # just inside
    return [
        [(left, top), (right, top)],
        [(right, top), (right, bottom)],
        [(right, bottom), (left, bottom)],
        [(left, bottom), (left, top)],
        [(box["width"] / 2, box["height"] / 2), (box["width"] + 60, box["height"] + 60)],
    ]


PADS = {
    "digit-pad": ("prediction.md", "digit-prediction", {"3", "7"}, "digit-clear"),
    "ten-digit-pad": (
        "ten-digits.md",
        "ten-digit-prediction",
        set("0123456789"),
        "ten-digit-clear",
    ),
}


@pytest.mark.parametrize("pad_id", list(PADS))
def test_a_pad_given_nothing_a_dot_and_strokes_along_its_border(watched, site_url, pad_id):
    source, verdict_id, verdicts, clear = PADS[pad_id]
    page = watched.open(page_url(site_url, source), pad_id)
    widget = pad_id
    verdict = page.locator(f"[data-testid={verdict_id}]")

    def cleared(after: str) -> None:
        page.click(f"[data-testid={clear}]")
        assert verdict.text_content() == "draw a digit", after
        assert_clean(page, widget, f"clearing after {after}")

    cleared("nothing")  # an empty pad, cleared
    cleared("an empty pad cleared")
    box = page.locator(f"[data-testid={pad_id}]").bounding_box()
    width, height = box["width"], box["height"]
    left, top, right, bottom = 1, 1, width - 1, height - 1  # the last CSS pixel inside
    for x, y in ((width / 2, height / 2), (left, top), (right, bottom), (left, bottom)):
        dot(page, pad_id, x, y)
        assert verdict.text_content() in verdicts, f"a dot at ({x}, {y})"
        assert_clean(page, widget, f"a dot at ({x}, {y})")
        cleared(f"a dot at ({x}, {y})")
    for stroke in border_strokes(page, pad_id):
        draw(page, stroke, pad_id)
        assert verdict.text_content() in verdicts, f"the stroke {stroke}"
        assert_clean(page, widget, f"the stroke {stroke}")
        cleared(f"the stroke {stroke}")
    page.focus(f"[data-testid={pad_id}]")  # the keyboard pen, pushed past every edge
    page.keyboard.press("Space")
    for key in ["ArrowLeft"] * 20 + ["ArrowUp"] * 20 + ["ArrowRight"] * 20 + ["ArrowDown"] * 20:
        page.keyboard.press(key)
    assert verdict.text_content() in verdicts
    assert_clean(page, widget, "the keyboard pen along the border")
    page.keyboard.press("Space")
    cleared("the keyboard pen")
    assert not watched.errors


ASCENT_TICK = 60
"""The model draws its 3 a step every 60 ms (digit-pad.mjs)."""


def test_every_button_of_the_digit_pad_in_every_state(watched, site_url, built):
    # Every timer of the page on Playwright's clock, from before it loads: time flows as
    # usual, and the test moves it on by a step of the ascent after each click.
    watched.page.clock.install()
    page = watched.open(page_url(site_url, "prediction.md"), "digit-pad")
    steps = json.loads((built / "site" / "data" / "model.json").read_text())["ascent"]["steps"]
    verdict = page.locator("[data-testid=digit-prediction]")
    ascend = page.locator("[data-testid=digit-ascend]")
    buttons = ("digit-clear", "digit-example", "digit-ascend")

    def press(button: str) -> None:
        page.click(f"[data-testid={button}]", force=button == "digit-ascend")
        page.clock.run_for(ASCENT_TICK)

    for first in buttons:
        for second in buttons:
            press("digit-clear")
            press(first)
            press(second)
            # Again, running or not: straight in the page, no wait for the button (a
            # locator's wait polls on animation frames, which the installed clock owns).
            page.evaluate("document.querySelector('[data-testid=digit-ascend]').click()")
            assert_clean(page, "digit-pad", f"{first} then {second}")
    press("digit-ascend")
    press("digit-clear")  # stops the model's drawing
    page.clock.run_for(5 * ASCENT_TICK)
    assert verdict.text_content() == "draw a digit" and ascend.is_enabled()
    press("digit-ascend")
    press("digit-example")  # stops it too, and shows the example
    page.clock.run_for(5 * ASCENT_TICK)
    label = page.get_attribute("[data-testid=digit-example]", "data-label")
    assert verdict.text_content() in {"3", "7"} and label in {"3", "7"}
    page.click("[data-testid=digit-ascend]")
    assert ascend.is_disabled()
    page.clock.run_for((1 + steps) * ASCENT_TICK)  # the blank start, then every step
    assert ascend.is_enabled()
    assert verdict.text_content() == "3"
    assert_clean(page, "digit-pad", "the model's whole drawing")
    assert not watched.errors, watched.errors
