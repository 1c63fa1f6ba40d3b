/* The lab's training, off the page's thread: a module Worker that lab-page.mjs starts for
 * each run and ends to stop it. It receives { settings, digits } (the digits as
 * splitDigits returns them) and posts { stats, picture } after the start and after each
 * epoch (picture: weightsPicture's; bias: the score's own, the linear model's bias or the
 * net's b2), then { done: true }; { failed: message } if anything goes wrong. */
import { sparseImages, train, weightsPicture } from "./lab.mjs";

self.addEventListener("message", ({ data: { settings, digits } }) => {
  try {
    const set = (split) => ({ images: sparseImages(split.grey, settings.pixels), y: split.y });
    const data = { train: set(digits.train), valid: set(digits.valid) };
    for (const { params, stats } of train(settings, data)) {
      const picture = weightsPicture(settings, params);
      const bias = (settings.model === "linear" ? params.bias : params.b2)[0];
      self.postMessage({ stats, picture, bias }, [picture.buffer]);
    }
    self.postMessage({ done: true });
  } catch (error) {
    self.postMessage({ failed: error.message });
  }
});
