/* The lab's pictures: curves epoch by epoch, and the weights as 28 × 28 images. Canvases
 * are white in both palettes (site.css), so the ink is dark in both. */
import { diverging, fmt } from "./lessons.mjs";

const INK = "#1f2328";
const MARGIN = { left: 44, right: 10, top: 22, bottom: 22 };

/** Draw lines epoch by epoch on a canvas: series [{ values, colour, dashed, label }],
 * x from epoch 0 to `epochs`, y from `low` to `high`, ticks written by `tick`. A value
 * that is not a finite number is left out, never drawn. */
export function drawCurves(canvas, series, { epochs, low, high, tick }) {
  const ctx = canvas.getContext("2d");
  const { width, height } = canvas;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const x = (epoch) => MARGIN.left + (epoch / Math.max(epochs, 1)) * plotWidth;
  const y = (v) => MARGIN.top + (1 - (Math.min(Math.max(v, low), high) - low) / (high - low || 1)) * plotHeight;
  ctx.clearRect(0, 0, width, height);
  ctx.font = "11px sans-serif";
  ctx.fillStyle = ctx.strokeStyle = INK;
  ctx.lineWidth = 1;
  ctx.setLineDash([]);
  ctx.beginPath();
  ctx.moveTo(MARGIN.left, MARGIN.top);
  ctx.lineTo(MARGIN.left, height - MARGIN.bottom);
  ctx.lineTo(width - MARGIN.right, height - MARGIN.bottom);
  ctx.stroke();
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const v of [low, (low + high) / 2, high]) ctx.fillText(tick(v), MARGIN.left - 4, y(v));
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  ctx.fillText("epoch 0", MARGIN.left + 18, height - MARGIN.bottom + 5);
  ctx.fillText(`epoch ${epochs}`, width - MARGIN.right - 22, height - MARGIN.bottom + 5);
  let legend = MARGIN.left + 4;
  ctx.textAlign = "left";
  ctx.textBaseline = "alphabetic";
  for (const { values, colour, dashed, label } of series) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    ctx.setLineDash(dashed ? [5, 3] : []);
    ctx.beginPath();
    ctx.moveTo(legend, 10);
    ctx.lineTo(legend + 18, 10);
    ctx.stroke();
    ctx.fillText(label, legend + 22, 14);
    legend += 30 + ctx.measureText(label).width;
    ctx.beginPath();
    let drawing = false;
    values.forEach((v, epoch) => {
      if (!Number.isFinite(v)) return void (drawing = false);
      if (drawing) ctx.lineTo(x(epoch), y(v));
      else ctx.moveTo(x(epoch), y(v));
      drawing = true;
    });
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

/** The loss axis: from 0 to the largest finite loss so far. */
export function lossRange(values) {
  const finite = values.filter(Number.isFinite);
  return { low: 0, high: Math.max(...finite, 1e-9), tick: (v) => fmt(v, v >= 10 ? 0 : 2) };
}

/** The accuracy axis: from 50% (or lower, if a run goes lower) to 100%. */
export function accuracyRange(values) {
  const low = Math.min(0.5, ...values.filter(Number.isFinite));
  return { low: Math.floor(low * 10) / 10, high: 1, tick: (v) => `${fmt(100 * v, 0)}%` };
}

/** Paint weights as 28 × 28 images side by side in rows of `columns`, each coloured by
 * its own largest |weight| (orange: ink there says "3"; purple: "7"). */
export function drawWeights(canvas, picture, units, columns) {
  const rows = Math.ceil(units / columns);
  const image = new ImageData(columns * 29 - 1, rows * 29 - 1);
  image.data.fill(255);
  for (let u = 0; u < units; u++) {
    const weights = picture.subarray(u * 784, (u + 1) * 784);
    const limit = weights.reduce((m, w) => (Number.isFinite(w) ? Math.max(m, Math.abs(w)) : m), 0) || 1;
    const left = (u % columns) * 29, top = Math.floor(u / columns) * 29;
    weights.forEach((w, p) => {
      const colour = Number.isFinite(w) ? diverging(w / limit) : [128, 128, 128];
      image.data.set([...colour, 255], 4 * ((top + Math.floor(p / 28)) * image.width + left + (p % 28)));
    });
  }
  const small = document.createElement("canvas");
  [small.width, small.height] = [image.width, image.height];
  small.getContext("2d").putImageData(image, 0, 0);
  const ctx = canvas.getContext("2d");
  const scale = Math.min(canvas.width / image.width, canvas.height / image.height);
  ctx.imageSmoothingEnabled = false;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(small, 0, 0, image.width * scale, image.height * scale);
}
