import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { loadRawDataset } from "../data/sources.ts";
import { collect, last } from "../train/train-fixtures.ts";
import { exportTfjsModel } from "./export.ts";
import { createPredictor } from "./predictor.ts";
import type { ModelSpecInput } from "./spec.ts";

describe("a trained model, exported and reloaded", () => {
  const models: ModelSpecInput[] = [
    { kind: "mlp", depth: 1, width: 32, activation: "silu" },
    { kind: "cnn", channels: [4, 8], denseWidth: 16, activation: "relu", batchNorm: true },
  ];
  for (const model of models) {
    it(`predicts the same from TF.js layers as from core (${model.kind})`, async () => {
      const events = await collect({
        model,
        batchSize: 32,
        steps: 30,
        evalEverySteps: 30,
        validationSize: 500,
      });
      const started = events[0]!;
      const finished = last(events, "finished")!;
      if (started.type !== "started") throw new Error("no started event");
      const mnist = await loadRawDataset("mnist");
      const images = [0, 1, 2, 3].map((i) => Array.from(mnist.test.pixels.subarray(i * 784, (i + 1) * 784)));
      const predictor = createPredictor(started.config.model, finished.weights, started.dataset);
      const fromCore = predictor.predict(images);
      const artifacts = exportTfjsModel(started.config.model, finished.weights, started.dataset);
      const weightData = new Uint8Array(Buffer.from(artifacts.weightDataBase64, "base64")).buffer;
      const layersModel = await tf.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: artifacts.modelTopology,
          weightSpecs: artifacts.weightSpecs,
          weightData,
        }),
      );
      const fromLayers = (layersModel.predict(tf.tensor2d(images)) as tf.Tensor).arraySync() as number[][];
      fromCore.flat().forEach((p, i) => {
        expect(Math.abs(p - fromLayers.flat()[i]!)).toBeLessThan(1e-4);
      });
      expect(fromCore[0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    });
  }
});
