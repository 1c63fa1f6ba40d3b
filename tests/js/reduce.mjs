// Reads {cases: [{ink, width, height}]} from stdin and answers with the drawing pad's own
// reduction of each to 28 × 28. Driven by tests/test_digit_image.py.
import { readFileSync } from "node:fs";

import { reduceToMnist } from "../../docs/javascripts/widgets/pad.mjs";

const { cases } = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(
  JSON.stringify(cases.map(({ ink, width, height }) => reduceToMnist(ink, width, height))),
);
