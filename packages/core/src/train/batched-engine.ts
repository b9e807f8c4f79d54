import type { BatchSchedule } from "../data/batches.ts";
import type { SplitPlan } from "../data/dataset.ts";
import type { SerializedTensor } from "../models/parameters.ts";
import type { RunConfig } from "./config.ts";
import type { Execution } from "./engine.ts";
import type { TestEvaluation, TrainingCheckpoint } from "./events.ts";
import { TRAIN_EVAL_EXAMPLES } from "./run-support.ts";

/** A trial of the group: its config, data split, batch order, and where it sits in the stack (-1 once ended). */
export interface Trial {
  id: string;
  config: RunConfig;
  plan: SplitPlan;
  batches: BatchSchedule;
  signal?: AbortSignal;
  slot: number;
  /** The train-eval slice's loss before the first step, when the run is judged for divergence. */
  startLoss: number | null;
}

/** The training examples of a trial's batch for `step`, as indices into the raw training images. */
export function rawBatchIndices(trial: Trial, step: number): Int32Array {
  const indices = trial.batches.indices(step);
  return indices.map((i) => trial.plan.trainIndices[i]!);
}

/** A trial's evaluation rows in the raw training images: the train-eval slice, or its validation split. */
export function evaluationIndices(trial: Trial, which: "train" | "validation"): Int32Array {
  return which === "train"
    ? trial.plan.trainIndices.subarray(0, TRAIN_EVAL_EXAMPLES)
    : trial.plan.validationIndices;
}

export interface Metrics {
  loss: number;
  accuracy: number;
}

/** Per-trial losses of one step, read back only when an event needs them (in stack order). */
export interface StackedLosses {
  read(): Promise<ArrayLike<number>>;
  dispose(): void;
}

/**
 * What trainBatched() needs of a training path for a group (batched-eager.ts on any backend, batched-graph.ts on
 * the native TensorFlow backends): the stacked weights and their optimizer. trainBatched() owns the cadence and
 * which trials are in the group; an engine owns the stack, whose row k is the trial with slot k.
 */
export interface BatchedEngine {
  readonly execution: Execution;
  /** Parameters of one trial. */
  readonly parameterCount: number;
  /** One update of every trial in the stack (after compact(): every active trial), at trial k's learning rate. */
  step(step: number, learningRates: number[]): StackedLosses;
  /** Each trial's train-eval slice (and validation split), on its weights as they are now. */
  evaluate(trials: Trial[], includeValidation: boolean): Promise<{ train: Metrics; validation?: Metrics }[]>;
  checkpoint(trials: Trial[], step: number): Promise<TrainingCheckpoint[]>;
  /** Each trial's test evaluation and final weights. */
  finish(trials: Trial[]): Promise<{ evaluation: TestEvaluation; weights: SerializedTensor[] }[]>;
  /** Drops ended trials (slot -1) from the stack and renumbers the rest, so they cost nothing from here on. */
  compact(): Promise<void>;
  dispose(): void;
}
