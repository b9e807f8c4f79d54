import type { BackendInfo } from "../backend/select.ts";
import type { CoreErrorCode } from "../errors.ts";
import type { SerializedTensor } from "../models/parameters.ts";
import type { RunConfig } from "./config.ts";

/** Versions recorded with each run, so results can be traced to code. */
export interface RunVersions {
  core: string;
  tfjs: string;
  tensorflow?: string;
  node: string;
}

/** What a model's input looks like and how pixels were normalised: (p / 255 - mean) / std. */
export interface DatasetShape {
  name: string;
  rows: number;
  columns: number;
  classes: number;
  mean: number;
  std: number;
}

export interface StartedEvent {
  type: "started";
  dataset: DatasetShape;
  config: RunConfig;
  backend: BackendInfo;
  versions: RunVersions;
  parameterCount: number;
  trainExamples: number;
  validationExamples: number;
  /** Set when the run continues from a checkpoint. */
  resumedFromStep?: number;
}

export interface StepEvent {
  type: "step";
  /** Steps completed (1-based). */
  step: number;
  loss: number;
  learningRate: number;
  /** Median milliseconds per step since the previous step event. */
  msPerStep: number;
  examplesPerSecond: number;
  /** Live tensors on the backend; flat across a healthy run. */
  liveTensors: number;
}

export interface EvalEvent {
  type: "eval";
  step: number;
  trainLoss: number;
  trainAccuracy: number;
  validationLoss: number;
  validationAccuracy: number;
  learningRate: number;
}

/** Everything needed to continue a run exactly: weights, optimizer slots and the step. */
export interface TrainingCheckpoint {
  step: number;
  parameters: SerializedTensor[];
  buffers: SerializedTensor[];
  optimizerSlots: SerializedTensor[];
  optimizerIterations: number;
}

export interface CheckpointEvent {
  type: "checkpoint";
  step: number;
  checkpoint: TrainingCheckpoint;
}

export interface TestEvaluation {
  loss: number;
  accuracy: number;
  /** confusionMatrix[actual][predicted] counts over the test set. */
  confusionMatrix: number[][];
  perClassAccuracy: number[];
}

export interface FinishedEvent {
  type: "finished";
  step: number;
  testLoss: number;
  testAccuracy: number;
  evaluation: TestEvaluation;
  /** Median ms per training step over the run. */
  msPerStep: number;
  /** Seconds spent in training steps, and in the whole run (data loading and evaluation included). */
  trainSeconds: number;
  wallSeconds: number;
  /** Final weights, for export and prediction. */
  weights: SerializedTensor[];
}

export interface FailedEvent {
  type: "failed";
  step: number;
  code: CoreErrorCode | "INTERNAL";
  message: string;
}

/** What `train()` yields, in order: started, then step / eval / checkpoint, then finished or failed. */
export type TrainEvent = StartedEvent | StepEvent | EvalEvent | CheckpointEvent | FinishedEvent | FailedEvent;
