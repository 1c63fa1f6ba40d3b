/* The training replay (gradient-descent page): the weights after each epoch, and what
 * training changed since the random start. Reads data/training.json. */
import { paintGrid } from "./canvas.mjs";
import { diverging, fmt } from "./lessons.mjs";

export default function setup(root, training) {
  const slider = root.querySelector("[data-testid=replay-epoch]");
  const weightsCanvas = root.querySelector("[data-role=weights]");
  const changeCanvas = root.querySelector("[data-role=change]");
  const curve = root.querySelector("svg");
  const label = root.querySelector("[data-testid=replay-label]");
  const start = training.weights[0];
  const limit = Math.max(...training.weights.flat().map(Math.abs)) || 1; // 0: no NaN
  const changeLimit = Math.max(...training.weights.at(-1).map((w, i) => Math.abs(w - start[i]))) || 1;
  slider.max = String(training.epochs.length - 1);

  const losses = training.train_loss;
  const top = Math.max(...losses) || 1, n = losses.length; // a loss of 0 draws at the bottom
  const x = (epoch) => 30 + (epoch / n) * 260;
  const y = (value) => 110 - (value / top) * 100;
  const points = losses.map((v, i) => `${x(i + 1)},${y(v)}`).join(" ");
  curve.innerHTML = `<polyline points="${points}" fill="none" stroke="currentColor" stroke-width="2"/>
    <line x1="30" y1="110" x2="290" y2="110" stroke="currentColor" stroke-width="1"/>
    <text x="30" y="128" font-size="11" fill="currentColor">epoch 1</text>
    <text x="250" y="128" font-size="11" fill="currentColor">epoch ${n}</text>
    <circle r="6" fill="#D55E00" data-role="marker"/>`;
  const marker = curve.querySelector("[data-role=marker]");

  function update() {
    const frame = Number(slider.value);
    const epoch = training.epochs[frame];
    const weights = training.weights[frame];
    paintGrid(weightsCanvas, weights, (v) => diverging(v / limit));
    paintGrid(changeCanvas, weights.map((w, i) => w - start[i]), (v) => diverging(v / changeLimit));
    const shown = Math.max(epoch, 1);
    marker.setAttribute("cx", x(shown));
    marker.setAttribute("cy", y(losses[shown - 1]));
    label.textContent = epoch === 0
      ? "epoch 0: the random start"
      : `epoch ${epoch}: training loss ${fmt(losses[epoch - 1], 4)}, validation accuracy ${fmt(100 * training.valid_accuracy[epoch - 1], 1)}%`;
  }
  slider.addEventListener("input", update);
  update();
}
