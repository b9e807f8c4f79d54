import { buildModel, type MlpSpec, prepareBackend, type SerializedTensor } from "@sweeplab/core";
import { describe, expect, it } from "vitest";
import { PredictorCache } from "./predictors.ts";

const shape = { name: "mnist", rows: 28, columns: 28, classes: 10, mean: 0.13, std: 0.31 };
const spec = (width: number): MlpSpec => ({ kind: "mlp", depth: 1, width, activation: "relu", dropout: 0 });

/** A freshly initialised model's weights, as a run's stored weights load; with their size in bytes. */
function savedModel(width: number): { load: () => Promise<SerializedTensor[]>; bytes: number } {
  const model = buildModel(spec(width), { ...shape, seed: 0 });
  const weights = [...model.parameters, ...model.buffers].map(({ name, variable }) => ({
    name,
    shape: variable.shape.slice(),
    values: variable.dataSync() as Float32Array,
  }));
  return { load: async () => weights, bytes: weights.reduce((n, w) => n + w.values.byteLength, 0) };
}

describe("PredictorCache", () => {
  it("drops the least recently used models once their weights pass the byte budget", async () => {
    await prepareBackend({ backend: "auto" });
    const big = [0, 1, 2].map((i) => ({ id: `big${i}`, ...savedModel(256) }));
    // Each model is about 0.8 MB of weights; a 2 MB budget holds two, though the count allows four.
    expect(big[0]!.bytes).toBeGreaterThan(800_000);
    const cache = new PredictorCache({ backend: "auto", predictorCacheMb: 2 }, 4);
    for (const m of big) await cache.get(m.id, spec(256), m.load, shape);
    expect(cache.size).toBe(2);
    expect(cache.heldBytes).toBe(big[1]!.bytes + big[2]!.bytes);
    expect(cache.heldBytes).toBeLessThanOrEqual(2 * 1024 * 1024);
    cache.drop("big1");
    cache.drop("big2");
    expect([cache.size, cache.heldBytes]).toEqual([0, 0]);
  });

  it("still answers with a model larger than the whole budget, keeping only that one", async () => {
    const small = savedModel(8);
    const large = savedModel(1024);
    const cache = new PredictorCache({ backend: "auto", predictorCacheMb: 1 }, 4);
    await cache.get("small", spec(8), small.load, shape);
    const predictor = await cache.get("large", spec(1024), large.load, shape);
    expect(predictor.predict([new Array(784).fill(0)])[0]).toHaveLength(10);
    expect([cache.size, cache.heldBytes]).toEqual([1, large.bytes]);
  });
});

describe("PredictorCache under concurrent misses", () => {
  it("loads a run once for concurrent misses and holds one copy of its weights", async () => {
    await prepareBackend({ backend: "auto" });
    const saved = savedModel(64);
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return saved.load();
    };
    const cache = new PredictorCache({ backend: "auto", predictorCacheMb: 64 }, 4);
    const predictors = await Promise.all([1, 2, 3].map(() => cache.get("run", spec(64), load, shape)));
    expect(loads).toBe(1);
    expect(new Set(predictors).size).toBe(1);
    expect([cache.size, cache.heldBytes]).toEqual([1, saved.bytes]);
  });

  it("a failed load is not remembered: the next request loads again", async () => {
    const saved = savedModel(8);
    let loads = 0;
    const load = async () => {
      loads += 1;
      if (loads === 1) throw new Error("store unreachable");
      return saved.load();
    };
    const cache = new PredictorCache({ backend: "auto", predictorCacheMb: 64 }, 4);
    await expect(cache.get("run", spec(8), load, shape)).rejects.toThrow(/unreachable/);
    await cache.get("run", spec(8), load, shape);
    expect([loads, cache.size]).toEqual([2, 1]);
  });
});
