import { describe, expect, it } from "vitest";
import { planSplits } from "./dataset.ts";
import { SeededRandom } from "./random.ts";
import type { RawDataset } from "./sources.ts";

/** A dataset of `count` random images of `rows` x `rows` bytes, skewed towards dark pixels as MNIST is. */
function randomDataset(count: number, rows: number, seed: number): RawDataset {
  const random = new SeededRandom(seed);
  const size = rows * rows;
  const pixels = Uint8Array.from({ length: count * size }, () =>
    random.next() < 0.8 ? 0 : Math.floor(random.next() * 256),
  );
  const labels = Uint8Array.from({ length: count }, () => Math.floor(random.next() * 10));
  const images = { count, rows, columns: rows, pixels, labels };
  return { name: "random", train: images, test: images };
}

/** The statistics as a reader would compute them: over the kept examples' pixels, one by one. */
function direct(raw: RawDataset, kept: Int32Array) {
  const size = raw.train.rows * raw.train.columns;
  let sum = 0;
  let squares = 0;
  for (const index of kept) {
    for (let i = index * size; i < (index + 1) * size; i++) {
      const v = raw.train.pixels[i]! / 255;
      sum += v;
      squares += v * v;
    }
  }
  const mean = sum / (kept.length * size);
  return { mean, std: Math.sqrt(squares / (kept.length * size) - mean * mean) };
}

describe("planSplits", () => {
  it("holds out a seeded validation split: kept and held out are disjoint and cover every example", () => {
    const raw = randomDataset(200, 4, 1);
    const plan = planSplits(raw, { validationSize: 30, seed: 7 });
    expect(plan.trainIndices.length).toBe(170);
    expect(plan.validationIndices.length).toBe(30);
    const all = [...plan.trainIndices, ...plan.validationIndices].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(planSplits(raw, { validationSize: 30, seed: 8 }).validationIndices).not.toEqual(
      plan.validationIndices,
    );
  });

  it("measures the kept examples' pixels only, for every seed and validation size (the held-out ones excluded)", () => {
    const raw = randomDataset(300, 6, 2);
    for (const [validationSize, seed] of [
      [0, 0],
      [1, 3],
      [50, 4],
      [299, 5],
    ] as const) {
      const plan = planSplits(raw, { validationSize, seed });
      const expected = direct(raw, plan.trainIndices);
      expect(plan.mean).toBeCloseTo(expected.mean, 12);
      expect(plan.std).toBeCloseTo(expected.std, 12);
    }
  });

  it("keeps each dataset's statistics apart (a second dataset is never measured with the first one's counts)", () => {
    const dark = randomDataset(100, 4, 3);
    const bright = randomDataset(100, 4, 3);
    bright.train.pixels.forEach((p, i) => {
      bright.train.pixels[i] = 255 - p;
    });
    const a = planSplits(dark, { validationSize: 10, seed: 1 });
    const b = planSplits(bright, { validationSize: 10, seed: 1 });
    expect(a.mean).toBeCloseTo(direct(dark, a.trainIndices).mean, 12);
    expect(b.mean).toBeCloseTo(direct(bright, b.trainIndices).mean, 12);
    expect(b.mean).toBeCloseTo(1 - a.mean, 12);
  });
});
