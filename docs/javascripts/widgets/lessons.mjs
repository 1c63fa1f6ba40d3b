/* The lessons' arithmetic, in the browser: the same formulas as lessons_code, so that a
 * widget's numbers are the page's numbers. Pure functions only (no page, no canvas):
 * `node --test` checks them, and tests/test_widget_parity.py holds them to lessons_code
 * on the build's exported JSON. */

/** 1 / (1 + exp(-x)) without overflow, as lessons_code.linear_model.sigmoid. */
export const sigmoid = (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** The linear model's score: the sum of pixel × weight, plus the bias (linear1). */
export function score(pixels, weights, bias) {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += pixels[i] * weights[i];
  return total + bias;
}

/** mnist_loss: the mean distance of each probability from its target (1 for a 3). */
export function mnistLoss(scores, targets) {
  let total = 0;
  scores.forEach((s, i) => {
    const p = sigmoid(s);
    total += targets[i] === 1 ? 1 - p : p;
  });
  return total / scores.length;
}

/** Gradient ascent on a blank image's pixels, the weights fixed (linear_model.ascend_pixels):
 * returns the images of every step, each pixel kept in [0, 1]. */
export function ascendPixels(weights, steps, learningRate) {
  const images = [weights.map(() => 0)];
  for (let step = 0; step < steps; step++) {
    const last = images[images.length - 1];
    images.push(last.map((p, i) => Math.min(1, Math.max(0, p + learningRate * weights[i]))));
  }
  return images;
}

/** batch_accuracy: the fraction of scores on the right side of 0. */
export function batchAccuracy(scores, targets) {
  let correct = 0;
  scores.forEach((s, i) => {
    correct += (s > 0) === (targets[i] === 1) ? 1 : 0;
  });
  return correct / scores.length;
}

/** Predicted total minus printed total, one per receipt (apples_pears.receipts_errors). */
export const receiptsErrors = (receipts, prices, fee) =>
  receipts.map((r) => r.quantities.reduce((a, q, k) => a + q * prices[k], 0) + fee - r.total);

/** The mean squared error of the receipts (apples_pears.receipts_loss). */
export function receiptsLoss(receipts, prices, fee) {
  const errors = receiptsErrors(receipts, prices, fee);
  return errors.reduce((a, e) => a + e * e, 0) / errors.length;
}

/** receiptsLoss at every pair of an apple price and a pear price, the fee fixed: row by
 * row, one row per pear price, in a Float64Array. Each receipt's error is its apple part
 * plus its pear part, so the parts are computed once per price, not once per pair: the
 * widget's loss surface (240 × 240 pairs) takes a few milliseconds, not a long task. */
export function receiptsLossGrid(receipts, applePrices, pearPrices, fee) {
  const grid = new Float64Array(applePrices.length * pearPrices.length);
  for (const { quantities: [apples, pears], total } of receipts) {
    const appleParts = applePrices.map((price) => apples * price);
    pearPrices.forEach((price, row) => {
      const rest = pears * price + fee - total;
      const start = row * applePrices.length;
      for (let column = 0; column < applePrices.length; column++) {
        const error = appleParts[column] + rest;
        grid[start + column] += error * error;
      }
    });
  }
  return grid.map((sum) => sum / receipts.length);
}

/** One step of gradient descent on the prices, and on the fee if learnFee, as one step of
 * apples_pears.descend(…, learn_fee): returns { prices, fee }. The shop without a bag fee
 * keeps its fee fixed, as a model without a bias would. */
export function receiptsStep(receipts, prices, fee, learningRate, learnFee = false) {
  const errors = receiptsErrors(receipts, prices, fee);
  const n = errors.length;
  const gradPrices = prices.map(
    (_, k) => (2 / n) * receipts.reduce((a, r, i) => a + r.quantities[k] * errors[i], 0),
  );
  const gradFee = (2 / n) * errors.reduce((a, e) => a + e, 0);
  return {
    prices: prices.map((p, k) => p - learningRate * gradPrices[k]),
    fee: learnFee ? fee - learningRate * gradFee : fee,
  };
}

/** One gradient step on the receipts, checked: returns { prices, fee, before, after,
 * raised }, the loss before and after the step and whether the step raised it (a step too
 * large at that point), or null when the step would leave the finite numbers. */
export function receiptsCheckedStep(receipts, prices, fee, learningRate, learnFee = false) {
  const before = receiptsLoss(receipts, prices, fee);
  const next = receiptsStep(receipts, prices, fee, learningRate, learnFee);
  const after = receiptsLoss(receipts, next.prices, next.fee);
  if (![...next.prices, next.fee, after].every(Number.isFinite)) return null;
  return { ...next, before, after, raised: after > before };
}

/** Numbers from this size up are shown in powers of ten: "1.50e17", not 18 digits. */
export const COMPACT_FROM = 1e6;

/** A number for a page: a fixed count of decimals, never "-0.00"; from COMPACT_FROM up in
 * powers of ten ("1.50e17"); "–" for what is not a finite number, never NaN or Infinity. */
export function fmt(x, digits) {
  if (!Number.isFinite(x)) return "–";
  if (Math.abs(x) >= COMPACT_FROM) return x.toExponential(Math.max(2, digits)).replace("e+", "e");
  return (Object.is(Math.round(x * 10 ** digits), -0) ? 0 : x).toFixed(digits);
}

/** A whole number with a comma between each three digits, as Python's f"{n:,}" writes it
 * ("12,000"); toLocaleString("en") says the same, but its first call on a page sets up the
 * browser's locale data, a long task on a phone. */
export function grouped(n) {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ",");
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Read a typed number that must lie in [min, max]: returns { value }, or { problem }, a
 * short reason ("empty", "not a number", "outside 0 to 6"). An empty field is not 0. */
export function readBounded(text, [min, max]) {
  const typed = String(text).trim();
  if (typed === "") return { problem: "empty" };
  if (!DECIMAL.test(typed)) return { problem: "not a number" };
  const value = Number(typed);
  if (!(value >= min && value <= max)) return { problem: `outside ${min} to ${max}` };
  return { value: value === 0 ? 0 : value }; // "-0" is 0
}

/** A PuOr-like diverging colour for t in [-1, 1]: orange = toward "3", purple = "7". */
export function diverging(t) {
  const a = Math.min(1, Math.abs(t));
  const end = t >= 0 ? [179, 88, 6] : [84, 39, 136];
  const mid = [247, 247, 247];
  return mid.map((m, i) => Math.round(m + (end[i] - m) * a));
}

/** Grey for a pixel in [0, 1]: ink dark on a light square. */
export const grey = (v) => {
  const level = Math.round(255 * (1 - v));
  return [level, level, level];
};

/** softmax: each score as a probability, exp(score) / the sum of exp(scores), computed
 * from score − the largest score so that it stays finite (digits.softmax). */
export function softmax(scores) {
  const largest = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - largest));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/** The ten-digit linear model: one score per digit, pixels · its template + its bias
 * (digits.predict, with templates[d] the column of weights of digit d). */
export const tenScores = (pixels, templates, biases) =>
  templates.map((weights, digit) => score(pixels, weights, biases[digit]));

/** The index of the largest number: the digit the model says. */
export const argmax = (values) => values.reduce((best, v, i) => (v > values[best] ? i : best), 0);
