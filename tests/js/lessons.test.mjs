// The widgets' arithmetic, checked with Node's own test runner: `node --test` from the
// repository root. Parity with lessons_code on the build's data: tests/test_widget_parity.py.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  argmax, ascendPixels, batchAccuracy, COMPACT_FROM, diverging, fmt, grey, grouped, mnistLoss,
  readBounded, receiptsCheckedStep, receiptsErrors, receiptsLoss, receiptsLossGrid, receiptsStep,
  score,
  sigmoid, softmax, tenScores,
} from "../../docs/javascripts/widgets/lessons.mjs";
import { decodeImages, nudgeCurve, nudged } from "../../docs/javascripts/widgets/nudge.mjs";

test("grouped writes a whole number's thousands as Python's f\"{n:,}\" does", () => {
  const written = [0, 7, 999, 1000, 12000, 123456, 1234567, 1000000].map(grouped);
  assert.deepEqual(written, ["0", "7", "999", "1,000", "12,000", "123,456", "1,234,567", "1,000,000"]);
  for (const n of [1, 12, 1234, 98765, 4321000]) assert.equal(grouped(n), n.toLocaleString("en"));
});

test("sigmoid is finite, in [0, 1] and symmetric, even at ±1000", () => {
  for (const x of [-1000, -50, -1, 0, 1, 50, 1000]) {
    const p = sigmoid(x);
    assert.ok(Number.isFinite(p) && p >= 0 && p <= 1, `sigmoid(${x}) = ${p}`);
    assert.ok(Math.abs(p + sigmoid(-x) - 1) < 1e-15);
  }
  assert.equal(sigmoid(0), 0.5);
});

test("the score is the sum of pixel × weight, plus the bias", () => {
  assert.equal(score([1, 0, 0.5], [2, 7, -4], 0.25), 2 - 2 + 0.25);
  assert.equal(score(new Array(784).fill(0), new Array(784).fill(3), -1.5), -1.5);
});

test("mnist_loss is 1 − p for a 3 and p for a 7, averaged", () => {
  assert.ok(Math.abs(mnistLoss([2], [1]) - (1 - sigmoid(2))) < 1e-15);
  assert.ok(Math.abs(mnistLoss([2], [0]) - sigmoid(2)) < 1e-15);
  assert.ok(Math.abs(mnistLoss([2, 2], [1, 0]) - 0.5) < 1e-15);
  assert.equal(batchAccuracy([3, -1, 0.5, -2], [1, 0, 0, 1]), 0.5);
});

const receipts = [
  { quantities: [3, 2], total: 7 },
  { quantities: [1, 0], total: 1 },
  { quantities: [0, 1], total: 2 },
];

test("the right prices make every receipt right, and stay put", () => {
  assert.deepEqual(receiptsErrors(receipts, [1, 2], 0), [0, 0, 0]);
  assert.equal(receiptsLoss(receipts, [1, 2], 0), 0);
  assert.deepEqual(receiptsStep(receipts, [1, 2], 0, 0.1), { prices: [1, 2], fee: 0 });
});

test("the loss surface is the loss at every pair of prices, a row per pear price", () => {
  const apples = [0, 0.5, 1, 4.25];
  const pears = [9, 2, -1];
  const grid = receiptsLossGrid(receipts, apples, pears, 3);
  assert.equal(grid.length, apples.length * pears.length);
  pears.forEach((pear, row) => apples.forEach((apple, column) => {
    const expected = receiptsLoss(receipts, [apple, pear], 3);
    assert.ok(Math.abs(grid[row * apples.length + column] - expected) <= 1e-12 * (1 + expected));
  }));
  assert.equal(receiptsLossGrid(receipts, [1], [2], 0)[0], 0);
});

test("one gradient step from a wrong guess lowers the loss", () => {
  const before = receiptsLoss(receipts, [5, 9], 0);
  const { prices, fee } = receiptsStep(receipts, [5, 9], 0, 0.05, true);
  assert.ok(receiptsLoss(receipts, prices, fee) < before);
  assert.ok(prices[0] < 5 && prices[1] < 9 && fee < 0); // every total was too high
});

test("without learnFee, as descend's default, a step keeps the fee where it is", () => {
  let state = { prices: [5, 9], fee: 0 };
  for (let i = 0; i < 1000; i++) state = receiptsStep(receipts, state.prices, state.fee, 0.1);
  assert.equal(state.fee, 0);
  assert.ok(receiptsLoss(receipts, state.prices, 0) < 1e-9); // this shop needs no fee
  const kept = receiptsCheckedStep(receipts, [5, 9], 1.5, 0.05);
  assert.equal(kept.fee, 1.5);
  assert.ok(kept.after < kept.before);
});

test("numbers are shown without a negative zero", () => {
  assert.equal(fmt(-0.0001, 2), "0.00");
  assert.equal(fmt(-1.234, 2), "-1.23");
});

test("no number is shown as NaN, Infinity or a long row of digits", () => {
  for (const x of [NaN, Infinity, -Infinity]) assert.equal(fmt(x, 4), "–");
  assert.equal(fmt(149999993600000064, 4), "1.5000e17"); // the loss of a price of 99999999
  assert.equal(fmt(1e308, 2), "1.00e308");
  assert.equal(fmt(-1234567, 1), "-1.23e6");
  assert.equal(fmt(999999.5, 2), "999999.50"); // below COMPACT_FROM: as before
  assert.equal(fmt(1e-320, 4), "0.0000");
  for (const x of [COMPACT_FROM, 3.7e21, -2e300, 5e-324, 0.1 + 0.2]) {
    const shown = fmt(x, 4);
    assert.ok(shown.length <= 12 && !/NaN|Infinity/.test(shown), `${x} -> ${shown}`);
  }
});

test("a typed number is read only if it is one, inside its range", () => {
  const range = [0, 6];
  assert.deepEqual(readBounded("2.5", range), { value: 2.5 });
  assert.deepEqual(readBounded(" 6 ", range), { value: 6 });
  assert.deepEqual(readBounded(".5", range), { value: 0.5 });
  assert.deepEqual(readBounded("1e-320", range), { value: 1e-320 }); // tiny, but a price
  assert.ok(Object.is(readBounded("-0", range).value, 0));
  assert.deepEqual(readBounded("", range), { problem: "empty" }); // not 0
  assert.deepEqual(readBounded("   ", range), { problem: "empty" });
  for (const text of ["abc", "NaN", "Infinity", "-Infinity", "0x10", "1_0", "1e", "--5"]) {
    assert.deepEqual(readBounded(text, range), { problem: "not a number" }, text);
  }
  for (const text of ["-5", "1e308", "99999999", "-1e308", "1e1000", "6.0001"]) {
    assert.deepEqual(readBounded(text, range), { problem: "outside 0 to 6" }, text);
  }
});

test("a checked step says when it raises the loss, and refuses to overflow", () => {
  const gentle = receiptsCheckedStep(receipts, [5, 9], 0, 0.05);
  assert.equal(gentle.raised, false);
  assert.ok(gentle.after < gentle.before);
  assert.deepEqual([...gentle.prices, gentle.fee], [
    ...receiptsStep(receipts, [5, 9], 0, 0.05).prices, receiptsStep(receipts, [5, 9], 0, 0.05).fee,
  ]);
  const tooLarge = receiptsCheckedStep(receipts, [5, 9], 0, 1); // past 2 / the curvature
  assert.equal(tooLarge.raised, true);
  assert.ok(tooLarge.after > tooLarge.before && Number.isFinite(tooLarge.after));
  assert.equal(receiptsCheckedStep(receipts, [1e300, 9], 0, 1), null);
  assert.equal(receiptsCheckedStep(receipts, [1, 2], 0, 0.1).raised, false); // at the bottom
});

test("colours: white at 0, orange toward 3, purple toward 7, grey ink", () => {
  assert.deepEqual(diverging(0), [247, 247, 247]);
  assert.deepEqual(diverging(1), [179, 88, 6]);
  assert.deepEqual(diverging(-5), [84, 39, 136]);
  assert.deepEqual(grey(1), [0, 0, 0]);
});

test("nudging a weight moves each score by delta × that pixel", () => {
  const raw = new Uint8Array(2 * 784);
  raw[10] = 255;
  raw[784 + 10] = 51;
  const data = { images_base64: Buffer.from(raw).toString("base64"), labels: [1, 0] };
  const images = decodeImages(data);
  assert.equal(images[0][10], 1);
  assert.equal(images[1][10], 0.2);
  const moved = nudged(images, [0.5, -0.5], data.labels, 10, 1);
  assert.ok(Math.abs(moved.loss - mnistLoss([1.5, -0.3], [1, 0])) < 1e-15);
  assert.equal(moved.accuracy, 1);
});

test("against the nudge, the loss is a smooth curve and the accuracy a staircase", () => {
  // three 3s with ink in pixel 0, scored -1, 0.5 and 2: nudging its weight moves them all
  const images = [[1], [0.5], [0.25]];
  const deltas = Array.from({ length: 81 }, (_, i) => -4 + i / 10);
  const curve = nudgeCurve(images, [-1, 0.5, 2], [1, 1, 1], 0, deltas);
  assert.equal(curve.losses.length, 81);
  assert.equal(new Set(curve.losses).size, 81); // every nudge moves the loss
  for (let i = 1; i < 81; i++) assert.ok(curve.losses[i] < curve.losses[i - 1]); // more ink: a 3
  const steps = new Set(curve.accuracies);
  assert.deepEqual([...steps].sort(), [1 / 3, 2 / 3, 1]); // a step where an image crosses
  assert.equal(curve.accuracies[40], 2 / 3); // no nudge: the -1 is wrong
});

test("gradient ascent on the pixels adds the weights, kept in [0, 1]", () => {
  const images = ascendPixels([2, -1, 0.25], 3, 0.1);
  assert.equal(images.length, 4);
  assert.deepEqual(images[0], [0, 0, 0]);
  assert.ok(Math.abs(images[3][0] - 0.6) < 1e-12 && images[3][1] === 0);
  assert.ok(Math.abs(images[3][2] - 0.075) < 1e-12);
  assert.deepEqual(ascendPixels([20], 2, 1)[2], [1]);
});

test("softmax gives probabilities that add up to 1, finite even at ±1000", () => {
  const p = softmax([1000, -1000, 0]);
  assert.deepEqual(p, [1, 0, 0]);
  const q = softmax([-1000, -1000]);
  assert.deepEqual(q, [0.5, 0.5]);
  const r = softmax([1, 2, 3]);
  const total = Math.exp(1) + Math.exp(2) + Math.exp(3);
  r.forEach((value, i) => assert.ok(Math.abs(value - Math.exp(i + 1) / total) < 1e-15));
  assert.ok(Math.abs(r.reduce((a, b) => a + b, 0) - 1) < 1e-15);
});

test("with two scores, softmax is the sigmoid of their difference", () => {
  for (const [seven, three] of [[1, 3], [-2, 0.5], [40, -40]]) {
    assert.ok(Math.abs(softmax([seven, three])[1] - sigmoid(three - seven)) < 1e-15);
  }
});

test("ten scores: one per template, pixels · template + bias; the verdict is the largest", () => {
  const templates = Array.from({ length: 10 }, (_, d) => [d, -d, 1]);
  const biases = Array.from({ length: 10 }, (_, d) => d / 10);
  const scores = tenScores([1, 0.5, 2], templates, biases);
  scores.forEach((s, d) => assert.ok(Math.abs(s - (d - d / 2 + 2 + d / 10)) < 1e-15));
  assert.equal(argmax(scores), 9);
  assert.equal(argmax([0.1, 0.7, 0.2]), 1);
  assert.equal(argmax([0.5, 0.5]), 0); // a tie goes to the first, as numpy's argmax
});
