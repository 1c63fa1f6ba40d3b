/* Draw any digit (ten-digit page): the ten-digit linear model scores the drawing once
 * per digit, softmax turns the ten scores into ten probabilities, and the template of
 * the winning digit is shown beside the drawing. Reads data/ten-digits.json. */
import { paintGrid } from "./canvas.mjs";
import { argmax, diverging, fmt, grey, softmax, tenScores } from "./lessons.mjs";
import { drawingPad, toMnist } from "./pad.mjs";

/* One labelled bar per digit, in the list the page gives: "3 ▇▇▇ 12.3%". */
function makeBars(list, n) {
  return Array.from({ length: n }, (_, digit) => {
    const row = document.createElement("li");
    row.dataset.digit = String(digit);
    const label = document.createElement("span");
    label.className = "bar-label";
    label.textContent = String(digit);
    const track = document.createElement("span");
    track.className = "bar-track";
    const fill = document.createElement("span");
    fill.className = "bar-fill";
    track.append(fill);
    const value = document.createElement("span");
    value.className = "bar-value";
    row.append(label, track, value);
    list.append(row);
    return { row, fill, value };
  });
}

export default function setup(root, model) {
  const pad = root.querySelector("[data-testid=ten-digit-pad]");
  const input28 = root.querySelector("[data-testid=ten-digit-input-28]");
  const template = root.querySelector("[data-testid=ten-digit-template]");
  const templateCaption = root.querySelector("[data-role=template-caption]");
  const verdict = root.querySelector("[data-testid=ten-digit-prediction]");
  const sureness = root.querySelector("[data-testid=ten-digit-probability]");
  const bars = makeBars(root.querySelector("[data-testid=ten-digit-probabilities]"), 10);

  function update() {
    const pixels = toMnist(pad);
    input28.dataset.pixels = JSON.stringify(pixels);
    paintGrid(input28, pixels, grey);
    if (!pixels.some((p) => p > 0)) {
      verdict.textContent = "draw a digit";
      sureness.textContent = "–";
      template.getContext("2d").clearRect(0, 0, template.width, template.height);
      templateCaption.textContent = "the winning digit's template";
      template.setAttribute("aria-label", "No drawing yet: no template to show");
      for (const bar of bars) {
        bar.fill.style.width = "0%";
        bar.value.textContent = "–";
        bar.row.classList.remove("winner");
        delete bar.row.dataset.probability;
      }
      return;
    }
    const probabilities = softmax(tenScores(pixels, model.templates, model.biases));
    const winner = argmax(probabilities);
    probabilities.forEach((p, digit) => {
      const bar = bars[digit];
      bar.fill.style.width = `${(100 * p).toFixed(1)}%`;
      bar.value.textContent = `${fmt(100 * p, 1)}%`;
      bar.row.dataset.probability = String(p);
      bar.row.classList.toggle("winner", digit === winner);
    });
    verdict.textContent = String(winner);
    sureness.textContent = `${fmt(100 * probabilities[winner], 1)}%`;
    const weights = model.templates[winner];
    const limit = Math.max(...weights.map(Math.abs)) || 1; // each template on its own scale
    paintGrid(template, weights, (v) => diverging(v / limit));
    templateCaption.textContent = `the template of “${winner}”`;
    template.setAttribute(
      "aria-label",
      `The weights of the digit ${winner}: orange where ink raises its score, purple where ink lowers it`,
    );
  }

  const drawing = drawingPad(pad, root.querySelector("[data-role=cursor]"), update);
  root.querySelector("[data-testid=ten-digit-clear]").addEventListener("click", () => {
    drawing.clear();
    update();
  });

  update();
}
