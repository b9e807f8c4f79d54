import * as tf from "@tensorflow/tfjs-core";
// The union package registers its pure-JS "cpu" backend: enough to count tensors.
import "../backend/register-gradients.ts";
import { describe, expect, it } from "vitest";
import { buildModel } from "./build.ts";
import { createPredictor, loadWeights } from "./predictor.ts";

const shape = { name: "mnist", rows: 4, columns: 4, classes: 3, mean: 0, std: 1 };
const spec = { kind: "mlp", depth: 1, width: 8, activation: "relu", dropout: 0 } as const;

function savedWeights() {
  const model = buildModel(spec, { ...shape, seed: 0 });
  const weights = [...model.parameters, ...model.buffers].map(({ name, variable }) => ({
    name,
    shape: variable.shape.slice(),
    values: variable.dataSync() as Float32Array,
  }));
  model.dispose();
  return weights;
}

describe("loadWeights", () => {
  it("leaves no tensor behind: loading twenty times holds the count and bytes flat", async () => {
    await tf.setBackend("cpu");
    const weights = savedWeights();
    const model = buildModel(spec, { ...shape, seed: 1 });
    loadWeights(model, weights);
    const before = tf.memory();
    for (let i = 0; i < 20; i++) loadWeights(model, weights);
    expect([tf.memory().numTensors, tf.memory().numBytes]).toEqual([before.numTensors, before.numBytes]);
    model.dispose();
  });

  it("a predictor created and disposed returns every tensor, even when its weights do not fit", async () => {
    await tf.setBackend("cpu");
    const weights = savedWeights();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const predictor = createPredictor(spec, weights, shape);
      expect(predictor.predict([new Array(16).fill(0)])[0]).toHaveLength(3);
      predictor.dispose();
    }
    expect(() => createPredictor(spec, weights.slice(1), shape)).toThrow(/do not match/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
