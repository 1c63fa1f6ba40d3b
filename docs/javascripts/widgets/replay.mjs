/* The training replay (gradient-descent page): the weights after each epoch, and what
 * training changed since the random start; Play steps through the epochs. Reads
 * data/training.json. */
import { paintGrid } from "./canvas.mjs";
import { diverging, fmt } from "./lessons.mjs";

export default function setup(root, training) {
  const slider = root.querySelector("[data-testid=replay-epoch]");
  const weightsCanvas = root.querySelector("[data-role=weights]");
  const changeCanvas = root.querySelector("[data-role=change]");
  const curve = root.querySelector("svg");
  const label = root.querySelector("[data-testid=replay-label]");
  const play = root.querySelector("[data-testid=replay-play]");
  const start = training.weights[0];
  const limit = Math.max(...training.weights.flat().map(Math.abs)) || 1; // 0: no NaN
  const changeLimit = Math.max(...training.weights.at(-1).map((w, i) => Math.abs(w - start[i]))) || 1;
  slider.max = String(training.epochs.length - 1);

  const losses = training.train_loss;
  const top = Math.max(...losses) || 1, n = losses.length; // a loss of 0 draws at the bottom
  const x = (epoch) => 46 + (epoch / n) * 244;
  const y = (value) => 110 - (value / top) * 100;
  const points = losses.map((v, i) => `${x(i + 1)},${y(v)}`).join(" ");
  const yTicks = [0, top / 2, top].map((v) => `
    <line x1="42" y1="${y(v)}" x2="46" y2="${y(v)}" stroke="currentColor" stroke-width="1"/>
    <text x="40" y="${y(v) + 4}" font-size="11" text-anchor="end" fill="currentColor">${fmt(v, 2)}</text>`);
  curve.innerHTML = `<polyline points="${points}" fill="none" stroke="currentColor" stroke-width="2"/>
    <line x1="46" y1="110" x2="290" y2="110" stroke="currentColor" stroke-width="1"/>
    <line x1="46" y1="10" x2="46" y2="110" stroke="currentColor" stroke-width="1"/>${yTicks.join("")}
    <text x="46" y="128" font-size="11" fill="currentColor">epoch 1</text>
    <text x="290" y="128" font-size="11" text-anchor="end" fill="currentColor">epoch ${n}</text>
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
  /* Play: one shown epoch every 0.4 s from where the slider is (from the start when it is
   * at the end); Pause, or moving the slider, stops it. */
  let timer = null;
  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    play.textContent = "Play";
  }
  play.addEventListener("click", () => {
    if (timer !== null) return stop();
    if (Number(slider.value) >= Number(slider.max)) slider.value = "0";
    play.textContent = "Pause";
    update();
    timer = setInterval(() => {
      if (!root.isConnected) return stop();
      slider.value = String(Number(slider.value) + 1);
      update();
      if (Number(slider.value) >= Number(slider.max)) stop();
    }, 400);
  });
  slider.addEventListener("input", () => {
    stop();
    update();
  });
  update();
}
