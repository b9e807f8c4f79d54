import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { prepareBackend } from "../backend/select.ts";
import { buildCnn } from "./cnn.ts";
import { CnnSpecSchema, type ModelSpecInput } from "./spec.ts";

const shape = { rows: 8, columns: 8, classes: 3, seed: 1 };

/** The logits of one training-mode forward pass at step 3 (dropout masks are seeded by step and layer). */
function trainingLogits(spec: Extract<ModelSpecInput, { kind: "cnn" }>): number[] {
  const model = buildCnn(CnnSpecSchema.parse({ channels: [2, 4], denseWidth: 16, ...spec }), shape);
  const images = tf.tensor2d(
    Array.from({ length: 2 * 64 }, (_, i) => (i % 7) / 7),
    [2, 64],
  );
  const logits = Array.from(model.apply(images, { training: true, step: 3 }).dataSync());
  const inference = Array.from(model.apply(images, { training: false }).dataSync());
  model.dispose();
  images.dispose();
  return logits.map((v, i) => v - inference[i]!);
}

describe("the CNN's two dropout rates", () => {
  beforeAll(async () => {
    await prepareBackend({ backend: "wasm" });
  });

  it("defaults denseDropout to dropout, so existing configs keep their meaning", () => {
    expect(trainingLogits({ kind: "cnn", dropout: 0.25 })).toEqual(
      trainingLogits({ kind: "cnn", dropout: 0.25, denseDropout: 0.25 }),
    );
    expect(CnnSpecSchema.parse({ kind: "cnn", dropout: 0.25 })).not.toHaveProperty("denseDropout");
  });

  it("applies denseDropout after the dense layer alone, and dropout after pooling alone", () => {
    const none = trainingLogits({ kind: "cnn", dropout: 0, denseDropout: 0 });
    expect(Math.max(...none.map(Math.abs))).toBe(0);
    const denseOnly = trainingLogits({ kind: "cnn", dropout: 0, denseDropout: 0.5 });
    expect(Math.max(...denseOnly.map(Math.abs))).toBeGreaterThan(1e-4);
    const poolOnly = trainingLogits({ kind: "cnn", dropout: 0.25, denseDropout: 0 });
    expect(Math.max(...poolOnly.map(Math.abs))).toBeGreaterThan(1e-4);
    expect(trainingLogits({ kind: "cnn", dropout: 0.25, denseDropout: 0.5 })).not.toEqual(
      trainingLogits({ kind: "cnn", dropout: 0.25 }),
    );
  });
});
