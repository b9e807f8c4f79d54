import { loadGraphAddon } from "../backend/graph/addon.ts";
import { GraphTrainer, type NamedValues } from "../backend/graph/trainer.ts";
import { nativeIntraOpThreads } from "../backend/select.ts";
import { augmentBatch } from "../data/augment.ts";
import { type HostDataset, pickExamples } from "../data/dataset.ts";
import { CoreError } from "../errors.ts";
import { buildModel } from "../models/build.ts";
import type { SerializedTensor } from "../models/parameters.ts";
import type { RunConfig } from "./config.ts";
import type { TrainingEngine } from "./engine.ts";
import { summariseTest } from "./evaluate.ts";
import { TRAIN_EVAL_EXAMPLES } from "./run-support.ts";

/** Whether the graph path can run here, and if not, why. */
export function graphExecutionProblem(backend: string): string | undefined {
  if (backend !== "tensorflow" && backend !== "tensorflow-gpu")
    return `${backend} runs op by op (graphs need TensorFlow)`;
  return loadGraphAddon().problem;
}

const copy = (v: NamedValues): SerializedTensor => ({ name: v.name, shape: v.shape, values: v.values });

/**
 * A run as one TensorFlow graph (backend/graph/trainer.ts): one session call per step. The initial weights come
 * from core's eager model builders, read once and then freed, so a seed gives the same start on both paths.
 */
export function createGraphEngine(config: RunConfig, host: HostDataset): TrainingEngine {
  const { addon, problem } = loadGraphAddon();
  if (!addon) throw new CoreError("BACKEND_UNAVAILABLE", `graph execution: ${problem}`);
  const { rows, columns, classes, mean, std } = host;
  const initial = buildModel(config.model, { rows, columns, classes, seed: config.seed });
  const parameterCount = initial.parameters.reduce((sum, p) => sum + p.variable.size, 0);
  let trainer: GraphTrainer;
  try {
    trainer = new GraphTrainer(addon, {
      config,
      // XLA only where it was measured to pay (BENCHMARKS.md): the MLP on two or more threads.
      jit: config.model.kind === "mlp" && nativeIntraOpThreads() >= 2,
      shape: { rows, columns, classes, mean, std },
      train: host.train,
      evaluation: {
        parts: {
          train: { ...host.train, count: Math.min(TRAIN_EVAL_EXAMPLES, host.train.count) },
          validation: host.validation,
          test: host.test,
        },
      },
      parameters: initial.parameters.map((p) => ({
        name: p.name,
        shape: p.variable.shape.slice(),
        values: p.variable.dataSync() as Float32Array,
        isBiasLike: p.isBiasLike,
      })),
      buffers: initial.buffers.map((b) => ({
        name: b.name,
        shape: b.variable.shape.slice(),
        values: b.variable.dataSync() as Float32Array,
      })),
    });
  } finally {
    initial.dispose();
  }
  const size = rows * columns;
  let iterations = 0;
  const averages = (totals: { lossSum: number; correct: number; count: number }) =>
    totals.count === 0
      ? { loss: Number.NaN, accuracy: Number.NaN }
      : { loss: totals.lossSum / totals.count, accuracy: totals.correct / totals.count };

  return {
    execution: "graph",
    dataset: {
      name: host.name,
      rows,
      columns,
      classes,
      mean,
      std,
      trainCount: host.train.count,
      validationCount: host.validation.count,
    },
    parameterCount,
    step(indices, step, learningRate) {
      // Augmentation distorts the batch on the host, as on the eager path; the graph takes its bytes.
      const pixels = config.augment
        ? augmentBatch(pickExamples(host.train, size, indices).pixels, rows, columns, {
            ...config.augment,
            seed: config.seed,
            step,
          })
        : undefined;
      iterations += 1;
      const loss = trainer.step(indices, iterations, learningRate, step, pixels);
      return { read: async () => loss, dispose() {} };
    },
    evaluate: async (split, limit) => averages(trainer.evaluate(split, limit)),
    async evaluateTest() {
      const totals = trainer.evaluate("test", undefined, true);
      return summariseTest(averages(totals).loss, totals.predictions!, host.test.labels, classes);
    },
    async snapshot(step) {
      const { parameters, buffers, slots } = trainer.read();
      return {
        step,
        parameters: parameters.map(copy),
        buffers: buffers.map(copy),
        optimizerSlots: slots.map(copy),
        optimizerIterations: iterations,
      };
    },
    restore(checkpoint) {
      const check = (error: unknown): never => {
        throw new CoreError(
          "INVALID_CONFIG",
          `checkpoint does not match the model: ${(error as Error).message}`,
        );
      };
      try {
        trainer.write("parameters", checkpoint.parameters);
        trainer.write("buffers", checkpoint.buffers);
        trainer.write("slots", checkpoint.optimizerSlots);
      } catch (error) {
        check(error);
      }
      iterations = checkpoint.optimizerIterations;
    },
    async weights() {
      const { parameters, buffers } = trainer.read();
      return [...parameters, ...buffers].map(copy);
    },
    dispose: () => trainer.close(),
  };
}
