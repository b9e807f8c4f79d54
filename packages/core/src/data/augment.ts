import { SeededRandom } from "./random.ts";

/** Random affine distortions applied to training images only. */
export interface AugmentOptions {
  /** Largest shift in pixels along each axis. */
  maxShiftPixels: number;
  /** Largest rotation in degrees, either way. */
  maxRotationDegrees: number;
}

/**
 * Shifts and rotates each image of a batch by its own random amount (bilinear sampling, zero outside), on the
 * CPU. `seed` and `step` fix the draws, so a resumed run sees the same distortions.
 */
export function augmentBatch(
  pixels: Uint8Array,
  rows: number,
  columns: number,
  options: AugmentOptions & { seed: number; step: number },
): Uint8Array {
  const size = rows * columns;
  const count = pixels.length / size;
  const out = new Uint8Array(pixels.length);
  const random = new SeededRandom((options.seed * 2_654_435_761 + options.step * 40_503) >>> 0);
  const cy = (rows - 1) / 2;
  const cx = (columns - 1) / 2;
  for (let n = 0; n < count; n++) {
    const angle = (random.uniform(-1, 1) * options.maxRotationDegrees * Math.PI) / 180;
    const dy = random.uniform(-options.maxShiftPixels, options.maxShiftPixels);
    const dx = random.uniform(-options.maxShiftPixels, options.maxShiftPixels);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const base = n * size;
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < columns; x++) {
        // Inverse map: where in the source this output pixel comes from.
        const ry = y - cy - dy;
        const rx = x - cx - dx;
        const sy = cos * ry + sin * rx + cy;
        const sx = -sin * ry + cos * rx + cx;
        const y0 = Math.floor(sy);
        const x0 = Math.floor(sx);
        const fy = sy - y0;
        const fx = sx - x0;
        let value = 0;
        for (let k = 0; k < 4; k++) {
          const yy = y0 + (k >> 1);
          const xx = x0 + (k & 1);
          if (yy < 0 || yy >= rows || xx < 0 || xx >= columns) continue;
          const weight = (k >> 1 ? fy : 1 - fy) * (k & 1 ? fx : 1 - fx);
          value += weight * pixels[base + yy * columns + xx]!;
        }
        out[base + y * columns + x] = Math.round(value);
      }
    }
  }
  return out;
}
