/* Apples and pears: find the prices from the receipts by hand, or by gradient descent.
 * Reads data/receipts.json: both shops' receipts, the first guess, the learning rate
 * and the range of each price. */
import { fmt, receiptsErrors, receiptsLoss, receiptsStep } from "./lessons.mjs";

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
  const [appleMin, appleMax] = data.ranges.apple;
  const [pearMin, pearMax] = data.ranges.pear;
  let path = [];

  sliders.forEach((slider) => {
    [slider.min, slider.max] = data.ranges[slider.dataset.sliderFor].map(String);
  });
  const receipts = () => data.shops[shop.value];
  const prices = () => [Number(inputs.apple.value), Number(inputs.pear.value)];
  const fee = () => Number(inputs.fee.value);

  function drawSurface() {
    const ctx = surface.getContext("2d");
    const { width, height } = surface;
    const image = ctx.createImageData(width, height);
    const toPrices = (x, y) => [
      appleMin + (x / width) * (appleMax - appleMin),
      pearMin + (1 - y / height) * (pearMax - pearMin),
    ];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const level = Math.min(1, Math.log10(1 + receiptsLoss(receipts(), toPrices(x, y), fee())) / 3);
        const band = Math.floor(level * 12) % 2 ? 0.92 : 1;
        const v = Math.round(255 * (1 - 0.75 * level) * band);
        image.data.set([v, Math.round(v * 0.95), 255 - Math.round(level * 90), 255], (y * width + x) * 4);
      }
    }
    ctx.putImageData(image, 0, 0);
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
    const errors = receiptsErrors(receipts(), prices(), fee());
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
    const value = receiptsLoss(receipts(), prices(), fee());
    lossOut.dataset.value = String(value);
    lossOut.textContent = fmt(value, 4);
    sliders.forEach((slider) => {
      slider.value = inputs[slider.dataset.sliderFor].value;
    });
    drawSurface();
  }

  function step() {
    const next = receiptsStep(receipts(), prices(), fee(), data.learning_rate);
    inputs.apple.value = next.prices[0].toFixed(4);
    inputs.pear.value = next.prices[1].toFixed(4);
    inputs.fee.value = next.fee.toFixed(4);
    path.push(prices());
    update();
  }

  Object.values(inputs).forEach((input) => input.addEventListener("input", () => {
    path = [];
    update();
  }));
  sliders.forEach((slider) => slider.addEventListener("input", () => {
    inputs[slider.dataset.sliderFor].value = slider.value;
    path = [];
    update();
  }));
  shop.addEventListener("change", () => {
    path = [];
    update();
  });
  root.querySelector("[data-testid=gradient-step]").addEventListener("click", () => {
    if (!path.length) path.push(prices());
    step();
  });
  const descend = root.querySelector("[data-testid=descend]");
  descend.addEventListener("click", () => {
    descend.disabled = true;
    path = [prices()];
    let left = 150;
    const timer = setInterval(() => {
      step();
      if (--left <= 0 || !root.isConnected) {
        clearInterval(timer);
        descend.disabled = false;
      }
    }, 20);
  });
  const [apple, pear] = data.first_guess;
  inputs.apple.value = String(apple);
  inputs.pear.value = String(pear);
  inputs.fee.value = "0";
  update();
}
