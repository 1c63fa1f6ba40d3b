/* Draw a digit (prediction page): the linear model of the site scores a drawing, and
 * the sum is written out term by term. Reads data/model.json. */
import { paintGrid } from "./canvas.mjs";
import { ascendPixels, diverging, fmt, grey, score as linearScore, sigmoid } from "./lessons.mjs";
import { drawingPad, glossary, toMnist } from "./pad.mjs";

/* The sum, written out: the largest pushes each way, the total, the bias, the score,
 * the sigmoid and the verdict. Each word links to its glossary entry; the numbers are
 * plain text, so that a tap meant for the pad next to them does not leave the page (and
 * the drawing). */
function arithmetic(pixels, terms, model, score) {
  const link = (entry, text) => `<a href="${glossary(entry)}">${text}</a>`;
  const order = terms.map((t, i) => i).filter((i) => terms[i] !== 0);
  order.sort((a, b) => terms[b] - terms[a]);
  const describe = (i) =>
    `${fmt(pixels[i], 2)} × ${fmt(model.weights[i], 2)} = ${(terms[i] > 0 ? "+" : "") + fmt(terms[i], 2)}` +
    ` <small>(row ${Math.floor(i / 28)}, column ${i % 28})</small>`;
  const toward3 = order.filter((i) => terms[i] > 0).slice(0, 3).map(describe);
  const toward7 = order.filter((i) => terms[i] < 0).reverse().slice(0, 3).map(describe);
  const sum = terms.reduce((a, b) => a + b, 0);
  const product = `${link("pixel", "pixel")} × ${link("weight", "weight")}`;
  return `<p>Largest pushes toward 3 (${product}): ${toward3.join("; ") || "none"}</p>
    <p>Largest pushes toward 7: ${toward7.join("; ") || "none"}</p>
    <p>Sum of all 784 ${link("activation", "pixel × weight terms")}: ${fmt(sum, 2)}
    + ${link("bias", "bias")} ${fmt(model.bias, 2)}
    = ${link("score-or-prediction", "score")} ${fmt(score, 2)};
    ${link("probability", "sigmoid")}(${fmt(score, 2)}) = ${fmt(sigmoid(score), 3)}
    → ${score > 0 ? "“3”" : "“7”"}</p>`;
}

export default function setup(root, model) {
  const pad = root.querySelector("[data-testid=digit-pad]");
  const input28 = root.querySelector("[data-testid=digit-input-28]");
  const contributions = root.querySelector("[data-role=contributions]");
  const verdict = root.querySelector("[data-testid=digit-prediction]");
  const scoreOut = root.querySelector("[data-testid=digit-score]");
  const probabilityOut = root.querySelector("[data-testid=digit-probability]");
  const sum = root.querySelector("[data-testid=digit-arithmetic]");
  const truth = root.querySelector("[data-testid=digit-truth]");
  const limit = Math.max(...model.weights.map(Math.abs)) || 1; // all zero: no colour, no NaN
  const noDrawing = sum.innerHTML; // the page's words for an empty pad
  let given = null; // a real validation image, already 28 × 28: used as it is
  let label = null; // its true label

  function update() {
    const pixels = given || toMnist(pad);
    truth.textContent = label === null ? "" : ` This validation image is a ${label}.`;
    input28.dataset.pixels = JSON.stringify(pixels);
    paintGrid(input28, pixels, grey);
    const terms = pixels.map((p, i) => p * model.weights[i]);
    paintGrid(contributions, terms, (v) => diverging(v / limit));
    if (!pixels.some((p) => p > 0)) {
      verdict.textContent = "draw a digit";
      scoreOut.textContent = probabilityOut.textContent = "–";
      sum.innerHTML = noDrawing;
      delete verdict.dataset.score;
      return;
    }
    const score = linearScore(pixels, model.weights, model.bias);
    verdict.dataset.score = String(score);
    scoreOut.textContent = fmt(score, 2);
    probabilityOut.textContent = fmt(sigmoid(score), 3);
    verdict.textContent = score > 0 ? "3" : "7";
    sum.innerHTML = arithmetic(pixels, terms, model, score);
  }

  /* The model drawing its 3, step by step; anything the reader does stops it. */
  const ascendButton = root.querySelector("[data-testid=digit-ascend]");
  let ascent = null;
  function stopAscent() {
    if (ascent !== null) clearInterval(ascent);
    ascent = null;
    ascendButton.disabled = false;
  }

  const drawing = drawingPad(pad, root.querySelector("[data-role=cursor]"), () => {
    stopAscent();
    given = label = null;
    update();
  });
  root.querySelector("[data-testid=digit-clear]").addEventListener("click", () => {
    stopAscent();
    drawing.clear();
    given = label = null;
    update();
  });

  /* A real validation digit, drawn onto the pad as ink. */
  let example = 0;
  const exampleButton = root.querySelector("[data-testid=digit-example]");
  exampleButton.addEventListener("click", () => {
    stopAscent();
    const chosen = model.examples[example++ % model.examples.length];
    drawing.show(chosen.pixels);
    exampleButton.dataset.label = label = chosen.label;
    given = chosen.pixels.map((v) => v / 255);
    update();
  });
  /* The learner's idea, tried: change a blank image's pixels to raise its "3" score. */
  ascendButton.addEventListener("click", () => {
    const images = ascendPixels(model.weights, model.ascent.steps, model.ascent.learning_rate);
    stopAscent();
    ascendButton.disabled = true;
    let step = 0;
    label = null; // the model's drawing is no validation image
    ascent = setInterval(() => {
      given = images[step];
      drawing.show(given.map((p) => Math.round(255 * p)));
      update();
      if (++step >= images.length || !root.isConnected) stopAscent();
    }, 60);
  });
  update();
}
