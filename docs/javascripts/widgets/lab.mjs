/* The lab's arithmetic: the chapter's two models trained as lessons_code.lab trains them,
 * in float64, from the same seed. Pure functions only (no page, no canvas, no worker):
 * lab-worker.mjs runs them, `node --test` checks them (tests/js/lab.test.mjs) and
 * tests/test_lab.py holds them to lessons_code to 1e-9.
 *
 * Images are kept sparse: most of an MNIST digit is blank, and a blank pixel adds
 * nothing to a score or a gradient, so each image keeps only its inked pixels. */
import { batchAccuracy, fmt, mnistLoss, readBounded, sigmoid } from "./lessons.mjs";

export const N_PIXELS = 28 * 28;

/* --- randomness: mulberry32, as lessons_code.lab.Mulberry32 --------------------------- */

/** A seeded 32-bit generator: { uint32, uniform, normal, permutation }, number for number
 * the same as lessons_code.lab.Mulberry32. */
export function mulberry32(seed) {
  let state = seed >>> 0;
  const uint32 = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  const uniform = () => uint32() / 2 ** 32; // [0, 1): a whole number of 2^-32
  const normal = () => {
    const radius = Math.sqrt(-2 * Math.log(1 - uniform())); // 1 - u is in (0, 1]
    return radius * Math.cos(2 * Math.PI * uniform());
  };
  /** 0 .. n-1 in a random order (Fisher–Yates, from the end). */
  const permutation = (n) => {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(uniform() * (i + 1)); // exact: u × (i + 1) < 2^53
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  };
  return { uint32, uniform, normal, permutation };
}

/* --- settings ------------------------------------------------------------------------- */

/** The parameters' shapes, drawn in this order: name -> [size, inputs of its layer]. */
export function shapes(settings) {
  const h = settings.hidden;
  return settings.model === "linear"
    ? { weights: [N_PIXELS, N_PIXELS], bias: [1, N_PIXELS] }
    : { w1: [N_PIXELS * h, N_PIXELS], b1: [h, N_PIXELS], w2: [h, h], b2: [1, h] };
}

/** The starting parameters (lessons_code.lab.init): init_params' normal × std, or
 * nn.Linear's uniform in ±1/√inputs; w1 is (784, hidden), row by row. */
export function initParams(settings, rng) {
  const params = {};
  for (const [name, [size, inputs]] of Object.entries(shapes(settings))) {
    const bound = 1 / Math.sqrt(inputs);
    params[name] = Float64Array.from({ length: size }, () =>
      settings.init === "init_params" ? rng.normal() * settings.std : (2 * rng.uniform() - 1) * bound,
    );
  }
  return params;
}

const WHOLE = new Set(["hidden", "batch_size", "epochs", "seed"]);

/** Read one setting as typed: { value } or { problem }, as readBounded, and for a setting
 * in `choices` one of its values ("yes"/"no" for a true/false one). */
export function readSetting(name, text, { bounds, choices }) {
  if (name in choices) {
    const allowed = choices[name];
    const value = allowed.find((choice) => asText(choice) === String(text).trim());
    return value === undefined ? { problem: `not one of ${allowed.map(asText).join(", ")}` } : { value };
  }
  const read = readBounded(text, bounds[name]);
  if (read.problem || !WHOLE.has(name) || Number.isInteger(read.value)) return read;
  return { problem: "not a whole number" };
}

/** A setting's value as a field, a menu or the address shows it. */
export const asText = (value) => (value === true ? "yes" : value === false ? "no" : String(value));

/** Read settings from an address's hash ("#lr=10&model=net"): { settings, problems }, the
 * model's defaults for whatever the hash does not give or gives wrongly. */
export function fromHash(hash, config) {
  const given = new URLSearchParams(String(hash).replace(/^#/, ""));
  const problems = {};
  const read = (name) => {
    const text = given.get(name);
    const found = readSetting(name, text, config);
    if (found.problem) problems[name] = { text, problem: found.problem };
    return found.value;
  };
  const model = (given.has("model") && read("model")) || "linear";
  const settings = { ...config.defaults[model] };
  for (const name of given.keys()) {
    if (name in settings && name !== "model") settings[name] = read(name) ?? settings[name];
  }
  return { settings, problems };
}

/** The hash of some settings: what differs from its model's defaults, in the page's order
 * ("" for none). */
export function toHash(settings, config) {
  const defaults = config.defaults[settings.model];
  const changed = config.order.filter(
    (name) => name === "model" ? settings.model !== "linear" : settings[name] !== defaults[name],
  );
  return changed.map((name) => `${name}=${encodeURIComponent(asText(settings[name]))}`).join("&");
}

/* --- data ----------------------------------------------------------------------------- */

/** Images (n × 784 grey levels, uint8) as their inked pixels, scaled: the grey level / 255
 * ("0-1", as the chapter) or as stored ("0-255"). { n, start, pixel, value }: image i's
 * pixels are pixel[start[i] .. start[i + 1]). */
export function sparseImages(grey, pixels) {
  const n = grey.length / N_PIXELS;
  const start = new Int32Array(n + 1);
  let inked = 0;
  for (let k = 0; k < grey.length; k++) inked += grey[k] !== 0 ? 1 : 0;
  const pixel = new Uint16Array(inked);
  const value = new Float64Array(inked);
  let at = 0;
  for (let i = 0; i < n; i++) {
    start[i] = at;
    for (let p = 0; p < N_PIXELS; p++) {
      const level = grey[i * N_PIXELS + p];
      if (level === 0) continue;
      pixel[at] = p;
      value[at++] = pixels === "0-1" ? level / 255 : level;
    }
  }
  start[n] = at;
  return { n, start, pixel, value };
}

/** The lab's digits file, decompressed: train images, valid images, train labels, valid
 * labels (uint8; 1 for a 3, 0 for a 7), in that order. Returns { train, valid }, each
 * { grey, y } with y a Float64Array. */
export function splitDigits(bytes, nTrain, nValid) {
  const expected = (nTrain + nValid) * (N_PIXELS + 1);
  if (bytes.length !== expected) {
    throw new Error(`the digits file holds ${bytes.length} bytes, expected ${expected}`);
  }
  const images = nTrain * N_PIXELS + nValid * N_PIXELS;
  const labels = (from, n) => Float64Array.from(bytes.subarray(from, from + n));
  return {
    train: { grey: bytes.subarray(0, nTrain * N_PIXELS), y: labels(images, nTrain) },
    valid: { grey: bytes.subarray(nTrain * N_PIXELS, images), y: labels(images + nTrain, nValid) },
  };
}

/* --- the models ----------------------------------------------------------------------- */

/** linear1 for some images: one score each, inked pixels × weights + bias. */
function linearScores(images, rows, params) {
  const { start, pixel, value } = images;
  const { weights, bias } = params;
  const out = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    let total = 0;
    for (let k = start[i]; k < start[i + 1]; k++) total += value[k] * weights[pixel[k]];
    out[r] = total + bias[0];
  }
  return out;
}

/** The net's first layer for some images, before the ReLU: (rows, hidden), row by row. */
function beforeRelu(images, rows, params) {
  const { start, pixel, value } = images;
  const { w1, b1 } = params;
  const h = b1.length;
  const out = new Float64Array(rows.length * h);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    const at = r * h;
    for (let u = 0; u < h; u++) out[at + u] = b1[u];
    for (let k = start[i]; k < start[i + 1]; k++) {
      const x = value[k];
      const from = pixel[k] * h;
      for (let u = 0; u < h; u++) out[at + u] += x * w1[from + u];
    }
  }
  return out;
}

/** simple_net's scores from the first layer's output: ReLU, then hidden · w2 + b2. */
function netScores(before, params) {
  const { w2, b2 } = params;
  const h = w2.length;
  const out = new Float64Array(before.length / h);
  for (let r = 0; r < out.length; r++) {
    let total = 0;
    for (let u = 0; u < h; u++) total += Math.max(before[r * h + u], 0) * w2[u];
    out[r] = total + b2[0];
  }
  return out;
}

/** Each model's scores for some images (rows: indices into images). */
export function scores(settings, images, rows, params) {
  return settings.model === "linear"
    ? linearScores(images, rows, params)
    : netScores(beforeRelu(images, rows, params), params);
}

/* --- the losses ----------------------------------------------------------------------- */

/** binary cross-entropy: the mean of -log(probability of the true digit), computed as
 * log(1 + exp(-z)) so that it never overflows (numpy's logaddexp(0, -z)). */
export function binaryCrossEntropy(scoresOf, targets) {
  let total = 0;
  scoresOf.forEach((s, i) => {
    const z = -(targets[i] === 1 ? s : -s);
    total += z === 0 ? Math.LN2 : z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  });
  return total / scoresOf.length;
}

/** d loss / d score for each image: mnist_loss_grad and binary_cross_entropy_grad. */
export const LOSSES = {
  mnist_loss: {
    value: mnistLoss,
    grad: (s, t) => s.map((score, i) => {
      const p = sigmoid(score);
      return ((t[i] === 1 ? -1 : 1) / s.length) * (p * (1 - p));
    }),
  },
  binary_cross_entropy: {
    value: binaryCrossEntropy,
    grad: (s, t) => s.map((score, i) => (sigmoid(score) - t[i]) / s.length),
  },
};

/* --- gradients, steps, epochs --------------------------------------------------------- */

/** calc_grad of either model for one batch: the gradient of every parameter. */
export function calcGrad(settings, images, targets, rows, params) {
  const grad = LOSSES[settings.loss].grad;
  const { start, pixel, value } = images;
  const yb = Float64Array.from(rows, (i) => targets[i]);
  if (settings.model === "linear") {
    const d = grad(linearScores(images, rows, params), yb); // d loss / d score, per image
    const weights = new Float64Array(N_PIXELS);
    rows.forEach((i, r) => {
      for (let k = start[i]; k < start[i + 1]; k++) weights[pixel[k]] += value[k] * d[r];
    });
    return { weights, bias: Float64Array.of(d.reduce((a, b) => a + b, 0)) };
  }
  const { w2 } = params;
  const h = w2.length;
  const before = beforeRelu(images, rows, params);
  const d = grad(netScores(before, params), yb);
  const grads = { w1: new Float64Array(N_PIXELS * h), b1: new Float64Array(h), w2: new Float64Array(h), b2: Float64Array.of(0) };
  const dBefore = new Float64Array(h);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    for (let u = 0; u < h; u++) {
      const pre = before[r * h + u];
      grads.w2[u] += Math.max(pre, 0) * d[r];
      dBefore[u] = pre > 0 ? d[r] * w2[u] : 0; // the ReLU passes gradient only where it was on
      grads.b1[u] += dBefore[u];
    }
    grads.b2[0] += d[r];
    for (let k = start[i]; k < start[i + 1]; k++) {
      const x = value[k];
      const from = pixel[k] * h;
      for (let u = 0; u < h; u++) grads.w1[from + u] += x * dBefore[u];
    }
  }
  return grads;
}

/** The SGD step of train_epoch: every parameter against its gradient (updates params). */
export function sgdStep(params, grads, lr) {
  for (const [name, grad] of Object.entries(grads)) {
    const p = params[name];
    for (let k = 0; k < p.length; k++) p[k] -= lr * grad[k];
  }
}

/** Loss and accuracy of the model on every image of a set. */
function measure(settings, set, params) {
  const all = Int32Array.from({ length: set.images.n }, (_, i) => i);
  const s = scores(settings, set.images, all, params);
  return [LOSSES[settings.loss].value(s, set.y), batchAccuracy(s, set.y)];
}

/** Whether every parameter and both losses are finite numbers. */
const finite = (params, stats) =>
  Number.isFinite(stats.train_loss) && Number.isFinite(stats.valid_loss) &&
  Object.values(params).every((p) => p.every(Number.isFinite));

/** The stats of one epoch (lessons_code.learner.EpochStats), finite or not. */
function epochStats(epoch, settings, data, params) {
  const [train_loss, train_accuracy] = measure(settings, data.train, params);
  const [valid_loss, valid_accuracy] = measure(settings, data.valid, params);
  const stats = { epoch, train_loss, valid_loss, train_accuracy, valid_accuracy };
  return { ...stats, finite: finite(params, stats) };
}

/** Train params in place with the chapter's loop (lessons_code.lab.train_from), one
 * epoch per order of the training images from orderFor(epoch); yield epoch 0's stats
 * (the start), then each epoch's. It stops after an epoch that left the finite numbers.
 * data: { train, valid }, each { images: sparseImages(...), y }. */
export function* trainFrom(params, settings, data, orderFor) {
  yield epochStats(0, settings, data, params);
  const totals = settings.zero_grad ? null : {}; // no zero_grad: the gradients add up
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    const order = orderFor(epoch);
    for (let from = 0; from < order.length; from += settings.batch_size) {
      const rows = order.subarray(from, from + settings.batch_size);
      let grads = calcGrad(settings, data.train.images, data.train.y, rows, params);
      if (totals) {
        for (const [name, grad] of Object.entries(grads)) {
          totals[name] = totals[name] ? totals[name].map((t, k) => t + grad[k]) : grad;
        }
        grads = totals;
      }
      sgdStep(params, grads, settings.lr);
    }
    const stats = epochStats(epoch, settings, data, params);
    yield stats;
    if (!stats.finite) return;
  }
}

/** Train as the lab page does (lessons_code.lab.train): the starting parameters and every
 * epoch's order from one mulberry32 seeded with settings.seed. Yields { params, stats }. */
export function* train(settings, data) {
  const rng = mulberry32(settings.seed);
  const params = initParams(settings, rng);
  const n = data.train.images.n;
  const inOrder = Int32Array.from({ length: n }, (_, i) => i);
  const orderFor = () => (settings.shuffle ? rng.permutation(n) : inOrder);
  for (const stats of trainFrom(params, settings, data, orderFor)) yield { params, stats };
}

/** The hidden units drawn of the net: the chapter's 30, at most. */
export const SHOWN_UNITS = 30;

/** What the page draws of the weights: the linear model's 784, or each shown hidden
 * unit's 784 weights, one unit after another (w1 is (784, hidden), row by row). */
export function weightsPicture(settings, params) {
  if (settings.model === "linear") return Float64Array.from(params.weights);
  const h = settings.hidden;
  const shown = Math.min(h, SHOWN_UNITS);
  const units = new Float64Array(shown * N_PIXELS);
  for (let u = 0; u < shown; u++) {
    for (let p = 0; p < N_PIXELS; p++) units[u * N_PIXELS + p] = params.w1[p * h + u];
  }
  return units;
}

/* --- what happened -------------------------------------------------------------------- */

/** From this validation accuracy up, a run has learned the task. */
export const LEARNED_ACCURACY = 0.9;

/** What a run's numbers say happened, in words: { kind, words }, kind one of "diverged",
 * "stalled", "learned", "learning". history: epoch 0 (the start) first; majority: the
 * share of the commoner digit among the validation images (what always saying that
 * digit scores). */
export function verdict(history, majority) {
  const start = history[0];
  const last = history.at(-1);
  const percent = (x) => `${fmt(100 * x, 1)}%`;
  const loss = (x) => fmt(x, Math.abs(x) >= 100 ? 1 : 4);
  if (!last.finite) {
    return {
      kind: "diverged",
      words: `Diverged: in epoch ${last.epoch} the steps grew the weights past the largest numbers a computer holds, so the run stopped. A smaller learning rate takes smaller steps.`,
    };
  }
  const from = `the training loss went from ${loss(start.train_loss)} to ${loss(last.train_loss)}`;
  const accuracy = `validation accuracy ${percent(start.valid_accuracy)} at the start, ${percent(last.valid_accuracy)} at the end`;
  const tail = history.slice(-Math.max(2, Math.ceil(history.length / 4)));
  const moving = Math.abs(tail[0].train_loss - last.train_loss) > 0.005 * tail[0].train_loss;
  if (last.train_loss > 1.05 * start.train_loss) {
    const why = moving
      ? "Each step went so far that it overshot"
      : "The first steps threw the scores so far from 0 that the sigmoid is flat there, its gradient nearly 0, and the loss froze";
    return {
      kind: "diverged",
      words: `Diverged: ${from}, higher than where it started (${accuracy}). ${why}: try a smaller learning rate.`,
    };
  }
  const barely = last.train_loss > 0.95 * start.train_loss;
  if (last.valid_accuracy < LEARNED_ACCURACY && (barely || !moving || last.valid_accuracy <= majority + 0.01)) {
    return {
      kind: "stalled",
      words: `Stalled: ${from} and ${barely ? "barely moved" : "stopped falling"} (${accuracy}). The steps change almost nothing: a learning rate too small, or scores so large that the sigmoid is flat and its gradient nearly 0.`,
    };
  }
  if (last.valid_accuracy >= LEARNED_ACCURACY) {
    return { kind: "learned", words: `Learned: ${from} (${accuracy}).` };
  }
  return {
    kind: "learning",
    words: `Still learning: ${from} and was still falling (${accuracy}). More epochs, or a larger learning rate, would take it further.`,
  };
}
