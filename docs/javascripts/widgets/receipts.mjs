/* Apples and pears: find the prices from the receipts by hand, or by gradient descent.
 * Reads data/receipts.json: both shops' receipts, whether descent learns each shop's fee,
 * the first guess, the learning rate and the range of each price.
 *
 * The shop without a bag fee has none to learn: its fee is 0 and stays 0 (its controls
 * are disabled, the shop's name says so), as apples_pears.descend keeps it without
 * learn_fee. A change of shop
 * keeps the prices, brought back inside the sliders' ranges.
 *
 * Every typed price keeps to its slider's range. A field that is empty, not a number or
 * out of range is marked invalid (aria-invalid, and a short message beside it) and the
 * last valid value stays in use. A gradient step is checked: one that would raise the
 * loss says so, and one that would leave the finite numbers is not taken. */
import {
  fmt, readBounded, receiptsCheckedStep, receiptsErrors, receiptsLoss, receiptsLossGrid,
} from "./lessons.mjs";

/** A value as a field shows it: at most four decimals, "5" rather than "5.0000". */
const asTyped = (value) => String(Number(value.toFixed(4)));

/* The loss map on its canvas (300 × 340, white in both palettes): the prices' square, the
 * axes left of and under it, then the colour key and the marks' key. */
const PLOT = { left: 40, top: 8, size: 240 };
const INK = "#1f2328";
const MARK = "#D55E00";
const FONT = "12px system-ui, sans-serif";
const KEY_LOSSES = [0, 10, 100, 1000];

/** How dark a loss is drawn, in [0, 1]: log scale, 0 white, 999 and up darkest. */
const lossLevel = (loss) => Math.min(1, Math.log10(1 + loss) / 3);

/** The colour of a loss on the map: paler for lower, in bands like a map's contours. */
function lossColour(loss) {
  const level = lossLevel(loss);
  const band = Math.floor(level * 12) % 2 ? 0.92 : 1;
  const v = Math.round(255 * (1 - 0.75 * level) * band);
  return [v, Math.round(v * 0.95), 255 - Math.round(level * 90)];
}

/** Whole, round ticks from min to max: about six of them. */
function ticks([min, max]) {
  const step = [1, 2, 5, 10, 20, 50].find((s) => (max - min) / s <= 6) ?? (max - min) / 5;
  return Array.from({ length: Math.floor((max - min) / step + 1e-9) + 1 }, (_, i) => min + i * step);
}

function drawAxes(ctx, ranges) {
  const { left, top, size } = PLOT;
  const bottom = top + size;
  ctx.fillStyle = ctx.strokeStyle = INK;
  ctx.font = FONT;
  ctx.lineWidth = 1;
  ctx.strokeRect(left - 0.5, top - 0.5, size + 1, size + 1);
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  const [appleMin, appleMax] = ranges.apple;
  for (const apple of ticks(ranges.apple)) {
    const x = left + ((apple - appleMin) / (appleMax - appleMin)) * size;
    ctx.fillRect(Math.round(x) - 0.5, bottom, 1, 4);
    ctx.fillText(String(apple), x, bottom + 6);
  }
  ctx.fillText("apple price (cents)", left + size / 2, bottom + 22);
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  const [pearMin, pearMax] = ranges.pear;
  for (const pear of ticks(ranges.pear)) {
    const y = bottom - ((pear - pearMin) / (pearMax - pearMin)) * size;
    ctx.fillRect(left - 4, Math.round(y) - 0.5, 4, 1);
    ctx.fillText(String(pear), left - 6, y);
  }
  ctx.save();
  ctx.translate(12, top + size / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = "center";
  ctx.fillText("pear price (cents)", 0, 0);
  ctx.restore();
  /* The colour key: loss 0 to 1000, on the map's log scale. */
  const keyTop = bottom + 46;
  for (let x = 0; x < size; x++) {
    const loss = 10 ** ((3 * x) / size) - 1; // the loss whose level is x / size
    ctx.fillStyle = `rgb(${lossColour(loss).join(",")})`;
    ctx.fillRect(left + x, keyTop, 1, 10);
  }
  ctx.fillStyle = INK;
  ctx.strokeRect(left - 0.5, keyTop - 0.5, size + 1, 11);
  ctx.fillText("loss", left - 6, keyTop + 5);
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const loss of KEY_LOSSES) {
    ctx.fillText(String(loss), left + lossLevel(loss) * size, keyTop + 13);
  }
  /* The marks' key: the dot is the prices in use, the line the steps taken. */
  const marksY = keyTop + 40;
  ctx.fillStyle = ctx.strokeStyle = MARK;
  ctx.beginPath();
  ctx.arc(left + 5, marksY, 5, 0, 2 * Math.PI);
  ctx.fill();
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(left + 118, marksY);
  ctx.lineTo(left + 140, marksY);
  ctx.stroke();
  ctx.fillStyle = INK;
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  ctx.fillText("your prices", left + 16, marksY);
  ctx.fillText("steps taken", left + 146, marksY);
}

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
  const feeControls = [inputs.fee, root.querySelector("[data-slider-for=fee]")];
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
  const learnsFee = () => data.learns_fee[shop.value];
  const prices = () => [state.apple, state.pear];

  /* The loss surface depends on the shop and the fee only: it is coloured once for each,
   * not again at every step or price the reader tries. It is coloured BAND rows at a
   * time, each band a task of its own (the whole map at once was a long task on a phone,
   * as the widget started and at each new fee); until the new map is whole, the last one
   * stays on the canvas. */
  const BAND = 40;
  let surfaceFor = null;
  let surfaceImage = null;
  let colouring = null; // the shop and fee of the map being coloured

  function colourSurface(key, ctx) {
    const { size } = PLOT;
    const applePrices = Array.from({ length: size }, (_, x) => appleMin + (x / size) * (appleMax - appleMin));
    const pearPrices = Array.from({ length: size }, (_, y) => pearMin + (1 - y / size) * (pearMax - pearMin));
    const [shopReceipts, fee] = [receipts(), state.fee];
    const image = ctx.createImageData(size, size);
    let row = 0;
    colouring = key;
    const band = () => {
      if (colouring !== key) return; // the reader has moved on to another map
      const losses = receiptsLossGrid(shopReceipts, applePrices, pearPrices.slice(row, row + BAND), fee);
      losses.forEach((loss, i) => image.data.set([...lossColour(loss), 255], 4 * (row * size + i)));
      row += BAND;
      if (row < size) return setTimeout(band);
      [surfaceFor, surfaceImage, colouring] = [key, image, null];
      drawSurface();
    };
    setTimeout(band);
  }

  function drawSurface() {
    const ctx = surface.getContext("2d");
    const { left, top, size } = PLOT;
    ctx.clearRect(0, 0, surface.width, surface.height);
    const key = `${shop.value} ${state.fee}`;
    if (key !== surfaceFor && key !== colouring) colourSurface(key, ctx);
    if (surfaceImage) ctx.putImageData(surfaceImage, left, top);
    drawAxes(ctx, data.ranges);
    const toCanvas = (p) => [
      left + ((p[0] - appleMin) / (appleMax - appleMin)) * size,
      top + (1 - (p[1] - pearMin) / (pearMax - pearMin)) * size,
    ];
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, size, size); // a step outside the ranges leaves the map, not the axes
    ctx.clip();
    ctx.strokeStyle = ctx.fillStyle = MARK;
    ctx.lineWidth = 2;
    ctx.beginPath();
    path.forEach((p, i) => (i ? ctx.lineTo(...toCanvas(p)) : ctx.moveTo(...toCanvas(p))));
    ctx.stroke();
    const [cx, cy] = toCanvas(prices());
    ctx.beginPath();
    ctx.arc(cx, cy, 5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.restore();
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

  /** Start on the shop chosen: the values in use brought inside the sliders' ranges, the
   * fee 0 and fixed where the shop adds none, the path and every message of the last
   * shop gone. */
  function enterShop() {
    for (const name of Object.keys(state)) {
      const [min, max] = data.ranges[name];
      state[name] = Math.min(max, Math.max(min, state[name]));
    }
    if (!learnsFee()) state.fee = 0;
    feeControls.forEach((control) => (control.disabled = !learnsFee()));
    path = [];
    stepMessage.textContent = "";
    showState();
    update();
  }

  function stopDescent() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    descend.disabled = false;
  }

  /** Take one checked gradient step; return whether descent may go on. */
  function step() {
    const next = receiptsCheckedStep(receipts(), prices(), state.fee, data.learning_rate, learnsFee());
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
    enterShop();
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
  enterShop();
}
