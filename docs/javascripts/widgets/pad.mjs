/* A drawing pad: a canvas drawn on with a mouse, a finger, a pen or the keyboard, and
 * the drawing reduced to 28 × 28 the way MNIST's digits were made. Each pad widget
 * (the 3-or-7 pad, the ten-digit pad) builds on this one. */

/** Return the address of a glossary entry, from any page of the site. */
export const glossary = (entry) => new URL(`../../glossary/#${entry}`, import.meta.url).href;

const EPSILON = 1e-9;

/** Return the weights that resize `from` pixels to `to` by area averaging: weights[i]
 * lists [j, share] for each source pixel j that output pixel i covers, shares summing
 * to 1. lessons_code/digit_image.py computes the same numbers (a parity test checks). */
export function areaWeights(from, to) {
  const step = from / to; // source pixels per output pixel
  const weights = [];
  for (let i = 0; i < to; i++) {
    const start = i * step, end = (i + 1) * step;
    const covered = [];
    for (let j = Math.floor(start); j < Math.min(from, Math.ceil(end)); j++) {
      const overlap = Math.min(end, j + 1) - Math.max(start, j);
      if (overlap > 0) covered.push([j, overlap / step]);
    }
    weights.push(covered);
  }
  return weights;
}

/** Reduce ink to 28 × 28 as MNIST was made: the ink's bounding box scaled into 20 × 20
 * keeping its aspect ratio (each new pixel the average of the area it covers), then
 * placed in 28 × 28 so that its centre of mass sits at the centre. `ink` holds
 * width × height numbers in [0, 1], row by row; returns 784 numbers in [0, 1]. The
 * command line reduces a photo with the same steps (lessons_code/digit_image.py). */
export function reduceToMnist(ink, width, height) {
  let top = height, left = width, bottom = -1, right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > 0) {
        top = Math.min(top, y); bottom = Math.max(bottom, y);
        left = Math.min(left, x); right = Math.max(right, x);
      }
    }
  }
  const pixels = new Array(784).fill(0);
  if (bottom < 0) return pixels;
  const boxW = right - left + 1, boxH = bottom - top + 1;
  const scale = 20 / Math.max(boxW, boxH);
  const w = Math.max(1, Math.floor(boxW * scale + 0.5));
  const h = Math.max(1, Math.floor(boxH * scale + 0.5));
  const across = areaWeights(boxW, w), down = areaWeights(boxH, h);
  const small = new Array(w * h).fill(0);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (const [j, shareY] of down[y]) {
        for (const [i, shareX] of across[x]) {
          sum += shareY * shareX * ink[(top + j) * width + left + i];
        }
      }
      small[y * w + x] = Math.min(1, sum); // shares sum to 1 give or take a rounding
    }
  }
  let mass = 0, cx = 0, cy = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = small[y * w + x];
      mass += v; cx += v * x; cy += v * y;
    }
  }
  if (!(mass > 0)) return pixels;
  // Shift by whole pixels so the centre of mass lands on pixel 14, where MNIST's digits
  // have theirs (rounding half up; EPSILON keeps a centre exactly half a pixel away
  // from rounding one way here and the other in Python).
  const offsetX = Math.floor(14.5 - cx / mass + EPSILON);
  const offsetY = Math.floor(14.5 - cy / mass + EPSILON);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const tx = x + offsetX, ty = y + offsetY;
      if (tx >= 0 && tx < 28 && ty >= 0 && ty < 28) pixels[ty * 28 + tx] = small[y * w + x];
    }
  }
  return pixels;
}

/* The pad's ink: the canvas's alpha channel, in [0, 1], reduced to 28 × 28. */
export function toMnist(pad) {
  const { width, height } = pad;
  const rgba = pad.getContext("2d").getImageData(0, 0, width, height).data;
  const ink = new Float64Array(width * height);
  for (let i = 0; i < ink.length; i++) ink[i] = rgba[i * 4 + 3] / 255;
  return reduceToMnist(ink, width, height);
}

/** Make `pad` (a canvas) drawable; call onStroke() whenever the ink changes.
 * `cursor` is the element showing the keyboard pen. Returns { clear, show(pixels) }. */
export function drawingPad(pad, cursor, onStroke) {
  const ctx = pad.getContext("2d");
  let last = null;

  function point(event) {
    const rect = pad.getBoundingClientRect();
    return [(event.clientX - rect.left) * (pad.width / rect.width),
            (event.clientY - rect.top) * (pad.height / rect.height)];
  }

  function dot(at) {
    ctx.beginPath();
    ctx.arc(at[0], at[1], ctx.lineWidth / 2, 0, 2 * Math.PI);
    ctx.fill();
  }

  function line(from, to) {
    ctx.beginPath();
    ctx.moveTo(from[0], from[1]);
    ctx.lineTo(to[0], to[1]);
    ctx.stroke();
  }

  ctx.lineCap = ctx.lineJoin = "round";
  ctx.lineWidth = pad.width / 14;
  ctx.strokeStyle = ctx.fillStyle = "#000";
  pad.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    pad.setPointerCapture(event.pointerId);
    last = point(event);
    dot(last);
  });
  pad.addEventListener("pointermove", (event) => {
    if (!last) return;
    const next = point(event);
    line(last, next);
    last = next;
  });
  const finish = () => {
    if (last) onStroke();
    last = null;
  };
  pad.addEventListener("pointerup", finish);
  pad.addEventListener("pointercancel", finish);

  /* The keyboard path: arrows move a pen over a 14 × 14 grid, space lowers or lifts it. */
  const cell = pad.width / 14;
  const pen = { x: 7, y: 7, down: false };
  const centre = () => [(pen.x + 0.5) * cell, (pen.y + 0.5) * cell];
  function showCursor() {
    cursor.hidden = document.activeElement !== pad;
    cursor.style.left = `${(100 * pen.x) / 14}%`;
    cursor.style.top = `${(100 * pen.y) / 14}%`;
    cursor.classList.toggle("pen-down", pen.down);
  }
  const MOVES = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  pad.addEventListener("keydown", (event) => {
    if (event.key === " ") {
      pen.down = !pen.down;
      if (pen.down) {
        dot(centre());
        onStroke();
      }
    } else if (MOVES[event.key]) {
      const from = centre();
      pen.x = Math.min(13, Math.max(0, pen.x + MOVES[event.key][0]));
      pen.y = Math.min(13, Math.max(0, pen.y + MOVES[event.key][1]));
      if (pen.down) {
        line(from, centre());
        onStroke();
      }
    } else {
      return;
    }
    event.preventDefault();
    showCursor();
  });
  pad.addEventListener("focus", showCursor);
  pad.addEventListener("blur", showCursor);

  return {
    clear() {
      ctx.clearRect(0, 0, pad.width, pad.height);
      pen.down = false;
    },
    /* Show a 28 × 28 digit (0-255 grey levels) on the pad as ink. */
    show(pixels) {
      const small = document.createElement("canvas");
      small.width = small.height = 28;
      const image = small.getContext("2d").createImageData(28, 28);
      pixels.forEach((v, i) => image.data.set([0, 0, 0, v], i * 4));
      small.getContext("2d").putImageData(image, 0, 0);
      ctx.clearRect(0, 0, pad.width, pad.height);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(small, 0, 0, pad.width, pad.height);
    },
  };
}
