// The lab's arithmetic, checked with Node's own test runner: `node --test` from the
// repository root. Parity with lessons_code.lab to 1e-9: tests/test_lab.py.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  asText, binaryCrossEntropy, calcGrad, fromHash, initParams, LEARNED_ACCURACY, LOSSES,
  mulberry32, N_PIXELS, readSetting, scores, sgdStep, SHOWN_UNITS, sparseImages, splitDigits,
  toHash, train, trainFrom, verdict, weightsPicture,
} from "../../docs/javascripts/widgets/lab.mjs";

const linear = {
  model: "linear", hidden: 30, lr: 1, batch_size: 256, epochs: 20, init: "init_params", std: 1,
  loss: "mnist_loss", shuffle: false, zero_grad: true, pixels: "0-1", seed: 0,
};
const net = { ...linear, model: "net", lr: 0.1, epochs: 40, init: "nn.Linear" };
const config = {
  order: Object.keys(linear),
  defaults: { linear, net },
  choices: {
    model: ["linear", "net"], init: ["init_params", "nn.Linear"],
    loss: ["mnist_loss", "binary_cross_entropy"], shuffle: [false, true],
    zero_grad: [true, false], pixels: ["0-1", "0-255"],
  },
  bounds: { hidden: [1, 128], lr: [1e-6, 1e6], batch_size: [1, 800], epochs: [1, 200], std: [0, 100], seed: [0, 4294967295] },
};

/** Fake digits, uint8: "3s" (label 1) inked in a left column, "7s" in a top bar, plus
 * specks from the generator, so that both models can learn them. */
function fakeGrey(n, rng) {
  const grey = new Uint8Array(n * N_PIXELS);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    for (let p = 0; p < N_PIXELS; p++) {
      const [row, col] = [Math.floor(p / 28), p % 28];
      const ink = y[i] ? row >= 8 && row < 20 && col >= 8 && col < 12 : row >= 6 && row < 10 && col >= 8 && col < 20;
      grey[i * N_PIXELS + p] = ink ? 255 : rng.uniform() < 0.05 ? Math.floor(256 * rng.uniform()) : 0;
    }
  }
  return { grey, y };
}

function fakeData(settings, nTrain = 40, nValid = 20) {
  const rng = mulberry32(7);
  const set = ({ grey, y }) => ({ images: sparseImages(grey, settings.pixels), y });
  return { train: set(fakeGrey(nTrain, rng)), valid: set(fakeGrey(nValid, rng)) };
}

test("mulberry32 is a function of its seed: same seed, same numbers; in [0, 1)", () => {
  const [a, b, c] = [mulberry32(42), mulberry32(42), mulberry32(43)];
  const first = Array.from({ length: 100 }, () => a.uint32());
  assert.deepEqual(first, Array.from({ length: 100 }, () => b.uint32()));
  assert.notDeepEqual(first, Array.from({ length: 100 }, () => c.uint32()));
  assert.ok(first.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32));
  const u = Array.from({ length: 10000 }, () => a.uniform());
  assert.ok(u.every((v) => v >= 0 && v < 1));
  assert.ok(Math.abs(u.reduce((s, v) => s + v, 0) / u.length - 0.5) < 0.01);
});

test("its normals have mean 0 and std 1, and its shuffles are permutations", () => {
  const rng = mulberry32(0);
  const z = Array.from({ length: 20000 }, () => rng.normal());
  const mean = z.reduce((s, v) => s + v, 0) / z.length;
  const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length;
  assert.ok(Math.abs(mean) < 0.03 && Math.abs(variance - 1) < 0.03, `${mean} ${variance}`);
  const order = rng.permutation(1000);
  assert.deepEqual([...order].sort((p, q) => p - q), Array.from({ length: 1000 }, (_, i) => i));
  assert.notDeepEqual([...order], Array.from({ length: 1000 }, (_, i) => i));
});

test("the starting weights: init_params' std, nn.Linear's ±1/√inputs, the net's shapes", () => {
  const normal = initParams({ ...linear, std: 0.5 }, mulberry32(1));
  assert.equal(normal.weights.length, 784);
  assert.equal(normal.bias.length, 1);
  const sd = Math.sqrt(normal.weights.reduce((s, w) => s + w * w, 0) / 784);
  assert.ok(Math.abs(sd - 0.5) < 0.05, `std ${sd}`);
  assert.ok(initParams({ ...linear, std: 0 }, mulberry32(1)).weights.every((w) => w === 0));
  const small = initParams({ ...net, hidden: 5 }, mulberry32(1));
  assert.deepEqual(Object.fromEntries(Object.entries(small).map(([k, v]) => [k, v.length])), { w1: 784 * 5, b1: 5, w2: 5, b2: 1 });
  assert.ok(small.w1.every((w) => Math.abs(w) <= 1 / 28) && small.w2.every((w) => Math.abs(w) <= 1 / Math.sqrt(5)));
});

test("a setting is read within its range, whole where it must be, or from its choices", () => {
  assert.deepEqual(readSetting("lr", "10", config), { value: 10 });
  assert.deepEqual(readSetting("lr", "1e4", config), { value: 1e4 });
  assert.deepEqual(readSetting("lr", "0", config), { problem: "outside 0.000001 to 1000000" });
  assert.deepEqual(readSetting("lr", "", config), { problem: "empty" });
  assert.deepEqual(readSetting("lr", "ten", config), { problem: "not a number" });
  assert.deepEqual(readSetting("epochs", "2.5", config), { problem: "not a whole number" });
  assert.deepEqual(readSetting("batch_size", "801", config), { problem: "outside 1 to 800" });
  assert.deepEqual(readSetting("shuffle", "yes", config), { value: true });
  assert.deepEqual(readSetting("model", "net", config), { value: "net" });
  assert.match(readSetting("loss", "mse", config).problem, /^not one of mnist_loss, binary_cross_entropy$/);
  assert.equal(asText(false), "no");
});

test("the hash holds what differs from the model's defaults, and reads back the same", () => {
  assert.equal(toHash(linear, config), "");
  assert.equal(toHash(net, config), "model=net");
  const changed = { ...net, lr: 10, shuffle: true, init: "nn.Linear" };
  assert.equal(toHash(changed, config), "model=net&lr=10&shuffle=yes");
  assert.deepEqual(fromHash(`#${toHash(changed, config)}`, config), { settings: changed, problems: {} });
  assert.deepEqual(fromHash("#lr=10", config).settings, { ...linear, lr: 10 });
  assert.deepEqual(fromHash("", config), { settings: linear, problems: {} });
  assert.deepEqual(fromHash("#check-yourself", config).settings, linear);
});

test("a hash with nonsense keeps the defaults for it and says why", () => {
  const { settings, problems } = fromHash("#lr=-1&epochs=abc&model=cnn&seed=3", config);
  assert.deepEqual(settings, { ...linear, seed: 3 });
  assert.deepEqual(Object.keys(problems).sort(), ["epochs", "lr", "model"]);
  assert.equal(problems.lr.text, "-1");
  assert.match(problems.lr.problem, /^outside/);
});

test("the digits file splits into images and labels, and a wrong length is refused", () => {
  const bytes = new Uint8Array(3 * 785);
  bytes.fill(9, 0, 784);
  bytes[3 * 784] = 1;
  const { train: trainSet, valid } = splitDigits(bytes, 2, 1);
  assert.equal(trainSet.grey.length, 2 * 784);
  assert.equal(trainSet.grey[0], 9);
  assert.deepEqual([...trainSet.y, ...valid.y], [1, 0, 0]);
  assert.throws(() => splitDigits(bytes.subarray(1), 2, 1), /holds 2354 bytes, expected 2355/);
});

test("sparse images score as the dense pixels do, scaled to 0-1 or kept 0-255", () => {
  const { grey } = fakeGrey(3, mulberry32(3));
  const params = initParams(linear, mulberry32(5));
  for (const pixels of ["0-1", "0-255"]) {
    const got = scores(linear, sparseImages(grey, pixels), [0, 1, 2], params);
    for (let i = 0; i < 3; i++) {
      let dense = params.bias[0];
      for (let p = 0; p < 784; p++) dense += (pixels === "0-1" ? grey[i * 784 + p] / 255 : grey[i * 784 + p]) * params.weights[p];
      assert.ok(Math.abs(got[i] - dense) < 1e-9 * Math.max(1, Math.abs(dense)), `${pixels} ${got[i]} ${dense}`);
    }
  }
});

test("binary cross-entropy is -log(p of the true digit), finite even at ±1000", () => {
  const p = 1 / (1 + Math.exp(-2));
  assert.ok(Math.abs(binaryCrossEntropy([2], [1]) + Math.log(p)) < 1e-15);
  assert.ok(Math.abs(binaryCrossEntropy([2], [0]) + Math.log(1 - p)) < 1e-12);
  assert.equal(binaryCrossEntropy([0], [1]), Math.LN2);
  assert.equal(binaryCrossEntropy([1000, -1000], [0, 1]), 1000);
  assert.ok(binaryCrossEntropy([1000, -1000], [1, 0]) < 1e-300);
});

/** The loss of one batch, as a function of the parameters. */
const batchLoss = (settings, data, rows, params) =>
  LOSSES[settings.loss].value(scores(settings, data.train.images, rows, params), Float64Array.from(rows, (i) => data.train.y[i]));

test("calc_grad matches finite differences, for both models and both losses", () => {
  for (const model of [linear, { ...net, hidden: 4, init: "init_params", std: 0.05 }]) {
    for (const loss of ["mnist_loss", "binary_cross_entropy"]) {
      const settings = { ...model, loss };
      const data = fakeData(settings);
      const params = initParams(settings, mulberry32(11));
      const rows = Int32Array.from([0, 3, 4, 7, 10, 11]);
      const grads = calcGrad(settings, data.train.images, data.train.y, rows, params);
      for (const [name, grad] of Object.entries(grads)) {
        const checked = name === "weights" || name === "w1" ? [8 * 28 + 9, 7 * 28 + 10, 9 * 28 * (settings.hidden) % grad.length] : [0];
        for (const k of checked) {
          const h = 1e-6;
          const saved = params[name][k];
          params[name][k] = saved + h;
          const up = batchLoss(settings, data, rows, params);
          params[name][k] = saved - h;
          const down = batchLoss(settings, data, rows, params);
          params[name][k] = saved;
          const numeric = (up - down) / (2 * h);
          assert.ok(Math.abs(numeric - grad[k]) < 1e-6, `${model.model} ${loss} ${name}[${k}]: ${grad[k]} vs ${numeric}`);
        }
      }
    }
  }
});

test("an SGD step moves every parameter against its gradient", () => {
  const params = { weights: Float64Array.of(1, 2), bias: Float64Array.of(0.5) };
  sgdStep(params, { weights: Float64Array.of(0.5, -1), bias: Float64Array.of(2) }, 0.1);
  assert.deepEqual([...params.weights], [1 - 0.05, 2 + 0.1]);
  assert.deepEqual([...params.bias], [0.5 - 0.2]);
});

test("training lowers the loss, epoch 0 first, one batch order per epoch", () => {
  for (const settings of [{ ...linear, epochs: 5, batch_size: 8 }, { ...net, hidden: 8, epochs: 5, batch_size: 8, lr: 1 }]) {
    const history = [...train(settings, fakeData(settings))].map(({ stats }) => stats);
    assert.deepEqual(history.map((s) => s.epoch), [0, 1, 2, 3, 4, 5]);
    assert.ok(history.at(-1).train_loss < history[0].train_loss / 2, settings.model);
    assert.ok(history.every((s) => s.finite));
  }
});

test("shuffling gives each epoch its own batches; without, every epoch is the same", () => {
  const seen = [];
  const settings = { ...linear, epochs: 3, batch_size: 8 };
  const params = initParams(settings, mulberry32(0));
  [...trainFrom(params, settings, fakeData(settings), (epoch) => (seen.push(epoch), Int32Array.from({ length: 40 }, (_, i) => i)))];
  assert.deepEqual(seen, [1, 2, 3]);
  const runs = [false, true].map((shuffle) => [...train({ ...settings, shuffle }, fakeData(settings))].at(-1).stats.train_loss);
  assert.notEqual(runs[0], runs[1]);
});

test("without zero_grad, each step goes by the sum of every gradient so far", () => {
  const settings = { ...linear, epochs: 1, batch_size: 20, zero_grad: false };
  const data = fakeData(settings);
  const start = initParams(settings, mulberry32(2));
  const copy = (p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Float64Array.from(v)]));
  const trained = copy(start);
  [...trainFrom(trained, settings, data, () => Int32Array.from({ length: 40 }, (_, i) => i))];
  const byHand = copy(start);
  const first = calcGrad(settings, data.train.images, data.train.y, Int32Array.from({ length: 20 }, (_, i) => i), byHand);
  sgdStep(byHand, first, 1);
  const second = calcGrad(settings, data.train.images, data.train.y, Int32Array.from({ length: 20 }, (_, i) => 20 + i), byHand);
  sgdStep(byHand, { weights: first.weights.map((g, k) => g + second.weights[k]), bias: Float64Array.of(first.bias[0] + second.bias[0]) }, 1);
  assert.deepEqual([...trained.weights], [...byHand.weights]);
  assert.deepEqual([...trained.bias], [...byHand.bias]);
});

test("a run that leaves the finite numbers stops after that epoch and says so", () => {
  const settings = { ...net, hidden: 4, epochs: 50, batch_size: 40, lr: 1e150, init: "init_params", std: 10, loss: "binary_cross_entropy" };
  const history = [...train(settings, fakeData(settings))].map(({ stats }) => stats);
  assert.ok(history.length < 51, `${history.length} epochs`);
  assert.equal(history.at(-1).finite, false);
  const said = verdict(history, 0.5);
  assert.equal(said.kind, "diverged");
  assert.doesNotMatch(said.words, /NaN|Infinity/);
});

test("the weights' picture: the linear model's 784, the net's units one by one", () => {
  const params = initParams({ ...net, hidden: 3 }, mulberry32(4));
  const picture = weightsPicture({ ...net, hidden: 3 }, params);
  assert.equal(picture.length, 3 * 784);
  assert.equal(picture[784 + 10], params.w1[10 * 3 + 1]); // unit 1, pixel 10
  assert.equal(weightsPicture({ ...net, hidden: 64 }, initParams({ ...net, hidden: 64 }, mulberry32(4))).length, SHOWN_UNITS * 784);
  assert.equal(weightsPicture(linear, initParams(linear, mulberry32(4))).length, 784);
});

const epoch = (n, train_loss, valid_accuracy) => ({
  epoch: n, train_loss, valid_loss: train_loss, train_accuracy: valid_accuracy, valid_accuracy, finite: true,
});

test("what happened, in words: learned, still learning, stalled, diverged", () => {
  const falling = (end, accuracy) => Array.from({ length: 11 }, (_, n) => epoch(n, 0.4 - (n / 10) * (0.4 - end), 0.6 + (n / 10) * (accuracy - 0.6)));
  assert.equal(verdict(falling(0.05, 0.95), 0.5).kind, "learned");
  assert.equal(verdict(falling(0.2, LEARNED_ACCURACY - 0.05), 0.5).kind, "learning");
  const flat = Array.from({ length: 11 }, (_, n) => epoch(n, 0.4 - n * 1e-5, 0.6));
  assert.equal(verdict(flat, 0.5).kind, "stalled");
  const stuck = [epoch(0, 0.4, 0.6), ...Array.from({ length: 10 }, (_, n) => epoch(n + 1, 0.21, 0.79))];
  assert.equal(verdict(stuck, 0.5).kind, "stalled");
  const rising = [epoch(0, 1.9, 0.6), epoch(1, 1500, 0.98), epoch(2, 630, 0.99)];
  const said = verdict(rising, 0.5);
  assert.equal(said.kind, "diverged");
  assert.match(said.words, /from 1\.9000 to 630\.0, higher .* overshot/);
  const frozen = [epoch(0, 0.39, 0.6), ...Array.from({ length: 8 }, (_, n) => epoch(n + 1, 0.5, 0.5))];
  assert.match(verdict(frozen, 0.5).words, /^Diverged: .* froze: try a smaller learning rate\.$/);
  assert.equal(verdict([epoch(0, 0.4, 0.6), { ...epoch(1, NaN, NaN), finite: false }], 0.5).kind, "diverged");
});
