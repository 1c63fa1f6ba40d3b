/* Nudge one weight (loss page): the loss moves smoothly, the accuracy barely at all.
 * Reads data/nudge.json: the trained model, a sample of validation images and the
 * weight the page nudges first. */
import { paintGrid } from "./canvas.mjs";
import { batchAccuracy, diverging, fmt, mnistLoss, score } from "./lessons.mjs";

/** Return the sample's images as arrays of 784 pixels in [0, 1]. */
export function decodeImages(data) {
  const raw = atob(data.images_base64);
  return data.labels.map((_, i) =>
    Array.from({ length: 784 }, (_, j) => raw.charCodeAt(i * 784 + j) / 255),
  );
}

/** Return (loss, accuracy) of the sample with one weight moved by delta. */
export function nudged(images, scores, labels, pixel, delta) {
  const moved = scores.map((s, i) => s + delta * images[i][pixel]);
  return { loss: mnistLoss(moved, labels), accuracy: batchAccuracy(moved, labels) };
}

export default function setup(root, data) {
  const heatmap = root.querySelector("[data-testid=nudge-weights]");
  const slider = root.querySelector("[data-testid=nudge-slider]");
  const lossOut = root.querySelector("[data-testid=nudge-loss]");
  const accuracyOut = root.querySelector("[data-testid=nudge-accuracy]");
  const pixelOut = root.querySelector("[data-testid=nudge-pixel]");
  const images = decodeImages(data);
  const scores = images.map((image) => score(image, data.weights, data.bias));
  const limit = Math.max(...data.weights.map(Math.abs)) || 1; // all zero: no colour, no NaN
  let chosen = data.pixel;

  function draw() {
    paintGrid(heatmap, data.weights, (v) => diverging(v / limit));
    const ctx = heatmap.getContext("2d"), size = heatmap.width / 28;
    ctx.strokeStyle = "#000";
    ctx.lineWidth = 2;
    ctx.strokeRect((chosen % 28) * size, Math.floor(chosen / 28) * size, size, size);
  }

  function update() {
    const delta = Number(slider.value);
    const { loss, accuracy } = nudged(images, scores, data.labels, chosen, delta);
    lossOut.dataset.value = String(loss);
    lossOut.textContent = fmt(loss, 6);
    accuracyOut.dataset.value = String(accuracy);
    accuracyOut.textContent = fmt(100 * accuracy, 2) + "%";
    pixelOut.textContent = `row ${Math.floor(chosen / 28)}, column ${chosen % 28}: ` +
      `weight ${fmt(data.weights[chosen], 3)} ${delta >= 0 ? "+" : "−"} ${fmt(Math.abs(delta), 3)}`;
  }

  function choose(index) {
    chosen = index;
    slider.value = "0";
    draw();
    update();
  }
  heatmap.addEventListener("click", (event) => {
    const rect = heatmap.getBoundingClientRect();
    const column = Math.min(27, Math.floor(((event.clientX - rect.left) / rect.width) * 28));
    const row = Math.min(27, Math.floor(((event.clientY - rect.top) / rect.height) * 28));
    choose(row * 28 + column);
  });
  const MOVES = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -28, ArrowDown: 28 };
  heatmap.addEventListener("keydown", (event) => {
    if (!MOVES[event.key]) return;
    event.preventDefault();
    choose(Math.min(783, Math.max(0, chosen + MOVES[event.key])));
  });
  slider.addEventListener("input", update);
  draw();
  update();
}
