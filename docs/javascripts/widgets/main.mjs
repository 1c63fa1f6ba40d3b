/* The lessons' widgets: plain JavaScript modules, no framework, nothing from elsewhere.
 *
 * Each widget is a <div data-widget="NAME" data-src="…json"> on a page: its page's
 * module in lessons_code/website/pages/ registers it (@widget), and the build writes
 * data-src, the JSON file it reads. Its code is the module NAME.mjs beside this one, loaded only on a page that
 * has that widget, and only when the reader scrolls within a screen of it: its code and
 * its data (up to 140 KB of JSON) do not hold up the page's first seconds on a phone.
 * A widget that cannot start says so inside itself; the others work.
 * Material's instant navigation swaps pages without reloading, so widgets are set up
 * on every `document$` emission, not only once.
 */

const loaded = {};
const load = (url) =>
  (loaded[url] ||= fetch(url).then((response) => {
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    return response.json();
  }));

/** Replace a widget's controls by a short message saying why it could not start. */
function fail(root, why) {
  const message = document.createElement("p");
  message.className = "widget-failure";
  message.setAttribute("role", "status");
  message.textContent = `This interactive part could not start (${why}); the figures on this page show the same results.`;
  root.replaceChildren(message);
  root.hidden = false;
  root.dataset.ready = "failed";
}

async function setup(root) {
  const name = root.dataset.widget;
  try {
    if (!/^[a-z][a-z0-9-]*$/.test(name) || !root.dataset.src) {
      throw new Error(`no widget named “${name}”`);
    }
    const [module, data] = await Promise.all([
      import(`./${name}.mjs`).catch(() => {
        throw new Error(`no widget named “${name}”`);
      }),
      load(new URL(root.dataset.src, location.href).href).catch((error) => {
        throw new Error(`its data did not load: ${error.message}`);
      }),
    ]);
    module.default(root, data);
    root.hidden = false;
    root.dataset.ready = "yes";
  } catch (error) {
    fail(root, error.message);
  }
}

/* A table wider than a phone scrolls sideways inside Material's wrapper: let the
   keyboard reach it too (axe-core: scrollable-region-focusable). */
function focusableTables() {
  document.querySelectorAll(".md-typeset__scrollwrap").forEach((wrap) => {
    wrap.tabIndex = 0;
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", "Table (scrolls sideways on a narrow screen)");
  });
}

/* Start each widget when its place comes within a screen of the viewport. The widget
   is hidden until it starts, so it has no box to watch: an empty element just before
   it marks its place (an empty block takes no room). */
const NEAR = { rootMargin: "100% 0px" };

function startWhenNear(root) {
  const place = document.createElement("div");
  root.before(place);
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    observer.disconnect();
    place.remove();
    root.dataset.ready = "loading";
    setup(root);
  }, NEAR);
  observer.observe(place);
}

function setupAll() {
  focusableTables();
  document.querySelectorAll("[data-widget]").forEach((root) => {
    if (root.dataset.ready) return;
    root.dataset.ready = "waiting";
    /* The hash the page opened with: Material's navigation.tracking rewrites it as the
       reader scrolls, and clears it at the top, before a widget far down has loaded. */
    root.dataset.openedWith = location.hash;
    startWhenNear(root);
  });
}

if (typeof document$ !== "undefined") {
  document$.subscribe(setupAll); // Material: every page, instant navigation included
} else {
  setupAll();
}
