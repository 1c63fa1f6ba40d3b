// Reads a fixture that tests/test_lab.py wrote (its path the first argument) and answers
// on stdout with the lab's own numbers: a run from the fixture's starting parameters and
// batch orders, a run from the seed alone, and the generator's first draws.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

import {
  initParams, mulberry32, sparseImages, splitDigits, train, trainFrom,
} from "../../docs/javascripts/widgets/lab.mjs";

const path = process.argv[2];
const fixture = JSON.parse(readFileSync(path, "utf8"));
const bytes = new Uint8Array(readFileSync(join(dirname(path), fixture.digits)));
const { train: trainSet, valid } = splitDigits(bytes, fixture.n_train, fixture.n_valid);
const prepared = (settings) => ({
  train: { images: sparseImages(trainSet.grey, settings.pixels), y: trainSet.y },
  valid: { images: sparseImages(valid.grey, settings.pixels), y: valid.y },
});
const plain = (stats) => {
  const { finite, ...numbers } = stats;
  return { ...numbers, finite };
};

const answers = fixture.runs.map(({ settings, initial, orders }) => {
  const data = prepared(settings);
  const params = Object.fromEntries(Object.entries(initial).map(([k, v]) => [k, Float64Array.from(v)]));
  const given = [...trainFrom(params, settings, data, (epoch) => Int32Array.from(orders[epoch - 1]))];
  const seeded = [...train(settings, data)].map(({ stats }) => stats);
  const rng = mulberry32(settings.seed);
  const start = initParams(settings, rng);
  return {
    given: given.map(plain),
    seeded: seeded.map(plain),
    initial: Object.fromEntries(Object.entries(start).map(([k, v]) => [k, Array.from(v)])),
    orders: settings.shuffle ? orders.map(() => Array.from(rng.permutation(fixture.n_train))) : [],
  };
});
const rng = mulberry32(fixture.prng_seed);
process.stdout.write(
  JSON.stringify({
    runs: answers,
    uint32: Array.from({ length: 1000 }, () => rng.uint32()),
    normal: Array.from({ length: 1000 }, () => rng.normal()),
    permutation: Array.from(rng.permutation(1000)),
  }),
);
