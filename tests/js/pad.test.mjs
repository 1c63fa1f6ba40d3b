// The drawing pad's reduction to MNIST's 28 × 28, checked with Node's own test runner.
// Parity with lessons_code/digit_image.py: tests/test_digit_image.py.
import assert from "node:assert/strict";
import { test } from "node:test";

import { areaWeights, reduceToMnist } from "../../docs/javascripts/widgets/pad.mjs";

/** A width × height ink array with the rectangle [x0, x1) × [y0, y1) inked at `value`. */
function rectangle(width, height, [x0, y0, x1, y1], value = 1) {
  const ink = new Array(width * height).fill(0);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * width + x] = value;
  return ink;
}

const centre = (pixels) => {
  const mass = pixels.reduce((a, b) => a + b, 0);
  const x = pixels.reduce((s, v, i) => s + v * (i % 28), 0) / mass;
  const y = pixels.reduce((s, v, i) => s + v * Math.floor(i / 28), 0) / mass;
  return { mass, x, y };
};

test("area weights: each output pixel's shares sum to 1", () => {
  for (const [from, to] of [[280, 20], [7, 20], [30, 7], [1, 1]]) {
    for (const shares of areaWeights(from, to)) {
      const sum = shares.reduce((s, [, share]) => s + share, 0);
      assert.ok(Math.abs(sum - 1) < 1e-12, `${from} -> ${to}: ${sum}`);
    }
  }
  assert.deepEqual(areaWeights(4, 2), [[[0, 0.5], [1, 0.5]], [[2, 0.5], [3, 0.5]]]);
});

test("no ink gives 784 zeros", () => {
  assert.deepEqual(reduceToMnist(new Array(100).fill(0), 10, 10), new Array(784).fill(0));
});

test("a square in a corner fills 20 × 20, its centre of mass at pixel 14", () => {
  const pixels = reduceToMnist(rectangle(280, 280, [0, 0, 100, 100]), 280, 280);
  assert.equal(pixels.length, 784);
  const { mass, x, y } = centre(pixels);
  assert.ok(Math.abs(mass - 400) < 1e-9, `mass ${mass}`);
  assert.ok(Math.abs(x - 14) <= 0.5 && Math.abs(y - 14) <= 0.5, `${x}, ${y}`); // as MNIST
  assert.ok(pixels.every((v) => v >= 0 && v <= 1));
});

test("a tall stroke keeps its aspect ratio: 20 rows, 4 columns", () => {
  const pixels = reduceToMnist(rectangle(100, 100, [40, 0, 50, 50]), 100, 100);
  const rows = new Set(), columns = new Set();
  pixels.forEach((v, i) => {
    if (v > 0) { rows.add(Math.floor(i / 28)); columns.add(i % 28); }
  });
  assert.equal(rows.size, 20);
  assert.equal(columns.size, 4);
});

test("where the drawing is on the pad does not matter", () => {
  const left = reduceToMnist(rectangle(200, 200, [0, 20, 30, 90]), 200, 200);
  const right = reduceToMnist(rectangle(200, 200, [150, 100, 180, 170]), 200, 200);
  assert.deepEqual(left, right);
});
