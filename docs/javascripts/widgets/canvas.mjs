/* Drawing on canvases: a 28 × 28 grid of values, scaled up without smoothing. */

/** Paint 784 values on a canvas, each through colour(value) -> [r, g, b]. */
export function paintGrid(canvas, values, colour) {
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
