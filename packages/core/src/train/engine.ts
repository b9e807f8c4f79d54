import type { DatasetShape } from "../data/shape.ts";
import type { SerializedTensor } from "../models/parameters.ts";
import type { TestEvaluation, TrainingCheckpoint } from "./events.ts";

/** How a run's steps execute: one TensorFlow graph per step, or op by op through TensorFlow.js. */
export type Execution = "graph" | "eager";

/** A step's loss, read back only when an event needs it. */
export interface StepLoss {
  read(): Promise<number>;
  dispose(): void;
}

/**
 * What `train()` needs of a training path: the same steps, evaluations and checkpoints whichever path runs them
 * (eager-engine.ts on any backend, graph-engine.ts on the native TensorFlow backends). `train()` owns the cadence
 * (log, evaluate, checkpoint, finish); an engine owns the weights.
 */
export interface TrainingEngine {
  readonly execution: Execution;
  readonly dataset: DatasetShape & { trainCount: number; validationCount: number };
  readonly parameterCount: number;
  /** One optimizer update on the examples at `indices` (step is 0-based), at this learning rate. */
  step(indices: Int32Array, step: number, learningRate: number): StepLoss;
  /** Mean loss and accuracy over the first `limit` examples of a split. */
  evaluate(split: "train" | "validation", limit?: number): Promise<{ loss: number; accuracy: number }>;
  evaluateTest(): Promise<TestEvaluation>;
  snapshot(step: number): Promise<TrainingCheckpoint>;
  /** Weights, buffers and optimizer slots from a checkpoint (taken on either path). */
  restore(checkpoint: TrainingCheckpoint): void;
  /** Parameters then buffers, as the `finished` event carries them. */
  weights(): Promise<SerializedTensor[]>;
  dispose(): void;
}
