/** MNIST's geometry: the digit's longer side is scaled to 20 px and its centre of mass put at the middle of 28x28. */
const SIZE = 28;
const BOX = 20;

/**
 * Turns a drawing's ink (0..1 per pixel, row-major, `width` x `height`) into a 28x28 image as MNIST has them:
 * the ink's bounding box scaled (area-averaged) so its longer side is 20 px, placed so its centre of mass is at
 * the centre, grey values 0-255 with ink bright on a 0 background. Empty ink gives all zeros.
 */
export function inkToMnist(ink: ArrayLike<number>, width: number, height: number): number[] {
  let [left, top, right, bottom] = [width, height, -1, -1];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if ((ink[y * width + x] ?? 0) > 0.05) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
  const out = new Array<number>(SIZE * SIZE).fill(0);
  if (right < 0) return out;

  const [boxWidth, boxHeight] = [right - left + 1, bottom - top + 1];
  const scale = BOX / Math.max(boxWidth, boxHeight);
  const [w, h] = [Math.max(1, Math.round(boxWidth * scale)), Math.max(1, Math.round(boxHeight * scale))];
  const small = new Float64Array(w * h);
  for (let ty = 0; ty < h; ty++)
    for (let tx = 0; tx < w; tx++) {
      // Average the source pixels this target pixel covers (a box filter).
      const [x0, x1] = [
        left + Math.floor(tx / scale),
        left + Math.max(Math.floor(tx / scale) + 1, Math.floor((tx + 1) / scale)),
      ];
      const [y0, y1] = [
        top + Math.floor(ty / scale),
        top + Math.max(Math.floor(ty / scale) + 1, Math.floor((ty + 1) / scale)),
      ];
      let sum = 0;
      let n = 0;
      for (let y = y0; y < Math.min(y1, height); y++)
        for (let x = x0; x < Math.min(x1, width); x++) {
          sum += ink[y * width + x] ?? 0;
          n++;
        }
      small[ty * w + tx] = n ? sum / n : 0;
    }

  let [mass, sumX, sumY] = [0, 0, 0];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = small[y * w + x]!;
      mass += v;
      sumX += v * (x + 0.5);
      sumY += v * (y + 0.5);
    }
  const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max);
  const offsetX = clamp(Math.round(SIZE / 2 - sumX / mass), SIZE - w);
  const offsetY = clamp(Math.round(SIZE / 2 - sumY / mass), SIZE - h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      out[(y + offsetY) * SIZE + x + offsetX] = Math.round(255 * Math.min(1, small[y * w + x]!));
  return out;
}
