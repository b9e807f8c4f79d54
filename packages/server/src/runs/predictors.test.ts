import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildModel, type MlpSpec, prepareBackend } from "@sweeplab/core";
import { describe, expect, it } from "vitest";
import { PredictorCache } from "./predictors.ts";
import { writeTensorFile } from "./tensor-file.ts";

const shape = { name: "mnist", rows: 28, columns: 28, classes: 10, mean: 0.13, std: 0.31 };
const spec = (width: number): MlpSpec => ({ kind: "mlp", depth: 1, width, activation: "relu", dropout: 0 });

/** Saves a freshly initialised model's weights as a run's weights.bin; returns its path and size in bytes. */
function savedModel(dir: string, name: string, width: number): { path: string; bytes: number } {
  const model = buildModel(spec(width), { ...shape, seed: 0 });
  const weights = [...model.parameters, ...model.buffers].map(({ name, variable }) => ({
    name,
    shape: variable.shape.slice(),
    values: variable.dataSync() as Float32Array,
  }));
  const path = join(dir, `${name}.bin`);
  writeTensorFile(path, { meta: {}, groups: { weights } });
  return { path, bytes: weights.reduce((n, w) => n + w.values.byteLength, 0) };
}

describe("PredictorCache", () => {
  it("drops the least recently used models once their weights pass the byte budget", async () => {
    await prepareBackend({ backend: "auto" });
    const dir = mkdtempSync(join(tmpdir(), "sweeplab-predictors-"));
    const big = [0, 1, 2].map((i) => ({ id: `big${i}`, ...savedModel(dir, `big${i}`, 256) }));
    // Each model is about 0.8 MB of weights; a 2 MB budget holds two, though the count allows four.
    expect(big[0]!.bytes).toBeGreaterThan(800_000);
    const cache = new PredictorCache({ backend: "auto", predictorCacheMb: 2 }, 4);
    for (const m of big) await cache.get(m.id, spec(256), m.path, shape);
    expect(cache.size).toBe(2);
    expect(cache.heldBytes).toBe(big[1]!.bytes + big[2]!.bytes);
    expect(cache.heldBytes).toBeLessThanOrEqual(2 * 1024 * 1024);
    cache.drop("big1");
    cache.drop("big2");
    expect([cache.size, cache.heldBytes]).toEqual([0, 0]);
  });

  it("still answers with a model larger than the whole budget, keeping only that one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sweeplab-predictors-"));
    const small = savedModel(dir, "small", 8);
    const large = savedModel(dir, "large", 1024);
    const cache = new PredictorCache({ backend: "auto", predictorCacheMb: 1 }, 4);
    await cache.get("small", spec(8), small.path, shape);
    const predictor = await cache.get("large", spec(1024), large.path, shape);
    expect(predictor.predict([new Array(784).fill(0)])[0]).toHaveLength(10);
    expect([cache.size, cache.heldBytes]).toEqual([1, large.bytes]);
  });
});
