/* Apples and pears: find the prices from the receipts by hand, or by gradient descent.
 * Reads data/receipts.json: both shops' receipts, the first guess, the learning rate
 * and the range of each price.
 *
 * Every typed price keeps to its slider's range. A field that is empty, not a number or
 * out of range is marked invalid (aria-invalid, and a short message beside it) and the
 * last valid value stays in use. A gradient step is checked: one that would raise the
 * loss says so, and one that would leave the finite numbers is not taken. */
import {
  fmt, readBounded, receiptsCheckedStep, receiptsErrors, receiptsLoss,
} from "./lessons.mjs";

/** A value as a field shows it: at most four decimals, "5" rather than "5.0000". */
const asTyped = (value) => String(Number(value.toFixed(4)));

export default function setup(root, data) {
  const inputs = {
    apple: root.querySelector("[data-testid=apple-price]"),
    pear: root.querySelector("[data-testid=pear-price]"),
    fee: root.querySelector("[data-testid=fee]"),
  };
  const sliders = [...root.querySelectorAll("[data-slider-for]")];
  const shop = root.querySelector("[data-testid=shop]");
  const table = root.querySelector("tbody");
  const lossOut = root.querySelector("[data-testid=receipts-loss]");
  const surface = root.querySelector("canvas");
  const stepButton = root.querySelector("[data-testid=gradient-step]");
  const descend = root.querySelector("[data-testid=descend]");
  const [appleMin, appleMax] = data.ranges.apple;
  const [pearMin, pearMax] = data.ranges.pear;
  const [apple, pear] = data.first_guess;
  const state = { apple, pear, fee: 0 }; // the values in use: always finite
  let path = [];
  let timer = null;

  /* Beside each field, a message: why what was typed is not used, or where a step took
   * the value; after the buttons, what the last step did. */
  const messages = {};
  for (const [name, input] of Object.entries(inputs)) {
    [input.min, input.max] = data.ranges[name].map(String);
    const message = document.createElement("small");
    message.className = "field-message";
    message.id = `${input.id}-message`;
    message.dataset.testid = `${name}-message`;
    message.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", message.id);
    input.after(message);
    messages[name] = message;
  }
  const stepMessage = document.createElement("p");
  stepMessage.className = "step-message";
  stepMessage.dataset.testid = "receipts-step-message";
  stepMessage.setAttribute("aria-live", "polite");
  descend.after(stepMessage);

  sliders.forEach((slider) => {
    [slider.min, slider.max] = data.ranges[slider.dataset.sliderFor].map(String);
  });
  const receipts = () => data.shops[shop.value];
  const prices = () => [state.apple, state.pear];

  /* The loss over every pair of prices depends on the shop and the fee only: it is
   * computed again when one of them changes, not at every price typed. */
  let shaded = { key: null, image: null };
  function lossImage(ctx, width, height) {
    const key = `${shop.value} ${state.fee}`;
    if (shaded.key === key) return shaded.image;
    const image = ctx.createImageData(width, height);
    const shown = receipts();
    const prices = [0, 0];
    for (let y = 0; y < height; y++) {
      prices[1] = pearMin + (1 - y / height) * (pearMax - pearMin);
      for (let x = 0; x < width; x++) {
        prices[0] = appleMin + (x / width) * (appleMax - appleMin);
        const level = Math.min(1, Math.log10(1 + receiptsLoss(shown, prices, state.fee)) / 3);
        const band = Math.floor(level * 12) % 2 ? 0.92 : 1;
        const v = Math.round(255 * (1 - 0.75 * level) * band);
        const at = (y * width + x) * 4;
        image.data[at] = v;
        image.data[at + 1] = Math.round(v * 0.95);
        image.data[at + 2] = 255 - Math.round(level * 90);
        image.data[at + 3] = 255;
      }
    }
    shaded = { key, image };
    return image;
  }

  function drawSurface() {
    const ctx = surface.getContext("2d");
    const { width, height } = surface;
    ctx.putImageData(lossImage(ctx, width, height), 0, 0);
    const toCanvas = (p) => [
      ((p[0] - appleMin) / (appleMax - appleMin)) * width,
      (1 - (p[1] - pearMin) / (pearMax - pearMin)) * height,
    ];
    ctx.strokeStyle = "#D55E00";
    ctx.lineWidth = 2;
    ctx.beginPath();
    path.forEach((p, i) => (i ? ctx.lineTo(...toCanvas(p)) : ctx.moveTo(...toCanvas(p))));
    ctx.stroke();
    const [cx, cy] = toCanvas(prices());
    ctx.fillStyle = "#D55E00";
    ctx.beginPath();
    ctx.arc(cx, cy, 5, 0, 2 * Math.PI);
    ctx.fill();
  }

  function update() {
    const errors = receiptsErrors(receipts(), prices(), state.fee);
    table.replaceChildren(...receipts().map((r, i) => {
      const row = document.createElement("tr");
      const [apples, pears] = r.quantities;
      const basket = `${apples} apple${apples === 1 ? "" : "s"}, ${pears} pear${pears === 1 ? "" : "s"}`;
      [basket, fmt(r.total, 2), fmt(r.total + errors[i], 2), fmt(errors[i], 2)].forEach((text) => {
        const cell = document.createElement("td");
        cell.textContent = text;
        row.append(cell);
      });
      return row;
    }));
    const value = receiptsLoss(receipts(), prices(), state.fee);
    lossOut.dataset.value = String(value);
    lossOut.textContent = fmt(value, 4);
    sliders.forEach((slider) => {
      slider.value = String(state[slider.dataset.sliderFor]);
    });
    drawSurface();
  }

  /** Mark a field valid or not; say why beside it (an empty message: nothing to say). */
  function mark(name, invalid, text) {
    if (invalid) inputs[name].setAttribute("aria-invalid", "true");
    else inputs[name].removeAttribute("aria-invalid");
    messages[name].textContent = text;
  }

  /** Show the values in use in the fields; note one a step took outside its range. */
  function showState() {
    for (const [name, input] of Object.entries(inputs)) {
      input.value = asTyped(state[name]);
      const [min, max] = data.ranges[name];
      const outside = state[name] < min || state[name] > max;
      mark(name, false, outside ? `a step took it to ${fmt(state[name], 2)}, outside the slider's ${min} to ${max}` : "");
    }
  }

  function stopDescent() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    descend.disabled = false;
  }

  /** Take one checked gradient step; return whether descent may go on. */
  function step() {
    const next = receiptsCheckedStep(receipts(), prices(), state.fee, data.learning_rate);
    if (next === null) {
      stepMessage.textContent = "This step would take the prices past any number a computer holds: not taken.";
      return false;
    }
    [state.apple, state.pear] = next.prices;
    state.fee = next.fee;
    path.push(prices());
    stepMessage.textContent = next.raised
      ? `This step raised the loss from ${fmt(next.before, 4)} to ${fmt(next.after, 4)}: ` +
        `at this point, learning rate ${data.learning_rate} makes too large a step.`
      : "";
    showState();
    update();
    return !next.raised;
  }

  Object.entries(inputs).forEach(([name, input]) => input.addEventListener("input", () => {
    stopDescent();
    const read = input.validity.badInput ? { problem: "not a number" } : readBounded(input.value, data.ranges[name]);
    const [min, max] = data.ranges[name];
    if (read.problem) {
      const hint = read.problem.startsWith("outside") ? read.problem : `${read.problem}: type a number from ${min} to ${max}`;
      mark(name, true, `${hint}; still using ${asTyped(state[name])}`);
      return;
    }
    mark(name, false, "");
    state[name] = read.value;
    path = [];
    stepMessage.textContent = "";
    update();
  }));
  sliders.forEach((slider) => slider.addEventListener("input", () => {
    stopDescent();
    const name = slider.dataset.sliderFor;
    state[name] = Number(slider.value);
    inputs[name].value = slider.value;
    mark(name, false, "");
    path = [];
    stepMessage.textContent = "";
    update();
  }));
  shop.addEventListener("change", () => {
    stopDescent();
    path = [];
    stepMessage.textContent = "";
    update();
  });
  stepButton.addEventListener("click", () => {
    if (!path.length) path.push(prices());
    step();
  });
  descend.addEventListener("click", () => {
    stopDescent();
    descend.disabled = true;
    path = [prices()];
    let left = 150;
    timer = setInterval(() => {
      if (!step() || --left <= 0 || !root.isConnected) stopDescent();
    }, 20);
  });
  showState();
  update();
}
