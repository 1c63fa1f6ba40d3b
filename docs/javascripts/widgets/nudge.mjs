/* Nudge one weight (loss page): the loss moves smoothly, the accuracy barely at all, and
 * a plot of both against the nudge shows the two shapes: a smooth curve, a staircase.
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

/** Return the nudges deltas (one per point) and the loss and accuracy at each. */
export function nudgeCurve(images, scores, labels, pixel, deltas) {
  const points = deltas.map((delta) => nudged(images, scores, labels, pixel, delta));
  return { deltas, losses: points.map((p) => p.loss), accuracies: points.map((p) => p.accuracy) };
}

/* The plot (a 300 × 200 canvas, white in both palettes): the loss in blue on the left
 * axis, the accuracy in vermillion on the right, against the nudge across. */
const BOX = { left: 52, right: 252, top: 26, bottom: 164 };
const INK = "#1f2328", LOSS = "#0072b2", ACCURACY = "#a84300"; // 5:1 and more on white
const FONT = "12px system-ui, sans-serif";

/** [low, high] of values, widened when they are all equal so that a line still shows. */
function span(values) {
  const low = Math.min(...values), high = Math.max(...values);
  const pad = high > low ? 0.05 * (high - low) : Math.abs(low) * 0.01 || 0.01;
  return [low - pad, high + pad];
}

function drawPlot(canvas, curve, delta) {
  const ctx = canvas.getContext("2d");
  const { left, right, top, bottom } = BOX;
  const [dMin, dMax] = [curve.deltas[0], curve.deltas.at(-1)];
  const x = (d) => left + ((d - dMin) / (dMax - dMin)) * (right - left);
  const scale = ([low, high]) => (v) => bottom - ((v - low) / (high - low)) * (bottom - top);
  const lossRange = span(curve.losses), accuracyRange = span(curve.accuracies);
  const yLoss = scale(lossRange), yAccuracy = scale(accuracyRange);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.font = FONT;
  ctx.lineWidth = 1;
  ctx.strokeStyle = ctx.fillStyle = INK;
  ctx.strokeRect(left - 0.5, top - 0.5, right - left + 1, bottom - top + 1);
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const d of [dMin, dMin / 2, 0, dMax / 2, dMax]) {
    ctx.fillRect(Math.round(x(d)) - 0.5, bottom, 1, 4);
    ctx.fillText(String(d), x(d), bottom + 6);
  }
  ctx.fillText("nudge of the weight", (left + right) / 2, bottom + 22);
  ctx.textBaseline = "middle";
  const axis = (range, y, colour, at, align, digits) => {
    ctx.fillStyle = colour;
    ctx.textAlign = align;
    for (const v of [range[0], (range[0] + range[1]) / 2, range[1]]) ctx.fillText(digits(v), at, y(v));
  };
  axis(lossRange, yLoss, LOSS, left - 4, "right", (v) => fmt(v, 4));
  axis(accuracyRange, yAccuracy, ACCURACY, right + 4, "left", (v) => `${fmt(100 * v, 1)}%`);
  ctx.textBaseline = "top";
  ctx.textAlign = "left";
  ctx.fillStyle = LOSS;
  ctx.fillText("— loss (left)", left, 4);
  ctx.fillStyle = ACCURACY;
  ctx.textAlign = "right";
  ctx.fillText("accuracy (right) —", right, 4);
  const line = (values, y, colour, steps) => {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    ctx.beginPath();
    values.forEach((v, i) => {
      const [px, py] = [x(curve.deltas[i]), y(v)];
      if (i === 0) ctx.moveTo(px, py);
      else if (steps) ctx.lineTo(px, y(values[i - 1])), ctx.lineTo(px, py);
      else ctx.lineTo(px, py);
    });
    ctx.stroke();
  };
  line(curve.accuracies, yAccuracy, ACCURACY, true);
  line(curve.losses, yLoss, LOSS, false);
  ctx.strokeStyle = INK;
  ctx.lineWidth = 1;
  ctx.setLineDash([3, 3]);
  ctx.beginPath();
  ctx.moveTo(Math.round(x(delta)) + 0.5, top);
  ctx.lineTo(Math.round(x(delta)) + 0.5, bottom);
  ctx.stroke();
  ctx.setLineDash([]);
  return { lossRange: [Math.min(...curve.losses), Math.max(...curve.losses)],
    accuracyRange: [Math.min(...curve.accuracies), Math.max(...curve.accuracies)] };
}

export default function setup(root, data) {
  const heatmap = root.querySelector("[data-testid=nudge-weights]");
  const slider = root.querySelector("[data-testid=nudge-slider]");
  const lossOut = root.querySelector("[data-testid=nudge-loss]");
  const accuracyOut = root.querySelector("[data-testid=nudge-accuracy]");
  const pixelOut = root.querySelector("[data-testid=nudge-pixel]");
  const plot = root.querySelector("[data-testid=nudge-plot]");
  const POINTS = 201;
  const [low, high] = [Number(slider.min), Number(slider.max)];
  const deltas = Array.from({ length: POINTS }, (_, i) => low + (i * (high - low)) / (POINTS - 1));
  let curve = null;
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
    const shown = drawPlot(plot, curve, delta);
    plot.dataset.losses = JSON.stringify(curve.losses);
    plot.dataset.accuracies = JSON.stringify(curve.accuracies);
    plot.setAttribute("aria-label",
      `Against the nudge of this weight, from ${low} to ${high}: the loss, a smooth curve from ` +
      `${fmt(shown.lossRange[0], 4)} to ${fmt(shown.lossRange[1], 4)}; the accuracy, ` +
      (shown.accuracyRange[0] === shown.accuracyRange[1]
        ? `flat at ${fmt(100 * shown.accuracyRange[0], 1)}%. `
        : `a staircase from ${fmt(100 * shown.accuracyRange[0], 1)}% to ${fmt(100 * shown.accuracyRange[1], 1)}%. `) +
      `The dashed line is the nudge now, ${fmt(delta, 3)}.`);
  }

  function choose(index) {
    chosen = index;
    curve = nudgeCurve(images, scores, data.labels, chosen, deltas);
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
  choose(chosen);
}
