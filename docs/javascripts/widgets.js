/* The lessons' widgets: plain JavaScript, no framework, nothing loaded from elsewhere.
 *
 * Each widget is a <div data-widget="..."> on a page. Its numbers come from the JSON
 * files the build exports from lessons_code (data/model.json, data/training.json,
 * data/receipts.json). Material's instant navigation swaps pages without reloading,
 * so widgets are set up on every `document$` emission, not only on DOMContentLoaded.
 */
(function () {
  "use strict";

  const SCRIPT = document.currentScript && document.currentScript.src;
  const DATA = (name) => new URL("../data/" + name, SCRIPT || location.href).href;
  const GLOSSARY = (entry) => new URL("../glossary/#" + entry, SCRIPT || location.href).href;
  const cache = {};
  const load = (name) => (cache[name] = cache[name] || fetch(DATA(name)).then((r) => r.json()));

  const sigmoid = (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
  const fmt = (x, digits) => (Object.is(Math.round(x * 10 ** digits), -0) ? 0 : x).toFixed(digits);

  /* PuOr-like diverging colour for a value in [-1, 1]: orange = toward "3", purple = "7". */
  function diverging(t) {
    const a = Math.min(1, Math.abs(t));
    const end = t >= 0 ? [179, 88, 6] : [84, 39, 136];
    const mid = [247, 247, 247];
    return mid.map((m, i) => Math.round(m + (end[i] - m) * a));
  }

  function paintGrid(canvas, values, colour) {
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(28, 28);
    values.forEach((v, i) => {
      const [r, g, b] = colour(v);
      image.data.set([r, g, b, 255], i * 4);
    });
    const small = document.createElement("canvas");
    small.width = small.height = 28;
    small.getContext("2d").putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
  }

  const grey = (v) => {
    const level = Math.round(255 * (1 - v));
    return [level, level, level];
  };

  /* ---- Draw a digit ------------------------------------------------------------- */

  /* Reduce the pad's ink to 28×28 as MNIST was made: the bounding box scaled into
   * 20×20 keeping its aspect ratio (anti-aliased), then placed in 28×28 so that its
   * centre of mass sits at the centre. Returns 784 numbers in [0, 1]. */
  function toMnist(pad) {
    const { width, height } = pad;
    const ink = pad.getContext("2d").getImageData(0, 0, width, height).data;
    let top = height, left = width, bottom = -1, right = -1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (ink[(y * width + x) * 4 + 3] > 0) {
          top = Math.min(top, y); bottom = Math.max(bottom, y);
          left = Math.min(left, x); right = Math.max(right, x);
        }
      }
    }
    const pixels = new Array(784).fill(0);
    if (bottom < 0) return pixels;
    const boxW = right - left + 1, boxH = bottom - top + 1;
    const scale = 20 / Math.max(boxW, boxH);
    const w = Math.max(1, Math.round(boxW * scale)), h = Math.max(1, Math.round(boxH * scale));
    const box = document.createElement("canvas");
    box.width = w; box.height = h;
    const bctx = box.getContext("2d");
    bctx.imageSmoothingEnabled = true;
    bctx.imageSmoothingQuality = "high";
    bctx.drawImage(pad, left, top, boxW, boxH, 0, 0, w, h);
    const alpha = bctx.getImageData(0, 0, w, h).data;
    let mass = 0, cx = 0, cy = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = alpha[(y * w + x) * 4 + 3] / 255;
        mass += v; cx += v * x; cy += v * y;
      }
    }
    const offsetX = Math.round(14 - (mass ? cx / mass : w / 2) - 0.5);
    const offsetY = Math.round(14 - (mass ? cy / mass : h / 2) - 0.5);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const tx = x + offsetX, ty = y + offsetY;
        if (tx >= 0 && tx < 28 && ty >= 0 && ty < 28) {
          pixels[ty * 28 + tx] = alpha[(y * w + x) * 4 + 3] / 255;
        }
      }
    }
    return pixels;
  }

  /* The sum, written out: the largest pushes each way, the total, the bias, the
   * score, the sigmoid and the verdict, each linked to its glossary entry. */
  function arithmetic(pixels, terms, model, score) {
    const link = (entry, text) => `<a href="${GLOSSARY(entry)}">${text}</a>`;
    const order = terms.map((t, i) => i).filter((i) => terms[i] !== 0);
    order.sort((a, b) => terms[b] - terms[a]);
    const describe = (i) =>
      `${link("pixel", fmt(pixels[i], 2))} × ${link("weight", fmt(model.weights[i], 2))} = ` +
      `${link("activation", (terms[i] > 0 ? "+" : "") + fmt(terms[i], 2))}` +
      ` <small>(row ${Math.floor(i / 28)}, column ${i % 28})</small>`;
    const toward3 = order.filter((i) => terms[i] > 0).slice(0, 3).map(describe);
    const toward7 = order.filter((i) => terms[i] < 0).reverse().slice(0, 3).map(describe);
    const sum = terms.reduce((a, b) => a + b, 0);
    return `<p>Largest pushes toward 3: ${toward3.join("; ") || "none"}</p>
      <p>Largest pushes toward 7: ${toward7.join("; ") || "none"}</p>
      <p>Sum of all 784 ${link("activation", "pixel × weight terms")}: ${link("activation", fmt(sum, 2))}
      + ${link("bias", "bias")} ${link("bias", fmt(model.bias, 2))}
      = ${link("score-or-prediction", "score")} ${link("score-or-prediction", fmt(score, 2))};
      ${link("probability", "sigmoid")}(${fmt(score, 2)}) = ${link("probability", fmt(sigmoid(score), 3))}
      → ${link("score-or-prediction", score > 0 ? "“3”" : "“7”")}</p>`;
  }

  function setupDigitPad(root, model) {
    const pad = root.querySelector("[data-testid=digit-pad]");
    const input28 = root.querySelector("[data-testid=digit-input-28]");
    const contributions = root.querySelector("[data-role=contributions]");
    const verdict = root.querySelector("[data-testid=digit-prediction]");
    const scoreOut = root.querySelector("[data-testid=digit-score]");
    const probabilityOut = root.querySelector("[data-testid=digit-probability]");
    const sum = root.querySelector("[data-testid=digit-arithmetic]");
    const cursor = root.querySelector("[data-role=cursor]");
    const ctx = pad.getContext("2d");
    const limit = Math.max(...model.weights.map(Math.abs));
    let last = null;
    let given = null;  // a real validation image, already 28 × 28: used as it is

    function update() {
      const pixels = given || toMnist(pad);
      input28.dataset.pixels = JSON.stringify(pixels);
      paintGrid(input28, pixels, grey);
      const terms = pixels.map((p, i) => p * model.weights[i]);
      paintGrid(contributions, terms, (v) => diverging(v / limit));
      const inked = pixels.some((p) => p > 0);
      if (!inked) {
        verdict.textContent = "draw a digit";
        scoreOut.textContent = probabilityOut.textContent = "–";
        sum.innerHTML = "<p>Draw on the pad to see the sum, term by term.</p>";
        delete verdict.dataset.score;
        return;
      }
      const score = terms.reduce((a, b) => a + b, 0) + model.bias;
      verdict.dataset.score = String(score);
      scoreOut.textContent = fmt(score, 2);
      probabilityOut.textContent = fmt(sigmoid(score), 3);
      verdict.textContent = score > 0 ? "3" : "7";
      sum.innerHTML = arithmetic(pixels, terms, model, score);
    }

    function point(event) {
      const rect = pad.getBoundingClientRect();
      return [(event.clientX - rect.left) * (pad.width / rect.width),
              (event.clientY - rect.top) * (pad.height / rect.height)];
    }

    function dot(at) {
      ctx.beginPath();
      ctx.arc(at[0], at[1], ctx.lineWidth / 2, 0, 2 * Math.PI);
      ctx.fill();
    }

    function line(from, to) {
      ctx.beginPath();
      ctx.moveTo(from[0], from[1]);
      ctx.lineTo(to[0], to[1]);
      ctx.stroke();
    }

    ctx.lineCap = ctx.lineJoin = "round";
    ctx.lineWidth = pad.width / 14;
    ctx.strokeStyle = ctx.fillStyle = "#000";
    pad.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      given = null;
      pad.setPointerCapture(event.pointerId);
      last = point(event);
      dot(last);
    });
    pad.addEventListener("pointermove", (event) => {
      if (!last) return;
      const next = point(event);
      line(last, next);
      last = next;
    });
    const finish = () => {
      if (last) update();
      last = null;
    };
    pad.addEventListener("pointerup", finish);
    pad.addEventListener("pointercancel", finish);

    /* The keyboard path: arrows move a pen over a 14 × 14 grid, space lowers or lifts it. */
    const cell = pad.width / 14;
    const pen = { x: 7, y: 7, down: false };
    const centre = () => [(pen.x + 0.5) * cell, (pen.y + 0.5) * cell];
    function showCursor() {
      cursor.hidden = document.activeElement !== pad;
      cursor.style.left = `${(100 * pen.x) / 14}%`;
      cursor.style.top = `${(100 * pen.y) / 14}%`;
      cursor.classList.toggle("pen-down", pen.down);
    }
    const MOVES = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    pad.addEventListener("keydown", (event) => {
      if (event.key === " ") {
        given = null;
        pen.down = !pen.down;
        if (pen.down) {
          dot(centre());
          update();
        }
      } else if (MOVES[event.key]) {
        const from = centre();
        pen.x = Math.min(13, Math.max(0, pen.x + MOVES[event.key][0]));
        pen.y = Math.min(13, Math.max(0, pen.y + MOVES[event.key][1]));
        if (pen.down) {
          line(from, centre());
          update();
        }
      } else {
        return;
      }
      event.preventDefault();
      showCursor();
    });
    pad.addEventListener("focus", showCursor);
    pad.addEventListener("blur", showCursor);

    root.querySelector("[data-testid=digit-clear]").addEventListener("click", () => {
      ctx.clearRect(0, 0, pad.width, pad.height);
      pen.down = false;
      given = null;
      update();
    });

    /* A real validation digit, drawn onto the pad as ink. */
    let example = 0;
    const exampleButton = root.querySelector("[data-testid=digit-example]");
    exampleButton.addEventListener("click", () => {
      const chosen = model.examples[example++ % model.examples.length];
      const small = document.createElement("canvas");
      small.width = small.height = 28;
      const image = small.getContext("2d").createImageData(28, 28);
      chosen.pixels.forEach((v, i) => image.data.set([0, 0, 0, v], i * 4));
      small.getContext("2d").putImageData(image, 0, 0);
      ctx.clearRect(0, 0, pad.width, pad.height);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(small, 0, 0, pad.width, pad.height);
      exampleButton.dataset.label = chosen.label;
      given = chosen.pixels.map((v) => v / 255);
      update();
    });
    update();
  }

  /* ---- Apples and pears --------------------------------------------------------- */

  function setupReceipts(root, data) {
    const inputs = {
      apple: root.querySelector("[data-testid=apple-price]"),
      pear: root.querySelector("[data-testid=pear-price]"),
      fee: root.querySelector("[data-testid=fee]"),
    };
    const sliders = [...root.querySelectorAll("[data-slider-for]")];
    const shop = root.querySelector("[data-testid=shop]");
    const table = root.querySelector("tbody");
    const lossOut = root.querySelector("[data-testid=receipts-loss]");
    const surface = root.querySelector("canvas");
    let path = [];

    const receipts = () => data.shops[shop.value];
    const prices = () => [Number(inputs.apple.value), Number(inputs.pear.value)];
    const errors = (p, fee) =>
      receipts().map((r) => r.quantities[0] * p[0] + r.quantities[1] * p[1] + fee - r.total);
    const loss = (p, fee) => {
      const e = errors(p, fee);
      return e.reduce((a, x) => a + x * x, 0) / e.length;
    };

    function drawSurface(fee) {
      const ctx = surface.getContext("2d");
      const { width, height } = surface;
      const image = ctx.createImageData(width, height);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const p = [(x / width) * 6, (1 - y / height) * 10];
          const level = Math.min(1, Math.log10(1 + loss(p, fee)) / 3);
          const band = Math.floor(level * 12) % 2 ? 0.92 : 1;
          const v = Math.round(255 * (1 - 0.75 * level) * band);
          image.data.set([v, Math.round(v * 0.95), 255 - Math.round(level * 90), 255], (y * width + x) * 4);
        }
      }
      ctx.putImageData(image, 0, 0);
      const toCanvas = (p) => [(p[0] / 6) * width, (1 - p[1] / 10) * height];
      ctx.strokeStyle = "#D55E00";
      ctx.lineWidth = 2;
      ctx.beginPath();
      path.forEach((p, i) => (i ? ctx.lineTo(...toCanvas(p)) : ctx.moveTo(...toCanvas(p))));
      ctx.stroke();
      const [cx, cy] = toCanvas(prices());
      ctx.fillStyle = "#D55E00";
      ctx.beginPath();
      ctx.arc(cx, cy, 5, 0, 2 * Math.PI);
      ctx.fill();
    }

    function update() {
      const p = prices(), fee = Number(inputs.fee.value);
      const e = errors(p, fee);
      table.replaceChildren(...receipts().map((r, i) => {
        const row = document.createElement("tr");
        const [apples, pears] = r.quantities;
        const basket = `${apples} apple${apples === 1 ? "" : "s"}, ${pears} pear${pears === 1 ? "" : "s"}`;
        const cells = [basket, fmt(r.total, 2),
                       fmt(r.total + e[i], 2), fmt(e[i], 2)];
        cells.forEach((text) => {
          const cell = document.createElement("td");
          cell.textContent = text;
          row.append(cell);
        });
        return row;
      }));
      const value = loss(p, fee);
      lossOut.dataset.value = String(value);
      lossOut.textContent = fmt(value, 4);
      sliders.forEach((slider) => {
        slider.value = inputs[slider.dataset.sliderFor].value;
      });
      drawSurface(fee);
    }

    function step() {
      const p = prices(), fee = Number(inputs.fee.value), e = errors(p, fee);
      const n = e.length, rate = data.learning_rate;
      const grad = [0, 1].map((k) => (2 / n) * receipts().reduce((a, r, i) => a + r.quantities[k] * e[i], 0));
      const gradFee = (2 / n) * e.reduce((a, x) => a + x, 0);
      inputs.apple.value = (p[0] - rate * grad[0]).toFixed(4);
      inputs.pear.value = (p[1] - rate * grad[1]).toFixed(4);
      inputs.fee.value = (fee - rate * gradFee).toFixed(4);
      path.push(prices());
      update();
    }

    Object.values(inputs).forEach((input) => input.addEventListener("input", () => {
      path = [];
      update();
    }));
    sliders.forEach((slider) => slider.addEventListener("input", () => {
      inputs[slider.dataset.sliderFor].value = slider.value;
      path = [];
      update();
    }));
    shop.addEventListener("change", () => {
      path = [];
      update();
    });
    root.querySelector("[data-testid=gradient-step]").addEventListener("click", () => {
      if (!path.length) path.push(prices());
      step();
    });
    const descend = root.querySelector("[data-testid=descend]");
    descend.addEventListener("click", () => {
      descend.disabled = true;
      path = [prices()];
      let left = 150;
      const timer = setInterval(() => {
        step();
        if (--left <= 0 || !root.isConnected) {
          clearInterval(timer);
          descend.disabled = false;
        }
      }, 20);
    });
    const [apple, pear] = data.first_guess;
    inputs.apple.value = String(apple);
    inputs.pear.value = String(pear);
    inputs.fee.value = "0";
    update();
  }

  /* ---- Training replay ---------------------------------------------------------- */

  function setupReplay(root, training) {
    const slider = root.querySelector("[data-testid=replay-epoch]");
    const weightsCanvas = root.querySelector("[data-role=weights]");
    const changeCanvas = root.querySelector("[data-role=change]");
    const curve = root.querySelector("svg");
    const label = root.querySelector("[data-testid=replay-label]");
    const start = training.weights[0];
    const limit = Math.max(...training.weights.flat().map(Math.abs));
    const changeLimit = Math.max(...training.weights.at(-1).map((w, i) => Math.abs(w - start[i])));
    slider.max = String(training.weights.length - 1);

    const losses = training.train_loss;
    const top = Math.max(...losses), n = losses.length;
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
      const epoch = Number(slider.value);
      const weights = training.weights[epoch];
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

  /* ---- Nudge one weight ---------------------------------------------------------- */

  function setupNudge(root, data) {
    const heatmap = root.querySelector("[data-testid=nudge-weights]");
    const slider = root.querySelector("[data-testid=nudge-slider]");
    const lossOut = root.querySelector("[data-testid=nudge-loss]");
    const accuracyOut = root.querySelector("[data-testid=nudge-accuracy]");
    const pixelOut = root.querySelector("[data-testid=nudge-pixel]");
    const raw = atob(data.images_base64);
    const n = data.labels.length;
    const pixel = (image, j) => raw.charCodeAt(image * 784 + j) / 255;
    const scores = data.labels.map((_, i) => {
      let score = data.bias;
      for (let j = 0; j < 784; j++) score += pixel(i, j) * data.weights[j];
      return score;
    });
    const limit = Math.max(...data.weights.map(Math.abs));
    let chosen = 14 * 28 + 14;

    function draw() {
      paintGrid(heatmap, data.weights, (v) => diverging(v / limit));
      const ctx = heatmap.getContext("2d"), size = heatmap.width / 28;
      ctx.strokeStyle = "#000";
      ctx.lineWidth = 2;
      ctx.strokeRect((chosen % 28) * size, Math.floor(chosen / 28) * size, size, size);
    }

    function update() {
      const delta = Number(slider.value);
      let loss = 0, correct = 0;
      for (let i = 0; i < n; i++) {
        const score = scores[i] + delta * pixel(i, chosen);
        const p = sigmoid(score);
        loss += data.labels[i] === 1 ? 1 - p : p;
        correct += (score > 0) === (data.labels[i] === 1) ? 1 : 0;
      }
      lossOut.dataset.value = String(loss / n);
      lossOut.textContent = fmt(loss / n, 6);
      accuracyOut.dataset.value = String(correct / n);
      accuracyOut.textContent = fmt((100 * correct) / n, 2) + "%";
      pixelOut.textContent = `row ${Math.floor(chosen / 28)}, column ${chosen % 28}: ` +
        `weight ${fmt(data.weights[chosen], 3)} ${delta >= 0 ? "+" : "−"} ${fmt(Math.abs(delta), 3)}`;
    }

    function choose(index) {
      chosen = index;
      slider.value = "0";
      draw();
      update();
    }
    heatmap.addEventListener("click", (event) => {
      const rect = heatmap.getBoundingClientRect();
      const column = Math.min(27, Math.floor(((event.clientX - rect.left) / rect.width) * 28));
      const row = Math.min(27, Math.floor(((event.clientY - rect.top) / rect.height) * 28));
      choose(row * 28 + column);
    });
    const MOVES = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -28, ArrowDown: 28 };
    heatmap.addEventListener("keydown", (event) => {
      if (!MOVES[event.key]) return;
      event.preventDefault();
      choose(Math.min(783, Math.max(0, chosen + MOVES[event.key])));
    });
    slider.addEventListener("input", update);
    draw();
    update();
  }

  /* ---- Wiring ------------------------------------------------------------------- */

  const WIDGETS = {
    "digit-pad": ["model.json", setupDigitPad],
    receipts: ["receipts.json", setupReceipts],
    replay: ["training.json", setupReplay],
    nudge: ["nudge.json", setupNudge],
  };

  /* A table wider than a phone scrolls sideways inside Material's wrapper: let the
     keyboard reach it too (axe-core: scrollable-region-focusable). */
  function focusableTables() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach((wrap) => {
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", "Table (scrolls sideways on a narrow screen)");
    });
  }

  function setupAll() {
    focusableTables();
    document.querySelectorAll("[data-widget]").forEach((root) => {
      if (root.dataset.ready) return;
      root.dataset.ready = "loading";
      const [file, setup] = WIDGETS[root.dataset.widget];
      load(file).then((data) => {
        setup(root, data);
        root.hidden = false;
        root.dataset.ready = "yes";
      });
    });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(setupAll);  // Material: every page, instant navigation included
  } else {
    document.addEventListener("DOMContentLoaded", setupAll);
  }
})();
