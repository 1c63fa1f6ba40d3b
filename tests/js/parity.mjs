// Reads a request from stdin (the build's exported JSON and what to compute), answers
// with the widgets' own numbers on stdout. Driven by tests/test_widget_parity.py.
import { readFileSync } from "node:fs";

import {
  ascendPixels, mnistLoss, receiptsCheckedStep, receiptsStep, score, softmax, tenScores,
} from "../../docs/javascripts/widgets/lessons.mjs";
import { decodeImages, nudged } from "../../docs/javascripts/widgets/nudge.mjs";

const request = JSON.parse(readFileSync(0, "utf8"));
const { model, nudge, receipts, delta } = request;
const tenDigits = request["ten-digits"];
const tenDigitScores = request.ten_pixels.map((pixels) =>
  tenScores(pixels, tenDigits.templates, tenDigits.biases),
);
const examples = model.examples.map((e) =>
  score(e.pixels.map((v) => v / 255), model.weights, model.bias),
);
const images = decodeImages(nudge);
const scores = images.map((image) => score(image, nudge.weights, nudge.bias));
/* Each shop's descent from the first guess, as many steps as apples_pears.descend takes,
 * learning the fee only where the build says that shop's descent does. */
const descentSteps = request.descent_steps;
const paths = Object.fromEntries(
  Object.entries(receipts.shops).map(([shop, shopReceipts]) => {
    let state = { prices: receipts.first_guess, fee: 0 };
    const path = [state];
    for (let i = 0; i < descentSteps; i++) {
      state = receiptsStep(
        shopReceipts, state.prices, state.fee, receipts.learning_rate, receipts.learns_fee[shop],
      );
      path.push(state);
    }
    return [shop, path];
  }),
);
/* "Descend" from every corner and middle of the sliders' ranges, in both shops (the fee
 * 0 where the shop adds none, as the playground keeps it): the steps that climbed, the
 * steps refused (not finite) and the loss where each ended. */
const grid = ([min, max]) => [min, (min + max) / 2, max];
const descents = [];
for (const [shop, shopReceipts] of Object.entries(receipts.shops)) {
  for (const apple of grid(receipts.ranges.apple)) {
    for (const pear of grid(receipts.ranges.pear)) {
      for (const fee of receipts.learns_fee[shop] ? grid(receipts.ranges.fee) : [0]) {
        let state = { prices: [apple, pear], fee, after: NaN };
        let climbed = 0, refused = 0;
        for (let i = 0; i < 150; i++) {
          const next = receiptsCheckedStep(
            shopReceipts, state.prices, state.fee, receipts.learning_rate, receipts.learns_fee[shop],
          );
          if (next === null) refused++;
          else (climbed += next.raised ? 1 : 0), (state = next);
        }
        descents.push({ shop, start: [apple, pear, fee], climbed, refused, loss: state.after });
      }
    }
  }
}
process.stdout.write(
  JSON.stringify({
    example_scores: examples,
    nudge_scores: scores,
    nudge_loss: mnistLoss(scores, nudge.labels),
    nudged: nudged(images, scores, nudge.labels, nudge.pixel, delta),
    receipts_paths: paths,
    ascent: ascendPixels(model.weights, model.ascent.steps, model.ascent.learning_rate).at(-1),
    ten_scores: tenDigitScores,
    ten_probabilities: tenDigitScores.map(softmax),
    descents,
  }),
);
