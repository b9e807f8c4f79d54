import * as tf from "@tensorflow/tfjs-core";
import "../backend/register-gradients.ts";
import { type DeviceSplit, pickExamples, toDevice } from "../data/dataset.ts";
import type { RawDataset } from "../data/sources.ts";
import { buildModel } from "../models/build.ts";
import { serializeTensors } from "../models/parameters.ts";
import { type StackedModel, stackModels } from "../models/stacked.ts";
import { createOptimizer } from "../optim/create.ts";
import type { Optimizer } from "../optim/optimizer.ts";
import { type BatchedEngine, evaluationIndices, rawBatchIndices, type Trial } from "./batched-engine.ts";
import type { RunConfig } from "./config.ts";
import { crossEntropyPerTrial, evaluateSplit, evaluateTest } from "./evaluate.ts";
import type { TrainingCheckpoint } from "./events.ts";

/** A trial's own split on the device, normalised exactly as prepareDataset would (host arithmetic). */
function trialSplit(raw: RawDataset, trial: Trial, which: "train" | "validation" | "test"): DeviceSplit {
  const size = raw.train.rows * raw.train.columns;
  const { mean, std } = trial.plan;
  if (which === "test") return toDevice(raw.test.pixels, raw.test.labels, size, mean, std);
  const picked = pickExamples(raw.train, size, evaluationIndices(trial, which));
  return toDevice(picked.pixels, picked.labels, size, mean, std);
}

function disposeSplit(split: DeviceSplit): void {
  tf.dispose([split.images, split.labels]);
}

/** The shared optimizer settings; decay applies wherever any trial decays (a zero rate multiplies by one). */
export function groupOptimizerSpec(leader: RunConfig, trials: Trial[]) {
  const weightDecay = Math.max(...trials.map((t) => t.config.optimizer.weightDecay));
  return { ...leader.optimizer, weightDecay };
}

/**
 * The group op by op through TensorFlow.js, on any backend: the stacked model, its optimizer, and the raw training
 * pixels (0-255 as floats) that every trial's batches are gathered from and normalised with the trial's own mean
 * and std.
 */
class EagerGroup implements BatchedEngine {
  readonly execution = "eager";
  readonly parameterCount: number;
  private model: StackedModel;
  private optimizer: Optimizer;
  private readonly pixels: tf.Tensor2D;
  private readonly labels: tf.Tensor1D;

  constructor(
    private readonly raw: RawDataset,
    private readonly leader: RunConfig,
    private readonly trials: Trial[],
  ) {
    const shape = { rows: raw.train.rows, columns: raw.train.columns, classes: trials[0]!.plan.classes };
    const models = trials.map((t) => buildModel(t.config.model, { ...shape, seed: t.config.seed }));
    this.model = stackModels(models, shape);
    for (const m of models) m.dispose();
    this.parameterCount = this.model.parameters.reduce((n, p) => n + p.variable.size / trials.length, 0);
    this.optimizer = createOptimizer(this.model.parameters, groupOptimizerSpec(leader, trials));
    const size = raw.train.rows * raw.train.columns;
    this.pixels = tf.tensor2d(Float32Array.from(raw.train.pixels), [raw.train.count, size]);
    this.labels = tf.tensor1d(Int32Array.from(raw.train.labels), "int32");
  }

  private get active(): Trial[] {
    return this.trials.filter((t) => t.slot >= 0).sort((a, b) => a.slot - b.slot);
  }

  step(step: number, learningRates: number[]) {
    const active = this.active;
    const { batchSize } = this.leader;
    const size = this.pixels.shape[1];
    const losses = tf.tidy(() => {
      const indices = new Int32Array(active.length * batchSize);
      for (const [k, t] of active.entries()) indices.set(rawBatchIndices(t, step), k * batchSize);
      const index = tf.tensor1d(indices, "int32");
      const scale = tf.tensor3d(
        active.map((t) => 1 / (255 * t.plan.std)),
        [active.length, 1, 1],
      );
      const shift = tf.tensor3d(
        active.map((t) => t.plan.mean / t.plan.std),
        [active.length, 1, 1],
      );
      const images = tf.sub(
        tf.mul(tf.reshape(tf.gather(this.pixels, index), [active.length, batchSize, size]), scale),
        shift,
      ) as tf.Tensor3D;
      const labels = tf.reshape(tf.gather(this.labels, index), [active.length, batchSize]) as tf.Tensor2D;
      let perTrial: tf.Tensor1D | undefined;
      const { grads } = tf.variableGrads(
        () => {
          // Kept past variableGrads' own tidy: the sum's gradient reaches each trial's weights from its loss only.
          perTrial = tf.keep(crossEntropyPerTrial(this.model.apply(images), labels, active[0]!.plan.classes));
          return tf.sum(perTrial);
        },
        this.model.parameters.map((p) => p.variable),
      );
      this.optimizer.applyGradients(grads, {
        learningRates,
        weightDecays: active.map((t) => t.config.optimizer.weightDecay),
      });
      return perTrial!;
    });
    return { read: () => losses.data(), dispose: () => losses.dispose() };
  }

  async checkpoint(trials: Trial[], step: number): Promise<TrainingCheckpoint[]> {
    const checkpoints: TrainingCheckpoint[] = [];
    for (const trial of trials) {
      const k = trial.slot;
      const slice = (tensor: tf.Tensor) => tf.squeeze(tf.slice(tensor, [k], [1]), [0]);
      const parameters = this.model.trialParameters(k);
      const slots = this.optimizer.slots().map(({ name, tensor }) => ({ name, tensor: slice(tensor) }));
      try {
        checkpoints.push({
          step,
          parameters: await serializeTensors(parameters),
          buffers: [],
          optimizerSlots: await serializeTensors(slots),
          optimizerIterations: this.optimizer.iterations,
        });
      } finally {
        tf.dispose([...parameters, ...slots].map((p) => p.tensor));
      }
    }
    return checkpoints;
  }

  async evaluate(trials: Trial[], includeValidation: boolean) {
    const results = [];
    for (const trial of trials) {
      const model = this.model.trialModel(trial.slot);
      const classes = trial.plan.classes;
      const train = trialSplit(this.raw, trial, "train");
      const validation = includeValidation ? trialSplit(this.raw, trial, "validation") : undefined;
      try {
        results.push({
          train: await evaluateSplit(model, train, classes),
          validation: validation ? await evaluateSplit(model, validation, classes) : undefined,
        });
      } finally {
        model.dispose();
        disposeSplit(train);
        if (validation) disposeSplit(validation);
      }
    }
    return results;
  }

  async finish(trials: Trial[]) {
    const results = [];
    for (const trial of trials) {
      const model = this.model.trialModel(trial.slot);
      const test = trialSplit(this.raw, trial, "test");
      const parameters = this.model.trialParameters(trial.slot);
      try {
        results.push({
          evaluation: await evaluateTest(model, test, trial.plan.classes),
          weights: await serializeTensors(parameters),
        });
      } finally {
        model.dispose();
        disposeSplit(test);
        tf.dispose(parameters.map((p) => p.tensor));
      }
    }
    return results;
  }

  async compact(): Promise<void> {
    const active = this.active;
    if (active.length === this.model.trials) return;
    const keep = active.map((t) => t.slot);
    const model = this.model.select(keep);
    const optimizer = createOptimizer(model.parameters, groupOptimizerSpec(this.leader, this.trials));
    const index = tf.tensor1d(keep, "int32");
    const slots = this.optimizer
      .slots()
      .map(({ name, tensor }) => ({ name, tensor: tf.gather(tensor, index) }));
    optimizer.restore(await serializeTensors(slots), this.optimizer.iterations);
    tf.dispose([index, ...slots.map((s) => s.tensor)]);
    this.model.dispose();
    this.optimizer.dispose();
    this.model = model;
    this.optimizer = optimizer;
    active.forEach((t, k) => {
      t.slot = k;
    });
  }

  dispose(): void {
    this.model.dispose();
    this.optimizer.dispose();
    tf.dispose([this.pixels, this.labels]);
  }
}

/** The group op by op (the reference path, and the only one off the native backends). */
export function createEagerGroup(raw: RawDataset, leader: RunConfig, trials: Trial[]): BatchedEngine {
  return new EagerGroup(raw, leader, trials);
}
