import * as tf from "@tensorflow/tfjs-core";
import "../backend/register-gradients.ts";
import { augmentBatch } from "../data/augment.ts";
import type { PreparedDataset } from "../data/dataset.ts";
import { normalisePixels } from "../data/dataset.ts";
import type { Model } from "../models/model.ts";
import type { Optimizer } from "../optim/optimizer.ts";
import type { RunConfig } from "./config.ts";
import { crossEntropy } from "./evaluate.ts";

export interface StepContext {
  config: RunConfig;
  dataset: PreparedDataset;
  model: Model;
  optimizer: Optimizer;
}

/** The batch for a step: gathered on the device, or distorted on the host when augmentation is on. */
function loadBatch(
  ctx: StepContext,
  indices: Int32Array,
  step: number,
): { images: tf.Tensor2D; labels: tf.Tensor1D } {
  const { dataset, config } = ctx;
  if (!config.augment) {
    const index = tf.tensor1d(indices, "int32");
    return { images: tf.gather(dataset.train.images, index), labels: tf.gather(dataset.train.labels, index) };
  }
  const size = dataset.rows * dataset.columns;
  const pixels = new Uint8Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  indices.forEach((example, i) => {
    pixels.set(dataset.trainPixels.subarray(example * size, (example + 1) * size), i * size);
    labels[i] = dataset.trainLabels[example]!;
  });
  const distorted = augmentBatch(pixels, dataset.rows, dataset.columns, {
    ...config.augment,
    seed: config.seed,
    step,
  });
  return {
    images: tf.tensor2d(normalisePixels(distorted, dataset.mean, dataset.std), [indices.length, size]),
    labels: tf.tensor1d(labels, "int32"),
  };
}

/**
 * One optimizer update: batch, forward, loss, gradients, update. Returns the batch loss as a tensor (not read
 * back); every other tensor the step makes is freed before it returns.
 */
export function trainingStep(
  ctx: StepContext,
  indices: Int32Array,
  step: number,
  learningRate: number,
): tf.Scalar {
  return tf.tidy(() => {
    const { images, labels } = loadBatch(ctx, indices, step);
    const variables = ctx.model.parameters.map((p) => p.variable);
    const { value: loss, grads } = tf.variableGrads(
      () => crossEntropy(ctx.model.apply(images, { training: true, step }), labels, ctx.dataset.classes),
      variables,
    );
    ctx.optimizer.applyGradients(grads, learningRate);
    return loss;
  });
}
