/* The lab (lab page): train the chapter's models on the build's 3s and 7s, every choice of
 * its training code a control, the experiment kept in the address's hash. Reads
 * data/lab.json: the digits' file and shape, each setting's default, choices and range,
 * and the build's run of the default settings.
 *
 * The digits are fetched when the reader first presses Train. Training runs in a Worker
 * (lab-worker.mjs), one per run: Stop ends it, whatever it is doing. A typed value that
 * is empty, not a number or out of range is marked invalid (aria-invalid, and a message
 * beside it) and the last valid value stays in use, as on the receipts playground. */
import {
  asText, fromHash, readSetting, SHOWN_UNITS, splitDigits, toHash, verdict,
} from "./lab.mjs";
import { accuracyRange, drawCurves, drawWeights, lossRange } from "./lab-plots.mjs";
import { fmt, grouped } from "./lessons.mjs";

const TRAIN = "#0072b2", VALID = "#d55e00";
const testid = (name) => `lab-${name.replaceAll("_", "-")}`;
const percent = (x) => `${fmt(100 * x, 1)}%`;

/* The digits, fetched once per address and kept: { train, valid }, each { grey, y }. */
const digitsFetched = {};

async function fetchDigits(url, config) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  let bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) { // gzip, unless the server unpacked it
    const unpacked = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    bytes = new Uint8Array(await new Response(unpacked).arrayBuffer());
  }
  return splitDigits(bytes, config.digits.train_size, config.digits.valid_size);
}

/* Material's navigation.tracking writes the heading the reader has scrolled to into the
 * address's hash, or clears it; on the lab's page the hash is the experiment. While a lab
 * is on the page, a replaceState of this page's address keeps the lab's hash. */
let shownLab = null; // { root, path, hash() } of the lab on the page

function keepTheLabsHash() {
  const replace = History.prototype.replaceState;
  history.replaceState = function (state, title, url) {
    if (shownLab?.root.isConnected && url != null) {
      const next = new URL(url, location.href);
      if (next.pathname === shownLab.path && location.pathname === shownLab.path) {
        next.hash = shownLab.hash();
        url = next.href;
      }
    }
    return replace.call(this, state, title, url);
  };
}

export default function setup(root, config) {
  const names = config.order;
  const fields = Object.fromEntries(names.map((name) => [name, root.querySelector(`[data-testid=${testid(name)}]`)]));
  const $ = (name) => root.querySelector(`[data-testid=lab-${name}]`);
  const [trainButton, stopButton, resetButton] = ["train", "stop", "reset"].map($);
  const status = $("status"), progress = $("progress"), verdictOut = $("verdict"), accuracyOut = $("accuracy");
  const steps = $("steps"), link = $("link"), weightsNote = $("weights-note");
  const [lossCanvas, accuracyCanvas, weightsCanvas] = ["loss-plot", "accuracy-plot", "weights-plot"].map($);
  const dataUrl = new URL(config.digits.file, new URL(root.dataset.src, location.href)).href;
  let settings = { ...config.defaults.linear }; // the values in use: always valid
  let run = null; // { worker, settings, history, picture }

  /* Beside each field, a message: why what was typed is not used. */
  const messages = {};
  for (const name of names) {
    const field = fields[name];
    if (field.type === "number") [field.min, field.max] = config.bounds[name].map(String);
    const message = document.createElement("small");
    message.className = "field-message";
    message.id = `${field.id}-message`;
    message.dataset.testid = `${testid(name)}-message`;
    message.setAttribute("aria-live", "polite");
    field.setAttribute("aria-describedby", message.id);
    field.after(message);
    messages[name] = message;
  }

  function mark(name, problem) {
    if (problem) fields[name].setAttribute("aria-invalid", "true");
    else fields[name].removeAttribute("aria-invalid");
    messages[name].textContent = problem ? `${problem}; still using ${asText(settings[name])}` : "";
  }

  const hash = () => toHash(settings, config);

  function writeHash() {
    const address = new URL(location.href);
    address.hash = hash();
    history.replaceState(history.state, "", address.href);
    link.href = address.hash || "#";
  }

  /** What depends on the settings: which fields apply, the count of steps, the hash. */
  function settingsChanged() {
    fields.hidden.disabled = settings.model !== "net";
    fields.std.disabled = settings.init !== "init_params";
    const batches = Math.ceil(config.digits.train_size / settings.batch_size);
    const chapter = Math.ceil(config.chapter_train_size / settings.batch_size);
    steps.textContent = `${settings.epochs} epochs of ${batches} batches: ${grouped(settings.epochs * batches)} SGD steps (the chapter's ${grouped(config.chapter_train_size)} images would make ${grouped(settings.epochs * chapter)}).`;
    writeHash();
  }

  /** Show settings (and typed values refused, with why) in the fields. */
  function show(problems = {}) {
    for (const name of names) {
      const select = fields[name].tagName === "SELECT"; // a menu shows only what it offers
      fields[name].value = (!select && problems[name]?.text) || asText(settings[name]);
      mark(name, problems[name]?.problem);
    }
    settingsChanged();
  }

  function read(name) {
    const field = fields[name];
    const typed = field.validity?.badInput ? { problem: "not a number" } : readSetting(name, field.value, config);
    if (typed.problem) {
      const [min, max] = config.bounds[name] ?? [];
      const hint = typed.problem.startsWith("outside") || min === undefined ? typed.problem : `${typed.problem}: type a number from ${min} to ${max}`;
      return mark(name, hint);
    }
    mark(name, "");
    if (name === "model" && typed.value !== settings.model) {
      /* The other model's chapter values, for each setting still at this model's. */
      const [before, after] = [config.defaults[settings.model], config.defaults[typed.value]];
      for (const other of names) if (settings[other] === before[other]) settings[other] = after[other];
      settings.model = typed.value;
      return show();
    }
    settings[name] = typed.value;
    settingsChanged();
  }

  for (const name of names) {
    fields[name].addEventListener(fields[name].tagName === "SELECT" ? "change" : "input", () => read(name));
  }

  /* --- the pictures ------------------------------------------------------------------ */

  /** Draw the run's curves and weights; with no run, nothing (the page loads without
   * drawing: the canvases wait for the first Train). */
  function draw() {
    const canvases = [lossCanvas, accuracyCanvas, weightsCanvas];
    canvases.forEach((canvas) => canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height));
    weightsNote.textContent = "";
    if (!run) return;
    const { history, settings: ran } = run;
    const column = (key) => history.map((stats) => stats[key]);
    drawCurves(lossCanvas, [
      { values: column("train_loss"), colour: TRAIN, label: "training loss" },
      { values: column("valid_loss"), colour: VALID, dashed: true, label: "validation loss" },
    ], { epochs: ran.epochs, ...lossRange([...column("train_loss"), ...column("valid_loss")]) });
    drawCurves(accuracyCanvas, [
      { values: column("train_accuracy"), colour: TRAIN, label: "training accuracy" },
      { values: column("valid_accuracy"), colour: VALID, dashed: true, label: "validation accuracy" },
    ], { epochs: ran.epochs, ...accuracyRange([...column("train_accuracy"), ...column("valid_accuracy")]) });
    if (!run.picture) return;
    const units = ran.model === "linear" ? 1 : Math.min(ran.hidden, SHOWN_UNITS);
    const columns = Math.min(units, 10);
    [weightsCanvas.width, weightsCanvas.height] = units === 1 ? [196, 196] : [58 * columns, 58 * Math.ceil(units / columns)];
    drawWeights(weightsCanvas, run.picture, units, columns);
    const which = units === ran.hidden ? `all ${units}` : `the first ${units} of the ${ran.hidden}`;
    weightsNote.textContent = (units === 1
      ? "The 784 weights as a 28 × 28 image: orange where ink says “3”, purple where it says “7”; the bias"
      : `The first layer's weights of ${which} hidden units, each as a 28 × 28 image; the second layer's bias`) +
      ` is ${fmt(run.bias, 3)}.`;
  }

  /* --- a run ------------------------------------------------------------------------- */

  function setStatus(word, words = "") {
    status.textContent = word;
    root.dataset.status = word;
    progress.textContent = words;
    stopButton.setAttribute("aria-disabled", String(!["loading", "training"].includes(word)));
  }

  function stop() {
    run?.worker?.terminate();
    if (run) run.worker = null;
  }

  function epochDone({ stats, picture, bias }) {
    run.history.push(stats);
    Object.assign(run, { picture, bias });
    if (stats.finite) {
      accuracyOut.textContent = percent(stats.valid_accuracy);
      accuracyOut.dataset.value = String(stats.valid_accuracy);
    }
    setStatus("training", stats.epoch === 0
      ? "epoch 0: the random start"
      : `epoch ${stats.epoch} of ${run.settings.epochs}: training loss ${fmt(stats.train_loss, 4)}, validation loss ${fmt(stats.valid_loss, 4)}, validation accuracy ${percent(stats.valid_accuracy)}`);
    draw();
  }

  function finished() {
    stop();
    const said = verdict(run.history, config.majority);
    verdictOut.textContent = said.words;
    verdictOut.dataset.kind = said.kind;
    const last = run.history.at(-1);
    setStatus("done", last.finite ? `after ${last.epoch} epochs` : `stopped in epoch ${last.epoch}: the numbers left what a computer holds`);
  }

  async function start() {
    stop();
    const ran = { worker: null, settings: { ...settings }, history: [], picture: null };
    run = ran;
    verdictOut.textContent = "";
    delete verdictOut.dataset.kind;
    accuracyOut.textContent = "–";
    delete accuracyOut.dataset.value;
    draw();
    let digits;
    try {
      setStatus("loading", "fetching the digits");
      digits = await (digitsFetched[dataUrl] ||= fetchDigits(dataUrl, config).catch((error) => {
        delete digitsFetched[dataUrl];
        throw error;
      }));
    } catch (error) {
      if (run === ran) setStatus("failed", `the digits did not load (${error.message}); press Train to try again`);
      return;
    }
    if (run !== ran) return; // stopped, reset or started again while the digits came
    ran.worker = new Worker(new URL("./lab-worker.mjs", import.meta.url), { type: "module" });
    ran.worker.addEventListener("message", ({ data }) => {
      if (ran.worker === null) return; // stopped: what it said after that is not shown
      if (!root.isConnected) return stop(); // the reader went to another page
      if (data.failed) {
        stop();
        return setStatus("failed", `training failed (${data.failed})`);
      }
      if (data.done) return finished();
      epochDone(data);
    });
    ran.worker.addEventListener("error", (event) => {
      stop();
      setStatus("failed", `training could not start (${event.message || "the worker failed"})`);
    });
    setStatus("training", "starting");
    ran.worker.postMessage({ settings: ran.settings, digits });
  }

  trainButton.addEventListener("click", start);
  stopButton.addEventListener("click", () => {
    if (!run || !["loading", "training"].includes(status.textContent)) return;
    stop();
    const last = run.history.at(-1);
    run = { ...run, worker: null };
    setStatus("stopped", last ? `after epoch ${last.epoch} of ${run.settings.epochs}; press Train to start again` : "before the first epoch");
  });
  resetButton.addEventListener("click", () => {
    stop();
    run = null;
    settings = { ...config.defaults.linear };
    verdictOut.textContent = "";
    accuracyOut.textContent = "–";
    delete accuracyOut.dataset.value;
    show();
    setStatus("ready");
    draw();
  });

  function fromAddress() {
    const given = fromHash(location.hash, config);
    settings = given.settings;
    show(given.problems);
  }
  /* The address changed: typed, or a link to a preset on this page. Material's instant
   * navigation follows such a link with pushState, which fires no hashchange: it says so
   * on its location$. */
  function isExperiment(hash) {
    return [...new URLSearchParams(hash.slice(1)).keys()].some((key) => names.includes(key));
  }
  function addressChanged() {
    if (isExperiment(location.hash) || location.hash === "") fromAddress();
    else writeHash(); // a heading's anchor: the lab's hash stays
  }
  const path = location.pathname; // the lab's page
  const followed = [];
  const follow = (url) => {
    if (!root.isConnected) return followed.forEach((stop) => stop());
    if (new URL(url, location.href).pathname === path && location.pathname === path) addressChanged();
  };
  const hashChanged = () => follow(location.href);
  window.addEventListener("hashchange", hashChanged);
  followed.push(() => window.removeEventListener("hashchange", hashChanged));
  if (typeof location$ !== "undefined") {
    const subscription = location$.subscribe(follow);
    followed.push(() => subscription.unsubscribe());
  }

  if (!shownLab) keepTheLabsHash();
  shownLab = { root, path, hash };
  /* A link to an experiment names it in the hash the page opened with; if the reader
   * scrolled while the lab loaded, Material's tracking may have replaced it since. */
  if (!isExperiment(location.hash) && isExperiment(root.dataset.openedWith ?? "")) {
    const address = new URL(location.href);
    address.hash = root.dataset.openedWith;
    History.prototype.replaceState.call(history, history.state, "", address.href);
  }
  fromAddress();
  setStatus("ready");
}
